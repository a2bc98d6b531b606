package engine

import (
	"bytes"
	"fmt"
	"os"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/vigil-sec/vigil/internal/finding"
	"github.com/vigil-sec/vigil/internal/respond"
)

// Policy is what a team decides once for every playbook: how many
// distinct people approve each class of action, how much one run may
// touch, how fast it may call each API, and what is never touched. It is
// copied into each plan (and covered by the plan's hash), so approvers
// see the limits they approve under.
type Policy struct {
	// Approvals is the number of distinct approvers a change of each
	// class needs. Remediation needs at least one, whatever is written;
	// a notify, ticket or enrich step marked auto in its playbook needs
	// none.
	Approvals map[respond.Class]int `json:"approvals" yaml:"approvals"`
	Limits    Limits                `json:"limits" yaml:"limits"`
	// RateLimits are calls per second per API (respond.Call.Service);
	// "default" applies to the others.
	RateLimits map[string]float64 `json:"rate_limits,omitempty" yaml:"rate_limits"`
	Exclude    Exclusions         `json:"exclude" yaml:"exclude"`
	// Concurrency is the number of changes applied at once (default 50).
	Concurrency int `json:"concurrency,omitempty" yaml:"concurrency"`
}

// Limits bound the blast radius of one run: distinct resources changed by
// remediation, in all and per account. A run that would pass one stops.
type Limits struct {
	MaxResources  int `json:"max_resources" yaml:"max_resources"`
	MaxPerAccount int `json:"max_per_account" yaml:"max_per_account"`
}

// Exclusions are resources no playbook touches: by account, by resource ID
// ("*" globs) or by tag (key: value; value "*" for any value).
type Exclusions struct {
	Accounts  []string          `json:"accounts,omitempty" yaml:"accounts"`
	Resources []string          `json:"resources,omitempty" yaml:"resources"`
	Tags      map[string]string `json:"tags,omitempty" yaml:"tags"`
}

// DefaultPolicy: one approval for remediation, notify and ticket; none for
// enrich (it only reads); 50 resources a run, 20 per account; 10 calls a
// second per API; 50 changes at once.
func DefaultPolicy() Policy {
	return Policy{
		Approvals:   map[respond.Class]int{respond.Remediate: 1, respond.Notify: 1, respond.Ticket: 1, respond.Enrich: 0},
		Limits:      Limits{MaxResources: 50, MaxPerAccount: 20},
		RateLimits:  map[string]float64{"default": 10},
		Concurrency: 50,
	}
}

// LoadPolicy reads a policy file; fields it leaves out keep DefaultPolicy's
// values.
func LoadPolicy(path string) (Policy, error) {
	p := DefaultPolicy()
	b, err := os.ReadFile(path)
	if err != nil {
		return p, fmt.Errorf("policy: %w", err)
	}
	var in struct {
		Approvals   map[string]int     `yaml:"approvals"`
		Limits      *Limits            `yaml:"limits"`
		RateLimits  map[string]float64 `yaml:"rate_limits"`
		Exclude     Exclusions         `yaml:"exclude"`
		Concurrency int                `yaml:"concurrency"`
	}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&in); err != nil {
		return p, fmt.Errorf("policy %s: %w", path, err)
	}
	for k, n := range in.Approvals {
		c := respond.Class(strings.ToLower(k))
		if !slices.Contains([]respond.Class{respond.Remediate, respond.Notify, respond.Ticket, respond.Enrich}, c) {
			return p, fmt.Errorf("policy %s: approvals: unknown action class %q (want remediate, notify, ticket or enrich)", path, k)
		}
		if n < 0 || n > 5 {
			return p, fmt.Errorf("policy %s: approvals.%s: %d is not between 0 and 5", path, k, n)
		}
		p.Approvals[c] = n
	}
	if in.Limits != nil {
		if in.Limits.MaxResources < 0 || in.Limits.MaxPerAccount < 0 {
			return p, fmt.Errorf("policy %s: limits must not be negative", path)
		}
		p.Limits = *in.Limits
	}
	for k, v := range in.RateLimits {
		if v <= 0 {
			return p, fmt.Errorf("policy %s: rate_limits.%s: %v is not a positive number of calls a second", path, k, v)
		}
		p.RateLimits[k] = v
	}
	p.Exclude = in.Exclude
	if in.Concurrency < 0 {
		return p, fmt.Errorf("policy %s: concurrency must not be negative", path)
	}
	if in.Concurrency > 0 {
		p.Concurrency = in.Concurrency
	}
	return p, nil
}

// required is the number of approvals a change of class c needs.
func (p *Policy) required(c respond.Class, auto bool) int {
	if auto && c != respond.Remediate {
		return 0
	}
	n := p.Approvals[c]
	if c == respond.Remediate && n < 1 {
		n = 1
	}
	return n
}

// excluded returns why the policy leaves s's resource alone, or "".
func (p *Policy) excluded(s *respond.Subject) string {
	ex := &p.Exclude
	if s.Account != "" && slices.Contains(ex.Accounts, s.Account) {
		return "account " + s.Account + " is excluded by the policy"
	}
	for _, g := range ex.Resources {
		if s.Resource.ID != "" && finding.GlobMatch(g, s.Resource.ID) {
			return "resource matches the policy's exclusion " + g
		}
	}
	for k, v := range ex.Tags {
		if got, ok := s.Resource.Tags[k]; ok && (v == "*" || got == v) {
			return "resource tag " + k + "=" + got + " is excluded by the policy"
		}
	}
	return ""
}
