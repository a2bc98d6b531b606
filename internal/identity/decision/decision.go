package decision

import (
	"cmp"
	"slices"
)

// Result is the outcome of a check. The names and their text are those of
// the AWS evaluator (internal/identity/aws), so the identity graph reads the
// three clouds' answers alike.
type Result uint8

const (
	// ImplicitDeny: no grant allows it.
	ImplicitDeny Result = iota
	// ExplicitDeny: a deny (Azure deny assignment, GCP deny rule) denies
	// it, whatever allows it.
	ExplicitDeny
	// Allowed: a grant allows it without condition and no deny applies.
	Allowed
	// Conditional: allowed only under a condition the inventory cannot
	// decide (Azure ABAC, GCP IAM condition), or allowed unless a deny with
	// a condition applies.
	Conditional
	// Uncertain: the inventory does not say (a role definition, a group's
	// membership, a place in the hierarchy is missing); Decision.Reasons
	// names what.
	Uncertain
)

func (r Result) String() string {
	return [...]string{"implicit_deny", "explicit_deny", "allowed", "conditional", "uncertain"}[r]
}

// MarshalText writes the result's name.
func (r Result) MarshalText() ([]byte, error) { return []byte(r.String()), nil }

// Denied tells whether the result is a deny, explicit or implicit.
func (r Result) Denied() bool { return r == ImplicitDeny || r == ExplicitDeny }

// How a grant applies (Grant.Match), as the AWS evaluator's StatementRef.Match.
const (
	MatchTrue        = "true"
	MatchConditional = "conditional"
	MatchUncertain   = "uncertain"
)

// Grant is one role assignment, IAM binding or deny that bears on a
// decision.
type Grant struct {
	// Binding is the resource ID of the assignment, binding or deny.
	Binding string `json:"binding"`
	// Principal is the principal the grant names: the asked principal, a
	// group it is in (Via), or one that covers it (Everyone, allUsers, a
	// domain, a principal set).
	Principal string `json:"principal"`
	// Via are the groups from the asked principal to Principal, innermost
	// first, when the grant reaches it through group membership.
	Via      []string `json:"via,omitempty"`
	Role     string   `json:"role,omitempty"`
	RoleName string   `json:"role_name,omitempty"`
	// Scope is where the grant is: the Azure scope or the GCP resource
	// (the asked one or an ancestor).
	Scope string `json:"scope"`
	// Pattern is what matched the asked action: an Azure action pattern
	// ("Microsoft.Storage/*/read", "*"), a GCP permission or deny pattern.
	Pattern string `json:"pattern,omitempty"`
	// Condition is the condition the grant depends on, "" when none.
	Condition string `json:"condition,omitempty"`
	Deny      bool   `json:"deny,omitempty"`
	// Match is MatchTrue when the grant applies for certain, else
	// MatchConditional or MatchUncertain, with Reason.
	Match  string `json:"match"`
	Reason string `json:"reason,omitempty"`
}

// Decision is the answer for one request, with what decided it.
type Decision struct {
	Result Result `json:"result"`
	// Allows are the grants that allow it, certain or not.
	Allows []Grant `json:"allows,omitempty"`
	// Denies are the denies that deny it, certain or not.
	Denies []Grant `json:"denies,omitempty"`
	// Reasons say why the result is Conditional or Uncertain.
	Reasons []string `json:"reasons,omitempty"`
}

// Decide combines grants: a certain deny wins, then a certain allow
// (Conditional or Uncertain when a deny may apply), then conditional or
// uncertain allows; with none, ImplicitDeny. It orders each list certain
// grants first, then conditional, then uncertain, keeping the order given
// within each (the evaluators give the nearest scope first).
func Decide(allows, denies []Grant) Decision {
	order(allows)
	order(denies)
	d := Decision{Result: ImplicitDeny, Allows: allows, Denies: denies}
	tally := func(gs []Grant) (certain, cond, unc bool) {
		for _, g := range gs {
			switch g.Match {
			case MatchTrue:
				certain = true
			case MatchConditional:
				cond = true
			case MatchUncertain:
				unc = true
			}
			if g.Match != MatchTrue && g.Reason != "" && !slices.Contains(d.Reasons, g.Reason) {
				d.Reasons = append(d.Reasons, g.Reason)
			}
		}
		return
	}
	deny, denyCond, denyUnc := tally(denies)
	allow, allowCond, allowUnc := tally(allows)
	switch {
	case deny:
		d.Result, d.Reasons = ExplicitDeny, nil
	case allow && denyUnc:
		d.Result = Uncertain
	case allow && denyCond:
		d.Result = Conditional
	case allow:
		d.Result, d.Reasons = Allowed, nil
	case allowCond:
		d.Result = Conditional
	case allowUnc:
		d.Result = Uncertain
	default:
		d.Reasons = nil
	}
	return d
}

func rank(match string) int {
	switch match {
	case MatchTrue:
		return 0
	case MatchConditional:
		return 1
	}
	return 2
}

func order(gs []Grant) {
	slices.SortStableFunc(gs, func(a, b Grant) int {
		return cmp.Compare(rank(a.Match), rank(b.Match))
	})
}
