package scc

// vigilRules maps Security Command Center's Security Health Analytics
// categories to the vigil rule that checks the same thing on the same
// resource (SCC's resourceName is the Cloud Asset name vigil's GCP
// resources carry), for merging the two findings into one. Categories
// whose resource differs from the rule's (a project-level category and a
// per-binding rule) are left out. A list of constants (data, no
// initializer at start), read by vigilRule.
var vigilRules = []struct{ category, rule string }{
	{"PUBLIC_BUCKET_ACL", "storage-public-access"},
	{"BUCKET_POLICY_ONLY_DISABLED", "gcp-bucket-uniform-access-disabled"},
	{"BUCKET_LOGGING_DISABLED", "storage-access-logging-disabled"},
	{"OPEN_SSH_PORT", "firewall-ssh-open-to-internet"},
	{"OPEN_RDP_PORT", "firewall-rdp-open-to-internet"},
	{"OPEN_MYSQL_PORT", "firewall-database-ports-open-to-internet"},
	{"OPEN_POSTGRESQL_PORT", "firewall-database-ports-open-to-internet"},
	{"OPEN_MS_SQL_PORT", "firewall-database-ports-open-to-internet"},
	{"OPEN_MONGODB_PORT", "firewall-database-ports-open-to-internet"},
	{"OPEN_REDIS_PORT", "firewall-database-ports-open-to-internet"},
	{"OPEN_CASSANDRA_PORT", "firewall-database-ports-open-to-internet"},
	{"OPEN_ELASTICSEARCH_PORT", "firewall-database-ports-open-to-internet"},
	{"PUBLIC_SQL_INSTANCE", "database-open-to-any-ip"},
	{"SSL_NOT_ENFORCED", "database-ssl-not-required"},
	{"AUTO_BACKUP_DISABLED", "database-backups-disabled"},
	{"KMS_KEY_NOT_ROTATED", "key-rotation-disabled"},
	{"KMS_PUBLIC_KEY", "gcp-kms-key-public"},
	{"FLOW_LOGS_DISABLED", "gcp-subnet-flow-logs-disabled"},
	{"AUDIT_LOGGING_DISABLED", "gcp-audit-config-incomplete"},
	{"PUBLIC_IP_ADDRESS", "compute-public-ip"},
	{"IP_FORWARDING_ENABLED", "gcp-ip-forwarding-enabled"},
	{"SERIAL_PORT_ENABLED", "gcp-serial-port-enabled"},
	{"SHIELDED_VM_DISABLED", "gcp-shielded-vm-disabled"},
	{"DEFAULT_NETWORK", "gcp-default-network"},
	{"USER_MANAGED_SERVICE_ACCOUNT_KEY", "gcp-service-account-user-managed-keys"},
	{"FULL_API_ACCESS", "gcp-default-service-account-full-access"},
	{"DEFAULT_SERVICE_ACCOUNT_USED", "gcp-default-service-account-used"},
	{"LEGACY_AUTHORIZATION_ENABLED", "kubernetes-legacy-auth"},
	{"NETWORK_POLICY_DISABLED", "kubernetes-network-policy"},
	{"PUBLIC_LOG_BUCKET", "audit-log-destination-public"},
}

// vigilRule returns the rule of an SCC category, "" for none.
func vigilRule(category string) string {
	for _, r := range vigilRules {
		if r.category == category {
			return r.rule
		}
	}
	return ""
}
