package tfmap_test

import (
	"reflect"
	"testing"

	"github.com/vigil-sec/vigil/internal/iac/tfmap"
	"github.com/vigil-sec/vigil/internal/resource"
)

func dataPaths(r *resource.Resource) []string {
	if r == nil || r.Facts.Data == nil {
		return nil
	}
	var out []string
	for _, l := range r.Facts.Data.Locations {
		out = append(out, l.Region+"|"+l.Path+"|"+l.Target)
	}
	return out
}

// The replication paths of Terraform configurations, named as the export
// importers name them.
func TestReplicationPaths(t *testing.T) {
	inRegion := func(i tfmap.Instance, region string) tfmap.Instance { i.Region = region; return i }
	for _, tc := range []struct {
		name  string
		insts []tfmap.Instance
		addr  string
		want  []string
	}{
		{"s3 replication to a bucket of the configuration", []tfmap.Instance{
			inRegion(res("aws_s3_bucket", "src", obj{"bucket": "eu-customers"}), "eu-west-1"),
			inRegion(res("aws_s3_bucket", "dst", obj{"bucket": "us-replica"}), "us-east-1"),
			res("aws_s3_bucket_replication_configuration", "r", obj{"bucket": ref("aws_s3_bucket.src"), "role": "arn:aws:iam::1:role/r",
				"rule": blk(
					obj{"status": "Enabled", "destination": blk(obj{"bucket": ref("aws_s3_bucket.dst")})},
					obj{"status": "Disabled", "destination": blk(obj{"bucket": "arn:aws:s3:::off"})},
					obj{"status": "Enabled", "destination": blk(obj{"bucket": "arn:aws:s3:::elsewhere"})},
				)}),
		}, "aws_s3_bucket.src", []string{"us-east-1|s3-replication|arn:aws:s3:::us-replica", "|s3-replication|arn:aws:s3:::elsewhere"}},
		{"s3 inline replication_configuration", []tfmap.Instance{
			inRegion(res("aws_s3_bucket", "src", obj{"bucket": "a", "replication_configuration": blk(obj{"role": "r",
				"rules": blk(obj{"status": "Enabled", "destination": blk(obj{"bucket": "arn:aws:s3:::b"})})})}), "eu-west-1"),
			inRegion(res("aws_s3_bucket", "dst", obj{"bucket": "b"}), "eu-central-1"),
		}, "aws_s3_bucket.src", []string{"eu-central-1|s3-replication|arn:aws:s3:::b"}},
		{"dynamodb replicas", []tfmap.Instance{
			inRegion(res("aws_dynamodb_table", "t", obj{"name": "orders", "replica": blk(obj{"region_name": "us-east-1"}, obj{"region_name": "eu-west-1"})}), "eu-west-1"),
		}, "aws_dynamodb_table.t", []string{"us-east-1|dynamodb-global-table|"}},
		{"azure RA-GRS to the pair", []tfmap.Instance{
			res("azurerm_storage_account", "s", obj{"name": "s", "location": "UK South", "account_replication_type": "RAGRS"}),
		}, "azurerm_storage_account.s", []string{"ukwest|geo-redundant-storage|"}},
		{"azure LRS stays", []tfmap.Instance{
			res("azurerm_storage_account", "s", obj{"name": "s", "location": "westeurope", "account_replication_type": "LRS"}),
		}, "azurerm_storage_account.s", nil},
		{"gcs dual-region", []tfmap.Instance{res("google_storage_bucket", "b", obj{"name": "b", "location": "NAM4"})},
			"google_storage_bucket.b", []string{"NAM4|gcs-dual-region|"}},
		{"gcs custom dual-region", []tfmap.Instance{res("google_storage_bucket", "b", obj{"name": "b", "location": "EU",
			"custom_placement_config": blk(obj{"data_locations": []any{"EUROPE-WEST1", "EUROPE-WEST4"}})})},
			"google_storage_bucket.b", []string{"europe-west1|gcs-dual-region|", "europe-west4|gcs-dual-region|"}},
		{"gcs region", []tfmap.Instance{res("google_storage_bucket", "b", obj{"name": "b", "location": "europe-west1"})},
			"google_storage_bucket.b", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, _, probs := mapped(t, tc.insts...)
			if len(probs) > 0 {
				t.Errorf("problems %v", probs)
			}
			if p := dataPaths(got[tc.addr]); !reflect.DeepEqual(p, tc.want) {
				t.Errorf("paths\n got %q\nwant %q", p, tc.want)
			}
		})
	}
	got, _, _ := mapped(t, res("aws_dynamodb_table", "t", obj{"name": "orders", "point_in_time_recovery": blk(obj{"enabled": true})}))
	if r := got["aws_dynamodb_table.t"]; r == nil || r.Class != resource.ClassDatabase || r.Facts.Database.Engine != "dynamodb" || !*r.Facts.Database.BackupEnabled {
		t.Errorf("dynamodb table %+v", r)
	}
}

// TestIsDataAddr: a data source is told by its address, not by a module
// that happens to be called "data".
func TestIsDataAddr(t *testing.T) {
	for addr, want := range map[string]bool{
		"data.aws_ami.al2023":                                  true,
		`module.m["a.b"].data.aws_iam_policy_document.p`:       true,
		"module.a.module.b.data.aws_caller_identity.me":        true,
		"module.data.aws_s3_bucket.b":                          false,
		"module.data.module.bucket.aws_s3_bucket.this":         false,
		`module.x["data.y"].aws_s3_bucket.b`:                   false,
		"aws_s3_bucket.data":                                   false,
		"module.data":                                          false,
		`module.data["k"].module.data.data.aws_region.current`: true,
	} {
		if got := tfmap.IsDataAddr(addr); got != want {
			t.Errorf("IsDataAddr(%q) = %v, want %v", addr, got, want)
		}
	}
}
