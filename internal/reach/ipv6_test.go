package reach

import (
	"testing"

	"github.com/vigil-sec/vigil/internal/resource"
)

// v6vm: an AWS instance in subnet-1 behind sg-6, with the given public
// IPv4 and IPv6 facts (every AWS IPv6 address is globally routable).
func v6vm(v4, v6 *bool) *resource.Resource {
	r := vm(resource.AWS, "i-6", v4, rels(rel(resource.RelInSubnet, "subnet-1"), rel(resource.RelInNetwork, "vpc-1"), rel(resource.RelUsesFirewall, "sg-6")))
	r.Facts.Compute.PublicIPv6 = v6
	return r
}

var (
	v6IGW  = resource.Route{Destination: "::/0", NextHop: "internet", Target: "igw-1"}
	v6EIGW = resource.Route{Destination: "::/0", NextHop: "egress_only", Target: "eigw-1"}
	// sg6: SSH from any IPv6 address, HTTP from any IPv4 address.
	sg6 = func() *resource.Resource {
		return fw(resource.AWS, "sg-6", nil, ingress("allow", "tcp", 22, 22, 0, "::/0"), ingress("allow", "tcp", 80, 80, 0, "0.0.0.0/0"))
	}
	acl6 = func(extra ...resource.FirewallRule) *resource.Resource {
		return nacl("acl-1", "subnet-1", append([]resource.FirewallRule{naclAllow, ingress("allow", "all", 0, 65535, 101, "::/0")}, extra...)...)
	}
	rtb6 = func(rts ...resource.Route) *resource.Resource {
		return routes(resource.AWS, "rtb-1", false, rel(resource.RelRoutesFor, "subnet-1"), append([]resource.Route{local}, rts...)...)
	}
)

// TestExposureIPv6: the expected reachable sets were written before the
// code (issue 13: IPv4 and IPv6; unknown, never "not exposed", where the
// data is missing).
func TestExposureIPv6(t *testing.T) {
	runExposureCases(t, []exposureCase{
		{"IPv6 address, ::/0 to an internet gateway, SG admits ::/0 on 22: exposed over IPv6 on 22 only",
			[]*resource.Resource{v6vm(no, yes), sg6(), rtb6(toIGW, v6IGW), acl6()},
			map[string]string{"i-6": "ipv6 tcp 22", "sg-6": "ipv6 tcp 22", "acl-1": "ipv6 tcp 22"}, ""},
		{"the same through an egress-only internet gateway: not exposed",
			[]*resource.Resource{v6vm(no, yes), sg6(), rtb6(toIGW, v6EIGW), acl6()},
			map[string]string{"i-6": "none", "sg-6": "none"}, ""},
		{"public IPv4 and IPv6, SG admits only 0.0.0.0/0: the IPv4 answer only",
			[]*resource.Resource{v6vm(yes, yes), fw(resource.AWS, "sg-6", nil, ingress("allow", "tcp", 22, 22, 0, "0.0.0.0/0")), rtb6(toIGW, v6IGW), acl6()},
			map[string]string{"i-6": "ipv4 tcp 22", "sg-6": "ipv4 tcp 22"}, ""},
		{"public IPv4 and IPv6, both families open: both paths",
			[]*resource.Resource{v6vm(yes, yes), sg6(), rtb6(toIGW, v6IGW), acl6()},
			map[string]string{"i-6": "ipv4 tcp 80, ipv6 tcp 22"}, ""},
		{"IPv6 address but no ::/0 route: not exposed",
			[]*resource.Resource{v6vm(no, yes), sg6(), rtb6(toIGW), acl6()},
			map[string]string{"i-6": "none", "sg-6": "none"}, ""},
		{"IPv6 address, network ACL allowing IPv4 only: not exposed",
			[]*resource.Resource{v6vm(no, yes), sg6(), rtb6(toIGW, v6IGW), nacl("acl-1", "subnet-1", naclAllow)},
			map[string]string{"i-6": "none"}, ""},
		{"IPv6 address, network ACL letting replies out to IPv4 only: not exposed (stateless)",
			[]*resource.Resource{v6vm(no, yes), sg6(), rtb6(toIGW, v6IGW), acl6(egress("allow", "all", 0, 65535, 100, "0.0.0.0/0"))},
			map[string]string{"i-6": "none"}, ""},
		{"IPv6 address, network ACL letting replies out to ::/0: exposed",
			[]*resource.Resource{v6vm(no, yes), sg6(), rtb6(toIGW, v6IGW), acl6(egress("allow", "all", 0, 65535, 100, "::/0"))},
			map[string]string{"i-6": "ipv6 tcp 22"}, ""},
		{"IPv6 fact missing, no public IPv4, ::/0 to an internet gateway and SG admits ::/0: undecided",
			[]*resource.Resource{v6vm(no, nil), sg6(), rtb6(toIGW, v6IGW), acl6()},
			map[string]string{"i-6": "undecided", "sg-6": "undecided"}, "whether it has an IPv6 address is not in the inventory"},
		{"IPv6 fact missing, public IPv4: the IPv4 path, the IPv6 one undecided",
			[]*resource.Resource{v6vm(yes, nil), sg6(), rtb6(toIGW, v6IGW), acl6()},
			map[string]string{"i-6": "ipv4 tcp 80"}, "whether it has an IPv6 address is not in the inventory"},
		{"IPv6 fact missing, no ::/0 route: not exposed",
			[]*resource.Resource{v6vm(no, nil), sg6(), rtb6(toIGW), acl6()},
			map[string]string{"i-6": "none"}, ""},
		{"IPv6 fact missing, ::/0 to an egress-only gateway: not exposed",
			[]*resource.Resource{v6vm(no, nil), sg6(), rtb6(toIGW, v6EIGW), acl6()},
			map[string]string{"i-6": "none"}, ""},
		{"IPv6 fact missing, SG admits IPv4 only: not exposed",
			[]*resource.Resource{v6vm(no, nil), fw(resource.AWS, "sg-6", nil, ingress("allow", "tcp", 22, 22, 0, "0.0.0.0/0")), rtb6(toIGW, v6IGW), acl6()},
			map[string]string{"i-6": "none"}, ""},
		{"IPv6 fact missing, no public IPv4, route table not exported: still not exposed (nothing says it has an address)",
			[]*resource.Resource{v6vm(no, nil), sg6(), acl6()},
			map[string]string{"i-6": "none"}, ""},
	})
}

