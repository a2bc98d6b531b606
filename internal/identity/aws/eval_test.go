package awsiam

import (
	"slices"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/iam/awspolicy"
)

const (
	acctA = "111111111111"
	acctB = "222222222222"
	userA = "arn:aws:iam::111111111111:user/alice"
	roleA = "arn:aws:iam::111111111111:role/app"
	sessA = "arn:aws:sts::111111111111:assumed-role/app/s1"
	userB = "arn:aws:iam::222222222222:user/bob"
	objA  = "arn:aws:s3:::bucket-a/key.txt"
	qA    = "arn:aws:sqs:us-east-1:111111111111:queue-a"
)

// pol compiles a policy from JSON text, failing the test on problems
// unless the name starts with "bad".
func pol(t *testing.T, name, text string) *Policy {
	t.Helper()
	p, probs := Compile(name, awspolicy.ParseText(text), nil)
	if len(probs) > 0 && !strings.HasPrefix(name, "bad") && p.Broken == "" {
		t.Fatalf("%s: %v", name, probs)
	}
	return p
}

func allow(action, res string) string {
	return `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"` + action + `","Resource":"` + res + `"}]}`
}

func deny(action, res string) string {
	return `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"` + action + `","Resource":"` + res + `"}]}`
}

func TestEvaluate(t *testing.T) {
	type setup func(t *testing.T) *PolicySet
	ids := func(texts ...string) setup {
		return func(t *testing.T) *PolicySet {
			ps := &PolicySet{}
			for i, x := range texts {
				ps.Identity = append(ps.Identity, pol(t, "id"+string(rune('0'+i)), x))
			}
			return ps
		}
	}
	with := func(base setup, f func(t *testing.T, ps *PolicySet)) setup {
		return func(t *testing.T) *PolicySet {
			ps := base(t)
			f(t, ps)
			return ps
		}
	}
	chain := func(t *testing.T, levels ...[]string) *OrgChain {
		c := &OrgChain{}
		for i, lv := range levels {
			l := OrgLevel{Target: "level" + string(rune('0'+i))}
			for j, x := range lv {
				l.Policies = append(l.Policies, pol(t, l.Target+"/p"+string(rune('0'+j)), x))
			}
			c.Levels = append(c.Levels, l)
		}
		return c
	}
	allowAll := allow("*", "*")
	cases := []struct {
		name      string
		principal string
		action    string
		resource  string
		ctx       map[string][]string
		complete  bool
		ps        setup
		want      Result
		// wantAllow / wantDeny: a statement of this policy is named.
		wantAllow, wantDeny string
		wantMissing         string
		wantReason          string
	}{
		// Identity policies.
		{name: "identity allow", principal: userA, action: "s3:GetObject", resource: objA, ps: ids(allow("s3:GetObject", "*")), want: Allowed, wantAllow: "id0"},
		{name: "no policy: implicit deny", principal: userA, action: "s3:GetObject", resource: objA, ps: ids(), want: ImplicitDeny},
		{name: "other action: implicit deny", principal: userA, action: "s3:PutObject", resource: objA, ps: ids(allow("s3:GetObject", "*")), want: ImplicitDeny},
		{name: "explicit deny wins over allow", principal: userA, action: "s3:GetObject", resource: objA, ps: ids(allowAll, deny("s3:*", "arn:aws:s3:::bucket-a/*")), want: ExplicitDeny, wantDeny: "id1"},
		{name: "deny of another resource", principal: userA, action: "s3:GetObject", resource: objA, ps: ids(allowAll, deny("s3:*", "arn:aws:s3:::bucket-b/*")), want: Allowed},

		// Wildcards.
		{name: "action prefix wildcard", principal: userA, action: "s3:GetObject", resource: objA, ps: ids(allow("s3:Get*", "*")), want: Allowed},
		{name: "action case-insensitive", principal: userA, action: "S3:getobject", resource: objA, ps: ids(allow("s3:GetObject", "*")), want: Allowed},
		{name: "action ? wildcard", principal: userA, action: "s3:GetObject", resource: objA, ps: ids(allow("s3:?etObject", "*")), want: Allowed},
		{name: "action ? wildcard is one character", principal: userA, action: "s3:GetObject", resource: objA, ps: ids(allow("s3:?Object", "*")), want: ImplicitDeny},
		{name: "service wildcard does not cross services", principal: userA, action: "sqs:GetQueueUrl", resource: qA, ps: ids(allow("s3:*", "*")), want: ImplicitDeny},
		{name: "ARN wildcard", principal: userA, action: "s3:GetObject", resource: objA, ps: ids(allow("s3:GetObject", "arn:aws:s3:::bucket-*/*.txt")), want: Allowed},
		{name: "ARN case-sensitive", principal: userA, action: "s3:GetObject", resource: objA, ps: ids(allow("s3:GetObject", "arn:aws:s3:::Bucket-a/*")), want: ImplicitDeny},
		{name: "ARN ? wildcard", principal: userA, action: "s3:GetObject", resource: objA, ps: ids(allow("s3:GetObject", "arn:aws:s3:::bucket-?/key.txt")), want: Allowed},
		{name: "ARN region wildcard within its field", principal: userA, action: "sqs:SendMessage", resource: qA, ps: ids(allow("sqs:SendMessage", "arn:aws:sqs:*:111111111111:queue-a")), want: Allowed},
		{name: "ARN account mismatch", principal: userA, action: "sqs:SendMessage", resource: qA, ps: ids(allow("sqs:SendMessage", "arn:aws:sqs:*:999999999999:*")), want: ImplicitDeny},

		// NotAction / NotResource.
		{name: "NotAction allows the rest", principal: userA, action: "s3:GetObject", resource: objA,
			ps: ids(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","NotAction":"iam:*","Resource":"*"}]}`), want: Allowed},
		{name: "NotAction excludes", principal: userA, action: "iam:CreateUser", resource: "arn:aws:iam::111111111111:user/x",
			ps: ids(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","NotAction":"iam:*","Resource":"*"}]}`), want: ImplicitDeny},
		{name: "Deny NotAction denies everything else", principal: userA, action: "ec2:RunInstances", resource: "*",
			ps: ids(allowAll, `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","NotAction":["s3:*","iam:*"],"Resource":"*"}]}`), want: ExplicitDeny},
		{name: "NotResource allows elsewhere", principal: userA, action: "s3:GetObject", resource: objA,
			ps: ids(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","NotResource":"arn:aws:s3:::secret/*"}]}`), want: Allowed},
		{name: "NotResource excludes", principal: userA, action: "s3:GetObject", resource: "arn:aws:s3:::secret/k",
			ps: ids(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","NotResource":"arn:aws:s3:::secret/*"}]}`), want: ImplicitDeny},
		{name: "Deny NotResource", principal: userA, action: "s3:GetObject", resource: objA,
			ps: ids(allowAll, `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"s3:*","NotResource":"arn:aws:s3:::allowed/*"}]}`), want: ExplicitDeny},

		// Permissions boundaries.
		{name: "boundary limits identity allow", principal: userA, action: "s3:GetObject", resource: objA,
			ps: with(ids(allowAll), func(t *testing.T, ps *PolicySet) { ps.Boundary = pol(t, "pb", allow("sqs:*", "*")) }), want: ImplicitDeny},
		{name: "boundary and identity both allow", principal: userA, action: "s3:GetObject", resource: objA,
			ps: with(ids(allowAll), func(t *testing.T, ps *PolicySet) { ps.Boundary = pol(t, "pb", allow("s3:*", "*")) }), want: Allowed, wantAllow: "pb"},
		{name: "boundary alone grants nothing", principal: userA, action: "s3:GetObject", resource: objA,
			ps: with(ids(), func(t *testing.T, ps *PolicySet) { ps.Boundary = pol(t, "pb", allowAll) }), want: ImplicitDeny},
		{name: "boundary deny", principal: userA, action: "s3:GetObject", resource: objA,
			ps: with(ids(allowAll), func(t *testing.T, ps *PolicySet) {
				ps.Boundary = pol(t, "pb", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Deny","Action":"s3:GetObject","Resource":"*"}]}`)
			}), want: ExplicitDeny, wantDeny: "pb"},
		{name: "session policy limits", principal: sessA, action: "s3:GetObject", resource: objA,
			ps: with(ids(allowAll), func(t *testing.T, ps *PolicySet) { ps.Session = []*Policy{pol(t, "sess", allow("sqs:*", "*"))} }), want: ImplicitDeny},

		{name: "session policy does not limit a resource-policy grant to the session", principal: sessA, action: "s3:GetObject", resource: objA,
			ps: with(ids(), func(t *testing.T, ps *PolicySet) {
				ps.Session = []*Policy{pol(t, "sess", allow("sqs:*", "*"))}
				ps.Resource = pol(t, "bucket", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"`+sessA+`"},"Action":"s3:GetObject","Resource":"*"}]}`)
			}), want: Allowed},
		{name: "session policy limits a resource-policy grant to the role", principal: sessA, action: "s3:GetObject", resource: objA,
			ps: with(ids(), func(t *testing.T, ps *PolicySet) {
				ps.Session = []*Policy{pol(t, "sess", allow("sqs:*", "*"))}
				ps.Resource = pol(t, "bucket", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"`+roleA+`"},"Action":"s3:GetObject","Resource":"*"}]}`)
			}), want: ImplicitDeny},

		// SCPs.
		{name: "SCP allow at every level", principal: userA, action: "s3:GetObject", resource: objA,
			ps: with(ids(allowAll), func(t *testing.T, ps *PolicySet) {
				ps.SCPs = chain(t, []string{allowAll}, []string{allowAll}, []string{allowAll})
			}), want: Allowed, wantAllow: "level2/p0"},
		{name: "SCP: an OU without an allow", principal: userA, action: "s3:GetObject", resource: objA,
			ps: with(ids(allowAll), func(t *testing.T, ps *PolicySet) {
				ps.SCPs = chain(t, []string{allowAll}, []string{allow("ec2:*", "*")}, []string{allowAll})
			}), want: ImplicitDeny},
		{name: "SCP: root without an allow", principal: userA, action: "s3:GetObject", resource: objA,
			ps: with(ids(allowAll), func(t *testing.T, ps *PolicySet) {
				ps.SCPs = chain(t, []string{allow("ec2:*", "*")}, []string{allowAll})
			}), want: ImplicitDeny},
		{name: "SCP: account level without an allow", principal: userA, action: "s3:GetObject", resource: objA,
			ps: with(ids(allowAll), func(t *testing.T, ps *PolicySet) { ps.SCPs = chain(t, []string{allowAll}, []string{}) }), want: ImplicitDeny},
		{name: "SCP deny at the OU", principal: userA, action: "s3:GetObject", resource: objA,
			ps: with(ids(allowAll), func(t *testing.T, ps *PolicySet) {
				ps.SCPs = chain(t, []string{allowAll}, []string{allowAll, deny("s3:*", "*")}, []string{allowAll})
			}), want: ExplicitDeny, wantDeny: "level1/p1"},
		{name: "SCP grants nothing by itself", principal: userA, action: "s3:GetObject", resource: objA,
			ps: with(ids(), func(t *testing.T, ps *PolicySet) { ps.SCPs = chain(t, []string{allowAll}) }), want: ImplicitDeny},
		{name: "SCP chain incomplete: allow uncertain", principal: userA, action: "s3:GetObject", resource: objA,
			ps: with(ids(allowAll), func(t *testing.T, ps *PolicySet) {
				ps.SCPs = chain(t, []string{allowAll})
				ps.SCPs.Incomplete = "parent missing"
			}), want: Uncertain},
		{name: "SCP chain incomplete: deny certain", principal: userA, action: "s3:GetObject", resource: objA,
			ps: with(ids(allowAll), func(t *testing.T, ps *PolicySet) {
				ps.SCPs = chain(t, []string{allowAll, deny("s3:*", "*")})
				ps.SCPs.Incomplete = "parent missing"
			}), want: ExplicitDeny},
		{name: "SCPs do not restrict service-linked roles", principal: "arn:aws:iam::111111111111:role/aws-service-role/x.amazonaws.com/AWSServiceRoleForX", action: "s3:GetObject", resource: objA,
			ps: with(ids(allowAll), func(t *testing.T, ps *PolicySet) { ps.SCPs = chain(t, []string{deny("*", "*")}) }), want: Allowed},

		// RCPs.
		{name: "RCP deny", principal: userA, action: "s3:GetObject", resource: objA,
			ps: with(ids(allowAll), func(t *testing.T, ps *PolicySet) { ps.RCPs = chain(t, []string{deny("s3:*", "*")}) }), want: ExplicitDeny},
		{name: "RCP without allow does not restrict (RCPFullAWSAccess)", principal: userA, action: "s3:GetObject", resource: objA,
			ps: with(ids(allowAll), func(t *testing.T, ps *PolicySet) { ps.RCPs = chain(t, []string{}) }), want: Allowed},

		// Resource policies, same account.
		{name: "same account: bucket policy for the user alone", principal: userA, action: "s3:GetObject", resource: objA,
			ps: with(ids(), func(t *testing.T, ps *PolicySet) {
				ps.Resource = pol(t, "bucket", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"`+userA+`"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket-a/*"}]}`)
			}), want: Allowed, wantAllow: "bucket"},
		{name: "same account: user ARN grant is not limited by the boundary", principal: userA, action: "s3:GetObject", resource: objA,
			ps: with(ids(), func(t *testing.T, ps *PolicySet) {
				ps.Boundary = pol(t, "pb", allow("sqs:*", "*"))
				ps.Resource = pol(t, "bucket", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"`+userA+`"},"Action":"s3:GetObject","Resource":"*"}]}`)
			}), want: Allowed},
		{name: "same account: role ARN grant is limited by the boundary", principal: sessA, action: "s3:GetObject", resource: objA,
			ps: with(ids(), func(t *testing.T, ps *PolicySet) {
				ps.Boundary = pol(t, "pb", allow("sqs:*", "*"))
				ps.Resource = pol(t, "bucket", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"`+roleA+`"},"Action":"s3:GetObject","Resource":"*"}]}`)
			}), want: ImplicitDeny},
		{name: "same account: role ARN grant within the boundary", principal: sessA, action: "s3:GetObject", resource: objA,
			ps: with(ids(), func(t *testing.T, ps *PolicySet) {
				ps.Boundary = pol(t, "pb", allow("s3:*", "*"))
				ps.Resource = pol(t, "bucket", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"`+roleA+`"},"Action":"s3:GetObject","Resource":"*"}]}`)
			}), want: Allowed},
		{name: "same account: session ARN grant bypasses the boundary", principal: sessA, action: "s3:GetObject", resource: objA,
			ps: with(ids(), func(t *testing.T, ps *PolicySet) {
				ps.Boundary = pol(t, "pb", allow("sqs:*", "*"))
				ps.Resource = pol(t, "bucket", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"`+sessA+`"},"Action":"s3:GetObject","Resource":"*"}]}`)
			}), want: Allowed},
		{name: "same account: account principal needs the identity policy", principal: userA, action: "sqs:SendMessage", resource: qA,
			ps: with(ids(), func(t *testing.T, ps *PolicySet) {
				ps.Resource = pol(t, "queue", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":"sqs:*","Resource":"*"}]}`)
			}), want: ImplicitDeny},
		{name: "resource policy deny for the account", principal: userA, action: "sqs:SendMessage", resource: qA,
			ps: with(ids(allowAll), func(t *testing.T, ps *PolicySet) {
				ps.Resource = pol(t, "queue", `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":{"AWS":"111111111111"},"Action":"sqs:*","Resource":"*"}]}`)
			}), want: ExplicitDeny, wantDeny: "queue"},
		{name: "resource policy for someone else", principal: userA, action: "sqs:SendMessage", resource: qA,
			ps: with(ids(), func(t *testing.T, ps *PolicySet) {
				ps.Resource = pol(t, "queue", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:user/carol"},"Action":"sqs:*","Resource":"*"}]}`)
			}), want: ImplicitDeny},
		{name: "NotPrincipal deny spares the named user", principal: userA, action: "sqs:SendMessage", resource: qA,
			ps: with(ids(allowAll), func(t *testing.T, ps *PolicySet) {
				ps.Resource = pol(t, "queue", `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","NotPrincipal":{"AWS":"`+userA+`"},"Action":"sqs:*","Resource":"*"}]}`)
			}), want: Allowed},
		{name: "NotPrincipal deny always denies a principal with a boundary", principal: userA, action: "sqs:SendMessage", resource: qA,
			ps: with(ids(allowAll), func(t *testing.T, ps *PolicySet) {
				ps.Boundary = pol(t, "pb", allowAll)
				ps.Resource = pol(t, "queue", `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","NotPrincipal":{"AWS":"`+userA+`"},"Action":"sqs:*","Resource":"*"}]}`)
			}), want: ExplicitDeny},

		// Resource policies, cross account.
		{name: "cross account: resource policy alone", principal: userB, action: "sqs:SendMessage", resource: qA,
			ps: with(ids(), func(t *testing.T, ps *PolicySet) {
				ps.Resource = pol(t, "queue", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"`+userB+`"},"Action":"sqs:*","Resource":"*"}]}`)
			}), want: ImplicitDeny},
		{name: "cross account: identity policy alone", principal: userB, action: "sqs:SendMessage", resource: qA, ps: ids(allowAll), want: ImplicitDeny},
		{name: "cross account: both sides", principal: userB, action: "sqs:SendMessage", resource: qA,
			ps: with(ids(allowAll), func(t *testing.T, ps *PolicySet) {
				ps.Resource = pol(t, "queue", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"222222222222"},"Action":"sqs:*","Resource":"*"}]}`)
			}), want: Allowed},
		{name: "cross account: boundary applies", principal: userB, action: "sqs:SendMessage", resource: qA,
			ps: with(ids(allowAll), func(t *testing.T, ps *PolicySet) {
				ps.Boundary = pol(t, "pb", allow("s3:*", "*"))
				ps.Resource = pol(t, "queue", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"`+userB+`"},"Action":"sqs:*","Resource":"*"}]}`)
			}), want: ImplicitDeny},
		{name: "public resource policy, anonymous", principal: "", action: "s3:GetObject", resource: objA, ps: with(ids(), func(t *testing.T, ps *PolicySet) {
			ps.Resource = pol(t, "bucket", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*"}]}`)
		}), want: Allowed},
		{name: "service principal from the resource policy", principal: "lambda.amazonaws.com", action: "sqs:SendMessage", resource: qA, ps: with(ids(), func(t *testing.T, ps *PolicySet) {
			ps.Resource = pol(t, "queue", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sqs:SendMessage","Resource":"*"}]}`)
		}), want: Allowed},

		// Trust policies and key policies.
		{name: "AssumeRole needs the trust policy even in the same account", principal: userA, action: "sts:AssumeRole", resource: "arn:aws:iam::111111111111:role/target", ps: ids(allowAll), want: ImplicitDeny},
		{name: "AssumeRole: trust policy names the user", principal: userA, action: "sts:AssumeRole", resource: "arn:aws:iam::111111111111:role/target", ps: with(ids(), func(t *testing.T, ps *PolicySet) {
			ps.Resource = pol(t, "trust", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"`+userA+`"},"Action":"sts:AssumeRole"}]}`)
		}), want: Allowed},
		{name: "AssumeRole: trust policy names the account, identity allows", principal: userA, action: "sts:AssumeRole", resource: "arn:aws:iam::111111111111:role/target", ps: with(ids(allow("sts:AssumeRole", "*")), func(t *testing.T, ps *PolicySet) {
			ps.Resource = pol(t, "trust", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":"sts:AssumeRole"}]}`)
		}), want: Allowed},
		{name: "KMS key needs the key policy", principal: userA, action: "kms:Decrypt", resource: "arn:aws:kms:us-east-1:111111111111:key/k1", ps: ids(allowAll), want: ImplicitDeny},
		{name: "AWS managed policies cannot be changed", principal: userA, action: "iam:CreatePolicyVersion", resource: "arn:aws:iam::aws:policy/AdministratorAccess", ps: ids(allowAll), want: ImplicitDeny},
		{name: "the root user cannot assume a role", principal: "arn:aws:iam::111111111111:root", action: "sts:AssumeRole", resource: "arn:aws:iam::111111111111:role/target", ps: with(ids(allowAll), func(t *testing.T, ps *PolicySet) {
			ps.Resource = pol(t, "trust", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"sts:AssumeRole"}]}`)
		}), want: ImplicitDeny},
		{name: "resource policy naming the account: the root user needs its own permissions", principal: "arn:aws:iam::111111111111:root", action: "sqs:SendMessage", resource: qA,
			ps: func(t *testing.T) *PolicySet {
				return &PolicySet{Resource: pol(t, "queue", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"111111111111"},"Action":"sqs:*","Resource":"*"}]}`)}
			}, want: ImplicitDeny},
		{name: "GetCallerIdentity is always allowed", principal: userA, action: "sts:GetCallerIdentity", resource: "*", ps: ids(deny("*", "*")), want: Allowed},

		// Conditions.
		{name: "condition decided: match", principal: userA, action: "s3:GetObject", resource: objA, ctx: map[string][]string{"aws:PrincipalTag/team": {"data"}},
			ps: ids(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalTag/team":"data"}}}]}`), want: Allowed},
		{name: "condition decided: mismatch", principal: userA, action: "s3:GetObject", resource: objA, ctx: map[string][]string{"aws:PrincipalTag/team": {"web"}},
			ps: ids(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalTag/team":"data"}}}]}`), want: ImplicitDeny},
		{name: "condition on a key the request lacks: conditional", principal: userA, action: "s3:GetObject", resource: objA,
			ps: ids(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}}]}`), want: Conditional, wantMissing: "aws:SourceIp"},
		{name: "deny on a key the request lacks: conditional", principal: userA, action: "s3:GetObject", resource: objA,
			ps: ids(allowAll, `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"false"}}}]}`), want: Conditional, wantMissing: "aws:MultiFactorAuthPresent"},
		{name: "conditional allow but no other allow: still conditional", principal: userA, action: "s3:GetObject", resource: objA,
			ps: ids(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringLike":{"aws:RequestTag/x":"y*"}}}]}`), want: Conditional},
		{name: "conditional deny but no allow: implicit deny", principal: userA, action: "s3:GetObject", resource: objA,
			ps: ids(`{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}`), want: ImplicitDeny},
		{name: "complete context: absent key fails the allow", principal: userA, action: "s3:GetObject", resource: objA, complete: true,
			ps: ids(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}}]}`), want: ImplicitDeny},
		{name: "IfExists on an absent key", principal: userA, action: "s3:GetObject", resource: objA, complete: true,
			ps: ids(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEqualsIfExists":{"aws:PrincipalTag/team":"data"}}}]}`), want: Allowed},
		{name: "negated operator on an absent key", principal: userA, action: "s3:GetObject", resource: objA, complete: true,
			ps: ids(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringNotEquals":{"aws:PrincipalTag/team":"data"}}}]}`), want: Allowed},
		{name: "Null true on an absent key", principal: userA, action: "s3:GetObject", resource: objA, complete: true,
			ps: ids(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"Null":{"aws:PrincipalTag/team":"true"}}}]}`), want: Allowed},
		{name: "Null false on an absent key", principal: userA, action: "s3:GetObject", resource: objA, complete: true,
			ps: ids(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"Null":{"aws:PrincipalTag/team":"false"}}}]}`), want: ImplicitDeny},
		{name: "Numeric", principal: userA, action: "s3:GetObject", resource: objA, ctx: map[string][]string{"aws:MultiFactorAuthAge": {"300"}},
			ps: ids(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"NumericLessThan":{"aws:MultiFactorAuthAge":"3600"}}}]}`), want: Allowed},
		{name: "Numeric fails", principal: userA, action: "s3:GetObject", resource: objA, ctx: map[string][]string{"aws:MultiFactorAuthAge": {"7200"}},
			ps: ids(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"NumericLessThanEquals":{"aws:MultiFactorAuthAge":"3600"}}}]}`), want: ImplicitDeny},
		{name: "Date", principal: userA, action: "s3:GetObject", resource: objA, ctx: map[string][]string{"aws:CurrentTime": {"2026-12-04T12:00:00Z"}},
			ps: ids(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"DateGreaterThan":{"aws:CurrentTime":"2026-01-01T00:00:00Z"},"DateLessThan":{"aws:CurrentTime":"2027-01-01"}}}]}`), want: Allowed},
		{name: "IpAddress outside", principal: userA, action: "s3:GetObject", resource: objA, ctx: map[string][]string{"aws:SourceIp": {"192.0.2.10"}},
			ps: ids(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":["10.0.0.0/8","203.0.113.0/24"]}}}]}`), want: ImplicitDeny},
		{name: "NotIpAddress deny", principal: userA, action: "s3:GetObject", resource: objA, ctx: map[string][]string{"aws:SourceIp": {"192.0.2.10"}},
			ps: ids(allowAll, `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"NotIpAddress":{"aws:SourceIp":"10.0.0.0/8"}}}]}`), want: ExplicitDeny},
		{name: "Bool", principal: userA, action: "s3:GetObject", resource: objA, ctx: map[string][]string{"aws:SecureTransport": {"true"}},
			ps: ids(allowAll, `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}`), want: Allowed},
		{name: "ArnLike on aws:PrincipalArn (filled from the principal)", principal: sessA, action: "s3:GetObject", resource: objA,
			ps: ids(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::*:role/app"}}}]}`), want: Allowed},
		{name: "ForAnyValue", principal: userA, action: "s3:GetObject", resource: objA, ctx: map[string][]string{"aws:TagKeys": {"a", "b"}},
			ps: ids(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"ForAnyValue:StringEquals":{"aws:TagKeys":["b","c"]}}}]}`), want: Allowed},
		{name: "ForAllValues fails", principal: userA, action: "s3:GetObject", resource: objA, ctx: map[string][]string{"aws:TagKeys": {"a", "b"}},
			ps: ids(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"ForAllValues:StringEquals":{"aws:TagKeys":["b","c"]}}}]}`), want: ImplicitDeny},
		{name: "ForAllValues on an absent key is true", principal: userA, action: "s3:GetObject", resource: objA, complete: true,
			ps: ids(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"ForAllValues:StringEquals":{"aws:TagKeys":["b","c"]}}}]}`), want: Allowed},
		{name: "ForAnyValue with IfExists on an absent key is still false", principal: userA, action: "s3:GetObject", resource: objA, complete: true,
			ps: ids(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"ForAnyValue:StringEqualsIfExists":{"aws:TagKeys":["b","c"]}}}]}`), want: ImplicitDeny},
		{name: "ForAnyValue on an absent key is false", principal: userA, action: "s3:GetObject", resource: objA, complete: true,
			ps: ids(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"ForAnyValue:StringEquals":{"aws:TagKeys":["b","c"]}}}]}`), want: ImplicitDeny},
		{name: "single-valued operator on a multivalued key", principal: userA, action: "s3:GetObject", resource: objA, ctx: map[string][]string{"aws:TagKeys": {"a", "b"}},
			ps: ids(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEquals":{"aws:TagKeys":"a"}}}]}`), want: ImplicitDeny},

		// Policy variables.
		{name: "policy variable in Resource", principal: userA, action: "s3:GetObject", resource: "arn:aws:s3:::home/alice/file",
			ps: ids(allow("s3:GetObject", "arn:aws:s3:::home/${aws:username}/*")), want: Allowed},
		{name: "policy variable: another user's folder", principal: userA, action: "s3:GetObject", resource: "arn:aws:s3:::home/bob/file",
			ps: ids(allow("s3:GetObject", "arn:aws:s3:::home/${aws:username}/*")), want: ImplicitDeny},
		{name: "policy variable: version 2008 keeps it literal", principal: userA, action: "s3:GetObject", resource: "arn:aws:s3:::home/alice/file",
			ps: ids(`{"Version":"2008-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::home/${aws:username}/*"}]}`), want: ImplicitDeny},
		{name: "policy variable with an unknown key: conditional", principal: userA, action: "s3:GetObject", resource: "arn:aws:s3:::home/data/file",
			ps: ids(allow("s3:GetObject", "arn:aws:s3:::home/${aws:PrincipalTag/team}/*")), want: Conditional, wantMissing: "aws:PrincipalTag/team"},
		{name: "NotResource with an unresolvable variable on a matching service: statement does not apply", principal: sessA, action: "s3:GetObject", resource: "arn:aws:s3:::home/alice/x", complete: true,
			ps: ids(allowAll, `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","NotResource":"arn:aws:s3:::home/${aws:username}/*"}]}`), want: Allowed},
		{name: "NotResource with an unresolvable variable on another service: excludes nothing", principal: sessA, action: "sqs:SendMessage", resource: qA, complete: true,
			ps: ids(allowAll, `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","NotResource":"arn:aws:s3:::home/${aws:username}/*"}]}`), want: ExplicitDeny},
		{name: "policy variable in a condition", principal: userA, action: "s3:ListBucket", resource: "arn:aws:s3:::home", ctx: map[string][]string{"s3:prefix": {"alice/docs"}},
			ps: ids(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*","Condition":{"StringLike":{"s3:prefix":"${aws:username}/*"}}}]}`), want: Allowed},

		// Bad input.
		{name: "malformed identity policy: uncertain", principal: userA, action: "s3:GetObject", resource: objA, ps: ids(allowAll, `{"Statement":`), want: Uncertain, wantReason: "identity policy id1 does not parse"},
		{name: "malformed policy cannot undo an explicit deny", principal: userA, action: "s3:GetObject", resource: objA, ps: ids(deny("*", "*"), `not json`), want: ExplicitDeny},
		{name: "unknown operator: uncertain", principal: userA, action: "s3:GetObject", resource: objA,
			ps: func(t *testing.T) *PolicySet {
				return &PolicySet{Identity: []*Policy{pol(t, "bad-op", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringSortOf":{"aws:username":"alice"}}}]}`)}}
			}, want: Uncertain, wantReason: "unsupported condition operators [StringSortOf]"},
		{name: "unknown operator in a statement for another action: no effect", principal: userA, action: "s3:GetObject", resource: objA,
			ps: func(t *testing.T) *PolicySet {
				return &PolicySet{Identity: []*Policy{pol(t, "id", allowAll), pol(t, "bad-op", `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"ec2:*","Resource":"*","Condition":{"StringSortOf":{"aws:username":"alice"}}}]}`)}}
			}, want: Allowed},
		{name: "malformed resource policy: uncertain", principal: userA, action: "sqs:SendMessage", resource: qA,
			ps: with(ids(), func(t *testing.T, ps *PolicySet) {
				ps.Resource = pol(t, "bad-queue", `{"Statement":[{"Effect":"Maybe"}]}`)
			}), want: Uncertain},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ps := c.ps(t)
			d := Evaluate(&Request{Principal: c.principal, Action: c.action, Resource: c.resource, Context: c.ctx, ContextComplete: c.complete}, ps)
			if d.Result != c.want {
				t.Fatalf("result %s, want %s (%+v)", d.Result, c.want, d)
			}
			if c.wantAllow != "" && !slices.ContainsFunc(d.Allows, func(r StatementRef) bool { return r.Policy == c.wantAllow }) {
				t.Errorf("allows %+v do not name %s", d.Allows, c.wantAllow)
			}
			if c.wantDeny != "" && !slices.ContainsFunc(d.Denies, func(r StatementRef) bool { return r.Policy == c.wantDeny }) {
				t.Errorf("denies %+v do not name %s", d.Denies, c.wantDeny)
			}
			if c.wantReason != "" && !slices.ContainsFunc(d.Reasons, func(r string) bool { return strings.Contains(r, c.wantReason) }) {
				t.Errorf("reasons %q lack %q", d.Reasons, c.wantReason)
			}
			if c.wantMissing != "" && !slices.Contains(d.Missing, c.wantMissing) {
				t.Errorf("missing %v, want %s", d.Missing, c.wantMissing)
			}
			if d.Result == Uncertain && len(d.Reasons) == 0 && !slices.ContainsFunc(append(d.Allows, d.Denies...), func(r StatementRef) bool { return r.Match == "uncertain" }) {
				t.Errorf("uncertain without a reason or an uncertain statement: %+v", d)
			}
		})
	}
}

func TestCompileProblems(t *testing.T) {
	cat := fakeCatalog{"s3:getobject": true}
	_, probs := Compile("p", awspolicy.ParseText(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject","s3:GetObjectt","nosuch:*"],"Resource":"*","Condition":{"StringSortOf":{"k":"v"}}}]}`), cat)
	var msgs []string
	for _, p := range probs {
		msgs = append(msgs, p.String())
	}
	joined := strings.Join(msgs, "\n")
	for _, want := range []string{`unknown action "s3:GetObjectt"`, `unknown service in action "nosuch:*"`, `unsupported condition operator "StringSortOf"`} {
		if !strings.Contains(joined, want) {
			t.Errorf("problems %q lack %q", joined, want)
		}
	}
	p, probs := Compile("broken", awspolicy.ParseText(`{"Statement":[`), cat)
	if p.Broken == "" || len(probs) != 1 || !strings.Contains(probs[0].String(), "policy broken: policy does not parse") {
		t.Errorf("broken policy: %+v %v", p, probs)
	}
}

type fakeCatalog map[string]bool

func (f fakeCatalog) Known(a string) bool { return f[strings.ToLower(a)] }
func (f fakeCatalog) ServiceKnown(p string) bool {
	for a := range f {
		if strings.HasPrefix(a, strings.ToLower(p)+":") {
			return true
		}
	}
	return false
}
