package escalate

import (
	"context"
	"strings"

	awsiam "github.com/vigil-sec/vigil/internal/identity/aws"
	"github.com/vigil-sec/vigil/internal/identity/decision"
	"github.com/vigil-sec/vigil/internal/identity/graph"
	"github.com/vigil-sec/vigil/internal/resource"
)

// passRoleMethods maps the service a role trusts to the method that
// passes the role to it.
var passRoleMethods = map[string]string{
	"lambda.amazonaws.com":         "aws-passrole-lambda",
	"ec2.amazonaws.com":            "aws-passrole-ec2",
	"glue.amazonaws.com":           "aws-passrole-glue",
	"cloudformation.amazonaws.com": "aws-passrole-cloudformation",
	"datapipeline.amazonaws.com":   "aws-passrole-datapipeline",
	"sagemaker.amazonaws.com":      "aws-passrole-sagemaker",
	"ecs-tasks.amazonaws.com":      "aws-passrole-ecs",
}

// selfMethods are the methods by which a principal rewrites its own
// permissions: the method, its action, and which resource it acts on.
var selfMethods = []struct{ id, action, on string }{
	{"aws-attach-user-policy", "iam:AttachUserPolicy", "user"},
	{"aws-put-user-policy", "iam:PutUserPolicy", "user"},
	{"aws-attach-role-policy", "iam:AttachRolePolicy", "role"},
	{"aws-put-role-policy", "iam:PutRolePolicy", "role"},
	{"aws-attach-group-policy", "iam:AttachGroupPolicy", "group"},
	{"aws-put-group-policy", "iam:PutGroupPolicy", "group"},
	{"aws-create-policy-version", "iam:CreatePolicyVersion", "policy"},
	{"aws-set-default-policy-version", "iam:SetDefaultPolicyVersion", "policy"},
}

type awsIndex struct {
	users, roles, groups map[string][]string // by account
	serviceRoles         map[string][]svcRole
	console              map[string]*bool
}

type svcRole struct {
	role, service string
	edge          graph.Edge
}

func (a *Analysis) awsIndex() *awsIndex {
	x := &awsIndex{users: map[string][]string{}, roles: map[string][]string{}, groups: map[string][]string{}, serviceRoles: map[string][]svcRole{}, console: map[string]*bool{}}
	for _, n := range a.G.Nodes() {
		if n.Provider != resource.AWS || n.Resource == "" {
			continue
		}
		switch n.Kind {
		case graph.AWSUser:
			x.users[n.Account] = append(x.users[n.Account], n.ID)
		case graph.AWSRole:
			x.roles[n.Account] = append(x.roles[n.Account], n.ID)
			for _, e := range a.G.In(n.ID) {
				if svc, ok := strings.CutPrefix(e.From, "service:"); ok && passRoleMethods[svc] != "" {
					x.serviceRoles[n.Account] = append(x.serviceRoles[n.Account], svcRole{n.ID, svc, e})
				}
			}
		case graph.AWSGroup:
			x.groups[n.Account] = append(x.groups[n.Account], n.ID)
		}
	}
	for _, r := range a.G.Resources {
		if r.Provider == resource.AWS && r.Facts.Identity != nil && r.Facts.Identity.Kind == "user" {
			x.console[r.ID] = r.Facts.Identity.ConsoleAccess
		}
	}
	return x
}

// awsSelfMoves computes, for every AWS principal, the methods by which it
// rewrites its own permissions.
func (a *Analysis) awsSelfMoves(ctx context.Context) ([]Step, error) {
	ps := a.G.AWS.Principals()
	out := make([][]Step, len(ps))
	err := graph.Parallel(ctx, len(ps), func(i int) { out[i] = a.awsSelf(ps[i]) })
	var all []Step
	for _, s := range out {
		all = append(all, s...)
	}
	return all, err
}

func usable(r decision.Result) bool { return r == decision.Allowed || r == decision.Conditional }

// mayOn tells, from the action's answer without a resource, whether the
// principal may perform it on res: the evaluator allows it on some
// resource whose pattern matches res.
func mayOn(g awsiam.Grant, res string) bool {
	if !usable(g.Decision.Result) {
		return false
	}
	if len(g.Resources) == 0 {
		return true
	}
	for _, p := range g.Resources {
		if np, ok := strings.CutPrefix(p, "not "); ok {
			if !graph.Glob(np, res) {
				return true
			}
			continue
		}
		if graph.Glob(p, res) {
			return true
		}
	}
	return false
}

