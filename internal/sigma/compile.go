package sigma

import "errors"

// Matcher is a compiled rule. It is safe for concurrent use.
type Matcher struct {
	rule *Rule
}

// Compile compiles a rule (and its attached filters) for events of the log
// source fm describes.
func Compile(r *Rule, fm FieldMap) (*Matcher, error) {
	return nil, errors.New("not implemented yet")
}

// Rule returns the compiled rule.
func (m *Matcher) Rule() *Rule { return m.rule }

// Match reports whether the event matches the rule.
func (m *Matcher) Match(ev Event) bool { return false }
