package report

import (
	"context"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/vigil-sec/vigil/internal/compliance"
	"github.com/vigil-sec/vigil/internal/finding"
	"github.com/vigil-sec/vigil/internal/importer"
)

// Report is everything a writer needs: the findings (worst first), the
// summary, the per-framework compliance summary and the rules that ran.
type Report struct {
	Findings   []finding.Finding
	Summary    finding.Summary
	Compliance []compliance.FrameworkSummary
	// Rules describes the rules that ran (SARIF rule descriptors, HTML
	// titles). Optional: rules are otherwise derived from the findings.
	Rules       []finding.RuleInfo
	GeneratedAt time.Time
	// Version is vigil's version, written into OCSF metadata and SARIF.
	Version string
	// Inputs lists the scanned paths, shown in the table footer and HTML.
	Inputs []string
	// Sources maps a resource ID to the input file it came from. SARIF uses
	// it for a physical location; without it results carry only a logical
	// location (the resource ID).
	Sources map[string]string
	// Color selects ANSI colour for the table format (default: only when
	// the writer is a terminal and NO_COLOR is unset).
	Color ColorMode
	// ListPassing makes the table list PASS findings too (they are counted
	// in its footer either way).
	ListPassing bool
}

// ColorMode says when the table uses colour.
type ColorMode int

// Colour modes.
const (
	ColorAuto ColorMode = iota
	ColorAlways
	ColorNever
)

// Build assembles a report: it sorts findings worst first, summarizes them
// and computes the compliance summary (with optional CIS catalogues).
// Callers add Summary.Inventory and Summary.Suppressions afterwards.
func Build(findings []finding.Finding, rules []finding.RuleInfo, now time.Time, catalogues ...*compliance.Catalogue) *Report {
	finding.SortWorstFirst(findings)
	return &Report{
		Findings:    findings,
		Summary:     finding.Summarize(findings, rules),
		Compliance:  compliance.Summarize(compliance.RulesFrom(rules), findings, catalogues...),
		Rules:       rules,
		GeneratedAt: now,
	}
}

// InventoryFrom converts the importer's account of its input for the summary.
func InventoryFrom(inv *importer.Inventory) *finding.InventorySummary {
	if inv == nil {
		return nil
	}
	s := &finding.InventorySummary{Resources: len(inv.Resources), Files: map[string]int{}, Unsupported: inv.Unsupported}
	for k, v := range inv.Files {
		s.Files[k] = v
	}
	for _, sk := range inv.Skipped {
		s.Skipped = append(s.Skipped, finding.SkippedInput{Path: sk.Path, Reason: sk.Reason})
	}
	for _, e := range inv.Errors {
		s.Errors = append(s.Errors, finding.InputError{Path: e.Path, Line: e.Line, Offset: e.Offset, Error: e.Err})
	}
	return s
}

// SourcesFrom maps each imported resource's ID to the file it came from,
// for Report.Sources.
func SourcesFrom(inv *importer.Inventory) map[string]string {
	if inv == nil {
		return nil
	}
	m := make(map[string]string, len(inv.Resources))
	for _, r := range inv.Resources {
		if r != nil && r.Source != "" && r.Source != "live" {
			m[r.ID] = r.Source
		}
	}
	return m
}

// Formats lists the output formats Write accepts.
var Formats = []string{"table", "json", "csv", "ocsf", "ocsf-jsonl", "sarif", "html"}

// Write renders r to w in format: table, json, csv, ocsf (a JSON array of
// OCSF Compliance Findings), ocsf-jsonl (one per line), sarif or html.
func Write(ctx context.Context, w io.Writer, format string, r *Report) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	var err error
	switch strings.ToLower(format) {
	case "table", "":
		err = writeTable(w, r)
	case "json":
		err = writeJSON(w, r)
	case "csv":
		err = writeCSV(w, r)
	case "ocsf":
		err = writeOCSF(w, r, false)
	case "ocsf-jsonl", "ocsf-ndjson":
		err = writeOCSF(w, r, true)
	case "sarif":
		err = writeSARIF(w, r)
	case "html":
		err = writeHTML(w, r)
	default:
		return fmt.Errorf("unknown output format %q (want %s)", format, strings.Join(Formats, ", "))
	}
	if err != nil {
		return fmt.Errorf("write %s report: %w", format, err)
	}
	return nil
}

