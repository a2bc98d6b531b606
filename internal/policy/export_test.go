package policy

import "context"

// For the tests of package policy_test (which may import packages that
// import policy, such as governance).

// WithoutDirect is withoutDirect: every rule evaluated by OPA.
var WithoutDirect = withoutDirect

// JudgedOnGo prepares the rules of e that want selects and returns the ids
// of those not judged wholly on the Go fields (their fail set, and their
// message when not constant).
func JudgedOnGo(ctx context.Context, e *Engine, want func(*Rule) bool) ([]string, error) {
	if _, err := e.ensurePrepared(ctx, func(i int) bool { return want(e.rules[i]) }, false); err != nil {
		return nil, err
	}
	var off []string
	for i, r := range e.rules {
		if !want(r) {
			continue
		}
		if d := e.direct[i]; d == nil || !d.onGo || !d.hasMessage && e.goMessages[i] == nil && e.messages[i] != nil {
			off = append(off, r.ID)
		}
	}
	return off, nil
}
