package report

import (
	"context"
	"fmt"
	"io"
	"runtime/trace"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/vigil-sec/vigil/internal/compliance"
	"github.com/vigil-sec/vigil/internal/finding"
)

// Report is everything a writer needs: the findings (worst first), the
// summary, the per-framework compliance summary and the rules that ran.
type Report struct {
	Findings []finding.Finding
	// Passes, when set, holds PASS findings compactly (BuildWith): the
	// report's findings are then Findings with these merged in at their
	// place, as every writer prints them. Findings alone lacks them.
	Passes     *finding.Passes
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
// Callers add Summary.Inventory (the inventory's own summary) and
// Summary.Suppressions afterwards. Filters on findings are finding.Filter.
func Build(findings []finding.Finding, rules []finding.RuleInfo, now time.Time, catalogues ...*compliance.Catalogue) *Report {
	return BuildWith(findings, nil, rules, now, catalogues...)
}

// BuildWith is Build over findings and the PASS findings held in passes
// (nil for none), which the report keeps as they are (Report.Passes): the
// writers print the same as for Build of the two merged. passes should
// hold no rule that has PASS findings in findings too.
//
// The summary and the compliance summary (which read the findings) are
// computed side by side, then the findings and the PASS findings are
// sorted side by side (which moves them).
func BuildWith(findings []finding.Finding, passes *finding.Passes, rules []finding.RuleInfo, now time.Time, catalogues ...*compliance.Catalogue) *Report {
	if passes.Len() == 0 {
		passes = nil
	}
	r := &Report{Findings: findings, Passes: passes, Rules: rules, GeneratedAt: now}
	var wg sync.WaitGroup
	// The PASS findings' references are ranked (most of their sort) and
	// the findings' order worked out while the summaries are counted: all
	// of these only read the findings. Then they are moved.
	var order finding.Order
	ctx := context.Background() // for the execution trace's regions
	summaries := trace.StartRegion(ctx, "summaries")
	wg.Go(passes.Rank)
	wg.Go(func() { r.Summary = finding.SummarizeWith(findings, passes, rules) })
	wg.Go(func() { order = finding.WorstFirst(findings) })
	r.Compliance = compliance.SummarizeWith(compliance.RulesFrom(rules), findings, passes, catalogues...)
	wg.Wait()
	summaries.End()
	defer trace.StartRegion(ctx, "sort").End()
	wg.Go(passes.Sort)
	order.Apply(findings)
	wg.Wait()
	return r
}

// Formats lists the output formats Write accepts.
var Formats = []string{"table", "json", "csv", "ocsf", "ocsf-jsonl", "sarif", "junit", "html"}

// Write renders r to w in format: table, json, csv, ocsf (a JSON array of
// OCSF Compliance Findings), ocsf-jsonl (one per line), sarif, junit or html.
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
	case "junit":
		err = writeJUnit(w, r)
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

// refsFor returns the finding's framework references that concern its
// cloud (finding.Finding.ApplicableFrameworks).
func refsFor(f *finding.Finding) []finding.Reference { return f.ApplicableFrameworks() }

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
	note := func(f *finding.Finding) {
		if !seen[f.RuleID] {
			seen[f.RuleID] = true
			out = append(out, f.Rule())
		}
	}
	for i := range r.Findings {
		note(&r.Findings[i])
	}
	if r.Passes != nil {
		// A rule's PASS findings held in Passes differ from its
		// prototype only in their resource.
		for i := range r.Passes.Runs {
			note(&r.Passes.Runs[i].Proto)
		}
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
