package tfmap_test

import (
	"testing"

	"github.com/vigil-sec/vigil/internal/iac/tfmap"
)

func TestAzure(t *testing.T) {
	runFactCases(t, []factCase{
		{name: "storage account defaults (provider v4)", addr: "azurerm_storage_account.s",
			insts: []tfmap.Instance{res("azurerm_storage_account", "s", obj{"name": "acct"})},
			want:  `{"storage":{"public_access":false,"public_access_blocked":false,"encrypted":true,"key_manager":"provider","versioning":false,"secure_transport_only":true,"min_tls_version":"1.2","delete_protection":false,"network_default_deny":false}}`},
		{name: "storage account with a public container, old TLS, network rules joined", addr: "azurerm_storage_account.s",
			insts: []tfmap.Instance{
				res("azurerm_storage_account", "s", obj{"name": "acct", "min_tls_version": "TLS1_0", "https_traffic_only_enabled": false,
					"blob_properties": blk(obj{"versioning_enabled": true, "delete_retention_policy": blk(obj{"days": 7.0})})}),
				res("azurerm_storage_container", "c", obj{"storage_account_name": "acct", "container_access_type": "blob"}),
				res("azurerm_storage_account_network_rules", "n", obj{"storage_account_id": ref("azurerm_storage_account.s"), "default_action": "Deny"}),
			},
			want: `{"storage":{"public_access":true,"public_access_blocked":false,"encrypted":true,"key_manager":"provider","versioning":true,"secure_transport_only":false,"min_tls_version":"1.0","delete_protection":true,"network_default_deny":true}}`},
		{name: "storage account blocking public blobs", addr: "azurerm_storage_account.s",
			insts: []tfmap.Instance{
				res("azurerm_storage_account", "s", obj{"allow_nested_items_to_be_public": false, "public_network_access_enabled": false}),
				res("azurerm_storage_container", "c", obj{"storage_account_id": ref("azurerm_storage_account.s"), "container_access_type": "container"}),
			},
			want: `{"storage":{"public_access":false,"public_access_blocked":true,"encrypted":true,"key_manager":"provider","versioning":false,"secure_transport_only":true,"min_tls_version":"1.2","delete_protection":false,"network_default_deny":true}}`},
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
			want:        `{"compute":{"public_ip":true,"disk_encrypted":true,"secure_boot":false}}`,
			unsupported: []string{"azurerm_network_interface.n"}},
		{name: "managed disk defaults", addr: "azurerm_managed_disk.d",
			insts: []tfmap.Instance{res("azurerm_managed_disk", "d", obj{"disk_size_gb": 32.0})},
			want:  `{"disk":{"encrypted":true,"key_manager":"provider","attached":false,"public_network_access":true,"size_gb":32}}`},
		{name: "mssql server with an any-IP firewall rule and no auditing", addr: "azurerm_mssql_server.s",
			insts: []tfmap.Instance{
				res("azurerm_mssql_server", "s", obj{"name": "sql"}),
				res("azurerm_mssql_firewall_rule", "all", obj{"server_id": ref("azurerm_mssql_server.s"), "start_ip_address": "0.0.0.0", "end_ip_address": "255.255.255.255"}),
			},
			want: `{"database":{"engine":"sqlserver","public_endpoint":true,"auditing_enabled":false,"authorized_networks":["0.0.0.0/0"]}}`},
		{name: "postgres flexible server with TLS off", addr: "azurerm_postgresql_flexible_server.p",
			insts: []tfmap.Instance{
				res("azurerm_postgresql_flexible_server", "p", obj{"name": "pg"}),
				res("azurerm_postgresql_flexible_server_configuration", "tls", obj{"server_id": ref("azurerm_postgresql_flexible_server.p"), "name": "require_secure_transport", "value": "off"}),
			},
			want: `{"database":{"engine":"postgresql","public_endpoint":true,"encrypted":true,"key_manager":"provider","backup_enabled":true,"backup_retention_days":7,"ssl_required":false,"multi_az":false}}`},
		{name: "key vault defaults", addr: "azurerm_key_vault.k",
			insts: []tfmap.Instance{res("azurerm_key_vault", "k", obj{"name": "kv"})},
			want:  `{"key_vault":{"soft_delete":true,"purge_protection":false,"rbac_authorization":false,"public_network":true}}`},
		{name: "key without expiry", addr: "azurerm_key_vault_key.k",
			insts: []tfmap.Instance{res("azurerm_key_vault_key", "k", obj{"key_type": "RSA"})},
			want:  `{"key":{"customer_managed":true,"rotation_enabled":false,"enabled":true,"symmetric":false,"expiry_set":false}}`},
		{name: "secret with expiry", addr: "azurerm_key_vault_secret.s",
			insts: []tfmap.Instance{res("azurerm_key_vault_secret", "s", obj{"expiration_date": "2027-01-01T00:00:00Z"})},
			want:  `{"secret":{"expiry_set":true,"expires":"2027-01-01T00:00:00Z","enabled":true}}`},
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
		{name: "container registry defaults", addr: "azurerm_container_registry.r",
			insts: []tfmap.Instance{res("azurerm_container_registry", "r", obj{"sku": "Premium"})},
			want:  `{"registry":{"public":false,"admin_user":false,"public_network":true,"key_manager":"provider"}}`},
	})
}