// Filter selects findings. Empty fields select everything.
type Filter struct {
	// Providers: aws, azure, gcp.
	Providers []string
	// MinSeverity keeps findings at or above this severity.
	MinSeverity finding.Severity
	// Frameworks keeps findings mapped to one of these frameworks. A key
	// matches exactly or as a prefix of dash-separated parts: "cis" and
	// "cis-aws" match "cis-aws-7.0".
	Frameworks []string
	// Rules keeps findings of these rule IDs; "*" globs are allowed ("gcp-*").
	Rules []string
	// Statuses keeps findings with these statuses (FAIL, PASS, UNKNOWN).
	Statuses []finding.Status
}

// Apply returns the findings f selects, in their order. The input is not
// modified.
func (f Filter) Apply(in []finding.Finding) []finding.Finding {
	out := make([]finding.Finding, 0, len(in))
	for i := range in {
		if f.Match(&in[i]) {
			out = append(out, in[i])
		}
	}
	return out
}

// Match reports whether the filter selects x.
func (f Filter) Match(x *finding.Finding) bool {
	if len(f.Providers) > 0 && !slices.ContainsFunc(f.Providers, func(p string) bool {
		return strings.EqualFold(p, string(x.Resource.Provider))
	}) {
		return false
	}
	if f.MinSeverity != "" && x.Severity.Rank() < f.MinSeverity.Rank() {
		return false
	}
	if len(f.Statuses) > 0 && !slices.ContainsFunc(f.Statuses, func(s finding.Status) bool {
		return strings.EqualFold(string(s), string(x.Status))
	}) {
		return false
	}
	if len(f.Rules) > 0 && !slices.ContainsFunc(f.Rules, func(r string) bool { return globMatch(r, x.RuleID) }) {
		return false
	}
	if len(f.Frameworks) > 0 && !slices.ContainsFunc(refsFor(x), func(ref finding.Reference) bool {
		return slices.ContainsFunc(f.Frameworks, func(k string) bool { return frameworkMatch(k, ref.Framework) })
	}) {
		return false
	}
	return true
}

// refsFor returns the finding's framework references that concern its
// cloud: a cross-cloud rule's CIS AWS control is not reported on a GCP
// resource (see compliance.AppliesTo).
func refsFor(f *finding.Finding) []finding.Reference {
	out := make([]finding.Reference, 0, len(f.Frameworks))
	for _, ref := range f.Frameworks {
		if compliance.AppliesTo(ref.Framework, f.Resource.Provider) {
			out = append(out, ref)
		}
	}
	return out
}

func frameworkMatch(want, key string) bool {
	want, key = strings.ToLower(want), strings.ToLower(key)
	return want == key || strings.HasPrefix(key, want+"-")
}

// globMatch matches s against a pattern where "*" stands for any run of
// characters (including none).
func globMatch(pattern, s string) bool {
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

// ruleInfos returns the report's rules, completed from the findings for
// rules the list does not describe, sorted by ID.
func (r *Report) ruleInfos() []finding.RuleInfo {
	seen := map[string]bool{}
	var out []finding.RuleInfo
	for _, ri := range r.Rules {
		if !seen[ri.ID] {
			seen[ri.ID] = true
			out = append(out, ri)
		}
	}
	for _, f := range r.Findings {
		if seen[f.RuleID] {
			continue
		}
		seen[f.RuleID] = true
		ri := finding.RuleInfo{ID: f.RuleID, Title: f.Title, Severity: f.Severity, Category: f.Category,
			Remediation: f.Remediation}
		if len(f.Frameworks) > 0 {
			ri.Frameworks = map[string][]string{}
			for _, ref := range f.Frameworks {
				ri.Frameworks[ref.Framework] = append(ri.Frameworks[ref.Framework], ref.Control)
			}
		}
		out = append(out, ri)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// ruleByID indexes the report's rules.
func (r *Report) ruleByID() map[string]finding.RuleInfo {
	m := map[string]finding.RuleInfo{}
	for _, ri := range r.ruleInfos() {
		m[ri.ID] = ri
	}
	return m
}

var severities = []finding.Severity{finding.Critical, finding.High, finding.Medium, finding.Low, finding.Info}