// TestPathHopsIPv6: the IPv6 path starts at the instance's public IPv6
// address and names the ::/0 route and the rules admitting ::/0; the path
// question from the internet answers it too.
func TestPathHopsIPv6(t *testing.T) {
	rs := []*resource.Resource{v6vm(no, yes), sg6(), rtb6(toIGW, v6IGW), acl6()}
	Annotate(rs)
	e := rs[0].Facts.Exposure
	if len(e.Paths) != 1 {
		t.Fatalf("%+v", e)
	}
	want := "i-6: public IPv6 address | rtb-1: route ::/0 -> igw-1 | acl-1: acl-1: allow all 0-65535 from ::/0 (priority 101) | sg-6: sg-6: allow tcp 22 from ::/0"
	if got := hopsText(e.Paths[0]); got != want {
		t.Errorf("hops\n%s\nwant\n%s", got, want)
	}
	g := New(rs)
	for _, c := range []struct {
		port    int
		verdict string
	}{{22, Reachable}, {80, Denied}} {
		res := g.Path(nil, rs[0], Query{Protocol: "tcp", FromPort: c.port, ToPort: c.port})
		if res.Verdict != c.verdict {
			t.Errorf("path from the internet on %d: %s, want %s (%+v)", c.port, res.Verdict, c.verdict, res)
		}
	}
	// Without the IPv6 fact and no public IPv4 address, the question from
	// the internet is undecided, as the exposure is (never "denied").
	rs = []*resource.Resource{v6vm(no, nil), sg6(), rtb6(toIGW, v6IGW), acl6()}
	if res := New(rs).Path(nil, rs[0], Query{Protocol: "tcp", FromPort: 22, ToPort: 22}); res.Verdict != Undecided {
		t.Errorf("path from the internet without the IPv6 fact: %s, want %s (%+v)", res.Verdict, Undecided, res)
	}
}
