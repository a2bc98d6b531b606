package reach

import (
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/resource"
)

// Azure and GCP public IPv6 addresses (issue 13: IPv4 and IPv6). The
// expected reachable sets were written before the code.

// pip: an Azure public IP resource whose family the export says
// (publicIPAddressVersion), or whose address tells it.
func pip(id string, fams []string, addrs ...string) *resource.Resource {
	r := other(resource.Azure, id, nil)
	r.Facts.Addressing = &resource.Addressing{PublicFamilies: fams, PublicIPs: addrs}
	return r
}

// azV6: vm-6 with nic-6 in sn-6 using the given public IPs, behind
// nsg-6 (on the NIC) with the given rules; the subnet has no NSG.
func azV6(pips []string, rules ...resource.FirewallRule) []*resource.Resource {
	nicRels := rels(rel(resource.RelInSubnet, "sn-6"), rel(resource.RelUsesFirewall, "nsg-6"))
	for _, p := range pips {
		nicRels = append(nicRels, resource.Relationship{Type: resource.RelUsesPublicIP, TargetID: p})
	}
	return []*resource.Resource{
		vm(resource.Azure, "vm-6", nil, rel(resource.RelUsesInterface, "nic-6")),
		other(resource.Azure, "nic-6", nicRels),
		fw(resource.Azure, "nsg-6", nil, rules...),
	}
}

var (
	v4 = []string{"ipv4"}
	v6 = []string{"ipv6"}
	// ssh6: SSH from any IPv6 address only; ssh4 from any IPv4 address.
	ssh6 = ingress("allow", "tcp", 22, 22, 100, "::/0")
	ssh4 = ingress("allow", "tcp", 22, 22, 110, "0.0.0.0/0")
	// Azure "Internet" / "*" are normalized to both families.
	sshAny = ingress("allow", "tcp", 22, 22, 120, resource.NormSources([]string{"Internet"})...)
	web6   = ingress("allow", "tcp", 80, 80, 130, "::/0")
	web4   = ingress("allow", "tcp", 80, 80, 140, "0.0.0.0/0")
)

// exposureCase: an inventory, the expected summaries by resource ID and a
// text expected in the first resource's undecided reasons ("" none about
// IPv6).
type exposureCase struct {
	note      string
	rs        []*resource.Resource
	want      map[string]string
	undecided string
}

// checkExposures annotates rs and checks the exposure summary of every
// resource want names.
func checkExposures(t *testing.T, rs []*resource.Resource, want map[string]string) {
	t.Helper()
	Annotate(rs)
	for _, r := range rs {
		w, ok := want[r.ID]
		if !ok {
			continue
		}
		if got := summary(r.Facts.Exposure); got != w {
			t.Errorf("%s: exposure %q, want %q (%+v)", r.ID, got, w, r.Facts.Exposure)
		}
	}
}

func runExposureCases(t *testing.T, cases []exposureCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.note, func(t *testing.T) {
			checkExposures(t, tc.rs, tc.want)
			e := tc.rs[0].Facts.Exposure
			var v6Reasons []string
			for _, u := range e.Undecided {
				if strings.Contains(u, "IPv6") {
					v6Reasons = append(v6Reasons, u)
				}
			}
			switch {
			case tc.undecided != "" && len(v6Reasons) == 0:
				t.Errorf("undecided %q, want a reason with %q", e.Undecided, tc.undecided)
			case tc.undecided == "" && len(v6Reasons) > 0:
				t.Errorf("undecided %q, want no IPv6 reason", e.Undecided)
			}
			for _, u := range v6Reasons {
				if !strings.Contains(u, tc.undecided) {
					t.Errorf("undecided %q, want %q", u, tc.undecided)
				}
			}
		})
	}
}

