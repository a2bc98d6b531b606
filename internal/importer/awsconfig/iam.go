package awsconfig

import (
	"fmt"
	"strings"

	"github.com/vigil-sec/vigil/internal/iam/awspolicy"
	"github.com/vigil-sec/vigil/internal/importer/internal/attr"
	"github.com/vigil-sec/vigil/internal/resource"
)

const adminPolicyARN = "arn:aws:iam::aws:policy/AdministratorAccess"

// policyProblem reports a policy document that did not parse, naming the
// principal (or policy) and the policy.
func policyProblem(n node, field, owner, policy string, doc *resource.PolicyDocument) {
	n.C.Problems = append(n.C.Problems, attr.Problem{Resource: n.C.ID, Field: field,
		Err: fmt.Sprintf("%s: policy %q of %s does not parse: %s", n.C.ID, policy, owner, doc.Error)})
}

// attachedPolicies reads attachedManagedPolicies: the ARNs, with a
// has_policy relationship to each. ok is false when the list is of the
// wrong shape.
func attachedPolicies(r *resource.Resource, cfg node) (arns []string, admin, known bool) {
	before := cfg.C.Count()
	ps, st := cfg.Objs("attachedManagedPolicies")
	for _, p := range ps {
		arn := p.S("policyArn")
		if arn == "" {
			continue
		}
		arns = append(arns, arn)
		attr.Relate(r, resource.RelHasPolicy, arn)
		if arn == adminPolicyARN {
			admin = true
		}
	}
	if st == bad || cfg.C.Count() != before {
		return nil, false, false
	}
	return arns, admin, true
}

// inlinePolicies reads an inline policy list (userPolicyList,
// rolePolicyList, groupPolicyList): the named, parsed documents. Each
// document that does not parse is reported and named in errs. known is
// false when the list is of the wrong shape.
func inlinePolicies(r *resource.Resource, cfg node, key string) (docs []resource.NamedPolicy, names, errs []string, known bool) {
	before := cfg.C.Count()
	ps, st := cfg.Objs(key)
	var broken []func()
	for i, p := range ps {
		name := p.S("policyName")
		v, vst := p.Lookup("policyDocument")
		var doc *resource.PolicyDocument
		switch vst {
		case ok:
			switch v.(type) {
			case string, attr.M, *attr.Object:
				doc = awspolicy.Parse(attr.Plain(v))
			default:
				p.C.Wrong(p.Field("policyDocument"), "string", v)
			}
		}
		if doc != nil && doc.Error != "" {
			field := fmt.Sprintf("configuration.%s[%d].policyDocument", key, i)
			broken = append(broken, func() { policyProblem(p, field, r.Name, name, doc) })
			errs = append(errs, name)
		}
		names = append(names, name)
		docs = append(docs, resource.NamedPolicy{Name: name, Document: doc})
	}
	wrong := st == bad || cfg.C.Count() != before
	for _, f := range broken { // reported after the type check: a document that does not parse is kept
		f()
	}
	if wrong {
		return nil, nil, errs, false
	}
	return docs, names, errs, true
}

// adminOf decides admin from what the item says: an AdministratorAccess
// attachment or an inline document granting "*" on "*" make it true; with
// neither, a document or list that could not be read leaves it unknown.
// Attached customer-managed policies and groups are resolved by derivation.
func adminOf(attachedAdmin, attachedKnown bool, inline []resource.NamedPolicy, inlineKnown bool) *bool {
	if attachedAdmin {
		return boolp(true)
	}
	docs := make([]*resource.PolicyDocument, 0, len(inline))
	for _, p := range inline {
		if p.Document == nil {
			docs = append(docs, &resource.PolicyDocument{Error: "missing"})
			continue
		}
		docs = append(docs, p.Document)
	}
	a := awspolicy.AnyAdmin(docs...)
	if a != nil && *a {
		return a
	}
	if a == nil || !attachedKnown || !inlineKnown {
		return nil
	}
	return boolp(false)
}

// groupARN is the ARN of a group named in a user's groupList (which gives
// names only): groups carry it as an alias whatever their path.
func groupARN(acct, name string) string { return "arn:aws:iam::" + acct + ":group/" + name }

