package policy

import "testing"

// TestApplyXfToMatchesApplyXf: the transformations without allocation
// give what OPA's lower, upper and trim_space (applyXf) give, for ASCII
// and other strings, whatever string the reused buffer held before.
func TestApplyXfToMatchesApplyXf(t *testing.T) {
	strs := []string{"", "a", "A", "abc", "ABC", "Microsoft.Authorization/roleAssignments/write", "  Mixed Case  ", "\tTAB\n", "@[`{", "Z", "z",
		"İstanbul", "ÀB", "straße", "Kelvin \u212a", "ǅ", "a\u00a0B", "\u0085X\u0085", "roles/OWNER", "0123456789", "long " + string(make([]byte, 300))}
	xfs := []uint8{xfNone, xfLower, xfUpper, xfTrim, xfTrimLower, xfTrimUpper}
	env := &goEnv{}
	for _, s := range strs {
		for _, xf := range xfs {
			want := applyXf(xf, s)
			got := applyXfTo(xf, s, env)
			if got != want {
				t.Errorf("applyXfTo(%d, %q) = %q, want %q", xf, s, got, want)
			}
		}
	}
	if allocs := testing.AllocsPerRun(100, func() { applyXfTo(xfTrimLower, " Microsoft.Authorization/RoleAssignments/Write ", env) }); allocs != 0 {
		t.Errorf("lower of an ASCII string allocates %v times", allocs)
	}
}
