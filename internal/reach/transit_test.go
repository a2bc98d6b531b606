package reach_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/importer"
	"github.com/vigil-sec/vigil/internal/reach"
)

// loadTransit reads testdata/transit through the real importers: a hub
// account (111111111111) with transit gateway tgw-0hub and its route
// tables (AWS Config, no routes), the attachments and each table's routes
// from the CLI (describe-transit-gateway-attachments,
// search-transit-gateway-routes), VPCs a (10.10/16), c (10.30/16,
// associated with an isolated table routing only to the VPN), d (10.40/16,
// its table's routes not exported), f (10.60/16, its attachment known from
// Config only: its association is unknown), g (10.99/16, a blackhole in
// the spokes' table), and a VPN connection on the transit gateway (BGP)
// to a GCP HA VPN gateway; a spoke account (222222222222) whose VPC b
// (10.20/16) is attached to the hub's gateway (cross-account); a west
// account (333333333333, us-west-2) whose transit gateway tgw-0west is
// peered with the hub's and routes VPC e (10.50/16).
func loadTransit(t *testing.T) *reach.Graph {
	t.Helper()
	inv, err := importer.Load(context.Background(), []string{filepath.Join("testdata", "transit")})
	if err != nil {
		t.Fatal(err)
	}
	if len(inv.Errors) > 0 {
		t.Fatalf("input problems: %+v", inv.Errors)
	}
	return reach.New(inv.Resources)
}

// TestTransitGateway: every case's answer, written before the code.
func TestTransitGateway(t *testing.T) {
	g := loadTransit(t)
	cases := []struct{ src, dst, port, want string }{
		{"i-0a", "i-0b", "tcp/22", "tcp/22"},                      // cross-account attachment, the spokes' table both ways
		{"i-0b", "i-0a", "tcp/22", "denied at sg-0a"},             // routed, but a's group admits 22 from the GCP, c and e ranges only
		{"i-0b", "i-0a", "tcp/443", "tcp/443"},                    // 443 from 10.0.0.0/8
		{"i-0a", "i-0c", "tcp/22", "denied at tgw-rtb-0isolated"}, // the way back: c's table routes only to the VPN
		{"i-0c", "i-0a", "tcp/22", "denied at tgw-rtb-0isolated"}, // no route to 10.10.1.10 in c's table
		{"i-0a", "i-0d", "tcp/22", "undecided"},                   // d's table's routes are not exported
		{"i-0a", "i-0f", "tcp/22", "undecided"},                   // f's association is not in Config
		{"i-0a", "i-0g", "tcp/22", "denied at tgw-rtb-0spokes"},   // a blackhole route
		{"i-0a", "i-0e", "tcp/22", "tcp/22"},                      // through the peering attachment to tgw-0west and back
		{"i-0e", "i-0a", "tcp/22", "tcp/22"},                      // the west table routes 10.10/16 to the peering
		{"gvm-x", "i-0a", "tcp/22", "tcp/22"},                     // GCP tunnel, the VPN on the transit gateway, the VPN attachment's table
		{"i-0a", "gvm-x", "tcp/22", "tcp/22"},                     // the spokes' table sends 10.128/20 to the VPN attachment
		{"i-0b", "gvm-x", "tcp/22", "tcp/22"},                     // the VPN attachment's table routes 10.20/16 back
		{"i-0c", "gvm-x", "tcp/22", "denied at default-route-t"},  // the gateway advertises no 10.30/16: GCP sends the reply to the internet
		{"gvm-x", "i-0d", "tcp/22", "denied at default-route-t"},  // nor 10.40/16
		{"i-0a", "internet", "tcp/443", "denied at rtb-0a"},       // no default route in a's table
		{"internet", "i-0a", "tcp/443", "denied at i-0a"},         // no public IP
	}
	for _, tc := range cases {
		res := pathOf(t, g, tc.src, tc.dst, tc.port)
		if got := verdict(res); got != tc.want {
			t.Errorf("%s -> %s %s: %s, want %s (%+v %+v)", tc.src, tc.dst, tc.port, got, tc.want, res.Denied, res.Undecided)
		}
	}
}

// TestTransitGatewayHops: the hops through the transit gateway name the
// attachment, its route table and the route, and the reasons of the
// undecided cases name what is missing.
func TestTransitGatewayHops(t *testing.T) {
	g := loadTransit(t)
	res := pathOf(t, g, "i-0a", "i-0e", "tcp/22")
	if len(res.Paths) != 1 {
		t.Fatalf("%+v", res)
	}
	var got []string
	for _, h := range res.Paths[0].Hops {
		got = append(got, lastPart(h.Resource)+": "+h.Allows)
	}
	want := []string{
		"sg-0a: a: allow all 0-65535 to 0.0.0.0/0",
		"acl-0a: acl-0a: allow all 0-65535 to 0.0.0.0/0 (priority 100)",
		"rtb-0a: route 10.50.0.0/16 -> tgw-0hub",
		"tgw-attach-0a: transit gateway tgw-0hub from attachment tgw-attach-0a (vpc vpc-0a), route table tgw-rtb-0spokes",
		"tgw-rtb-0spokes: route 10.50.0.0/16 -> tgw-attach-0peer (peering tgw-0west)",
		"tgw-0west: transit gateway tgw-0west from attachment tgw-attach-0peer (peering tgw-0hub), route table tgw-rtb-0west",
		"tgw-rtb-0west: route 10.50.0.0/16 -> tgw-attach-0e (vpc vpc-0e)",
		"acl-0e: acl-0e: allow all 0-65535 from 0.0.0.0/0 (priority 100)",
		"sg-0e: e: allow tcp 22 from 10.10.0.0/16",
		"rtb-0e: return: route 10.10.0.0/16 -> tgw-0west",
		"tgw-attach-0e: return: transit gateway tgw-0west from attachment tgw-attach-0e (vpc vpc-0e), route table tgw-rtb-0west",
		"tgw-rtb-0west: return: route 10.10.0.0/16 -> tgw-attach-0peer (peering tgw-0hub)",
		"tgw-0hub: return: transit gateway tgw-0hub from attachment tgw-attach-0peer (peering tgw-0west), route table tgw-rtb-0spokes",
		"tgw-rtb-0spokes: return: route 10.10.0.0/16 -> tgw-attach-0a (vpc vpc-0a)",
		"acl-0e: reply: acl-0e: allow all 0-65535 to 0.0.0.0/0 (priority 100)",
		"acl-0a: reply: acl-0a: allow all 0-65535 from 0.0.0.0/0 (priority 100)",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("hops:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for _, c := range []struct{ dst, why string }{
		{"i-0d", "the routes of transit gateway route table tgw-rtb-0d (tgw-0hub) are not in the inventory (aws ec2 search-transit-gateway-routes, complete)"},
		{"i-0f", "the transit gateway route table attachment tgw-attach-0f of tgw-0hub is associated with is not in the inventory (aws ec2 describe-transit-gateway-attachments)"},
	} {
		res := pathOf(t, g, "i-0a", c.dst, "tcp/22")
		if res.Verdict != reach.Undecided || len(res.Undecided) != 1 || res.Undecided[0] != c.why {
			t.Errorf("i-0a -> %s: %s %q, want undecided %q", c.dst, res.Verdict, res.Undecided, c.why)
		}
	}
}