// checker answers one principal's moves.
type checker struct {
	a    *Analysis
	p    string
	pr   *awsiam.Principal
	acts map[string]awsiam.Grant
	out  []Step
}

func (a *Analysis) checker(p string) *checker {
	pr := a.G.AWS.Principal(p)
	acts := a.G.AWSActions(p)
	if pr == nil || acts == nil || pr.Kind == "root" {
		return nil
	}
	return &checker{a: a, p: p, pr: pr, acts: acts}
}

// check adds the move when the principal may perform action on res.
func (c *checker) check(method, action, res, to string) {
	if !mayOn(c.acts[action], res) {
		return
	}
	d := c.a.G.AWS.IsAllowed(c.p, action, res, awsiam.Context{})
	if !usable(d.Result) {
		return
	}
	s := Step{From: c.p, To: to, Method: method, Actions: []string{action}, Grant: grantText(d), Result: d.Result, Reason: reasonText(d)}
	if method == "aws-set-default-policy-version" {
		s.Result, s.Reason = decision.Conditional, "needs a non-default version of the policy that grants more (policy versions are not in the inventory)"
	}
	c.out = append(c.out, s)
}

// adminPolicy is what a principal that rewrites its own permissions gives
// itself: AdministratorAccess.
var adminPolicy, _ = awsiam.Compile("arn:aws:iam::aws:policy/AdministratorAccess", &resource.PolicyDocument{Version: "2012-10-17",
	Statements: []resource.Statement{{Effect: "Allow", Actions: []string{"*"}, Resources: []string{"*"}}}}, nil)

// adminUnderCaps tells whether the principal, given administrator
// policies, would be an administrator: its permissions boundary and the
// SCPs over its account still cap what it may do.
func (a *Analysis) adminUnderCaps(p string) (decision.Result, string) {
	ps := a.G.AWS.PolicySet(p, "*", "")
	ps.Identity = []*awsiam.Policy{adminPolicy}
	res, why := decision.Allowed, ""
	for _, action := range graph.AdminProbe {
		if strings.HasPrefix(action, "sts:") {
			continue // decided by the role's trust policy, not by caps
		}
		d := awsiam.Evaluate(&awsiam.Request{Principal: p, Action: action, Resource: "*"}, ps)
		if !usable(d.Result) {
			return d.Result, reasonText(d)
		}
		if d.Result == decision.Conditional {
			res, why = decision.Conditional, "the boundary or an SCP "+reasonText(d)
		}
	}
	return res, why
}

func (a *Analysis) awsSelf(p string) []Step {
	c := a.checker(p)
	if c == nil {
		return nil
	}

	admin := "admin:aws-account/" + c.pr.Account
	for _, m := range selfMethods {
		switch m.on {
		case "user", "role":
			if c.pr.Kind == m.on {
				c.check(m.id, m.action, p, admin)
			}
		case "group":
			for _, grp := range c.pr.Groups {
				c.check(m.id, m.action, grp, admin)
			}
		case "policy":
			for _, pol := range c.pr.Identity {
				if strings.HasPrefix(pol.Name, "arn:aws:iam::"+c.pr.Account+":policy/") && !strings.Contains(pol.Name, "#") {
					c.check(m.id, m.action, pol.Name, admin)
				}
			}
		}
	}
	if len(c.out) == 0 {
		return nil
	}
	// The boundary and SCPs cap the permissions it gives itself.
	res, why := a.adminUnderCaps(p)
	if !usable(res) {
		return nil
	}
	if res == decision.Conditional {
		for i := range c.out {
			c.out[i].Result, c.out[i].Reason = decision.Conditional, why
		}
	}
	return c.out
}

