package awsiam

// How the package is organised:
//
// Two levels:
//   - Compile and Evaluate decide one Request under a PolicySet.
//   - New builds an Evaluator from an inventory's typed resources
//     (principals, groups, managed and inline policies, boundaries, trust
//     policies, accounts' SCP/RCP chains; AWS managed policies come from the
//     embedded reference data, internal/identity/refdata/aws), then
//     IsAllowed, ActionsOn, Actions (escalation search) and AllowedActions
//     (what-can), WhoCan (who-can) only match. An Evaluator is safe for
//     concurrent use.
//
// Answers are four-valued: Allowed, ExplicitDeny/ImplicitDeny, Conditional
// (a condition on a request-context key the question does not carry) and
// Uncertain (a policy that does not parse or is not in the inventory, an
// undocumented condition operator, an action the catalog does not know).
// Neither is ever turned into an allow or a deny by guess; Decision names
// the statements that decided and why.
//
// The differential test (oracle_test.go) checks Evaluate against
// @cloud-copilot/iam-simulate on thousands of seeded random cases. Where the
// two differ by design: the root user cannot assume a role (AWS documents
// it); a role's trust policy is required even in the same account (every
// role has one); a resource-policy grant naming the role session is not
// limited by the session policy (AWS documents it; the oracle limits it).

import (
	"fmt"
	"sort"
	"strings"

	"github.com/vigil-sec/vigil/internal/identity/decision"
)

// Result is the outcome of an evaluation: the type the Azure and GCP
// evaluators answer with too (internal/identity/decision), so the identity
// graph reads the three clouds alike.
type Result = decision.Result

// Results.
const (
	// ImplicitDeny: no policy allows the request (or a required level, an
	// SCP level, the boundary, does not).
	ImplicitDeny = decision.ImplicitDeny
	// ExplicitDeny: a Deny statement matches.
	ExplicitDeny = decision.ExplicitDeny
	// Allowed: the request is allowed.
	Allowed = decision.Allowed
	// Conditional: the answer depends on request context keys the request
	// does not carry (Decision.Missing).
	Conditional = decision.Conditional
	// Uncertain: the answer depends on a policy vigil could not read or an
	// operator it does not know (Decision.Reasons).
	Uncertain = decision.Uncertain
)

// PolicyKind says where a policy applies.
type PolicyKind string

// Policy kinds.
const (
	KindIdentity PolicyKind = "identity"
	KindBoundary PolicyKind = "permissions_boundary"
	KindSession  PolicyKind = "session"
	KindSCP      PolicyKind = "scp"
	KindRCP      PolicyKind = "rcp"
	KindResource PolicyKind = "resource"
)

// StatementRef names a statement that took part in a decision.
type StatementRef struct {
	Kind   PolicyKind `json:"kind"`
	Policy string     `json:"policy"`
	// Index is the statement's position in the document (0-based).
	Index int    `json:"index"`
	Sid   string `json:"sid,omitempty"`
	// Effect is Allow or Deny.
	Effect string `json:"effect"`
	// Level is the organization node of an SCP or RCP statement.
	Level string `json:"level,omitempty"`
	// Match is how the statement applies: "true", "conditional" or
	// "uncertain".
	Match string `json:"match"`
}

// Decision is the answer for one request, with what decided it.
type Decision struct {
	Result Result `json:"result"`
	// Allows are the Allow statements that matched (or may match, for a
	// Conditional or Uncertain result); Denies the Deny statements.
	Allows []StatementRef `json:"allows,omitempty"`
	Denies []StatementRef `json:"denies,omitempty"`
	// Missing are the context keys a Conditional result depends on.
	Missing []string `json:"missing,omitempty"`
	// Reasons explain an implicit deny (which required level did not
	// allow) or an Uncertain result (which policy could not be read).
	Reasons []string `json:"reasons,omitempty"`
}

// PolicySet is every policy that applies to one request.
type PolicySet struct {
	// Identity: the principal's managed, inline and group policies.
	Identity []*Policy
	// Boundary: the permissions boundary; nil when none.
	Boundary *Policy
	// Session: session policies; empty when none.
	Session []*Policy
	// SCPs over the principal's account, RCPs over the resource's account;
	// nil when they do not apply (no organization, the management account).
	SCPs *OrgChain
	RCPs *OrgChain
	// Resource: the resource's policy (bucket policy, role trust policy,
	// key policy...); nil when it has none.
	Resource *Policy
	// ResourceUnknown says the resource may have a policy vigil does not
	// know: a resource policy that could allow makes answers Uncertain
	// rather than denied.
	ResourceUnknown bool
}

