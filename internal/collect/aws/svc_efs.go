package awscollect

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/efs"
	efstypes "github.com/aws/aws-sdk-go-v2/service/efs/types"
)

// runEFS collects the region's EFS file systems as AWS Config records them
// (AWS::EFS::FileSystem with CloudFormation's property names: Encrypted,
// KmsKeyId, PerformanceMode...), for CIS AWS 3.3.1 (encryption at rest).
func runEFS(ctx context.Context, t *Task) error {
	c := efs.NewFromConfig(t.Config)
	_, err := pages(ctx, t, "elasticfilesystem", "elasticfilesystem:DescribeFileSystems",
		efs.NewDescribeFileSystemsPaginator(efsDescribeFileSystems(c.DescribeFileSystems), &efs.DescribeFileSystemsInput{}),
		func(o *efs.DescribeFileSystemsOutput) *string { return o.NextMarker },
		func(o *efs.DescribeFileSystemsOutput) {
			for _, fs := range o.FileSystems {
				t.Item(fileSystemItem(fs))
			}
		})
	return err
}

// fileSystemItem is a file system as AWS Config records it.
func fileSystemItem(fs efstypes.FileSystemDescription) Item {
	tags := map[string]string{}
	cfgTags := []map[string]any{}
	for _, tg := range fs.Tags {
		tags[str(tg.Key)] = str(tg.Value)
		cfgTags = append(cfgTags, map[string]any{"Key": str(tg.Key), "Value": str(tg.Value)})
	}
	cfg := map[string]any{
		"FileSystemId": fs.FileSystemId, "Arn": fs.FileSystemArn, "Encrypted": fs.Encrypted, "KmsKeyId": fs.KmsKeyId,
		"PerformanceMode": enum(fs.PerformanceMode), "ThroughputMode": enum(fs.ThroughputMode),
		"ProvisionedThroughputInMibps": fs.ProvisionedThroughputInMibps, "AvailabilityZoneName": fs.AvailabilityZoneName,
		"FileSystemTags": cfgTags,
	}
	if p := fs.FileSystemProtection; p != nil {
		cfg["FileSystemProtection"] = map[string]any{"ReplicationOverwriteProtection": string(p.ReplicationOverwriteProtection)}
	}
	if fs.ProvisionedThroughputInMibps == nil {
		delete(cfg, "ProvisionedThroughputInMibps")
	}
	return Item{ResourceType: "AWS::EFS::FileSystem", ResourceID: str(fs.FileSystemId), ResourceName: str(fs.Name),
		ARN: str(fs.FileSystemArn), Tags: tags, Created: fs.CreationTime, Configuration: omitNil(cfg)}
}
