package reach

import (
	"slices"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/resource"
)

// Load balancers as the way in to their backends: each case's expected
// exposure was written down before the code.

func lbr(p resource.Provider, typ, id string, rs []resource.Relationship, ls ...resource.Listener) *resource.Resource {
	return &resource.Resource{Provider: p, Type: typ, ID: id, Class: resource.ClassLoadBalancer, Relationships: rs,
		Facts: resource.Facts{LoadBalancer: &resource.LoadBalancer{Public: yes, Listeners: ls}}}
}

func listener(proto string, port int, fwd ...resource.Forward) resource.Listener {
	return resource.Listener{Protocol: proto, Port: port, Forwards: fwd}
}

const (
	elbv2   = "AWS::ElasticLoadBalancingV2::LoadBalancer"
	classic = "AWS::ElasticLoadBalancing::LoadBalancer"
	azLB    = "microsoft.network/loadbalancers"
	azAGW   = "microsoft.network/applicationgateways"
	tgApp   = "arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/app/0a1"
)

// awsApp: a private instance i-app (no public IP) in subnet-1 of vpc-1
// (10.0.0.0/16), its security group sg-app opening 22 to the internet and
// the given rule, the subnet's ACL allowing everything both ways.
func awsApp(appRule resource.FirewallRule, extra ...*resource.Resource) []*resource.Resource {
	vpc := other(resource.AWS, "vpc-1", nil)
	vpc.Facts.Network = &resource.Network{}
	vpc.Facts.Addressing = &resource.Addressing{Prefixes: []string{"10.0.0.0/16"}}
	return append([]*resource.Resource{
		vm(resource.AWS, "i-app", no, rels(rel(resource.RelInSubnet, "subnet-1"), rel(resource.RelInNetwork, "vpc-1"), rel(resource.RelUsesFirewall, "sg-app"))),
		fw(resource.AWS, "sg-app", nil, sshOpen, appRule),
		nacl("acl-1", "subnet-1", naclAllow, egress("allow", "all", 0, 65535, 100, "0.0.0.0/0")),
		routes(resource.AWS, "rtb-1", false, rel(resource.RelRoutesFor, "subnet-1"), local, toNAT),
		vpc,
	}, extra...)
}

func alb(extra ...resource.Relationship) *resource.Resource {
	return lbr(resource.AWS, elbv2, "alb-1", rels(rel(resource.RelUsesFirewall, "sg-alb"), rel(resource.RelInNetwork, "vpc-1"), extra),
		listener("HTTPS", 443, resource.Forward{Target: "i-app", Port: 8080, Via: tgApp}),
		listener("HTTP", 80, resource.Forward{Target: "i-app", Port: 8080, Via: tgApp}))
}

var sgALB = fw(resource.AWS, "sg-alb", nil, ingress("allow", "tcp", 443, 443, 0, "0.0.0.0/0"))

func nlb(port int) *resource.Resource {
	return lbr(resource.AWS, elbv2, "nlb-1", rel(resource.RelInNetwork, "vpc-1"), listener("TCP", port, resource.Forward{Target: "i-app", Port: port, Via: tgApp}))
}

// azureBackend: vm-be with nic-be (no public IP) in subnet sn-be, the
// subnet's NSG with the given rules (Azure's defaults added).
func azureBackend(rules ...resource.FirewallRule) []*resource.Resource {
	return []*resource.Resource{
		vm(resource.Azure, "vm-be", nil, rel(resource.RelUsesInterface, "nic-be")),
		other(resource.Azure, "nic-be", rel(resource.RelInSubnet, "sn-be")),
		fw(resource.Azure, "nsg-be", rel(resource.RelFirewallOf, "sn-be"), rules...),
	}
}

const azRG = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/"

func azureLB() *resource.Resource {
	return lbr(resource.Azure, azLB, azRG+"loadBalancers/lb-1", nil,
		listener("TCP", 443, resource.Forward{Target: "NIC-BE", Port: 8443, Via: azRG + "loadBalancers/lb-1/loadBalancingRules/https"}),
		listener("TCP", 50022, resource.Forward{Target: "nic-be", Port: 22, Via: azRG + "loadBalancers/lb-1/inboundNatRules/ssh"}))
}

// gcpPool: VMs web (tagged web) and plain in net-1, without external IPs,
// behind the given frontend; the default route to the internet.
func gcpPool(fe *resource.Resource, fws ...*resource.Resource) []*resource.Resource {
	web, plain := gvm("web", []string{"web"}), gvm("plain", nil)
	web.Facts.Compute.PublicIP, plain.Facts.Compute.PublicIP = no, no
	return append([]*resource.Resource{web, plain, fe,
		routes(resource.GCP, "default-route", false, rel(resource.RelRoutesFor, "net-1"), resource.Route{Destination: "0.0.0.0/0", NextHop: "internet"}),
	}, fws...)
}

