package reach

import (
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/resource"
)

// ELBv2 target groups of target type ip and lambda: each case's expected
// exposure was written down before the code.

// withAddr gives r a private address.
func withAddr(r *resource.Resource, ip string) *resource.Resource {
	r.Facts.Addressing = &resource.Addressing{PrivateIPs: []string{ip}}
	return r
}

// otherVPC: i-twin in vpc-2 (192.168.0.0/16) holding addr, its security
// group open to the internet on every port, its ACL allowing everything.
func otherVPC(addr string) []*resource.Resource {
	vpc := other(resource.AWS, "vpc-2", nil)
	vpc.Facts.Network = &resource.Network{}
	vpc.Facts.Addressing = &resource.Addressing{Prefixes: []string{"192.168.0.0/16", "10.0.0.0/16"}}
	return []*resource.Resource{
		withAddr(vm(resource.AWS, "i-twin", no, rels(rel(resource.RelInSubnet, "subnet-2"), rel(resource.RelInNetwork, "vpc-2"), rel(resource.RelUsesFirewall, "sg-twin"))), addr),
		fw(resource.AWS, "sg-twin", nil, ingress("allow", "all", 0, 65535, 0, "0.0.0.0/0")),
		nacl("acl-2", "subnet-2", naclAllow, egress("allow", "all", 0, 65535, 100, "0.0.0.0/0")),
	}
}

func ipALB(addr string) *resource.Resource {
	return lbr(resource.AWS, elbv2, "alb-1", rels(rel(resource.RelUsesFirewall, "sg-alb"), rel(resource.RelInNetwork, "vpc-1")),
		listener("HTTPS", 443, resource.Forward{Target: addr, Port: 8080, Via: tgApp}))
}

func ipNLB(proto string, port int, addr string) *resource.Resource {
	return lbr(resource.AWS, elbv2, "nlb-1", rel(resource.RelInNetwork, "vpc-1"), listener(proto, port, resource.Forward{Target: addr, Port: port, Via: tgApp}))
}

const fnARN = "arn:aws:lambda:us-east-1:111122223333:function:thumbnails"

func lambdaFn() *resource.Resource {
	return &resource.Resource{Provider: resource.AWS, Type: "AWS::Lambda::Function", ID: fnARN, Name: "thumbnails", Class: resource.ClassFunction,
		Facts: resource.Facts{Function: &resource.Function{}}}
}

