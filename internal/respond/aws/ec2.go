package awsrespond

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/vigil-sec/vigil/internal/lazyre"
	"github.com/vigil-sec/vigil/internal/respond"
)

// ec2ID reads an EC2 resource input: an ID with prefix ("i", "sg") or
// its ARN (arn:aws:ec2:REGION:ACCOUNT:TYPE/ID). It returns the ID and the
// ARN's account and region.
func ec2ID(v, input, prefix, arnType, action string) (id, account, region string, err error) {
	if rest, ok := strings.CutPrefix(v, "arn:"); ok {
		parts := strings.SplitN(rest, ":", 5)
		if len(parts) == 5 && parts[1] == "ec2" && strings.HasPrefix(parts[4], arnType+"/") {
			v, account, region = strings.TrimPrefix(parts[4], arnType+"/"), parts[3], parts[2]
		} else {
			return "", "", "", fmt.Errorf("%w: %s: %s %q is not an EC2 %s ARN", respond.ErrInput, action, input, v, arnType)
		}
	}
	if !ec2IDs.Get().MatchString(v) || !strings.HasPrefix(v, prefix+"-") {
		return "", "", "", fmt.Errorf("%w: %s: %s %q is not a %s-... ID", respond.ErrInput, action, input, v, prefix)
	}
	return v, account, region, nil
}

// Compiled on first use, not at start-up of every command.
var (
	ec2IDs  = lazyre.Regexp{Expr: `^[a-z]+-[0-9a-f]{8,17}$`}
	ruleIDs = lazyre.Regexp{Expr: `^sgr-[0-9a-f]{8,17}$`}
)

func ec2ARN(t target, typ, id string) string {
	return "arn:" + t.partition + ":ec2:" + t.region + ":" + t.account + ":" + typ + "/" + id
}

// quarantine isolates an instance: its EBS volumes are snapshotted, then
// each network interface's security groups are replaced by an isolation
// group (no inbound, no outbound rule).
type quarantine struct{ c *clients }

const defaultIsolationGroup = "vigil-quarantine"

type eniGroups struct {
	ENI    string   `json:"eni"`
	Groups []string `json:"groups"`
}

type snapshotOf struct {
	Volume   string `json:"volume"`
	Snapshot string `json:"snapshot"`
}

type quarantineState struct {
	Instance  string      `json:"instance"`
	VPC       string      `json:"vpc"`
	Volumes   []string    `json:"volumes"`
	ENIs      []eniGroups `json:"enis"` // the groups before
	Group     string      `json:"isolation_group,omitempty"`
	GroupName string      `json:"isolation_group_name,omitempty"`
	// GivenGroup is the isolation_group input.
	GivenGroup string `json:"given_group,omitempty"`
	// Undo only: the snapshots taken, whether the group was created.
	Snapshots []snapshotOf `json:"snapshots,omitempty"`
	Created   bool         `json:"created_group,omitempty"`
	respond.Applied
}

func (a *quarantine) Spec() respond.Spec {
	return respond.Spec{
		Name: "aws.ec2.quarantine-instance", Class: respond.Remediate, Provider: "aws", Tactic: "isolate", Reversible: true,
		Description: "Snapshots every EBS volume attached to an instance, then replaces the security groups of each of its network " +
			"interfaces with an isolation group that has no inbound and no outbound rule (the one given, else the group named " +
			defaultIsolationGroup + " in the instance's VPC, created when missing). Rollback restores the original groups; the snapshots are kept.",
		Inputs: append([]respond.Input{
			{Name: "instance_id", Required: true, Description: "the instance: i-... or its ARN"},
			{Name: "isolation_group", Description: "an existing isolation group (sg-...) in the instance's VPC, with no rules"},
			{Name: "isolation_group_name", Description: "the name of the isolation group found or created in the VPC (default " + defaultIsolationGroup + ")"},
		}, placeInputs...),
		Permissions: []string{
			"ec2:DescribeInstances", "ec2:DescribeSecurityGroups", "ec2:CreateSnapshot", "ec2:CreateTags",
			"ec2:CreateSecurityGroup", "ec2:RevokeSecurityGroupEgress", "ec2:ModifyNetworkInterfaceAttribute",
		},
	}
}