// OrgChain is the organization policies of one type over an account, root
// first: at every level some policy must allow (SCPs) and no policy may
// deny.
type OrgChain struct {
	Levels []OrgLevel
	// Incomplete says levels or policies may be missing: a deny is
	// certain, an allow is not.
	Incomplete string
}

// OrgLevel is one node of the organization tree with its policies.
type OrgLevel struct {
	Target   string
	Policies []*Policy
}

// collector gathers the statements that matched while evaluating.
type collector struct {
	allows, denies []StatementRef
	reasons        []string
}

func (c *collector) add(kind PolicyKind, p *Policy, st *stmt, level string, t truth) {
	eff := "Deny"
	if st.allow {
		eff = "Allow"
	}
	ref := StatementRef{Kind: kind, Policy: p.Name, Index: st.idx, Sid: st.sid, Effect: eff, Level: level, Match: t.String()}
	if t == tUnc && len(st.badOps) > 0 {
		c.reasons = append(c.reasons, fmt.Sprintf("%s policy %s statement %s uses unsupported condition operators %v", kind, p.Name, stmtLabel(st.idx, st.sid), st.badOps))
	}
	if st.allow {
		c.allows = append(c.allows, ref)
	} else {
		c.denies = append(c.denies, ref)
	}
}

// scan evaluates the statements of policies of one kind for the request
// and returns whether some Allow and some Deny statement matches. A broken
// policy may do either: both are uncertain.
func scan(s *requestState, c *collector, kind PolicyKind, level string, ps []*Policy, principal bool) (allow, deny truth) {
	for _, p := range ps {
		if p == nil {
			continue
		}
		if p.Broken != "" {
			allow, deny = or(allow, tUnc), or(deny, tUnc)
			c.reasons = append(c.reasons, string(kind)+" policy "+p.Name+" does not parse: "+p.Broken)
			continue
		}
		p.forEach(s.action, func(st *stmt) {
			t := matchStmt(s, st, principal, nil)
			if t == tFalse {
				return
			}
			c.add(kind, p, st, level, t)
			if st.allow {
				allow = or(allow, t)
			} else {
				deny = or(deny, t)
			}
		})
	}
	return allow, deny
}

// matchStmt decides whether a statement applies (action already matched).
// For resource policies (principal true), level receives how the
// principal matched.
func matchStmt(s *requestState, st *stmt, principal bool, level *prinLevel) truth {
	t := st.matchResource(s, s.req.Resource)
	if t == tFalse {
		return tFalse
	}
	if principal {
		l := st.matchPrincipal(s.principal)
		if l == prinNone {
			return tFalse
		}
		if level != nil {
			*level = l
		}
	}
	return and(t, st.matchConditions(s))
}

// Evaluate decides a request under a policy set, following AWS's policy
// evaluation logic: an explicit deny in any policy wins; SCPs must allow at
// every level of the principal's account chain; RCPs over the resource's
// account must not deny; then, in the same account, an identity-policy
// allow within the boundary and session policies, or a resource-policy
// allow naming the principal (not limited by the boundary or session
// policy, except when it names a role rather than its session); across
// accounts, both an identity-policy allow and a resource-policy allow.
func Evaluate(req *Request, ps *PolicySet) Decision {
	s := newRequestState(req)
	return evaluate(s, ps)
}

