package detect

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/gobwas/glob"

	"github.com/vigil-sec/vigil/internal/logs"
	"github.com/vigil-sec/vigil/internal/ocsf"
	"github.com/vigil-sec/vigil/internal/sigma"
	"gopkg.in/yaml.v3"
)

//go:embed default_tuning.yml
var defaultTuningYAML []byte

// DefaultTuningYAML returns the embedded default tuning configuration.
func DefaultTuningYAML() []byte { return bytes.Clone(defaultTuningYAML) }

// TuningConfig is the YAML tuning file: it silences or re-rates alerts
// without editing rule files.
//
//	extends: default            # layer on top of vigil's default tuning
//	min_level: low              # alerts below this level are suppressed
//	allow_identities:           # automation never alerted on (globs, * = any text)
//	  - "arn:aws:sts::*:assumed-role/terraform-ci/*"
//	allow_user_agents:          # clients never alerted on (globs over the user agent)
//	  - "*Terraform/*"
//	allow_services:             # cloud services acting for the account (CloudTrail invokedBy)
//	  - "*.amazonaws.com"
//	rules:
//	  - id: 905d389b-b853-46d0-9d3d-dea0d3a3cd49   # or title:
//	    level: informational    # re-rate the rule's alerts
//	    allow_identities: ["*:role/aws-service-role/*"]
//	    disabled: false
//	    reason: fires on every action of every assumed role
type TuningConfig struct {
	Extends         string          `yaml:"extends"`
	MinLevel        string          `yaml:"min_level"`
	AllowIdentities []AllowIdentity `yaml:"allow_identities"`
	// RemoveIdentities drops allow_identities entries (the pattern as
	// written) that the default lists, for a document that extends it:
	// a tenant that wants SharePoint's system account alerted on.
	RemoveIdentities []string     `yaml:"remove_identities"`
	AllowUserAgents  []string     `yaml:"allow_user_agents"`
	AllowServices    []string     `yaml:"allow_services"`
	Rules            []RuleTuning `yaml:"rules"`
}

// AllowIdentity is one allow_identities entry: a glob over the identities
// of an event, written as a string (every account), or as a mapping
// {identity: GLOB, accounts: [GLOB, ...]} that holds only for events of
// those accounts (the event's OCSF cloud.account.uid: AWS account id,
// Azure subscription or Entra tenant id, GCP project, Microsoft 365
// organization id).
type AllowIdentity struct {
	Identity string   `yaml:"identity"`
	Accounts []string `yaml:"accounts"`
}

// UnmarshalYAML reads an entry written as a string or as a mapping.
func (a *AllowIdentity) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		a.Identity, a.Accounts = n.Value, nil
		return nil
	}
	type plain AllowIdentity
	var p plain
	if err := n.Decode(&p); err != nil {
		return err
	}
	if p.Identity == "" {
		return fmt.Errorf("line %d: an allow_identities mapping needs identity", n.Line)
	}
	*a = AllowIdentity(p)
	return nil
}

// RuleTuning tunes one rule, named by id or title.
type RuleTuning struct {
	ID              string          `yaml:"id"`
	Title           string          `yaml:"title"`
	Level           string          `yaml:"level"`
	AllowIdentities []AllowIdentity `yaml:"allow_identities"`
	Disabled        bool            `yaml:"disabled"`
	Reason          string          `yaml:"reason"`
}

// Tuning is a compiled TuningConfig.
type Tuning struct {
	MinLevel Level
	allow    []*glob.Pattern
	// scoped are the allow_identities entries limited to accounts.
	scoped   []scopedAllow
	allowUA  []*glob.Pattern
	allowSvc []*glob.Pattern
	byID     map[string]*ruleTuning
	byTitle  map[string]*ruleTuning
}

type ruleTuning struct {
	level    Level
	allow    []*glob.Pattern
	scoped   []scopedAllow
	disabled bool
}

