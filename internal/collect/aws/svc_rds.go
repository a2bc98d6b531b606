package awscollect

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/rds"
	"github.com/aws/aws-sdk-go-v2/service/rds/types"
)

// runRDS collects DB instances (AWS::RDS::DBInstance, what the importer
// reads), DB clusters and the manual DB and cluster snapshots with their
// restore attribute (who may restore them: "all" is public), as AWS Config
// records them.
func runRDS(ctx context.Context, t *Task) error {
	c := rds.NewFromConfig(t.Config)
	_, err := pages(ctx, t, "rds", "rds:DescribeDBInstances",
		rds.NewDescribeDBInstancesPaginator(rdsDescribeDBInstances(c.DescribeDBInstances), &rds.DescribeDBInstancesInput{}),
		func(o *rds.DescribeDBInstancesOutput) *string { return o.Marker },
		func(o *rds.DescribeDBInstancesOutput) {
			for _, db := range o.DBInstances {
				t.Item(rdsInstanceItem(db))
			}
		})
	if err != nil {
		return err
	}
	_, err = pages(ctx, t, "rds", "rds:DescribeDBClusters",
		rds.NewDescribeDBClustersPaginator(rdsDescribeDBClusters(c.DescribeDBClusters), &rds.DescribeDBClustersInput{}),
		func(o *rds.DescribeDBClustersOutput) *string { return o.Marker },
		func(o *rds.DescribeDBClustersOutput) {
			for _, cl := range o.DBClusters {
				t.Item(rdsClusterItem(cl))
			}
		})
	if err != nil {
		return err
	}
	var snaps []types.DBSnapshot
	_, err = pages(ctx, t, "rds", "rds:DescribeDBSnapshots",
		rds.NewDescribeDBSnapshotsPaginator(rdsDescribeDBSnapshots(c.DescribeDBSnapshots), &rds.DescribeDBSnapshotsInput{}),
		func(o *rds.DescribeDBSnapshotsOutput) *string { return o.Marker },
		func(o *rds.DescribeDBSnapshotsOutput) { snaps = append(snaps, o.DBSnapshots...) })
	if err != nil {
		return err
	}
	err = each(ctx, snaps, func(s types.DBSnapshot) {
		var attrs []types.DBSnapshotAttribute
		// Only manual snapshots can be shared; an automated one has no
		// restore attribute to read.
		if str(s.SnapshotType) == "manual" {
			out, err := c.DescribeDBSnapshotAttributes(ctx, &rds.DescribeDBSnapshotAttributesInput{DBSnapshotIdentifier: s.DBSnapshotIdentifier})
			if err != nil {
				t.Fail("rds", "rds:DescribeDBSnapshotAttributes", str(s.DBSnapshotArn), err)
			} else if out.DBSnapshotAttributesResult != nil {
				attrs = out.DBSnapshotAttributesResult.DBSnapshotAttributes
				if attrs == nil {
					attrs = []types.DBSnapshotAttribute{}
				}
			}
		}
		t.Item(rdsSnapshotItem(s, attrs))
	})
	if err != nil {
		return err
	}
	var csnaps []types.DBClusterSnapshot
	_, err = pages(ctx, t, "rds", "rds:DescribeDBClusterSnapshots",
		rds.NewDescribeDBClusterSnapshotsPaginator(rdsDescribeDBClusterSnapshots(c.DescribeDBClusterSnapshots), &rds.DescribeDBClusterSnapshotsInput{}),
		func(o *rds.DescribeDBClusterSnapshotsOutput) *string { return o.Marker },
		func(o *rds.DescribeDBClusterSnapshotsOutput) { csnaps = append(csnaps, o.DBClusterSnapshots...) })
	if err != nil {
		return err
	}
	return each(ctx, csnaps, func(s types.DBClusterSnapshot) {
		var attrs []types.DBClusterSnapshotAttribute
		if str(s.SnapshotType) == "manual" {
			out, err := c.DescribeDBClusterSnapshotAttributes(ctx, &rds.DescribeDBClusterSnapshotAttributesInput{DBClusterSnapshotIdentifier: s.DBClusterSnapshotIdentifier})
			if err != nil {
				t.Fail("rds", "rds:DescribeDBClusterSnapshotAttributes", str(s.DBClusterSnapshotArn), err)
			} else if out.DBClusterSnapshotAttributesResult != nil {
				attrs = out.DBClusterSnapshotAttributesResult.DBClusterSnapshotAttributes
				if attrs == nil {
					attrs = []types.DBClusterSnapshotAttribute{}
				}
			}
		}
		t.Item(rdsClusterSnapshotItem(s, attrs))
	})
}

