package scan

import (
	"context"
	"fmt"
	"log/slog"
	"runtime/trace"
	"strings"
	"time"

	"github.com/vigil-sec/vigil/internal/compliance"
	"github.com/vigil-sec/vigil/internal/finding"
	"github.com/vigil-sec/vigil/internal/governance"
	"github.com/vigil-sec/vigil/internal/identity/escalate"
	"github.com/vigil-sec/vigil/internal/identity/graph"
	"github.com/vigil-sec/vigil/internal/importer"
	"github.com/vigil-sec/vigil/internal/inventory"
	"github.com/vigil-sec/vigil/internal/policy"
	"github.com/vigil-sec/vigil/internal/report"
	"github.com/vigil-sec/vigil/internal/resource"
	"github.com/vigil-sec/vigil/internal/source"
	"github.com/vigil-sec/vigil/internal/suppress"
)

// Options configure a scan.
type Options struct {
	// Sources are read and collected into one inventory (inventory.Collect).
	Sources []source.Source
	// Paths are export files or directories, read by one file source
	// (importer.Files) after Sources.
	Paths []string
	// Now is the scan time: key ages and suppression expiry are measured
	// against it. Zero means time.Now().
	Now          time.Time
	Suppressions *suppress.Set
	Filter       finding.Filter
	Catalogues   []*compliance.Catalogue
	Logger       *slog.Logger
	// Progress, when set, is told what the scan is doing.
	Progress func(stage string)
	// TuneGC collects garbage by memory limit during the scan (see
	// gcTuning): about a third less CPU, until Result.Done (or the end of
	// Run when it fails). For the CLI; a library caller sharing the process
	// may prefer to leave the runtime alone.
	TuneGC bool
	// Governance, when set, is applied to the inventory before the rules
	// run (data classification, residency, tagging facts; see
	// internal/governance): the engine should then evaluate the
	// governance rules (policy.OptIn(governance.OptIn)). Failing findings
	// on sensitive data rank one severity higher, and the report carries
	// the tagging standard's coverage.
	Governance *governance.Policy
	// Identity adds the identity analysis's findings: privilege-escalation
	// paths and attack paths over the entitlement graph of the inventory
	// (internal/identity/escalate), with their rules in the report.
	Identity bool
	// Extra, when set, adds the findings it computes from the imported
	// inventory, with their rules, after the rules and the identity
	// analysis (vigil scan --lake: unused principals and permissions from
	// the audit logs, internal/identity/unused). Its error fails the scan.
	Extra func(ctx context.Context, rs []*resource.Resource) ([]finding.Finding, []finding.RuleInfo, error)
	// CompactPasses holds the PASS findings of the rules compactly in
	// Report.Passes rather than in Report.Findings (finding.Passes: at
	// 1,000,000 resources 0.7 GB less at the peak): for a caller that only
	// writes the report (report.Write prints the same) or reads its FAIL
	// and UNKNOWN findings. Report.Passes.Expand merges them. With a
	// governance policy, the data class of the PASS findings' resources is
	// in Report.Passes.Labels (governance.Raise).
	CompactPasses bool
	// NoSources leaves Report.Sources (each resource's source file) empty:
	// only the SARIF writer reads it, and it is a map of every resource (at
	// 1,000,000 resources about 0.3 CPU-s and 70 MB while the report is
	// written).
	NoSources bool
	// PrepareRules prepares the rules of the clouds' resources while the
	// inventory is imported (policy.Engine.PrepareRules) rather than, at
	// the start of the evaluation, the rules of the classes the inventory
	// holds. That preparation runs mostly on one core (at 100,000
	// resources about 40 ms of a 150 ms evaluation on an idle machine),
	// and the import leaves a core idle in its serial stretches. For cloud
	// exports: the rules of Kubernetes objects (provider kubernetes, read
	// from manifests) are left to the evaluation as before, and an IaC
	// tree of a few classes leaves it unset (the rules of the classes it
	// lacks would be prepared for nothing).
	PrepareRules bool
}

