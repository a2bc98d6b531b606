package awsconfig

import (
	"strings"

	"github.com/vigil-sec/vigil/internal/importer/internal/attr"
	"github.com/vigil-sec/vigil/internal/resource"
)

// Replication paths (resource.DataLocation Path) the AWS importer reads.
const (
	PathS3Replication   = "s3-replication"
	PathDynamoDBGlobal  = "dynamodb-global-table"
	PathRDSReadReplica  = "rds-read-replica"
	PathBackupCopy      = "backup-copy"
	PathSnapshotCopy    = resource.PathSnapshotCopy
	TypeDynamoDBTable   = "AWS::DynamoDB::Table"
	TypeDynamoDBGlobal  = "AWS::DynamoDB::GlobalTable"
	TypeRedshiftCluster = "AWS::Redshift::Cluster"
	TypeBackupVault     = "AWS::Backup::BackupVault"
	TypeBackupPlan      = "AWS::Backup::BackupPlan"
)

// regionOfARN returns the region element of an ARN, "" when s is not an
// ARN or names no region (S3 bucket ARNs).
func regionOfARN(s string) string {
	if !strings.HasPrefix(s, "arn:") {
		return ""
	}
	parts := strings.SplitN(s, ":", 6)
	if len(parts) < 6 {
		return ""
	}
	return parts[3]
}

// withRegion returns arn with its region element replaced.
func withRegion(arn, region string) string {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) < 6 || region == "" {
		return ""
	}
	parts[3] = region
	return strings.Join(parts, ":")
}

// readPaths runs read, which records r's replication paths, and leaves
// them unknown (no Data) when a field on the way had the wrong type: a
// partial list could hide the path that carries data out.
func readPaths(it *item, read func()) {
	c := it.root.C
	if c == nil {
		c = it.supp.C
	}
	if c == nil {
		read()
		return
	}
	before := c.Count()
	read()
	if c.Count() != before {
		it.r.Facts.Data = nil
	}
}

// s3Replication reads the bucket's replication rules
// (supplementaryConfiguration.BucketReplicationConfiguration, the shape of
// GetBucketReplication: rules[].destinationConfig.bucketARN, or
// rules[].destination.bucket). A destination bucket ARN carries no
// region: Finalize resolves it from the destination bucket's own item
// when the inventory has it; a rule's destination region, when the export
// adds one, is taken as given. Disabled rules copy nothing.
func s3Replication(it *item) {
	rc, st := it.supp.Obj("BucketReplicationConfiguration")
	if st != ok {
		return
	}
	readPaths(it, func() { s3Rules(it.r, rc) })
}

func s3Rules(r *resource.Resource, rc node) {
	rules, _ := rc.Objs("rules")
	for _, rule := range rules {
		if status := rule.S("status"); status != "" && !strings.EqualFold(status, "Enabled") {
			continue
		}
		dest := rule.O("destinationConfig")
		if !dest.Present() {
			dest = rule.O("destination")
		}
		target := dest.S("bucketARN")
		if target == "" {
			target = dest.S("bucket")
		}
		if target != "" && !strings.HasPrefix(target, "arn:") {
			target = "arn:aws:s3:::" + target
		}
		attr.Replicate(r, dest.S("region"), PathS3Replication, target)
	}
}

// dynamoDBTable: AWS::DynamoDB::Table (DescribeTable in camelCase). A
// global table (version 2019.11.21) lists its replicas with their
// regions: each other region holds a full copy.
func dynamoDBTable(it *item) {
	r, cfg := it.r, it.cfg
	r.Class = resource.ClassDatabase
	d := &resource.Database{Engine: "dynamodb", PublicEndpoint: boolp(false)}
	r.Facts.Database = d
	if !cfg.Present() {
		return
	}
	if n := cfg.S("tableName"); n != "" {
		r.Name = n
	}
	// DynamoDB always encrypts at rest; sSEDescription is present only
	// with a KMS key (AWS managed or customer managed).
	d.Encrypted = boolp(true)
	d.KeyManager = "provider"
	if key := cfg.S("sSEDescription", "kMSMasterKeyArn"); key != "" {
		d.KeyManager = keyManager(key)
		attr.Relate(r, resource.RelUsesKey, key)
	}
	if pitr := it.supp.S("ContinuousBackupsDescription", "pointInTimeRecoveryDescription", "pointInTimeRecoveryStatus"); pitr != "" {
		d.BackupEnabled = boolp(strings.EqualFold(pitr, "ENABLED"))
	}
	d.DeletionProtection = cfg.B("deletionProtectionEnabled")
	readPaths(it, func() {
		replicas, _ := cfg.Objs("replicas")
		for _, rep := range replicas {
			reg := rep.S("regionName")
			if reg == "" || reg == r.Region {
				continue
			}
			attr.Replicate(r, reg, PathDynamoDBGlobal, withRegion(r.ID, reg))
		}
	})
}

