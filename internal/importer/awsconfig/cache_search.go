package awsconfig

import (
	"strings"

	"github.com/vigil-sec/vigil/internal/importer/internal/attr"
	"github.com/vigil-sec/vigil/internal/resource"
)

// Types of the managed caches and search domains read as databases.
const (
	TypeCacheReplicationGroup = "AWS::ElastiCache::ReplicationGroup"
	TypeOpenSearchDomain      = "AWS::OpenSearch::Domain"
	TypeElasticsearchDomain   = "AWS::Elasticsearch::Domain"
)

// cacheReplicationGroup: AWS::ElastiCache::ReplicationGroup, a Redis OSS
// or Valkey group (DescribeReplicationGroups in camelCase, or the
// CloudFormation properties: field names are matched without regard to
// case, and multiAZ is "enabled"/"disabled" in the first, MultiAZEnabled a
// boolean in the second). ElastiCache lives in a VPC: never a public
// endpoint. TLS is required when transit encryption is on in any mode but
// "preferred", which still accepts clear-text clients.
func cacheReplicationGroup(it *item) {
	r, cfg := it.r, it.cfg
	r.Class = resource.ClassDatabase
	d := &resource.Database{PublicEndpoint: boolp(false)}
	r.Facts.Database = d
	if !cfg.Present() {
		return
	}
	if id := cfg.S("replicationGroupId"); id != "" && r.Name == "" {
		r.Name = id
	}
	d.Engine = strings.ToLower(cfg.S("engine"))
	if d.Engine == "" {
		d.Engine = "redis"
	}
	d.Encrypted = cfg.B("atRestEncryptionEnabled")
	kms, kst := cfg.Str("kmsKeyId")
	d.KeyManager = encryptedKeyManager(d.Encrypted, kms, kst)
	d.SSLRequired = cfg.B("transitEncryptionEnabled")
	if d.SSLRequired != nil && *d.SSLRequired {
		if mode, st := cfg.Str("transitEncryptionMode"); st == ok {
			d.SSLRequired = boolp(!strings.EqualFold(mode, "preferred"))
		}
	}
	if days := cfg.I("snapshotRetentionLimit"); days != nil {
		d.BackupRetentionDays = days
		d.BackupEnabled = boolp(*days > 0)
	}
	if m, st := cfg.Str("multiAZ"); st == ok {
		d.MultiAZ = boolp(strings.EqualFold(m, "enabled"))
	} else {
		d.MultiAZ = cfg.B("multiAZEnabled")
	}
	attr.Relate(r, resource.RelUsesKey, kms)
}

// searchDomain: AWS::OpenSearch::Domain and AWS::Elasticsearch::Domain
// (DescribeDomain's DomainStatus in camelCase or the CloudFormation
// properties, matched without regard to case). A domain outside a VPC
// (no VPC options with subnets) has a public endpoint; its access policy
// decides who may call it. TLS is required when the endpoint enforces
// HTTPS.
func searchDomain(engine string) normalizer {
	return func(it *item) {
		r, cfg := it.r, it.cfg
		r.Class = resource.ClassDatabase
		d := &resource.Database{Engine: engine}
		r.Facts.Database = d
		if !cfg.Present() {
			return
		}
		if n := cfg.S("domainName"); n != "" && r.Name == "" {
			r.Name = n
		}
		if e := strings.ToLower(cfg.S("engineVersion")); strings.HasPrefix(e, "elasticsearch_") {
			d.Engine = "elasticsearch"
		}
		d.Encrypted = cfg.B("encryptionAtRestOptions", "enabled")
		kms, kst := cfg.Str("encryptionAtRestOptions", "kmsKeyId")
		d.KeyManager = encryptedKeyManager(d.Encrypted, kms, kst)
		d.SSLRequired = cfg.B("domainEndpointOptions", "enforceHTTPS")
		subnets, st := cfg.Strs("vpcOptions", "subnetIds")
		switch {
		case st == ok && len(subnets) > 0:
			d.PublicEndpoint = boolp(false)
		case st == absent:
			d.PublicEndpoint = boolp(true)
		}
		attr.Relate(r, resource.RelUsesKey, kms)
	}
}

// encryptedKeyManager is the key manager of a resource encrypted at rest
// (none when not, or not known): the service's own key when the item
// names none, the named key's otherwise (resolved from the key's item when
// named by ID or ARN).
func encryptedKeyManager(encrypted *bool, kms string, st state) string {
	switch {
	case encrypted == nil || !*encrypted || st == bad:
		return ""
	case st == absent:
		return "provider"
	}
	return keyManager(kms)
}