// Result is a finished scan.
type Result struct {
	Report    *report.Report
	Inventory *inventory.Inventory
	// Timings of the stages.
	ImportTime, EvalTime time.Duration

	gc *gcTuning
}

// Done ends the garbage-collector tuning of a scan run with TuneGC. The
// tuning lasts until Done so that writing the report does not pay for a
// collection of the whole scan's garbage (restoring GOGC=100 with a heap
// of a scan's size starts one at once: about 0.4 s of CPU at 100,000
// resources). A command that exits once the report is written need not call
// it; calling it more than once, or without TuneGC, does nothing.
func (r *Result) Done() { r.gc.restore() }

// sourceNames says what a scan reads, for progress.
func sourceNames(srcs []source.Source, paths []string) string {
	names := make([]string, 0, len(srcs))
	for _, s := range srcs {
		if _, files := s.(*importer.FileSource); files {
			names = append(names, fmt.Sprint(paths))
			continue
		}
		names = append(names, s.Name())
	}
	return strings.Join(names, ", ")
}

// Run collects opts.Sources and opts.Paths into one inventory and evaluates the engine's rules over them.
func Run(ctx context.Context, e *policy.Engine, opts Options) (*Result, error) {
	log := opts.Logger
	if log == nil {
		log = slog.Default()
	}
	progress := opts.Progress
	if progress == nil {
		progress = func(string) {}
	}
	now := opts.Now
	if now.IsZero() {
		now = time.Now().UTC()
	}

	var gc *gcTuning
	if opts.TuneGC {
		gc = tuneGC()
	}
	ok := false
	defer func() {
		if !ok {
			gc.restore()
		}
	}()

	srcs := opts.Sources
	if len(opts.Paths) > 0 {
		srcs = append(srcs[:len(srcs):len(srcs)], importer.Files(opts.Paths, importer.WithLogger(log)))
	}
	progress("importing " + sourceNames(srcs, opts.Paths))
	t0 := time.Now()
	// With PrepareRules the rules are prepared while the inventory is
	// imported. An error is left to the evaluation, which prepares a rule
	// it needs again and reports it.
	prepared := make(chan struct{})
	if opts.PrepareRules {
		go func() {
			defer close(prepared)
			_ = e.PrepareRules(ctx, cloudRule)
		}()
	} else {
		close(prepared)
	}
	inv, err := inventory.Collect(ctx, srcs...)
	<-prepared
	if err != nil {
		return nil, fmt.Errorf("importing: %w", err)
	}
	importTime := time.Since(t0)
	gc.grow()
	log.Info("imported", "resources", inv.Summary.Resources, "errors", len(inv.Errors), "skipped", len(inv.Skipped), "took", importTime)
	for _, ie := range inv.Errors {
		log.Info("input error", "error", ie.Error())
	}

	if opts.Governance != nil {
		progress("applying the governance policy " + opts.Governance.File)
		if err := governance.Apply(ctx, opts.Governance, inv.Resources); err != nil {
			return nil, fmt.Errorf("applying the governance policy: %w", err)
		}
	}

	progress(fmt.Sprintf("evaluating %d rules over %d resources", len(e.Rules()), len(inv.Resources)))
	t1 := time.Now()
	// The resources reachability proved closed are gathered while the
	// rules run (both only read the inventory; buffered, so the goroutine
	// ends even when the evaluation fails).
	closed := make(chan map[string]bool, 1)
	go func() { closed <- closedIDs(inv.Resources) }()
	var fs []finding.Finding
	var passes *finding.Passes
	evaluating := trace.StartRegion(ctx, "evaluate")
	if opts.CompactPasses {
		fs, passes, err = e.EvaluatePasses(ctx, inv.Resources, now)
	} else {
		fs, err = e.Evaluate(ctx, inv.Resources, now)
	}
	evaluating.End()
	if err != nil {
		return nil, fmt.Errorf("evaluating rules: %w", err)
	}
	infos := RuleInfos(e.Rules())
	if opts.Identity {
		progress("computing privilege-escalation and attack paths")
		// The Azure RBAC evaluator the derivation built is the graph's.
		ifs, err := escalate.ScanWith(ctx, inv.Resources, graph.Options{AzureEvaluator: inv.AzureRBAC()})
		if err != nil {
			return nil, err
		}
		fs = append(fs, ifs...)
		infos = append(infos, escalate.Rules()...)
	}
	if opts.Extra != nil {
		xfs, xinfos, err := opts.Extra(ctx, inv.Resources)
		if err != nil {
			return nil, err
		}
		fs = append(fs, xfs...)
		infos = append(infos, xinfos...)
	}
	trace.WithRegion(ctx, "lower", func() { lowerClosed(fs, <-closed) })
	if opts.Governance != nil {
		governance.Raise(fs, passes, inv.Resources)
	}
	evalTime := time.Since(t1)
	log.Info("evaluated", "rules", len(infos), "findings", len(fs), "took", evalTime)

	var srep *finding.SuppressionReport
	if opts.Suppressions != nil {
		r := opts.Suppressions.Apply(fs, now)
		srep = &r
	}
	fs = filterInPlace(fs, opts.Filter)
	passes.Filter(opts.Filter)

	// The resources' source files are gathered while the report is built.
	sources := make(chan map[string]string, 1)
	if opts.NoSources {
		sources <- nil
	} else {
		go func() { sources <- resourceSources(inv.Resources) }()
	}
	building := trace.StartRegion(ctx, "report")
	rep := report.BuildWith(fs, passes, infos, now, opts.Catalogues...)
	building.End()
	rep.Sources = <-sources
	rep.Inputs = opts.Paths
	for _, src := range opts.Sources {
		rep.Inputs = append(rep.Inputs, src.Name())
	}
	// A copy: a pointer into inv would keep every resource reachable from
	// the report after the caller is done with the inventory.
	sum := inv.Summary
	rep.Summary.Inventory = &sum
	rep.Summary.Suppressions = srep
	if opts.Governance != nil {
		rep.Summary.Tagging = governance.Coverage(opts.Governance, inv.Resources)
	}
	ok = true
	return &Result{Report: rep, Inventory: inv, ImportTime: importTime, EvalTime: evalTime, gc: gc}, nil
}

