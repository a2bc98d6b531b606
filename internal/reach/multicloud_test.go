package reach_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/importer"
	"github.com/vigil-sec/vigil/internal/reach"
	"github.com/vigil-sec/vigil/internal/resource"
	"github.com/vigil-sec/vigil/internal/testkit"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// loadMultiCloud reads testdata/multicloud through the real importers: an
// AWS Config snapshot (a VPC with an app and a database subnet, peered
// with a second VPC, a virtual private gateway with a VPN connection to a
// customer gateway at GCP's address (BGP) and one at Azure's (static
// route)), a Cloud Asset export (a network whose HA VPN gateway and
// tunnel point back at the AWS tunnel addresses, a route to the tunnel and
// a firewall allowing 22 and 443 from the AWS range to the tag app), and a
// Resource Graph export (two peered VNets, the spoke's NSG denying RDP
// from the hub at priority 100 before allowing it from VirtualNetwork at
// 200, the hub's virtual network gateway, shared with the spoke
// (gateway transit), with a connection to a local network gateway at the
// AWS tunnel address).
func loadMultiCloud(t *testing.T) *reach.Graph {
	t.Helper()
	inv, err := importer.Load(context.Background(), []string{filepath.Join("testdata", "multicloud")})
	if err != nil {
		t.Fatal(err)
	}
	if len(inv.Errors) > 0 {
		t.Fatalf("input problems: %+v", inv.Errors)
	}
	return reach.New(inv.Resources)
}

func pathOf(t *testing.T, g *reach.Graph, src, dst, port string) *reach.PathResult {
	t.Helper()
	s, err := g.Resolve(src)
	if err != nil {
		t.Fatal(err)
	}
	d, err := g.Resolve(dst)
	if err != nil {
		t.Fatal(err)
	}
	q, err := reach.ParseQuery(port)
	if err != nil {
		t.Fatal(err)
	}
	return g.Path(s, d, q)
}

func verdict(res *reach.PathResult) string {
	switch res.Verdict {
	case reach.Denied:
		return "denied at " + lastPart(res.Denied.Resource)
	case reach.Undecided:
		return "undecided"
	}
	var s []string
	for _, p := range res.Paths {
		s = append(s, p.Protocol+"/"+itoa(p.FromPort))
	}
	return strings.Join(s, " ")
}

