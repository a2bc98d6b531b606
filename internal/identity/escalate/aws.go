package escalate

import (
	"context"
	"runtime"
	"strings"
	"sync"

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

// awsMoves computes the AWS methods' moves for every AWS principal.
func (a *Analysis) awsMoves(ctx context.Context) ([]Step, error) {
	x := a.awsIndex()
	ps := a.G.AWS.Principals()
	out := make([][]Step, len(ps))
	err := parallel(ctx, len(ps), func(i int) { out[i] = a.awsPrincipal(ps[i], x) })
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

func (a *Analysis) awsPrincipal(p string, x *awsIndex) []Step {
	pr := a.G.AWS.Principal(p)
	acts := a.G.AWSActions(p)
	if pr == nil || acts == nil || pr.Kind == "root" {
		return nil
	}
	var out []Step
	admin := "admin:aws-account/" + pr.Account
	check := func(method, action, res, to string) {
		if !mayOn(acts[action], res) {
			return
		}
		d := a.G.AWS.IsAllowed(p, action, res, awsiam.Context{})
		if !usable(d.Result) {
			return
		}
		s := Step{From: p, To: to, Method: method, Actions: []string{action}, Grant: grantText(d), Result: d.Result, Reason: reasonText(d)}
		if method == "aws-set-default-policy-version" {
			s.Result, s.Reason = decision.Conditional, "needs a non-default version of the policy that grants more (policy versions are not in the inventory)"
		}
		out = append(out, s)
	}
	for _, m := range selfMethods {
		switch m.on {
		case "user", "role":
			if pr.Kind == m.on {
				check(m.id, m.action, p, admin)
			}
		case "group":
			for _, grp := range pr.Groups {
				check(m.id, m.action, grp, admin)
			}
		case "policy":
			for _, pol := range pr.Identity {
				if strings.HasPrefix(pol.Name, "arn:aws:iam::"+pr.Account+":policy/") && !strings.Contains(pol.Name, "#") {
					check(m.id, m.action, pol.Name, admin)
				}
			}
		}
	}
	for _, u := range x.users[pr.Account] {
		if u == p {
			continue
		}
		check("aws-create-access-key", "iam:CreateAccessKey", u, u)
		c := x.console[u]
		if c == nil || !*c {
			check("aws-create-login-profile", "iam:CreateLoginProfile", u, u)
		}
		if c == nil || *c {
			check("aws-update-login-profile", "iam:UpdateLoginProfile", u, u)
		}
	}
	if pr.Kind == "user" {
		for _, grp := range x.groups[pr.Account] {
			if !containsFold(pr.Groups, grp) {
				check("aws-add-user-to-group", "iam:AddUserToGroup", grp, grp)
			}
		}
	}
	if assume := acts["sts:AssumeRole"]; usable(assume.Decision.Result) {
		for _, r := range x.roles[pr.Account] {
			if r == p || !mayOn(assume, r) || !mayOn(acts["iam:UpdateAssumeRolePolicy"], r) {
				continue
			}
			d := a.G.AWS.IsAllowed(p, "iam:UpdateAssumeRolePolicy", r, awsiam.Context{})
			if !usable(d.Result) {
				continue
			}
			out = append(out, Step{From: p, To: r, Method: "aws-update-assume-role-policy", Actions: []string{"iam:UpdateAssumeRolePolicy", "sts:AssumeRole"},
				Grant: grantText(d) + "; " + grantText(assume.Decision), Result: worst(d.Result, assume.Decision.Result), Reason: reasonText(d)})
		}
	}
	if pass := acts["iam:PassRole"]; usable(pass.Decision.Result) {
		for _, sr := range x.serviceRoles[pr.Account] {
			if sr.role == p || !mayOn(pass, sr.role) {
				continue
			}
			m := MethodByID(passRoleMethods[sr.service])
			res, grants, why := decision.Allowed, []string{}, ""
			for _, need := range m.Needs[1:] {
				gr := acts[need]
				if !usable(gr.Decision.Result) {
					res = decision.ImplicitDeny
					break
				}
				res = worst(res, gr.Decision.Result)
				grants = append(grants, grantText(gr.Decision))
				if gr.Decision.Result == decision.Conditional {
					why = reasonText(gr.Decision)
				}
			}
			if !usable(res) {
				continue
			}
			d := a.G.AWS.IsAllowed(p, "iam:PassRole", sr.role, awsiam.Context{})
			if !usable(d.Result) {
				continue
			}
			res = worst(worst(res, d.Result), sr.edge.Result)
			if d.Result == decision.Conditional {
				why = reasonText(d)
			}
			out = append(out, Step{From: p, To: sr.role, Method: m.ID, Actions: m.Needs,
				Grant: strings.Join(append([]string{grantText(d)}, grants...), "; ") + "; " + sr.edge.Grant, Result: res, Reason: why})
		}
	}
	return out
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

// parallel runs f(i) for i in [0,n) on GOMAXPROCS workers.
func parallel(ctx context.Context, n int, f func(i int)) error {
	var wg sync.WaitGroup
	next := make(chan int, 256)
	for range min(runtime.GOMAXPROCS(0), max(n, 1)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				f(i)
			}
		}()
	}
	var err error
	for i := range n {
		if i%1024 == 0 {
			if err = ctx.Err(); err != nil {
				break
			}
		}
		next <- i
	}
	close(next)
	wg.Wait()
	return err
}