// cloudRule says whether a rule judges resources of a cloud (AWS, Azure,
// GCP) rather than only Kubernetes objects: the rules a cloud export needs.
func cloudRule(r *policy.Rule) bool {
	if len(r.Providers) == 0 {
		return true
	}
	for _, p := range r.Providers {
		if p != resource.K8s {
			return true
		}
	}
	return false
}

// resourceSources maps each resource's ID to the file it came from
// (report.Report.Sources).
func resourceSources(resources []*resource.Resource) map[string]string {
	m := make(map[string]string, len(resources))
	for _, r := range resources {
		if r.Location != nil && r.Location.File != "" {
			m[r.ID] = r.Location.File
		} else if r.Source != "" && r.Source != "live" && r.Source != "synthesized" {
			m[r.ID] = r.Source
		}
	}
	return m
}

// filterInPlace keeps the findings f selects, in their order, in fs's own
// array (finding.Filter.Apply copies them: the scan owns fs).
func filterInPlace(fs []finding.Finding, f finding.Filter) []finding.Finding {
	n := 0
	for i := range fs {
		if f.Match(&fs[i]) {
			if n != i {
				fs[n] = fs[i]
			}
			n++
		}
	}
	clear(fs[n:])
	return fs[:n]
}

// RuleInfos converts the engine's rule metadata for the reports.
func RuleInfos(rs []*policy.Rule) []finding.RuleInfo {
	out := make([]finding.RuleInfo, len(rs))
	for i, r := range rs {
		out[i] = finding.RuleInfo{
			ID: r.ID, Title: r.Title, Description: r.Description, Severity: r.Severity, Category: r.Category,
			Providers: r.Providers, Remediation: r.Remediation, Frameworks: r.Frameworks,
		}
	}
	return out
}