// describe reads the instance's VPC, volumes and interfaces' groups.
func (a *quarantine) describe(ctx context.Context, env *respond.Env, t target, id string) (quarantineState, error) {
	st := quarantineState{Instance: id}
	var inst *ec2types.Instance
	err := do(ctx, env, respond.Call{Service: "ec2", Operation: "DescribeInstances", Target: ec2ARN(t, "instance", id),
		Params: map[string]any{"InstanceIds": []string{id}}, ReadOnly: true}, []string{"InvalidInstanceID.NotFound"}, func(ctx context.Context) error {
		out, err := t.ec2().DescribeInstances(ctx, &ec2.DescribeInstancesInput{InstanceIds: []string{id}})
		if err != nil {
			return err
		}
		for _, r := range out.Reservations {
			for i := range r.Instances {
				if aws.ToString(r.Instances[i].InstanceId) == id {
					inst = &r.Instances[i]
				}
			}
		}
		return nil
	})
	if err != nil {
		return st, err
	}
	if inst == nil {
		return st, fmt.Errorf("%w: instance %s is not found", respond.ErrGone, id)
	}
	if inst.State != nil && (inst.State.Name == ec2types.InstanceStateNameTerminated || inst.State.Name == ec2types.InstanceStateNameShuttingDown) {
		return st, fmt.Errorf("%w: instance %s is %s", respond.ErrGone, id, inst.State.Name)
	}
	st.VPC = aws.ToString(inst.VpcId)
	for _, m := range inst.BlockDeviceMappings {
		if m.Ebs != nil && m.Ebs.VolumeId != nil {
			st.Volumes = append(st.Volumes, *m.Ebs.VolumeId)
		}
	}
	for _, n := range inst.NetworkInterfaces {
		e := eniGroups{ENI: aws.ToString(n.NetworkInterfaceId)}
		for _, g := range n.Groups {
			e.Groups = append(e.Groups, aws.ToString(g.GroupId))
		}
		st.ENIs = append(st.ENIs, e)
	}
	if st.VPC == "" || len(st.ENIs) == 0 {
		return st, fmt.Errorf("%w: instance %s has no VPC network interface to isolate", respond.ErrInput, id)
	}
	return st, nil
}

// findGroup returns the isolation group: the one given (which must be in
// vpc), else the one named name in vpc ("" when there is none). A group
// with rules does not isolate and is refused.
func (a *quarantine) findGroup(ctx context.Context, env *respond.Env, t target, vpc, given, name string) (*ec2types.SecurityGroup, error) {
	in := &ec2.DescribeSecurityGroupsInput{}
	params := map[string]any{}
	if given != "" {
		in.GroupIds, params["GroupIds"] = []string{given}, []string{given}
	} else {
		in.Filters = []ec2types.Filter{{Name: aws.String("vpc-id"), Values: []string{vpc}}, {Name: aws.String("group-name"), Values: []string{name}}}
		params["Filters"] = map[string]string{"vpc-id": vpc, "group-name": name}
	}
	var found *ec2types.SecurityGroup
	err := do(ctx, env, respond.Call{Service: "ec2", Operation: "DescribeSecurityGroups", Target: ec2ARN(t, "vpc", vpc), Params: params, ReadOnly: true},
		nil, func(ctx context.Context) error {
			out, err := t.ec2().DescribeSecurityGroups(ctx, in)
			if err == nil && len(out.SecurityGroups) > 0 {
				found = &out.SecurityGroups[0]
			}
			return err
		})
	if given != "" && (isCode(err, "InvalidGroup.NotFound") || (err == nil && found == nil)) {
		return nil, fmt.Errorf("%w: %s: isolation_group %s does not exist", respond.ErrInput, a.Spec().Name, given)
	}
	if err != nil || found == nil {
		return nil, err
	}
	if given != "" && aws.ToString(found.VpcId) != vpc {
		return nil, fmt.Errorf("%w: %s: isolation_group %s is in %s, not in the instance's VPC %s", respond.ErrInput, a.Spec().Name, given, aws.ToString(found.VpcId), vpc)
	}
	if n := len(found.IpPermissions) + len(found.IpPermissionsEgress); n > 0 {
		return nil, fmt.Errorf("%w: %s: isolation group %s (%s) has %d rule(s): it does not isolate (remove them or name another group)",
			respond.ErrInput, a.Spec().Name, aws.ToString(found.GroupId), aws.ToString(found.GroupName), n)
	}
	return found, nil
}

func isolated(enis []eniGroups, group string) bool {
	if group == "" {
		return false
	}
	for _, e := range enis {
		if !slices.Equal(e.Groups, []string{group}) {
			return false
		}
	}
	return true
}

