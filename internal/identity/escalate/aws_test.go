package escalate

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/identity/decision"
	"github.com/vigil-sec/vigil/internal/resource"
)

// methodCase is one escalation method on a hand-built inventory: the move
// from principal by method must exist with result want (Allowed or
// Conditional), or not exist (want ImplicitDeny); when target is set the
// principal must (or must not) have a path to it.
type methodCase struct {
	name      string
	inv       func(t *testing.T) []*resource.Resource
	principal string
	method    string
	want      decision.Result
	target    string
}

func runCases(t *testing.T, cases []methodCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := analyze(t, c.inv(t))
			var got *Step
			for i, m := range a.Moves {
				if strings.EqualFold(m.From, c.principal) && m.Method == c.method && (got == nil || m.Result == decision.Allowed) {
					got = &a.Moves[i]
				}
			}
			switch {
			case c.want == decision.ImplicitDeny && got != nil:
				t.Errorf("blocked, but move %s —%s→ %s (%s) by %s", got.From, got.Method, got.To, got.Result, got.Grant)
			case c.want != decision.ImplicitDeny && got == nil:
				t.Errorf("no move %s by %s; moves: %v", c.principal, c.method, movesOf(a, c.principal))
			case got != nil && got.Result != c.want:
				t.Errorf("move %s —%s→ %s is %s (%s), want %s", got.From, got.Method, got.To, got.Result, got.Reason, c.want)
			}
			if c.target == "" {
				return
			}
			ps, err := a.Paths(context.Background(), Options{To: []string{c.target}})
			if err != nil {
				t.Fatal(err)
			}
			i := slices.IndexFunc(ps, func(p Path) bool { return strings.EqualFold(p.Principal, c.principal) })
			switch {
			case c.want == decision.ImplicitDeny && i >= 0:
				t.Errorf("blocked, but path:\n%s", ps[i].Text())
			case c.want != decision.ImplicitDeny && i < 0:
				t.Errorf("no path from %s to %s; paths: %v", c.principal, c.target, ps)
			case i >= 0 && ps[i].Result != c.want:
				t.Errorf("path result %s, want %s:\n%s", ps[i].Result, c.want, ps[i].Text())
			case i >= 0 && !slices.ContainsFunc(ps[i].Steps, func(s Step) bool { return s.Method == c.method }):
				t.Errorf("path does not use %s:\n%s", c.method, ps[i].Text())
			}
		})
	}
}

func movesOf(a *Analysis, from string) []string {
	var out []string
	for _, m := range a.Moves {
		if strings.EqualFold(m.From, from) {
			out = append(out, m.Method+"→"+m.To+"("+m.Result.String()+")")
		}
	}
	return out
}

var (
	attacker  = awsARN(acctA, "user", "mallory")
	attackerR = awsARN(acctA, "role", "ci")
	adminA    = "admin:aws-account/" + acctA
	adminB    = "admin:aws-account/" + acctB
)

const (
	denyAll  = `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"%s","Resource":"*"}]}`
	mfaAllow = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"%s","Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}]}`
	// A deny the evaluator decides from the inventory: every principal but
	// the break-glass role.
	denyUnlessBreakGlass = `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"%s","Resource":"*","Condition":{"ArnNotLike":{"aws:PrincipalArn":"arn:aws:iam::*:role/BreakGlass"}}}]}`
)

func sprintf(f, a string) string { return strings.ReplaceAll(f, "%s", a) }

// awsBase is the attacker (a user in account A, with the given inline
// policies) beside an admin user, an account with optional SCPs.
func awsBase(t *testing.T, scps []string, inline ...string) []*resource.Resource {
	return []*resource.Resource{
		awsAccount(t, acctA, scps...),
		awsUser(t, acctA, "mallory", inline...),
		attachAdmin(awsUser(t, acctA, "root-admin")),
	}
}

// withBoundary sets a permissions boundary (a managed policy) on the
// principal with the given ARN.
func withBoundary(t *testing.T, rs []*resource.Resource, principal, text string) []*resource.Resource {
	b := awsManaged(t, acctA, "boundary", text)
	for _, r := range rs {
		if r.ID == principal {
			r.Facts.Identity.PermissionsBoundary = b.ID
		}
	}
	return append(rs, b)
}

