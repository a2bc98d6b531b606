package finding

import "testing"

func TestSeverityStep(t *testing.T) {
	for _, c := range []struct {
		s    Severity
		n    int
		want Severity
	}{
		{Low, 1, Medium}, {High, 1, Critical}, {Critical, 1, Critical},
		{High, -1, Medium}, {Low, -1, Info}, {Info, -1, Info},
		{Info, 4, Critical}, {Critical, -9, Info}, {Medium, 0, Medium},
		{"", 1, ""}, {"bogus", -1, "bogus"},
	} {
		if got := c.s.Step(c.n); got != c.want {
			t.Errorf("%q.Step(%d) = %q, want %q", c.s, c.n, got, c.want)
		}
	}
}