func evaluate(s *requestState, ps *PolicySet) Decision {
	c := &collector{}
	pi := s.principal
	if s.action == "sts:getcalleridentity" && pi.kind != "anonymous" {
		// No policy can deny GetCallerIdentity.
		return Decision{Result: Allowed, Reasons: []string{"sts:GetCallerIdentity is always allowed"}}
	}
	// Service principals and federated identities (through their provider)
	// have no identity policies: the resource policy alone decides.
	service := pi.kind == "service" || pi.kind == "provider"
	anonymous := pi.kind == "anonymous"

	idAllow, idDeny := tFalse, tFalse
	bAllow, bDeny := tTrue, tFalse
	sAllow, sDeny := tTrue, tFalse
	scpOK, scpDeny := tTrue, tFalse
	if !service && !anonymous {
		idAllow, idDeny = scan(s, c, KindIdentity, "", ps.Identity, false)
		if ps.Boundary != nil {
			bAllow, bDeny = scan(s, c, KindBoundary, "", []*Policy{ps.Boundary}, false)
		}
		if len(ps.Session) > 0 {
			sAllow, sDeny = scan(s, c, KindSession, "", ps.Session, false)
		}
		if ps.SCPs != nil && !isServiceLinkedRole(pi) {
			for _, lv := range ps.SCPs.Levels {
				a, d := scan(s, c, KindSCP, lv.Target, lv.Policies, false)
				scpDeny = or(scpDeny, d)
				if a == tFalse {
					c.reasons = append(c.reasons, "no SCP at "+lv.Target+" allows "+s.req.Action)
				}
				scpOK = and(scpOK, a)
			}
			if ps.SCPs.Incomplete != "" {
				scpOK = and(scpOK, tUnc)
				c.reasons = append(c.reasons, "SCP chain incomplete: "+ps.SCPs.Incomplete)
			}
		}
	}
	rcpDeny := tFalse
	if ps.RCPs != nil && !service {
		for _, lv := range ps.RCPs.Levels {
			// RCPFullAWSAccess is always attached: only denies restrict.
			_, d := scan(s, c, KindRCP, lv.Target, lv.Policies, false)
			rcpDeny = or(rcpDeny, d)
		}
	}

	// Resource policy: allows and denies by how the principal matched.
	rDirect, rRole, rAcct, rDeny := tFalse, tFalse, tFalse, tFalse
	if p := ps.Resource; p != nil {
		if p.Broken != "" {
			rDirect, rRole, rAcct, rDeny = tUnc, tUnc, tUnc, tUnc
			c.reasons = append(c.reasons, "resource policy "+p.Name+" does not parse: "+p.Broken)
		} else {
			p.forEach(s.action, func(st *stmt) {
				var lvl prinLevel
				if !st.allow && st.notPrin && ps.Boundary != nil {
					// A Deny with NotPrincipal always denies a principal
					// that has a permissions boundary (AWS documents it).
					lvl = prinDirect
					t := and(st.matchResource(s, s.req.Resource), st.matchConditions(s))
					if t != tFalse {
						c.add(KindResource, p, st, "", t)
						rDeny = or(rDeny, t)
					}
					return
				}
				t := matchStmt(s, st, true, &lvl)
				if t == tFalse {
					return
				}
				c.add(KindResource, p, st, "", t)
				switch {
				case !st.allow:
					rDeny = or(rDeny, t)
				case lvl == prinDirect:
					rDirect = or(rDirect, t)
				case lvl == prinRole:
					rRole = or(rRole, t)
				case lvl == prinAccount:
					rAcct = or(rAcct, t)
				}
			})
		}
	}
	if ps.ResourceUnknown {
		rDirect, rRole, rAcct = or(rDirect, tUnc), or(rRole, tUnc), or(rAcct, tUnc)
		c.reasons = append(c.reasons, "the resource's policy is not in the inventory")
	}

	deny := or(or(or(idDeny, bDeny), or(sDeny, scpDeny)), or(rcpDeny, rDeny))
	var grant truth
	within := and(bAllow, sAllow)
	identity := and(idAllow, within)
	needsResourcePolicy := !s.anyResource && resourcePolicyRequired(s)
	sameAccount := pi.account != "" && pi.account == s.resAcct
	switch {
	case service || anonymous:
		grant = rDirect
	case sameAccount && needsResourcePolicy:
		grant = or(or(rDirect, and(rRole, within)), and(rAcct, identity))
	case sameAccount:
		grant = or(or(identity, rDirect), and(rRole, within))
	default:
		grant = and(or(or(rDirect, rRole), rAcct), identity)
	}
	if grant == tFalse {
		switch {
		case idAllow == tFalse && rDirect == tFalse && rRole == tFalse:
			c.reasons = append(c.reasons, "no identity or resource policy allows "+s.req.Action)
		case !sameAccount && idAllow != tFalse && or(or(rDirect, rRole), rAcct) == tFalse:
			c.reasons = append(c.reasons, "cross-account: the resource policy does not allow the principal")
		case !sameAccount && idAllow == tFalse:
			c.reasons = append(c.reasons, "cross-account: no identity policy allows "+s.req.Action)
		case bAllow == tFalse:
			c.reasons = append(c.reasons, "the permissions boundary does not allow "+s.req.Action)
		case sAllow == tFalse:
			c.reasons = append(c.reasons, "the session policy does not allow "+s.req.Action)
		case needsResourcePolicy:
			c.reasons = append(c.reasons, "the resource policy must allow the principal for "+s.req.Action)
		}
	}
	final := and(and(not(deny), scpOK), grant)
	if pi.kind == "root" && strings.HasPrefix(s.action, "sts:assumerole") && final != tFalse && deny != tTrue {
		final = tFalse
		c.reasons = append(c.reasons, "the root user cannot assume a role")
	}
	if r := immutableTarget(s); r != "" && final != tFalse && deny != tTrue {
		final = tFalse
		c.reasons = append(c.reasons, r)
	}

	d := Decision{Allows: c.allows, Denies: c.denies}
	switch {
	case deny == tTrue:
		d.Result = ExplicitDeny
		d.Allows = nil
		d.Denies = onlyTrue(c.denies)
	case final == tTrue:
		d.Result = Allowed
		d.Denies = nil
	case final == tFalse:
		d.Result = ImplicitDeny
		d.Allows = nil
		d.Reasons = c.reasons
	case final == tCond:
		d.Result = Conditional
	default:
		d.Result = Uncertain
		d.Reasons = c.reasons
	}
	if d.Result == Conditional || d.Result == Uncertain {
		for k := range s.missing {
			d.Missing = append(d.Missing, k)
		}
		sort.Strings(d.Missing)
	}
	if d.Result == Allowed {
		d.Allows = onlyTrue(d.Allows)
	}
	return d
}