// scopedAllow is an allow_identities entry that holds only for events of
// the accounts its globs match.
type scopedAllow struct {
	id       *glob.Pattern
	accounts []*glob.Pattern
}

// Suppression reasons reported per rule.
const (
	SuppressedNone     = ""
	SuppressedLevel    = "level"
	SuppressedIdentity = "allow-listed identity"
	SuppressedAgent    = "allow-listed user agent"
	SuppressedService  = "allow-listed service"
	SuppressedDisabled = "disabled"
	SuppressedFilter   = "sigma filter"
)

// ParseTuning parses a tuning YAML document; name labels errors. A document
// with "extends: default" is layered over the embedded default: its
// min_level replaces the default's, its allow_identities,
// allow_user_agents and allow_services add to them and
// its rule entries replace the default's entries for the same rule.
func ParseTuning(name string, data []byte) (*Tuning, error) {
	var cfg TuningConfig
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&cfg); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("tuning %s: %w", name, err)
	}
	switch strings.ToLower(cfg.Extends) {
	case "":
	case "default":
		var base TuningConfig
		if err := yaml.Unmarshal(defaultTuningYAML, &base); err != nil {
			return nil, fmt.Errorf("default tuning: %w", err)
		}
		if cfg.MinLevel == "" {
			cfg.MinLevel = base.MinLevel
		}
		cfg.AllowIdentities = append(removeIdentities(base.AllowIdentities, cfg.RemoveIdentities), cfg.AllowIdentities...)
		cfg.AllowUserAgents = append(base.AllowUserAgents, cfg.AllowUserAgents...)
		cfg.AllowServices = append(base.AllowServices, cfg.AllowServices...)
		cfg.Rules = append(base.Rules, cfg.Rules...)
	default:
		return nil, fmt.Errorf("tuning %s: extends: only %q is supported, not %q", name, "default", cfg.Extends)
	}
	if len(cfg.RemoveIdentities) > 0 && cfg.Extends == "" {
		return nil, fmt.Errorf("tuning %s: remove_identities drops entries of the default: it needs extends: default", name)
	}
	return compileTuning(name, &cfg)
}

// removeIdentities returns the entries of list whose pattern is not one
// of drop (compared as written).
func removeIdentities(list []AllowIdentity, drop []string) []AllowIdentity {
	if len(drop) == 0 {
		return list
	}
	out := make([]AllowIdentity, 0, len(list))
	for _, a := range list {
		if !slices.Contains(drop, a.Identity) {
			out = append(out, a)
		}
	}
	return out
}

// LoadTuning reads a tuning file.
func LoadTuning(path string) (*Tuning, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("tuning: %w", err)
	}
	return ParseTuning(path, data)
}

// DefaultTuning returns the embedded default tuning.
func DefaultTuning() *Tuning {
	t, err := ParseTuning("default_tuning.yml", defaultTuningYAML)
	if err != nil {
		panic(err) // the embedded file is tested
	}
	return t
}

// NoTuning suppresses nothing.
func NoTuning() *Tuning {
	return &Tuning{byID: map[string]*ruleTuning{}, byTitle: map[string]*ruleTuning{}}
}

