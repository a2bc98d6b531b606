package azurerbac

import (
	"sort"
	"strings"
)

// AdminAction is the action that makes a principal an administrator of a
// scope: whoever may write role assignments there can grant any role,
// itself included (Owner, User Access Administrator, Role Based Access
// Control Administrator under its condition, custom roles with
// Microsoft.Authorization/*).
const AdminAction = "Microsoft.Authorization/roleAssignments/write"

// Holder is a principal that holds a permission, with the decision for it.
type Holder struct {
	// Principal is the object ID, lower case.
	Principal string `json:"principal"`
	// Resource is the principal's resource ID in the inventory, "" when the
	// inventory does not hold it.
	Resource string `json:"resource,omitempty"`
	Name     string `json:"name,omitempty"`
	// Type: Group, or the identity kind (user, service_principal, ...), or
	// the principal type the assignment states when not in the inventory.
	Type     string   `json:"type,omitempty"`
	Decision Decision `json:"decision"`
}

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
