package tfmap_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/iac/tfmap"
)

func TestAzure(t *testing.T) {
	runFactCases(t, []factCase{
		{name: "storage account defaults (provider v4)", addr: "azurerm_storage_account.s",
			insts: []tfmap.Instance{res("azurerm_storage_account", "s", obj{"name": "acct"})},
			want:  `{"storage":{"public_access":false,"public_access_blocked":false,"encrypted":true,"key_manager":"provider","versioning":false,"secure_transport_only":true,"min_tls_version":"1.2","delete_protection":false,"network_default_deny":false,"shared_key_access":true,"public_network":true,"trusted_services_bypass":true,"cross_tenant_replication":false,"default_oauth":false}}`},
		{name: "storage account with a public container, old TLS, network rules joined", addr: "azurerm_storage_account.s",
			insts: []tfmap.Instance{
				res("azurerm_storage_account", "s", obj{"name": "acct", "min_tls_version": "TLS1_0", "https_traffic_only_enabled": false,
					"blob_properties": blk(obj{"versioning_enabled": true, "delete_retention_policy": blk(obj{"days": 7.0})})}),
				res("azurerm_storage_container", "c", obj{"storage_account_name": "acct", "container_access_type": "blob"}),
				res("azurerm_storage_account_network_rules", "n", obj{"storage_account_id": ref("azurerm_storage_account.s"), "default_action": "Deny"}),
			},
			want: `{"storage":{"public_access":true,"public_access_blocked":false,"encrypted":true,"key_manager":"provider","versioning":true,"secure_transport_only":false,"min_tls_version":"1.0","delete_protection":true,"network_default_deny":true,"shared_key_access":true,"public_network":true,"trusted_services_bypass":true,"cross_tenant_replication":false,"default_oauth":false}}`},
		{name: "storage account blocking public blobs", addr: "azurerm_storage_account.s",
			insts: []tfmap.Instance{
				res("azurerm_storage_account", "s", obj{"allow_nested_items_to_be_public": false, "public_network_access_enabled": false}),
				res("azurerm_storage_container", "c", obj{"storage_account_id": ref("azurerm_storage_account.s"), "container_access_type": "container"}),
			},
			want: `{"storage":{"public_access":false,"public_access_blocked":true,"encrypted":true,"key_manager":"provider","versioning":false,"secure_transport_only":true,"min_tls_version":"1.2","delete_protection":false,"network_default_deny":true,"shared_key_access":true,"public_network":false,"trusted_services_bypass":true,"cross_tenant_replication":false,"default_oauth":false}}`},
		{name: "nsg with a joined rule and the default rules", addr: "azurerm_network_security_group.n",
			insts: []tfmap.Instance{
				res("azurerm_network_security_group", "n", obj{"name": "web"}),
				res("azurerm_network_security_rule", "ssh", obj{"network_security_group_name": "web", "priority": 100.0, "direction": "Inbound",
					"access": "Allow", "protocol": "Tcp", "source_address_prefix": "Internet", "destination_port_ranges": []any{"22", "3380-3390"}}),
			},
			want: `{"firewall":{"rules":[{"direction":"ingress","action":"allow","protocol":"tcp","from_port":22,"to_port":22,"sources":["0.0.0.0/0","::/0"],"priority":100},{"direction":"ingress","action":"allow","protocol":"tcp","from_port":3380,"to_port":3390,"sources":["0.0.0.0/0","::/0"],"priority":100},` +
				`{"direction":"ingress","action":"allow","protocol":"all","from_port":0,"to_port":65535,"sources":["VirtualNetwork"],"priority":65000},{"direction":"ingress","action":"allow","protocol":"all","from_port":0,"to_port":65535,"sources":["AzureLoadBalancer"],"priority":65001},{"direction":"ingress","action":"deny","protocol":"all","from_port":0,"to_port":65535,"sources":["0.0.0.0/0","::/0"],"priority":65500},` +
				`{"direction":"egress","action":"allow","protocol":"all","from_port":0,"to_port":65535,"sources":["VirtualNetwork"],"priority":65000},{"direction":"egress","action":"allow","protocol":"all","from_port":0,"to_port":65535,"sources":["0.0.0.0/0","::/0"],"priority":65001},{"direction":"egress","action":"deny","protocol":"all","from_port":0,"to_port":65535,"sources":["0.0.0.0/0","::/0"],"priority":65500}],"default":false}}`},
		{name: "linux vm with a public IP through its NIC", addr: "azurerm_linux_virtual_machine.v",
			insts: []tfmap.Instance{
				res("azurerm_network_interface", "n", obj{"ip_configuration": blk(obj{"public_ip_address_id": ref("azurerm_public_ip.p")})}),
				res("azurerm_linux_virtual_machine", "v", obj{"network_interface_ids": []any{ref("azurerm_network_interface.n")}}),
			},
			want:        `{"compute":{"public_ip":true,"disk_encrypted":true,"secure_boot":false,"user_data_secrets":false,"os_type":"linux","password_authentication":false}}`,
			unsupported: []string{"azurerm_network_interface.n"}},
		{name: "managed disk defaults", addr: "azurerm_managed_disk.d",
			insts: []tfmap.Instance{res("azurerm_managed_disk", "d", obj{"disk_size_gb": 32.0})},
			want:  `{"disk":{"encrypted":true,"key_manager":"provider","attached":false,"public_network_access":true,"size_gb":32}}`},
		{name: "mssql server with an any-IP firewall rule and no auditing", addr: "azurerm_mssql_server.s",
			insts: []tfmap.Instance{
				res("azurerm_mssql_server", "s", obj{"name": "sql"}),
				res("azurerm_mssql_firewall_rule", "all", obj{"server_id": ref("azurerm_mssql_server.s"), "start_ip_address": "0.0.0.0", "end_ip_address": "255.255.255.255"}),
			},
			want: `{"database":{"engine":"sqlserver","public_endpoint":true,"auditing_enabled":false,"authorized_networks":["0.0.0.0/0"],"credentials_in_source":false}}`},
		{name: "postgres flexible server with TLS off", addr: "azurerm_postgresql_flexible_server.p",
			insts: []tfmap.Instance{
				res("azurerm_postgresql_flexible_server", "p", obj{"name": "pg"}),
				res("azurerm_postgresql_flexible_server_configuration", "tls", obj{"server_id": ref("azurerm_postgresql_flexible_server.p"), "name": "require_secure_transport", "value": "off"}),
			},
			want: `{"database":{"engine":"postgresql","public_endpoint":true,"encrypted":true,"key_manager":"provider","backup_enabled":true,"backup_retention_days":7,"ssl_required":false,"multi_az":false,"credentials_in_source":false}}`},
		{name: "key vault defaults", addr: "azurerm_key_vault.k",
			insts: []tfmap.Instance{res("azurerm_key_vault", "k", obj{"name": "kv"})},
			want:  `{"key_vault":{"soft_delete":true,"purge_protection":false,"rbac_authorization":false,"public_network":true,"logging":false}}`},
		{name: "key without expiry", addr: "azurerm_key_vault_key.k",
			insts: []tfmap.Instance{res("azurerm_key_vault_key", "k", obj{"key_type": "RSA"})},
			want:  `{"key":{"customer_managed":true,"rotation_enabled":false,"enabled":true,"symmetric":false,"expiry_set":false}}`},
		{name: "secret with expiry", addr: "azurerm_key_vault_secret.s",
			insts: []tfmap.Instance{res("azurerm_key_vault_secret", "s", obj{"expiration_date": "2027-01-01T00:00:00Z"})},
			want:  `{"secret":{"expiry_set":true,"expires":"2027-01-01T00:00:00Z","enabled":true}}`},
		{name: "certificate valid for two years", addr: "azurerm_key_vault_certificate.c",
			insts: []tfmap.Instance{res("azurerm_key_vault_certificate", "c", obj{"name": "web", "certificate_policy": blk(obj{
				"issuer_parameters": blk(obj{"name": "Self"}), "x509_certificate_properties": blk(obj{"subject": "CN=web", "validity_in_months": 24})})})},
			want: `{"secret":{"enabled":true,"validity_months":24}}`},
		{name: "imported certificate", addr: "azurerm_key_vault_certificate.c",
			insts: []tfmap.Instance{res("azurerm_key_vault_certificate", "c", obj{"name": "web", "certificate": blk(obj{"contents": "MIIC"})})},
			want:  `{"secret":{"enabled":true}}`},
		{name: "aks defaults", addr: "azurerm_kubernetes_cluster.k",
			insts: []tfmap.Instance{res("azurerm_kubernetes_cluster", "k", obj{"default_node_pool": blk(obj{"name": "default"})})},
			want:  `{"kubernetes":{"public_endpoint":true,"endpoint_allowed_cidrs":["0.0.0.0/0"],"control_plane_logging":false,"audit_logging":false,"network_policy":false,"rbac":true,"legacy_auth":true,"node_auto_upgrade":true,"secrets_encrypted":false,"private_nodes":true}}`},
		{name: "aks with audit logs by a joined diagnostic setting", addr: "azurerm_kubernetes_cluster.k",
			insts: []tfmap.Instance{
				res("azurerm_kubernetes_cluster", "k", obj{"private_cluster_enabled": true, "local_account_disabled": true,
					"azure_active_directory_role_based_access_control": blk(obj{"azure_rbac_enabled": true})}),
				res("azurerm_monitor_diagnostic_setting", "d", obj{"target_resource_id": ref("azurerm_kubernetes_cluster.k"), "enabled_log": blk(obj{"category": "kube-audit"})}),
			},
			want: `{"kubernetes":{"public_endpoint":false,"control_plane_logging":true,"audit_logging":true,"network_policy":false,"rbac":true,"legacy_auth":false,"node_auto_upgrade":true,"secrets_encrypted":false,"private_nodes":true}}`},
		{name: "subscription activity log diagnostic setting", addr: "azurerm_monitor_diagnostic_setting.d",
			insts: []tfmap.Instance{res("azurerm_monitor_diagnostic_setting", "d", obj{"target_resource_id": ref("data.azurerm_subscription.current"),
				"enabled_log": blk(obj{"category": "Administrative"}, obj{"category": "Security"})})},
			want: `{"audit_log":{"enabled":true,"all_services":false}}`},
		{name: "owner at subscription scope", addr: "azurerm_role_assignment.a",
			insts: []tfmap.Instance{res("azurerm_role_assignment", "a", obj{"scope": "/subscriptions/0000", "role_definition_name": "Owner", "principal_id": "p1", "principal_type": "User"})},
			want:  `{"binding":{"principal":"p1","principal_type":"User","role":"Owner","role_name":"Owner","scope":"/subscriptions/0000","scope_level":"account","primitive":true,"privileged":true,"public":false}}`},
		{name: "custom owner role", addr: "azurerm_role_definition.r",
			insts: []tfmap.Instance{res("azurerm_role_definition", "r", obj{"name": "god", "scope": "/subscriptions/0000", "permissions": blk(obj{"actions": []any{"*"}})})},
			want:  `{"role":{"custom":true,"full_admin":true,"actions":["*"],"assignable_scopes":["/subscriptions/0000"],"subscription_scope":true,"permissions":[{"actions":["*"]}],"role_name":"god"}}`},
		{name: "function app", addr: "azurerm_linux_function_app.f",
			insts: []tfmap.Instance{res("azurerm_linux_function_app", "f", obj{"site_config": blk(obj{"application_stack": blk(obj{"python_version": "3.8"})}),
				"app_settings": obj{"API_KEY": "x"}})},
			want: `{"function":{"runtime":"PYTHON|3.8","runtime_end_of_support":"2024-10-07T00:00:00Z","environment_secrets":true,"secret_variables":["API_KEY"],"in_vpc":false,"public_network":true,"https_only":false}}`},
		{name: "a rule of an NSG outside the configuration is judged alone", addr: "azurerm_network_security_rule.r",
			insts: []tfmap.Instance{res("azurerm_network_security_rule", "r", obj{"direction": "Inbound", "access": "Allow", "protocol": "TCP",
				"destination_port_range": "22", "source_address_prefix": "*"})},
			want: `{"firewall":{"rules":[{"direction":"ingress","action":"allow","protocol":"tcp","from_port":22,"to_port":22,"sources":["0.0.0.0/0","::/0"]}]}}`},
		{name: "a public container of an account outside the configuration", addr: "azurerm_storage_container.c",
			insts: []tfmap.Instance{res("azurerm_storage_container", "c", obj{"container_access_type": "blob"})},
			want:  `{"storage":{"public_access":true}}`},
		{name: "a key whose expiry is known only after apply", addr: "azurerm_key_vault_key.k",
			insts: []tfmap.Instance{res("azurerm_key_vault_key", "k", obj{"key_type": "RSA", "expiration_date": ref("time_offset.t")})},
			want:  `{"key":{"customer_managed":true,"rotation_enabled":false,"symmetric":false,"expiry_set":true}}`},
		{name: "application gateway with a public HTTP listener and no WAF", addr: "azurerm_application_gateway.g",
			insts: []tfmap.Instance{res("azurerm_application_gateway", "g", obj{
				"frontend_ip_configuration": blk(obj{"name": "fe", "public_ip_address_id": ref("azurerm_public_ip.p")}),
				"frontend_port":             blk(obj{"name": "p80", "port": 80.0}, obj{"name": "p443", "port": 443.0}),
				"http_listener": blk(obj{"name": "http", "frontend_port_name": "p80", "protocol": "Http"},
					obj{"name": "https", "frontend_port_name": "p443", "protocol": "Https"}),
				"ssl_policy": blk(obj{"policy_type": "Predefined", "policy_name": "AppGwSslPolicy20150501"})})},
			want: `{"load_balancer":{"public":true,"listeners":[{"protocol":"HTTP","port":80,"redirects_to_https":false},{"protocol":"HTTPS","port":443,"tls_policy":"AppGwSslPolicy20150501","min_tls_version":"1.0"}],"http_listener":true,"weak_tls":true,"waf":false}}`},
		{name: "application gateway redirecting HTTP to HTTPS", addr: "azurerm_application_gateway.g",
			insts: []tfmap.Instance{res("azurerm_application_gateway", "g", obj{
				"frontend_ip_configuration": blk(obj{"name": "fe", "subnet_id": "s"}),
				"http_listener":             blk(obj{"name": "http", "protocol": "Http"}, obj{"name": "https", "protocol": "Https"}),
				"redirect_configuration":    blk(obj{"name": "r", "target_listener_name": "https"}),
				"request_routing_rule":      blk(obj{"name": "rr", "http_listener_name": "http", "redirect_configuration_name": "r"}),
				"waf_configuration":         blk(obj{"enabled": true})})},
			want: `{"load_balancer":{"public":false,"listeners":[{"protocol":"HTTP","redirects_to_https":true},{"protocol":"HTTPS"}],"http_listener":false,"waf":true}}`},
		{name: "a Defender plan on Standard", addr: "azurerm_security_center_subscription_pricing.vm",
			insts: []tfmap.Instance{
				res("azurerm_security_center_subscription_pricing", "vm", obj{"tier": "Free", "resource_type": "VirtualMachines"}),
				res("azurerm_security_center_subscription_pricing", "sql", obj{"tier": "Standard", "resource_type": "SqlServers"}),
			},
			want: `{"account":{"threat_detection":true}}`},
		{name: "security contact", addr: "azurerm_security_center_contact.c",
			insts: []tfmap.Instance{res("azurerm_security_center_contact", "c", obj{"email": "sec@x.com"})},
			want:  `{"account":{"security_contact":true}}`},
		{name: "service bus namespace defaults", addr: "azurerm_servicebus_namespace.n",
			insts: []tfmap.Instance{res("azurerm_servicebus_namespace", "n", obj{"sku": "Premium"})},
			want:  `{"queue":{"kind":"queue","encrypted":true,"key_manager":"provider","public_network":true,"local_auth":true,"min_tls_version":"1.2"}}`},
		{name: "activity log profile kept 30 days", addr: "azurerm_monitor_log_profile.p",
			insts: []tfmap.Instance{res("azurerm_monitor_log_profile", "p", obj{"categories": []any{"Action", "Delete", "Write"},
				"retention_policy": blk(obj{"enabled": true, "days": 30.0})})},
			want: `{"audit_log":{"enabled":true,"all_services":true,"retention_days":30}}`},
		{name: "flow log of an NSG of the vnet's subnet", addr: "azurerm_virtual_network.v",
			insts: []tfmap.Instance{
				res("azurerm_virtual_network", "v", obj{"name": "vnet"}),
				res("azurerm_subnet", "s", obj{"virtual_network_name": ref("azurerm_virtual_network.v")}),
				res("azurerm_network_security_group", "n", obj{"name": "nsg"}),
				res("azurerm_subnet_network_security_group_association", "a", obj{"subnet_id": ref("azurerm_subnet.s"), "network_security_group_id": ref("azurerm_network_security_group.n")}),
				res("azurerm_network_watcher_flow_log", "f", obj{"network_security_group_id": ref("azurerm_network_security_group.n"), "enabled": true,
					"retention_policy": blk(obj{"enabled": true, "days": 30.0})}),
			},
			want:        `{"network":{"flow_logs":true}}`,
			unsupported: []string{"azurerm_subnet.s", "azurerm_subnet_network_security_group_association.a"}},
		{name: "flow log retention", addr: "azurerm_network_watcher_flow_log.f",
			insts: []tfmap.Instance{res("azurerm_network_watcher_flow_log", "f", obj{"network_security_group_id": "/x/nsg", "enabled": true,
				"retention_policy": blk(obj{"enabled": true, "days": 30.0})})},
			want: `{"flow_log":{"enabled":true,"targets":["/x/nsg"],"retention_days":30}}`},
		{name: "network rules of an account outside the configuration", addr: "azurerm_storage_account_network_rules.n",
			insts: []tfmap.Instance{res("azurerm_storage_account_network_rules", "n", obj{"storage_account_id": "/x/acct", "default_action": "Allow"})},
			want:  `{"storage":{"network_default_deny":false}}`},
		{name: "postgresql single server without TLS enforcement", addr: "azurerm_postgresql_server.p",
			insts: []tfmap.Instance{
				res("azurerm_postgresql_server", "p", obj{"name": "pg", "ssl_enforcement_enabled": false}),
				res("azurerm_postgresql_firewall_rule", "f", obj{"server_name": "pg", "start_ip_address": "0.0.0.0", "end_ip_address": "255.255.255.255"}),
			},
			want: `{"database":{"engine":"postgresql","public_endpoint":true,"encrypted":true,"key_manager":"provider","backup_enabled":true,"backup_retention_days":7,"ssl_required":false,"authorized_networks":["0.0.0.0/0"],"credentials_in_source":false}}`},
		{name: "key with a rotation policy", addr: "azurerm_key_vault_key.k",
			insts: []tfmap.Instance{res("azurerm_key_vault_key", "k", obj{"key_type": "RSA", "expiration_date": "2027-01-01T00:00:00Z",
				"rotation_policy": blk(obj{"automatic": blk(obj{"time_after_creation": "P90D"})})})},
			want: `{"key":{"customer_managed":true,"rotation_enabled":true,"rotation_period_days":90,"enabled":true,"symmetric":false,"expires":"2027-01-01T00:00:00Z","expiry_set":true}}`},
		{name: "container registry defaults", addr: "azurerm_container_registry.r",
			insts: []tfmap.Instance{res("azurerm_container_registry", "r", obj{"sku": "Premium"})},
			want:  `{"registry":{"public":false,"admin_user":false,"public_network":true,"key_manager":"provider"}}`},
	})
}