// awsInto computes the moves by which the principals of an account take
// over one of its users, groups or roles.
func (a *Analysis) awsInto(target string) []Step {
	n := a.G.Node(target)
	x := a.aws
	var out []Step
	var cands []string
	cands = append(cands, x.users[n.Account]...)
	cands = append(cands, x.roles[n.Account]...)
	var svc []svcRole
	for _, sr := range x.serviceRoles[n.Account] {
		if sr.role == n.ID {
			svc = append(svc, sr)
		}
	}
	for _, p := range cands {
		if p == n.ID {
			continue
		}
		c := a.checker(p)
		if c == nil {
			continue
		}
		switch n.Kind {
		case graph.AWSUser:
			c.check("aws-create-access-key", "iam:CreateAccessKey", n.ID, n.ID)
			con := x.console[n.ID]
			if con == nil || !*con {
				c.check("aws-create-login-profile", "iam:CreateLoginProfile", n.ID, n.ID)
			}
			if con == nil || *con {
				c.check("aws-update-login-profile", "iam:UpdateLoginProfile", n.ID, n.ID)
			}
		case graph.AWSGroup:
			if c.pr.Kind == "user" && !containsFold(c.pr.Groups, n.ID) {
				c.check("aws-add-user-to-group", "iam:AddUserToGroup", n.ID, n.ID)
				// What the group grants is capped by the user's boundary
				// and SCPs (a group leads only to admin).
				if len(c.out) > 0 {
					res, why := a.adminUnderCaps(p)
					switch {
					case !usable(res):
						c.out = nil
					case res == decision.Conditional:
						c.out[0].Result, c.out[0].Reason = res, why
					}
				}
			}
		case graph.AWSRole:
			c.trustRewrite(n.ID)
			for _, sr := range svc {
				c.passRole(sr)
			}
		}
		out = append(out, c.out...)
	}
	return out
}

// trustRewrite: UpdateAssumeRolePolicy on the role, then sts:AssumeRole
// as the principal's own policies allow.
func (c *checker) trustRewrite(r string) {
	assume := c.acts["sts:AssumeRole"]
	if !mayOn(assume, r) || !mayOn(c.acts["iam:UpdateAssumeRolePolicy"], r) {
		return
	}
	d := c.a.G.AWS.IsAllowed(c.p, "iam:UpdateAssumeRolePolicy", r, awsiam.Context{})
	if !usable(d.Result) {
		return
	}
	c.out = append(c.out, Step{From: c.p, To: r, Method: "aws-update-assume-role-policy", Actions: []string{"iam:UpdateAssumeRolePolicy", "sts:AssumeRole"},
		Grant: grantText(d) + "; " + grantText(assume.Decision), Result: worst(d.Result, assume.Decision.Result), Reason: reasonText(d)})
}

// passRole: iam:PassRole on a role a service trusts, with the actions that
// make the service run as it.
func (c *checker) passRole(sr svcRole) {
	pass := c.acts["iam:PassRole"]
	if !mayOn(pass, sr.role) {
		return
	}
	m := MethodByID(passRoleMethods[sr.service])
	res, grants, why := decision.Allowed, []string{}, ""
	for _, need := range m.Needs[1:] {
		gr := c.acts[need]
		if !usable(gr.Decision.Result) {
			return
		}
		res = worst(res, gr.Decision.Result)
		grants = append(grants, grantText(gr.Decision))
		if gr.Decision.Result == decision.Conditional {
			why = reasonText(gr.Decision)
		}
	}
	d := c.a.G.AWS.IsAllowed(c.p, "iam:PassRole", sr.role, awsiam.Context{})
	if !usable(d.Result) {
		return
	}
	res = worst(worst(res, d.Result), sr.edge.Result)
	if d.Result == decision.Conditional {
		why = reasonText(d)
	}
	c.out = append(c.out, Step{From: c.p, To: sr.role, Method: m.ID, Actions: m.Needs,
		Grant: strings.Join(append([]string{grantText(d)}, grants...), "; ") + "; " + sr.edge.Grant, Result: res, Reason: why})
}

func containsFold(xs []string, s string) bool {
	for _, x := range xs {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

func worst(a, b decision.Result) decision.Result {
	if graph.Rank(a) > graph.Rank(b) {
		return a
	}
	return b
}

func grantText(d awsiam.Decision) string {
	var parts []string
	for _, s := range d.Allows {
		n := s.Policy
		if s.Sid != "" {
			n += " (" + s.Sid + ")"
		}
		if !containsFold(parts, n) {
			parts = append(parts, n)
		}
		if len(parts) == 2 {
			break
		}
	}
	return strings.Join(parts, ", ")
}

func reasonText(d awsiam.Decision) string {
	if len(d.Missing) > 0 {
		return "depends on " + strings.Join(d.Missing, ", ")
	}
	return strings.Join(d.Reasons, "; ")
}
