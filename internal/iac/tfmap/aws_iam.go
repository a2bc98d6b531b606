package tfmap

import (
	"sort"

	"github.com/vigil-sec/vigil/internal/iam/awspolicy"
	"github.com/vigil-sec/vigil/internal/resource"
)

const adminPolicyARN = "arn:aws:iam::aws:policy/AdministratorAccess"

var (
	userTypes   = []string{"aws_iam_user"}
	roleTypes   = []string{"aws_iam_role"}
	groupTypes  = []string{"aws_iam_group"}
	policyTypes = []string{"aws_iam_policy"}
	// principalAttr is the attribute naming the principal of an
	// attachment, inline policy or membership, by principal type.
	principalAttr = map[string]string{"aws_iam_user": "user", "aws_iam_role": "role", "aws_iam_group": "group"}
)

// inlinePolicies reads the inline_policy blocks (roles) and the
// aws_iam_{user,role,group}_policy resources naming r.
func (m *mapper) inlinePolicies(r *inst, inlineType string) (docs []resource.NamedPolicy, names []string, admin *bool, errs []string) {
	admin = boolp(false)
	add := func(name string, pol *policy) {
		names = append(names, name)
		var doc *resource.PolicyDocument
		if pol != nil {
			doc = pol.Doc
			if doc != nil && doc.Error != "" {
				errs = append(errs, name)
			}
		}
		docs = append(docs, resource.NamedPolicy{Name: name, Document: doc})
		admin = or3(admin, pol.Admin())
	}
	blocks, st := m.blocks(r.a, "inline_policy")
	if st == unknownSt || st == bad {
		admin = nil
	}
	for _, b := range blocks {
		if _, pst := look1(b, "policy"); pst == absent {
			continue // an empty inline_policy block removes the role's inline policies
		}
		add(m.s(b, "name"), m.policyAt(b, "policy"))
	}
	for _, a := range m.attachedTo(r, inlineType) {
		m.cur = a
		name := m.s(a.a, "name")
		if name == "" {
			name = a.in.Address
		}
		add(name, m.policyAt(a.a, "policy"))
	}
	m.cur = r
	return docs, names, admin, errs
}

// managedPolicies reads the policy attachments naming r (and a role's
// managed_policy_arns): the ARNs (the address of a policy of the
// configuration whose ARN is known only after apply), has_policy to each.
func (m *mapper) managedPolicies(r *inst, out *resource.Resource, attachType string) (arns []string, admin *bool) {
	admin = boolp(false)
	addARN := func(v any) {
		switch t := v.(type) {
		case string:
			arns = append(arns, t)
			if t == adminPolicyARN {
				admin = boolp(true)
			}
		default:
			u, isU := unknownOf(v)
			if !isU {
				return
			}
			ps := m.targets(v, policyTypes...)
			for _, p := range ps {
				arns = append(arns, p.in.Address)
			}
			if len(ps) == 0 && (admin == nil || !*admin) {
				if open(u) {
					admin = nil // a variable may name AdministratorAccess
				}
			}
		}
		m.relate(out, resource.RelHasPolicy, v, policyTypes...)
	}
	l, st := m.list(r.a, "managed_policy_arns")
	if st == unknownSt || st == bad {
		admin = nil
	}
	for _, v := range l {
		addARN(v)
	}
	for _, a := range m.attachedTo(r, attachType, "aws_iam_policy_attachment") {
		v, st := look(a.a, "policy_arn")
		if st == unknownSt || st == ok {
			addARN(v)
		}
	}
	sort.Strings(arns)
	return arns, admin
}

func iamUser(m *mapper, r *inst, out *resource.Resource) {
	id := &resource.Identity{Kind: "user"}
	out.Facts.Identity = id
	m.iamPrincipal(r, out, id, "aws_iam_user_policy_attachment", "aws_iam_user_policy")
	// Console access: a login profile of the configuration. MFA devices
	// are enrolled by the user after apply (unknown).
	id.ConsoleAccess = boolp(len(m.attachedTo(r, "aws_iam_user_login_profile")) > 0)
	keys := []resource.AccessKey{}
	for _, a := range m.attachedTo(r, "aws_iam_access_key") {
		m.cur = a
		st, sst := m.str(a.a, "status")
		if sst == unknownSt || sst == bad {
			keys = nil
			break
		}
		keys = append(keys, resource.AccessKey{ID: a.in.Address, Active: sst == absent || st == "Active", UserManaged: boolp(true)})
	}
	m.cur = r
	if keys != nil {
		id.AccessKeys, id.AccessKeysKnown = keys, boolp(true)
	}
	for _, a := range m.attachedTo(r, "aws_iam_user_group_membership") {
		gs, _ := m.list(a.a, "groups")
		for _, g := range gs {
			m.memberOf(out, id, g)
		}
	}
	for _, g := range m.referrers(r, "aws_iam_group_membership", "users", userTypes...) {
		m.memberOf(out, id, g.a["group"])
	}
}

func (m *mapper) memberOf(out *resource.Resource, id *resource.Identity, g any) {
	if s, isStr := g.(string); isStr {
		id.Groups = append(id.Groups, s)
	} else if ts := m.targets(g, groupTypes...); len(ts) > 0 {
		for _, t := range ts {
			id.Groups = append(id.Groups, t.in.Address)
		}
	}
	m.relate(out, resource.RelMemberOf, g, groupTypes...)
}

