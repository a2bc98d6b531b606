package reach

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/resource"
)

// Builders of hand-made inventories: resources with typed facts only.

func rel(typ string, ids ...string) []resource.Relationship {
	var out []resource.Relationship
	for _, id := range ids {
		out = append(out, resource.Relationship{Type: typ, TargetID: id})
	}
	return out
}

func rels(groups ...[]resource.Relationship) []resource.Relationship { return slices.Concat(groups...) }

func ingress(action, proto string, from, to, prio int, srcs ...string) resource.FirewallRule {
	return resource.FirewallRule{Direction: "ingress", Action: action, Protocol: proto, FromPort: from, ToPort: to, Priority: prio, Sources: srcs}
}

func fw(p resource.Provider, id string, rs []resource.Relationship, rules ...resource.FirewallRule) *resource.Resource {
	return &resource.Resource{Provider: p, ID: id, Class: resource.ClassFirewall, Relationships: rs,
		Facts: resource.Facts{Firewall: &resource.Firewall{Rules: append([]resource.FirewallRule{}, rules...)}}}
}

func nacl(id, subnet string, rules ...resource.FirewallRule) *resource.Resource {
	r := fw(resource.AWS, id, rel(resource.RelFirewallOf, subnet), rules...)
	r.Class = resource.ClassOther
	r.Facts.Firewall.Stateless = resource.Bool(true)
	return r
}

func vm(p resource.Provider, id string, public *bool, rs []resource.Relationship) *resource.Resource {
	return &resource.Resource{Provider: p, ID: id, Class: resource.ClassCompute, Relationships: rs,
		Facts: resource.Facts{Compute: &resource.Compute{PublicIP: public}}}
}

func routes(p resource.Provider, id string, main bool, rs []resource.Relationship, rts ...resource.Route) *resource.Resource {
	return &resource.Resource{Provider: p, ID: id, Class: resource.ClassOther, Relationships: rs,
		Facts: resource.Facts{Routing: &resource.Routing{Routes: rts, Main: resource.Bool(main)}}}
}

func other(p resource.Provider, id string, rs []resource.Relationship) *resource.Resource {
	return &resource.Resource{Provider: p, ID: id, Class: resource.ClassOther, Relationships: rs}
}

var (
	yes       = resource.Bool(true)
	no        = resource.Bool(false)
	toIGW     = resource.Route{Destination: "0.0.0.0/0", NextHop: "internet", Target: "igw-1"}
	toNAT     = resource.Route{Destination: "0.0.0.0/0", NextHop: "nat", Target: "nat-1"}
	local     = resource.Route{Destination: "10.0.0.0/16", NextHop: "local"}
	allowAll  = ingress("allow", "all", 0, 65535, 100, "0.0.0.0/0")
	sshOpen   = ingress("allow", "tcp", 22, 22, 0, "0.0.0.0/0", "::/0")
	naclAllow = ingress("allow", "all", 0, 65535, 100, "0.0.0.0/0")
)

// awsBase: instance i-1 (public IP, sg-open allowing 22 from anywhere) in
// subnet-1 of vpc-1, with its ACL acl-1 allowing all.
func awsBase(extra ...*resource.Resource) []*resource.Resource {
	return append([]*resource.Resource{
		vm(resource.AWS, "i-1", yes, rels(rel(resource.RelInSubnet, "subnet-1"), rel(resource.RelInNetwork, "vpc-1"), rel(resource.RelUsesFirewall, "sg-open"))),
		fw(resource.AWS, "sg-open", nil, sshOpen),
	}, extra...)
}

// summary renders a resource's exposure as "undecided", "none" or its
// sorted paths "ipv4 tcp 22".
func summary(e *resource.Exposure) string {
	if e == nil {
		return "<nil>"
	}
	switch {
	case e.Internet == nil:
		return "undecided"
	case !*e.Internet:
		return "none"
	}
	var out []string
	for _, p := range e.Paths {
		ports := fmt.Sprint(p.FromPort)
		if p.ToPort != p.FromPort {
			ports += "-" + fmt.Sprint(p.ToPort)
		}
		out = append(out, p.Family+" "+p.Protocol+" "+ports)
	}
	return strings.Join(out, ", ")
}