func (a *quarantine) Plan(ctx context.Context, env *respond.Env, req *respond.Request) (*respond.Change, error) {
	name := a.Spec().Name
	v, err := required(req, name, "instance_id")
	if err != nil {
		return nil, err
	}
	id, acct, region, err := ec2ID(v, "instance_id", "i", "instance", name)
	if err != nil {
		return nil, err
	}
	given := in(req, "isolation_group")
	if given != "" {
		if given, _, _, err = ec2ID(given, "isolation_group", "sg", "security-group", name); err != nil {
			return nil, err
		}
	}
	t, err := a.c.resolve(ctx, env, req, acct, region)
	if err != nil {
		return nil, err
	}
	st, err := a.describe(ctx, env, t, id)
	if err != nil {
		return nil, err
	}
	st.GroupName = cmp.Or(in(req, "isolation_group_name"), defaultIsolationGroup)
	st.GivenGroup = given
	g, err := a.findGroup(ctx, env, t, st.VPC, given, st.GroupName)
	if err != nil {
		return nil, err
	}
	if g != nil {
		st.Group, st.GroupName = aws.ToString(g.GroupId), aws.ToString(g.GroupName)
	}
	ch := &respond.Change{Action: name, Resource: ec2ARN(t, "instance", id), Provider: "aws", Account: t.account, Region: t.region,
		Inputs: req.Inputs, Reversible: true, State: respond.State(st)}
	if isolated(st.ENIs, st.Group) {
		ch.NoOp, ch.Reason = true, "the instance's network interfaces have only the isolation group "+st.Group
		return ch, nil
	}
	groupShown := st.Group
	if groupShown == "" {
		groupShown = "(new) " + st.GroupName
	}
	var snaps []string
	for _, vol := range st.Volumes {
		snaps = append(snaps, "snapshot of "+vol)
		ch.Calls = append(ch.Calls, respond.Call{Service: "ec2", Operation: "CreateSnapshot", Target: ec2ARN(t, "volume", vol),
			Params: map[string]any{"VolumeId": vol, "Description": snapshotDescription(id)}})
	}
	if len(snaps) > 0 {
		ch.Diff = append(ch.Diff, respond.AttrChange{Attribute: "EBSSnapshots", Before: []string{}, After: snaps})
	}
	if st.Group == "" {
		ch.Calls = append(ch.Calls,
			respond.Call{Service: "ec2", Operation: "CreateSecurityGroup", Target: ec2ARN(t, "vpc", st.VPC),
				Params: map[string]any{"GroupName": st.GroupName, "VpcId": st.VPC, "Description": groupDescription}},
			respond.Call{Service: "ec2", Operation: "RevokeSecurityGroupEgress", Target: ec2ARN(t, "vpc", st.VPC),
				Params: map[string]any{"GroupName": st.GroupName, "IpPermissions": "the new group's default allow-all egress"}})
	}
	for _, e := range st.ENIs {
		if slices.Equal(e.Groups, []string{st.Group}) {
			continue
		}
		ch.Diff = append(ch.Diff, respond.AttrChange{Attribute: "NetworkInterface[" + e.ENI + "].SecurityGroups", Before: e.Groups, After: []string{groupShown}})
		ch.Calls = append(ch.Calls, respond.Call{Service: "ec2", Operation: "ModifyNetworkInterfaceAttribute",
			Target: ec2ARN(t, "network-interface", e.ENI), Params: map[string]any{"NetworkInterfaceId": e.ENI, "Groups": []string{groupShown}}})
	}
	return ch, nil
}

const groupDescription = "vigil quarantine: no inbound and no outbound traffic"

func snapshotDescription(instance string) string {
	return "vigil quarantine of " + instance + ": taken before its isolation"
}

