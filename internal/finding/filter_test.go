package finding

import (
	"testing"

	"github.com/vigil-sec/vigil/internal/resource"
)

func TestGlobMatch(t *testing.T) {
	cases := []struct {
		p, s string
		ok   bool
	}{
		{"a*", "abc", true}, {"*c", "abc", true}, {"a*c", "abc", true}, {"a*d", "abc", false},
		{"abc", "abc", true}, {"ab", "abc", false}, {"*", "", true}, {"a*b*c", "aXbYc", true}, {"a*b*c", "acb", false},
	}
	for _, c := range cases {
		if GlobMatch(c.p, c.s) != c.ok {
			t.Errorf("GlobMatch(%q, %q) != %v", c.p, c.s, c.ok)
		}
	}
}

func TestFilterFrameworksConcernTheirCloud(t *testing.T) {
	refs := []Reference{{Framework: "cis-aws-7.0", Control: "2.1"}, {Framework: "soc2", Control: "CC6.1"}}
	aws := Finding{RuleID: "r", Status: Fail, Severity: High, Frameworks: refs, Resource: resource.Ref{Provider: resource.AWS}}
	gcp := aws
	gcp.Resource.Provider = resource.GCP
	fs := []Finding{aws, gcp}
	for _, c := range []struct {
		f    Filter
		want int
	}{
		{Filter{}, 2},
		{Filter{Frameworks: []string{"cis"}}, 1}, // the CIS AWS control selects the AWS finding only
		{Filter{Frameworks: []string{"soc2"}}, 2},
		{Filter{Frameworks: []string{"so"}}, 0}, // a partial word does not match
		{Filter{Providers: []string{"GCP"}, Rules: []string{"r*"}}, 1},
		{Filter{MinSeverity: Critical}, 0},
		{Filter{Statuses: []Status{"fail"}}, 2},
	} {
		if got := len(c.f.Apply(fs)); got != c.want {
			t.Errorf("%+v: %d findings, want %d", c.f, got, c.want)
		}
	}
	if got := gcp.ApplicableFrameworks(); len(got) != 1 || got[0].Framework != "soc2" {
		t.Errorf("applicable frameworks on GCP: %v", got)
	}
}