func compileTuning(name string, cfg *TuningConfig) (*Tuning, error) {
	t := NoTuning()
	if cfg.MinLevel != "" {
		l, err := ParseLevel(cfg.MinLevel)
		if err != nil {
			return nil, fmt.Errorf("tuning %s: min_level: %w", name, err)
		}
		t.MinLevel = l
	}
	var err error
	if t.allow, t.scoped, err = compileAllow(cfg.AllowIdentities); err != nil {
		return nil, fmt.Errorf("tuning %s: allow_identities: %w", name, err)
	}
	if t.allowUA, err = compileGlobs(cfg.AllowUserAgents); err != nil {
		return nil, fmt.Errorf("tuning %s: allow_user_agents: %w", name, err)
	}
	if t.allowSvc, err = compileGlobs(cfg.AllowServices); err != nil {
		return nil, fmt.Errorf("tuning %s: allow_services: %w", name, err)
	}
	for i, r := range cfg.Rules {
		if r.ID == "" && r.Title == "" {
			return nil, fmt.Errorf("tuning %s: rules[%d]: needs id or title", name, i)
		}
		rt := &ruleTuning{disabled: r.Disabled}
		if r.Level != "" {
			if rt.level, err = ParseLevel(r.Level); err != nil {
				return nil, fmt.Errorf("tuning %s: rules[%d] (%s): %w", name, i, r.ID+r.Title, err)
			}
		}
		if rt.allow, rt.scoped, err = compileAllow(r.AllowIdentities); err != nil {
			return nil, fmt.Errorf("tuning %s: rules[%d] (%s): %w", name, i, r.ID+r.Title, err)
		}
		if r.ID != "" {
			t.byID[r.ID] = rt
		} else {
			t.byTitle[r.Title] = rt
		}
	}
	return t, nil
}

// compileAllow compiles allow_identities entries: those for every
// account, and those limited to accounts.
func compileAllow(entries []AllowIdentity) (all []*glob.Pattern, scoped []scopedAllow, err error) {
	for _, a := range entries {
		g, err := glob.Compile(a.Identity)
		if err != nil {
			return nil, nil, fmt.Errorf("pattern %q: %w", a.Identity, err)
		}
		if len(a.Accounts) == 0 {
			all = append(all, g)
			continue
		}
		accts, err := compileGlobs(a.Accounts)
		if err != nil {
			return nil, nil, fmt.Errorf("accounts of %q: %w", a.Identity, err)
		}
		scoped = append(scoped, scopedAllow{id: g, accounts: accts})
	}
	return all, scoped, nil
}

func compileGlobs(pats []string) ([]*glob.Pattern, error) {
	out := make([]*glob.Pattern, 0, len(pats))
	for _, p := range pats {
		g, err := glob.Compile(p)
		if err != nil {
			return nil, fmt.Errorf("pattern %q: %w", p, err)
		}
		out = append(out, g)
	}
	return out, nil
}

func (t *Tuning) rule(r *RuleInfo) *ruleTuning {
	if rt, ok := t.byID[r.ID]; ok && r.ID != "" {
		return rt
	}
	if rt, ok := t.byID[r.Name]; ok && r.Name != "" {
		return rt
	}
	return t.byTitle[r.Title]
}

// Disabled reports whether the tuning turns rule r off entirely.
func (t *Tuning) Disabled(r *RuleInfo) bool {
	rt := t.rule(r)
	return rt != nil && rt.disabled
}

// Decide returns the effective level of an alert of rule r over events and,
// when the tuning suppresses it, why. An alert is suppressed when every one
// of its events was made by an allow-listed identity (global or for the
// rule), or through an allow-listed user agent, or by an allow-listed cloud
// service acting for the account, or when its level is below the minimum.
func (t *Tuning) Decide(r *RuleInfo, events []Event) (Level, string) {
	return t.decide(r, len(events), func(i int) []string { return Identities(events[i].Record) },
		func(i int, service bool) string {
			rec := events[i].Record
			return clientIn(rec, sigma.NewJSONEvent(rec.Raw), service)
		}, func(i int) string {
			ev := events[i].Norm
			if ev == nil {
				ev, _ = logs.Normalize(events[i].Record)
			}
			return accountOf(ev)
		}, nil)
}

// accountOf is an OCSF event's cloud account (AWS account, Azure
// subscription or Entra tenant, GCP project, Microsoft 365 organization),
// "" when it has none.
func accountOf(ev ocsf.Event) string {
	if ev == nil {
		return ""
	}
	if c := ev.Common().Cloud; c != nil && c.Account != nil {
		return c.Account.UID
	}
	return ""
}