func (a *quarantine) Apply(ctx context.Context, env *respond.Env, ch *respond.Change) (*respond.Outcome, error) {
	var planned quarantineState
	if err := respond.ReadState(ch.State, &planned, ch.Action); err != nil {
		return nil, err
	}
	t, err := a.c.forChange(ctx, env, ch)
	if err != nil {
		return nil, err
	}
	st, err := a.describe(ctx, env, t, planned.Instance)
	if err != nil {
		return nil, err
	}
	st.GroupName, st.GivenGroup = planned.GroupName, planned.GivenGroup
	g, err := a.findGroup(ctx, env, t, st.VPC, st.GivenGroup, st.GroupName)
	if err != nil {
		return nil, err
	}
	if g != nil {
		st.Group = aws.ToString(g.GroupId)
	}
	if isolated(st.ENIs, st.Group) {
		return &respond.Outcome{Undo: respond.State(st), Note: "already applied: the instance is isolated by " + st.Group}, nil
	}
	// First the evidence: a snapshot of every volume.
	for _, vol := range st.Volumes {
		var snap string
		err := do(ctx, env, respond.Call{Service: "ec2", Operation: "CreateSnapshot", Target: ec2ARN(t, "volume", vol),
			Params: map[string]any{"VolumeId": vol, "Description": snapshotDescription(st.Instance)}}, []string{"InvalidVolume.NotFound"},
			func(ctx context.Context) error {
				out, err := t.ec2().CreateSnapshot(ctx, &ec2.CreateSnapshotInput{VolumeId: aws.String(vol), Description: aws.String(snapshotDescription(st.Instance)),
					TagSpecifications: []ec2types.TagSpecification{{ResourceType: ec2types.ResourceTypeSnapshot,
						Tags: []ec2types.Tag{{Key: aws.String("vigil:quarantine"), Value: aws.String(st.Instance)}}}}})
				if err == nil {
					snap = aws.ToString(out.SnapshotId)
				}
				return err
			})
		if err != nil {
			return nil, err
		}
		st.Snapshots = append(st.Snapshots, snapshotOf{Volume: vol, Snapshot: snap})
	}
	st.Changed = true
	if st.Group == "" {
		if st.Group, err = a.createGroup(ctx, env, t, st.VPC, st.GroupName); err != nil {
			return nil, fmt.Errorf("%w (snapshots taken: %s)", err, snapList(st.Snapshots))
		}
		st.Created = true
	}
	for _, e := range st.ENIs {
		if slices.Equal(e.Groups, []string{st.Group}) {
			continue
		}
		err := do(ctx, env, respond.Call{Service: "ec2", Operation: "ModifyNetworkInterfaceAttribute", Target: ec2ARN(t, "network-interface", e.ENI),
			Params: map[string]any{"NetworkInterfaceId": e.ENI, "Groups": []string{st.Group}}}, []string{"InvalidNetworkInterfaceID.NotFound"},
			func(ctx context.Context) error {
				_, err := t.ec2().ModifyNetworkInterfaceAttribute(ctx, &ec2.ModifyNetworkInterfaceAttributeInput{NetworkInterfaceId: aws.String(e.ENI), Groups: []string{st.Group}})
				return err
			})
		if err != nil {
			return nil, fmt.Errorf("%w (snapshots taken: %s)", err, snapList(st.Snapshots))
		}
	}
	return &respond.Outcome{Undo: respond.State(st), Outputs: map[string]string{"snapshots": snapList(st.Snapshots), "isolation_group": st.Group},
		Note: fmt.Sprintf("isolated by %s; %d snapshot(s) taken: %s", st.Group, len(st.Snapshots), snapList(st.Snapshots))}, nil
}

func snapList(s []snapshotOf) string {
	var ids []string
	for _, x := range s {
		ids = append(ids, x.Snapshot)
	}
	return strings.Join(ids, ",")
}

// createGroup creates the isolation group and revokes the allow-all
// egress rule a new group comes with.
func (a *quarantine) createGroup(ctx context.Context, env *respond.Env, t target, vpc, name string) (string, error) {
	var id string
	err := do(ctx, env, respond.Call{Service: "ec2", Operation: "CreateSecurityGroup", Target: ec2ARN(t, "vpc", vpc),
		Params: map[string]any{"GroupName": name, "VpcId": vpc, "Description": groupDescription}}, []string{"InvalidVpcID.NotFound"},
		func(ctx context.Context) error {
			out, err := t.ec2().CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{GroupName: &name, VpcId: &vpc, Description: aws.String(groupDescription)})
			if err == nil {
				id = aws.ToString(out.GroupId)
			}
			return err
		})
	if err != nil {
		return "", err
	}
	var egress []ec2types.IpPermission
	err = do(ctx, env, respond.Call{Service: "ec2", Operation: "DescribeSecurityGroups", Target: ec2ARN(t, "security-group", id),
		Params: map[string]any{"GroupIds": []string{id}}, ReadOnly: true}, []string{"InvalidGroup.NotFound"}, func(ctx context.Context) error {
		out, err := t.ec2().DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{GroupIds: []string{id}})
		if err == nil {
			for _, g := range out.SecurityGroups {
				egress = append(egress, g.IpPermissionsEgress...)
			}
		}
		return err
	})
	if err != nil || len(egress) == 0 {
		return id, err
	}
	err = do(ctx, env, respond.Call{Service: "ec2", Operation: "RevokeSecurityGroupEgress", Target: ec2ARN(t, "security-group", id),
		Params: map[string]any{"GroupId": id, "IpPermissions": describePerms(egress)}}, []string{"InvalidGroup.NotFound"}, func(ctx context.Context) error {
		_, err := t.ec2().RevokeSecurityGroupEgress(ctx, &ec2.RevokeSecurityGroupEgressInput{GroupId: &id, IpPermissions: egress})
		return err
	})
	return id, err
}