// TestManagementLocks: azurerm_management_lock on the storage account, its
// resource group or the subscription gives the lock facts; no lock is
// false only when the resource group is declared in the configuration.
func TestManagementLocks(t *testing.T) {
	account := res("azurerm_storage_account", "s", obj{"name": "s", "resource_group_name": ref("azurerm_resource_group.rg")})
	rg := res("azurerm_resource_group", "rg", obj{"name": "rg", "location": "westeurope"})
	lock := func(scope any, level string) tfmap.Instance {
		return res("azurerm_management_lock", "l", obj{"name": "l", "scope": scope, "lock_level": level})
	}
	facts := func(t *testing.T, insts []tfmap.Instance) string {
		t.Helper()
		rs, _, _ := tfmap.Map(context.Background(), insts)
		for _, r := range rs {
			if r.ID == ".:azurerm_storage_account.s" || strings.HasSuffix(r.ID, "azurerm_storage_account.s") {
				return fmt.Sprintf("delete=%s readonly=%s", pb(r.Facts.Storage.DeleteLock), pb(r.Facts.Storage.ReadOnlyLock))
			}
		}
		t.Fatal("no storage account")
		return ""
	}
	subscription := res("azurerm_subscription", "current", obj{})
	subscription.Mode, subscription.Address = "data", "data.azurerm_subscription.current"
	for _, c := range []struct {
		name  string
		insts []tfmap.Instance
		want  string
	}{
		{"no lock, resource group declared", []tfmap.Instance{account, rg}, "delete=false readonly=false"},
		{"no lock, resource group elsewhere", []tfmap.Instance{res("azurerm_storage_account", "s", obj{"name": "s", "resource_group_name": "shared-rg"})}, "delete=? readonly=?"},
		{"delete lock on the account", []tfmap.Instance{account, rg, lock(ref("azurerm_storage_account.s"), "CanNotDelete")}, "delete=true readonly=false"},
		{"read-only lock on the resource group", []tfmap.Instance{account, rg, lock(ref("azurerm_resource_group.rg"), "ReadOnly")}, "delete=true readonly=true"},
		{"delete lock on the subscription by ID", []tfmap.Instance{account, rg, lock("/subscriptions/00000000-0000-0000-0000-000000000000", "CanNotDelete")}, "delete=true readonly=false"},
		{"read-only lock on the current subscription", []tfmap.Instance{account, rg, subscription, lock(ref("data.azurerm_subscription.current"), "ReadOnly")}, "delete=true readonly=true"},
		{"a lock on another resource group", []tfmap.Instance{account, rg, lock("/subscriptions/0000/resourceGroups/other", "ReadOnly")}, "delete=false readonly=false"},
		{"a lock whose scope is a variable", []tfmap.Instance{account, rg, lock(tfmap.Unknown{}, "ReadOnly")}, "delete=? readonly=?"},
		{"a delete lock on the account, a level unknown elsewhere", []tfmap.Instance{account, rg, lock(ref("azurerm_storage_account.s"), "CanNotDelete"),
			res("azurerm_management_lock", "m", obj{"scope": ref("azurerm_resource_group.rg"), "lock_level": tfmap.Unknown{}})}, "delete=true readonly=?"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := facts(t, c.insts); got != c.want {
				t.Errorf("%s, want %s", got, c.want)
			}
		})
	}
}

func pb(b *bool) string {
	if b == nil {
		return "?"
	}
	return fmt.Sprint(*b)
}
