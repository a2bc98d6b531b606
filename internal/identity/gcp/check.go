package gcpiam

import (
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"

	"github.com/vigil-sec/vigil/internal/identity/decision"
)

// match says whether a binding's member covers the asked member.
type match struct {
	ok, certain bool
	via         []string
	reason      string
}

// memberMatch reports whether bp (a binding's normalized member) covers the
// asked member m, in being m and the groups it is in.
func (e *Evaluator) memberMatch(bp, m string, in map[string][]string) match {
	if via, ok := in[bp]; ok {
		return match{ok: true, certain: true, via: via}
	}
	kind, rest, _ := strings.Cut(bp, ":")
	switch {
	case bp == "allUsers":
		return match{ok: true, certain: true}
	case bp == "allAuthenticatedUsers":
		return match{ok: m != "allUsers", certain: true}
	case kind == "domain":
		return match{ok: strings.HasPrefix(m, "user:") && strings.HasSuffix(m, "@"+rest), certain: true}
	case kind == "group":
		if e.known[bp] || m == "allUsers" || m == "allAuthenticatedUsers" {
			return match{}
		}
		return match{ok: true, reason: fmt.Sprintf("membership of %s is not in the inventory", bp)}
	case kind == "projectOwner" || kind == "projectEditor" || kind == "projectViewer":
		return e.convenience(kind, rest, in)
	case strings.HasPrefix(bp, "principalSet://"):
		set := strings.TrimPrefix(bp, "principalSet://")
		pool, attr, ok := strings.Cut(set, "/workloadIdentityPools/")
		if !ok || !strings.HasPrefix(m, "principal://") {
			return match{}
		}
		poolID, sel, _ := strings.Cut(attr, "/")
		prefix := pool + "/workloadIdentityPools/" + poolID + "/"
		if !strings.HasPrefix(strings.TrimPrefix(m, "principal://"), prefix) {
			return match{}
		}
		if sel == "*" {
			return match{ok: true, certain: true}
		}
		return match{ok: true, reason: fmt.Sprintf("whether %s is in %s depends on its token's attributes", m, bp)}
	}
	return match{}
}

// convenience matches projectOwner:P, projectEditor:P and projectViewer:P:
// the members holding roles/owner, roles/editor or roles/viewer on project P.
func (e *Evaluator) convenience(kind, project string, in map[string][]string) match {
	role := map[string]string{"projectOwner": "roles/owner", "projectEditor": "roles/editor", "projectViewer": "roles/viewer"}[kind]
	sb := e.byScope[e.node("projects/"+project)]
	if sb == nil {
		return match{}
	}
	best := match{}
	for k, via := range in {
		for _, bd := range sb.direct[k] {
			if bd.b.Role != role {
				continue
			}
			if bd.b.Condition == nil {
				return match{ok: true, certain: true, via: via}
			}
			best = match{ok: true, via: via, reason: fmt.Sprintf("%s:%s holds %s under a condition", kind, project, role)}
		}
	}
	return best
}