func describePerms(ps []ec2types.IpPermission) []string {
	var out []string
	for _, p := range ps {
		var to []string
		for _, r := range p.IpRanges {
			to = append(to, aws.ToString(r.CidrIp))
		}
		for _, r := range p.Ipv6Ranges {
			to = append(to, aws.ToString(r.CidrIpv6))
		}
		for _, r := range p.PrefixListIds {
			to = append(to, aws.ToString(r.PrefixListId))
		}
		for _, r := range p.UserIdGroupPairs {
			to = append(to, aws.ToString(r.GroupId))
		}
		out = append(out, fmt.Sprintf("%s %s %s", protoName(aws.ToString(p.IpProtocol)), ports(aws.ToInt32(p.FromPort), aws.ToInt32(p.ToPort)), strings.Join(to, ",")))
	}
	return out
}

func (a *quarantine) Rollback(ctx context.Context, env *respond.Env, ch *respond.Change, done *respond.Outcome) (*respond.Outcome, error) {
	var st quarantineState
	if changed, err := respond.RollbackOf(ch, done, &st); err != nil || !changed {
		return respond.Unchanged(err)
	}
	t, err := a.c.forChange(ctx, env, ch)
	if err != nil {
		return nil, err
	}
	cur, err := a.describe(ctx, env, t, st.Instance)
	if err != nil {
		return nil, err
	}
	now := map[string][]string{}
	for _, e := range cur.ENIs {
		now[e.ENI] = e.Groups
	}
	restored := 0
	for _, e := range st.ENIs {
		g, ok := now[e.ENI]
		if !ok || slices.Equal(g, e.Groups) {
			continue // detached since, or as before
		}
		err := do(ctx, env, respond.Call{Service: "ec2", Operation: "ModifyNetworkInterfaceAttribute", Target: ec2ARN(t, "network-interface", e.ENI),
			Params: map[string]any{"NetworkInterfaceId": e.ENI, "Groups": e.Groups}}, []string{"InvalidNetworkInterfaceID.NotFound"},
			func(ctx context.Context) error {
				_, err := t.ec2().ModifyNetworkInterfaceAttribute(ctx, &ec2.ModifyNetworkInterfaceAttributeInput{NetworkInterfaceId: aws.String(e.ENI), Groups: e.Groups})
				return err
			})
		if err != nil {
			return nil, err
		}
		restored++
	}
	note := fmt.Sprintf("original security groups restored on %d network interface(s)", restored)
	if len(st.Snapshots) > 0 {
		note += "; snapshots kept: " + snapList(st.Snapshots)
	}
	return &respond.Outcome{Note: note, Outputs: map[string]string{"snapshots": snapList(st.Snapshots)}}, nil
}

// revokeRule revokes one security group rule.
type revokeRule struct{ c *clients }

// sgRule is one rule as DescribeSecurityGroupRules gives it.
type sgRule struct {
	ID          string `json:"id"`
	Egress      bool   `json:"egress"`
	Protocol    string `json:"protocol"`
	From        int32  `json:"from_port"`
	To          int32  `json:"to_port"`
	CidrIPv4    string `json:"cidr_ipv4,omitempty"`
	CidrIPv6    string `json:"cidr_ipv6,omitempty"`
	PrefixList  string `json:"prefix_list,omitempty"`
	Group       string `json:"group,omitempty"`
	Description string `json:"description,omitempty"`
}

// same reports whether two rules allow the same traffic (IDs aside).
func (r sgRule) same(o sgRule) bool {
	return r.Egress == o.Egress && protoName(r.Protocol) == protoName(o.Protocol) && r.From == o.From && r.To == o.To &&
		r.CidrIPv4 == o.CidrIPv4 && r.CidrIPv6 == o.CidrIPv6 && r.PrefixList == o.PrefixList && r.Group == o.Group
}

