package cloudformation

import (
	"github.com/vigil-sec/vigil/internal/iac/awsnorm"
	"strings"

	"github.com/vigil-sec/vigil/internal/resource"
)

// cacheReplicationGroup: AWS::ElastiCache::ReplicationGroup, with the facts
// the AWS Config importer gives the deployed group. Absent properties take
// the service's defaults: no encryption at rest or in transit, no
// snapshots, one zone. Transit encryption in "preferred" mode still
// accepts clear-text clients.
func cacheReplicationGroup(m *mapper, r *res, out *resource.Resource) {
	p := r.p
	d := &resource.Database{Engine: "redis", PublicEndpoint: boolp(false)}
	out.Facts.Database = d
	if e, st := m.str(p, "Engine"); st == ok {
		d.Engine = strings.ToLower(e)
	}
	// ElastiCache's default: encrypted at rest for Valkey, not for Redis OSS.
	d.Encrypted = m.boolean(p, boolp(d.Engine == "valkey"), "AtRestEncryptionEnabled")
	if d.Encrypted != nil && *d.Encrypted {
		d.KeyManager = namedKeyManager(p, "KmsKeyId")
	}
	d.SSLRequired = m.boolean(p, boolp(false), "TransitEncryptionEnabled")
	if d.SSLRequired != nil && *d.SSLRequired {
		switch mode, st := m.str(p, "TransitEncryptionMode"); st {
		case ok:
			d.SSLRequired = boolp(!strings.EqualFold(mode, "preferred"))
		case unknownSt, bad:
			d.SSLRequired = nil
		}
	}
	d.BackupRetentionDays = m.integer(p, resource.Int(0), "SnapshotRetentionLimit")
	if d.BackupRetentionDays != nil {
		d.BackupEnabled = boolp(*d.BackupRetentionDays > 0)
	}
	d.MultiAZ = m.boolean(p, boolp(false), "MultiAZEnabled")
	m.relate(out, resource.RelUsesKey, p["KmsKeyId"])
}

// cacheCluster: AWS::ElastiCache::CacheCluster outside a replication
// group, read by awsnorm.CacheCluster (Memcached or single-node Redis OSS,
// with the API's defaults).
func cacheCluster(m *mapper, r *res, out *resource.Resource) {
	p := r.p
	e, st := m.str(p, "Engine")
	if st != ok {
		out.Facts.Database = &resource.Database{PublicEndpoint: boolp(false)}
		return
	}
	mode, _ := m.str(p, "AZMode")
	nt, _ := m.str(p, "CacheNodeType")
	out.Facts.Database = awsnorm.CacheCluster{Engine: e, NodeType: nt, AZMode: mode,
		Transit:   m.boolean(p, boolp(false), "TransitEncryptionEnabled"),
		Retention: m.integer(p, resource.Int(0), "SnapshotRetentionLimit")}.Database()
}

// searchDomain: AWS::OpenSearchService::Domain and AWS::Elasticsearch::Domain.
// Encryption at rest and HTTPS enforcement are off unless set; without
// VPCOptions the domain has a public endpoint.
func searchDomain(engine string) func(m *mapper, r *res, out *resource.Resource) {
	return func(m *mapper, r *res, out *resource.Resource) {
		p := r.p
		d := &resource.Database{Engine: engine}
		out.Facts.Database = d
		if v := strings.ToLower(m.s(p, "EngineVersion")); strings.HasPrefix(v, "elasticsearch_") {
			d.Engine = "elasticsearch"
		}
		d.Encrypted = m.boolean(p, boolp(false), "EncryptionAtRestOptions", "Enabled")
		if d.Encrypted != nil && *d.Encrypted {
			d.KeyManager = namedKeyManager(p, "EncryptionAtRestOptions", "KmsKeyId")
		}
		d.SSLRequired = m.boolean(p, boolp(false), "DomainEndpointOptions", "EnforceHTTPS")
		switch _, st := look(p, "VPCOptions", "SubnetIds"); st {
		case ok:
			d.PublicEndpoint = boolp(false)
		case absent:
			d.PublicEndpoint = boolp(true)
		}
		k, _ := look(p, "EncryptionAtRestOptions", "KmsKeyId")
		m.relate(out, resource.RelUsesKey, k)
	}
}

// kinesisStream: AWS::Kinesis::Stream, a queue of kind stream, encrypted
// only when StreamEncryption says KMS (no encryption by default).
func kinesisStream(m *mapper, r *res, out *resource.Resource) {
	p := r.p
	q := &resource.Queue{Kind: "stream"}
	out.Facts.Queue = q
	switch typ, st := m.str(p, "StreamEncryption", "EncryptionType"); {
	case st == ok && strings.EqualFold(typ, "KMS"):
		q.Encrypted = boolp(true)
		key, _ := look(p, "StreamEncryption", "KeyId")
		q.KeyManager = keyManager(key)
		m.relate(out, resource.RelUsesKey, key)
	case st == ok || st == absent:
		q.Encrypted = boolp(false)
	}
}

// namedKeyManager is the key manager of an encrypted resource whose key,
// if any, is at path: the service's own key ("provider") when none is
// named.
func namedKeyManager(p any, path ...string) string {
	k, st := look(p, path...)
	if st == absent {
		return "provider"
	}
	return keyManager(k)
}
