package tfmap_test

import (
	"testing"

	"github.com/vigil-sec/vigil/internal/iac/tfmap"
)

// TestPublicIPv6: compute.public_ipv6 where the configuration says so
// (aws_instance ipv6_address_count / ipv6_addresses or its subnet's
// assign_ipv6_address_on_creation; google ipv6_access_config; an azurerm
// public IP with ip_version IPv6); unknown stays unknown. Expected facts
// written before the code.
func TestPublicIPv6(t *testing.T) {
	unknown := tfmap.Unknown{Refs: []string{"var.n"}}
	runFactCases(t, []factCase{
		{name: "aws_instance with ipv6_address_count 1", addr: "aws_instance.i",
			insts: []tfmap.Instance{res("aws_instance", "i", obj{"associate_public_ip_address": false, "ipv6_address_count": 1.0})},
			want:  `{"compute":{"public_ip":false,"public_ipv6":true,"metadata_v2_required":false,"instance_profile":false,"user_data_secrets":false}}`},
		{name: "aws_instance with ipv6_addresses listed", addr: "aws_instance.i",
			insts: []tfmap.Instance{res("aws_instance", "i", obj{"associate_public_ip_address": false, "ipv6_addresses": []any{"2600:1f18::10"}})},
			want:  `{"compute":{"public_ip":false,"public_ipv6":true,"metadata_v2_required":false,"instance_profile":false,"user_data_secrets":false}}`},
		{name: "aws_instance with ipv6_address_count 0", addr: "aws_instance.i",
			insts: []tfmap.Instance{res("aws_instance", "i", obj{"associate_public_ip_address": false, "ipv6_address_count": 0.0})},
			want:  `{"compute":{"public_ip":false,"public_ipv6":false,"metadata_v2_required":false,"instance_profile":false,"user_data_secrets":false}}`},
		{name: "aws_instance whose ipv6_address_count is known after apply: unknown", addr: "aws_instance.i",
			insts: []tfmap.Instance{res("aws_instance", "i", obj{"associate_public_ip_address": false, "ipv6_address_count": unknown})},
			want:  `{"compute":{"public_ip":false,"metadata_v2_required":false,"instance_profile":false,"user_data_secrets":false}}`},
		{name: "aws_instance in the configuration's subnet assigning IPv6 addresses", addr: "aws_instance.i",
			insts: []tfmap.Instance{res("aws_subnet", "s", obj{"assign_ipv6_address_on_creation": true}),
				res("aws_instance", "i", obj{"subnet_id": ref("aws_subnet.s")})},
			want:        `{"compute":{"public_ip":false,"public_ipv6":true,"metadata_v2_required":false,"instance_profile":false,"user_data_secrets":false}}`,
			unsupported: []string{"aws_subnet.s"}},
		{name: "aws_instance in a subnet outside the configuration: unknown", addr: "aws_instance.i",
			insts: []tfmap.Instance{res("aws_instance", "i", obj{"subnet_id": "subnet-0abc"})},
			want:  `{"compute":{"metadata_v2_required":false,"instance_profile":false,"user_data_secrets":false}}`},
		{name: "aws_instance with network_interface blocks: their settings, unknown", addr: "aws_instance.i",
			insts: []tfmap.Instance{res("aws_instance", "i", obj{"network_interface": blk(obj{"network_interface_id": "eni-1", "device_index": 0.0})})},
			want:  `{"compute":{"metadata_v2_required":false,"instance_profile":false,"user_data_secrets":false}}`},
		{name: "google instance with an ipv6_access_config only", addr: "google_compute_instance.i",
			insts: []tfmap.Instance{res("google_compute_instance", "i", obj{"network_interface": blk(obj{"network": "default", "stack_type": "IPV4_IPV6",
				"ipv6_access_config": blk(obj{"network_tier": "PREMIUM"})}), "service_account": blk(obj{"email": "app@p.iam.gserviceaccount.com"})})},
			want: `{"compute":{"public_ip":true,"public_ipv6":true,"identity":"app@p.iam.gserviceaccount.com","default_service_account":false,"default_service_account_full_access":false,"disk_encrypted":true,"serial_port_enabled":false,"ip_forwarding":false,"block_project_ssh_keys":false,"confidential_computing":false,"secure_boot":false,"user_data_secrets":false},"addressing":{"public_families":["ipv6"]}}`},
		{name: "azurerm VM whose NIC uses an IPv6 public IP", addr: "azurerm_linux_virtual_machine.v",
			insts: []tfmap.Instance{
				res("azurerm_public_ip", "p6", obj{"ip_version": "IPv6"}),
				res("azurerm_network_interface", "n", obj{"ip_configuration": blk(obj{"public_ip_address_id": ref("azurerm_public_ip.p6")})}),
				res("azurerm_linux_virtual_machine", "v", obj{"network_interface_ids": []any{ref("azurerm_network_interface.n")}}),
			},
			want:        `{"compute":{"public_ip":true,"public_ipv6":true,"disk_encrypted":true,"secure_boot":false,"user_data_secrets":false,"os_type":"linux","password_authentication":false}}`,
			unsupported: []string{"azurerm_public_ip.p6", "azurerm_network_interface.n"}},
		{name: "azurerm VM whose NIC uses an IPv4 public IP (the default version)", addr: "azurerm_linux_virtual_machine.v",
			insts: []tfmap.Instance{
				res("azurerm_public_ip", "p4", obj{}),
				res("azurerm_network_interface", "n", obj{"ip_configuration": blk(obj{"public_ip_address_id": ref("azurerm_public_ip.p4")})}),
				res("azurerm_linux_virtual_machine", "v", obj{"network_interface_ids": []any{ref("azurerm_network_interface.n")}}),
			},
			want:        `{"compute":{"public_ip":true,"public_ipv6":false,"disk_encrypted":true,"secure_boot":false,"user_data_secrets":false,"os_type":"linux","password_authentication":false}}`,
			unsupported: []string{"azurerm_public_ip.p4", "azurerm_network_interface.n"}},
	})
}
