package azure

// Effect is the answer to "may this principal do this at this scope".
type Effect string

// Effects, from the most to the least certain.
const (
	// Allowed: an assignment grants it without condition and no deny
	// assignment applies.
	Allowed Effect = "allowed"
	// Denied: no assignment grants it, or a deny assignment denies it
	// (Decision.Explicit).
	Denied Effect = "denied"
	// Conditional: granted only under a condition (ABAC condition on the
	// assignment or the role), or allowed unless a conditional deny applies.
	Conditional Effect = "conditional"
	// Uncertain: the inventory does not say (a role definition or a group's
	// membership is missing); Decision.Reasons names what.
	Uncertain Effect = "uncertain"
)

// Grant is one role assignment or deny assignment that bears on a decision.
type Grant struct {
	// Binding is the resource ID of the role or deny assignment.
	Binding string `json:"binding"`
	// Principal is the principal the assignment names: the asked principal,
	// a group it is in (Via), or Everyone for a deny assignment.
	Principal string `json:"principal"`
	// Via are the groups from the asked principal to Principal, innermost
	// first, when the grant reaches it through group membership.
	Via      []string `json:"via,omitempty"`
	Role     string   `json:"role,omitempty"`
	RoleName string   `json:"role_name,omitempty"`
	Scope    string   `json:"scope"`
	// Pattern is the action pattern of the role or deny assignment that
	// matched ("Microsoft.Storage/*/read", "*").
	Pattern string `json:"pattern,omitempty"`
	// Condition is the condition the grant depends on, "" when none.
	Condition string `json:"condition,omitempty"`
	Deny      bool   `json:"deny,omitempty"`
	// Effect is Allowed (Denied for a deny) when the grant applies for
	// certain, else Conditional or Uncertain, with Reason.
	Effect Effect `json:"effect"`
	Reason string `json:"reason,omitempty"`
}

// Decision is the effect with the grants that decided it.
type Decision struct {
	Effect Effect `json:"effect"`
	// Explicit is true when a deny assignment decided Denied (false: no
	// assignment grants it).
	Explicit bool `json:"explicit,omitempty"`
	// Grants are the role assignments that grant it, certain or not.
	Grants []Grant `json:"grants,omitempty"`
	// Denies are the deny assignments that deny it, certain or not.
	Denies []Grant `json:"denies,omitempty"`
	// Reasons say why the effect is Conditional or Uncertain.
	Reasons []string `json:"reasons,omitempty"`
}

// decide combines grants and denies: a certain deny wins, then a certain
// allow (conditional when a deny might apply), then conditional or
// uncertain grants; nothing is Denied.
func decide(grants, denies []Grant) Decision {
	d := Decision{Effect: Denied, Grants: grants, Denies: denies}
	best := func(gs []Grant, certain Effect) (hasCertain, hasCond, hasUnc bool) {
		for _, g := range gs {
			switch g.Effect {
			case certain:
				hasCertain = true
			case Conditional:
				hasCond = true
			case Uncertain:
				hasUnc = true
			}
			if g.Effect != certain && g.Reason != "" {
				d.Reasons = appendOnce(d.Reasons, g.Reason)
			}
		}
		return
	}
	deny, denyCond, denyUnc := best(denies, Denied)
	allow, allowCond, allowUnc := best(grants, Allowed)
	switch {
	case deny:
		d.Effect, d.Explicit, d.Reasons = Denied, true, nil
	case allow && denyUnc:
		d.Effect = Uncertain
	case allow && denyCond:
		d.Effect = Conditional
	case allow:
		d.Effect, d.Reasons = Allowed, nil
	case allowCond:
		d.Effect = Conditional
	case allowUnc:
		d.Effect = Uncertain
	default:
		d.Reasons = nil
	}
	return d
}

func appendOnce(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}