func (r sgRule) String() string {
	dir, peer := "inbound", cmp.Or(r.CidrIPv4, r.CidrIPv6, r.PrefixList, r.Group)
	if r.Egress {
		dir = "outbound"
	}
	return fmt.Sprintf("%s %s %s %s", dir, protoName(r.Protocol), ports(r.From, r.To), peer)
}

func protoName(p string) string {
	switch strings.ToLower(p) {
	case "-1", "all":
		return "all"
	case "6":
		return "tcp"
	case "17":
		return "udp"
	case "1":
		return "icmp"
	case "58":
		return "icmpv6"
	}
	return strings.ToLower(p)
}

func ports(from, to int32) string {
	switch {
	case from == -1 && to == -1:
		return "all-ports"
	case from == to:
		return fmt.Sprint(from)
	}
	return fmt.Sprintf("%d-%d", from, to)
}

type ruleState struct {
	Group string `json:"group"`
	Rule  sgRule `json:"rule"`
	respond.Applied
}

func (a *revokeRule) Spec() respond.Spec {
	return respond.Spec{
		Name: "aws.ec2.revoke-security-group-rule", Class: respond.Remediate, Provider: "aws", Tactic: "isolate", Reversible: true,
		Description: "Revokes one rule of a security group, named by its ID (sgr-...) or by direction, protocol, port and CIDR; " +
			"rollback authorizes the same rule again.",
		Inputs: append([]respond.Input{
			{Name: "group_id", Required: true, Description: "the security group: sg-... or its ARN"},
			{Name: "rule_id", Description: "the rule (sgr-...); else protocol, port and cidr name it"},
			{Name: "direction", Description: "ingress (default) or egress"},
			{Name: "protocol", Description: "tcp, udp, icmp, icmpv6, or all (-1)"},
			{Name: "port", Description: "a port (22) or a range (8000-8080); empty for all"},
			{Name: "cidr", Description: "the rule's IPv4 or IPv6 CIDR (0.0.0.0/0)"},
		}, placeInputs...),
		Permissions: []string{
			"ec2:DescribeSecurityGroups", "ec2:DescribeSecurityGroupRules",
			"ec2:RevokeSecurityGroupIngress", "ec2:RevokeSecurityGroupEgress",
			"ec2:AuthorizeSecurityGroupIngress", "ec2:AuthorizeSecurityGroupEgress",
		},
	}
}

// wanted is the rule the inputs name (ID set, or the tuple).
func (a *revokeRule) wanted(req *respond.Request) (sgRule, error) {
	name := a.Spec().Name
	var r sgRule
	if id := in(req, "rule_id"); id != "" {
		if !ruleIDs.Get().MatchString(id) {
			return r, fmt.Errorf("%w: %s: rule_id %q is not a security group rule ID (sgr-...)", respond.ErrInput, name, id)
		}
		r.ID = id
		return r, nil
	}
	switch d := strings.ToLower(in(req, "direction")); d {
	case "", "ingress", "inbound":
	case "egress", "outbound":
		r.Egress = true
	default:
		return r, fmt.Errorf("%w: %s: direction %q is not ingress or egress", respond.ErrInput, name, d)
	}
	r.Protocol = protoName(in(req, "protocol"))
	if r.Protocol == "" {
		return r, fmt.Errorf("%w: %s: give rule_id, or protocol, port and cidr", respond.ErrInput, name)
	}
	port := in(req, "port")
	switch {
	case port == "" && r.Protocol == "all":
		r.From, r.To = -1, -1
	case port == "":
		return r, fmt.Errorf("%w: %s: input \"port\" is required for protocol %s", respond.ErrInput, name, r.Protocol)
	default:
		lo, hi, isRange := strings.Cut(port, "-")
		if !isRange {
			hi = lo
		}
		if _, err := fmt.Sscanf(lo+" "+hi, "%d %d", &r.From, &r.To); err != nil || r.From > r.To || r.From < -1 || r.To > 65535 {
			return r, fmt.Errorf("%w: %s: port %q is not a port or a range (22, 8000-8080)", respond.ErrInput, name, port)
		}
	}
	cidr := in(req, "cidr")
	switch {
	case cidr == "":
		return r, fmt.Errorf("%w: %s: input \"cidr\" is required without rule_id", respond.ErrInput, name)
	case strings.Contains(cidr, ":"):
		r.CidrIPv6 = cidr
	case strings.Contains(cidr, "/"):
		r.CidrIPv4 = cidr
	default:
		return r, fmt.Errorf("%w: %s: cidr %q is not a CIDR (0.0.0.0/0)", respond.ErrInput, name, cidr)
	}
	return r, nil
}