func TestExposure(t *testing.T) {
	cases := []struct {
		note string
		rs   []*resource.Resource
		want map[string]string // resource ID → summary; written before the code
	}{
		{"aws open SG in a private subnet (route to a NAT only)",
			awsBase(routes(resource.AWS, "rtb-1", false, rel(resource.RelRoutesFor, "subnet-1"), local, toNAT), nacl("acl-1", "subnet-1", naclAllow)),
			map[string]string{"i-1": "none", "sg-open": "none"}},
		{"aws open SG with a route to an internet gateway",
			awsBase(routes(resource.AWS, "rtb-1", false, rel(resource.RelRoutesFor, "subnet-1"), local, toIGW), nacl("acl-1", "subnet-1", naclAllow)),
			map[string]string{"i-1": "ipv4 tcp 22", "sg-open": "ipv4 tcp 22", "acl-1": "ipv4 tcp 22"}},
		{"aws main route table of the VPC applies when the subnet has none",
			awsBase(routes(resource.AWS, "rtb-main", true, rel(resource.RelRoutesFor, "vpc-1"), toIGW), nacl("acl-1", "subnet-1", naclAllow)),
			map[string]string{"i-1": "ipv4 tcp 22"}},
		{"aws NACL deny in front",
			awsBase(routes(resource.AWS, "rtb-1", false, rel(resource.RelRoutesFor, "subnet-1"), toIGW),
				nacl("acl-1", "subnet-1", ingress("deny", "tcp", 22, 22, 50, "0.0.0.0/0"), naclAllow)),
			map[string]string{"i-1": "none", "sg-open": "none", "acl-1": "none"}},
		{"aws NACL allow before a deny wins by rule number",
			awsBase(routes(resource.AWS, "rtb-1", false, rel(resource.RelRoutesFor, "subnet-1"), toIGW),
				nacl("acl-1", "subnet-1", ingress("deny", "tcp", 0, 1024, 200, "0.0.0.0/0"), ingress("allow", "tcp", 20, 30, 100, "0.0.0.0/0"))),
			map[string]string{"i-1": "ipv4 tcp 22"}},
		{"aws IPv6 rules and route ::/0: a public IP is IPv4, so the IPv4 path only",
			awsBase(routes(resource.AWS, "rtb-1", false, rel(resource.RelRoutesFor, "subnet-1"), toIGW, resource.Route{Destination: "::/0", NextHop: "internet", Target: "igw-1"}),
				nacl("acl-1", "subnet-1", naclAllow, ingress("allow", "all", 0, 65535, 101, "::/0"))),
			map[string]string{"i-1": "ipv4 tcp 22"}},
		{"aws NACL letting no reply out: not exposed (stateless)",
			awsBase(routes(resource.AWS, "rtb-1", false, rel(resource.RelRoutesFor, "subnet-1"), toIGW),
				nacl("acl-1", "subnet-1", naclAllow, egress("allow", "tcp", 22, 22, 100, "0.0.0.0/0"))),
			map[string]string{"i-1": "none", "sg-open": "none"}},
		{"aws NACL letting the reply out on ephemeral ports: exposed",
			awsBase(routes(resource.AWS, "rtb-1", false, rel(resource.RelRoutesFor, "subnet-1"), toIGW),
				nacl("acl-1", "subnet-1", naclAllow, egress("allow", "tcp", 1024, 65535, 100, "0.0.0.0/0"))),
			map[string]string{"i-1": "ipv4 tcp 22"}},
		{"aws route table not exported: undecided",
			awsBase(nacl("acl-1", "subnet-1", naclAllow)),
			map[string]string{"i-1": "undecided", "sg-open": "undecided"}},
		{"aws network ACL not exported: undecided",
			awsBase(routes(resource.AWS, "rtb-1", false, rel(resource.RelRoutesFor, "subnet-1"), toIGW)),
			map[string]string{"i-1": "undecided"}},
		{"aws no public IP: not exposed even with everything open",
			[]*resource.Resource{vm(resource.AWS, "i-2", no, rel(resource.RelUsesFirewall, "sg-open")), fw(resource.AWS, "sg-open", nil, allowAll)},
			map[string]string{"i-2": "none"}},
		{"aws security group not in the inventory: undecided",
			[]*resource.Resource{vm(resource.AWS, "i-3", yes, rels(rel(resource.RelInSubnet, "subnet-1"), rel(resource.RelUsesFirewall, "sg-gone"))),
				routes(resource.AWS, "rtb-1", false, rel(resource.RelRoutesFor, "subnet-1"), toIGW), nacl("acl-1", "subnet-1", naclAllow)},
			map[string]string{"i-3": "undecided"}},
		{"aws cycles: route tables pointing at each other through peering",
			awsBase(routes(resource.AWS, "rtb-1", false, rels(rel(resource.RelRoutesFor, "subnet-1"), rel(resource.RelRoutesFor, "rtb-2")), resource.Route{Destination: "0.0.0.0/0", NextHop: "peering", Target: "pcx-1"}),
				routes(resource.AWS, "rtb-2", false, rel(resource.RelRoutesFor, "rtb-1"), resource.Route{Destination: "0.0.0.0/0", NextHop: "peering", Target: "pcx-1"}),
				nacl("acl-1", "subnet-1", naclAllow)),
			map[string]string{"i-1": "none"}},
		{"azure NSG deny at a higher priority on the subnet",
			[]*resource.Resource{
				vm(resource.Azure, "vm-1", nil, rel(resource.RelUsesInterface, "nic-1")),
				other(resource.Azure, "nic-1", rels(rel(resource.RelUsesPublicIP, "pip-1"), rel(resource.RelInSubnet, "sn-1"))),
				fw(resource.Azure, "nsg-nic", rel(resource.RelFirewallOf, "NIC-1"), ingress("allow", "tcp", 22, 22, 300, "0.0.0.0/0")),
				fw(resource.Azure, "nsg-sn", rel(resource.RelFirewallOf, "sn-1"), ingress("deny", "tcp", 0, 65535, 100, "0.0.0.0/0", "::/0"), ingress("allow", "tcp", 22, 22, 200, "0.0.0.0/0")),
			},
			map[string]string{"vm-1": "none"}},
		{"azure NIC and subnet NSGs both allow 22; 3389 only on the NIC",
			[]*resource.Resource{
				vm(resource.Azure, "vm-1", nil, rel(resource.RelUsesInterface, "nic-1")),
				other(resource.Azure, "nic-1", rels(rel(resource.RelUsesPublicIP, "pip-1"), rel(resource.RelInSubnet, "sn-1"), rel(resource.RelUsesFirewall, "nsg-nic"))),
				fw(resource.Azure, "nsg-nic", nil, ingress("allow", "tcp", 22, 22, 300, "0.0.0.0/0"), ingress("allow", "tcp", 3389, 3389, 310, "0.0.0.0/0")),
				fw(resource.Azure, "nsg-sn", rel(resource.RelFirewallOf, "sn-1"), ingress("allow", "tcp", 22, 22, 200, "0.0.0.0/0"), ingress("deny", "all", 0, 65535, 4096, "0.0.0.0/0")),
			},
			map[string]string{"vm-1": "ipv4 tcp 22"}},
		{"azure no NSG anywhere: undecided (public IP SKU)",
			[]*resource.Resource{
				vm(resource.Azure, "vm-1", nil, rel(resource.RelUsesInterface, "nic-1")),
				other(resource.Azure, "nic-1", rels(rel(resource.RelUsesPublicIP, "pip-1"), rel(resource.RelInSubnet, "sn-1"))),
			},
			map[string]string{"vm-1": "undecided"}},
		{"gcp firewall allow limited by a target tag",
			[]*resource.Resource{
				gvm("web", []string{"http"}), gvm("db", []string{"db"}),
				routes(resource.GCP, "default-route", false, rel(resource.RelRoutesFor, "net-1"), resource.Route{Destination: "0.0.0.0/0", NextHop: "internet", Target: "default-internet-gateway"}),
				gfw("allow-http", []string{"http"}, ingress("allow", "tcp", 80, 80, 1000, "0.0.0.0/0")),
				gfw("allow-internal", nil, ingress("allow", "all", 0, 65535, 1000, "10.0.0.0/8")),
			},
			map[string]string{"web": "ipv4 tcp 80", "db": "none", "allow-http": "ipv4 tcp 80", "allow-internal": "none"}},
		{"gcp deny before allow at one priority",
			[]*resource.Resource{
				gvm("web", []string{"http"}),
				routes(resource.GCP, "default-route", false, rel(resource.RelRoutesFor, "net-1"), resource.Route{Destination: "0.0.0.0/0", NextHop: "internet"}),
				gfw("allow-http", []string{"http"}, ingress("allow", "tcp", 80, 80, 1000, "0.0.0.0/0")),
				gfw("deny-all", nil, ingress("deny", "all", 0, 65535, 1000, "0.0.0.0/0")),
			},
			map[string]string{"web": "none"}},
		{"gcp default route deleted: not exposed",
			[]*resource.Resource{
				gvm("web", []string{"http"}),
				routes(resource.GCP, "subnet-route", false, rel(resource.RelRoutesFor, "net-1"), resource.Route{Destination: "10.0.0.0/24", NextHop: "local"}),
				gfw("allow-http", []string{"http"}, ingress("allow", "tcp", 80, 80, 1000, "0.0.0.0/0")),
			},
			map[string]string{"web": "none"}},
		{"gcp default route limited to other tags",
			[]*resource.Resource{
				gvm("web", []string{"http"}), gvm("egress", []string{"http", "nat"}),
				routes(resource.GCP, "nat-route", false, rel(resource.RelRoutesFor, "net-1"), resource.Route{Destination: "0.0.0.0/0", NextHop: "internet", Tags: []string{"nat"}}),
				gfw("allow-http", []string{"http"}, ingress("allow", "tcp", 80, 80, 1000, "0.0.0.0/0")),
			},
			map[string]string{"web": "none", "egress": "ipv4 tcp 80"}},
		{"internal VM behind an internet-facing load balancer: the listener port only",
			[]*resource.Resource{
				vm(resource.AWS, "i-app", no, rels(rel(resource.RelInSubnet, "subnet-1"), rel(resource.RelUsesFirewall, "sg-app"))),
				fw(resource.AWS, "sg-app", nil, ingress("allow", "tcp", 0, 65535, 0, "sg-alb")),
				fw(resource.AWS, "sg-alb", nil, ingress("allow", "tcp", 443, 443, 0, "0.0.0.0/0")),
				nacl("acl-1", "subnet-1", naclAllow, egress("allow", "all", 0, 65535, 100, "0.0.0.0/0")),
				{Provider: resource.AWS, ID: "alb-1", Class: resource.ClassLoadBalancer, Relationships: rel(resource.RelUsesFirewall, "sg-alb"),
					Facts: resource.Facts{LoadBalancer: &resource.LoadBalancer{Public: yes, Listeners: []resource.Listener{
						{Protocol: "HTTPS", Port: 443, Forwards: []resource.Forward{{Target: "i-app", Port: 8080, Via: "tg-app"}}},
						{Protocol: "HTTP", Port: 80, Forwards: []resource.Forward{{Target: "i-app", Port: 8080, Via: "tg-app"}}},
					}}}},
			},
			map[string]string{"i-app": "ipv4 tcp 443", "alb-1": "ipv4 tcp 443"}},
		{"internal load balancer: nothing behind it is exposed",
			[]*resource.Resource{
				vm(resource.AWS, "i-app", no, rel(resource.RelUsesFirewall, "sg-app")),
				fw(resource.AWS, "sg-app", nil, allowAll),
				{Provider: resource.AWS, ID: "nlb-1", Class: resource.ClassLoadBalancer,
					Facts: resource.Facts{LoadBalancer: &resource.LoadBalancer{Public: no, Listeners: []resource.Listener{{Protocol: "TCP", Port: 5432, Forwards: []resource.Forward{{Target: "i-app"}}}}}}},
			},
			map[string]string{"i-app": "none", "nlb-1": "none"}},
	}
	for _, tc := range cases {
		t.Run(tc.note, func(t *testing.T) {
			checkExposures(t, tc.rs, tc.want)
		})
	}
}

