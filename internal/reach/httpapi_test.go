package reach

import (
	"testing"

	"github.com/vigil-sec/vigil/internal/resource"
)

// HTTP APIs (API Gateway v2) fronting internal load balancers through a
// VPC link (a private integration naming a listener) and Lambda
// functions: each case's expected exposure was written before the code.

const (
	listenerALB = "arn:aws:elasticloadbalancing:us-east-1:111122223333:listener/app/alb-int/0a1/l1"
	listenerNLB = "arn:aws:elasticloadbalancing:us-east-1:111122223333:listener/net/nlb-int/0b2/l2"
)

// listenerRes is a listener's own record: its load balancer and port.
func listenerRes(id, lb string, port string) *resource.Resource {
	rs := rel("listener_of", lb)
	if port != "" {
		rs = rels(rs, rel(RelListenerPort, port))
	}
	r := other(resource.AWS, id, rs)
	r.Type = "AWS::ElasticLoadBalancingV2::Listener"
	return r
}

// httpAPI is a public HTTP API whose integrations reach origins.
func httpAPI(origins ...resource.Origin) *resource.Resource {
	return &resource.Resource{Provider: resource.AWS, Type: "AWS::ApiGatewayV2::Api", ID: "arn:aws:apigateway:us-east-1::/apis/q1w2e3r4t5", Name: "orders-v2",
		Class: resource.ClassAPIGateway, Facts: resource.Facts{APIGateway: &resource.APIGateway{Public: yes, Origins: origins}}}
}

func linkOrigin(listener string) resource.Origin {
	return resource.Origin{Target: listener, ViewerPort: 443, Via: "VPC link vl-0a1"}
}

// albInt: an internal ALB in vpc-1 behind sg-alb-int (with rule), its
// HTTPS 443 listener forwarding to i-app on 8443.
func albInt(rule resource.FirewallRule) []*resource.Resource {
	lb := lbr(resource.AWS, elbv2, "alb-int", rels(rel(resource.RelUsesFirewall, "sg-alb-int"), rel(resource.RelInNetwork, "vpc-1")),
		listener("HTTPS", 443, resource.Forward{Target: "i-app", Port: 8443, Via: tgApp}))
	lb.Facts.LoadBalancer.Public = no
	return []*resource.Resource{lb, fw(resource.AWS, "sg-alb-int", nil, rule)}
}

// nlbInt: an internal NLB in vpc-1 without security groups, its TCP 5000
// listener forwarding to i-app on 5000.
func nlbInt() *resource.Resource {
	lb := lbr(resource.AWS, elbv2, "nlb-int", rel(resource.RelInNetwork, "vpc-1"), listener("TCP", 5000, resource.Forward{Target: "i-app", Port: 5000, Via: tgApp}))
	lb.Facts.LoadBalancer.Public = no
	return lb
}

func TestHTTPAPIPrivateIntegrations(t *testing.T) {
	cases := []struct {
		note string
		rs   []*resource.Resource
		want map[string]string
	}{
		{"internal ALB through a VPC link: the ALB and its target on the API's port only",
			awsApp(ingress("allow", "tcp", 8443, 8443, 0, "sg-alb-int"), append(albInt(ingress("allow", "tcp", 443, 443, 0, "10.0.0.0/16")),
				listenerRes(listenerALB, "alb-int", "443"), httpAPI(linkOrigin(listenerALB)))...),
			map[string]string{"alb-int": "ipv4 tcp 443", "i-app": "ipv4 tcp 443"}},
		{"internal ALB whose group admits another range only: the VPC link's addresses are not let in",
			awsApp(ingress("allow", "tcp", 8443, 8443, 0, "sg-alb-int"), append(albInt(ingress("allow", "tcp", 443, 443, 0, "192.168.0.0/16")),
				listenerRes(listenerALB, "alb-int", "443"), httpAPI(linkOrigin(listenerALB)))...),
			map[string]string{"alb-int": "none", "i-app": "none"}},
		{"internal ALB whose group admits a security group (the VPC link's are not in the inventory): undecided",
			awsApp(ingress("allow", "tcp", 8443, 8443, 0, "sg-alb-int"), append(albInt(ingress("allow", "tcp", 443, 443, 0, "sg-vpclink")),
				listenerRes(listenerALB, "alb-int", "443"), httpAPI(linkOrigin(listenerALB)))...),
			map[string]string{"alb-int": "undecided", "i-app": "undecided"}},
		{"the listener's port not in the inventory: undecided",
			awsApp(ingress("allow", "tcp", 8443, 8443, 0, "sg-alb-int"), append(albInt(ingress("allow", "tcp", 443, 443, 0, "10.0.0.0/16")),
				listenerRes(listenerALB, "alb-int", ""), httpAPI(linkOrigin(listenerALB)))...),
			map[string]string{"alb-int": "undecided"}},
		{"internal NLB through a VPC link: its target sees the VPC link's address (in the VPC), reached on the API's port",
			awsApp(ingress("allow", "tcp", 5000, 5000, 0, "10.0.0.0/16"), nlbInt(), listenerRes(listenerNLB, "nlb-int", "5000"), httpAPI(linkOrigin(listenerNLB))),
			map[string]string{"nlb-int": "ipv4 tcp 443", "i-app": "ipv4 tcp 443"}},
		{"internal NLB target admitting another range only: the NLB is reached, its target not",
			awsApp(ingress("allow", "tcp", 5000, 5000, 0, "172.16.0.0/12"), nlbInt(), listenerRes(listenerNLB, "nlb-int", "5000"), httpAPI(linkOrigin(listenerNLB))),
			map[string]string{"nlb-int": "ipv4 tcp 443", "i-app": "none"}},
		{"no API in front: the internal NLB and its target are not exposed",
			awsApp(ingress("allow", "tcp", 5000, 5000, 0, "10.0.0.0/16"), nlbInt(), listenerRes(listenerNLB, "nlb-int", "5000")),
			map[string]string{"nlb-int": "none", "i-app": "none"}},
		{"a Lambda proxy integration: the function through the API on 443",
			[]*resource.Resource{lambdaFn(), httpAPI(resource.Origin{Target: fnARN, Port: 443, ViewerPort: 443, Via: "thumbnails"})},
			map[string]string{fnARN: "ipv4 tcp 443"}},
	}
	for _, tc := range cases {
		t.Run(tc.note, func(t *testing.T) {
			checkExposures(t, tc.rs, tc.want)
		})
	}
	rs := awsApp(ingress("allow", "tcp", 8443, 8443, 0, "sg-alb-int"), append(albInt(ingress("allow", "tcp", 443, 443, 0, "10.0.0.0/16")),
		listenerRes(listenerALB, "alb-int", "443"), httpAPI(linkOrigin(listenerALB)))...)
	Annotate(rs)
	if e := rs[0].Facts.Exposure; len(e.Paths) != 1 || !hasHop(e.Paths[0].Hops, "API gateway orders-v2 on port 443 forwards to listener HTTPS 443 of alb-int through VPC link vl-0a1") ||
		!hasHop(e.Paths[0].Hops, "target group app forwards to port 8443") {
		t.Errorf("i-app paths %+v", e)
	}
}

