package azure

import "github.com/vigil-sec/vigil/internal/resource"

// TypeRedisCache is an Azure Cache for Redis.
const TypeRedisCache = "Microsoft.Cache/Redis"

// redisCache: Azure Cache for Redis as Resource Graph and ARM show it. TLS
// is required unless the non-TLS port (6379) is enabled; the cache is
// reachable from the internet unless it is injected into a virtual network
// (subnetId) or its public network access is disabled. Azure encrypts the
// cache's disks and persistence files with its own keys.
func redisCache(r *resource.Resource, _, p node) {
	r.Class = resource.ClassDatabase
	d := &resource.Database{Engine: "redis", Encrypted: resource.Bool(true), KeyManager: "provider"}
	r.Facts.Database = d
	if !p.Present() {
		return
	}
	if nonTLS, st := p.Boolean("enableNonSslPort"); st == ok {
		d.SSLRequired = resource.Bool(!*nonTLS)
	}
	switch subnet, st := p.Str("subnetId"); {
	case st == bad: // unknown: whether the cache is injected decides
	case subnet != "":
		d.PublicEndpoint = resource.Bool(false)
	default:
		switch p.Enum(k("publicNetworkAccess"), "Enabled", "Disabled") {
		case 0:
			d.PublicEndpoint = resource.Bool(true)
		case 1:
			d.PublicEndpoint = resource.Bool(false)
		}
	}
}
