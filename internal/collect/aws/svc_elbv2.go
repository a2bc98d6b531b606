package awscollect

import (
	"context"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
)

// runELBv2 collects the region's application, network and gateway load
// balancers (with their attributes in the supplementary configuration)
// and their listeners, as AWS Config items
// (AWS::ElasticLoadBalancingV2::LoadBalancer and ::Listener; the importer
// judges a load balancer with its listeners).
func runELBv2(ctx context.Context, t *Task) error {
	c := elb.NewFromConfig(t.Config)
	var lbs []types.LoadBalancer
	_, err := pages(ctx, t, "elasticloadbalancing", "elasticloadbalancing:DescribeLoadBalancers",
		elb.NewDescribeLoadBalancersPaginator(elbv2DescribeLoadBalancers(c.DescribeLoadBalancers), &elb.DescribeLoadBalancersInput{}),
		func(o *elb.DescribeLoadBalancersOutput) *string { return o.NextMarker },
		func(o *elb.DescribeLoadBalancersOutput) { lbs = append(lbs, o.LoadBalancers...) })
	if err != nil {
		return err
	}
	tags := elbTags(ctx, t, c, lbs)
	return each(ctx, lbs, func(lb types.LoadBalancer) {
		arn := str(lb.LoadBalancerArn)
		var attrs []types.LoadBalancerAttribute
		if out, err := c.DescribeLoadBalancerAttributes(ctx, &elb.DescribeLoadBalancerAttributesInput{LoadBalancerArn: aws.String(arn)}); err != nil {
			t.Fail("elasticloadbalancing", "elasticloadbalancing:DescribeLoadBalancerAttributes", arn, err)
		} else {
			attrs = out.Attributes
			if attrs == nil {
				attrs = []types.LoadBalancerAttribute{}
			}
		}
		it := loadBalancerItem(lb, attrs)
		it.Tags = tags[arn]
		t.Item(it)
		var listeners []types.Listener
		complete, err := pagesOf(ctx, t, "elasticloadbalancing", "elasticloadbalancing:DescribeListeners", arn,
			elb.NewDescribeListenersPaginator(elbv2DescribeListeners(c.DescribeListeners), &elb.DescribeListenersInput{LoadBalancerArn: aws.String(arn)}),
			func(o *elb.DescribeListenersOutput) *string { return o.NextMarker },
			func(o *elb.DescribeListenersOutput) { listeners = append(listeners, o.Listeners...) })
		if err != nil || !complete {
			// Some listeners unread: none is written, so that the load
			// balancer's listener facts stay unknown rather than judged on
			// the listeners read.
			return
		}
		for _, l := range listeners {
			t.Item(listenerItem(l, str(lb.LoadBalancerName)))
		}
		targetHealth(ctx, t, c, listeners)
	})
}

// targetHealth writes the registered targets of the target groups the
// listeners forward to, as `aws elbv2 describe-target-health
// --target-group-arn ARN` prints them, in
// elbv2-describe-target-health/<target-group-name>.<region>.json (the
// output does not name its group: the file does). AWS Config does not
// record them; reachability follows a listener to its targets through
// them. A failed call leaves the group's targets unknown.
func targetHealth(ctx context.Context, t *Task, c *elb.Client, listeners []types.Listener) {
	seen := map[string]bool{}
	for _, l := range listeners {
		for _, a := range l.DefaultActions {
			groups := []string{str(a.TargetGroupArn)}
			if a.ForwardConfig != nil {
				for _, g := range a.ForwardConfig.TargetGroups {
					groups = append(groups, str(g.TargetGroupArn))
				}
			}
			for _, arn := range groups {
				if arn == "" || seen[arn] {
					continue
				}
				seen[arn] = true
				out, err := c.DescribeTargetHealth(ctx, &elb.DescribeTargetHealthInput{TargetGroupArn: aws.String(arn)})
				if err != nil {
					t.Fail("elasticloadbalancing", "elasticloadbalancing:DescribeTargetHealth", arn, err)
					continue
				}
				descs := out.TargetHealthDescriptions
				if descs == nil {
					descs = []types.TargetHealthDescription{}
				}
				t.CLI("elbv2-describe-target-health/"+targetGroupName(arn)+"."+t.Region+".json", map[string]any{"TargetHealthDescriptions": descs})
			}
		}
	}
}

// targetGroupName is the name in a target group's ARN
// (arn:aws:elasticloadbalancing:R:A:targetgroup/NAME/ID).
func targetGroupName(arn string) string {
	_, rest, ok := strings.Cut(arn, ":targetgroup/")
	if !ok {
		return arn
	}
	name, _, _ := strings.Cut(rest, "/")
	return name
}

// elbTags reads the load balancers' tags, 20 a call (DescribeTags' limit);
// the load balancers of a failed call have none in the result.
func elbTags(ctx context.Context, t *Task, c *elb.Client, lbs []types.LoadBalancer) map[string]map[string]string {
	out := map[string]map[string]string{}
	for start := 0; start < len(lbs); start += 20 {
		var arns []string
		for _, lb := range lbs[start:min(start+20, len(lbs))] {
			arns = append(arns, str(lb.LoadBalancerArn))
		}
		res, err := c.DescribeTags(ctx, &elb.DescribeTagsInput{ResourceArns: arns})
		if err != nil {
			for _, a := range arns {
				t.Fail("elasticloadbalancing", "elasticloadbalancing:DescribeTags", a, err)
			}
			continue
		}
		for _, d := range res.TagDescriptions {
			m := map[string]string{}
			for _, tg := range d.Tags {
				m[str(tg.Key)] = str(tg.Value)
			}
			out[str(d.ResourceArn)] = m
		}
	}
	return out
}

