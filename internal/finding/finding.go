package finding

import (
	"fmt"
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
