package awsrespond

import (
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/collect/aws/awstest"
	"github.com/vigil-sec/vigil/internal/respond"
	"github.com/vigil-sec/vigil/internal/respond/respondtest"
)

const (
	instance = "i-0aaa1111bbbb2222c"
	vpc      = "vpc-0aaa0001"
	web      = "sg-0c0ffee00000001a"
	admin    = "sg-0ad000000000001"
	ssh      = "sgr-0aa0000000000022"
)

func ec2Cloud(t *testing.T) *cloud {
	return newCloud(t, func(st *awstest.State) {
		a := st.Account(caller)
		a.SecurityGroups[web] = &awstest.SecurityGroup{ID: web, Name: "web", VpcID: vpc, Rules: []awstest.Rule{
			{ID: ssh, Protocol: "tcp", FromPort: 22, ToPort: 22, CidrIPv4: "0.0.0.0/0", Description: "ssh from anywhere"},
			{ID: "sgr-0https0000001", Protocol: "tcp", FromPort: 443, ToPort: 443, CidrIPv4: "0.0.0.0/0"},
			{ID: "sgr-0https6000001", Protocol: "tcp", FromPort: 443, ToPort: 443, CidrIPv6: "::/0"},
			{ID: "sgr-0egress000001", Egress: true, Protocol: "-1", FromPort: -1, ToPort: -1, CidrIPv4: "0.0.0.0/0"},
		}}
		a.SecurityGroups[admin] = &awstest.SecurityGroup{ID: admin, Name: "admin", VpcID: vpc, Rules: []awstest.Rule{
			{ID: "sgr-0ad0000000000001", Protocol: "tcp", FromPort: 22, ToPort: 22, GroupID: web},
		}}
		a.Instances[instance] = &awstest.Instance{ID: instance, VpcID: vpc, Volumes: []string{"vol-0root0001", "vol-0data0001"},
			ENIs: []awstest.ENI{{ID: "eni-0primary01", Groups: []string{web, admin}}, {ID: "eni-0second01", Groups: []string{admin}}}}
		a.Instances["i-0other000000001"] = &awstest.Instance{ID: "i-0other000000001", VpcID: vpc, Volumes: []string{"vol-0other0001"},
			ENIs: []awstest.ENI{{ID: "eni-0other001", Groups: []string{web}}}}
	})
}

// enis returns each interface's groups of an instance.
func (c *cloud) enis(id string) map[string][]string {
	out := map[string][]string{}
	c.st.With(func() {
		for _, e := range c.st.Account(caller).Instances[id].ENIs {
			out[e.ID] = slices.Clone(e.Groups)
		}
	})
	return out
}

func (c *cloud) snapshots() (out []awstest.Snapshot) {
	c.st.With(func() {
		for _, s := range c.st.Account(caller).Snapshots {
			out = append(out, *s)
		}
	})
	slices.SortFunc(out, func(a, b awstest.Snapshot) int { return strings.Compare(a.VolumeID, b.VolumeID) })
	return out
}

