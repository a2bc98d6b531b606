package reach

import (
	"testing"

	"github.com/vigil-sec/vigil/internal/resource"
)

// An internet-facing NLB forwarding to an ALB (a target group of type
// alb): the ALB, internal or not, is reached on the NLB's listener port
// when its security groups admit what the NLB sends, and its listener's
// targets on that port only. Each case's expected exposure was written
// before the code.

const tgALBType = "arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/to-alb/0d4"

// nlbToALB: nlb-pub (internet-facing, no security groups) with a TCP
// listener on nlbPort forwarding to alb-int on albPort.
func nlbToALB(nlbPort, albPort int) *resource.Resource {
	return lbr(resource.AWS, elbv2, "nlb-pub", rel(resource.RelInNetwork, "vpc-1"),
		listener("TCP", nlbPort, resource.Forward{Target: "alb-int", Port: albPort, Via: tgALBType}))
}

func TestNLBToALBTargets(t *testing.T) {
	cases := []struct {
		note string
		rs   []*resource.Resource
		want map[string]string
	}{
		{"ALB open to the internet behind the NLB: the ALB and its target on the NLB's port",
			awsApp(ingress("allow", "tcp", 8443, 8443, 0, "sg-alb-int"), append(albInt(ingress("allow", "tcp", 443, 443, 0, "0.0.0.0/0")), nlbToALB(443, 443))...),
			map[string]string{"alb-int": "ipv4 tcp 443", "i-app": "ipv4 tcp 443", "nlb-pub": "ipv4 tcp 443"}},
		{"the NLB's listener port differs from the ALB's: exposed on the NLB's",
			awsApp(ingress("allow", "tcp", 8443, 8443, 0, "sg-alb-int"), append(albInt(ingress("allow", "tcp", 443, 443, 0, "0.0.0.0/0")), nlbToALB(8000, 443))...),
			map[string]string{"alb-int": "ipv4 tcp 8000", "i-app": "ipv4 tcp 8000"}},
		{"ALB admitting another range only: neither it nor its target",
			awsApp(ingress("allow", "tcp", 8443, 8443, 0, "sg-alb-int"), append(albInt(ingress("allow", "tcp", 443, 443, 0, "172.16.0.0/12")), nlbToALB(443, 443))...),
			map[string]string{"alb-int": "none", "i-app": "none"}},
		{"ALB admitting the VPC's range: the NLB's address or the client's, as client IP preservation decides: undecided",
			awsApp(ingress("allow", "tcp", 8443, 8443, 0, "sg-alb-int"), append(albInt(ingress("allow", "tcp", 443, 443, 0, "10.0.0.0/16")), nlbToALB(443, 443))...),
			map[string]string{"alb-int": "undecided", "i-app": "undecided"}},
		{"the NLB forwards to an ALB port it has no listener on: its targets are not reached",
			awsApp(ingress("allow", "tcp", 8443, 8443, 0, "sg-alb-int"), append(albInt(ingress("allow", "tcp", 0, 65535, 0, "0.0.0.0/0")), nlbToALB(443, 8080))...),
			map[string]string{"i-app": "none"}},
		{"two load balancers forwarding to each other: no loop",
			func() []*resource.Resource {
				a := lbr(resource.AWS, elbv2, "lb-a", rel(resource.RelInNetwork, "vpc-1"), listener("TCP", 443, resource.Forward{Target: "lb-b", Port: 443, Via: tgALBType}))
				b := lbr(resource.AWS, elbv2, "lb-b", rel(resource.RelInNetwork, "vpc-1"), listener("TCP", 443, resource.Forward{Target: "lb-a", Port: 443, Via: tgALBType}))
				return []*resource.Resource{a, b}
			}(),
			map[string]string{"lb-a": "ipv4 tcp 443", "lb-b": "ipv4 tcp 443, ipv4 tcp 443"}}, // lb-b on its own listener and through lb-a; no path through a load balancer back to itself
	}
	for _, tc := range cases {
		t.Run(tc.note, func(t *testing.T) {
			checkExposures(t, tc.rs, tc.want)
		})
	}
}