// decide is Decide over n events whose identities ids and clients client
// (user agent, or the invoking service when service is set) return
// (called only when an allow-list needs them); account returns an event's
// cloud account (called only when an identity matches an entry limited to
// accounts); memo, when not nil, holds the global allow-list's answers for
// identities already looked at.
func (t *Tuning) decide(r *RuleInfo, n int, ids func(i int) []string, client func(i int, service bool) string, account func(i int) string, memo *allowMemo) (Level, string) {
	level := levelOf(r.Level)
	rt := t.rule(r)
	if rt != nil {
		if rt.disabled {
			return level, SuppressedDisabled
		}
		if rt.level != LevelUnknown {
			level = rt.level
		}
	}
	if n > 0 && (len(t.allow) > 0 || len(t.scoped) > 0 || (rt != nil && (len(rt.allow) > 0 || len(rt.scoped) > 0))) {
		all := true
		for i := range n {
			if !t.allowed(rt, ids(i), func() string { return account(i) }, memo) {
				all = false
				break
			}
		}
		if all {
			return level, SuppressedIdentity
		}
	}
	if n > 0 && len(t.allowSvc) > 0 && allClients(n, func(i int) string { return client(i, true) }, t.allowSvc) {
		return level, SuppressedService
	}
	if n > 0 && len(t.allowUA) > 0 && allClients(n, func(i int) string { return client(i, false) }, t.allowUA) {
		return level, SuppressedAgent
	}
	if level < t.MinLevel {
		return level, SuppressedLevel
	}
	return level, SuppressedNone
}

func (t *Tuning) allowed(rt *ruleTuning, ids []string, account func() string, memo *allowMemo) bool {
	for _, id := range ids {
		if memo.allowed(t, id) {
			return true
		}
		if rt != nil {
			for _, g := range rt.allow {
				if g.Match(id) {
					return true
				}
			}
		}
	}
	if len(t.scoped) == 0 && (rt == nil || len(rt.scoped) == 0) {
		return false
	}
	// Entries limited to accounts: the event's account is looked up once,
	// and only when one of them names an identity of the event.
	acct, read := "", false
	check := func(scoped []scopedAllow) bool {
		for _, s := range scoped {
			for _, id := range ids {
				if !s.id.Match(id) {
					continue
				}
				if !read {
					acct, read = account(), true
				}
				for _, g := range s.accounts {
					if acct != "" && g.Match(acct) {
						return true
					}
				}
			}
		}
		return false
	}
	if check(t.scoped) {
		return true
	}
	return rt != nil && check(rt.scoped)
}

// allClients reports whether every one of n events has a client (what
// get returns) one of globs matches.
func allClients(n int, get func(i int) string, globs []*glob.Pattern) bool {
	for i := range n {
		a := get(i)
		if a == "" {
			return false
		}
		ok := false
		for _, g := range globs {
			if g.Match(a) {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	return true
}

// allowedGlobal reports whether the global allow-list matches id.
func (t *Tuning) allowedGlobal(id string) bool {
	for _, g := range t.allow {
		if g.Match(id) {
			return true
		}
	}
	return false
}

// allowMemo remembers the global allow-list's answer per identity for one
// goroutine (a batch worker decides on many events of the same few
// identities, and each answer costs a glob match per pattern). A nil memo
// asks the allow-list every time.
type allowMemo struct {
	t   *Tuning
	ans map[string]bool
}

// maxAllowMemo bounds the identities an allowMemo holds.
const maxAllowMemo = 4096

func (m *allowMemo) allowed(t *Tuning, id string) bool {
	if m == nil || len(t.allow) == 0 {
		return t.allowedGlobal(id)
	}
	if m.t != t || m.ans == nil {
		m.t, m.ans = t, map[string]bool{}
	}
	if ok, seen := m.ans[id]; seen {
		return ok
	}
	ok := t.allowedGlobal(id)
	if len(m.ans) >= maxAllowMemo {
		clear(m.ans)
	}
	// A copy: id may point into a read buffer that is reused.
	m.ans[strings.Clone(id)] = ok
	return ok
}