func gvm(id string, tags []string) *resource.Resource {
	r := vm(resource.GCP, id, yes, rel(resource.RelInNetwork, "net-1"))
	r.Facts.Compute.NetworkTags = tags
	return r
}

func gfw(id string, tags []string, rules ...resource.FirewallRule) *resource.Resource {
	r := fw(resource.GCP, id, rel(resource.RelInNetwork, "net-1"), rules...)
	r.Facts.Firewall.TargetTags = tags
	return r
}

// TestPathHops: every hop of a path names the rule or route allowing it.
func TestPathHops(t *testing.T) {
	rs := awsBase(routes(resource.AWS, "rtb-1", false, rel(resource.RelRoutesFor, "subnet-1"), toIGW), nacl("acl-1", "subnet-1", naclAllow))
	Annotate(rs)
	e := rs[0].Facts.Exposure
	if len(e.Paths) != 1 {
		t.Fatalf("paths %+v", e.Paths)
	}
	var got []string
	for _, h := range e.Paths[0].Hops {
		got = append(got, h.Resource+": "+h.Allows)
	}
	want := []string{"i-1: public IP", "rtb-1: route 0.0.0.0/0 -> igw-1", "acl-1: acl-1: allow all 0-65535 from 0.0.0.0/0 (priority 100)", "sg-open: sg-open: allow tcp 22 from 0.0.0.0/0"}
	if !slices.Equal(got, want) {
		t.Errorf("hops\n%q\nwant\n%q", got, want)
	}
}

func TestSet(t *testing.T) {
	a := set{{0, 10}, {20, 30}}
	if got := a.minus(set{{5, 25}}); !slices.Equal(got, set{{0, 4}, {26, 30}}) {
		t.Errorf("minus: %v", got)
	}
	if got := a.intersect(set{{8, 22}}); !slices.Equal(got, set{{8, 10}, {20, 22}}) {
		t.Errorf("intersect: %v", got)
	}
	if got := a.union(set{{11, 19}}); !slices.Equal(got, set{{0, 30}}) {
		t.Errorf("union: %v", got)
	}
}
