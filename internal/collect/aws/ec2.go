package awscollect

import (
	"context"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// runEC2 collects a region's instances, security groups, network
// interfaces, network ACLs, VPCs, subnets, route tables, volumes and flow logs as AWS
// Config items, and what Config does not record as the CLI prints it:
// EBS encryption by default, the account's snapshots and AMIs and whether
// each is shared (describe-snapshot-attribute createVolumePermission,
// describe-image-attribute launchPermission).
func runEC2(ctx context.Context, t *Task) error {
	e := &ec2Collector{t: t, cl: ec2.NewFromConfig(t.Config)}
	enis, enisKnown := e.networkInterfaces(ctx)
	e.instances(ctx)
	e.securityGroups(ctx, enis, enisKnown)
	e.networkACLs(ctx)
	e.vpcs(ctx)
	e.subnets(ctx)
	e.routeTables(ctx)
	e.links(ctx)
	e.vpcEndpoints(ctx)
	e.volumes(ctx)
	e.flowLogs(ctx)
	e.ebsDefault(ctx)
	e.snapshots(ctx)
	e.images(ctx)
	e.transitGateways(ctx)
	return ctx.Err()
}

type ec2Collector struct {
	t  *Task
	cl *ec2.Client
}

func (e *ec2Collector) arn(res string) string { return e.t.ARN("ec2", e.t.Region, e.t.Account, res) }

func ec2Tags(tags []ec2types.Tag) map[string]string {
	m := map[string]string{}
	for _, tg := range tags {
		m[aws.ToString(tg.Key)] = aws.ToString(tg.Value)
	}
	return m
}

func ec2Rel(typ, id, name string) Relationship {
	return Relationship{ResourceType: typ, ResourceID: id, Name: name}
}

// ec2List runs one paginated Describe call (NextToken).
func ec2List[O any](ctx context.Context, t *Task, call string, fetch func(ctx context.Context, tok *string) (O, *string, error), each func(O)) bool {
	return Pages(ctx, t, "ec2", call, "", fetch, each)
}

func (e *ec2Collector) networkInterfaces(ctx context.Context) ([]ec2types.NetworkInterface, bool) {
	var out []ec2types.NetworkInterface
	ok := ec2List(ctx, e.t, "ec2:DescribeNetworkInterfaces", func(ctx context.Context, tok *string) (*ec2.DescribeNetworkInterfacesOutput, *string, error) {
		o, err := e.cl.DescribeNetworkInterfaces(ctx, &ec2.DescribeNetworkInterfacesInput{NextToken: tok})
		if err != nil {
			return nil, nil, err
		}
		return o, o.NextToken, nil
	}, func(o *ec2.DescribeNetworkInterfacesOutput) { out = append(out, o.NetworkInterfaces...) })
	for _, ni := range out {
		id := aws.ToString(ni.NetworkInterfaceId)
		var rels []Relationship
		if a := ni.Attachment; a != nil && aws.ToString(a.InstanceId) != "" {
			rels = append(rels, ec2Rel("AWS::EC2::Instance", aws.ToString(a.InstanceId), "Is attached to Instance"))
		}
		for _, g := range ni.Groups {
			rels = append(rels, ec2Rel("AWS::EC2::SecurityGroup", aws.ToString(g.GroupId), "Is associated with SecurityGroup"))
		}
		rels = append(rels, ec2Rel("AWS::EC2::Subnet", aws.ToString(ni.SubnetId), "Is contained in Subnet"),
			ec2Rel("AWS::EC2::VPC", aws.ToString(ni.VpcId), "Is contained in Vpc"))
		e.t.Item(Item{ResourceType: "AWS::EC2::NetworkInterface", ResourceID: id, ARN: e.arn("network-interface/" + id),
			AZ: aws.ToString(ni.AvailabilityZone), Tags: ec2Tags(ni.TagSet), Relationships: rels, Configuration: camel(ni)})
	}
	return out, ok
}

func (e *ec2Collector) instances(ctx context.Context) {
	ec2List(ctx, e.t, "ec2:DescribeInstances", func(ctx context.Context, tok *string) (*ec2.DescribeInstancesOutput, *string, error) {
		o, err := e.cl.DescribeInstances(ctx, &ec2.DescribeInstancesInput{NextToken: tok})
		if err != nil {
			return nil, nil, err
		}
		return o, o.NextToken, nil
	}, func(o *ec2.DescribeInstancesOutput) {
		for _, r := range o.Reservations {
			for _, in := range r.Instances {
				id := aws.ToString(in.InstanceId)
				var rels []Relationship
				for _, ni := range in.NetworkInterfaces {
					rels = append(rels, ec2Rel("AWS::EC2::NetworkInterface", aws.ToString(ni.NetworkInterfaceId), "Contains NetworkInterface"))
				}
				for _, g := range in.SecurityGroups {
					rels = append(rels, ec2Rel("AWS::EC2::SecurityGroup", aws.ToString(g.GroupId), "Is associated with SecurityGroup"))
				}
				for _, bd := range in.BlockDeviceMappings {
					if bd.Ebs != nil {
						rels = append(rels, ec2Rel("AWS::EC2::Volume", aws.ToString(bd.Ebs.VolumeId), "Is attached to Volume"))
					}
				}
				if s := aws.ToString(in.SubnetId); s != "" {
					rels = append(rels, ec2Rel("AWS::EC2::Subnet", s, "Is contained in Subnet"))
				}
				if v := aws.ToString(in.VpcId); v != "" {
					rels = append(rels, ec2Rel("AWS::EC2::VPC", v, "Is contained in Vpc"))
				}
				az := ""
				if in.Placement != nil {
					az = aws.ToString(in.Placement.AvailabilityZone)
				}
				e.t.Item(Item{ResourceType: "AWS::EC2::Instance", ResourceID: id, ARN: e.arn("instance/" + id), AZ: az,
					Tags: ec2Tags(in.Tags), Relationships: rels, Created: in.LaunchTime, Configuration: camel(in)})
			}
		}
	})
}

// securityGroups: the groups, with their rules as Config records them
// (ipv4Ranges objects and the ipRanges list of CIDRs), and the network
// interfaces using each (unknown when they could not be listed).
func (e *ec2Collector) securityGroups(ctx context.Context, enis []ec2types.NetworkInterface, enisKnown bool) {
	users := map[string][]Relationship{}
	for _, ni := range enis {
		for _, g := range ni.Groups {
			id := aws.ToString(g.GroupId)
			users[id] = append(users[id], ec2Rel("AWS::EC2::NetworkInterface", aws.ToString(ni.NetworkInterfaceId), "Is associated with NetworkInterface"))
			if a := ni.Attachment; a != nil && aws.ToString(a.InstanceId) != "" {
				users[id] = append(users[id], ec2Rel("AWS::EC2::Instance", aws.ToString(a.InstanceId), "Is associated with Instance"))
			}
		}
	}
	ec2List(ctx, e.t, "ec2:DescribeSecurityGroups", func(ctx context.Context, tok *string) (*ec2.DescribeSecurityGroupsOutput, *string, error) {
		o, err := e.cl.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{NextToken: tok})
		if err != nil {
			return nil, nil, err
		}
		return o, o.NextToken, nil
	}, func(o *ec2.DescribeSecurityGroupsOutput) {
		for _, sg := range o.SecurityGroups {
			id := aws.ToString(sg.GroupId)
			cfg, _ := camel(sg).(map[string]any)
			for _, k := range []string{"ipPermissions", "ipPermissionsEgress"} {
				perms, _ := cfg[k].([]any)
				for _, p := range perms {
					pm, _ := p.(map[string]any)
					if pm == nil {
						continue
					}
					ranges, _ := pm["ipRanges"].([]any)
					cidrs := []any{}
					for _, r := range ranges {
						if rm, ok := r.(map[string]any); ok && rm["cidrIp"] != nil {
							cidrs = append(cidrs, rm["cidrIp"])
						}
					}
					if ranges == nil {
						ranges = []any{}
					}
					pm["ipv4Ranges"], pm["ipRanges"] = ranges, cidrs
				}
			}
			rels := append([]Relationship{ec2Rel("AWS::EC2::VPC", aws.ToString(sg.VpcId), "Is contained in Vpc")}, users[id]...)
			e.t.Item(Item{ResourceType: "AWS::EC2::SecurityGroup", ResourceID: id, ResourceName: aws.ToString(sg.GroupName),
				ARN: e.arn("security-group/" + id), Tags: ec2Tags(sg.Tags), Relationships: rels, RelationshipsUnknown: !enisKnown,
				Configuration: cfg})
		}
	})
}

