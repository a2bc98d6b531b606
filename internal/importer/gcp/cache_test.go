package gcp

import (
	"reflect"
	"testing"

	"github.com/vigil-sec/vigil/internal/resource"
)

// Memorystore for Redis instances are private databases: TLS required only
// with server authentication, a customer key when one is named, a replica
// in another zone on the STANDARD_HA tier.
func TestRedisInstance(t *testing.T) {
	m, _, _ := load(t, "cache.ndjson")
	const prefix = "//redis.googleapis.com/projects/acme-prod/locations/europe-west1/instances/"
	for _, tc := range []struct {
		name string
		want resource.Database
	}{
		{"sessions", resource.Database{Engine: "redis", PublicEndpoint: boolp(false), Encrypted: boolp(true), KeyManager: "provider",
			SSLRequired: boolp(false), MultiAZ: boolp(false)}},
		{"ledger-cache", resource.Database{Engine: "redis", PublicEndpoint: boolp(false), Encrypted: boolp(true), KeyManager: "customer",
			SSLRequired: boolp(true), MultiAZ: boolp(true)}},
	} {
		r := m[prefix+tc.name]
		if r == nil || r.Class != resource.ClassDatabase || r.Facts.Database == nil {
			t.Fatalf("%s: %+v", tc.name, r)
		}
		if got := *r.Facts.Database; !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s:\n got %+v\nwant %+v", tc.name, got, tc.want)
		}
	}
}