func iamRole(m *mapper, r *inst, out *resource.Resource) {
	id := &resource.Identity{Kind: "role"}
	out.Facts.Identity = id
	m.iamPrincipal(r, out, id, "aws_iam_role_policy_attachment", "aws_iam_role_policy")
	if pol := m.policyAt(r.a, "assume_role_policy"); pol != nil && pol.Doc != nil {
		id.TrustPolicy = pol.Doc
		if pol.Doc.Error == "" && !pol.WhoUnknown {
			id.TrustsExternal = anyonePrincipals(pol.Doc)
		}
	}
	for _, p := range m.referrers(r, "aws_iam_instance_profile", "role", roleTypes...) {
		id.InstanceProfiles = append(id.InstanceProfiles, p.in.Address)
	}
}

// anyonePrincipals: the "*" AWS principals a trust policy allows (other
// accounts cannot be told from the configuration's own without its account).
func anyonePrincipals(d *resource.PolicyDocument) []string {
	var out []string
	for _, p := range awspolicy.ExternalPrincipals(d, "") {
		if p == "*" {
			out = append(out, p)
		}
	}
	return out
}

func (m *mapper) iamPrincipal(r *inst, out *resource.Resource, id *resource.Identity, attachType, inlineType string) {
	arns, attAdmin := m.managedPolicies(r, out, attachType)
	id.AttachedPolicies = arns
	docs, names, inAdmin, errs := m.inlinePolicies(r, inlineType)
	id.InlineDocuments, id.InlinePolicies, id.PolicyErrors = docs, names, errs
	// The principal's own answer; derivation adds what its managed
	// policies (has_policy) and groups (member_of) grant.
	id.Admin = or3(attAdmin, inAdmin)
	if s, isStr := r.a["permissions_boundary"].(string); isStr {
		id.PermissionsBoundary = s
	}
}

func iamGroup(m *mapper, r *inst, out *resource.Resource) {
	g := &resource.Group{}
	out.Facts.Group = g
	arns, attAdmin := m.managedPolicies(r, out, "aws_iam_group_policy_attachment")
	g.AttachedPolicies = arns
	docs, _, inAdmin, _ := m.inlinePolicies(r, "aws_iam_group_policy")
	g.InlineDocuments = docs
	g.Admin = or3(attAdmin, inAdmin)
	for _, a := range m.attachedTo(r, "aws_iam_group_membership") {
		for _, u := range m.targets(a.a["users"], userTypes...) {
			g.Members = append(g.Members, rid(u.in))
		}
		if us, _, _ := m.strs(a.a, "users"); len(us) > 0 && len(m.targets(a.a["users"], userTypes...)) == 0 {
			g.Members = append(g.Members, us...)
		}
	}
	for _, u := range m.referrers(r, "aws_iam_user_group_membership", "groups", groupTypes...) {
		for _, t := range m.targets(u.a["user"], userTypes...) {
			g.Members = append(g.Members, rid(t.in))
		}
	}
}

// iamPolicy: a customer-managed aws_iam_policy, with the principals its
// attachments name.
func iamPolicy(m *mapper, r *inst, out *resource.Resource) {
	pf := &resource.Policy{Managed: "customer"}
	out.Facts.Policy = pf
	if pol := m.policyAt(r.a, "policy"); pol != nil {
		pf.Document = pol.Doc
		pf.Admin = pol.Admin()
	}
	for _, a := range m.attachedTo(r, "aws_iam_user_policy_attachment", "aws_iam_role_policy_attachment", "aws_iam_group_policy_attachment", "aws_iam_policy_attachment") {
		for _, k := range []string{"user", "role", "group", "users", "roles", "groups"} {
			v := a.a[k]
			if v == nil {
				continue
			}
			if ts := m.targets(v, "aws_iam_user", "aws_iam_role", "aws_iam_group"); len(ts) > 0 {
				for _, t := range ts {
					pf.AttachedTo = append(pf.AttachedTo, rid(t.in))
				}
			} else if s, isStr := v.(string); isStr {
				pf.AttachedTo = append(pf.AttachedTo, s)
			} else if l, isList := v.([]any); isList {
				for _, e := range l {
					if s, isStr := e.(string); isStr {
						pf.AttachedTo = append(pf.AttachedTo, s)
					}
				}
			}
		}
	}
	for _, p := range m.referrers(r, "aws_iam_role", "managed_policy_arns", policyTypes...) {
		pf.AttachedTo = append(pf.AttachedTo, rid(p.in))
	}
	pf.Attached = boolp(len(pf.AttachedTo) > 0)
}

// inlinePolicy: aws_iam_{user,role,group}_policy, a resource of its own
// (its document judged) and joined onto its principal.
func inlinePolicy(m *mapper, r *inst, out *resource.Resource) {
	pf := &resource.Policy{Managed: "inline"}
	out.Facts.Policy = pf
	if pol := m.policyAt(r.a, "policy"); pol != nil {
		pf.Document = pol.Doc
		pf.Admin = pol.Admin()
	}
	for _, k := range []string{"user", "role", "group"} {
		v := r.a[k]
		if v == nil {
			continue
		}
		if ts := m.targets(v, "aws_iam_user", "aws_iam_role", "aws_iam_group"); len(ts) > 0 {
			for _, t := range ts {
				pf.AttachedTo = append(pf.AttachedTo, rid(t.in))
			}
		} else if s, isStr := v.(string); isStr {
			pf.AttachedTo = append(pf.AttachedTo, s)
		}
	}
	pf.Attached = boolp(len(pf.AttachedTo) > 0)
}