func TestExposureAzureIPv6(t *testing.T) {
	runExposureCases(t, []exposureCase{
		{"IPv6 public IP, NSG admits ::/0 on 22: exposed over IPv6 on 22",
			append(azV6([]string{"pip-6"}, ssh6), pip("pip-6", v6)),
			map[string]string{"vm-6": "ipv6 tcp 22", "nsg-6": "ipv6 tcp 22"}, ""},
		{"IPv6 public IP, NSG admits Internet (both families) on 22: exposed over IPv6 on 22",
			append(azV6([]string{"pip-6"}, sshAny), pip("pip-6", v6)),
			map[string]string{"vm-6": "ipv6 tcp 22"}, ""},
		{"IPv6 public IP, NSG admits 0.0.0.0/0 only: not exposed",
			append(azV6([]string{"pip-6"}, ssh4), pip("pip-6", v6)),
			map[string]string{"vm-6": "none", "nsg-6": "none"}, ""},
		{"IPv6 public IP known by its address only: exposed over IPv6",
			append(azV6([]string{"pip-6"}, ssh6), pip("pip-6", nil, "2603:1030:20e:3::23")),
			map[string]string{"vm-6": "ipv6 tcp 22"}, ""},
		{"IPv4 public IP, NSG admits ::/0 only: not exposed (an IPv6 rule opens nothing)",
			append(azV6([]string{"pip-4"}, ssh6), pip("pip-4", v4, "20.1.2.3")),
			map[string]string{"vm-6": "none"}, ""},
		{"IPv4 and IPv6 public IPs: each family through its own rules",
			append(azV6([]string{"pip-4", "pip-6"}, ssh4, web6), pip("pip-4", v4), pip("pip-6", v6)),
			map[string]string{"vm-6": "ipv4 tcp 22, ipv6 tcp 80"}, ""},
		{"IPv6 public IP, a deny of ::/0 at a higher priority: not exposed",
			append(azV6([]string{"pip-6"}, ingress("deny", "all", 0, 65535, 50, "::/0"), ssh6), pip("pip-6", v6)),
			map[string]string{"vm-6": "none"}, ""},
		{"IPv6 public IP, a user route ::/0 to an appliance: not exposed",
			append(azV6([]string{"pip-6"}, ssh6), pip("pip-6", v6),
				routes(resource.Azure, "rt-6", false, rel(resource.RelRoutesFor, "sn-6"), resource.Route{Destination: "::/0", NextHop: "other", Target: "10.0.0.4"})),
			map[string]string{"vm-6": "none"}, ""},
		{"public IP not in the inventory, NSG admits ::/0 only: undecided (it may be an IPv6 address)",
			azV6([]string{"pip-x"}, ssh6),
			map[string]string{"vm-6": "undecided"}, "its IP version is not in the inventory"},
		{"public IP not in the inventory, NSG admits both families: the IPv4 path (the default version), the IPv6 one undecided",
			azV6([]string{"pip-x"}, sshAny),
			map[string]string{"vm-6": "ipv4 tcp 22"}, "its IP version is not in the inventory"},
		{"public IP not in the inventory, NSG admits IPv4 only: the IPv4 path, nothing undecided",
			azV6([]string{"pip-x"}, ssh4),
			map[string]string{"vm-6": "ipv4 tcp 22"}, ""},
		{"malformed address on the public IP, no version: undecided, naming the address",
			append(azV6([]string{"pip-6"}, ssh6), pip("pip-6", nil, "2603:1030::zz")),
			map[string]string{"vm-6": "undecided"}, `malformed address "2603:1030::zz"`},
	})
}

// azLB6: a Standard public load balancer lb-6 with one rule on TCP 80 on
// frontend pip-lb (of the given family) forwarding to nic-6 on 8080.
func azLB6(fams []string) []*resource.Resource {
	lb := &resource.Resource{Provider: resource.Azure, ID: "lb-6", Class: resource.ClassLoadBalancer, Type: "Microsoft.Network/loadBalancers",
		Facts: resource.Facts{LoadBalancer: &resource.LoadBalancer{Public: yes, Listeners: []resource.Listener{
			{Protocol: "TCP", Port: 80, Frontend: "pip-lb", Forwards: []resource.Forward{{Target: "nic-6", Port: 8080, Via: "lb-6/loadBalancingRules/web"}}},
		}}}}
	return []*resource.Resource{lb, pip("pip-lb", fams)}
}

