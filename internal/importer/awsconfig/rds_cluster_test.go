package awsconfig

import (
	"reflect"
	"testing"

	"github.com/vigil-sec/vigil/internal/resource"
)

// RDS DB clusters (Aurora, a Multi-AZ DB cluster, DocumentDB) as AWS
// Config records them are databases with the facts their CloudFormation and
// Terraform forms carry, so the database rules judge them live too.
func TestRDSClusters(t *testing.T) {
	byID, _, _ := load(t, "rds_cluster.json")
	for _, tc := range []struct {
		id   string
		want resource.Database
		locs []string
	}{
		{"arn:aws:rds:eu-west-1:111122223333:cluster:acme-orders", resource.Database{Engine: "aurora-postgresql",
			Encrypted: boolp(true), BackupEnabled: boolp(true), BackupRetentionDays: resource.Int(1),
			MultiAZ: boolp(true), DeletionProtection: boolp(false)},
			[]string{"us-east-1|rds-read-replica|arn:aws:rds:us-east-1:111122223333:cluster:acme-orders-dr"}},
		{"arn:aws:rds:eu-west-1:111122223333:cluster:acme-catalog", resource.Database{Engine: "docdb",
			Encrypted: boolp(false), BackupEnabled: boolp(true), BackupRetentionDays: resource.Int(7),
			MultiAZ: boolp(false), DeletionProtection: boolp(true)}, nil},
		// Only a Multi-AZ DB cluster says whether it is publicly accessible;
		// the aws/rds alias is the provider's key.
		{"arn:aws:rds:eu-west-1:111122223333:cluster:acme-ledger", resource.Database{Engine: "postgres",
			PublicEndpoint: boolp(true), Encrypted: boolp(true), KeyManager: "provider", BackupEnabled: boolp(true),
			BackupRetentionDays: resource.Int(14), MultiAZ: boolp(true), DeletionProtection: boolp(true)}, nil},
	} {
		r := mustGet(t, byID, tc.id)
		if r.Class != resource.ClassDatabase || r.Facts.Database == nil {
			t.Fatalf("%s: class %s, database facts %v", tc.id, r.Class, r.Facts.Database)
		}
		if got := *r.Facts.Database; !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s:\n got %+v\nwant %+v", tc.id, got, tc.want)
		}
		if got := locs(r); !reflect.DeepEqual(got, tc.locs) {
			t.Errorf("%s: replication %v, want %v", tc.id, got, tc.locs)
		}
	}
}
