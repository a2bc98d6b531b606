package awscollect

import "testing"

// TestNetworkLinks: the region's VPC peering connection, virtual private
// gateway, customer gateway and VPN connection are collected as Config
// items whose network link facts vigil reach follows; the VPN
// connection's pre-shared keys (in its customer gateway configuration and
// its tunnel options) are in no file written.
func TestNetworkLinks(t *testing.T) {
	dir, fails := collectMgmt(t, []Service{{Name: "ec2", Run: runEC2}}, nil, []string{"ec2"}, "testdata")
	if len(fails) != 0 {
		t.Errorf("failures: %v", fails)
	}
	const arn = "arn:aws:ec2:us-east-1:111122223333:"
	checkFacts(t, imported(t, dir), []factWant{
		{arn + "vpc-peering-connection/pcx-0aaa0001", "network_link.kind", "peering"},
		{arn + "vpc-peering-connection/pcx-0aaa0001", "network_link.up", true},
		{arn + "vpc-peering-connection/pcx-0aaa0001", "network_link.networks", []string{"vpc-0aaa0001", "vpc-0def0001"}},
		{arn + "vpn-gateway/vgw-0aaa0001", "network_link.networks", []string{"vpc-0aaa0001"}},
		{arn + "vpn-gateway/vgw-0aaa0001", "network_link.up", true},
		{arn + "customer-gateway/cgw-0aaa0001", "network_link.peer_ips", []string{"203.0.113.10"}},
		{arn + "vpn-connection/vpn-0aaa0001", "network_link.gateway", "vgw-0aaa0001"},
		{arn + "vpn-connection/vpn-0aaa0001", "network_link.peer_gateway", "cgw-0aaa0001"},
		{arn + "vpn-connection/vpn-0aaa0001", "network_link.public_ips", []string{"52.0.0.1", "52.0.0.2"}},
		{arn + "vpn-connection/vpn-0aaa0001", "network_link.prefixes", []string{"192.168.0.0/16"}},
		{arn + "vpn-connection/vpn-0aaa0001", "network_link.bgp", false},
	})
	noFileHolds(t, dir, "VIGILTESTpsk", "a VPN pre-shared key")
}
