package finding

import (
	"fmt"
	"sort"
	"strings"

	"github.com/vigil-sec/vigil/internal/resource"
)

// Status of a rule on a resource.
type Status string

const (
	Fail Status = "FAIL"
	Pass Status = "PASS"
	// Unknown means the data the rule needs is absent from the input (an
	// export that does not carry it, a denied call). It is never turned
	// into Pass or Fail.
	Unknown Status = "UNKNOWN"
)

// Severity of a rule.
type Severity string

const (
	Critical Severity = "CRITICAL"
	High     Severity = "HIGH"
	Medium   Severity = "MEDIUM"
	Low      Severity = "LOW"
	Info     Severity = "INFO"
)

// Rank orders severities: higher is worse. Unknown severities rank 0.
func (s Severity) Rank() int {
	switch s {
	case Critical:
		return 5
	case High:
		return 4
	case Medium:
		return 3
	case Low:
		return 2
	case Info:
		return 1
	}
	return 0
}

// severities are the levels from the lowest to the highest.
var severities = [...]Severity{Info, Low, Medium, High, Critical}

// Step returns the severity n levels above s (below for n < 0), held
// within INFO and CRITICAL; an unknown severity is returned as it is.
func (s Severity) Step(n int) Severity {
	r := s.Rank()
	if r == 0 {
		return s
	}
	return severities[min(max(r-1+n, 0), len(severities)-1)]
}

// ParseSeverity reads a severity name, case-insensitively.
func ParseSeverity(s string) (Severity, error) {
	v := Severity(strings.ToUpper(strings.TrimSpace(s)))
	if v.Rank() == 0 {
		return "", fmt.Errorf("unknown severity %q (want critical, high, medium, low or info)", s)
	}
	return v, nil
}

// Finding is the result of one rule on one resource.
type Finding struct {
	RuleID      string       `json:"rule_id"`
	Title       string       `json:"title"`
	Category    string       `json:"category"`
	Severity    Severity     `json:"severity"`
	Status      Status       `json:"status"`
	Message     string       `json:"message,omitempty"`
	Resource    resource.Ref `json:"resource"`
	Frameworks  []Reference  `json:"frameworks,omitempty"`
	Remediation string       `json:"remediation,omitempty"`
	// Suppressed is set when a suppression muted this finding.
	Suppressed *Suppression `json:"suppressed,omitempty"`
	// DataClass is the governance class of the resource's data (with a
	// governance policy), e.g. "restricted (personal-data)".
	DataClass string `json:"data_class,omitempty"`
	// BaseSeverity is the rule's own severity when the finding's was
	// raised because the resource holds sensitive data, or lowered because
	// reachability proved the resource unreachable from the internet.
	BaseSeverity Severity `json:"base_severity,omitempty"`
}

// Reference is one framework control a rule maps to.
type Reference struct {
	Framework string `json:"framework"` // e.g. "cis-aws-7.0", "soc2", "iso27001-2022", "pci-dss-4.0", "hipaa"
	Control   string `json:"control"`   // e.g. "3.1", "CC6.1", "A.8.24"
}

// Suppression records why a finding was muted.
type Suppression struct {
	Reason  string `json:"reason"`
	Expires string `json:"expires,omitempty"`
}

// References lists the rule's framework references in a stable order
// (framework key, then the controls as the rule lists them).
func (r *RuleInfo) References() []Reference {
	keys := make([]string, 0, len(r.Frameworks))
	for k := range r.Frameworks {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var refs []Reference
	for _, k := range keys {
		for _, c := range r.Frameworks[k] {
			refs = append(refs, Reference{Framework: k, Control: c})
		}
	}
	return refs
}

// New returns the finding of rule r on a resource. refs are r.References(),
// which callers making many findings compute once and share.
func (r *RuleInfo) New(res resource.Ref, status Status, message string, refs []Reference) Finding {
	return Finding{
		RuleID: r.ID, Title: r.Title, Category: r.Category, Severity: r.Severity, Status: status, Message: message,
		Resource: res, Frameworks: refs, Remediation: r.Remediation,
	}
}

// Rule returns what the finding says about its rule (the reports use it for
// rules they have no metadata for).
func (f *Finding) Rule() RuleInfo {
	ri := RuleInfo{ID: f.RuleID, Title: f.Title, Severity: f.Severity, Category: f.Category, Remediation: f.Remediation}
	if len(f.Frameworks) > 0 {
		ri.Frameworks = map[string][]string{}
		for _, ref := range f.Frameworks {
			ri.Frameworks[ref.Framework] = append(ri.Frameworks[ref.Framework], ref.Control)
		}
	}
	return ri
}