// iamPrincipal fills identity facts for users and roles: attached and
// inline policies (typed), groups, trust policy, permissions boundary and
// instance profiles. Admin is decided here when the answer is in the item.
func iamPrincipal(kind string) normalizer {
	return func(it *item) {
		r, cfg := it.r, it.cfg
		r.Class = resource.ClassIdentity
		id := &resource.Identity{Kind: kind}
		r.Facts.Identity = id
		if !cfg.Present() {
			return
		}
		if name := cfg.S(kind + "Name"); name != "" {
			r.Name = name
		}
		arns, attAdmin, attKnown := attachedPolicies(r, cfg)
		id.AttachedPolicies = arns
		docs, names, errs, inKnown := inlinePolicies(r, cfg, kind+"PolicyList")
		id.InlineDocuments, id.InlinePolicies, id.PolicyErrors = docs, names, errs
		id.Admin = adminOf(attAdmin, attKnown, docs, inKnown)
		if kind == "role" {
			v, st := cfg.Lookup("assumeRolePolicyDocument")
			if st == ok {
				switch v.(type) {
				case string, attr.M, *attr.Object:
					id.TrustPolicy = awspolicy.Parse(attr.Plain(v))
				default:
					cfg.C.Wrong(cfg.Field("assumeRolePolicyDocument"), "string", v)
				}
			}
			if tp := id.TrustPolicy; tp != nil {
				if tp.Error != "" {
					policyProblem(cfg, "configuration.assumeRolePolicyDocument", r.Name, "trust policy", tp)
					id.PolicyErrors = append(id.PolicyErrors, "trust policy")
				} else {
					id.TrustsExternal = awspolicy.ExternalPrincipals(tp, r.Account)
				}
			}
			ips, _ := cfg.Objs("instanceProfileList")
			for _, ip := range ips {
				if arn := ip.S("arn"); arn != "" {
					id.InstanceProfiles = append(id.InstanceProfiles, arn)
				}
			}
		}
		id.PermissionsBoundary = cfg.S("permissionsBoundary", "permissionsBoundaryArn")
		if groups, st := cfg.Strs("groupList"); st == ok {
			id.Groups = groups
			for _, g := range groups {
				target := g
				if !strings.HasPrefix(g, "arn:") {
					target = groupARN(r.Account, g)
				}
				attr.Relate(r, resource.RelMemberOf, target)
			}
		}
	}
}

// iamGroup fills group facts: attached and inline policies and, from the
// item's relationships, its member users.
func iamGroup(it *item) {
	r, cfg := it.r, it.cfg
	r.Class = resource.ClassGroup
	g := &resource.Group{}
	r.Facts.Group = g
	if !cfg.Present() {
		return
	}
	if name := cfg.S("groupName"); name != "" {
		r.Name = name
		if alias := groupARN(r.Account, name); alias != r.ID {
			r.Aliases = append(r.Aliases, alias)
		}
	}
	arns, attAdmin, attKnown := attachedPolicies(r, cfg)
	g.AttachedPolicies = arns
	docs, _, _, inKnown := inlinePolicies(r, cfg, "groupPolicyList")
	g.InlineDocuments = docs
	g.Admin = adminOf(attAdmin, attKnown, docs, inKnown)
	rels, _ := it.relationships()
	for _, rel := range rels {
		if rel.S("resourceType") != "AWS::IAM::User" {
			continue
		}
		if m := rel.S("resourceName"); m != "" {
			g.Members = append(g.Members, m)
		} else if m := rel.S("resourceId"); m != "" {
			g.Members = append(g.Members, m)
		}
	}
}

// iamPolicy fills a managed policy: who manages it, the document of its
// default version, whether it grants admin and whether it is attached.
func iamPolicy(it *item) {
	r, cfg := it.r, it.cfg
	r.Class = resource.ClassIAMPolicy
	p := &resource.Policy{Managed: "customer"}
	if strings.Contains(r.ID, ":aws:policy/") {
		p.Managed = "aws"
	}
	r.Facts.Policy = p
	if !cfg.Present() {
		return
	}
	if name := cfg.S("policyName"); name != "" {
		r.Name = name
	}
	if n, st := cfg.Integer("attachmentCount"); st == ok {
		p.Attached = boolp(*n > 0)
	}
	def := cfg.S("defaultVersionId")
	versions, _ := cfg.Objs("policyVersionList")
	for i, v := range versions {
		isDef := v.B("isDefaultVersion")
		if !(isDef != nil && *isDef) && (def == "" || v.S("versionId") != def) {
			continue
		}
		dv, st := v.Lookup("document")
		if st != ok {
			continue
		}
		switch dv.(type) {
		case string, attr.M, *attr.Object:
			p.Document = awspolicy.Parse(attr.Plain(dv))
		default:
			v.C.Wrong(v.Field("document"), "string", dv)
			continue
		}
		if p.Document != nil && p.Document.Error != "" {
			policyProblem(v, fmt.Sprintf("configuration.policyVersionList[%d].document", i), "managed policy "+r.Name, r.Name, p.Document)
		}
		break
	}
	p.Admin = awspolicy.Admin(p.Document)
	before := cfg.C.Count()
	rels, _ := it.relationships()
	for _, rel := range rels {
		switch rel.S("resourceType") {
		case "AWS::IAM::User", "AWS::IAM::Role", "AWS::IAM::Group":
			if t, st := rel.Str("resourceId"); st == ok && t != "" {
				p.AttachedTo = append(p.AttachedTo, t)
			} else if t := rel.S("resourceName"); st == absent && t != "" {
				p.AttachedTo = append(p.AttachedTo, t)
			}
		}
	}
	if cfg.C.Count() != before {
		p.AttachedTo = nil
	}
	if len(p.AttachedTo) > 0 {
		p.Attached = boolp(true)
	}
}
