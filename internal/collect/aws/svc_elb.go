package awscollect

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing/types"
)

// runClassicELB collects the region's classic load balancers as AWS Config
// records them (AWS::ElasticLoadBalancing::LoadBalancer: DescribeLoadBalancers'
// description with Config's member names: dnsname, vpcid,
// listener.sslcertificateId...; the SSL negotiation and other policies
// under supplementaryConfiguration.LoadBalancerPolicies, the attributes
// under LoadBalancerAttributes), for the load balancer rules (public, HTTP
// listener, weak TLS) and vigil reach (listeners to instances). A failed
// policy call leaves LoadBalancerPolicies out: the TLS of its HTTPS and SSL
// listeners is then unknown.
func runClassicELB(ctx context.Context, t *Task) error {
	c := elb.NewFromConfig(t.Config)
	var lbs []elbtypes.LoadBalancerDescription
	if _, err := pages(ctx, t, "elasticloadbalancing", "elasticloadbalancing:DescribeLoadBalancers",
		elb.NewDescribeLoadBalancersPaginator(elbDescribeLoadBalancers(c.DescribeLoadBalancers), &elb.DescribeLoadBalancersInput{}),
		func(o *elb.DescribeLoadBalancersOutput) *string { return o.NextMarker },
		func(o *elb.DescribeLoadBalancersOutput) { lbs = append(lbs, o.LoadBalancerDescriptions...) }); err != nil {
		return err
	}
	return each(ctx, lbs, func(lb elbtypes.LoadBalancerDescription) {
		name := aws.ToString(lb.LoadBalancerName)
		arn := t.ARN("elasticloadbalancing", t.Region, t.Account, "loadbalancer/"+name)
		supp := map[string]any{}
		if out, err := c.DescribeLoadBalancerPolicies(ctx, &elb.DescribeLoadBalancerPoliciesInput{LoadBalancerName: aws.String(name)}); err == nil {
			supp["LoadBalancerPolicies"] = camel(out.PolicyDescriptions)
		} else if ctx.Err() == nil {
			t.Fail("elasticloadbalancing", "elasticloadbalancing:DescribeLoadBalancerPolicies", arn, err)
		}
		if out, err := c.DescribeLoadBalancerAttributes(ctx, &elb.DescribeLoadBalancerAttributesInput{LoadBalancerName: aws.String(name)}); err == nil {
			supp["LoadBalancerAttributes"] = camel(out.LoadBalancerAttributes)
		} else if ctx.Err() == nil {
			t.Fail("elasticloadbalancing", "elasticloadbalancing:DescribeLoadBalancerAttributes", arn, err)
		}
		var rels []Relationship
		if v := aws.ToString(lb.VPCId); v != "" {
			rels = append(rels, ec2Rel("AWS::EC2::VPC", v, "Is contained in Vpc"))
		}
		for _, in := range lb.Instances {
			rels = append(rels, ec2Rel("AWS::EC2::Instance", aws.ToString(in.InstanceId), "Is associated with Instance"))
		}
		t.Item(Item{ResourceType: "AWS::ElasticLoadBalancing::LoadBalancer", ResourceID: name, ResourceName: name, ARN: arn,
			Created: lb.CreatedTime, Relationships: rels, Configuration: classicConfig(lb), Supplementary: supp})
	})
}

// classicConfig is a classic load balancer's description as AWS Config
// names its members (lower camel case, but dnsname, vpcid,
// sslcertificateId and lbcookieStickinessPolicies).
func classicConfig(lb elbtypes.LoadBalancerDescription) map[string]any {
	m, _ := camel(lb).(map[string]any)
	rename := func(m map[string]any, from, to string) {
		if v, ok := m[from]; ok {
			delete(m, from)
			m[to] = v
		}
	}
	rename(m, "dNSName", "dnsname")
	rename(m, "vPCId", "vpcid")
	if p, _ := m["policies"].(map[string]any); p != nil {
		rename(p, "lBCookieStickinessPolicies", "lbcookieStickinessPolicies")
	}
	lds, _ := m["listenerDescriptions"].([]any)
	for _, ld := range lds {
		if l, _ := ld.(map[string]any)["listener"].(map[string]any); l != nil {
			rename(l, "sSLCertificateId", "sslcertificateId")
		}
	}
	return m
}
