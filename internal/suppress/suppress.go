package suppress

import (
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/gobwas/glob"
	"gopkg.in/yaml.v3"

	"github.com/vigil-sec/vigil/internal/finding"
)

// DateLayout is the form of the expires field.
const DateLayout = "2006-01-02"

// Entry is one suppression.
type Entry struct {
	// Rule is a rule ID or a glob over rule IDs ("gcp-*").
	Rule string
	// Resource is a glob over resource IDs ("arn:aws:s3:::legacy-*");
	// "*" when the entry does not say.
	Resource string
	// Reason says why the findings are accepted. Required.
	Reason string
	// Expires is the last day (UTC) the suppression mutes findings; zero
	// when it does not expire.
	Expires time.Time
	// Index is the 1-based position in the file, Line the entry's line.
	Index, Line int
	// Origin is where an inline entry is written in a source file
	// ("main.tf:12"); "" for the entries of a suppressions file.
	Origin string

	rule, res *glob.Pattern
	// ids, when not nil, are the exact resource IDs an inline entry covers
	// (Resource then only names them in messages).
	ids map[string]bool
}

// NewEntry returns an entry muting findings of rule (an ID or a glob over
// rule IDs) on the resources whose IDs match res (a glob; "" means every
// resource), for reason, through the expires day (zero: no expiry).
func NewEntry(rule, res, reason string, expires time.Time) (*Entry, error) {
	if rule == "" {
		return nil, errors.New("rule is required (a rule ID or a glob such as \"gcp-*\")")
	}
	if reason == "" {
		return nil, fmt.Errorf("reason is required (say why findings of %s are accepted)", rule)
	}
	if res == "" {
		res = "*"
	}
	e := &Entry{Rule: rule, Resource: res, Reason: reason, Expires: expires}
	var err error
	if e.rule, err = glob.Compile(rule); err != nil {
		return nil, fmt.Errorf("rule pattern %q: %w", rule, err)
	}
	if e.res, err = glob.Compile(res); err != nil {
		return nil, fmt.Errorf("resource pattern %q: %w", res, err)
	}
	return e, nil
}

// Inline returns an entry written in a source file at origin ("main.tf:12",
// an IaC ignore comment): it mutes rule (an ID or a glob) on exactly the
// resources added with Cover; what names them in messages (a resource
// address, a module call).
func Inline(origin, rule, what, reason string, expires time.Time) (*Entry, error) {
	e, err := NewEntry(rule, "", reason, expires)
	if err != nil {
		return nil, err
	}
	e.Resource, e.Origin, e.ids = what, origin, map[string]bool{}
	return e, nil
}

// Cover adds a resource ID to those an inline entry mutes. It is not safe
// for concurrent use.
func (e *Entry) Cover(id string) {
	if e.ids != nil {
		e.ids[id] = true
	}
}

// MatchesRule reports whether the entry's rule pattern matches rule ID id.
func (e *Entry) MatchesRule(id string) bool { return e.rule.Match(id) }

// ExpiresString is Expires as YYYY-MM-DD, or "".
func (e *Entry) ExpiresString() string {
	if e.Expires.IsZero() {
		return ""
	}
	return e.Expires.Format(DateLayout)
}

// Expired reports whether the suppression has expired at now: it mutes
// through the whole of its expiry day (UTC) and stops the day after.
func (e *Entry) Expired(now time.Time) bool {
	return !e.Expires.IsZero() && !now.UTC().Before(e.Expires.AddDate(0, 0, 1))
}

// Matches reports whether the entry's patterns match the finding's rule and
// resource (whatever its status or the date).
func (e *Entry) Matches(f *finding.Finding) bool {
	if e.ids != nil {
		return e.ids[f.Resource.ID] && e.rule.Match(f.RuleID)
	}
	return e.rule.Match(f.RuleID) && e.res.Match(f.Resource.ID)
}

// Set is a parsed suppressions file.
type Set struct {
	File    string
	Entries []*Entry
}

// Load reads and validates a suppressions file.
func Load(path string) (*Set, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("suppressions: %w", err)
	}
	return Parse(path, data)
}

var knownKeys = map[string]bool{"rule": true, "resource": true, "reason": true, "expires": true}

