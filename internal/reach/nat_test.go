package reach

import (
	"slices"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/resource"
)

// NAT gives outbound connections only: an AWS NAT gateway or a GCP Cloud
// NAT never makes a private instance reachable from the internet, but the
// blast radius (reach from) goes out through it. Expected answers written
// before the code.

func cloudNAT(id string, region string, forSubnets ...string) *resource.Resource {
	r := other(resource.GCP, id, rel("nat_for", forSubnets...))
	r.Region = region
	r.Facts.NetworkLink = &resource.NetworkLink{Kind: resource.LinkNAT, Networks: []string{"net-1"}, State: "nat-all"}
	return r
}

// gcpPrivate: vm-priv without an external IP in net-1 (europe-west1-b),
// every port open to the internet by its firewall, the default route to
// the internet gateway.
func gcpPrivate(extra ...*resource.Resource) []*resource.Resource {
	v := gvm("vm-priv", nil)
	v.Facts.Compute.PublicIP, v.Region = no, "europe-west1-b"
	v.Facts.Addressing = &resource.Addressing{PrivateIPs: []string{"10.0.0.5"}}
	return append([]*resource.Resource{v,
		routes(resource.GCP, "default-route", false, rel(resource.RelRoutesFor, "net-1"), resource.Route{Destination: "0.0.0.0/0", NextHop: "internet", Target: "default-internet-gateway"}),
		gfw("allow-all", nil, allowAll),
	}, extra...)
}

func TestNATOutboundOnly(t *testing.T) {
	cases := []struct {
		note     string
		rs       []*resource.Resource
		exposure string // of the first resource
		out      string // verdict of reach from it to the internet, tcp/443
		hop      string // a hop of the outbound path
	}{
		{"gcp Cloud NAT in the VM's region: not exposed, out through the NAT",
			gcpPrivate(cloudNAT("router-1", "europe-west1")), "none", Reachable, "Cloud NAT nat-all translates the private address (outbound only)"},
		{"gcp no Cloud NAT: not exposed, no way out",
			gcpPrivate(), "none", Denied, ""},
		{"gcp Cloud NAT in another region: no way out",
			gcpPrivate(cloudNAT("router-1", "us-central1")), "none", Denied, ""},
		{"gcp Cloud NAT for listed subnetworks: out undecided",
			gcpPrivate(cloudNAT("router-1", "europe-west1", "sn-other")), "none", Undecided, ""},
		{"aws NAT gateway route: not exposed, out through the NAT gateway",
			awsApp(egress("allow", "all", 0, 65535, 0, "0.0.0.0/0")), "none", Reachable, "route 0.0.0.0/0 -> nat-1"},
	}
	for _, tc := range cases {
		t.Run(tc.note, func(t *testing.T) {
			Annotate(tc.rs)
			if got := summary(tc.rs[0].Facts.Exposure); got != tc.exposure {
				t.Errorf("exposure %q, want %q", got, tc.exposure)
			}
			g := New(tc.rs)
			res := g.Path(tc.rs[0], nil, Query{Protocol: "tcp", FromPort: 443, ToPort: 443})
			if res.Verdict != tc.out {
				t.Fatalf("to the internet: %s, want %s (%+v)", res.Verdict, tc.out, res)
			}
			if tc.hop != "" {
				var hops []string
				for _, h := range res.Paths[0].Hops {
					hops = append(hops, h.Allows)
				}
				if !slices.ContainsFunc(hops, func(h string) bool { return strings.HasSuffix(h, tc.hop) }) {
					t.Errorf("hops %q: none is %q", hops, tc.hop)
				}
			}
			in := g.Path(nil, tc.rs[0], Query{Protocol: "tcp", FromPort: 443, ToPort: 443})
			if in.Verdict == Reachable {
				t.Errorf("from the internet: reachable through %+v", in.Paths)
			}
		})
	}
}