// Check answers one request.
func (e *Evaluator) Check(req Request) Decision {
	m := e.member(req.Member)
	in := decision.Memberships(m, e.groupOf)
	keys := slices.Sorted(maps.Keys(in)) // a stable order of grants
	scopes, maybe := e.ancestors(req.Resource)
	var rt [2]string
	rt[0], rt[1] = requestType(req.Permission, e.types[scopes[0]])
	var allows, denies []Grant
	visit := func(bd *bind, mt match, outside string) {
		g := Grant{Binding: bd.id, Principal: bd.b.Principal, Via: mt.via, Scope: bd.b.Scope, Role: bd.b.Role, Match: MatchTrue}
		if bd.deny != nil {
			pat, ok := bd.deny.matches(req.Permission)
			if !ok {
				return
			}
			for _, x := range bd.deny.exempt {
				xm := e.memberMatch(x, m, in)
				if xm.ok && xm.certain {
					return
				}
				if xm.ok && mt.certain {
					mt = match{ok: true, reason: fmt.Sprintf("deny rule %s exempts %s: %s", bd.id, x, xm.reason)}
				}
			}
			g.Deny, g.Pattern = true, pat
			if e.settle(&g, mt, bd, outside, rt) {
				denies = append(denies, g)
			}
			return
		}
		if bd.role == nil {
			g.Match, g.Reason = MatchUncertain, fmt.Sprintf("role %s is neither a custom role of the inventory nor a predefined role", bd.b.Role)
			allows = append(allows, g)
			return
		}
		if !bd.role.has(req.Permission) {
			return
		}
		g.RoleName, g.Pattern = bd.role.title, req.Permission
		if e.settle(&g, mt, bd, outside, rt) {
			allows = append(allows, g)
		}
	}
	scan := func(s, outside string) {
		sb := e.byScope[s]
		if sb == nil {
			return
		}
		for _, k := range keys {
			for _, bd := range sb.direct[k] {
				visit(bd, match{ok: true, certain: true, via: in[k]}, outside)
			}
		}
		for _, bd := range sb.special {
			if _, direct := in[bd.principal]; direct && bd.indexed {
				continue // visited above
			}
			if mt := e.memberMatch(bd.principal, m, in); mt.ok {
				visit(bd, mt, outside)
			}
		}
	}
	for _, s := range scopes {
		scan(s, "")
	}
	for _, s := range maybe {
		scan(s, fmt.Sprintf("the place of %s in the resource hierarchy is not fully in the inventory: bindings on %s may apply", req.Resource, s))
	}
	return decision.Decide(allows, denies)
}

// settle sets how a grant applies: uncertain when the member match or the
// scope is, conditional under an IAM condition the inventory cannot decide,
// else certain. It returns false when the condition is decided false: the
// binding does not apply to this request.
func (e *Evaluator) settle(g *Grant, mt match, bd *bind, outside string, rt [2]string) bool {
	if c := bd.b.Condition; c != nil && c.Expression != "" {
		g.Condition = c.Expression
		switch e.cond.decide(c.Expression, rt[0], rt[1]) {
		case fails:
			return false
		case holds:
			g.Reason = "IAM condition holds for a request on " + rt[0]
		default:
			title := ""
			if c.Title != "" {
				title = " (" + c.Title + ")"
			}
			g.Match, g.Reason = MatchConditional, "IAM condition"+title+": "+c.Expression
		}
	}
	switch {
	case outside != "":
		g.Match, g.Reason = MatchUncertain, outside
	case !mt.certain:
		g.Match, g.Reason = MatchUncertain, mt.reason
	}
	return true
}

// WhoCan lists the members that have permission on resource: those named
// by a binding on the resource or above whose role includes it (or whose
// role is unknown), the known members of such groups and the holders behind
// projectOwner/Editor/Viewer, each with its decision; members whose
// decision is a deny are left out. Sorted by member.
func (e *Evaluator) WhoCan(permission, res string) []Holder {
	scopes, maybe := e.ancestors(res)
	scopes = append(scopes, maybe...)
	cand := map[string]bool{}
	var add func(p string)
	add = func(p string) {
		if cand[p] {
			return
		}
		cand[p] = true
		for _, m := range e.members[p] {
			add(m)
		}
		if kind, project, ok := strings.Cut(p, ":"); ok && strings.HasPrefix(kind, "project") {
			role := map[string]string{"projectOwner": "roles/owner", "projectEditor": "roles/editor", "projectViewer": "roles/viewer"}[kind]
			if sb := e.byScope[e.node("projects/"+project)]; sb != nil {
				for k, bds := range sb.direct {
					for _, bd := range bds {
						if bd.b.Role == role {
							add(k)
						}
					}
				}
			}
		}
	}
	for _, s := range scopes {
		sb := e.byScope[s]
		if sb == nil {
			continue
		}
		for _, bds := range sb.direct {
			for _, bd := range bds {
				if bd.role == nil || bd.role.has(permission) {
					add(bd.principal)
				}
			}
		}
		for _, bd := range sb.special {
			if bd.deny == nil && (bd.role == nil || bd.role.has(permission)) {
				add(bd.principal)
			}
		}
	}
	out := make([]Holder, 0, len(cand))
	for p := range cand {
		d := e.Check(Request{Member: p, Permission: permission, Resource: res})
		if d.Result.Denied() {
			continue
		}
		h := Holder{Principal: p, Decision: d}
		if k, _, ok := strings.Cut(p, ":"); ok && !strings.HasPrefix(p, "principal") {
			h.Type = k
		} else {
			h.Type = p
		}
		if info := e.info[p]; info != nil {
			h.Resource, h.Name = info.Resource, info.Name
		}
		out = append(out, h)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Principal < out[j].Principal })
	return out
}