func onlyTrue(refs []StatementRef) []StatementRef {
	out := refs[:0:0]
	for _, r := range refs {
		if r.Match == "true" {
			out = append(out, r)
		}
	}
	return out
}

// resourcePolicyRequired: requests AWS allows only when the resource's
// own policy allows them, even in the same account: assuming a role (its
// trust policy) and using a KMS key (its key policy).
func resourcePolicyRequired(s *requestState) bool {
	return requiresResourcePolicy(s.action, s.req.Resource)
}

// requiresResourcePolicy: see resourcePolicyRequired; action lower-cased.
func requiresResourcePolicy(action, res string) bool {
	svc, _, _ := strings.Cut(action, ":")
	switch svc {
	case "sts":
		return strings.HasPrefix(action, "sts:assumerole") || action == "sts:tagsession" || action == "sts:setsourceidentity" || action == "sts:setcontext"
	case "kms":
		parts := strings.SplitN(res, ":", 6)
		return len(parts) == 6 && strings.HasPrefix(parts[5], "key/")
	}
	return false
}

// isServiceLinkedRole: SCPs do not restrict service-linked roles.
func isServiceLinkedRole(pi principalInfo) bool {
	return (pi.kind == "role" && strings.Contains(pi.arn, ":role/aws-service-role/"))
}

// managedPolicyWrites and reservedRoleWrites are the IAM actions AWS
// refuses on AWS managed policies and on roles under /aws-reserved/
// (IAM Identity Center roles), whatever the policies say.
var managedPolicyWrites = map[string]bool{
	"iam:createpolicyversion": true, "iam:deletepolicy": true, "iam:deletepolicyversion": true,
	"iam:setdefaultpolicyversion": true, "iam:tagpolicy": true, "iam:untagpolicy": true, "iam:createpolicy": true,
}

var reservedRoleWrites = map[string]bool{
	"iam:attachrolepolicy": true, "iam:createrole": true, "iam:deleterole": true, "iam:deleterolepermissionsboundary": true,
	"iam:deleterolepolicy": true, "iam:detachrolepolicy": true, "iam:putrolepermissionsboundary": true,
	"iam:putrolepolicy": true, "iam:updateassumerolepolicy": true, "iam:updaterole": true, "iam:updateroledescription": true,
	"iam:tagrole": true, "iam:untagrole": true, "iam:passrole": true, "iam:createservicelinkedrole": true, "iam:deleteservicelinkedrole": true,
}

// immutableTarget returns why AWS refuses the request whatever the
// policies say, "" when it does not.
func immutableTarget(s *requestState) string {
	if s.service != "iam" {
		return ""
	}
	parts := strings.SplitN(s.req.Resource, ":", 6)
	if len(parts) != 6 {
		return ""
	}
	if parts[4] == "aws" && strings.HasPrefix(parts[5], "policy/") && managedPolicyWrites[s.action] {
		return "AWS managed policies cannot be changed"
	}
	if strings.HasPrefix(parts[5], "role/aws-reserved/") && reservedRoleWrites[s.action] {
		return "roles under /aws-reserved/ cannot be changed"
	}
	return ""
}