func TestQuarantineLifecycle(t *testing.T) {
	for _, tc := range []struct {
		name   string
		inputs map[string]string
		setup  func(a *awstest.Account)
	}{
		{"group created", map[string]string{"instance_id": "arn:aws:ec2:us-east-1:111122223333:instance/" + instance}, nil},
		{"group reused by name", map[string]string{"instance_id": instance}, func(a *awstest.Account) {
			a.SecurityGroups["sg-0iso0000001"] = &awstest.SecurityGroup{ID: "sg-0iso0000001", Name: "vigil-quarantine", VpcID: vpc}
		}},
		{"group given", map[string]string{"instance_id": instance, "isolation_group": "sg-0abc0000000001"}, func(a *awstest.Account) {
			a.SecurityGroups["sg-0abc0000000001"] = &awstest.SecurityGroup{ID: "sg-0abc0000000001", Name: "forensics", VpcID: vpc}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := ec2Cloud(t)
			if tc.setup != nil {
				c.st.With(func() { tc.setup(c.st.Account(caller)) })
			}
			before := c.enis(instance)
			isolation := func() (id string, rules int, groups int) {
				c.st.With(func() {
					for _, g := range c.st.Account(caller).SecurityGroups {
						if g.Name == "vigil-quarantine" || g.ID == tc.inputs["isolation_group"] {
							id, rules = g.ID, len(g.Rules)
						}
					}
					groups = len(c.st.Account(caller).SecurityGroups)
				})
				return id, rules, groups
			}
			_, _, groupsBefore := isolation()
			a := c.action(t, "aws.ec2.quarantine-instance")
			ch := respondtest.Lifecycle{
				Action:  a,
				Request: request(tc.inputs),
				Before: func(t *testing.T) {
					if got := c.enis(instance); !equalGroups(got, before) {
						t.Errorf("interfaces' groups %v, want the original %v", got, before)
					}
				},
				After: func(t *testing.T) {
					id, rules, groups := isolation()
					if id == "" || rules != 0 {
						t.Fatalf("isolation group %q has %d rules, want one with none", id, rules)
					}
					for eni, g := range c.enis(instance) {
						if !slices.Equal(g, []string{id}) {
							t.Errorf("%s has groups %v, want only the isolation group %s", eni, g, id)
						}
					}
					if want := groupsBefore + map[bool]int{true: 1}[tc.setup == nil]; groups != want {
						t.Errorf("%d security groups, want %d (the isolation group made once, or reused)", groups, want)
					}
					// The snapshots were taken once, of every volume.
					snaps := c.snapshots()
					if len(snaps) != 2 || snaps[0].VolumeID != "vol-0data0001" || snaps[1].VolumeID != "vol-0root0001" {
						t.Errorf("snapshots %+v, want one of each of the instance's two volumes", snaps)
					}
					for _, s := range snaps {
						if s.Tags["vigil:quarantine"] != instance {
							t.Errorf("snapshot %s tags %v, want vigil:quarantine=%s", s.ID, s.Tags, instance)
						}
					}
				},
				Unrelated: func(t *testing.T) {
					if g := c.enis("i-0other000000001"); !slices.Equal(g["eni-0other001"], []string{web}) {
						t.Errorf("the other instance's groups changed: %v", g)
					}
				},
			}.Run(t)
			// Rollback keeps the snapshots (the evidence).
			if n := len(c.snapshots()); n != 2 {
				t.Errorf("%d snapshots after rollback, want the 2 kept", n)
			}
			// The snapshots come first, then the group, then the interfaces.
			var order []string
			for _, call := range ch.Calls {
				order = append(order, call.Operation)
			}
			if len(order) < 4 || order[0] != "CreateSnapshot" || order[1] != "CreateSnapshot" || order[len(order)-1] != "ModifyNetworkInterfaceAttribute" {
				t.Errorf("planned calls %v: want the snapshots first and the interfaces last", order)
			}
			c.checkPermissions(t, a)
		})
	}
}

func equalGroups(a, b map[string][]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if !slices.Equal(v, b[k]) {
			return false
		}
	}
	return true
}

func TestQuarantineRefusals(t *testing.T) {
	c := ec2Cloud(t)
	c.st.With(func() {
		a := c.st.Account(caller)
		a.SecurityGroups["sg-0bad0000000001"] = &awstest.SecurityGroup{ID: "sg-0bad0000000001", Name: "open", VpcID: vpc,
			Rules: []awstest.Rule{{ID: "sgr-0open00000001", Egress: true, Protocol: "-1", FromPort: -1, ToPort: -1, CidrIPv4: "0.0.0.0/0"}}}
		a.SecurityGroups["sg-0e1e0000000001"] = &awstest.SecurityGroup{ID: "sg-0e1e0000000001", Name: "x", VpcID: "vpc-0bbb0002"}
		a.Instances["i-0dead000000001"] = &awstest.Instance{ID: "i-0dead000000001", VpcID: vpc, State: "terminated"}
	})
	a := c.action(t, "aws.ec2.quarantine-instance")
	for what, tc := range map[string]struct {
		inputs map[string]string
		want   error
	}{
		"missing instance":      {map[string]string{"instance_id": "i-0deadbeef0000001"}, respond.ErrGone},
		"terminated instance":   {map[string]string{"instance_id": "i-0dead000000001"}, respond.ErrGone},
		"group with rules":      {map[string]string{"instance_id": instance, "isolation_group": "sg-0bad0000000001"}, respond.ErrInput},
		"group in another VPC":  {map[string]string{"instance_id": instance, "isolation_group": "sg-0e1e0000000001"}, respond.ErrInput},
		"missing group":         {map[string]string{"instance_id": instance, "isolation_group": "sg-0deadbeef000001"}, respond.ErrInput},
		"not an instance ID":    {map[string]string{"instance_id": "web-server"}, respond.ErrInput},
		"named group has rules": {map[string]string{"instance_id": instance, "isolation_group_name": "open"}, respond.ErrInput},
	} {
		_, err := plan(t, a, tc.inputs)
		mustErr(t, what, err, tc.want)
	}
	if n := len(c.snapshots()); n != 0 {
		t.Errorf("%d snapshots taken by refused plans", n)
	}
}

