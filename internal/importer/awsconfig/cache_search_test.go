package awsconfig

import (
	"reflect"
	"testing"

	"github.com/vigil-sec/vigil/internal/resource"
)

// ElastiCache replication groups and OpenSearch/Elasticsearch domains, in
// both shapes AWS Config records (DescribeX in camelCase, CloudFormation
// properties), are databases with the facts their Terraform and
// CloudFormation forms carry.
func TestCacheAndSearchDatabases(t *testing.T) {
	byID, _, _ := load(t, "cache_search.json")
	for _, tc := range []struct {
		id   string
		want resource.Database
	}{
		// Transit encryption in "preferred" mode still accepts clear text.
		{"arn:aws:elasticache:eu-west-1:111122223333:replicationgroup:acme-sessions", resource.Database{Engine: "valkey",
			PublicEndpoint: boolp(false), Encrypted: boolp(true), BackupEnabled: boolp(false), BackupRetentionDays: resource.Int(0),
			SSLRequired: boolp(false), MultiAZ: boolp(true)}},
		{"arn:aws:elasticache:eu-west-1:111122223333:replicationgroup:acme-rates", resource.Database{Engine: "redis",
			PublicEndpoint: boolp(false), Encrypted: boolp(false), BackupEnabled: boolp(true), BackupRetentionDays: resource.Int(7),
			SSLRequired: boolp(true), MultiAZ: boolp(false)}},
		{"arn:aws:es:eu-west-1:111122223333:domain/acme-logs", resource.Database{Engine: "opensearch",
			PublicEndpoint: boolp(true), Encrypted: boolp(true), KeyManager: "provider", SSLRequired: boolp(false)}},
		// Encrypted without a key named: the service's own key.
		{"arn:aws:es:eu-west-1:111122223333:domain/acme-metrics", resource.Database{Engine: "opensearch",
			PublicEndpoint: boolp(false), Encrypted: boolp(true), KeyManager: "provider", SSLRequired: boolp(true)}},
		{"arn:aws:es:eu-west-1:111122223333:domain/acme-search", resource.Database{Engine: "elasticsearch",
			PublicEndpoint: boolp(false), Encrypted: boolp(false), SSLRequired: boolp(true)}},
	} {
		r := mustGet(t, byID, tc.id)
		if r.Class != resource.ClassDatabase || r.Facts.Database == nil {
			t.Fatalf("%s: class %s, database facts %v", tc.id, r.Class, r.Facts.Database)
		}
		if got := *r.Facts.Database; !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s:\n got %+v\nwant %+v", tc.id, got, tc.want)
		}
	}
}
