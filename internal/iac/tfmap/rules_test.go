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
		res("aws_db_instance", "db", obj{"engine": "postgres"}),
		res("aws_instance", "boot", obj{"user_data": "export DB_PASSWORD=hunter2\n", "metadata_options": blk(obj{"http_tokens": "required"})}),
		res("aws_db_instance", "safe", obj{"engine": "postgres", "deletion_protection": true, "backup_retention_period": 7.0}),
		res("aws_lb", "lb", obj{}),
		res("aws_lb_listener", "l", obj{"load_balancer_arn": ref("aws_lb.lb"), "protocol": "HTTP", "port": 80.0}),
		res("aws_security_group", "var", obj{"ingress": blk(obj{"from_port": 22.0, "to_port": 22.0, "protocol": "tcp", "cidr_blocks": tfmap.Unknown{}})}),
	)
	want := map[string]string{
		"storage-public-access aws_s3_bucket.pub":                    "FAIL",
		"storage-public-access-not-blocked aws_s3_bucket.pub":        "FAIL",
		"storage-public-access aws_s3_bucket.priv":                   "PASS",
		"storage-public-access-not-blocked aws_s3_bucket.priv":       "PASS",
		"storage-versioning-disabled aws_s3_bucket.priv":             "PASS",
		"storage-versioning-disabled aws_s3_bucket.pub":              "FAIL",
		"storage-unencrypted aws_s3_bucket.pub":                      "PASS",
		"storage-public-access aws_s3_bucket.unk":                    "UNKNOWN",
		"firewall-ssh-open-to-internet aws_security_group.open":      "FAIL",
		"firewall-ssh-open-to-internet aws_security_group.closed":    "PASS",
		"firewall-rdp-open-to-internet aws_security_group.split":     "FAIL",
		"firewall-ssh-open-to-internet aws_security_group.split":     "PASS",
		"firewall-ssh-open-to-internet aws_security_group.var":       "UNKNOWN",
		"database-deletion-protection-disabled aws_db_instance.db":   "FAIL",
		"database-deletion-protection-disabled aws_db_instance.safe": "PASS",
		"database-backups-disabled aws_db_instance.db":               "FAIL", // one day by default
		"database-backups-disabled aws_db_instance.safe":             "PASS",
		"lb-deletion-protection-disabled aws_lb.lb":                  "FAIL",
		"lb-deletion-protection-disabled aws_lb_listener.l":          "",
		"lb-http-listener aws_lb_listener.l":                         "FAIL",
		"compute-user-data-secrets aws_instance.boot":                "FAIL",
		"aws-ec2-imdsv1-allowed aws_instance.boot":                   "PASS",
	}
	check(t, got, want)
}

// TestRulesJudgeAzureAndGCP: the same misconfigurations in AzureRM and
// Google resources fail the same cross-cloud rules.
func TestRulesJudgeAzureAndGCP(t *testing.T) {
	got := judge(t,
		res("azurerm_storage_account", "pub", obj{"name": "pub"}),
		res("azurerm_storage_container", "c", obj{"storage_account_name": "pub", "container_access_type": "container"}),
		res("azurerm_storage_account", "priv", obj{"name": "priv", "allow_nested_items_to_be_public": false, "min_tls_version": "TLS1_2"}),
		res("azurerm_network_security_group", "nsg", obj{"name": "nsg", "security_rule": blk(obj{"name": "ssh", "priority": 100.0, "direction": "Inbound",
			"access": "Allow", "protocol": "Tcp", "source_address_prefix": "*", "destination_port_range": "22"})}),
		res("azurerm_network_security_group", "shadowed", obj{"name": "shadowed", "security_rule": blk(
			obj{"name": "deny", "priority": 100.0, "direction": "Inbound", "access": "Deny", "protocol": "*", "source_address_prefix": "*", "destination_port_range": "*"},
			obj{"name": "ssh", "priority": 200.0, "direction": "Inbound", "access": "Allow", "protocol": "Tcp", "source_address_prefix": "*", "destination_port_range": "22"})}),
		res("azurerm_managed_disk", "d", obj{}),
		res("google_storage_bucket", "pub", obj{"name": "gpub"}),
		res("google_storage_bucket_iam_member", "all", obj{"bucket": "gpub", "role": "roles/storage.objectViewer", "member": "allUsers"}),
		res("google_compute_firewall", "ssh", obj{"name": "ssh", "network": "n", "source_ranges": []any{"0.0.0.0/0"}, "allow": blk(obj{"protocol": "tcp", "ports": []any{"22"}})}),
		res("google_compute_firewall", "iap", obj{"name": "iap", "network": "n", "source_ranges": []any{"35.235.240.0/20"}, "allow": blk(obj{"protocol": "tcp", "ports": []any{"22"}})}),
		res("google_cloudfunctions_function", "f", obj{"name": "f", "runtime": "python312", "trigger_http": true}),
		res("google_sql_database_instance", "db", obj{"settings": blk(obj{"ip_configuration": blk(obj{"authorized_networks": blk(obj{"value": "0.0.0.0/0"})})})}),
	)
	check(t, got, map[string]string{
		"storage-public-access azurerm_storage_account.pub":                     "FAIL",
		"storage-public-access azurerm_storage_account.priv":                    "PASS",
		"azure-storage-min-tls azurerm_storage_account.priv":                    "PASS",
		"firewall-ssh-open-to-internet azurerm_network_security_group.nsg":      "FAIL",
		"firewall-ssh-open-to-internet azurerm_network_security_group.shadowed": "PASS",
		"disk-public-network-access azurerm_managed_disk.d":                     "FAIL",
		"storage-public-access google_storage_bucket.pub":                       "FAIL",
		"iam-public-binding google_storage_bucket_iam_member.all":               "FAIL",
		"firewall-ssh-open-to-internet google_compute_firewall.ssh":             "FAIL",
		"firewall-ssh-open-to-internet google_compute_firewall.iap":             "PASS",
		"database-open-to-any-ip google_sql_database_instance.db":               "FAIL",
		"database-backups-disabled google_sql_database_instance.db":             "FAIL",
	})
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
