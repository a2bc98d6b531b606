package azurerbac

import "github.com/vigil-sec/vigil/internal/identity/decision"

// The answer shape is the one Azure and GCP share (package decision): a
// Decision of either cloud is the same type.
type (
	Result   = decision.Result
	Grant    = decision.Grant
	Decision = decision.Decision
	Holder   = decision.Holder
)

// Results, and how a grant applies (Grant.Match).
const (
	ImplicitDeny     = decision.ImplicitDeny
	ExplicitDeny     = decision.ExplicitDeny
	Allowed          = decision.Allowed
	Conditional      = decision.Conditional
	Uncertain        = decision.Uncertain
	MatchTrue        = decision.MatchTrue
	MatchConditional = decision.MatchConditional
	MatchUncertain   = decision.MatchUncertain
)