func rdsTags(tags []types.Tag) (m map[string]string, list []map[string]any) {
	for _, tg := range tags {
		if m == nil {
			m = map[string]string{}
		}
		m[str(tg.Key)] = str(tg.Value)
		list = append(list, map[string]any{"key": str(tg.Key), "value": str(tg.Value)})
	}
	return m, list
}

func rdsSecurityGroups(sgs []types.VpcSecurityGroupMembership) (list []map[string]any, rels []Relationship) {
	list = []map[string]any{}
	for _, sg := range sgs {
		list = append(list, map[string]any{"vpcSecurityGroupId": str(sg.VpcSecurityGroupId), "status": str(sg.Status)})
		rels = append(rels, Relationship{ResourceType: "AWS::EC2::SecurityGroup", ResourceID: str(sg.VpcSecurityGroupId), Name: "Is associated with SecurityGroup"})
	}
	return list, rels
}

// rdsInstanceItem is a DB instance as AWS Config records it: the
// DescribeDBInstances fields under Config's names (dBInstanceIdentifier,
// multiAZ, iAMDatabaseAuthenticationEnabled...).
func rdsInstanceItem(db types.DBInstance) Item {
	tags, tagList := rdsTags(db.TagList)
	sgs, rels := rdsSecurityGroups(db.VpcSecurityGroups)
	cfg := map[string]any{
		"dBInstanceIdentifier": db.DBInstanceIdentifier, "dBInstanceClass": db.DBInstanceClass, "engine": db.Engine,
		"dBInstanceStatus": db.DBInstanceStatus, "masterUsername": db.MasterUsername, "dBName": db.DBName,
		"allocatedStorage": db.AllocatedStorage, "instanceCreateTime": cfgTime(db.InstanceCreateTime),
		"preferredBackupWindow": db.PreferredBackupWindow, "backupRetentionPeriod": db.BackupRetentionPeriod,
		"vpcSecurityGroups": sgs, "availabilityZone": db.AvailabilityZone,
		"preferredMaintenanceWindow": db.PreferredMaintenanceWindow, "multiAZ": db.MultiAZ, "engineVersion": db.EngineVersion,
		"autoMinorVersionUpgrade": db.AutoMinorVersionUpgrade, "licenseModel": db.LicenseModel,
		"publiclyAccessible": db.PubliclyAccessible, "storageType": db.StorageType, "storageEncrypted": db.StorageEncrypted,
		"kmsKeyId": db.KmsKeyId, "dbiResourceId": db.DbiResourceId, "cACertificateIdentifier": db.CACertificateIdentifier,
		"copyTagsToSnapshot": db.CopyTagsToSnapshot, "monitoringInterval": db.MonitoringInterval,
		"dBClusterIdentifier": db.DBClusterIdentifier, "dBInstanceArn": db.DBInstanceArn,
		"iAMDatabaseAuthenticationEnabled": db.IAMDatabaseAuthenticationEnabled,
		"performanceInsightsEnabled":       db.PerformanceInsightsEnabled, "deletionProtection": db.DeletionProtection,
		"enabledCloudwatchLogsExports": db.EnabledCloudwatchLogsExports, "tagList": tagList,
	}
	if e := db.Endpoint; e != nil {
		cfg["endpoint"] = omitNil(map[string]any{"address": e.Address, "port": e.Port, "hostedZoneId": e.HostedZoneId})
	}
	if g := db.DBSubnetGroup; g != nil {
		cfg["dBSubnetGroup"] = omitNil(map[string]any{"dBSubnetGroupName": g.DBSubnetGroupName, "vpcId": g.VpcId, "subnetGroupStatus": g.SubnetGroupStatus})
		if g.VpcId != nil {
			rels = append(rels, Relationship{ResourceType: "AWS::EC2::VPC", ResourceID: *g.VpcId, Name: "Is contained in Vpc"})
		}
	}
	return Item{
		ResourceType: "AWS::RDS::DBInstance", ResourceID: str(db.DbiResourceId), ResourceName: str(db.DBInstanceIdentifier),
		ARN: str(db.DBInstanceArn), AZ: str(db.AvailabilityZone), Created: db.InstanceCreateTime, Tags: tags, Relationships: rels, Configuration: omitNil(cfg),
	}
}

