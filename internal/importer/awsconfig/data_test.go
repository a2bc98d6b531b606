package awsconfig

import (
	"reflect"
	"testing"

	"github.com/vigil-sec/vigil/internal/resource"
)

// locs returns r's replication paths as region|path|target, primary
// locations (added by derivation) left out.
func locs(r *resource.Resource) []string {
	var out []string
	if r.Facts.Data == nil {
		return nil
	}
	for _, l := range r.Facts.Data.Locations {
		if l.Path != resource.LocationPrimary {
			out = append(out, l.Region+"|"+l.Path+"|"+l.Target)
		}
	}
	return out
}

// Every replication path AWS exports, read from the real AWS Config item
// shapes (testdata/replication.json).
func TestReplicationPaths(t *testing.T) {
	byID, _, _ := load(t, "replication.json")
	for _, tc := range []struct {
		id    string
		class resource.Class
		want  []string
	}{
		// The destination bucket's region comes from its own item; a
		// destination the inventory does not hold keeps its ARN, region unknown.
		{"arn:aws:s3:::acme-eu-customers", resource.ClassObjectStorage, []string{
			"us-east-1|s3-replication|arn:aws:s3:::acme-us-customers-replica",
			"|s3-replication|arn:aws:s3:::acme-elsewhere"}},
		{"arn:aws:s3:::acme-us-customers-replica", resource.ClassObjectStorage, nil},
		// The table's own region is not a replication path.
		{"arn:aws:dynamodb:eu-west-1:111122223333:table/acme-orders", resource.ClassDatabase, []string{
			"us-east-1|dynamodb-global-table|arn:aws:dynamodb:us-east-1:111122223333:table/acme-orders",
			"eu-central-1|dynamodb-global-table|arn:aws:dynamodb:eu-central-1:111122223333:table/acme-orders"}},
		{"arn:aws:dynamodb:eu-west-1:111122223333:table/acme-sessions", resource.ClassDatabase, []string{
			"ap-southeast-2|dynamodb-global-table|arn:aws:dynamodb:ap-southeast-2:111122223333:table/acme-sessions"}},
		// A cross-region replica by ARN, a same-region one by identifier,
		// and a replicated automated backup.
		{"arn:aws:rds:eu-west-1:111122223333:db:acme-billing", resource.ClassDatabase, []string{
			"us-west-2|rds-read-replica|arn:aws:rds:us-west-2:111122223333:db:acme-billing-replica",
			"eu-west-1|rds-read-replica|arn:aws:rds:eu-west-1:111122223333:db:acme-billing-ro",
			"eu-central-1|backup-copy|arn:aws:rds:eu-central-1:111122223333:auto-backup:ab-6n3hhj2lhu3wgquvn2nfyuzfqrbjb57szhwsbsy"}},
		{"arn:aws:redshift:eu-west-1:111122223333:cluster:acme-dw", resource.ClassDataWarehouse, []string{"us-east-2|snapshot-copy|"}},
		// The plan's copy action lands on the vault it backs up into.
		{"arn:aws:backup:eu-west-1:111122223333:backup-vault:acme-vault", resource.ClassBackupVault, []string{
			"us-east-1|backup-copy|arn:aws:backup:us-east-1:111122223333:backup-vault:acme-dr"}},
	} {
		r := mustGet(t, byID, tc.id)
		if r.Class != tc.class {
			t.Errorf("%s: class %s, want %s", tc.id, r.Class, tc.class)
		}
		if got := locs(r); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: paths\n got %q\nwant %q", tc.id, got, tc.want)
		}
	}
	ddb := byID["arn:aws:dynamodb:eu-west-1:111122223333:table/acme-orders"].Facts.Database
	if ddb == nil || ddb.Engine != "dynamodb" || fmtB(ddb.BackupEnabled) != "true" || fmtB(ddb.Encrypted) != "true" {
		t.Errorf("DynamoDB facts %+v", ddb)
	}
	dw := byID["arn:aws:redshift:eu-west-1:111122223333:cluster:acme-dw"].Facts.Database
	if dw == nil || fmtB(dw.PublicEndpoint) != "false" || fmtB(dw.Encrypted) != "true" || dw.BackupRetentionDays == nil || *dw.BackupRetentionDays != 1 {
		t.Errorf("Redshift facts %+v", dw)
	}
}

// A rule that is disabled copies nothing; an item without the
// replication configuration has no paths.
func TestS3ReplicationDisabledRule(t *testing.T) {
	r := &resource.Resource{ID: "arn:aws:s3:::b", Region: "eu-west-1"}
	supp := node{M: map[string]any{"BucketReplicationConfiguration": map[string]any{"rules": []any{
		map[string]any{"status": "Disabled", "destinationConfig": map[string]any{"bucketARN": "arn:aws:s3:::x"}},
		map[string]any{"status": "Enabled", "destination": map[string]any{"bucket": "y", "region": "us-east-1"}},
	}}}, C: &checker{}}
	s3Replication(&item{r: r, supp: supp})
	if got, want := locs(r), []string{"us-east-1|s3-replication|arn:aws:s3:::y"}; !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}