// dynamoDBGlobalTable: AWS::DynamoDB::GlobalTable (the CloudFormation
// resource's properties: TableName, Replicas[].Region).
func dynamoDBGlobalTable(it *item) {
	r, cfg := it.r, it.cfg
	r.Class = resource.ClassDatabase
	r.Facts.Database = &resource.Database{Engine: "dynamodb", PublicEndpoint: boolp(false), Encrypted: boolp(true)}
	if !cfg.Present() {
		return
	}
	if n := cfg.S("TableName"); n != "" {
		r.Name = n
	}
	readPaths(it, func() {
		replicas, _ := cfg.Objs("Replicas")
		for _, rep := range replicas {
			reg := rep.S("Region")
			if reg == "" || reg == r.Region {
				continue
			}
			target := ""
			if strings.HasPrefix(r.ID, "arn:") {
				target = withRegion(r.ID, reg)
			}
			attr.Replicate(r, reg, PathDynamoDBGlobal, target)
		}
	})
}

// rdsReplication reads an RDS instance's read replicas (a cross-region
// replica is named by its ARN, which carries the region; a same-region
// one by its identifier) and its automated-backup replications (ARNs of
// the replicated automated backups in the destination region).
func rdsReplication(it *item) {
	readPaths(it, func() { rdsPaths(it.r, it.cfg) })
}

func rdsPaths(r *resource.Resource, cfg node) {
	replicas, _ := cfg.Strs("readReplicaDBInstanceIdentifiers")
	for _, id := range replicas {
		reg := regionOfARN(id)
		target := id
		if reg == "" {
			reg = r.Region
			if strings.HasPrefix(r.ID, "arn:") {
				target = withRegion(r.ID, reg)
				if i := strings.LastIndex(target, ":"); i >= 0 {
					target = target[:i+1] + id
				}
			}
		}
		attr.Replicate(r, reg, PathRDSReadReplica, target)
	}
	backups, _ := cfg.Objs("dBInstanceAutomatedBackupsReplications")
	for _, b := range backups {
		arn := b.S("dBInstanceAutomatedBackupsArn")
		attr.Replicate(r, regionOfARN(arn), PathBackupCopy, arn)
	}
}

// redshiftCluster: AWS::Redshift::Cluster (DescribeClusters in
// camelCase). Cross-region snapshot copy (clusterSnapshotCopyStatus)
// keeps copies of every automated snapshot in the destination region.
func redshiftCluster(it *item) {
	r, cfg := it.r, it.cfg
	r.Class = resource.ClassDataWarehouse
	d := &resource.Database{Engine: "redshift"}
	r.Facts.Database = d
	if !cfg.Present() {
		return
	}
	d.PublicEndpoint = cfg.B("publiclyAccessible")
	d.Encrypted = cfg.B("encrypted")
	if kms := cfg.S("kmsKeyId"); kms != "" && d.Encrypted != nil && *d.Encrypted {
		d.KeyManager = keyManager(kms)
		attr.Relate(r, resource.RelUsesKey, kms)
	}
	if days := cfg.I("automatedSnapshotRetentionPeriod"); days != nil {
		d.BackupRetentionDays = days
		d.BackupEnabled = boolp(*days > 0)
	}
	readPaths(it, func() {
		if reg := cfg.S("clusterSnapshotCopyStatus", "destinationRegion"); reg != "" {
			attr.Replicate(r, reg, PathSnapshotCopy, "")
		}
	})
}

// backupVault: AWS::Backup::BackupVault (CloudFormation properties).
// Copy actions of the backup plans that back up into it are added by
// Finalize.
func backupVault(it *item) {
	r, cfg := it.r, it.cfg
	r.Class = resource.ClassBackupVault
	if n := cfg.S("BackupVaultName"); n != "" {
		r.Name = n
	}
	if kms := cfg.S("EncryptionKeyArn"); kms != "" {
		attr.Relate(r, resource.RelUsesKey, kms)
	}
}

// finishReplication completes replication paths that need other items:
// an S3 destination bucket's region from the bucket's own item, and AWS
// Backup plan copy actions onto the vault the rule backs up into.
func finishReplication(rs []*resource.Resource, byType map[string][]*resource.Resource) {
	buckets := map[string]*resource.Resource{}
	for _, b := range byType["AWS::S3::Bucket"] {
		buckets[b.ID] = b
	}
	for _, b := range byType["AWS::S3::Bucket"] {
		if b.Facts.Data == nil {
			continue
		}
		for i, l := range b.Facts.Data.Locations {
			if l.Path == PathS3Replication && l.Region == "" {
				if dest := buckets[l.Target]; dest != nil && dest.Region != "global" {
					b.Facts.Data.Locations[i].Region = dest.Region
				}
			}
		}
	}
	vaults := map[string]*resource.Resource{} // account|region|name
	for _, v := range byType[TypeBackupVault] {
		vaults[v.Account+"|"+v.Region+"|"+v.Name] = v
	}
	for _, p := range byType[TypeBackupPlan] {
		for _, rule := range attr.Objs(attr.Obj(p.Raw, "configuration"), "BackupPlan", "BackupPlanRule") {
			v := vaults[p.Account+"|"+p.Region+"|"+attr.Str(rule, "TargetBackupVault")]
			if v == nil {
				continue
			}
			for _, c := range attr.Objs(rule, "CopyActions") {
				arn := attr.Str(c, "DestinationBackupVaultArn")
				attr.Replicate(v, regionOfARN(arn), PathBackupCopy, arn)
			}
		}
	}
}
