package findings

import (
	"slices"
	"strings"

	"github.com/vigil-sec/vigil/internal/finding"
	"github.com/vigil-sec/vigil/internal/lazyre"
	"github.com/vigil-sec/vigil/internal/resource"
)

// requirementForms map a provider's requirement names to vigil's framework
// keys. Only the framework versions vigil reports on are mapped: a CIS
// benchmark of another version numbers its controls differently, so
// "CIS AWS Foundations Benchmark v3.0.0/2.1.4" is no cis-aws-7.0 control.
var requirementForms = []struct {
	re        *lazyre.Regexp
	framework string
}{
	// Security Hub: "NIST.800-53.r5 AC-2(1)"; SCC: "nist 800-53 R5/AC-2".
	{&lazyre.Regexp{Expr: `(?i)^NIST\.800-53\.r5 (\S+)$`}, "nist-800-53-r5"},
	{&lazyre.Regexp{Expr: `(?i)^nist 800-53 r5/(\S+)$`}, "nist-800-53-r5"},
	// Security Hub: "PCI DSS v4.0.1/1.2.5"; SCC: "pci 4.0/1.2.1".
	{&lazyre.Regexp{Expr: `(?i)^PCI DSS v4\.0(?:\.\d+)?/(\S+)$`}, "pci-dss-4.0"},
	{&lazyre.Regexp{Expr: `(?i)^pci 4\.0(?:\.\d+)?/(\S+)$`}, "pci-dss-4.0"},
	// CIS of the versions vigil ships (a user's own catalogue of another
	// version is keyed by that version, which these forms name too).
	{&lazyre.Regexp{Expr: `(?i)^CIS AWS Foundations Benchmark v7\.0(?:\.0)?/(\S+)$`}, "cis-aws-7.0"},
	{&lazyre.Regexp{Expr: `(?i)^cis 5\.0(?:\.0)?/(\S+)$`}, "cis-gcp-5.0"},
}

// ControlRefs maps a provider finding's requirements to the framework
// controls vigil reports on; requirements of other frameworks or versions
// are left out.
func ControlRefs(f *Finding) []finding.Reference {
	var refs []finding.Reference
	for _, req := range f.Requirements {
		req = strings.TrimSpace(req)
		for _, form := range requirementForms {
			m := form.re.Get().FindStringSubmatch(req)
			if m == nil {
				continue
			}
			if form.framework == "cis-gcp-5.0" && f.Resource.Provider != resource.GCP {
				break
			}
			ref := finding.Reference{Framework: form.framework, Control: strings.ToUpper(m[1])}
			if !slices.Contains(refs, ref) {
				refs = append(refs, ref)
			}
			break
		}
	}
	return refs
}

// ProviderControlCategory is the category of the findings ComplianceFindings
// makes of the providers' control checks.
const ProviderControlCategory = "provider-control"

// ComplianceFindings turns the provider findings that map to a framework
// control (a Security Hub control check, an SCC finding with compliances)
// into vigil findings of rules named after the provider's control
// ("securityhub:S3.8"), so a compliance report counts them as evidence
// beside vigil's own rules: active is FAIL, resolved because the control
// passed is PASS, suppressed in the provider is a FAIL with the
// suppression kept; one resolved (archived) for another reason is left
// out. The rules carry the union of their findings' controls.
func ComplianceFindings(fs []Finding) ([]finding.Finding, []finding.RuleInfo) {
	var out []finding.Finding
	rules := map[string]*finding.RuleInfo{}
	var order []string
	for i := range fs {
		f := &fs[i]
		refs := ControlRefs(f)
		if len(refs) == 0 {
			continue
		}
		var st finding.Status
		var sup *finding.Suppression
		switch {
		case f.Status == Active:
			st = finding.Fail
		case f.Status == Suppressed:
			st, sup = finding.Fail, &finding.Suppression{Reason: "suppressed in " + string(f.Product) + " (" + f.OriginalStatus + ")"}
		case strings.Contains(f.OriginalStatus, "PASSED"):
			st = finding.Pass
		default:
			continue
		}
		id := productKey(f.Product) + ":" + First(f.Type, f.ID)
		ri := rules[id]
		if ri == nil {
			ri = &finding.RuleInfo{ID: id, Title: f.Title, Severity: f.Severity, Category: ProviderControlCategory,
				Providers: []resource.Provider{f.Resource.Provider}, Frameworks: map[string][]string{}}
			rules[id] = ri
			order = append(order, id)
		}
		for _, ref := range refs {
			if !slices.Contains(ri.Frameworks[ref.Framework], ref.Control) {
				ri.Frameworks[ref.Framework] = append(ri.Frameworks[ref.Framework], ref.Control)
			}
		}
		if f.Severity.Rank() > ri.Severity.Rank() {
			ri.Severity = f.Severity
		}
		vf := ri.New(resource.Ref{ID: First(f.Resource.ID, f.ID), Provider: f.Resource.Provider, Account: f.Resource.Account,
			Region: f.Resource.Region, Type: f.Resource.Type, Name: f.Resource.Name}, st, f.Title+" ("+string(f.Product)+")", refs)
		vf.Severity, vf.Suppressed = f.Severity, sup
		out = append(out, vf)
	}
	infos := make([]finding.RuleInfo, 0, len(order))
	for _, id := range order {
		infos = append(infos, *rules[id])
	}
	return out, infos
}

// productKey is a product's name in a rule id: "securityhub", "scc".
func productKey(p Product) string {
	return strings.ToLower(strings.NewReplacer(" ", "", "-", "").Replace(string(p)))
}
