package tfmap_test

import (
	"testing"

	"github.com/vigil-sec/vigil/internal/iac/tfmap"
)

// TestRulesJudgeMappedResources: for the same misconfiguration the
// built-in rule FAILs the Terraform-mapped resource, through scan.Run, and
// does not fail the fixed one; a value known only after apply is UNKNOWN.
func TestRulesJudgeMappedResources(t *testing.T) {
	publicPolicy := `{"Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::pub/*"}]}`
	got := judge(t,
		res("aws_s3_bucket", "pub", obj{"bucket": "pub"}),
		res("aws_s3_bucket_public_access_block", "pub", obj{"bucket": ref("aws_s3_bucket.pub")}),
		res("aws_s3_bucket_policy", "pub", obj{"bucket": ref("aws_s3_bucket.pub"), "policy": publicPolicy}),
		res("aws_s3_bucket", "priv", obj{"bucket": "priv"}),
		res("aws_s3_bucket_versioning", "priv", obj{"bucket": ref("aws_s3_bucket.priv"), "versioning_configuration": blk(obj{"status": "Enabled"})}),
		res("aws_s3_bucket", "unk", obj{"bucket": "unk"}),
		res("aws_s3_bucket_policy", "unk", obj{"bucket": "unk", "policy": tfmap.Unknown{}}),
		res("aws_s3_bucket_public_access_block", "unk", obj{"bucket": "unk"}),
		res("aws_security_group", "open", obj{"ingress": blk(obj{"from_port": 22.0, "to_port": 22.0, "protocol": "tcp", "cidr_blocks": []any{"0.0.0.0/0"}})}),
		res("aws_security_group", "closed", obj{"ingress": blk(obj{"from_port": 22.0, "to_port": 22.0, "protocol": "tcp", "cidr_blocks": []any{"10.0.0.0/8"}})}),
		res("aws_security_group", "split", obj{}),
		res("aws_vpc_security_group_ingress_rule", "rdp", obj{"security_group_id": ref("aws_security_group.split"), "from_port": 3389.0, "to_port": 3389.0,
			"ip_protocol": "tcp", "cidr_ipv4": "0.0.0.0/0"}),
		res("aws_security_group", "var", obj{"ingress": blk(obj{"from_port": 22.0, "to_port": 22.0, "protocol": "tcp", "cidr_blocks": tfmap.Unknown{}})}),
	)
	want := map[string]string{
		"storage-public-access aws_s3_bucket.pub":                 "FAIL",
		"storage-public-access-not-blocked aws_s3_bucket.pub":     "FAIL",
		"storage-public-access aws_s3_bucket.priv":                "PASS",
		"storage-public-access-not-blocked aws_s3_bucket.priv":    "PASS",
		"storage-versioning-disabled aws_s3_bucket.priv":          "PASS",
		"storage-versioning-disabled aws_s3_bucket.pub":           "FAIL",
		"storage-unencrypted aws_s3_bucket.pub":                   "PASS",
		"storage-public-access aws_s3_bucket.unk":                 "UNKNOWN",
		"firewall-ssh-open-to-internet aws_security_group.open":   "FAIL",
		"firewall-ssh-open-to-internet aws_security_group.closed": "PASS",
		"firewall-rdp-open-to-internet aws_security_group.split":  "FAIL",
		"firewall-ssh-open-to-internet aws_security_group.split":  "PASS",
		"firewall-ssh-open-to-internet aws_security_group.var":    "UNKNOWN",
	}
	check(t, got, want)
}

func check(t *testing.T, got, want map[string]string) {
	t.Helper()
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s: %q, want %q", k, got[k], w)
		}
	}
	if t.Failed() {
		t.Logf("findings:\n%s", keysOf(got))
	}
}
