package finding

import (
	"reflect"
	"testing"

	"github.com/vigil-sec/vigil/internal/resource"
)

// TestRuleInfoRoundTrip checks a finding made from a rule says the same
// about the rule as the rule itself (the reports read rules back from
// findings they have no metadata for).
func TestRuleInfoRoundTrip(t *testing.T) {
	ri := RuleInfo{ID: "r", Title: "T", Severity: High, Category: "exposure", Remediation: "fix",
		Frameworks: map[string][]string{"soc2": {"CC6.1", "CC6.6"}, "cis-aws-7.0": {"2.1"}}}
	refs := ri.References()
	want := []Reference{{"cis-aws-7.0", "2.1"}, {"soc2", "CC6.1"}, {"soc2", "CC6.6"}}
	if !reflect.DeepEqual(refs, want) {
		t.Fatalf("References() = %v, want %v", refs, want)
	}
	f := ri.New(resource.Ref{ID: "b"}, Fail, "why", refs)
	if f.RuleID != "r" || f.Severity != High || f.Status != Fail || f.Message != "why" || f.Resource.ID != "b" {
		t.Fatalf("New: %+v", f)
	}
	if got := f.Rule(); !reflect.DeepEqual(got, ri) {
		t.Errorf("Rule() = %+v, want %+v", got, ri)
	}
}