func (e *ec2Collector) networkACLs(ctx context.Context) {
	ec2List(ctx, e.t, "ec2:DescribeNetworkAcls", func(ctx context.Context, tok *string) (*ec2.DescribeNetworkAclsOutput, *string, error) {
		o, err := e.cl.DescribeNetworkAcls(ctx, &ec2.DescribeNetworkAclsInput{NextToken: tok})
		if err != nil {
			return nil, nil, err
		}
		return o, o.NextToken, nil
	}, func(o *ec2.DescribeNetworkAclsOutput) {
		for _, acl := range o.NetworkAcls {
			id := aws.ToString(acl.NetworkAclId)
			rels := []Relationship{ec2Rel("AWS::EC2::VPC", aws.ToString(acl.VpcId), "Is contained in Vpc")}
			for _, a := range acl.Associations {
				rels = append(rels, ec2Rel("AWS::EC2::Subnet", aws.ToString(a.SubnetId), "Is attached to Subnet"))
			}
			e.t.Item(Item{ResourceType: "AWS::EC2::NetworkAcl", ResourceID: id, ARN: e.arn("network-acl/" + id),
				Tags: ec2Tags(acl.Tags), Relationships: rels, Configuration: camel(acl)})
		}
	})
}

func (e *ec2Collector) vpcs(ctx context.Context) {
	ec2List(ctx, e.t, "ec2:DescribeVpcs", func(ctx context.Context, tok *string) (*ec2.DescribeVpcsOutput, *string, error) {
		o, err := e.cl.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{NextToken: tok})
		if err != nil {
			return nil, nil, err
		}
		return o, o.NextToken, nil
	}, func(o *ec2.DescribeVpcsOutput) {
		for _, v := range o.Vpcs {
			id := aws.ToString(v.VpcId)
			e.t.Item(Item{ResourceType: "AWS::EC2::VPC", ResourceID: id, ARN: e.arn("vpc/" + id), Tags: ec2Tags(v.Tags), Configuration: camel(v)})
		}
	})
}

