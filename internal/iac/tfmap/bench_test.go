package tfmap_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/vigil-sec/vigil/internal/iac/tfmap"
)

// benchInstances builds n instances in one root: a realistic mix of
// buckets with their split resources, security groups with rule
// resources, instances, databases, roles with policies, NSGs, storage
// accounts, GCS buckets with IAM members and firewalls, joined by
// reference and by name.
func benchInstances(n int) []tfmap.Instance {
	out := make([]tfmap.Instance, 0, n)
	policy := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject"],"Resource":"arn:aws:s3:::b/*"}]}`
	for i := 0; len(out) < n; i++ {
		b := fmt.Sprintf("b%d", i)
		add := func(typ, name string, attrs map[string]any) {
			if len(out) < n {
				out = append(out, res(typ, name, attrs))
			}
		}
		add("aws_s3_bucket", b, obj{"bucket": "bucket-" + b, "tags": obj{"env": "prod"}})
		add("aws_s3_bucket_public_access_block", b, obj{"bucket": ref("aws_s3_bucket." + b), "block_public_acls": true,
			"ignore_public_acls": true, "block_public_policy": true, "restrict_public_buckets": true})
		add("aws_s3_bucket_versioning", b, obj{"bucket": "bucket-" + b, "versioning_configuration": blk(obj{"status": "Enabled"})})
		add("aws_s3_bucket_policy", b, obj{"bucket": ref("aws_s3_bucket." + b), "policy": policy})
		add("aws_security_group", b, obj{"name": "sg-" + b, "ingress": blk(obj{"from_port": 443.0, "to_port": 443.0, "protocol": "tcp", "cidr_blocks": []any{"0.0.0.0/0"}})})
		add("aws_security_group_rule", b, obj{"type": "ingress", "security_group_id": ref("aws_security_group." + b), "from_port": 22.0, "to_port": 22.0,
			"protocol": "tcp", "cidr_blocks": []any{"10.0.0.0/8"}})
		add("aws_instance", b, obj{"ami": "ami-1", "vpc_security_group_ids": []any{ref("aws_security_group." + b)}, "root_block_device": blk(obj{"encrypted": true})})
		add("aws_db_instance", b, obj{"engine": "postgres", "storage_encrypted": true})
		add("aws_iam_role", b, obj{"name": "role-" + b, "assume_role_policy": `{"Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`})
		add("aws_iam_role_policy", b, obj{"role": "role-" + b, "name": "p", "policy": policy})
		add("azurerm_storage_account", b, obj{"name": "acct" + b})
		add("azurerm_network_security_group", b, obj{"name": "nsg-" + b})
		add("azurerm_network_security_rule", b, obj{"network_security_group_name": "nsg-" + b, "priority": 100.0, "direction": "Inbound",
			"access": "Allow", "protocol": "Tcp", "source_address_prefix": "10.0.0.0/8", "destination_port_range": "22"})
		add("google_storage_bucket", b, obj{"name": "gcs-" + b})
		add("google_storage_bucket_iam_member", b, obj{"bucket": ref("google_storage_bucket." + b), "role": "roles/storage.objectViewer", "member": "user:a@x.com"})
		add("google_compute_firewall", b, obj{"name": "fw-" + b, "network": "n", "source_ranges": []any{"10.0.0.0/8"}, "allow": blk(obj{"protocol": "tcp", "ports": []any{"22"}})})
		add("aws_ebs_volume", b, obj{"size": 10.0, "encrypted": true})
		add("aws_volume_attachment", b, obj{"volume_id": ref("aws_ebs_volume." + b), "instance_id": ref("aws_instance." + b)})
		add("aws_vpc", b, obj{"cidr_block": "10.0.0.0/16"})
		add("aws_flow_log", b, obj{"vpc_id": ref("aws_vpc." + b)})
		add("google_compute_instance", b, obj{"attached_disk": blk(obj{"source": ref("google_compute_disk." + b)})})
		add("google_compute_disk", b, obj{"size": 10.0})
		add("random_id", b, obj{"byte_length": 8.0})
	}
	return out
}

// BenchmarkMap maps 10,000 instances.
func BenchmarkMap(b *testing.B) {
	insts := benchInstances(10000)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		rs, _, probs := tfmap.Map(context.Background(), insts)
		if len(rs) < 5000 || len(probs) > 0 {
			b.Fatalf("%d resources, problems %v", len(rs), probs)
		}
	}
	b.ReportMetric(float64(len(insts))*float64(b.N)/b.Elapsed().Seconds(), "instances/s")
}
