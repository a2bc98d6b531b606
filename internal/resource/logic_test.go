package resource

import "testing"

// TestThreeValued: And, Or and Not follow Kleene's logic, where nil is
// unknown: a false conjunct (a true disjunct) decides whatever else is
// unknown, and an unknown one otherwise keeps the result unknown.
func TestThreeValued(t *testing.T) {
	T, F := Bool(true), Bool(false)
	show := func(b *bool) string {
		if b == nil {
			return "unknown"
		}
		if *b {
			return "true"
		}
		return "false"
	}
	cases := []struct {
		in      []*bool
		and, or string
	}{
		{nil, "true", "false"},
		{[]*bool{T}, "true", "true"},
		{[]*bool{F}, "false", "false"},
		{[]*bool{nil}, "unknown", "unknown"},
		{[]*bool{T, T}, "true", "true"},
		{[]*bool{T, F}, "false", "true"},
		{[]*bool{F, F}, "false", "false"},
		{[]*bool{T, nil}, "unknown", "true"},
		{[]*bool{nil, F}, "false", "unknown"},
		{[]*bool{nil, T, F}, "false", "true"},
		{[]*bool{nil, nil}, "unknown", "unknown"},
	}
	for _, c := range cases {
		if got := show(And(c.in...)); got != c.and {
			t.Errorf("And%v = %s, want %s", c.in, got, c.and)
		}
		if got := show(Or(c.in...)); got != c.or {
			t.Errorf("Or%v = %s, want %s", c.in, got, c.or)
		}
	}
	for b, want := range map[*bool]string{T: "false", F: "true", nil: "unknown"} {
		if got := show(Not(b)); got != want {
			t.Errorf("Not(%s) = %s, want %s", show(b), got, want)
		}
	}
}