func TestExposureAzureLoadBalancerIPv6(t *testing.T) {
	b6 := ingress("allow", "tcp", 8080, 8080, 100, "::/0")
	b4 := ingress("allow", "tcp", 8080, 8080, 100, "0.0.0.0/0")
	cases := []exposureCase{
		{"IPv6 frontend, the backend's NSG admits ::/0 on 8080: the listener and the VM over IPv6 on 80",
			append(azV6(nil, b6), azLB6(v6)...),
			map[string]string{"vm-6": "ipv6 tcp 80", "lb-6": "ipv6 tcp 80"}, ""},
		{"IPv6 frontend, the backend's NSG admits 0.0.0.0/0 only: the listener only",
			append(azV6(nil, b4), azLB6(v6)...),
			map[string]string{"vm-6": "none", "lb-6": "ipv6 tcp 80"}, ""},
		{"IPv4 frontend, the backend's NSG admits ::/0 only: the listener only",
			append(azV6(nil, b6), azLB6(v4)...),
			map[string]string{"vm-6": "none", "lb-6": "ipv4 tcp 80"}, ""},
	}
	runExposureCases(t, cases)
}

// gcpV6: VM gvm-6 in net-6 with the given public families (its access
// configs) and IPv6 fact, tagged web, routes and firewall rules given.
func gcpV6(public *bool, fams []string, v6fact *bool, rts []resource.Route, fws ...*resource.Resource) []*resource.Resource {
	r := vm(resource.GCP, "gvm-6", public, rel(resource.RelInNetwork, "net-6"))
	r.Facts.Compute.PublicIPv6 = v6fact
	r.Facts.Compute.NetworkTags = []string{"web"}
	if fams != nil {
		r.Facts.Addressing = &resource.Addressing{PublicFamilies: fams}
	}
	rs := []*resource.Resource{r}
	for i, rt := range rts {
		rs = append(rs, routes(resource.GCP, "route-"+string(rune('a'+i)), false, rel(resource.RelRoutesFor, "net-6"), rt))
	}
	return append(rs, fws...)
}

func gfw6(id string, tags []string, rules ...resource.FirewallRule) *resource.Resource {
	r := fw(resource.GCP, id, rel(resource.RelInNetwork, "net-6"), rules...)
	r.Facts.Firewall.TargetTags = tags
	return r
}

var (
	gDef4 = resource.Route{Destination: "0.0.0.0/0", NextHop: "internet", Target: "default-internet-gateway"}
	gDef6 = resource.Route{Destination: "::/0", NextHop: "internet", Target: "default-internet-gateway"}
)