func (e *ec2Collector) subnets(ctx context.Context) {
	ec2List(ctx, e.t, "ec2:DescribeSubnets", func(ctx context.Context, tok *string) (*ec2.DescribeSubnetsOutput, *string, error) {
		o, err := e.cl.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{NextToken: tok})
		if err != nil {
			return nil, nil, err
		}
		return o, o.NextToken, nil
	}, func(o *ec2.DescribeSubnetsOutput) {
		for _, s := range o.Subnets {
			id := aws.ToString(s.SubnetId)
			e.t.Item(Item{ResourceType: "AWS::EC2::Subnet", ResourceID: id, ARN: e.arn("subnet/" + id), AZ: aws.ToString(s.AvailabilityZone),
				Tags: ec2Tags(s.Tags), Relationships: []Relationship{ec2Rel("AWS::EC2::VPC", aws.ToString(s.VpcId), "Is contained in Vpc")},
				Configuration: camel(s)})
		}
	})
}

// routeTables: the region's route tables as Config records them (routes,
// associations with their subnet or main, propagating gateways), which
// vigil reach follows from a subnet to an internet, NAT, transit or VPN
// gateway. A listing that failed part-way writes none: a subnet whose own
// table were left out would fall back to its VPC's main table and be
// judged on routes that are not its own.
func (e *ec2Collector) routeTables(ctx context.Context) {
	var tables []ec2types.RouteTable
	if !ec2List(ctx, e.t, "ec2:DescribeRouteTables", func(ctx context.Context, tok *string) (*ec2.DescribeRouteTablesOutput, *string, error) {
		o, err := e.cl.DescribeRouteTables(ctx, &ec2.DescribeRouteTablesInput{NextToken: tok})
		if err != nil {
			return nil, nil, err
		}
		return o, o.NextToken, nil
	}, func(o *ec2.DescribeRouteTablesOutput) { tables = append(tables, o.RouteTables...) }) {
		return
	}
	for _, rt := range tables {
		id := aws.ToString(rt.RouteTableId)
		rels := []Relationship{ec2Rel("AWS::EC2::VPC", aws.ToString(rt.VpcId), "Is contained in Vpc")}
		for _, a := range rt.Associations {
			if s := aws.ToString(a.SubnetId); s != "" {
				rels = append(rels, ec2Rel("AWS::EC2::Subnet", s, "Is associated with Subnet"))
			}
		}
		e.t.Item(Item{ResourceType: "AWS::EC2::RouteTable", ResourceID: id, ARN: e.arn("route-table/" + id),
			Tags: ec2Tags(rt.Tags), Relationships: rels, Configuration: camel(rt)})
	}
}