// TestMultiCloud: every case's answer, written before the code.
func TestMultiCloud(t *testing.T) {
	g := loadMultiCloud(t)
	cases := []struct{ src, dst, port, want string }{
		{"gvm-app", "i-0app", "", "tcp/22 tcp/443"},                      // over the VPN: 22 from the GCP range, 443 from anywhere
		{"gvm-app", "i-0db", "tcp/5432", "denied at acl-0db"},            // the database subnet's NACL denies 5432 from the GCP range (rule 90)
		{"i-0app", "i-0db", "5432", "tcp/5432"},                          // same VPC: the database's group allows the app's group
		{"i-0app", "gvm-app", "tcp/22", "tcp/22"},                        // the GCP firewall allows 22 from the AWS range to the tag app
		{"i-0app", "gvm-app", "tcp/80", "denied at shared-vpc"},          // the GCP implied deny
		{"vm-hub", "vm-spoke", "tcp/3389", "denied at nsg-spoke"},        // NSG deny at priority 100 before the allow at 200
		{"vm-spoke", "vm-hub", "tcp/3389", "tcp/3389"},                   // no NSG on the hub; the spoke's default rules let it out
		{"vm-hub", "vm-spoke", "tcp/22", "tcp/22"},                       // the default AllowVnetInBound covers the peered VNet
		{"internet", "i-0app", "", "tcp/443"},                            // public IP, route to the internet gateway, 443 from anywhere
		{"internet", "gvm-app", "", "denied at gvm-app"},                 // no external IP
		{"i-0app", "vm-hub", "tcp/22", "tcp/22"},                         // AWS to Azure over the second VPN (static route 10.1.0.0/16, propagated); no NSG on the hub
		{"vm-hub", "i-0app", "tcp/22", "denied at sg-0app"},              // Azure to AWS: 22 only from the GCP range
		{"vm-hub", "i-0app", "tcp/443", "tcp/443"},                       // the local network gateway's prefix 10.0.0.0/16, back by the propagated route
		{"vm-spoke", "i-0app", "tcp/443", "tcp/443"},                     // the spoke uses the hub's VPN gateway (useRemoteGateways); AWS routes 10.2.0.0/16 back
		{"i-0app", "vm-spoke", "tcp/22", "tcp/22"},                       // through the hub's gateway to the spoke (gateway transit); the NSG's AllowVnetInBound covers the local network gateway's range
		{"i-0app", "i-0peer", "tcp/22", "tcp/22"},                        // over the VPC peering, route back through it
		{"gvm-app", "i-0peer", "tcp/22", "denied at default-route-net"},  // GCP routes 10.0.0.0/16 only to the tunnel; AWS peering is not transitive anyway
		{"10.128.0.5", "10.0.1.10", "tcp/22", "tcp/22"},                  // ends named by private address
		{"i-0db", "internet", "tcp/443", "denied at rtb-0db"},            // the database subnet has no default route
		{"i-0app", "internet", "tcp/443", "tcp/443"},                     // out through the internet gateway
		{"gvm-app", "internet", "tcp/443", "denied at gvm-app"},          // no external IP (and no Cloud NAT in the model)
		{"gvm-app", "vm-spoke", "tcp/22", "denied at default-route-net"}, // no route from GCP to Azure: the default route goes to the internet
		{"vm-spoke", "gvm-app", "tcp/22", "denied at sn-spoke"},          // 10.128.0.5 takes Azure's system default route to the internet
	}
	for _, tc := range cases {
		res := pathOf(t, g, tc.src, tc.dst, tc.port)
		if got := verdict(res); got != tc.want {
			t.Errorf("%s -> %s %s: %s, want %s (%+v %+v)", tc.src, tc.dst, tc.port, got, tc.want, res.Denied, res.Undecided)
		}
	}
}