func TestExposureGCPIPv6(t *testing.T) {
	both := []resource.Route{gDef4, gDef6}
	runExposureCases(t, []exposureCase{
		{"external IPv6 only (ipv6AccessConfigs), ::/0 route, rule admits ::/0 on 22: exposed over IPv6 on 22",
			gcpV6(yes, v6, yes, both, gfw6("fw-ssh6", nil, ssh6)),
			map[string]string{"gvm-6": "ipv6 tcp 22", "fw-ssh6": "ipv6 tcp 22"}, ""},
		{"external IPv6 only, the rule admits 0.0.0.0/0 only: not exposed",
			gcpV6(yes, v6, yes, both, gfw6("fw-ssh4", nil, ssh4)),
			map[string]string{"gvm-6": "none", "fw-ssh4": "none"}, ""},
		{"external IPv6 only, no ::/0 route: not exposed",
			gcpV6(yes, v6, yes, []resource.Route{gDef4}, gfw6("fw-ssh6", nil, ssh6)),
			map[string]string{"gvm-6": "none"}, ""},
		{"dual stack: IPv4 on 22, IPv6 on 80, each by its own rule",
			gcpV6(yes, []string{"ipv4", "ipv6"}, yes, both, gfw6("fw-ssh4", nil, ssh4), gfw6("fw-web6", nil, web6)),
			map[string]string{"gvm-6": "ipv4 tcp 22, ipv6 tcp 80"}, ""},
		{"external IPv6, the IPv6 rule for another target tag: not exposed",
			gcpV6(yes, v6, yes, both, gfw6("fw-ssh6", []string{"db"}, ssh6)),
			map[string]string{"gvm-6": "none"}, ""},
		{"external IPv6, a deny of ::/0 at a higher priority: not exposed",
			gcpV6(yes, v6, yes, both, gfw6("fw-deny6", nil, ingress("deny", "all", 0, 65535, 10, "::/0")), gfw6("fw-ssh6", nil, ssh6)),
			map[string]string{"gvm-6": "none"}, ""},
		{"IPv6 fact missing, external IP (IPv4 by default), rule admits ::/0: the IPv6 path undecided",
			gcpV6(yes, nil, nil, both, gfw6("fw-any", nil, sshAny)),
			map[string]string{"gvm-6": "ipv4 tcp 22"}, noIPv6Fact},
		{"IPv6 fact missing, no external IP, rule admits ::/0 and a ::/0 route: undecided",
			gcpV6(no, nil, nil, both, gfw6("fw-ssh6", nil, ssh6)),
			map[string]string{"gvm-6": "undecided"}, noIPv6Fact},
		{"IPv6 fact missing, no ::/0 route: not exposed",
			gcpV6(no, nil, nil, []resource.Route{gDef4}, gfw6("fw-ssh6", nil, ssh6)),
			map[string]string{"gvm-6": "none"}, ""},
		{"no external address of either family: not exposed",
			gcpV6(no, nil, no, both, gfw6("fw-any", nil, sshAny)),
			map[string]string{"gvm-6": "none"}, ""},
	})
}

// TestExposureGCPForwardingRuleIPv6: a forwarding rule with ipVersion IPV6
// (its address family on the load balancer) forwarding TCP 80 to a VM
// without an external address: the VM is reached over IPv6 when its
// firewall rules admit ::/0.
func TestExposureGCPForwardingRuleIPv6(t *testing.T) {
	fr := func(fams []string) *resource.Resource {
		return &resource.Resource{Provider: resource.GCP, ID: "fr-6", Class: resource.ClassLoadBalancer,
			Facts: resource.Facts{Addressing: &resource.Addressing{PublicFamilies: fams}, LoadBalancer: &resource.LoadBalancer{Public: yes, Listeners: []resource.Listener{
				{Protocol: "TCP", Port: 80, Forwards: []resource.Forward{{Target: "gvm-6", Port: 80, Via: "projects/p/regions/r/targetPools/pool-6"}}},
			}}}}
	}
	runExposureCases(t, []exposureCase{
		{"IPv6 forwarding rule, firewall admits ::/0 on 80",
			append(gcpV6(no, nil, no, []resource.Route{gDef4, gDef6}, gfw6("fw-web6", nil, web6)), fr(v6)),
			map[string]string{"gvm-6": "ipv6 tcp 80", "fr-6": "ipv6 tcp 80"}, ""},
		{"IPv6 forwarding rule, firewall admits 0.0.0.0/0 only",
			append(gcpV6(no, nil, no, []resource.Route{gDef4, gDef6}, gfw6("fw-web4", nil, web4)), fr(v6)),
			map[string]string{"gvm-6": "none", "fr-6": "ipv6 tcp 80"}, ""},
		{"IPv4 forwarding rule, firewall admits 0.0.0.0/0",
			append(gcpV6(no, nil, no, []resource.Route{gDef4, gDef6}, gfw6("fw-web4", nil, web4)), fr(nil)),
			map[string]string{"gvm-6": "ipv4 tcp 80", "fr-6": "ipv4 tcp 80"}, ""},
	})
}