func TestIPAndLambdaTargets(t *testing.T) {
	app := func(rule resource.FirewallRule, extra ...*resource.Resource) []*resource.Resource {
		rs := awsApp(rule, extra...)
		withAddr(rs[0], "10.0.1.10")
		return rs
	}
	cases := []struct {
		note string
		rs   []*resource.Resource
		want map[string]string
	}{
		{"ALB IP target: the instance holding the address, on the listener port",
			app(ingress("allow", "tcp", 8080, 8080, 0, "sg-alb"), ipALB("10.0.1.10"), sgALB),
			map[string]string{"i-app": "ipv4 tcp 443"}},
		{"ALB IP target held by nothing in the inventory: no target, nothing else reached",
			app(ingress("allow", "tcp", 8080, 8080, 0, "sg-alb"), ipALB("10.0.1.99"), sgALB),
			map[string]string{"i-app": "none", "alb-1": "ipv4 tcp 443"}},
		{"ALB IP target: the same address in another VPC is not the target",
			append(app(ingress("allow", "tcp", 8080, 8080, 0, "sg-alb"), ipALB("10.0.1.10"), sgALB), otherVPC("10.0.1.10")...),
			map[string]string{"i-app": "ipv4 tcp 443", "i-twin": "none"}},
		{"ALB IP target outside the VPC's range (AvailabilityZone all): undecided",
			append(app(ingress("allow", "tcp", 8080, 8080, 0, "sg-alb"), ipALB("192.168.4.4"), sgALB), otherVPC("192.168.4.4")...),
			map[string]string{"i-app": "none", "i-twin": "undecided"}},
		{"ALB IP target whose SG does not admit the ALB",
			app(ingress("allow", "tcp", 8080, 8080, 0, "192.168.0.0/16"), ipALB("10.0.1.10"), sgALB),
			map[string]string{"i-app": "none"}},
		{"NLB TCP IP target, SG admitting the VPC only: reached without client IP preservation (the default), not with it: undecided",
			app(ingress("allow", "tcp", 443, 443, 0, "10.0.0.0/16"), ipNLB("TCP", 443, "10.0.1.10")),
			map[string]string{"i-app": "undecided"}},
		{"NLB TCP IP target, SG open to the internet: reached either way",
			app(ingress("allow", "tcp", 443, 443, 0, "0.0.0.0/0"), ipNLB("TCP", 443, "10.0.1.10")),
			map[string]string{"i-app": "ipv4 tcp 443"}},
		{"NLB TCP IP target, SG admitting another range only: reached neither way",
			app(ingress("allow", "tcp", 443, 443, 0, "172.16.0.0/12"), ipNLB("TCP", 443, "10.0.1.10")),
			map[string]string{"i-app": "none"}},
		{"NLB UDP IP target keeps the client address: the VPC range is not enough",
			app(ingress("allow", "udp", 53, 53, 0, "10.0.0.0/16"), ipNLB("UDP", 53, "10.0.1.10")),
			map[string]string{"i-app": "none", "nlb-1": "ipv4 udp 53"}},
		{"ALB Lambda target: the function, on the listener port",
			append(app(ingress("allow", "tcp", 8080, 8080, 0, "sg-alb"), sgALB), lambdaFn(),
				lbr(resource.AWS, elbv2, "alb-1", rels(rel(resource.RelUsesFirewall, "sg-alb"), rel(resource.RelInNetwork, "vpc-1")),
					listener("HTTPS", 443, resource.Forward{Target: fnARN + ":live", Via: tgApp}))),
			map[string]string{fnARN: "ipv4 tcp 443", "i-app": "none"}},
		{"Lambda target of an internal ALB: not reached",
			func() []*resource.Resource {
				lb := lbr(resource.AWS, elbv2, "alb-1", rel(resource.RelInNetwork, "vpc-1"), listener("HTTP", 80, resource.Forward{Target: fnARN, Via: tgApp}))
				lb.Facts.LoadBalancer.Public = no
				return []*resource.Resource{lambdaFn(), lb}
			}(),
			map[string]string{fnARN: "none"}},
	}
	for _, tc := range cases {
		t.Run(tc.note, func(t *testing.T) {
			checkExposures(t, tc.rs, tc.want)
		})
	}
}

// TestIPAndLambdaTargetHops: the hops name the IP target and the function.
func TestIPAndLambdaTargetHops(t *testing.T) {
	rs := awsApp(ingress("allow", "tcp", 8080, 8080, 0, "sg-alb"), ipALB("10.0.1.10"), sgALB)
	withAddr(rs[0], "10.0.1.10")
	Annotate(rs)
	if e := rs[0].Facts.Exposure; len(e.Paths) != 1 || !hasHop(e.Paths[0].Hops, "target group app forwards to IP target 10.0.1.10 port 8080") {
		t.Errorf("IP target paths %+v", e)
	}
	fn := lambdaFn()
	rs = []*resource.Resource{fn, lbr(resource.AWS, elbv2, "alb-1", rel(resource.RelInNetwork, "vpc-1"), listener("HTTPS", 443, resource.Forward{Target: fnARN, Via: tgApp}))}
	Annotate(rs)
	if e := fn.Facts.Exposure; len(e.Paths) != 1 || !hasHop(e.Paths[0].Hops, "target group app invokes Lambda function thumbnails") {
		t.Errorf("Lambda target paths %+v", e)
	}
	rs = awsApp(ingress("allow", "tcp", 443, 443, 0, "10.0.0.0/16"), ipNLB("TCP", 443, "10.0.1.10"))
	withAddr(rs[0], "10.0.1.10")
	Annotate(rs)
	if u := strings.Join(rs[0].Facts.Exposure.Undecided, "; "); !strings.Contains(u, "preserve_client_ip.enabled") {
		t.Errorf("NLB IP target undecided %q: the attribute is not named", u)
	}
}

func hasHop(hs []resource.Hop, allows string) bool {
	for _, h := range hs {
		if h.Allows == allows {
			return true
		}
	}
	return false
}