// TestMultiCloudHops: the case hop by hop: the GCP VM reaches the
// AWS instance's private address over the tunnel, allowed by the GCP
// egress rule and route to the tunnel, both ends of the VPN, the AWS
// network ACL and security group, and the AWS route back to the virtual
// private gateway.
func TestMultiCloudHops(t *testing.T) {
	res := pathOf(t, loadMultiCloud(t), "gvm-app", "i-0app", "tcp/22")
	if len(res.Paths) != 1 {
		t.Fatalf("%+v", res)
	}
	var got []string
	for _, h := range res.Paths[0].Hops {
		got = append(got, lastPart(h.Resource)+": "+h.Allows)
	}
	want := []string{
		"shared-vpc: implied rules: allow all 0-65535 to 0.0.0.0/0 (priority 65535)",
		"to-aws: route 10.0.0.0/16 -> vpnTunnels/tunnel-aws-0",
		"tunnel-aws-0: VPN tunnel-aws-0 to peer 52.1.1.1, 52.1.1.2",
		"vpn-0gcp: VPN vpn-0gcp (aws) from peer 35.242.1.1",
		"acl-0app: acl-0app: allow all 0-65535 from 0.0.0.0/0 (priority 100)",
		"sg-0app: app: allow tcp 22 from 10.128.0.0/20",
		"rtb-0app: return: route 10.128.0.0/20 -> vgw-0aws",
		"vpn-0gcp: return: VPN vpn-0gcp to peer 35.242.1.1",
		"tunnel-aws-0: return: VPN tunnel-aws-0 (gcp) from peer 52.1.1.1, 52.1.1.2",
		"acl-0app: reply: acl-0app: allow all 0-65535 to 0.0.0.0/0 (priority 100)",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("hops:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// The database behind its network ACL: the hops up to the denial.
	res = pathOf(t, loadMultiCloud(t), "gvm-app", "i-0db", "tcp/5432")
	if res.Denied == nil || res.Denied.Reason != "denied by acl-0db: deny tcp 5432 from 10.128.0.0/20 (priority 90)" || len(res.Denied.After) != 4 {
		t.Errorf("denial %+v", res.Denied)
	}
}

// TestMultiCloudGolden: the JSON, DOT and Mermaid renderings of the VPN
// path, the NSG denial and the blast radius of the AWS app instance.
func TestMultiCloudGolden(t *testing.T) {
	g := loadMultiCloud(t)
	for _, c := range []struct{ name, src, dst, port string }{
		{"vpn-path", "gvm-app", "i-0app", ""},
		{"nsg-denied", "vm-hub", "vm-spoke", "tcp/3389"},
		{"nacl-denied", "gvm-app", "i-0db", "tcp/5432"},
	} {
		res := pathOf(t, g, c.src, c.dst, c.port)
		js, err := json.MarshalIndent(res, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		testkit.Golden(t, filepath.Join("testdata", "golden", c.name+".json"), append(js, '\n'), *update)
		d := reach.NewDiagram()
		reach.DrawPath(d, res)
		var dot, mm, txt bytes.Buffer
		if err := d.WriteDOT(&dot); err != nil {
			t.Fatal(err)
		}
		if err := d.WriteMermaid(&mm); err != nil {
			t.Fatal(err)
		}
		if err := reach.WritePathText(&txt, res); err != nil {
			t.Fatal(err)
		}
		testkit.Golden(t, filepath.Join("testdata", "golden", c.name+".dot"), dot.Bytes(), *update)
		testkit.Golden(t, filepath.Join("testdata", "golden", c.name+".mmd"), mm.Bytes(), *update)
		testkit.Golden(t, filepath.Join("testdata", "golden", c.name+".txt"), txt.Bytes(), *update)
	}
	// Blast radius of the app instance: the database, the GCP VM over the
	// VPN (22 only: the firewall), the internet; not the Azure VMs.
	src, _ := g.Resolve("i-0app")
	reached := map[string]string{}
	d := reach.NewDiagram()
	for _, res := range g.From(src, reach.Query{Protocol: "tcp"}) {
		reached[lastPart(res.To.ID)] = verdict(res)
		if res.Verdict == reach.Reachable {
			reach.DrawPath(d, res)
		}
	}
	want := map[string]string{"i-0db": "tcp/5432", "gvm-app": "tcp/22 tcp/443", "vm-hub": "tcp/0", "vm-spoke": "tcp/0 tcp/3389 tcp/3390", "i-0peer": "tcp/22", "internet": "tcp/0"}
	for k, w := range want {
		if reached[k] != w {
			t.Errorf("from i-0app to %s: %s, want %s", k, reached[k], w)
		}
	}
	var mm bytes.Buffer
	if err := d.WriteMermaid(&mm); err != nil {
		t.Fatal(err)
	}
	testkit.Golden(t, filepath.Join("testdata", "golden", "blast-i-0app.mmd"), mm.Bytes(), *update)
}

// TestExposureGolden: the exposed set of the multi-cloud inventory drawn.
func TestExposureGolden(t *testing.T) {
	inv, err := importer.Load(context.Background(), []string{filepath.Join("testdata", "multicloud")})
	if err != nil {
		t.Fatal(err)
	}
	d := reach.NewDiagram()
	n := 0
	for _, r := range inv.Resources {
		if e := r.Facts.Exposure; e != nil && r.Facts.Firewall == nil && e.Internet != nil && *e.Internet {
			reach.DrawExposure(d, r.Ref(), e.Paths)
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d exposed, want 1 (i-0app on 443)", n)
	}
	var dot bytes.Buffer
	if err := d.WriteDOT(&dot); err != nil {
		t.Fatal(err)
	}
	testkit.Golden(t, filepath.Join("testdata", "golden", "exposed.dot"), dot.Bytes(), *update)
	_ = resource.Bool
}
