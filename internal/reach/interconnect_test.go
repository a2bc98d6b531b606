package reach_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/importer"
	"github.com/vigil-sec/vigil/internal/reach"
)

// loadInterconnect reads testdata/interconnect: an AWS account whose VPC x
// (10.70/16, its route table propagating vgw-0dx) has three Direct Connect
// private virtual interfaces on vgw-0dx (describe-virtual-interfaces):
// to-gcp (169.254.60.1, customer 169.254.60.2), to-azure (169.254.70.1,
// customer 169.254.70.2) and to-datacenter (169.254.61.1, customer
// 169.254.61.2); VPCs y (10.80/16) and z (10.90/16) without routes to
// them. A GCP network (10.140/20) whose Cloud Router has a partner
// Interconnect attachment at 169.254.60.2, customer 169.254.60.1 (the
// AWS interface's ends: matched), a firewall allowing 22 from 10.70/16. An
// Azure VNet (10.150/16) with an ExpressRoute gateway connected to a
// circuit whose private peering's primary link 169.254.70.0/30 gives the
// customer 169.254.70.1 and Microsoft 169.254.70.2 (the to-azure
// interface's ends: matched), no NSG. to-datacenter's other end is not in
// the inventory: an on-premises network.
func loadInterconnect(t *testing.T) *reach.Graph {
	t.Helper()
	inv, err := importer.Load(context.Background(), []string{filepath.Join("testdata", "interconnect")})
	if err != nil {
		t.Fatal(err)
	}
	if len(inv.Errors) > 0 {
		t.Fatalf("input problems: %+v", inv.Errors)
	}
	return reach.New(inv.Resources)
}

// TestInterconnect: every case's answer, written before the code.
func TestInterconnect(t *testing.T) {
	g := loadInterconnect(t)
	cases := []struct{ src, dst, port, want string }{
		{"gvm-ic", "i-0x", "tcp/22", "tcp/22"},                      // Interconnect attachment to the Direct Connect interface, back by the propagated route
		{"i-0x", "gvm-ic", "tcp/22", "tcp/22"},                      // the GCP firewall allows 22 from 10.70/16
		{"i-0x", "gvm-ic", "tcp/443", "denied at icnet"},            // the GCP implied deny
		{"vm-er", "i-0x", "tcp/443", "tcp/443"},                     // ExpressRoute to the to-azure interface
		{"i-0x", "vm-er", "tcp/22", "tcp/22"},                       // and back (no NSG on the VM)
		{"vm-er", "i-0x", "tcp/22", "denied at sg-0x"},              // 22 only from the GCP range
		{"i-0x", "i-0z", "tcp/22", "undecided"},                     // no known route, but to-datacenter's BGP routes are unknown
		{"i-0y", "gvm-ic", "tcp/22", "denied at rtb-0y"},            // y's table propagates nothing: no route
		{"gvm-ic", "vm-er", "tcp/22", "denied at default-route-ic"}, // GCP learns only x's range: not transitive through AWS
		{"vm-er", "gvm-ic", "tcp/22", "denied at sn-app"},           // Azure learns only x's range: the system default route to the internet
	}
	for _, tc := range cases {
		res := pathOf(t, g, tc.src, tc.dst, tc.port)
		if got := verdict(res); got != tc.want {
			t.Errorf("%s -> %s %s: %s, want %s (%+v %+v)", tc.src, tc.dst, tc.port, got, tc.want, res.Denied, res.Undecided)
		}
	}
	res := pathOf(t, g, "i-0x", "i-0z", "tcp/22")
	if want := "the routes to 10.90.1.10: i-0x learns routes over BGP from to-datacenter, whose other end is not in the inventory; they may cover it"; len(res.Undecided) != 1 || res.Undecided[0] != want {
		t.Errorf("undecided %q, want %q", res.Undecided, want)
	}
	res = pathOf(t, g, "gvm-ic", "i-0x", "tcp/22")
	var got []string
	for _, h := range res.Paths[0].Hops {
		got = append(got, lastPart(h.Resource)+": "+h.Allows)
	}
	want := []string{
		"icnet: implied rules: allow all 0-65535 to 0.0.0.0/0 (priority 65535)",
		"ia-aws: dynamic route 10.70.0.0/16 learned over BGP by the Cloud Router of ia-aws",
		"ia-aws: Interconnect attachment ia-aws to peer 169.254.60.1",
		"dxvif-0gcp: Direct Connect virtual interface to-gcp (aws) from peer 169.254.60.2",
		"acl-0x: acl-0x: allow all 0-65535 from 0.0.0.0/0 (priority 100)",
		"sg-0x: x: allow tcp 22 from 10.140.0.0/20",
		"rtb-0x: return: propagated route 10.140.0.0/20 -> vgw-0dx (to-gcp)",
		"dxvif-0gcp: return: Direct Connect virtual interface to-gcp to peer 169.254.60.2",
		"ia-aws: return: Interconnect attachment ia-aws (gcp) from peer 169.254.60.1",
		"acl-0x: reply: acl-0x: allow all 0-65535 to 0.0.0.0/0 (priority 100)",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("hops:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