func (c *cloud) rules(group string) (out []string) {
	c.st.With(func() {
		for _, r := range c.st.Account(caller).SecurityGroups[group].Rules {
			dir := "in"
			if r.Egress {
				dir = "out"
			}
			out = append(out, strings.Join([]string{dir, r.Protocol, strconv.Itoa(r.FromPort), strconv.Itoa(r.ToPort), r.CidrIPv4 + r.CidrIPv6 + r.GroupID, r.Description}, " "))
		}
	})
	slices.Sort(out)
	return out
}

func TestRevokeRuleLifecycle(t *testing.T) {
	for _, tc := range []struct {
		name    string
		inputs  map[string]string
		revoked string
	}{
		{"by rule id", map[string]string{"group_id": web, "rule_id": ssh}, "in tcp 22 22 0.0.0.0/0 ssh from anywhere"},
		{"by tuple", map[string]string{"group_id": "arn:aws:ec2:us-east-1:111122223333:security-group/" + web, "protocol": "tcp", "port": "443", "cidr": "::/0"},
			"in tcp 443 443 ::/0 "},
		{"egress", map[string]string{"group_id": web, "direction": "egress", "protocol": "all", "cidr": "0.0.0.0/0"}, "out -1 -1 -1 0.0.0.0/0 "},
		{"group reference", map[string]string{"group_id": admin, "rule_id": "sgr-0ad0000000000001"}, "in tcp 22 22 " + web + " "},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := ec2Cloud(t)
			group := tc.inputs["group_id"][strings.LastIndex(tc.inputs["group_id"], "/")+1:]
			before := c.rules(group)
			if !slices.Contains(before, tc.revoked) {
				t.Fatalf("test setup: %q not among %v", tc.revoked, before)
			}
			otherBefore := c.rules(map[string]string{web: admin, admin: web}[group])
			a := c.action(t, "aws.ec2.revoke-security-group-rule")
			respondtest.Lifecycle{
				Action:  a,
				Request: request(tc.inputs),
				Before: func(t *testing.T) {
					if got := c.rules(group); !slices.Equal(got, before) {
						t.Errorf("rules\n%v\nwant the original\n%v", got, before)
					}
				},
				After: func(t *testing.T) {
					want := slices.DeleteFunc(slices.Clone(before), func(s string) bool { return s == tc.revoked })
					if got := c.rules(group); !slices.Equal(got, want) {
						t.Errorf("rules\n%v\nwant all but %q\n%v", got, tc.revoked, want)
					}
				},
				Unrelated: func(t *testing.T) {
					if got := c.rules(map[string]string{web: admin, admin: web}[group]); !slices.Equal(got, otherBefore) {
						t.Errorf("the other group's rules changed: %v", got)
					}
				},
			}.Run(t)
			c.checkPermissions(t, a)
		})
	}
}

func TestRevokeRuleInputs(t *testing.T) {
	c := ec2Cloud(t)
	a := c.action(t, "aws.ec2.revoke-security-group-rule")
	for what, tc := range map[string]struct {
		inputs map[string]string
		want   error
	}{
		"missing group": {map[string]string{"group_id": "sg-0deadbeef000001", "rule_id": ssh}, respond.ErrGone},
		"no rule":       {map[string]string{"group_id": web}, respond.ErrInput},
		"no port":       {map[string]string{"group_id": web, "protocol": "tcp", "cidr": "0.0.0.0/0"}, respond.ErrInput},
		"bad port":      {map[string]string{"group_id": web, "protocol": "tcp", "port": "ssh", "cidr": "0.0.0.0/0"}, respond.ErrInput},
		"bad direction": {map[string]string{"group_id": web, "protocol": "tcp", "port": "22", "cidr": "0.0.0.0/0", "direction": "up"}, respond.ErrInput},
		"bad rule id":   {map[string]string{"group_id": web, "rule_id": "22"}, respond.ErrInput},
		"bad group":     {map[string]string{"group_id": "web", "rule_id": ssh}, respond.ErrInput},
	} {
		_, err := plan(t, a, tc.inputs)
		mustErr(t, what, err, tc.want)
	}
	// A rule that is not there is a no-op, not an error.
	ch, err := plan(t, a, map[string]string{"group_id": web, "protocol": "tcp", "port": "3389", "cidr": "0.0.0.0/0"})
	if err != nil || !ch.NoOp {
		t.Errorf("a rule not in the group: %+v, %v; want a no-op", ch, err)
	}
}