func (e *ec2Collector) volumes(ctx context.Context) {
	ec2List(ctx, e.t, "ec2:DescribeVolumes", func(ctx context.Context, tok *string) (*ec2.DescribeVolumesOutput, *string, error) {
		o, err := e.cl.DescribeVolumes(ctx, &ec2.DescribeVolumesInput{NextToken: tok})
		if err != nil {
			return nil, nil, err
		}
		return o, o.NextToken, nil
	}, func(o *ec2.DescribeVolumesOutput) {
		for _, v := range o.Volumes {
			id := aws.ToString(v.VolumeId)
			var rels []Relationship
			for _, a := range v.Attachments {
				rels = append(rels, ec2Rel("AWS::EC2::Instance", aws.ToString(a.InstanceId), "Is attached to Instance"))
			}
			e.t.Item(Item{ResourceType: "AWS::EC2::Volume", ResourceID: id, ARN: e.arn("volume/" + id), AZ: aws.ToString(v.AvailabilityZone),
				Tags: ec2Tags(v.Tags), Relationships: rels, Created: v.CreateTime, Configuration: camel(v)})
		}
	})
}

func (e *ec2Collector) flowLogs(ctx context.Context) {
	ec2List(ctx, e.t, "ec2:DescribeFlowLogs", func(ctx context.Context, tok *string) (*ec2.DescribeFlowLogsOutput, *string, error) {
		o, err := e.cl.DescribeFlowLogs(ctx, &ec2.DescribeFlowLogsInput{NextToken: tok})
		if err != nil {
			return nil, nil, err
		}
		return o, o.NextToken, nil
	}, func(o *ec2.DescribeFlowLogsOutput) {
		for _, fl := range o.FlowLogs {
			id := aws.ToString(fl.FlowLogId)
			target := aws.ToString(fl.ResourceId)
			var rels []Relationship
			switch {
			case strings.HasPrefix(target, "vpc-"):
				rels = append(rels, ec2Rel("AWS::EC2::VPC", target, "Is contained in Vpc"))
			case strings.HasPrefix(target, "subnet-"):
				rels = append(rels, ec2Rel("AWS::EC2::Subnet", target, "Is contained in Subnet"))
			case strings.HasPrefix(target, "eni-"):
				rels = append(rels, ec2Rel("AWS::EC2::NetworkInterface", target, "Is attached to NetworkInterface"))
			}
			e.t.Item(Item{ResourceType: "AWS::EC2::FlowLog", ResourceID: id, ARN: e.arn("vpc-flow-log/" + id),
				Tags: ec2Tags(fl.Tags), Relationships: rels, Created: fl.CreationTime, Configuration: camel(fl)})
		}
	})
}