// rdsClusterItem is a DB cluster as AWS Config records it.
func rdsClusterItem(cl types.DBCluster) Item {
	tags, tagList := rdsTags(cl.TagList)
	sgs, rels := rdsSecurityGroups(cl.VpcSecurityGroups)
	members := []map[string]any{}
	for _, m := range cl.DBClusterMembers {
		members = append(members, omitNil(map[string]any{"dBInstanceIdentifier": m.DBInstanceIdentifier,
			"isClusterWriter": m.IsClusterWriter, "promotionTier": m.PromotionTier}))
	}
	cfg := map[string]any{
		"dBClusterIdentifier": cl.DBClusterIdentifier, "dBClusterArn": cl.DBClusterArn, "dbClusterResourceId": cl.DbClusterResourceId,
		"engine": cl.Engine, "engineVersion": cl.EngineVersion, "engineMode": cl.EngineMode, "status": cl.Status,
		"availabilityZones": cl.AvailabilityZones, "backupRetentionPeriod": cl.BackupRetentionPeriod,
		"dBSubnetGroup": cl.DBSubnetGroup, "endpoint": cl.Endpoint, "readerEndpoint": cl.ReaderEndpoint, "port": cl.Port,
		"masterUsername": cl.MasterUsername, "multiAZ": cl.MultiAZ, "storageEncrypted": cl.StorageEncrypted,
		"kmsKeyId": cl.KmsKeyId, "publiclyAccessible": cl.PubliclyAccessible, "deletionProtection": cl.DeletionProtection,
		"iAMDatabaseAuthenticationEnabled": cl.IAMDatabaseAuthenticationEnabled, "copyTagsToSnapshot": cl.CopyTagsToSnapshot,
		"clusterCreateTime": cfgTime(cl.ClusterCreateTime), "enabledCloudwatchLogsExports": cl.EnabledCloudwatchLogsExports,
		"dBClusterMembers": members, "vpcSecurityGroups": sgs, "tagList": tagList,
	}
	return Item{
		ResourceType: "AWS::RDS::DBCluster", ResourceID: str(cl.DbClusterResourceId), ResourceName: str(cl.DBClusterIdentifier),
		ARN: str(cl.DBClusterArn), Created: cl.ClusterCreateTime, Tags: tags, Relationships: rels, Configuration: omitNil(cfg),
	}
}