func TestAWSSelfMethods(t *testing.T) {
	self := func(action, on string) func(t *testing.T) []*resource.Resource {
		return func(t *testing.T) []*resource.Resource {
			rs := awsBase(t, nil, allow(action, "*"))
			u := rs[1]
			switch on {
			case "group":
				rs = append(rs, awsGroup(t, acctA, "devs", false, u))
			case "policy":
				rs = append(rs, awsManaged(t, acctA, "mine", allow("s3:GetObject", "*"), u))
			}
			return rs
		}
	}
	blockedBy := func(base func(t *testing.T) []*resource.Resource, how, action string) func(t *testing.T) []*resource.Resource {
		return func(t *testing.T) []*resource.Resource {
			rs := base(t)
			u := rs[1]
			switch how {
			case "deny":
				u.Facts.Identity.InlineDocuments = append(u.Facts.Identity.InlineDocuments, resource.NamedPolicy{Name: "deny", Document: doc(t, sprintf(denyAll, action))})
			case "boundary":
				rs = withBoundary(t, rs, u.ID, allow("s3:*", "*"))
			case "scp":
				rs[0] = awsAccount(t, acctA, sprintf(denyAll, action))
			case "condition":
				rs[0] = awsAccount(t, acctA, sprintf(denyUnlessBreakGlass, action))
			}
			return rs
		}
	}
	var cases []methodCase
	for _, m := range []struct{ method, action, on string }{
		{"aws-attach-user-policy", "iam:AttachUserPolicy", "user"},
		{"aws-put-user-policy", "iam:PutUserPolicy", "user"},
		{"aws-attach-group-policy", "iam:AttachGroupPolicy", "group"},
		{"aws-put-group-policy", "iam:PutGroupPolicy", "group"},
		{"aws-create-policy-version", "iam:CreatePolicyVersion", "policy"},
	} {
		base := self(m.action, m.on)
		cases = append(cases,
			methodCase{m.method, base, attacker, m.method, decision.Allowed, adminA},
			methodCase{m.method + " explicit deny", blockedBy(base, "deny", m.action), attacker, m.method, decision.ImplicitDeny, adminA},
			methodCase{m.method + " permissions boundary", blockedBy(base, "boundary", m.action), attacker, m.method, decision.ImplicitDeny, adminA},
			methodCase{m.method + " SCP", blockedBy(base, "scp", m.action), attacker, m.method, decision.ImplicitDeny, adminA},
			methodCase{m.method + " SCP condition on the principal", blockedBy(base, "condition", m.action), attacker, m.method, decision.ImplicitDeny, adminA},
		)
	}
	// SetDefaultPolicyVersion needs a version the inventory does not show:
	// conditional.
	cases = append(cases,
		methodCase{"aws-set-default-policy-version", self("iam:SetDefaultPolicyVersion", "policy"), attacker, "aws-set-default-policy-version", decision.Conditional, adminA},
		methodCase{"aws-set-default-policy-version explicit deny", blockedBy(self("iam:SetDefaultPolicyVersion", "policy"), "deny", "iam:SetDefaultPolicyVersion"), attacker, "aws-set-default-policy-version", decision.ImplicitDeny, adminA},
		methodCase{"aws-attach-user-policy under an MFA condition", func(t *testing.T) []*resource.Resource {
			return awsBase(t, nil, sprintf(mfaAllow, "iam:AttachUserPolicy"))
		}, attacker, "aws-attach-user-policy", decision.Conditional, adminA},
		// A policy that does not parse may deny anything: the allow is
		// uncertain, and an uncertain move is never reported.
		methodCase{"aws-attach-user-policy beside a policy that does not parse", func(t *testing.T) []*resource.Resource {
			rs := awsBase(t, nil, allow("iam:AttachUserPolicy", "*"))
			rs[1].Facts.Identity.InlineDocuments = append(rs[1].Facts.Identity.InlineDocuments, resource.NamedPolicy{Name: "broken", Document: &resource.PolicyDocument{Error: "unexpected end of JSON input", Raw: `{"Statement":[`}})
			return rs
		}, attacker, "aws-attach-user-policy", decision.ImplicitDeny, adminA},
		// The boundary allows the call, but still caps what the attached
		// administrator policy gives: no admin.
		methodCase{"aws-attach-user-policy boundary allows the call only", func(t *testing.T) []*resource.Resource {
			return withBoundary(t, awsBase(t, nil, allow("iam:AttachUserPolicy", "*")), attacker, allow("iam:AttachUserPolicy,s3:*", "*"))
		}, attacker, "aws-attach-user-policy", decision.ImplicitDeny, adminA},
		methodCase{"aws-attach-user-policy SCP caps admin", func(t *testing.T) []*resource.Resource {
			return awsBase(t, []string{sprintf(denyAll, "ec2:*")}, allow("iam:AttachUserPolicy", "*"))
		}, attacker, "aws-attach-user-policy", decision.ImplicitDeny, adminA},
		methodCase{"aws-attach-user-policy by NotAction", func(t *testing.T) []*resource.Resource {
			return awsBase(t, nil, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","NotAction":["s3:*","ec2:*"],"Resource":"*"}]}`)
		}, attacker, "aws-attach-user-policy", decision.Allowed, adminA},
		methodCase{"aws-attach-user-policy NotResource excludes itself", func(t *testing.T) []*resource.Resource {
			return awsBase(t, nil, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:AttachUserPolicy","NotResource":"arn:aws:iam::111111111111:user/mallory"}]}`)
		}, attacker, "aws-attach-user-policy", decision.ImplicitDeny, adminA},
	)
	for _, m := range []struct{ method, action string }{{"aws-attach-role-policy", "iam:AttachRolePolicy"}, {"aws-put-role-policy", "iam:PutRolePolicy"}} {
		inv := func(t *testing.T) []*resource.Resource {
			return []*resource.Resource{awsAccount(t, acctA), awsRole(t, acctA, "ci", trustService("codebuild.amazonaws.com"), allow(m.action, attackerR))}
		}
		cases = append(cases,
			methodCase{m.method, inv, attackerR, m.method, decision.Allowed, adminA},
			methodCase{m.method + " on another role only", func(t *testing.T) []*resource.Resource {
				return []*resource.Resource{awsAccount(t, acctA), awsRole(t, acctA, "ci", trustService("codebuild.amazonaws.com"), allow(m.action, awsARN(acctA, "role", "other")))}
			}, attackerR, m.method, decision.ImplicitDeny, adminA},
		)
	}
	runCases(t, cases)
}

func TestAWSOtherPrincipals(t *testing.T) {
	adminRole := func(t *testing.T, name, trust string) *resource.Resource {
		return attachAdmin(awsRole(t, acctA, name, trust))
	}
	var cases []methodCase
	// Credentials of another (admin) user.
	for _, m := range []struct {
		method, action string
		console        bool
	}{{"aws-create-access-key", "iam:CreateAccessKey", false}, {"aws-create-login-profile", "iam:CreateLoginProfile", false}, {"aws-update-login-profile", "iam:UpdateLoginProfile", true}} {
		inv := func(extra string) func(t *testing.T) []*resource.Resource {
			return func(t *testing.T) []*resource.Resource {
				rs := awsBase(t, nil, allow(m.action, awsARN(acctA, "user", "root-admin")))
				rs[2].Facts.Identity.ConsoleAccess = resource.Bool(m.console)
				if extra != "" {
					rs[1].Facts.Identity.InlineDocuments = append(rs[1].Facts.Identity.InlineDocuments, resource.NamedPolicy{Name: "x", Document: doc(t, extra)})
				}
				return rs
			}
		}
		cases = append(cases,
			methodCase{m.method, inv(""), attacker, m.method, decision.Allowed, adminA},
			methodCase{m.method + " explicit deny", inv(sprintf(denyAll, m.action)), attacker, m.method, decision.ImplicitDeny, adminA},
		)
	}
	cases = append(cases,
		methodCase{"aws-add-user-to-group", func(t *testing.T) []*resource.Resource {
			rs := awsBase(t, nil, allow("iam:AddUserToGroup", awsARN(acctA, "group", "admins")))
			return append(rs, awsGroup(t, acctA, "admins", true))
		}, attacker, "aws-add-user-to-group", decision.Allowed, adminA},
		methodCase{"aws-add-user-to-group boundary", func(t *testing.T) []*resource.Resource {
			rs := awsBase(t, nil, allow("iam:AddUserToGroup", awsARN(acctA, "group", "admins")))
			return withBoundary(t, append(rs, awsGroup(t, acctA, "admins", true)), attacker, allow("iam:List*", "*"))
		}, attacker, "aws-add-user-to-group", decision.ImplicitDeny, adminA},
		methodCase{"aws-add-user-to-group boundary caps the group's policies", func(t *testing.T) []*resource.Resource {
			rs := awsBase(t, nil, allow("iam:AddUserToGroup", awsARN(acctA, "group", "admins")))
			return withBoundary(t, append(rs, awsGroup(t, acctA, "admins", true)), attacker, allow("iam:AddUserToGroup,s3:*", "*"))
		}, attacker, "aws-add-user-to-group", decision.ImplicitDeny, adminA},
		methodCase{"aws-update-assume-role-policy", func(t *testing.T) []*resource.Resource {
			return append(awsBase(t, nil, allow("iam:UpdateAssumeRolePolicy,sts:AssumeRole", "*")), adminRole(t, "ops", trustService("ec2.amazonaws.com")))
		}, attacker, "aws-update-assume-role-policy", decision.Allowed, adminA},
		methodCase{"aws-update-assume-role-policy without sts:AssumeRole", func(t *testing.T) []*resource.Resource {
			return append(awsBase(t, nil, allow("iam:UpdateAssumeRolePolicy", "*")), adminRole(t, "ops", trustService("ec2.amazonaws.com")))
		}, attacker, "aws-update-assume-role-policy", decision.ImplicitDeny, adminA},
		methodCase{"aws-assume-role by trust", func(t *testing.T) []*resource.Resource {
			return append(awsBase(t, nil, allow("sts:AssumeRole", "*")), adminRole(t, "ops", trustAWS(attacker)))
		}, attacker, "aws-assume-role", decision.Allowed, adminA},
		methodCase{"aws-assume-role trust names someone else", func(t *testing.T) []*resource.Resource {
			return append(awsBase(t, nil, allow("sts:AssumeRole", "*")), adminRole(t, "ops", trustAWS(awsARN(acctA, "user", "root-admin"))))
		}, attacker, "aws-assume-role", decision.ImplicitDeny, adminA},
		methodCase{"aws-assume-role explicit deny", func(t *testing.T) []*resource.Resource {
			return append(awsBase(t, nil, allow("sts:AssumeRole", "*"), sprintf(denyAll, "sts:AssumeRole")), adminRole(t, "ops", trustAWS(attacker)))
		}, attacker, "aws-assume-role", decision.ImplicitDeny, adminA},
		// Cross-account: a role of account B trusts account A; the
		// attacker's own policy allows the call.
		methodCase{"aws-assume-role cross-account", func(t *testing.T) []*resource.Resource {
			return append(awsBase(t, nil, allow("sts:AssumeRole", "*")), awsAccount(t, acctB), attachAdmin(awsRole(t, acctB, "audit", trustAWS("arn:aws:iam::"+acctA+":root"))))
		}, attacker, "aws-assume-role", decision.Allowed, adminB},
		methodCase{"aws-assume-role cross-account without identity allow", func(t *testing.T) []*resource.Resource {
			return append(awsBase(t, nil, allow("s3:GetObject", "*")), awsAccount(t, acctB), attachAdmin(awsRole(t, acctB, "audit", trustAWS("arn:aws:iam::"+acctA+":root"))))
		}, attacker, "aws-assume-role", decision.ImplicitDeny, adminB},
	)
	// PassRole to a service, with the service's own actions.
	for svc, m := range passRoleMethods {
		needs := strings.Join(MethodByID(m).Needs, ",")
		cases = append(cases,
			methodCase{m, func(t *testing.T) []*resource.Resource {
				return append(awsBase(t, nil, allow(needs, "*")), adminRole(t, "svc", trustService(svc)))
			}, attacker, m, decision.Allowed, adminA},
			methodCase{m + " boundary without PassRole", func(t *testing.T) []*resource.Resource {
				rs := append(awsBase(t, nil, allow(needs, "*")), adminRole(t, "svc", trustService(svc)))
				return withBoundary(t, rs, attacker, allow(strings.Join(MethodByID(m).Needs[1:], ","), "*"))
			}, attacker, m, decision.ImplicitDeny, adminA},
			methodCase{m + " SCP", func(t *testing.T) []*resource.Resource {
				rs := append(awsBase(t, []string{sprintf(denyAll, "iam:PassRole")}, allow(needs, "*")), adminRole(t, "svc", trustService(svc)))
				return rs
			}, attacker, m, decision.ImplicitDeny, adminA},
			methodCase{m + " role trusts another service", func(t *testing.T) []*resource.Resource {
				return append(awsBase(t, nil, allow(needs, "*")), adminRole(t, "svc", trustService("states.amazonaws.com")))
			}, attacker, m, decision.ImplicitDeny, adminA},
		)
	}
	runCases(t, cases)
}