func gcpFrontend(proto string, port int, rs []resource.Relationship, via string, backendPort int) *resource.Resource {
	return lbr(resource.GCP, "compute.googleapis.com/ForwardingRule", "//compute.googleapis.com/projects/p/global/forwardingRules/fr-1", rs,
		listener(proto, port,
			resource.Forward{Target: "https://www.googleapis.com/compute/v1/web", Port: backendPort, Via: via},
			resource.Forward{Target: "plain", Port: backendPort, Via: via}))
}

func TestLoadBalancerTargets(t *testing.T) {
	cases := []struct {
		note string
		rs   []*resource.Resource
		want map[string]string
	}{
		{"aws ALB: the private instance is reached on the listener port its SG lets the ALB in on, not on 22",
			awsApp(ingress("allow", "tcp", 8080, 8080, 0, "sg-alb"), alb(), sgALB),
			map[string]string{"i-app": "ipv4 tcp 443", "alb-1": "ipv4 tcp 443", "sg-app": "ipv4 tcp 443", "sg-alb": "ipv4 tcp 443, ipv4 tcp 443"}},
		{"aws ALB: a target SG admitting the VPC's whole range admits the ALB",
			awsApp(ingress("allow", "tcp", 8080, 8080, 0, "10.0.0.0/8"), alb(), sgALB),
			map[string]string{"i-app": "ipv4 tcp 443"}},
		{"aws ALB: a target SG admitting another range only: not reached",
			awsApp(ingress("allow", "tcp", 8080, 8080, 0, "192.168.0.0/16"), alb(), sgALB),
			map[string]string{"i-app": "none", "sg-app": "none", "alb-1": "ipv4 tcp 443"}},
		{"aws ALB: a target SG admitting part of the VPC: undecided (the ALB's addresses are not exported)",
			awsApp(ingress("allow", "tcp", 8080, 8080, 0, "10.0.1.0/24"), alb(), sgALB),
			map[string]string{"i-app": "undecided"}},
		{"aws ALB: the target port is not the one its SG opens",
			awsApp(ingress("allow", "tcp", 9090, 9090, 0, "sg-alb"), alb(), sgALB),
			map[string]string{"i-app": "none"}},
		{"aws NLB keeps the client address: a target SG admitting the VPC only is not enough",
			awsApp(ingress("allow", "tcp", 443, 443, 0, "10.0.0.0/16"), nlb(443)),
			map[string]string{"i-app": "none", "nlb-1": "ipv4 tcp 443"}},
		{"aws NLB with the target SG open to the internet on the port",
			awsApp(ingress("allow", "tcp", 443, 443, 0, "0.0.0.0/0"), nlb(443)),
			map[string]string{"i-app": "ipv4 tcp 443"}},
		{"aws NLB: a network ACL denying the port in front of the target",
			append(awsApp(ingress("allow", "tcp", 443, 443, 0, "0.0.0.0/0"), nlb(443))[:2:2],
				nacl("acl-1", "subnet-1", ingress("deny", "tcp", 443, 443, 10, "0.0.0.0/0"), naclAllow, egress("allow", "all", 0, 65535, 100, "0.0.0.0/0")), nlb(443)),
			map[string]string{"i-app": "none"}},
		{"aws NLB: a network ACL letting no reply out (stateless)",
			append(awsApp(ingress("allow", "tcp", 443, 443, 0, "0.0.0.0/0"), nlb(443))[:2:2],
				nacl("acl-1", "subnet-1", naclAllow, egress("allow", "tcp", 443, 443, 100, "0.0.0.0/0")), nlb(443)),
			map[string]string{"i-app": "none"}},
		{"aws classic ELB proxies: the instance SG admits the ELB's group",
			awsApp(ingress("allow", "tcp", 80, 80, 0, "sg-elb"),
				lbr(resource.AWS, classic, "elb-1", rel(resource.RelUsesFirewall, "sg-elb"), listener("HTTP", 80, resource.Forward{Target: "i-app", Port: 80})),
				fw(resource.AWS, "sg-elb", nil, ingress("allow", "tcp", 80, 80, 0, "0.0.0.0/0"))),
			map[string]string{"i-app": "ipv4 tcp 80"}},
		{"aws target behind an ALB whose security group is not exported: undecided",
			awsApp(ingress("allow", "tcp", 8080, 8080, 0, "sg-alb"), alb(rel(resource.RelUsesFirewall, "sg-gone")...), sgALB),
			map[string]string{"i-app": "undecided"}},
		{"aws target whose network ACL is not exported: undecided",
			append(awsApp(ingress("allow", "tcp", 8080, 8080, 0, "sg-alb"), alb(), sgALB)[:2:2], alb(), sgALB),
			map[string]string{"i-app": "undecided"}},
		{"azure load balancer keeps the client address: rule 443 -> 8443 admitted by the NSG, NAT rule 50022 -> 22 denied",
			append(azureBackend(ingress("allow", "tcp", 8443, 8443, 100, "0.0.0.0/0")), azureLB()),
			map[string]string{"vm-be": "ipv4 tcp 443", "nsg-be": "ipv4 tcp 443"}},
		{"azure load balancer: the NSG admits 22 from the internet too: the NAT rule's port",
			append(azureBackend(ingress("allow", "tcp", 8443, 8443, 100, "0.0.0.0/0"), ingress("allow", "tcp", 22, 22, 110, "0.0.0.0/0")), azureLB()),
			map[string]string{"vm-be": "ipv4 tcp 443, ipv4 tcp 50022"}},
		{"azure load balancer: AllowAzureLoadBalancerInBound admits the probe, not the client",
			append(azureBackend(), azureLB()),
			map[string]string{"vm-be": "none"}},
		{"azure application gateway proxies: the default AllowVnetInBound admits it",
			append(azureBackend(), lbr(resource.Azure, azAGW, azRG+"applicationGateways/agw-1", nil,
				listener("HTTPS", 443, resource.Forward{Target: "nic-be", Port: 8080, Via: azRG + "applicationGateways/agw-1/requestRoutingRules/r1"}))),
			map[string]string{"vm-be": "ipv4 tcp 443"}},
		{"azure application gateway: an NSG rule denying the VNet in front of the default",
			append(azureBackend(ingress("deny", "tcp", 0, 65535, 100, "VirtualNetwork")), lbr(resource.Azure, azAGW, azRG+"applicationGateways/agw-1", nil,
				listener("HTTPS", 443, resource.Forward{Target: "nic-be", Port: 8080, Via: azRG + "applicationGateways/agw-1/requestRoutingRules/r1"}))),
			map[string]string{"vm-be": "none"}},
		{"gcp target pool keeps the client address: only the VM whose tag the firewall targets",
			gcpPool(gcpFrontend("TCP", 80, nil, "projects/p/regions/r/targetPools/pool-1", 80), gfw("allow-web", []string{"web"}, ingress("allow", "tcp", 80, 80, 1000, "0.0.0.0/0"))),
			map[string]string{"web": "ipv4 tcp 80", "plain": "none"}},
		{"gcp HTTPS proxy: the backends admit Google's front ends on 8080",
			gcpPool(gcpFrontend("HTTPS", 443, rel("targets", "projects/p/global/targetHttpsProxies/px"), "projects/p/global/backendServices/be", 8080),
				gfw("allow-gfe", nil, ingress("allow", "tcp", 8080, 8080, 1000, "130.211.0.0/22", "35.191.0.0/16"))),
			map[string]string{"web": "ipv4 tcp 443", "plain": "ipv4 tcp 443"}},
		{"gcp HTTPS proxy: backends admitting the internal range only are not reached",
			gcpPool(gcpFrontend("HTTPS", 443, rel("targets", "projects/p/global/targetHttpsProxies/px"), "projects/p/global/backendServices/be", 8080),
				gfw("allow-int", nil, ingress("allow", "tcp", 0, 65535, 1000, "10.0.0.0/8"))),
			map[string]string{"web": "none", "plain": "none"}},
	}
	for _, tc := range cases {
		t.Run(tc.note, func(t *testing.T) {
			Annotate(tc.rs)
			for _, r := range tc.rs {
				want, ok := tc.want[r.ID]
				if !ok {
					want, ok = tc.want[lastSeg(r.ID)]
				}
				if !ok {
					continue
				}
				if got := summary(r.Facts.Exposure); got != want {
					t.Errorf("%s: exposure %q, want %q (%+v)", r.ID, got, want, r.Facts.Exposure)
				}
			}
		})
	}
}

