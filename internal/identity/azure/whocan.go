package azurerbac

import (
	"fmt"
	"sort"
	"strings"

	"github.com/vigil-sec/vigil/internal/identity/decision"
)

// AdminAction is the action that makes a principal an administrator of a
// scope: whoever may write role assignments there can grant any role,
// itself included (Owner, User Access Administrator, Role Based Access
// Control Administrator under its condition, custom roles with
// Microsoft.Authorization/*).
const AdminAction = "Microsoft.Authorization/roleAssignments/write"

// WhoCan lists the principals that may perform action (a data action when
// data) at scope: those named by an assignment at the scope or above whose
// role grants it (or whose role is unknown), and the known members of such
// groups, each with its decision; principals whose decision is a deny are
// left out (ImplicitDeny or ExplicitDeny). Sorted by principal.
func (e *Evaluator) WhoCan(action string, data bool, scope string) []Holder {
	scopes, chainKnown := e.ancestors(scope)
	if !chainKnown {
		scopes = append(scopes, e.mgScopes...)
	}
	cand := map[string]string{} // principal -> type stated by an assignment
	var add func(p, typ string)
	add = func(p, typ string) {
		if _, ok := cand[p]; ok {
			return
		}
		cand[p] = typ
		for _, m := range e.members[p] {
			add(m, "")
		}
	}
	for _, s := range scopes {
		sb := e.byScope[s]
		if sb == nil {
			continue
		}
		for _, bd := range sb.all {
			if bd.deny != nil {
				continue
			}
			if bd.role == nil || bd.role.matches(action, data).ok {
				add(bd.principal, bd.b.PrincipalType)
			}
		}
	}
	out := make([]Holder, 0, len(cand))
	for p, typ := range cand {
		d := e.Check(Request{Principal: p, Action: action, Data: data, Scope: scope})
		if d.Result.Denied() {
			continue
		}
		h := Holder{Principal: p, Type: typ, Decision: d}
		if info := e.info[p]; info != nil {
			h.Resource, h.Name, h.Type = info.Resource, info.Name, info.Type
		}
		out = append(out, h)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Principal < out[j].Principal })
	return out
}

// Admins lists the principals that may write role assignments at scope
// (AdminAction), so make anyone, themselves included, anything there.
func (e *Evaluator) Admins(scope string) []Holder { return e.WhoCan(AdminAction, false, scope) }

// SubscriptionAdmins returns Admins for every subscription of the
// inventory, by subscription ID as the inventory spells it.
func (e *Evaluator) SubscriptionAdmins() map[string][]Holder {
	out := make(map[string][]Holder, len(e.subs))
	for _, s := range e.subs {
		out[s] = e.Admins(s)
	}
	return out
}

// isSubscription reports whether id is a subscription's resource ID.
func isSubscription(id string) bool {
	s := strings.Split(strings.Trim(strings.ToLower(id), "/"), "/")
	return len(s) == 2 && s[0] == "subscriptions"
}

// GrantsOf lists every role and deny assignment that reaches the principal,
// at any scope: those naming it or a group it is in (Via), deny assignments
// for everyone that do not exclude it, and, as uncertain, those naming
// groups of unknown membership. Pattern is empty: a grant is of the whole
// role. Sorted by scope, then assignment. It answers what-can: each grant's
// role applies at its scope and below.
func (e *Evaluator) GrantsOf(principal string) []Grant {
	in := decision.Memberships(e.key(principal), e.groupOf)
	var out []Grant
	add := func(bd *bind, via []string, certain bool, reason string) {
		g := Grant{Binding: bd.id, Principal: bd.b.Principal, Via: via, Role: bd.b.Role, RoleName: bd.b.RoleName, Scope: bd.b.Scope, Deny: bd.deny != nil, Match: MatchTrue}
		if bd.deny != nil {
			g.Role = ""
			if e.excluded(bd, in) {
				return
			}
			if ex := e.maybeExcluded(bd, in); ex != "" && certain {
				certain, reason = false, ex
			}
		} else if bd.role == nil {
			certain, reason = false, fmt.Sprintf("role definition %s (%s) is not in the inventory nor a built-in role", bd.b.Role, bd.b.RoleName)
		} else if g.RoleName == "" {
			g.RoleName = bd.role.name
		}
		e.settle(&g, certain, reason, bd.b, "")
		out = append(out, g)
	}
	seen := map[*bind]bool{}
	for k, via := range in {
		for _, bd := range e.byPrincipal[k] {
			seen[bd] = true
			add(bd, via, true, "")
		}
	}
	for _, bd := range e.special {
		switch {
		case seen[bd]:
		case bd.deny != nil && bd.principal == Everyone:
			add(bd, nil, true, "")
		case bd.deny == nil && bd.group && !e.known[bd.principal]:
			add(bd, nil, false, fmt.Sprintf("membership of group %s is not in the inventory", bd.b.Principal))
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