// rules reads the group's rules (ErrGone when the group is gone).
func (a *revokeRule) rules(ctx context.Context, env *respond.Env, t target, group string) ([]sgRule, error) {
	arn := ec2ARN(t, "security-group", group)
	err := do(ctx, env, respond.Call{Service: "ec2", Operation: "DescribeSecurityGroups", Target: arn,
		Params: map[string]any{"GroupIds": []string{group}}, ReadOnly: true}, []string{"InvalidGroup.NotFound"}, func(ctx context.Context) error {
		_, err := t.ec2().DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{GroupIds: []string{group}})
		return err
	})
	if err != nil {
		return nil, err
	}
	var out []sgRule
	err = do(ctx, env, respond.Call{Service: "ec2", Operation: "DescribeSecurityGroupRules", Target: arn,
		Params: map[string]any{"Filters": map[string]string{"group-id": group}}, ReadOnly: true}, nil, func(ctx context.Context) error {
		out = nil
		p := ec2.NewDescribeSecurityGroupRulesPaginator(ec2DescribeSecurityGroupRules(t.ec2().DescribeSecurityGroupRules), &ec2.DescribeSecurityGroupRulesInput{
			Filters: []ec2types.Filter{{Name: aws.String("group-id"), Values: []string{group}}}})
		for p.HasMorePages() {
			page, err := p.NextPage(ctx)
			if err != nil {
				return err
			}
			for _, r := range page.SecurityGroupRules {
				s := sgRule{ID: aws.ToString(r.SecurityGroupRuleId), Egress: aws.ToBool(r.IsEgress), Protocol: aws.ToString(r.IpProtocol),
					From: aws.ToInt32(r.FromPort), To: aws.ToInt32(r.ToPort), CidrIPv4: aws.ToString(r.CidrIpv4), CidrIPv6: aws.ToString(r.CidrIpv6),
					PrefixList: aws.ToString(r.PrefixListId), Description: aws.ToString(r.Description)}
				if r.ReferencedGroupInfo != nil {
					s.Group = aws.ToString(r.ReferencedGroupInfo.GroupId)
				}
				out = append(out, s)
			}
		}
		return nil
	})
	return out, err
}

// find returns the rule among rules that w names (nil: none).
func find(rules []sgRule, w sgRule) *sgRule {
	for i, r := range rules {
		if (w.ID != "" && r.ID == w.ID) || (w.ID == "" && r.same(w)) {
			return &rules[i]
		}
	}
	return nil
}

func revokeOp(r sgRule) string {
	if r.Egress {
		return "RevokeSecurityGroupEgress"
	}
	return "RevokeSecurityGroupIngress"
}

func (a *revokeRule) Plan(ctx context.Context, env *respond.Env, req *respond.Request) (*respond.Change, error) {
	name := a.Spec().Name
	v, err := required(req, name, "group_id")
	if err != nil {
		return nil, err
	}
	group, acct, region, err := ec2ID(v, "group_id", "sg", "security-group", name)
	if err != nil {
		return nil, err
	}
	w, err := a.wanted(req)
	if err != nil {
		return nil, err
	}
	t, err := a.c.resolve(ctx, env, req, acct, region)
	if err != nil {
		return nil, err
	}
	rules, err := a.rules(ctx, env, t, group)
	if err != nil {
		return nil, err
	}
	ch := &respond.Change{Action: name, Resource: ec2ARN(t, "security-group", group), Provider: "aws", Account: t.account, Region: t.region,
		Inputs: req.Inputs, Reversible: true}
	r := find(rules, w)
	if r == nil {
		ch.NoOp, ch.Reason = true, "the group has no such rule (revoked already?)"
		return ch, nil
	}
	ch.State = respond.State(ruleState{Group: group, Rule: *r})
	ch.Diff = []respond.AttrChange{{Attribute: "Rule[" + r.ID + "]", Before: r.String(), After: nil}}
	ch.Calls = []respond.Call{{Service: "ec2", Operation: revokeOp(*r), Target: ch.Resource,
		Params: map[string]any{"GroupId": group, "SecurityGroupRuleIds": []string{r.ID}}}}
	return ch, nil
}