// Parse reads a suppressions file's content. name is the file name used in
// errors. The document is either a list of entries or a mapping with a
// `suppressions:` list. Every invalid entry is reported, each error naming
// the file, the entry number and its line.
func Parse(name string, data []byte) (*Set, error) {
	set := &Set{File: name}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(doc.Content) == 0 {
		return set, nil // empty file: no suppressions
	}
	root := doc.Content[0]
	list := root
	if root.Kind == yaml.MappingNode {
		list = nil
		for i := 0; i+1 < len(root.Content); i += 2 {
			k := root.Content[i]
			if k.Value == "suppressions" {
				list = root.Content[i+1]
			} else {
				return nil, fmt.Errorf("%s:%d: unknown top-level key %q (want \"suppressions\")", name, k.Line, k.Value)
			}
		}
		if list == nil {
			return nil, fmt.Errorf("%s:%d: no \"suppressions\" list", name, root.Line)
		}
		if list.Kind == yaml.ScalarNode && list.Tag == "!!null" {
			return set, nil
		}
	}
	if list.Kind != yaml.SequenceNode {
		return nil, fmt.Errorf("%s:%d: suppressions must be a list of {rule, resource, reason, expires}", name, list.Line)
	}
	var errs []error
	for i, n := range list.Content {
		e, err := parseEntry(n, i+1)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: entry %d (line %d): %w", name, i+1, n.Line, err))
			continue
		}
		set.Entries = append(set.Entries, e)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return set, nil
}

func parseEntry(n *yaml.Node, index int) (*Entry, error) {
	if n.Kind != yaml.MappingNode {
		return nil, errors.New("an entry must be a mapping with rule, resource, reason and optional expires")
	}
	e := &Entry{Index: index, Line: n.Line}
	var expires string
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if !knownKeys[k.Value] {
			return nil, fmt.Errorf("unknown key %q (want rule, resource, reason, expires)", k.Value)
		}
		if v.Kind != yaml.ScalarNode {
			return nil, fmt.Errorf("%s must be a string", k.Value)
		}
		val := strings.TrimSpace(v.Value)
		if v.Tag == "!!null" {
			val = ""
		}
		switch k.Value {
		case "rule":
			e.Rule = val
		case "resource":
			e.Resource = val
		case "reason":
			e.Reason = val
		case "expires":
			expires = val
		}
	}
	ne, err := NewEntry(e.Rule, e.Resource, e.Reason, time.Time{})
	if err != nil {
		return nil, err
	}
	ne.Index, ne.Line = e.Index, e.Line
	e = ne
	if expires != "" {
		t, err := time.Parse(DateLayout, expires)
		if err != nil {
			return nil, fmt.Errorf("expires %q is not a date of the form YYYY-MM-DD", expires)
		}
		e.Expires = t
	}
	return e, nil
}

// Apply mutes the FAIL findings that an active suppression matches (setting
// Finding.Suppressed; PASS and UNKNOWN findings are never touched) and
// reports what each entry did: muted findings, expired entries with the
// findings that are active again, and entries that matched nothing. The
// first matching active entry in file order mutes a finding.
func (s *Set) Apply(findings []finding.Finding, now time.Time) finding.SuppressionReport {
	rep := finding.SuppressionReport{File: s.File, Muted: []finding.SuppressionUse{},
		Expired: []finding.SuppressionUse{}, Unused: []finding.SuppressionUse{}}
	uses := make([]finding.SuppressionUse, len(s.Entries))
	resSets := make([]map[string]bool, len(s.Entries))
	for i, e := range s.Entries {
		uses[i] = finding.SuppressionUse{Entry: e.Index, Line: e.Line, Rule: e.Rule, Resource: e.Resource,
			Reason: e.Reason, Expires: e.ExpiresString()}
		resSets[i] = map[string]bool{}
	}
	for fi := range findings {
		f := &findings[fi]
		if f.Status != finding.Fail || f.Suppressed != nil {
			continue
		}
		var expired []int
		for i, e := range s.Entries {
			if !e.Matches(f) {
				continue
			}
			if e.Expired(now) {
				expired = append(expired, i)
				continue
			}
			uses[i].Findings++
			resSets[i][f.Resource.ID] = true
			f.Suppressed = &finding.Suppression{Reason: e.Reason, Expires: e.ExpiresString()}
			break
		}
		if f.Suppressed != nil {
			continue
		}
		// Expired entries report the findings that are active again
		// (those no active entry mutes).
		for _, i := range expired {
			uses[i].Findings++
			resSets[i][f.Resource.ID] = true
		}
	}
	for i, e := range s.Entries {
		u := uses[i]
		for id := range resSets[i] {
			u.Resources = append(u.Resources, id)
		}
		sort.Strings(u.Resources)
		what := fmt.Sprintf("%s on %s", e.Rule, e.Resource)
		if e.Origin != "" {
			what = fmt.Sprintf("%s on %s (inline at %s)", e.Rule, e.Resource, e.Origin)
		}
		switch {
		case e.Expired(now):
			u.Message = fmt.Sprintf("suppression for %s expired on %s; findings are active again (%d failing)",
				what, e.ExpiresString(), u.Findings)
			rep.Expired = append(rep.Expired, u)
		case u.Findings > 0:
			u.Message = fmt.Sprintf("suppression for %s muted %d failing finding(s): %s", what, u.Findings, e.Reason)
			rep.Muted = append(rep.Muted, u)
		default:
			u.Message = fmt.Sprintf("suppression for %s matched no failing finding", what)
			rep.Unused = append(rep.Unused, u)
		}
	}
	return rep
}
