package awsconfig

import (
	"context"
	"reflect"
	"testing"

	"github.com/vigil-sec/vigil/internal/importer/internal/attr"
	"github.com/vigil-sec/vigil/internal/resource"
)

func parseDoc(t *testing.T, path, text string) *attr.Result {
	t.Helper()
	var doc any
	if err := attr.Decode([]byte(text), &doc); err != nil {
		t.Fatal(err)
	}
	return Parse(context.Background(), path, doc)
}

// TestAPIV2Integrations: get-integrations output becomes the HTTP API's
// origins (expected origins written before the code); an ELBv2 listener's
// Config item names its port.
func TestAPIV2Integrations(t *testing.T) {
	const out = `{"Items":[
	 {"ConnectionType":"INTERNET","IntegrationId":"a1","IntegrationType":"AWS_PROXY","IntegrationUri":"arn:aws:lambda:us-east-1:111122223333:function:orders","PayloadFormatVersion":"2.0"},
	 {"ConnectionType":"INTERNET","IntegrationId":"a2","IntegrationType":"AWS_PROXY","IntegrationUri":"arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:111122223333:function:billing/invocations"},
	 {"ConnectionType":"VPC_LINK","ConnectionId":"vl0a1b","IntegrationId":"a3","IntegrationType":"HTTP_PROXY","IntegrationMethod":"ANY",
	  "IntegrationUri":"arn:aws:elasticloadbalancing:us-east-1:111122223333:listener/app/alb-int/0a1b/2c3d"},
	 {"ConnectionType":"VPC_LINK","ConnectionId":"vl0a1b","IntegrationId":"a4","IntegrationType":"HTTP_PROXY",
	  "IntegrationUri":"arn:aws:servicediscovery:us-east-1:111122223333:service/srv-abc"},
	 {"ConnectionType":"INTERNET","IntegrationId":"a5","IntegrationType":"HTTP_PROXY","IntegrationUri":"https://backend.example.com:8443/v1"},
	 {"IntegrationId":"a6","IntegrationType":"AWS_PROXY","IntegrationSubtype":"SQS-SendMessage","CredentialsArn":"arn:aws:iam::111122223333:role/x"},
	 {"IntegrationId":"a7","IntegrationType":"MOCK"}
	]}`
	res := parseDoc(t, "111122223333/cli/apigatewayv2-get-integrations/q1w2e3r4t5.us-east-1.json", out)
	if res.Format != FormatAPIV2Integrations || len(res.Problems) > 0 || len(res.Resources) != 1 {
		t.Fatalf("format %q, %d resources, problems %+v", res.Format, len(res.Resources), res.Problems)
	}
	r := res.Resources[0]
	if r.ID != "arn:aws:apigateway:us-east-1::/apis/q1w2e3r4t5" || r.Type != TypeAPIV2 || r.Account != "111122223333" || r.Class != resource.ClassAPIGateway {
		t.Errorf("resource %s %s %s %s", r.ID, r.Type, r.Account, r.Class)
	}
	want := []resource.Origin{
		{Target: "arn:aws:lambda:us-east-1:111122223333:function:orders", Port: 443, ViewerPort: 443, Via: "orders"},
		{Target: "arn:aws:lambda:us-east-1:111122223333:function:billing", Port: 443, ViewerPort: 443, Via: "billing"},
		{Target: "arn:aws:elasticloadbalancing:us-east-1:111122223333:listener/app/alb-int/0a1b/2c3d", ViewerPort: 443, Via: "VPC link vl0a1b"},
		{Target: "backend.example.com", Port: 8443, ViewerPort: 443, Via: "backend.example.com:8443"},
	}
	if !reflect.DeepEqual(r.Facts.APIGateway.Origins, want) {
		t.Errorf("origins:\n%+v\nwant\n%+v", r.Facts.APIGateway.Origins, want)
	}
	// The file must name the API.
	if res := parseDoc(t, "111122223333/cli/integrations.json", out); len(res.Resources) != 0 || len(res.Problems) != 1 {
		t.Errorf("unnamed output: %d resources, problems %+v", len(res.Resources), res.Problems)
	}
	// A wrong shape could hide an integration: no origins known.
	if res := parseDoc(t, "111122223333/cli/q1w2e3r4t5.us-east-1.json", `{"Items":[{"IntegrationType":"AWS_PROXY","IntegrationUri":42}]}`); len(res.Resources) != 1 ||
		res.Resources[0].Facts.APIGateway.Origins != nil || len(res.Problems) == 0 {
		t.Errorf("bad shape: %+v problems %+v", res.Resources, res.Problems)
	}

	// A listener's Config item names its load balancer and port.
	const item = `{"configurationItems":[{"resourceType":"AWS::ElasticLoadBalancingV2::Listener","awsRegion":"us-east-1","awsAccountId":"111122223333",
	  "resourceId":"arn:aws:elasticloadbalancing:us-east-1:111122223333:listener/app/alb-int/0a1b/2c3d",
	  "ARN":"arn:aws:elasticloadbalancing:us-east-1:111122223333:listener/app/alb-int/0a1b/2c3d",
	  "configuration":{"LoadBalancerArn":"arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/app/alb-int/0a1b","Port":443,"Protocol":"HTTPS",
	   "DefaultActions":[{"Type":"forward","TargetGroupArn":"arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/app/0c"}]}}]}`
	res = parseDoc(t, "config.json", item)
	if len(res.Resources) != 1 {
		t.Fatalf("%d resources", len(res.Resources))
	}
	var port []string
	for _, rel := range res.Resources[0].Relationships {
		if rel.Type == RelListenerPort {
			port = append(port, rel.TargetID)
		}
	}
	if !reflect.DeepEqual(port, []string{"443"}) {
		t.Errorf("listener port relationships %v", port)
	}
}

