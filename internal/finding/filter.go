package finding

import (
	"slices"
	"strings"

	"github.com/vigil-sec/vigil/internal/resource"
)

// Filter selects findings. Empty fields select everything.
type Filter struct {
	// Providers: aws, azure, gcp, kubernetes.
	Providers []string
	// MinSeverity keeps findings at or above this severity.
	MinSeverity Severity
	// Frameworks keeps findings mapped to one of these frameworks. A key
	// matches exactly or as a prefix of dash-separated parts: "cis" and
	// "cis-aws" match "cis-aws-7.0".
	Frameworks []string
	// Rules keeps findings of these rule IDs; "*" globs are allowed ("gcp-*").
	Rules []string
	// Statuses keeps findings with these statuses (FAIL, PASS, UNKNOWN).
	Statuses []Status
}

// Apply returns the findings f selects, in their order. The input is not
// modified.
func (f Filter) Apply(in []Finding) []Finding {
	out := make([]Finding, 0, len(in))
	for i := range in {
		if f.Match(&in[i]) {
			out = append(out, in[i])
		}
	}
	return out
}

// Match reports whether the filter selects x.
func (f Filter) Match(x *Finding) bool {
	if len(f.Providers) > 0 && !slices.ContainsFunc(f.Providers, func(p string) bool {
		return strings.EqualFold(p, string(x.Resource.Provider))
	}) {
		return false
	}
	if f.MinSeverity != "" && x.Severity.Rank() < f.MinSeverity.Rank() {
		return false
	}
	if len(f.Statuses) > 0 && !slices.ContainsFunc(f.Statuses, func(s Status) bool {
		return strings.EqualFold(string(s), string(x.Status))
	}) {
		return false
	}
	if len(f.Rules) > 0 && !slices.ContainsFunc(f.Rules, func(r string) bool { return GlobMatch(r, x.RuleID) }) {
		return false
	}
	if len(f.Frameworks) > 0 && !slices.ContainsFunc(x.ApplicableFrameworks(), func(ref Reference) bool {
		return slices.ContainsFunc(f.Frameworks, func(k string) bool { return frameworkMatch(k, ref.Framework) })
	}) {
		return false
	}
	return true
}

// ApplicableFrameworks returns the finding's framework references that
// concern its cloud: a cross-cloud rule's CIS AWS control is not reported
// on a GCP resource (see FrameworkAppliesTo).
func (f *Finding) ApplicableFrameworks() []Reference {
	out := make([]Reference, 0, len(f.Frameworks))
	for _, ref := range f.Frameworks {
		if FrameworkAppliesTo(ref.Framework, f.Resource.Provider) {
			out = append(out, ref)
		}
	}
	return out
}

// FrameworkAppliesTo reports whether findings on a provider's resources
// count towards a framework: a cloud's CIS benchmark (cis-aws-*,
// cis-azure-*, cis-gcp-*) only concerns that cloud, other frameworks
// concern every cloud.
func FrameworkAppliesTo(framework string, provider resource.Provider) bool {
	fw := strings.ToLower(framework)
	for _, p := range []resource.Provider{resource.AWS, resource.Azure, resource.GCP, resource.K8s} {
		if strings.HasPrefix(fw, "cis-"+string(p)+"-") {
			return provider == p
		}
	}
	return true
}

func frameworkMatch(want, key string) bool {
	want, key = strings.ToLower(want), strings.ToLower(key)
	return want == key || strings.HasPrefix(key, want+"-")
}

// GlobMatch matches s against a pattern where "*" stands for any run of
// characters (including none).
func GlobMatch(pattern, s string) bool {
	parts := strings.Split(pattern, "*")
	if len(parts) == 1 {
		return pattern == s
	}
	if !strings.HasPrefix(s, parts[0]) {
		return false
	}
	s = s[len(parts[0]):]
	for _, p := range parts[1 : len(parts)-1] {
		i := strings.Index(s, p)
		if i < 0 {
			return false
		}
		s = s[i+len(p):]
	}
	return strings.HasSuffix(s, parts[len(parts)-1])
}