// AdminPermission returns the permission that makes a member administrator
// of an organization node: setIamPolicy on it, which lets it grant any role
// there, itself included (roles/owner, roles/resourcemanager.*Admin,
// roles/iam.securityAdmin, custom roles holding it).
func AdminPermission(node string) string {
	switch {
	case strings.Contains(node, "organizations/"):
		return "resourcemanager.organizations.setIamPolicy"
	case strings.Contains(node, "folders/"):
		return "resourcemanager.folders.setIamPolicy"
	}
	return "resourcemanager.projects.setIamPolicy"
}

// Admins lists the members that may set the IAM policy of an organization,
// folder or project (of the project a resource is in, for any other
// resource).
func (e *Evaluator) Admins(node string) []Holder {
	n := e.node(node)
	if !e.isNode(n) {
		if p := e.projectOf(n); p != "" {
			n = p
		}
	}
	return e.WhoCan(AdminPermission(n), n)
}

// ProjectAdmins returns Admins for every project of the inventory, by its
// resource ID.
func (e *Evaluator) ProjectAdmins() map[string][]Holder {
	out := make(map[string][]Holder, len(e.projects))
	for _, p := range e.projects {
		out[p] = e.Admins(p)
	}
	return out
}

// GrantsOf lists every binding and deny rule that reaches the member, on
// any resource: those naming it or a group it is in (Via), and those whose
// member covers it (allUsers, allAuthenticatedUsers, its domain, a
// principal set, projectOwner/Editor/Viewer, or, as uncertain, groups of
// unknown membership). Pattern is empty: a grant is of the whole role.
// Sorted by resource, then binding. It answers what-can: each grant's role
// applies on its resource and below.
func (e *Evaluator) GrantsOf(member string) []Grant {
	m := e.member(member)
	in := decision.Memberships(m, e.groupOf)
	var out []Grant
	add := func(bd *bind, mt match) {
		g := Grant{Binding: bd.id, Principal: bd.b.Principal, Via: mt.via, Scope: bd.b.Scope, Role: bd.b.Role, Deny: bd.deny != nil, Match: MatchTrue}
		if bd.deny != nil {
			for _, x := range bd.deny.exempt {
				if xm := e.memberMatch(x, m, in); xm.ok && xm.certain {
					return
				} else if xm.ok && mt.certain {
					mt = match{ok: true, reason: fmt.Sprintf("deny rule %s exempts %s: %s", bd.id, x, xm.reason)}
				}
			}
		} else if bd.role == nil {
			mt = match{ok: true, reason: fmt.Sprintf("role %s is neither a custom role of the inventory nor a predefined role", bd.b.Role)}
		} else {
			g.RoleName = bd.role.title
		}
		if e.settle(&g, mt, bd, "", [2]string{}) {
			out = append(out, g)
		}
	}
	seen := map[*bind]bool{}
	for k, via := range in {
		for _, bd := range e.byPrincipal[k] {
			seen[bd] = true
			add(bd, match{ok: true, certain: true, via: via})
		}
	}
	for _, bd := range e.special {
		if seen[bd] {
			continue
		}
		if mt := e.memberMatch(bd.principal, m, in); mt.ok {
			add(bd, mt)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Scope != out[j].Scope {
			return out[i].Scope < out[j].Scope
		}
		return out[i].Binding < out[j].Binding
	})
	return out
}
