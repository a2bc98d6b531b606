package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"golang.org/x/term"

	"github.com/vigil-sec/vigil/internal/collect"
	"github.com/vigil-sec/vigil/internal/collect/live"
	"github.com/vigil-sec/vigil/internal/compliance"
	"github.com/vigil-sec/vigil/internal/finding"
	"github.com/vigil-sec/vigil/internal/governance"
	"github.com/vigil-sec/vigil/internal/policy"
	"github.com/vigil-sec/vigil/internal/report"
	"github.com/vigil-sec/vigil/internal/scan"
	"github.com/vigil-sec/vigil/internal/source"
	"github.com/vigil-sec/vigil/internal/suppress"
)

type scanFlags struct {
	format, output, failOn, severity, suppressions, now          string
	providers, frameworks, rules, statuses, ruleDirs, catalogues []string
	listPassing                                                  bool
	live                                                         bool
	save                                                         string
	noIdentity                                                   bool
	governance                                                   string
	lake, since                                                  string
}

func newScanCmd() *cobra.Command {
	var f scanFlags
	var lf liveFlags
	cmd := &cobra.Command{
		Use:   "scan PATH... | scan --live",
		Short: "Check cloud inventories (AWS Config, Azure Resource Graph, GCP Cloud Asset exports) against the rules",
		Long: `Import the clouds' own inventory exports — AWS Config snapshots and configuration items, the IAM
credential report, Azure Resource Graph results, GCP Cloud Asset Inventory exports — from files or directories
(.gz read transparently; the format is detected from content), evaluate the built-in rules and any --rules packs,
and report findings: FAIL, PASS, or UNKNOWN when the input does not carry what a rule needs.

With --live, vigil first collects the clouds through their SDKs, read-only (see vigil collect --help for
credentials and the --aws-*/--gcp-* flags), and scans what it collected with any PATHs given; UNKNOWN findings
name the calls that failed. --save DIR keeps the collected exports to scan again offline.

Exit status: 0 done; 1 a FAIL finding at or above --fail-on exists; 2 usage error, an input that could not be
read, or a cloud that could not be collected (the rest is still scanned and reported).`,
		Example: `  vigil scan examples/org
  vigil scan exports/ --format json --output findings.json
  vigil scan exports/ --provider aws --severity high --fail-on high
  vigil scan exports/ --framework cis-azure-6.0 --format html --output report.html
  vigil scan exports/ --format sarif --output vigil.sarif --suppressions suppressions.yaml
  vigil scan examples/org --governance examples/org/governance.yaml --rule 'governance-*' 
  vigil scan examples/org --lake .vigil/lake --since 30d --rule 'identity-unused-*'  
  vigil scan --live --cloud aws --aws-role ReadOnlyAudit --save inventory/`,
		Args: func(cmd *cobra.Command, args []string) error {
			if live, _ := cmd.Flags().GetBool("live"); !live && len(args) == 0 {
				return usageErr(errors.New("give one or more PATHs to scan, or --live"))
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error { return runScan(cmd, args, f, lf) },
	}
	f.register(cmd.Flags())
	cmd.Flags().BoolVar(&f.live, "live", false, "collect the clouds live, read-only, and scan that")
	cmd.Flags().BoolVar(&f.noIdentity, "no-identity", false, "leave out the identity analysis (privilege-escalation and attack paths; see vigil identity)")
	cmd.Flags().StringVar(&f.save, "save", "", "with --live: keep the collected exports in this directory")
	cmd.Flags().StringVar(&f.lake, "lake", "", "audit log lake (vigil logs ingest): add the unused-principal and unused-permission findings of vigil identity unused")
	cmd.Flags().StringVar(&f.since, "since", "90d", "with --lake: the window before --now (or now) the audit logs are read over")
	lf.register(cmd.Flags())
	return cmd
}

// register adds the flags vigil scan and vigil iac share.
func (f *scanFlags) register(fl *pflag.FlagSet) {
	fl.StringVarP(&f.format, "format", "f", "table", "output format: "+strings.Join(report.Formats, ", "))
	fl.StringVarP(&f.output, "output", "o", "", "write the report to FILE instead of stdout")
	fl.StringVar(&f.failOn, "fail-on", "", "exit 1 when an unsuppressed FAIL at or above this severity exists (critical, high, medium, low, info)")
	fl.StringSliceVar(&f.providers, "provider", nil, "only these providers: aws, azure, gcp, kubernetes (repeatable or comma-separated)")
	fl.StringVar(&f.severity, "severity", "", "only findings at or above this severity")
	fl.StringSliceVar(&f.frameworks, "framework", nil, "only findings mapped to these frameworks (e.g. cis-aws-7.0, soc2, or a prefix such as cis)")
	fl.StringSliceVar(&f.rules, "rule", nil, "only these rule IDs (globs allowed: gcp-*)")
	fl.StringSliceVar(&f.statuses, "status", nil, "only these statuses: fail, pass, unknown")
	fl.StringArrayVar(&f.ruleDirs, "rules", nil, "directory of custom Rego rules, evaluated with the built-in ones (repeatable)")
	fl.StringVar(&f.suppressions, "suppressions", "", "YAML suppressions file (rule, resource pattern, reason, expires)")
	fl.StringArrayVar(&f.catalogues, "catalogue", nil, "CIS control list (TSV) so the compliance summary lists controls no rule covers (repeatable)")
	fl.StringVar(&f.now, "now", "", "evaluate as of this time (RFC 3339 or YYYY-MM-DD) instead of now: key ages, suppression expiry")
	fl.BoolVar(&f.listPassing, "list-passing", false, "table format: list PASS findings too")
	fl.StringVar(&f.governance, "governance", "", "governance policy (YAML: data classification, residency, tagging standard; docs/governance.md): evaluate the governance rules, rank findings on sensitive data higher, report tag coverage")
}

func runScan(cmd *cobra.Command, args []string, f scanFlags, lf liveFlags) error {
	ctx := cmd.Context()
	for _, p := range args {
		if _, err := os.Stat(p); err != nil {
			return usageErr(err)
		}
	}
	if f.save != "" && !f.live {
		return usageErr(errors.New("--save needs --live"))
	}
	opts, failOn, engine, err := f.options(cmd)
	if err != nil {
		return err
	}
	opts.Paths = args
	opts.Identity = !f.noIdentity
	if f.lake != "" {
		if opts.Extra, err = unusedFindings(f.lake, f.since, opts.Now); err != nil {
			return err
		}
	}
	// The report is written and its FAIL and UNKNOWN findings read: the
	// PASS findings can stay compact.
	opts.CompactPasses = true
	opts.NoSources = f.format != "sarif" // only SARIF prints them
	// A cloud export holds most classes: its rules are prepared while it
	// is imported.
	opts.PrepareRules = true
	var collected *live.Summary
	var liveErr error
	if f.live {
		dir := f.save
		if dir == "" {
			if dir, err = os.MkdirTemp("", "vigil-live-"); err != nil {
				return err
			}
			defer os.RemoveAll(dir)
		}
		collected, liveErr = lf.collectLive(ctx, cmd, dir, f.save != "")
		if collected == nil || (!collected.Reached() && len(args) == 0) {
			return liveErr // nothing to scan
		}
		opts.Paths = append(opts.Paths, dir)
	}
	res, err := scan.Run(ctx, engine, opts)
	if err != nil {
		return err
	}
	if collected != nil {
		collect.Annotate(res.Report.Findings, collected.Failures)
	}
	if err := f.finish(cmd, res.Report, res.Inventory.Errors, failOn); err != nil {
		return err
	}
	return liveErr
}

// options checks the shared flags and turns them into scan options, the
// --fail-on severity and the rule engine.
func (f scanFlags) options(cmd *cobra.Command) (scan.Options, finding.Severity, *policy.Engine, error) {
	ctx := cmd.Context()
	opts := scan.Options{TuneGC: true}
	fail := func(err error) (scan.Options, finding.Severity, *policy.Engine, error) {
		return opts, "", nil, usageErr(err)
	}
	if !slices.Contains(report.Formats, f.format) {
		return fail(fmt.Errorf("unknown --format %q (want one of %s)", f.format, strings.Join(report.Formats, ", ")))
	}
	var err error
	if opts.Filter, err = buildFilter(f); err != nil {
		return fail(err)
	}
	var failOn finding.Severity
	if f.failOn != "" {
		if failOn, err = finding.ParseSeverity(f.failOn); err != nil {
			return fail(fmt.Errorf("--fail-on: %w", err))
		}
	}
	if f.now != "" {
		if opts.Now, err = parseTime(f.now); err != nil {
			return fail(fmt.Errorf("--now: %w", err))
		}
	}
	if f.suppressions != "" {
		if opts.Suppressions, err = suppress.Load(f.suppressions); err != nil {
			return fail(err)
		}
	}
	for _, c := range f.catalogues {
		cat, err := compliance.LoadCatalogue(c)
		if err != nil {
			return fail(err)
		}
		opts.Catalogues = append(opts.Catalogues, cat)
	}
	srcs, err := ruleSources(f.ruleDirs)
	if err != nil {
		return opts, "", nil, err
	}
	stderr := cmd.ErrOrStderr()
	if file, ok := stderr.(*os.File); ok && term.IsTerminal(int(file.Fd())) {
		opts.Progress = func(stage string) { fmt.Fprintf(stderr, "vigil: %s...\n", stage) }
	}
	engine, gov, err := newEngine(ctx, srcs, f.governance)
	if err != nil {
		return fail(err)
	}
	opts.Governance = gov
	return opts, failOn, engine, nil
}

// newEngine loads the rules; with a governance policy file, the
// governance rules it has something to judge with too.
func newEngine(ctx context.Context, srcs []policy.Source, governanceFile string) (*policy.Engine, *governance.Policy, error) {
	if governanceFile == "" {
		e, err := policy.New(ctx, srcs)
		return e, nil, err
	}
	gov, err := governance.Load(governanceFile)
	if err != nil {
		return nil, nil, err
	}
	e, err := policy.New(ctx, srcs, policy.OptIn(governance.OptIn), policy.LeaveOut(gov.LeavesOut))
	return e, gov, err
}

// finish writes the report as the flags say, prints the input errors and
// returns the exit status: 2 when an input could not be read, 1 when a
// FAIL at or above --fail-on remains.
func (f scanFlags) finish(cmd *cobra.Command, rep *report.Report, inputErrors []source.Problem, failOn finding.Severity) error {
	ctx := cmd.Context()
	stderr := cmd.ErrOrStderr()
	rep.ListPassing = f.listPassing
	rep.Version = buildVersion()
	if err := writeTo(cmd, f.output, func(w io.Writer) error { return report.Write(ctx, w, f.format, rep) }); err != nil {
		return err
	}
	for _, ie := range inputErrors {
		fmt.Fprintln(stderr, "vigil: input error:", ie.Error())
	}
	if n := len(inputErrors); n > 0 {
		return &exitError{code: exitUsage, err: fmt.Errorf("%d input(s) could not be read; the rest was scanned", n)}
	}
	if failOn != "" && finding.FailsAt(rep.Findings, failOn) {
		return &exitError{code: exitFindings}
	}
	return nil
}

func buildFilter(f scanFlags) (finding.Filter, error) {
	var flt finding.Filter
	for _, p := range f.providers {
		p = strings.ToLower(strings.TrimSpace(p))
		if p != "aws" && p != "azure" && p != "gcp" && p != "kubernetes" {
			return flt, fmt.Errorf("--provider %q: want aws, azure, gcp or kubernetes", p)
		}
		flt.Providers = append(flt.Providers, p)
	}
	if f.severity != "" {
		s, err := finding.ParseSeverity(f.severity)
		if err != nil {
			return flt, fmt.Errorf("--severity: %w", err)
		}
		flt.MinSeverity = s
	}
	flt.Frameworks = f.frameworks
	flt.Rules = f.rules
	for _, s := range f.statuses {
		st := finding.Status(strings.ToUpper(strings.TrimSpace(s)))
		if st != finding.Fail && st != finding.Pass && st != finding.Unknown {
			return flt, fmt.Errorf("--status %q: want fail, pass or unknown", s)
		}
		flt.Statuses = append(flt.Statuses, st)
	}
	return flt, nil
}

func parseTime(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC(), nil
	}
	if t, err := time.Parse("2006-01-02", s); err == nil {
		return t.UTC(), nil
	}
	return time.Time{}, errors.New("want RFC 3339 (2026-11-24T00:00:00Z) or a date (2026-11-24)")
}