const vpcLinkARN = "arn:aws:apigateway:us-east-1::/vpclinks/vl9z8y"

// vpcLink is a REST API VPC link's record (get-vpc-links): its NLBs.
func vpcLink(targets ...string) *resource.Resource {
	r := other(resource.AWS, vpcLinkARN, rel(RelVPCLinkTarget, targets...))
	r.Type = "AWS::ApiGateway::VpcLink"
	return r
}

// restAPI is a public REST API whose integrations reach origins.
func restAPI(origins ...resource.Origin) *resource.Resource {
	return &resource.Resource{Provider: resource.AWS, Type: "AWS::ApiGateway::RestApi", ID: "arn:aws:apigateway:us-east-1::/restapis/a1b2c3d4e5", Name: "orders",
		Class: resource.ClassAPIGateway, Facts: resource.Facts{APIGateway: &resource.APIGateway{Public: yes, Origins: origins}}}
}

// TestRESTAPIVPCLinks: a REST API's private integration through a VPC
// link reaches the link's NLB on the integration's port (its uri's), and
// the NLB's targets, on the API's port only. Written before the code.
func TestRESTAPIVPCLinks(t *testing.T) {
	origin := resource.Origin{Target: vpcLinkARN, Port: 5000, ViewerPort: 443, Via: "VPC link vl9z8y"}
	cases := []struct {
		note string
		rs   []*resource.Resource
		want map[string]string
	}{
		{"the link's NLB and its target on 443",
			awsApp(ingress("allow", "tcp", 5000, 5000, 0, "10.0.0.0/16"), nlbInt(), vpcLink("nlb-int"), restAPI(origin)),
			map[string]string{"nlb-int": "ipv4 tcp 443", "i-app": "ipv4 tcp 443"}},
		{"an integration port the NLB has no listener on: nothing reached",
			awsApp(ingress("allow", "tcp", 5000, 5000, 0, "10.0.0.0/16"), nlbInt(), vpcLink("nlb-int"), restAPI(resource.Origin{Target: vpcLinkARN, Port: 6000, ViewerPort: 443, Via: "VPC link vl9z8y"})),
			map[string]string{"nlb-int": "none", "i-app": "none"}},
		{"a private REST API: nothing reached",
			func() []*resource.Resource {
				api := restAPI(origin)
				api.Facts.APIGateway.Public = no
				return awsApp(ingress("allow", "tcp", 5000, 5000, 0, "10.0.0.0/16"), nlbInt(), vpcLink("nlb-int"), api)
			}(),
			map[string]string{"nlb-int": "none", "i-app": "none"}},
		{"the link's record not in the inventory: its NLB is not known to be reached",
			awsApp(ingress("allow", "tcp", 5000, 5000, 0, "10.0.0.0/16"), nlbInt(), restAPI(origin)),
			map[string]string{"nlb-int": "none"}},
	}
	for _, tc := range cases {
		t.Run(tc.note, func(t *testing.T) {
			checkExposures(t, tc.rs, tc.want)
		})
	}
}