// TestPathFromInternetIPv6Clouds: the path question from the internet
// answers with the IPv6 exposure paths of an Azure VM with an IPv6 public
// IP only and of a GCP VM with an external IPv6 address only (no IPv4
// path is made up from their public IP facts).
func TestPathFromInternetIPv6Clouds(t *testing.T) {
	for _, c := range []struct {
		note string
		rs   []*resource.Resource
		hops string
	}{
		{"Azure", append(azV6([]string{"pip-6"}, ssh6), pip("pip-6", v6)),
			"nic-6: public IPv6 address pip-6 | sn-6: system route ::/0 -> Internet | nsg-6: nsg-6: allow tcp 22 from ::/0 (priority 100)"},
		{"GCP", gcpV6(yes, v6, yes, []resource.Route{gDef4, gDef6}, gfw6("fw-ssh6", nil, ssh6)),
			"gvm-6: public IPv6 address | route-b: route ::/0 -> default-internet-gateway | fw-ssh6: fw-ssh6: allow tcp 22 from ::/0 (priority 100)"},
	} {
		t.Run(c.note, func(t *testing.T) {
			g := New(c.rs)
			res := g.Path(nil, c.rs[0], Query{Protocol: "tcp", FromPort: 22, ToPort: 22})
			if res.Verdict != Reachable || len(res.Paths) != 1 {
				t.Fatalf("%s: %+v", res.Verdict, res)
			}
			if p := res.Paths[0]; p.Family != "ipv6" || hopsText(p) != c.hops {
				t.Errorf("%s path\n%s\nwant\n%s", p.Family, hopsText(p), c.hops)
			}
			if res := g.Path(nil, c.rs[0], Query{Protocol: "tcp", FromPort: 80, ToPort: 80}); res.Verdict != Denied {
				t.Errorf("port 80: %s, want denied (%+v)", res.Verdict, res)
			}
		})
	}
}

// dnatFW: Azure Firewall fw-d with public IPs pip-a (20.0.0.1) and pip-b
// (20.0.0.2), whose DNAT rules (in evaluation order) are listeners with
// their destination address; vm-a (10.0.0.4) and vm-b (10.0.0.5) behind
// it, their NSG admitting the VNet (the firewall translates the source).
func dnatFW(pipsKnown bool, rules ...resource.Listener) []*resource.Resource {
	f := &resource.Resource{Provider: resource.Azure, ID: "fw-d", Type: "Microsoft.Network/azureFirewalls", Class: resource.ClassOther,
		Relationships: rels(rel(resource.RelUsesPublicIP, "pip-a"), rel(resource.RelUsesPublicIP, "pip-b")),
		Facts:         resource.Facts{LoadBalancer: &resource.LoadBalancer{Public: yes, Listeners: rules}}}
	nicVM := func(vmID, nic, ip string) []*resource.Resource {
		n := other(resource.Azure, nic, rels(rel(resource.RelInSubnet, "sn-d"), rel(resource.RelInNetwork, "vnet-d"), rel(resource.RelUsesFirewall, "nsg-d")))
		n.Facts.Addressing = &resource.Addressing{PrivateIPs: []string{ip}}
		return []*resource.Resource{vm(resource.Azure, vmID, nil, rel(resource.RelUsesInterface, nic)), n}
	}
	rs := []*resource.Resource{f, fw(resource.Azure, "nsg-d", nil, ingress("allow", "tcp", 22, 22, 100, "VirtualNetwork"))}
	rs = append(rs, nicVM("vm-a", "nic-a", "10.0.0.4")...)
	rs = append(rs, nicVM("vm-b", "nic-b", "10.0.0.5")...)
	if pipsKnown {
		rs = append(rs, pip("pip-a", v4, "20.0.0.1"), pip("pip-b", v4, "20.0.0.2"))
	}
	return rs
}

func dnatRule(name, dst, to string) resource.Listener {
	return resource.Listener{Protocol: "TCP", Port: 2222, Frontend: dst,
		Forwards: []resource.Forward{{Target: to, Port: 22, Via: "fw-d/natRuleCollections/c/rules/" + name}}}
}