// TestLoadBalancerHops: the path to a target names the listener, its
// rule or target group, and the target's rule admitting the balancer.
func TestLoadBalancerHops(t *testing.T) {
	rs := awsApp(ingress("allow", "tcp", 8080, 8080, 0, "sg-alb"), alb(), sgALB)
	Annotate(rs)
	e := rs[0].Facts.Exposure
	if len(e.Paths) != 1 {
		t.Fatalf("paths %+v", e.Paths)
	}
	var got []string
	for _, h := range e.Paths[0].Hops {
		got = append(got, h.Resource+": "+h.Allows)
	}
	want := []string{"alb-1: internet-facing listener HTTPS 443", "sg-alb: sg-alb: allow tcp 443 from 0.0.0.0/0",
		tgApp + ": target group app forwards to port 8080", "acl-1: acl-1: allow all 0-65535 from 0.0.0.0/0 (priority 100)", "sg-app: sg-app: allow tcp 8080 from sg-alb"}
	if !slices.Equal(got[:len(want)], want) {
		t.Errorf("hops\n%q\nwant\n%q", got, want)
	}
	if !strings.HasPrefix(got[len(got)-1], "acl-1: reply: ") {
		t.Errorf("last hop %q, want the ACL letting the reply out", got[len(got)-1])
	}

	rs = append(azureBackend(ingress("allow", "tcp", 8443, 8443, 100, "0.0.0.0/0")), azureLB())
	Annotate(rs)
	got = nil
	for _, h := range rs[0].Facts.Exposure.Paths[0].Hops {
		got = append(got, h.Allows)
	}
	if !slices.Contains(got, "load-balancing rule https forwards to port 8443") {
		t.Errorf("azure hops %q: the load-balancing rule is not named", got)
	}
}
