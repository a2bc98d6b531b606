package reach_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/importer"
	"github.com/vigil-sec/vigil/internal/reach"
	"github.com/vigil-sec/vigil/internal/resource"
)

// dxAssociations is the describe-direct-connect-gateway-associations
// output of testdata/dxgw.
const dxAssociations = "directconnect-describe-direct-connect-gateway-associations"

// loadDXGateway reads testdata/dxgw: the interconnect inventory
// (loadInterconnect) with the Direct Connect interface to-gcp moved from
// vgw-0dx to a Direct Connect gateway (5f29...dx000001), to-datacenter
// removed, VPCs y (10.80/16) and z (10.90/16) with VGWs vgw-0y and
// vgw-0z propagated into their route tables, the GCP firewall allowing 22
// from 10.64.0.0/10 (x, y and z). The Direct Connect gateway is
// associated with vgw-0dx (allowed 10.70.0.0/16), vgw-0y (allowed
// 10.80.0.0/15: wider than y's range, so y's range is advertised) and
// vgw-0z (allowed 10.90.1.0/24: narrower than z's 10.90.0.0/16, so
// nothing of z is advertised). Without the associations output
// (withAssoc false) the gateway's VPCs are not known.
func loadDXGateway(t *testing.T, withAssoc bool) *reach.Graph {
	t.Helper()
	return reach.New(loadDXResources(t, withAssoc))
}

func loadDXResources(t *testing.T, withAssoc bool) []*resource.Resource {
	t.Helper()
	root := filepath.Join("testdata", "dxgw")
	var paths []string
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if !withAssoc && strings.Contains(p, dxAssociations) {
			return nil
		}
		paths = append(paths, p)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	inv, err := importer.Load(context.Background(), paths)
	if err != nil {
		t.Fatal(err)
	}
	if len(inv.Errors) > 0 {
		t.Fatalf("input problems: %+v", inv.Errors)
	}
	return inv.Resources
}

// TestDXGateway: every case's answer, written before the code.
func TestDXGateway(t *testing.T) {
	g := loadDXGateway(t, true)
	cases := []struct{ src, dst, port, want string }{
		{"gvm-ic", "i-0x", "tcp/22", "tcp/22"},                      // Interconnect attachment to to-gcp, on the DX gateway associated with vgw-0dx
		{"i-0x", "gvm-ic", "tcp/22", "tcp/22"},                      // x propagates vgw-0dx, which learns to-gcp's routes through the DX gateway
		{"gvm-ic", "i-0y", "tcp/22", "tcp/22"},                      // y's range is advertised (allowed 10.80.0.0/15 covers it)
		{"i-0y", "gvm-ic", "tcp/22", "tcp/22"},                      // and y learns the GCP range over vgw-0y
		{"gvm-ic", "i-0z", "tcp/22", "denied at default-route-ic"},  // z's allowed prefix is narrower than its range: GCP learns no route to z
		{"i-0z", "gvm-ic", "tcp/22", "denied at default-route-ic"},  // z has a route out, but the reply has no route back
		{"i-0x", "i-0y", "tcp/22", "denied at rtb-0x"},              // two VPCs on one DX gateway do not reach each other through it
		{"vm-er", "i-0x", "tcp/443", "tcp/443"},                     // ExpressRoute to the to-azure interface, directly on vgw-0dx
		{"gvm-ic", "vm-er", "tcp/22", "denied at default-route-ic"}, // not transitive through AWS
	}
	for _, tc := range cases {
		res := pathOf(t, g, tc.src, tc.dst, tc.port)
		if got := verdict(res); got != tc.want {
			t.Errorf("%s -> %s %s: %s, want %s (%+v %+v)", tc.src, tc.dst, tc.port, got, tc.want, res.Denied, res.Undecided)
		}
	}
	res := pathOf(t, g, "gvm-ic", "i-0y", "tcp/22")
	var got []string
	for _, h := range res.Paths[0].Hops {
		got = append(got, lastPart(h.Resource)+": "+h.Allows)
	}
	want := []string{
		"icnet: implied rules: allow all 0-65535 to 0.0.0.0/0 (priority 65535)",
		"ia-aws: dynamic route 10.80.0.0/16 learned over BGP by the Cloud Router of ia-aws",
		"ia-aws: Interconnect attachment ia-aws to peer 169.254.60.1",
		"dxvif-0gcp: Direct Connect virtual interface to-gcp (aws) from peer 169.254.60.2",
		"a1b2c3d4-0000-4000-8000-0000000000y1: Direct Connect gateway 5f294f92-bafb-4011-916d-9b0bdx000001 associated with vgw-0y (allowed 10.80.0.0/15)",
		"acl-0y: acl-0y: allow all 0-65535 from 0.0.0.0/0 (priority 100)",
		"sg-0y: y: allow tcp 22 from 10.0.0.0/8",
		"rtb-0y: return: propagated route 10.140.0.0/20 -> vgw-0y (to-gcp)",
		"dxvif-0gcp: return: Direct Connect virtual interface to-gcp to peer 169.254.60.2",
		"ia-aws: return: Interconnect attachment ia-aws (gcp) from peer 169.254.60.1",
		"acl-0y: reply: acl-0y: allow all 0-65535 to 0.0.0.0/0 (priority 100)",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("hops:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	// Without the associations: what the DX gateway links is unknown.
	g = loadDXGateway(t, false)
	for _, tc := range []struct{ src, dst, port string }{
		{"gvm-ic", "i-0x", "tcp/22"}, // the GCP side learns over BGP from a gateway whose VPCs are not known
		{"i-0x", "gvm-ic", "tcp/22"}, // x's VGW may be associated with the DX gateway
		{"i-0y", "gvm-ic", "tcp/22"},
	} {
		res := pathOf(t, g, tc.src, tc.dst, tc.port)
		if res.Verdict != reach.Undecided || !strings.Contains(strings.Join(res.Undecided, "; "), "describe-direct-connect-gateway-associations") {
			t.Errorf("without associations, %s -> %s %s: %s %+v, want undecided naming the associations output", tc.src, tc.dst, tc.port, verdict(res), res.Undecided)
		}
	}
	// vm-er reaches x over its own interface on vgw-0dx either way.
	if res := pathOf(t, g, "vm-er", "i-0x", "tcp/443"); verdict(res) != "tcp/443" {
		t.Errorf("vm-er -> i-0x without associations: %s", verdict(res))
	}

	// Associated with a transit gateway instead, whose attachment of the
	// Direct Connect gateway is not in the inventory: undecided too.
	rs := loadDXResources(t, true)
	for _, r := range rs {
		if l := r.Facts.NetworkLink; l != nil && l.Kind == "dx_gateway_association" {
			l.AttachedType, l.Attached = "tgw", "tgw-0hub"
		}
	}
	g = reach.New(rs)
	if res := pathOf(t, g, "gvm-ic", "i-0x", "tcp/22"); res.Verdict != reach.Undecided || !strings.Contains(strings.Join(res.Undecided, "; "), "describe-transit-gateway-attachments") {
		t.Errorf("DX gateway on a transit gateway not in the inventory: %s %+v", verdict(res), res.Undecided)
	}
}