func (e *ec2Collector) ebsDefault(ctx context.Context) {
	o, err := e.cl.GetEbsEncryptionByDefault(ctx, &ec2.GetEbsEncryptionByDefaultInput{})
	if err != nil {
		e.t.Fail("ec2", "ec2:GetEbsEncryptionByDefault", "", err)
		return
	}
	v := map[string]any{"EbsEncryptionByDefault": o.EbsEncryptionByDefault}
	if o.SseType != "" {
		v["SseType"] = o.SseType
	}
	e.t.CLI("ebs-encryption-by-default."+e.t.Region+".json", v)
}

// snapshots: describe-snapshots --owner-ids self, and for each snapshot
// describe-snapshot-attribute --attribute createVolumePermission (who may
// create volumes from it: "all" is public). A failed attribute call leaves
// that snapshot's sharing unknown.
func (e *ec2Collector) snapshots(ctx context.Context) {
	var snaps []ec2types.Snapshot
	ec2List(ctx, e.t, "ec2:DescribeSnapshots", func(ctx context.Context, tok *string) (*ec2.DescribeSnapshotsOutput, *string, error) {
		o, err := e.cl.DescribeSnapshots(ctx, &ec2.DescribeSnapshotsInput{OwnerIds: []string{"self"}, NextToken: tok})
		if err != nil {
			return nil, nil, err
		}
		return o, o.NextToken, nil
	}, func(o *ec2.DescribeSnapshotsOutput) { snaps = append(snaps, o.Snapshots...) })
	if snaps == nil {
		snaps = []ec2types.Snapshot{}
	}
	e.t.CLI("ec2-describe-snapshots."+e.t.Region+".json", map[string]any{"Snapshots": snaps})
	sem := make(chan struct{}, 8)
	var wg sync.WaitGroup
	for _, s := range snaps {
		id := aws.ToString(s.SnapshotId)
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			o, err := e.cl.DescribeSnapshotAttribute(ctx, &ec2.DescribeSnapshotAttributeInput{SnapshotId: &id,
				Attribute: ec2types.SnapshotAttributeNameCreateVolumePermission})
			if err != nil {
				e.t.Fail("ec2", "ec2:DescribeSnapshotAttribute", e.t.ARN("ec2", e.t.Region, "", "snapshot/"+id), err)
				return
			}
			perms := o.CreateVolumePermissions
			if perms == nil {
				perms = []ec2types.CreateVolumePermission{}
			}
			e.t.CLI("ec2-describe-snapshot-attribute/"+id+"."+e.t.Region+".json", map[string]any{"SnapshotId": id, "CreateVolumePermissions": perms})
		}()
	}
	wg.Wait()
}

// images: describe-images --owners self (each says whether it is public),
// and for each describe-image-attribute --attribute launchPermission (the
// accounts and organizations it is shared with).
func (e *ec2Collector) images(ctx context.Context) {
	var images []ec2types.Image
	ec2List(ctx, e.t, "ec2:DescribeImages", func(ctx context.Context, tok *string) (*ec2.DescribeImagesOutput, *string, error) {
		o, err := e.cl.DescribeImages(ctx, &ec2.DescribeImagesInput{Owners: []string{"self"}, NextToken: tok})
		if err != nil {
			return nil, nil, err
		}
		return o, o.NextToken, nil
	}, func(o *ec2.DescribeImagesOutput) { images = append(images, o.Images...) })
	if images == nil {
		images = []ec2types.Image{}
	}
	e.t.CLI("ec2-describe-images."+e.t.Region+".json", map[string]any{"Images": images})
	for _, im := range images {
		id := aws.ToString(im.ImageId)
		o, err := e.cl.DescribeImageAttribute(ctx, &ec2.DescribeImageAttributeInput{ImageId: &id, Attribute: ec2types.ImageAttributeNameLaunchPermission})
		if err != nil {
			e.t.Fail("ec2", "ec2:DescribeImageAttribute", e.t.ARN("ec2", e.t.Region, "", "image/"+id), err)
			continue
		}
		perms := o.LaunchPermissions
		if perms == nil {
			perms = []ec2types.LaunchPermission{}
		}
		e.t.CLI("ec2-describe-image-attribute/"+id+"."+e.t.Region+".json", map[string]any{"ImageId": id, "LaunchPermissions": perms})
	}
}