// TestRESTVPCLinks: get-vpc-links output names each link's load
// balancers while it is available; a REST API's private integration is
// an origin at its VPC link on the uri's port.
func TestRESTVPCLinks(t *testing.T) {
	res := parseDoc(t, "111122223333/cli/vpc-links.eu-west-1.json", `{"items":[
	 {"id":"vl0a","name":"to-nlb","targetArns":["arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/net/nlb/0a"],"status":"AVAILABLE"},
	 {"id":"vl0b","targetArns":["arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/net/old/0b"],"status":"DELETING"}]}`)
	if res.Format != FormatVPCLinks || len(res.Resources) != 2 || len(res.Problems) > 0 {
		t.Fatalf("format %q, %d resources, problems %+v", res.Format, len(res.Resources), res.Problems)
	}
	got := map[string][]string{}
	for _, r := range res.Resources {
		got[r.ID] = nil
		for _, rel := range r.Relationships {
			if rel.Type == RelVPCLinkTarget {
				got[r.ID] = append(got[r.ID], rel.TargetID)
			}
		}
	}
	want := map[string][]string{
		"arn:aws:apigateway:eu-west-1::/vpclinks/vl0a": {"arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/net/nlb/0a"},
		"arn:aws:apigateway:eu-west-1::/vpclinks/vl0b": nil, // being deleted: sends nothing
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("links %v, want %v", got, want)
	}
	res = parseDoc(t, "111122223333/cli/ab12cd34ef.eu-west-1.json", `{"items":[{"id":"r1","path":"/","resourceMethods":{
	 "GET":{"authorizationType":"NONE","methodIntegration":{"type":"HTTP_PROXY","uri":"http://nlb.internal:8080/x","connectionType":"VPC_LINK","connectionId":"vl0a"}},
	 "PUT":{"authorizationType":"NONE","methodIntegration":{"type":"HTTP_PROXY","uri":"http://nlb.internal/x","connectionType":"VPC_LINK","connectionId":"${stageVariables.link}"}}}}]}`)
	if len(res.Resources) != 1 {
		t.Fatalf("%d resources %+v", len(res.Resources), res.Problems)
	}
	wantO := []resource.Origin{{Target: "arn:aws:apigateway:eu-west-1::/vpclinks/vl0a", Port: 8080, ViewerPort: 443, Via: "VPC link vl0a"}}
	if o := res.Resources[0].Facts.APIGateway.Origins; !reflect.DeepEqual(o, wantO) {
		t.Errorf("origins %+v, want %+v", o, wantO)
	}
}

// TestALBTypeTargetGroup: an NLB target group of type alb registers an
// ALB by its ARN: the listener forwards to the ALB on the group's port.
func TestALBTypeTargetGroup(t *testing.T) {
	const alb = "arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/app/alb-int/0a1b"
	res := parseDoc(t, "111122223333/cli/elbv2-describe-target-health/to-alb.us-east-1.json",
		`{"TargetHealthDescriptions":[{"Target":{"Id":"`+alb+`","Port":443},"TargetHealth":{"State":"healthy"}}]}`)
	if len(res.Resources) != 1 || len(res.Problems) > 0 {
		t.Fatalf("%d resources, problems %+v", len(res.Resources), res.Problems)
	}
	nlb := &resource.Resource{Provider: resource.AWS, ID: "arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/net/nlb-pub/0c2d",
		Facts: resource.Facts{LoadBalancer: &resource.LoadBalancer{Listeners: []resource.Listener{{Protocol: "TCP", Port: 443,
			Forwards: []resource.Forward{{Via: "arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/to-alb/0e3f"}}}}}}}
	joinTargetGroups([]*resource.Resource{nlb}, res.Resources)
	want := []resource.Forward{{Target: alb, Port: 443, Via: "arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/to-alb/0e3f"}}
	if got := nlb.Facts.LoadBalancer.Listeners[0].Forwards; !reflect.DeepEqual(got, want) {
		t.Errorf("forwards %+v, want %+v", got, want)
	}
}
