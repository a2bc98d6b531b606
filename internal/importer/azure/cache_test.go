package azure

import (
	"reflect"
	"testing"

	"github.com/vigil-sec/vigil/internal/resource"
)

// Azure Cache for Redis rows are databases: TLS required unless the non-TLS
// port is open, public unless injected into a subnet or closed to public
// networks.
func TestRedisCache(t *testing.T) {
	m, _ := load(t, "cache.json")
	enc := func(d resource.Database) resource.Database {
		d.Engine, d.Encrypted, d.KeyManager = "redis", resource.Bool(true), "provider"
		return d
	}
	for _, tc := range []struct {
		suffix string
		want   resource.Database
	}{
		{"/Microsoft.Cache/Redis/redis-sessions", enc(resource.Database{PublicEndpoint: resource.Bool(true), SSLRequired: resource.Bool(false)})},
		{"/Microsoft.Cache/Redis/redis-private", enc(resource.Database{PublicEndpoint: resource.Bool(false), SSLRequired: resource.Bool(true)})},
		{"/Microsoft.Cache/Redis/redis-locked", enc(resource.Database{PublicEndpoint: resource.Bool(false), SSLRequired: resource.Bool(true)})},
	} {
		r := get(t, m, "/resourceGroups/rg-cache/providers"+tc.suffix)
		if r.Class != resource.ClassDatabase || r.Type != TypeRedisCache || r.Facts.Database == nil {
			t.Fatalf("%s: class %s, type %s, facts %v", tc.suffix, r.Class, r.Type, r.Facts.Database)
		}
		if got := *r.Facts.Database; !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s:\n got %+v\nwant %+v", tc.suffix, got, tc.want)
		}
	}
}
