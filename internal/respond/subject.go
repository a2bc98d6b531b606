package respond

import (
	"sync/atomic"
	"time"
)

// Subject is what a playbook runs on: one finding (vigil scan, vigil iac,
// identity paths) or one alert (vigil detect), read into the same shape.
// Templates and conditions see it by these field names (the json tags).
type Subject struct {
	Kind     string `json:"kind"` // "finding" or "alert"
	ID       string `json:"id"`   // the finding's or alert's stable uid
	Rule     string `json:"rule"` // rule id (findings) or rule id/title (alerts)
	Title    string `json:"title"`
	Category string `json:"category,omitempty"`
	// Severity: CRITICAL, HIGH, MEDIUM, LOW, INFO (an alert's level
	// mapped: critical, high, medium, low, informational).
	Severity string `json:"severity"`
	// Level is an alert's Sigma level; "" for findings.
	Level string `json:"level,omitempty"`
	// Status is a finding's FAIL/PASS/UNKNOWN; "" for alerts.
	Status string `json:"status,omitempty"`
	// Techniques are ATT&CK technique ids (T1098, T1562.008).
	Techniques []string `json:"techniques,omitempty"`
	Message    string   `json:"message,omitempty"`

	Provider string   `json:"provider,omitempty"` // aws, azure, gcp, kubernetes
	Account  string   `json:"account,omitempty"`
	Region   string   `json:"region,omitempty"`
	Resource Resource `json:"resource"`
	// Principal is the actor of an alert (an ARN, a UPN, a service
	// account) or the principal an identity finding is about.
	Principal string    `json:"principal,omitempty"`
	SourceIP  string    `json:"source_ip,omitempty"`
	Time      time.Time `json:"time,omitzero"`
	// Raw is the finding or alert as read (decoded JSON), for conditions
	// and templates that need a field not above (raw.unmapped...).
	Raw map[string]any `json:"raw,omitempty"`

	view atomic.Pointer[map[string]any]
}

// View returns the subject's view built by build, building it on first
// use (playbooks' conditions and templates read one map per subject,
// however many playbooks match it). The view is read-only: callers must
// not change it.
func (s *Subject) View(build func(*Subject) map[string]any) map[string]any {
	if v := s.view.Load(); v != nil {
		return *v
	}
	m := build(s)
	s.view.CompareAndSwap(nil, &m)
	return *s.view.Load()
}

// Resource is the resource a subject is about.
type Resource struct {
	ID   string            `json:"id,omitempty"`
	Type string            `json:"type,omitempty"`
	Name string            `json:"name,omitempty"`
	Tags map[string]string `json:"tags,omitempty"`
}