func (a *revokeRule) Apply(ctx context.Context, env *respond.Env, ch *respond.Change) (*respond.Outcome, error) {
	var st ruleState
	if err := respond.ReadState(ch.State, &st, ch.Action); err != nil {
		return nil, err
	}
	t, err := a.c.forChange(ctx, env, ch)
	if err != nil {
		return nil, err
	}
	rules, err := a.rules(ctx, env, t, st.Group)
	if err != nil {
		return nil, err
	}
	// The planned rule, or one allowing the same traffic (authorized
	// again since under another ID).
	r := find(rules, st.Rule)
	if r == nil {
		w := st.Rule
		w.ID = ""
		r = find(rules, w)
	}
	if r == nil {
		return &respond.Outcome{Undo: respond.State(st), Note: "already applied: the rule is not in the group"}, nil
	}
	err = do(ctx, env, respond.Call{Service: "ec2", Operation: revokeOp(*r), Target: ch.Resource,
		Params: map[string]any{"GroupId": st.Group, "SecurityGroupRuleIds": []string{r.ID}}}, []string{"InvalidGroup.NotFound"},
		func(ctx context.Context) error {
			var err error
			if r.Egress {
				_, err = t.ec2().RevokeSecurityGroupEgress(ctx, &ec2.RevokeSecurityGroupEgressInput{GroupId: &st.Group, SecurityGroupRuleIds: []string{r.ID}})
			} else {
				_, err = t.ec2().RevokeSecurityGroupIngress(ctx, &ec2.RevokeSecurityGroupIngressInput{GroupId: &st.Group, SecurityGroupRuleIds: []string{r.ID}})
			}
			return err
		})
	if err != nil {
		return nil, err
	}
	undo := ruleState{Group: st.Group, Rule: *r}
	undo.Changed = true
	return &respond.Outcome{Undo: respond.State(undo), Note: "revoked " + r.String()}, nil
}

func (a *revokeRule) Rollback(ctx context.Context, env *respond.Env, ch *respond.Change, done *respond.Outcome) (*respond.Outcome, error) {
	var st ruleState
	if changed, err := respond.RollbackOf(ch, done, &st); err != nil || !changed {
		return respond.Unchanged(err)
	}
	t, err := a.c.forChange(ctx, env, ch)
	if err != nil {
		return nil, err
	}
	rules, err := a.rules(ctx, env, t, st.Group)
	if err != nil {
		return nil, err
	}
	w := st.Rule
	w.ID = ""
	if find(rules, w) != nil {
		return &respond.Outcome{Note: "already as before: the group has the rule"}, nil
	}
	r := st.Rule
	perm := ec2types.IpPermission{IpProtocol: aws.String(r.Protocol), FromPort: aws.Int32(r.From), ToPort: aws.Int32(r.To)}
	desc := aws.String(r.Description)
	if r.Description == "" {
		desc = nil
	}
	switch {
	case r.CidrIPv4 != "":
		perm.IpRanges = []ec2types.IpRange{{CidrIp: aws.String(r.CidrIPv4), Description: desc}}
	case r.CidrIPv6 != "":
		perm.Ipv6Ranges = []ec2types.Ipv6Range{{CidrIpv6: aws.String(r.CidrIPv6), Description: desc}}
	case r.PrefixList != "":
		perm.PrefixListIds = []ec2types.PrefixListId{{PrefixListId: aws.String(r.PrefixList), Description: desc}}
	case r.Group != "":
		perm.UserIdGroupPairs = []ec2types.UserIdGroupPair{{GroupId: aws.String(r.Group), Description: desc}}
	}
	op := "AuthorizeSecurityGroupIngress"
	if r.Egress {
		op = "AuthorizeSecurityGroupEgress"
	}
	err = do(ctx, env, respond.Call{Service: "ec2", Operation: op, Target: ch.Resource,
		Params: map[string]any{"GroupId": st.Group, "IpPermissions": []string{r.String()}}}, []string{"InvalidGroup.NotFound"},
		func(ctx context.Context) error {
			var err error
			if r.Egress {
				_, err = t.ec2().AuthorizeSecurityGroupEgress(ctx, &ec2.AuthorizeSecurityGroupEgressInput{GroupId: &st.Group, IpPermissions: []ec2types.IpPermission{perm}})
			} else {
				_, err = t.ec2().AuthorizeSecurityGroupIngress(ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: &st.Group, IpPermissions: []ec2types.IpPermission{perm}})
			}
			return err
		})
	if err != nil {
		return nil, err
	}
	return &respond.Outcome{Note: "authorized again: " + r.String()}, nil
}
