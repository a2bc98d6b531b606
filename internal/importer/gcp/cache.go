package gcp

import "github.com/vigil-sec/vigil/internal/resource"

// TypeRedisInstance is a Memorystore for Redis instance.
const TypeRedisInstance = "redis.googleapis.com/Instance"

// redisInstance: a Memorystore for Redis instance (the Cloud Asset's
// resource.data is the API's Instance). It has only a private address;
// Google encrypts it at rest, with the customer's key when
// customerManagedKey names one; TLS is required when transitEncryptionMode
// is SERVER_AUTHENTICATION (the default is DISABLED); a STANDARD_HA
// instance keeps a replica in another zone.
func redisInstance(_ *file, r *resource.Resource, d, _ node) {
	r.Class = resource.ClassDatabase
	db := &resource.Database{Engine: "redis", PublicEndpoint: boolp(false), Encrypted: boolp(true), KeyManager: "provider"}
	r.Facts.Database = db
	if !d.present() {
		return
	}
	if d.s("customerManagedKey") != "" {
		db.KeyManager = "customer"
	}
	switch mode, st := d.str("transitEncryptionMode"); {
	case st == ok:
		db.SSLRequired = boolp(mode == "SERVER_AUTHENTICATION")
	case st == absent:
		db.SSLRequired = boolp(false)
	}
	switch tier, st := d.str("tier"); {
	case st == ok && tier != "":
		db.MultiAZ = boolp(tier == "STANDARD_HA")
	}
}
