package awsconfig

import (
	"strings"

	"github.com/vigil-sec/vigil/internal/importer/internal/attr"
	"github.com/vigil-sec/vigil/internal/resource"
)

// TypeRDSCluster is an RDS DB cluster: Aurora, a Multi-AZ DB cluster, and
// the DocumentDB and Neptune clusters the RDS API lists beside them
// (engine docdb, neptune).
const TypeRDSCluster = "AWS::RDS::DBCluster"

// rdsCluster: AWS::RDS::DBCluster (DescribeDBClusters in Config's
// camelCase: storageEncrypted, kmsKeyId, backupRetentionPeriod,
// deletionProtection, multiAZ, publiclyAccessible). The facts mean what
// they mean on a DB instance and on the CloudFormation and Terraform
// cluster, so the same database rules judge the cluster live and in code.
// publiclyAccessible exists only on Multi-AZ DB clusters: an Aurora
// cluster's endpoint is public through its instances, judged there.
func rdsCluster(it *item) {
	d := rdsDatabase(it)
	if d == nil {
		return
	}
	r, cfg := it.r, it.cfg
	if id := cfg.S("dBClusterIdentifier"); id != "" && r.Name == "" {
		r.Name = id
	}
	d.Engine = strings.ToLower(cfg.S("engine"))
	readPaths(it, func() {
		// A cross-region Aurora replica cluster is listed by ARN.
		replicas, _ := cfg.Strs("readReplicaIdentifiers")
		for _, arn := range replicas {
			if reg := regionOfARN(arn); reg != "" {
				attr.Replicate(r, reg, PathRDSReadReplica, arn)
			}
		}
	})
}

// rdsDatabase makes an RDS DB instance or cluster item a database with the
// facts both carry under the same names; nil when the item has no
// configuration. An Aurora cluster keeps at least one day of automated
// backups (the period is never 0 there, but it can be shorter than the
// rules ask).
func rdsDatabase(it *item) *resource.Database {
	r, cfg := it.r, it.cfg
	r.Class = resource.ClassDatabase
	d := &resource.Database{}
	r.Facts.Database = d
	if !cfg.Present() {
		return nil
	}
	d.PublicEndpoint = cfg.B("publiclyAccessible")
	d.Encrypted = cfg.B("storageEncrypted")
	kms, kst := cfg.Str("kmsKeyId")
	if d.Encrypted != nil && *d.Encrypted && kst != bad {
		// RDS names even its default aws/rds key by ARN: the key's own
		// item decides (resolveKeys), unless the reference is an alias.
		d.KeyManager = keyManager(kms)
	}
	if days := cfg.I("backupRetentionPeriod"); days != nil {
		d.BackupRetentionDays = days
		d.BackupEnabled = boolp(*days > 0)
	}
	d.MultiAZ = cfg.B("multiAZ")
	d.DeletionProtection = cfg.B("deletionProtection")
	d.AutoMinorUpgrade = cfg.B("autoMinorVersionUpgrade")
	attr.Relate(r, resource.RelUsesKey, kms)
	return d
}