// loadBalancerItem is a load balancer as AWS Config records it;
// attributes nil (the call failed) leaves LoadBalancerAttributes out.
func loadBalancerItem(lb types.LoadBalancer, attrs []types.LoadBalancerAttribute) Item {
	azs := []map[string]any{}
	for _, z := range lb.AvailabilityZones {
		addrs := []map[string]any{}
		for _, a := range z.LoadBalancerAddresses {
			addrs = append(addrs, omitNil(map[string]any{"ipAddress": a.IpAddress, "allocationId": a.AllocationId,
				"privateIPv4Address": a.PrivateIPv4Address, "iPv6Address": a.IPv6Address}))
		}
		azs = append(azs, omitNil(map[string]any{"zoneName": z.ZoneName, "subnetId": z.SubnetId, "outpostId": z.OutpostId,
			"loadBalancerAddresses": addrs}))
	}
	cfg := map[string]any{
		"loadBalancerArn": lb.LoadBalancerArn, "dNSName": lb.DNSName, "canonicalHostedZoneId": lb.CanonicalHostedZoneId,
		"createdTime": cfgTime(lb.CreatedTime), "loadBalancerName": lb.LoadBalancerName, "scheme": enum(lb.Scheme),
		"vpcId": lb.VpcId, "type": enum(lb.Type), "availabilityZones": azs, "securityGroups": nonNil(lb.SecurityGroups),
		"ipAddressType": enum(lb.IpAddressType), "customerOwnedIpv4Pool": lb.CustomerOwnedIpv4Pool,
	}
	if s := lb.State; s != nil {
		cfg["state"] = omitNil(map[string]any{"code": enum(s.Code), "reason": s.Reason})
	}
	it := Item{
		ResourceType: "AWS::ElasticLoadBalancingV2::LoadBalancer", ResourceID: str(lb.LoadBalancerArn),
		ResourceName: str(lb.LoadBalancerName), ARN: str(lb.LoadBalancerArn), AZ: "Regional", Created: lb.CreatedTime, Configuration: omitNil(cfg),
	}
	if lb.VpcId != nil {
		it.Relationships = append(it.Relationships, Relationship{ResourceType: "AWS::EC2::VPC", ResourceID: *lb.VpcId, Name: "Is contained in Vpc"})
	}
	for _, sg := range lb.SecurityGroups {
		it.Relationships = append(it.Relationships, Relationship{ResourceType: "AWS::EC2::SecurityGroup", ResourceID: sg, Name: "Is associated with SecurityGroup"})
	}
	if attrs != nil {
		list := []map[string]any{}
		for _, a := range attrs {
			list = append(list, map[string]any{"key": str(a.Key), "value": str(a.Value)})
		}
		it.Supplementary = map[string]any{"LoadBalancerAttributes": list}
	}
	return it
}

// listenerItem is a listener as AWS Config records it (CloudFormation's
// property names: Protocol, SslPolicy, DefaultActions).
func listenerItem(l types.Listener, lbName string) Item {
	acts := []map[string]any{}
	for _, a := range l.DefaultActions {
		m := map[string]any{"Type": enum(a.Type), "TargetGroupArn": a.TargetGroupArn, "Order": a.Order}
		if r := a.RedirectConfig; r != nil {
			m["RedirectConfig"] = omitNil(map[string]any{"Protocol": r.Protocol, "Port": r.Port, "Host": r.Host,
				"Path": r.Path, "Query": r.Query, "StatusCode": enum(r.StatusCode)})
		}
		if f := a.ForwardConfig; f != nil {
			tgs := []map[string]any{}
			for _, g := range f.TargetGroups {
				tgs = append(tgs, omitNil(map[string]any{"TargetGroupArn": g.TargetGroupArn, "Weight": g.Weight}))
			}
			fc := map[string]any{"TargetGroups": tgs}
			if s := f.TargetGroupStickinessConfig; s != nil {
				fc["TargetGroupStickinessConfig"] = omitNil(map[string]any{"Enabled": s.Enabled, "DurationSeconds": s.DurationSeconds})
			}
			m["ForwardConfig"] = fc
		}
		if f := a.FixedResponseConfig; f != nil {
			m["FixedResponseConfig"] = omitNil(map[string]any{"StatusCode": f.StatusCode, "ContentType": f.ContentType, "MessageBody": f.MessageBody})
		}
		acts = append(acts, omitNil(m))
	}
	certs := []map[string]any{}
	for _, c := range l.Certificates {
		certs = append(certs, omitNil(map[string]any{"CertificateArn": c.CertificateArn}))
	}
	cfg := map[string]any{
		"ListenerArn": l.ListenerArn, "LoadBalancerArn": l.LoadBalancerArn, "Port": l.Port, "Protocol": enum(l.Protocol),
		"DefaultActions": acts, "SslPolicy": l.SslPolicy, "Certificates": certs, "AlpnPolicy": l.AlpnPolicy,
	}
	return Item{
		ResourceType: "AWS::ElasticLoadBalancingV2::Listener", ResourceID: str(l.ListenerArn), ARN: str(l.ListenerArn),
		AZ: "Regional", Configuration: omitNil(cfg),
		Relationships: []Relationship{{ResourceType: "AWS::ElasticLoadBalancingV2::LoadBalancer", ResourceID: str(l.LoadBalancerArn),
			ResourceName: lbName, Name: "Is attached to LoadBalancer"}},
	}
}
