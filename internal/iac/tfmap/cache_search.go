package tfmap

import (
	"github.com/vigil-sec/vigil/internal/iac/awsnorm"
	"strings"

	"github.com/vigil-sec/vigil/internal/resource"
)

// cacheReplicationGroup: aws_elasticache_replication_group (Redis OSS or
// Valkey), a database with the facts the AWS Config importer gives the
// deployed group. The API's defaults apply where an argument is absent:
// no encryption at rest or in transit, no snapshots, one zone. Transit
// encryption in "preferred" mode still accepts clear-text clients, so TLS
// is required only in "required" mode (or without a mode, as before
// modes existed).
func cacheReplicationGroup(m *mapper, r *inst, out *resource.Resource) {
	d := &resource.Database{Engine: "redis", PublicEndpoint: boolp(false)}
	out.Facts.Database = d
	if e, st := m.str(r.a, "engine"); st == ok {
		d.Engine = strings.ToLower(e)
	}
	// ElastiCache's default: encrypted at rest for Valkey, not for Redis OSS.
	d.Encrypted = m.boolean(r.a, boolp(d.Engine == "valkey"), "at_rest_encryption_enabled")
	if d.Encrypted != nil && *d.Encrypted {
		d.KeyManager = namedKeyManager(r.a, "kms_key_id")
	}
	d.SSLRequired = m.boolean(r.a, boolp(false), "transit_encryption_enabled")
	if d.SSLRequired != nil && *d.SSLRequired {
		switch mode, st := m.str(r.a, "transit_encryption_mode"); st {
		case ok:
			d.SSLRequired = boolp(!strings.EqualFold(mode, "preferred"))
		case unknownSt, bad:
			d.SSLRequired = nil
		}
	}
	d.BackupRetentionDays = m.integer(r.a, resource.Int(0), "snapshot_retention_limit")
	if d.BackupRetentionDays != nil {
		d.BackupEnabled = boolp(*d.BackupRetentionDays > 0)
	}
	d.MultiAZ = m.boolean(r.a, boolp(false), "multi_az_enabled")
	m.relate(out, resource.RelUsesKey, r.a["kms_key_id"], "aws_kms_key")
}

// cacheCluster: aws_elasticache_cluster. A cluster of a replication group
// (replication_group_id) is a node of that group and judged with it; one of
// its own is read by awsnorm.CacheCluster (Memcached or single-node Redis
// OSS, with the API's defaults).
func cacheCluster(m *mapper, r *inst, out *resource.Resource) {
	if _, st := look(r.a, "replication_group_id"); st != absent {
		out.Class = ""
		return
	}
	e, st := m.str(r.a, "engine")
	if st != ok {
		out.Facts.Database = &resource.Database{PublicEndpoint: boolp(false)}
		return
	}
	mode, _ := m.str(r.a, "az_mode")
	nt, _ := m.str(r.a, "node_type")
	out.Facts.Database = awsnorm.CacheCluster{Engine: e, NodeType: nt, AZMode: mode,
		Transit:   m.boolean(r.a, boolp(false), "transit_encryption_enabled"),
		Retention: m.integer(r.a, resource.Int(0), "snapshot_retention_limit")}.Database()
}

// searchDomain: aws_opensearch_domain and aws_elasticsearch_domain. At
// rest: encrypt_at_rest.enabled (off by default). TLS is required when the
// endpoint enforces HTTPS: off when domain_endpoint_options is absent (the
// API's default), on when the block is present without enforce_https (the
// provider's default). Without vpc_options the domain has a public
// endpoint (its access policy decides who may call it).
func searchDomain(m *mapper, r *inst, out *resource.Resource) {
	engine := "opensearch"
	if r.typ() == "aws_elasticsearch_domain" {
		engine = "elasticsearch"
	}
	d := &resource.Database{Engine: engine}
	out.Facts.Database = d
	d.Encrypted = m.boolean(r.a, boolp(false), "encrypt_at_rest", "enabled")
	if d.Encrypted != nil && *d.Encrypted {
		d.KeyManager = namedKeyManager(r.a, "encrypt_at_rest", "kms_key_id")
	}
	switch opts := present(r.a, "domain_endpoint_options"); {
	case opts == nil:
	case *opts:
		d.SSLRequired = m.boolean(r.a, boolp(true), "domain_endpoint_options", "enforce_https")
	default:
		d.SSLRequired = boolp(false)
	}
	if vpc := present(r.a, "vpc_options"); vpc != nil {
		d.PublicEndpoint = boolp(!*vpc)
	}
	key, _ := look(r.a, "encrypt_at_rest", "kms_key_id")
	m.relate(out, resource.RelUsesKey, key, "aws_kms_key")
}

// azureRedisCache: azurerm_redis_cache, with the facts the Azure importer
// gives the deployed cache: TLS required unless the non-TLS port is
// enabled (non_ssl_port_enabled, enable_non_ssl_port before provider 4.0;
// off by default), public unless injected into a subnet or with public
// network access disabled (enabled by default); Azure encrypts it at rest.
func azureRedisCache(m *mapper, r *inst, out *resource.Resource) {
	d := &resource.Database{Engine: "redis", Encrypted: boolp(true), KeyManager: "provider"}
	out.Facts.Database = d
	nonTLS := m.boolean(r.a, boolp(false), first(r.a, "non_ssl_port_enabled", "enable_non_ssl_port"))
	if nonTLS != nil {
		d.SSLRequired = boolp(!*nonTLS)
	}
	if _, st := look(r.a, "subnet_id"); st != absent {
		d.PublicEndpoint = boolp(false)
	} else {
		d.PublicEndpoint = m.boolean(r.a, boolp(true), "public_network_access_enabled")
	}
}

// gcpRedisInstance: google_redis_instance (Memorystore for Redis), private
// and encrypted at rest; TLS required with transit_encryption_mode
// SERVER_AUTHENTICATION (DISABLED by default); a customer key when
// customer_managed_key is set; a zone replica on the STANDARD_HA tier
// (BASIC by default).
func gcpRedisInstance(m *mapper, r *inst, out *resource.Resource) {
	d := &resource.Database{Engine: "redis", PublicEndpoint: boolp(false), Encrypted: boolp(true), KeyManager: "provider"}
	out.Facts.Database = d
	if _, st := look(r.a, "customer_managed_key"); st != absent {
		d.KeyManager = "customer"
	}
	switch mode, st := m.str(r.a, "transit_encryption_mode"); st {
	case ok:
		d.SSLRequired = boolp(mode == "SERVER_AUTHENTICATION")
	case absent:
		d.SSLRequired = boolp(false)
	}
	switch tier, st := m.str(r.a, "tier"); st {
	case ok:
		d.MultiAZ = boolp(tier == "STANDARD_HA")
	case absent:
		d.MultiAZ = boolp(false)
	}
}

// kinesisStream: aws_kinesis_stream, a queue of kind stream, encrypted only
// with encryption_type KMS (NONE by default).
func kinesisStream(m *mapper, r *inst, out *resource.Resource) {
	q := &resource.Queue{Kind: "stream"}
	out.Facts.Queue = q
	switch typ, st := m.str(r.a, "encryption_type"); {
	case st == ok && strings.EqualFold(typ, "KMS"):
		q.Encrypted = boolp(true)
		key, _ := look(r.a, "kms_key_id")
		q.KeyManager = keyManager(key)
		m.relate(out, resource.RelUsesKey, key, "aws_kms_key")
	case st == ok || st == absent:
		q.Encrypted = boolp(false)
	}
}
