package awsconfig_test

import (
	"slices"
	"testing"

	"github.com/vigil-sec/vigil/internal/resource"
)

// copies returns r's replication paths as region|path|target.
func copies(r *resource.Resource) []string {
	var out []string
	if r.Facts.Data != nil {
		for _, l := range r.Facts.Data.Locations {
			if l.Path != resource.LocationPrimary {
				out = append(out, l.Region+"|"+l.Path+"|"+l.Target)
			}
		}
	}
	return out
}

// TestCopiesAcrossRegions: an EBS snapshot copied into another region (the
// copy's default description names its source), an AMI copied into
// another region (SourceImageId, SourceImageRegion) and an RDS snapshot
// copied from another region (sourceDBSnapshotIdentifier, sourceRegion)
// give their source a data location in the copy's region through
// snapshot-copy or image-copy, naming the copy; a same-region copy and a
// copy whose source is not in the inventory add none.
func TestCopiesAcrossRegions(t *testing.T) {
	rdsSnap := func(region, name string, cfg map[string]any) map[string]any {
		cfg["snapshotType"], cfg["encrypted"] = "manual", true
		return map[string]any{"resourceType": "AWS::RDS::DBSnapshot", "resourceId": name, "resourceName": name, "awsRegion": region,
			"ARN": "arn:aws:rds:" + region + ":111122223333:snapshot:" + name, "configuration": cfg, "supplementaryConfiguration": map[string]any{}}
	}
	_, m := loadFiles(t, map[string]any{
		cliPrefix + "ec2-describe-snapshots.eu-west-1.json": map[string]any{"Snapshots": []any{
			map[string]any{"SnapshotId": "snap-0aaa", "VolumeId": "vol-1", "Encrypted": true, "OwnerId": "111122223333", "Description": "nightly"},
		}},
		cliPrefix + "ec2-describe-snapshots.us-east-1.json": map[string]any{"Snapshots": []any{
			map[string]any{"SnapshotId": "snap-0bbb", "VolumeId": "vol-ffffffff", "Encrypted": true, "OwnerId": "111122223333", "Description": "[Copied snap-0aaa from eu-west-1]"},
			map[string]any{"SnapshotId": "snap-0ccc", "VolumeId": "vol-ffffffff", "Encrypted": true, "OwnerId": "111122223333", "Description": "[Copied snap-0ddd from ap-south-1]"},
		}},
		cliPrefix + "ec2-describe-images.eu-west-1.json": map[string]any{"Images": []any{
			map[string]any{"ImageId": "ami-0aaa", "Name": "base", "OwnerId": "111122223333", "Public": false},
			map[string]any{"ImageId": "ami-0eee", "Name": "base-copy-here", "OwnerId": "111122223333", "Public": false, "SourceImageId": "ami-0aaa", "SourceImageRegion": "eu-west-1"},
		}},
		cliPrefix + "ec2-describe-images.us-west-2.json": map[string]any{"Images": []any{
			map[string]any{"ImageId": "ami-0bbb", "Name": "base-copy", "OwnerId": "111122223333", "Public": false, "SourceImageId": "ami-0aaa", "SourceImageRegion": "eu-west-1"},
		}},
		snapFile: configSnapshot(
			rdsSnap("eu-central-1", "orders-nightly", map[string]any{}),
			rdsSnap("sa-east-1", "orders-nightly-copy", map[string]any{"sourceRegion": "eu-central-1",
				"sourceDBSnapshotIdentifier": "arn:aws:rds:eu-central-1:111122223333:snapshot:orders-nightly"}),
		),
	})
	for id, want := range map[string][]string{
		"arn:aws:ec2:eu-west-1::snapshot/snap-0aaa":                     {"us-east-1|snapshot-copy|arn:aws:ec2:us-east-1::snapshot/snap-0bbb"},
		"arn:aws:ec2:us-east-1::snapshot/snap-0bbb":                     nil,
		"arn:aws:ec2:eu-west-1::image/ami-0aaa":                         {"us-west-2|image-copy|arn:aws:ec2:us-west-2::image/ami-0bbb"},
		"arn:aws:rds:eu-central-1:111122223333:snapshot:orders-nightly": {"sa-east-1|snapshot-copy|arn:aws:rds:sa-east-1:111122223333:snapshot:orders-nightly-copy"},
	} {
		r := m[id]
		if r == nil {
			t.Errorf("%s not in the inventory", id)
			continue
		}
		if got := copies(r); !slices.Equal(got, want) {
			t.Errorf("%s: copies %v, want %v", id, got, want)
		}
	}
}