// rdsSnapshotItem is a DB snapshot as AWS Config records it, with its
// attributes (DescribeDBSnapshotAttributes) in the supplementary
// configuration; attrs nil leaves them out (an automated snapshot, or a
// call that failed).
func rdsSnapshotItem(s types.DBSnapshot, attrs []types.DBSnapshotAttribute) Item {
	tags, tagList := rdsTags(s.TagList)
	cfg := map[string]any{
		"dBSnapshotIdentifier": s.DBSnapshotIdentifier, "dBInstanceIdentifier": s.DBInstanceIdentifier,
		"snapshotCreateTime": cfgTime(s.SnapshotCreateTime), "engine": s.Engine, "allocatedStorage": s.AllocatedStorage,
		"status": s.Status, "port": s.Port, "availabilityZone": s.AvailabilityZone, "vpcId": s.VpcId,
		"instanceCreateTime": cfgTime(s.InstanceCreateTime), "masterUsername": s.MasterUsername, "engineVersion": s.EngineVersion,
		"licenseModel": s.LicenseModel, "snapshotType": s.SnapshotType, "encrypted": s.Encrypted, "kmsKeyId": s.KmsKeyId,
		"dBSnapshotArn": s.DBSnapshotArn, "iAMDatabaseAuthenticationEnabled": s.IAMDatabaseAuthenticationEnabled,
		"dbiResourceId": s.DbiResourceId, "storageType": s.StorageType, "sourceRegion": s.SourceRegion, "tagList": tagList,
	}
	it := Item{
		ResourceType: "AWS::RDS::DBSnapshot", ResourceID: str(s.DBSnapshotIdentifier), ResourceName: str(s.DBSnapshotIdentifier),
		ARN: str(s.DBSnapshotArn), Created: s.SnapshotCreateTime, Tags: tags, Configuration: omitNil(cfg),
	}
	if attrs != nil {
		list := []map[string]any{}
		for _, a := range attrs {
			list = append(list, map[string]any{"attributeName": str(a.AttributeName), "attributeValues": nonNil(a.AttributeValues)})
		}
		it.Supplementary = map[string]any{"DBSnapshotAttributes": list}
	}
	return it
}

// rdsClusterSnapshotItem is a DB cluster snapshot as AWS Config records it.
func rdsClusterSnapshotItem(s types.DBClusterSnapshot, attrs []types.DBClusterSnapshotAttribute) Item {
	tags, tagList := rdsTags(s.TagList)
	cfg := map[string]any{
		"dBClusterSnapshotIdentifier": s.DBClusterSnapshotIdentifier, "dBClusterIdentifier": s.DBClusterIdentifier,
		"snapshotCreateTime": cfgTime(s.SnapshotCreateTime), "engine": s.Engine, "engineVersion": s.EngineVersion,
		"allocatedStorage": s.AllocatedStorage, "status": s.Status, "port": s.Port, "vpcId": s.VpcId,
		"clusterCreateTime": cfgTime(s.ClusterCreateTime), "masterUsername": s.MasterUsername, "licenseModel": s.LicenseModel,
		"snapshotType": s.SnapshotType, "storageEncrypted": s.StorageEncrypted, "kmsKeyId": s.KmsKeyId,
		"dBClusterSnapshotArn": s.DBClusterSnapshotArn, "availabilityZones": s.AvailabilityZones,
		"iAMDatabaseAuthenticationEnabled": s.IAMDatabaseAuthenticationEnabled, "tagList": tagList,
	}
	it := Item{
		ResourceType: "AWS::RDS::DBClusterSnapshot", ResourceID: str(s.DBClusterSnapshotIdentifier),
		ResourceName: str(s.DBClusterSnapshotIdentifier), ARN: str(s.DBClusterSnapshotArn), Created: s.SnapshotCreateTime, Tags: tags, Configuration: omitNil(cfg),
	}
	if attrs != nil {
		list := []map[string]any{}
		for _, a := range attrs {
			list = append(list, map[string]any{"attributeName": str(a.AttributeName), "attributeValues": nonNil(a.AttributeValues)})
		}
		it.Supplementary = map[string]any{"DBClusterSnapshotAttributes": list}
	}
	return it
}

// nonNil is s, or an empty list for nil (a JSON [] rather than null).
func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