// TestAzureFirewallDNATPerAddress: the first DNAT rule for a public
// address, protocol and port decides; a later rule for the same is
// shadowed (no path), one for the other address is not.
func TestAzureFirewallDNATPerAddress(t *testing.T) {
	cases := []struct {
		note  string
		rs    []*resource.Resource
		want  map[string]string
		rules map[string]string // VM → the rule its path names
	}{
		{"one rule per address: both VMs on 2222",
			dnatFW(true, dnatRule("to-a", "20.0.0.1", "10.0.0.4"), dnatRule("to-b", "20.0.0.2", "10.0.0.5")),
			map[string]string{"vm-a": "ipv4 tcp 2222", "vm-b": "ipv4 tcp 2222", "fw-d": "ipv4 tcp 2222, ipv4 tcp 2222"},
			map[string]string{"vm-a": "to-a", "vm-b": "to-b"}},
		{"the second rule for 20.0.0.1 is shadowed: vm-b not exposed",
			dnatFW(true, dnatRule("to-a", "20.0.0.1", "10.0.0.4"), dnatRule("shadowed", "20.0.0.1", "10.0.0.5")),
			map[string]string{"vm-a": "ipv4 tcp 2222", "vm-b": "none"},
			map[string]string{"vm-a": "to-a"}},
		{"shadowed on 20.0.0.1, open on 20.0.0.2: vm-b through its own rule only",
			dnatFW(true, dnatRule("to-a", "20.0.0.1", "10.0.0.4"), dnatRule("shadowed", "20.0.0.1", "10.0.0.5"), dnatRule("to-b", "20.0.0.2", "10.0.0.5")),
			map[string]string{"vm-a": "ipv4 tcp 2222", "vm-b": "ipv4 tcp 2222"},
			map[string]string{"vm-a": "to-a", "vm-b": "to-b"}},
		{"a rule for an address that is not the firewall's: nothing",
			dnatFW(true, dnatRule("elsewhere", "20.9.9.9", "10.0.0.5")),
			map[string]string{"vm-b": "none", "fw-d": "none"}, nil},
		{"destinations not recorded, two public IPs: both rules kept (either may apply)",
			dnatFW(true, dnatRule("to-a", "", "10.0.0.4"), dnatRule("to-b", "", "10.0.0.5")),
			map[string]string{"vm-a": "ipv4 tcp 2222", "vm-b": "ipv4 tcp 2222"}, nil},
		{"a malformed destination is not an address: kept, shadows nothing",
			dnatFW(true, dnatRule("bad", "20.0.0.x", "10.0.0.4"), dnatRule("to-b", "20.0.0.1", "10.0.0.5")),
			map[string]string{"vm-a": "ipv4 tcp 2222", "vm-b": "ipv4 tcp 2222"}, nil},
		{"public IPs not in the inventory: rules per destination still shadow each other",
			dnatFW(false, dnatRule("to-a", "20.0.0.1", "10.0.0.4"), dnatRule("shadowed", "20.0.0.1", "10.0.0.5")),
			map[string]string{"vm-a": "ipv4 tcp 2222", "vm-b": "none"}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.note, func(t *testing.T) {
			Annotate(tc.rs)
			for _, r := range tc.rs {
				if want, ok := tc.want[r.ID]; ok {
					if got := summary(r.Facts.Exposure); got != want {
						t.Errorf("%s: exposure %q, want %q (%+v)", r.ID, got, want, r.Facts.Exposure)
					}
				}
				if rule, ok := tc.rules[r.ID]; ok {
					if e := r.Facts.Exposure; len(e.Paths) != 1 || !strings.Contains(hopsText(e.Paths[0]), rule+": DNAT rule "+rule) {
						t.Errorf("%s: paths %+v, want one through rule %s", r.ID, e.Paths, rule)
					}
				}
			}
		})
	}
}
