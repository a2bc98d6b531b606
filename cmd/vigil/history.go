package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
	"unicode"

	"github.com/spf13/cobra"

	"github.com/vigil-sec/vigil/internal/collect"
	"github.com/vigil-sec/vigil/internal/collect/live"
	"github.com/vigil-sec/vigil/internal/compliance"
	"github.com/vigil-sec/vigil/internal/finding"
	"github.com/vigil-sec/vigil/internal/history"
	"github.com/vigil-sec/vigil/internal/scan"
)

// defaultHistoryDB is where the history lives without --db or
// VIGIL_HISTORY.
const defaultHistoryDB = ".vigil/history.db"

// historyDSN is the --db flag's default: $VIGIL_HISTORY, else
// .vigil/history.db.
func historyDSN() string {
	if v := os.Getenv("VIGIL_HISTORY"); v != "" {
		return v
	}
	return defaultHistoryDB
}

func addDBFlag(cmd *cobra.Command, dsn *string) {
	cmd.Flags().StringVar(dsn, "db", historyDSN(), "history database: an SQLite file, or a postgres:// URL ($VIGIL_HISTORY when set)")
}

// openHistory opens an existing history for reading commands.
func openHistory(ctx context.Context, dsn string) (*history.Store, error) {
	s, err := history.OpenExisting(ctx, dsn)
	if err != nil {
		return nil, usageErr(err)
	}
	return s, nil
}

func newHistoryCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "history",
		Short: "Record scans and follow findings over time: lifecycle, suppressions, posture trend",
		Long: `Record scan runs in a history store and follow each finding across runs: new, open, resolved,
reopened or suppressed (with reason, owner and expiry), first and last seen, time to resolve; and the
posture score per cloud, account, framework and control over runs. vigil diff compares two runs.

The store is an SQLite file (default .vigil/history.db, or $VIGIL_HISTORY, or --db FILE) or, for a team,
a PostgreSQL database (--db postgres://user@host/db). See docs/history.md.`,
	}
	cmd.AddCommand(newHistoryRecordCmd(), newHistoryRunsCmd(), newHistoryFindingsCmd(), newHistorySuppressCmd(), newHistoryTrendCmd())
	return cmd
}

type historyRecordFlags struct {
	db, source, report, format string
}

func newHistoryRecordCmd() *cobra.Command {
	var hf historyRecordFlags
	var f scanFlags
	var lf liveFlags
	cmd := &cobra.Command{
		Use:   "record PATH... | record --live | record --report FILE --source NAME",
		Short: "Scan and record the run in the history",
		Long: `Scan as vigil scan does (PATHs, or --live) and record the run: its findings, their lifecycle and the
run's posture. Or record a scan already written with vigil scan --format json (--report FILE).

Runs of one source are compared with each other: a finding failing in the previous run of its source and
passing, or absent, now is resolved. The source defaults to the absolute input paths (or "live"); name it
with --source to keep one history across moved paths. A run with unreadable inputs is recorded as partial:
its absent findings are not taken as resolved.

Exit status: 0 recorded; 2 usage error, or inputs that could not be read (the run is still recorded, as partial).`,
		Example: `  vigil history record examples/org
  vigil history record exports/ --source prod-org --suppressions suppressions.yaml
  vigil history record --live --cloud aws --db postgres://vigil@db.internal/vigil
  vigil scan exports/ -f json -o scan.json && vigil history record --report scan.json --source prod-org`,
		Args: func(cmd *cobra.Command, args []string) error {
			switch {
			case hf.report != "" && (len(args) > 0 || f.live):
				return usageErr(errors.New("--report records a saved scan: give no PATH and no --live"))
			case hf.report != "" && hf.source == "":
				return usageErr(errors.New("--report needs --source (the name runs of this scan share)"))
			case hf.report == "" && !f.live && len(args) == 0:
				return usageErr(errors.New("give one or more PATHs to scan, --live, or --report FILE"))
			}
			return checkFormat(hf.format, "table", "json")
		},
		RunE: func(cmd *cobra.Command, args []string) error { return runHistoryRecord(cmd, args, hf, f, lf) },
	}
	fl := cmd.Flags()
	addDBFlag(cmd, &hf.db)
	fl.StringVar(&hf.source, "source", "", "name of what is scanned; runs of one source are compared (default: the absolute input paths, or live)")
	fl.StringVar(&hf.report, "report", "", "record this vigil scan --format json file instead of scanning")
	fl.StringVarP(&hf.format, "format", "f", "table", "output format: table or json")
	// The scan flags that change what is found; filters are left out: a
	// filtered-out finding would look resolved.
	f.format = "table"
	fl.StringArrayVar(&f.ruleDirs, "rules", nil, "directory of custom Rego rules, evaluated with the built-in ones (repeatable)")
	fl.StringVar(&f.suppressions, "suppressions", "", "YAML suppressions file (rule, resource pattern, reason, expires)")
	fl.StringArrayVar(&f.catalogues, "catalogue", nil, "CIS control list (TSV) for the compliance summary (repeatable)")
	fl.StringVar(&f.now, "now", "", "scan as of this time (RFC 3339 or YYYY-MM-DD) instead of now: the run's time, key ages, suppression expiry")
	fl.StringVar(&f.governance, "governance", "", "governance policy (YAML; docs/governance.md)")
	fl.BoolVar(&f.noIdentity, "no-identity", false, "leave out the identity analysis")
	fl.BoolVar(&f.live, "live", false, "collect the clouds live, read-only, and scan that")
	fl.StringVar(&f.save, "save", "", "with --live: keep the collected exports in this directory")
	lf.register(fl)
	return cmd
}

func runHistoryRecord(cmd *cobra.Command, args []string, hf historyRecordFlags, f scanFlags, lf liveFlags) error {
	ctx := cmd.Context()
	var sc *history.Scan
	var scanErr, liveErr error
	if hf.report != "" {
		var err error
		if sc, err = readScanReport(hf.report); err != nil {
			return usageErr(err)
		}
	} else if sc, liveErr, scanErr = scanForHistory(cmd, args, f, lf); sc == nil {
		if scanErr != nil {
			return scanErr
		}
		return liveErr
	}
	if hf.source != "" {
		sc.Source = hf.source
	}
	store, err := history.Open(ctx, hf.db)
	if err != nil {
		return usageErr(err)
	}
	defer store.Close()
	run, err := store.Record(ctx, sc)
	if err != nil {
		return err
	}
	if scanErr != nil {
		return fmt.Errorf("the scan failed (recorded as failed run %d): %w", run.ID, scanErr)
	}
	w := cmd.OutOrStdout()
	if hf.format == "json" {
		if err := writeJSON(w, run); err != nil {
			return err
		}
	} else {
		fmt.Fprintf(w, "run %d recorded (%s, %s): %d findings: %d fail, %d suppressed, %d pass, %d unknown; posture %s\n",
			run.ID, cell(run.Source), run.Status, run.Total, run.Fail, run.Suppressed, run.Pass, run.Unknown, pct(run.PostureScore))
		fmt.Fprintf(w, "since the previous run of the source: %d new, %d reopened, %d resolved\n", run.New, run.Reopened, run.Resolved)
	}
	for _, e := range sc.Errors {
		fmt.Fprintln(cmd.ErrOrStderr(), "vigil: input error:", e)
	}
	if n := len(sc.Errors); n > 0 {
		return &exitError{code: exitUsage, err: fmt.Errorf("%d input(s) could not be read; the run is recorded as partial", n)}
	}
	return liveErr
}

// scanForHistory scans as vigil scan does and returns the scan to record
// (nil when there is nothing to record), the live collection's error, and
// the scan's error (the scan is then a failed run).
func scanForHistory(cmd *cobra.Command, args []string, f scanFlags, lf liveFlags) (*history.Scan, error, error) {
	ctx := cmd.Context()
	for _, p := range args {
		if _, err := os.Stat(p); err != nil {
			return nil, nil, usageErr(err)
		}
	}
	if f.save != "" && !f.live {
		return nil, nil, usageErr(errors.New("--save needs --live"))
	}
	opts, _, engine, err := f.options(cmd)
	if err != nil {
		return nil, nil, err
	}
	clock := time.Now()
	if opts.Now.IsZero() {
		opts.Now = clock.UTC()
	}
	opts.Paths = args
	opts.Identity = !f.noIdentity
	sc := &history.Scan{Kind: "paths", Inputs: absPaths(args), Started: opts.Now, Version: buildVersion()}
	var collected *live.Summary
	var liveErr error
	if f.live {
		sc.Kind = "live"
		sc.Inputs = append(sc.Inputs, "live")
		dir := f.save
		if dir == "" {
			if dir, err = os.MkdirTemp("", "vigil-live-"); err != nil {
				return nil, nil, err
			}
			defer os.RemoveAll(dir)
		}
		collected, liveErr = lf.collectLive(ctx, cmd, dir, f.save != "")
		if collected == nil || (!collected.Reached() && len(args) == 0) {
			return nil, liveErr, nil // nothing to scan
		}
		opts.Paths = append(opts.Paths, dir)
	}
	sc.Source = strings.Join(sc.Inputs, ",")
	res, err := scan.Run(ctx, engine, opts)
	sc.Finished = sc.Started.Add(time.Since(clock))
	if err != nil {
		sc.Failed, sc.Errors = true, []string{err.Error()}
		return sc, liveErr, err
	}
	if collected != nil {
		collect.Annotate(res.Report.Findings, collected.Failures)
	}
	for _, ie := range res.Inventory.Errors {
		sc.Errors = append(sc.Errors, ie.Error())
	}
	sc.Findings, sc.Rules, sc.Compliance = res.Report.Findings, res.Report.Rules, res.Report.Compliance
	return sc, liveErr, nil
}

func absPaths(ps []string) []string {
	out := make([]string, 0, len(ps))
	for _, p := range ps {
		if a, err := filepath.Abs(p); err == nil {
			p = a
		}
		out = append(out, p)
	}
	return out
}

// readScanReport reads a vigil scan --format json report.
func readScanReport(path string) (*history.Scan, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var doc struct {
		Findings *[]finding.Finding `json:"findings"`
		Summary  struct {
			GeneratedAt string                        `json:"generated_at"`
			Version     string                        `json:"version"`
			Compliance  []compliance.FrameworkSummary `json:"compliance"`
		} `json:"summary"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		return nil, fmt.Errorf("%s: not a vigil scan JSON report: %w", path, err)
	}
	if doc.Findings == nil {
		return nil, fmt.Errorf("%s: not a vigil scan JSON report (no findings array)", path)
	}
	at, err := time.Parse(time.RFC3339, doc.Summary.GeneratedAt)
	if err != nil {
		return nil, fmt.Errorf("%s: summary.generated_at: %w", path, err)
	}
	abs, _ := filepath.Abs(path)
	return &history.Scan{Kind: "report", Inputs: []string{abs}, Started: at, Finished: at, Version: doc.Summary.Version,
		Findings: *doc.Findings, Compliance: doc.Summary.Compliance}, nil
}

func pct(p *float64) string {
	if p == nil {
		return "-"
	}
	return strconv.FormatFloat(*p, 'f', 1, 64) + "%"
}

// cell keeps a table cell on one line and free of control characters
// (cloud data is attacker-controlled).
func cell(s string) string {
	if !strings.ContainsFunc(s, func(r rune) bool { return unicode.IsControl(r) || r == unicode.ReplacementChar }) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
}

func newHistoryRunsCmd() *cobra.Command {
	var dsn, source, format string
	var limit int
	cmd := &cobra.Command{
		Use:   "runs",
		Short: "List the recorded runs, newest first",
		Long: `List the recorded runs, newest first: status (complete, partial, failed), findings, posture score and
what changed since the previous run of the source.

Exit status: 0 listed; 2 usage error, or no history or no run recorded.`,
		Example: `  vigil history runs
  vigil history runs --limit 10 --format json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := checkFormat(format, "table", "json"); err != nil {
				return err
			}
			ctx := cmd.Context()
			s, err := openHistory(ctx, dsn)
			if err != nil {
				return err
			}
			defer s.Close()
			runs, err := s.Runs(ctx, history.RunQuery{Source: source, Limit: limit})
			if err != nil {
				return err
			}
			if len(runs) == 0 {
				return nothing("no run recorded in %s (vigil history record PATH...)", dsn)
			}
			w := cmd.OutOrStdout()
			if format == "json" {
				return writeJSON(w, runs)
			}
			tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "RUN\tSTARTED\tSTATUS\tSOURCE\tFAIL\tPASS\tUNKNOWN\tMUTED\tSCORE\tNEW\tREOPENED\tRESOLVED\tDURATION")
			for _, r := range runs {
				fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%d\t%d\t%d\t%d\t%s\t%d\t%d\t%d\t%s\n", r.ID, r.Started.Format(time.RFC3339), r.Status,
					cell(r.Source), r.Fail, r.Pass, r.Unknown, r.Suppressed, pct(r.PostureScore), r.New, r.Reopened, r.Resolved,
					(time.Duration(r.DurationMS) * time.Millisecond).String())
			}
			return tw.Flush()
		},
	}
	addDBFlag(cmd, &dsn)
	cmd.Flags().StringVar(&source, "source", "", "only runs of this source")
	cmd.Flags().IntVar(&limit, "limit", 20, "list the newest N runs")
	cmd.Flags().StringVarP(&format, "format", "f", "table", "output format: table or json")
	return cmd
}

type historyFindingsFlags struct {
	dsn, source, resource, sort, groupBy, format string
	states, severities, clouds, accounts, rules  []string
	desc                                         bool
	limit, offset                                int
}

func (f historyFindingsFlags) query() (history.FindingQuery, error) {
	q := history.FindingQuery{Source: f.source, Providers: f.clouds, Accounts: f.accounts, Rules: f.rules, Resource: f.resource,
		Sort: f.sort, Desc: f.desc, Limit: f.limit, Offset: f.offset}
	for _, s := range f.states {
		if s == "all" {
			q.States = nil
			break
		}
		st, err := history.ParseState(s)
		if err != nil {
			return q, fmt.Errorf("--state: %w", err)
		}
		q.States = append(q.States, st)
	}
	for _, s := range f.severities {
		sev, err := finding.ParseSeverity(s)
		if err != nil {
			return q, fmt.Errorf("--severity: %w", err)
		}
		q.Severities = append(q.Severities, sev)
	}
	if f.sort != "" && !slices.Contains(history.SortKeys, f.sort) {
		return q, fmt.Errorf("--sort %q: want one of %s", f.sort, strings.Join(history.SortKeys, ", "))
	}
	if f.groupBy != "" && !slices.Contains(history.GroupKeys, f.groupBy) {
		return q, fmt.Errorf("--group-by %q: want one of %s", f.groupBy, strings.Join(history.GroupKeys, ", "))
	}
	if f.limit < 0 || f.offset < 0 {
		return q, errors.New("--limit and --offset cannot be negative")
	}
	return q, nil
}

func newHistoryFindingsCmd() *cobra.Command {
	var f historyFindingsFlags
	cmd := &cobra.Command{
		Use:   "findings",
		Short: "List findings with their lifecycle: state, first and last seen, time to resolve",
		Long: `List the findings of the history, worst first, with their lifecycle state as of the last recorded run:
new, open, reopened, suppressed or resolved (default: the failing ones, every state but resolved;
--state all lists every finding, those that never failed too). Filter by state, severity, cloud,
account, rule or resource; sort; page with --limit and --offset; or count them grouped by rule,
resource, account, provider, severity or state (--group-by).

Exit status: 0 listed (possibly none: said on stderr); 2 usage error or no history.`,
		Example: `  vigil history findings
  vigil history findings --state new,reopened --severity critical,high
  vigil history findings --state resolved --sort last_seen --desc --format json
  vigil history findings --group-by account`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runHistoryFindings(cmd, f) },
	}
	fl := cmd.Flags()
	addDBFlag(cmd, &f.dsn)
	fl.StringSliceVar(&f.states, "state", []string{"new", "open", "reopened", "suppressed"}, "lifecycle states: new, open, reopened, suppressed, resolved, or all")
	fl.StringSliceVar(&f.severities, "severity", nil, "only these severities (critical, high, medium, low, info)")
	fl.StringSliceVar(&f.clouds, "cloud", nil, "only these clouds: aws, azure, gcp, kubernetes")
	fl.StringSliceVar(&f.accounts, "account", nil, "only these accounts, subscriptions or projects")
	fl.StringSliceVar(&f.rules, "rule", nil, "only these rule IDs")
	fl.StringVar(&f.resource, "resource", "", "only this resource ID")
	fl.StringVar(&f.source, "source", "", "only findings of this source")
	fl.StringVar(&f.sort, "sort", "severity", "order: "+strings.Join(history.SortKeys, ", "))
	fl.BoolVar(&f.desc, "desc", false, "reverse the order (all but severity)")
	fl.IntVar(&f.limit, "limit", 100, "at most N findings (or groups)")
	fl.IntVar(&f.offset, "offset", 0, "skip the first N")
	fl.StringVar(&f.groupBy, "group-by", "", "count by: "+strings.Join(history.GroupKeys, ", "))
	fl.StringVarP(&f.format, "format", "f", "table", "output format: table or json")
	return cmd
}

func runHistoryFindings(cmd *cobra.Command, f historyFindingsFlags) error {
	if err := checkFormat(f.format, "table", "json"); err != nil {
		return err
	}
	q, err := f.query()
	if err != nil {
		return usageErr(err)
	}
	ctx := cmd.Context()
	s, err := openHistory(ctx, f.dsn)
	if err != nil {
		return err
	}
	defer s.Close()
	w := cmd.OutOrStdout()
	if f.groupBy != "" {
		groups, err := s.Group(ctx, f.groupBy, q)
		if err != nil {
			return err
		}
		if len(groups) == 0 {
			fmt.Fprintln(cmd.ErrOrStderr(), "vigil: no finding matches")
		}
		if f.format == "json" {
			return writeJSON(w, groups)
		}
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintf(tw, "%s\tFINDINGS\tWORST\n", strings.ToUpper(f.groupBy))
		for _, g := range groups {
			fmt.Fprintf(tw, "%s\t%d\t%s\n", cell(g.Key), g.Count, g.Worst)
		}
		return tw.Flush()
	}
	fs, err := s.Findings(ctx, q)
	if err != nil {
		return err
	}
	total, err := s.CountFindings(ctx, q)
	if err != nil {
		return err
	}
	if len(fs) == 0 {
		fmt.Fprintln(cmd.ErrOrStderr(), "vigil: no finding matches")
	}
	if f.format == "json" {
		return writeJSON(w, struct {
			Total    int               `json:"total"`
			Findings []history.Finding `json:"findings"`
		}{total, fs})
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "STATE\tSEVERITY\tRULE\tCLOUD\tACCOUNT\tRESOURCE\tFIRST SEEN\tLAST SEEN\tRESOLVED IN")
	for _, x := range fs {
		state := string(x.State)
		if state == "" {
			state = "pass"
		}
		ttr := "-"
		if x.State == history.StateResolved && x.TimeToResolveMS != nil {
			ttr = (time.Duration(*x.TimeToResolveMS) * time.Millisecond).Round(time.Minute).String()
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", state, x.Severity, cell(x.RuleID), x.Provider, cell(x.Account),
			cell(x.ResourceID), day(x.FirstSeen), day(x.LastSeen), ttr)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if total > len(fs) {
		fmt.Fprintf(w, "%d of %d findings (--limit, --offset for more)\n", len(fs), total)
	}
	return nil
}

func day(t *time.Time) string {
	if t == nil {
		return "-"
	}
	return t.Format("2006-01-02 15:04")
}

func newHistorySuppressCmd() *cobra.Command {
	var dsn, rule, res, reason, owner, expires, source, format string
	var list bool
	cmd := &cobra.Command{
		Use:   "suppress --rule RULE --resource ID --reason TEXT --owner WHO [--expires DATE] | suppress --list",
		Short: "Mute a finding (reason, owner, expiry), or list the suppressions",
		Long: `Mute a failing finding: one rule on one resource, or on every resource of the rule (--resource '*'),
with a reason and an owner, until an expiry date (recommended). It applies at once and to every later
run until it expires; from the first run after its expiry the finding is active (open) again.

Exit status: 0 done; 2 usage error (a reason and an owner are required) or no history.`,
		Example: `  vigil history suppress --rule aws-s3-bucket-public-read --resource arn:aws:s3:::public-site \
      --reason "static website, public by design" --owner web-team --expires 2027-06-30
  vigil history suppress --list`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := checkFormat(format, "table", "json"); err != nil {
				return err
			}
			ctx := cmd.Context()
			var exp time.Time
			if expires != "" {
				var err error
				if exp, err = parseTime(expires); err != nil {
					return usageErr(fmt.Errorf("--expires: %w", err))
				}
			}
			if !list && (rule == "" || res == "" || reason == "" || owner == "") {
				return usageErr(errors.New("give --rule, --resource, --reason and --owner (or --list)"))
			}
			s, err := openHistory(ctx, dsn)
			if err != nil {
				return err
			}
			defer s.Close()
			w := cmd.OutOrStdout()
			if list {
				sps, err := s.Suppressions(ctx)
				if err != nil {
					return err
				}
				if len(sps) == 0 {
					fmt.Fprintln(cmd.ErrOrStderr(), "vigil: no suppression recorded")
				}
				if format == "json" {
					return writeJSON(w, sps)
				}
				tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
				fmt.Fprintln(tw, "ID\tRULE\tRESOURCE\tOWNER\tEXPIRES\tREASON")
				now := time.Now()
				for _, sp := range sps {
					e := "never"
					if !sp.Expires.IsZero() {
						e = sp.Expires.Format("2006-01-02")
						if !sp.Expires.After(now) {
							e += " (expired)"
						}
					}
					fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", sp.ID, cell(sp.RuleID), cell(sp.ResourceID), cell(sp.Owner), e, cell(sp.Reason))
				}
				return tw.Flush()
			}
			sp, n, err := s.Suppress(ctx, history.Suppression{Source: source, RuleID: rule, ResourceID: res, Reason: reason, Owner: owner, Expires: exp}, time.Now())
			if err != nil {
				return usageErr(err)
			}
			if format == "json" {
				return writeJSON(w, struct {
					history.Suppression
					Muted int `json:"muted"`
				}{sp, n})
			}
			fmt.Fprintf(w, "suppression %d recorded: %d failing finding(s) muted now\n", sp.ID, n)
			if n == 0 {
				fmt.Fprintln(cmd.ErrOrStderr(), "vigil: no failing finding matches it yet; it applies to later runs")
			}
			return nil
		},
	}
	addDBFlag(cmd, &dsn)
	fl := cmd.Flags()
	fl.StringVar(&rule, "rule", "", "rule ID")
	fl.StringVar(&res, "resource", "", "resource ID, or '*' for every resource of the rule")
	fl.StringVar(&reason, "reason", "", "why the finding is accepted")
	fl.StringVar(&owner, "owner", "", "who owns the decision")
	fl.StringVar(&expires, "expires", "", "when the suppression ends (YYYY-MM-DD or RFC 3339)")
	fl.StringVar(&source, "source", "", "only in this source (default: every source)")
	fl.BoolVar(&list, "list", false, "list the suppressions instead")
	fl.StringVarP(&format, "format", "f", "table", "output format: table or json")
	return cmd
}

func newHistoryTrendCmd() *cobra.Command {
	var dsn, format string
	var q history.TrendQuery
	cmd := &cobra.Command{
		Use:   "trend",
		Short: "Posture score over runs: overall, or of a cloud, account, framework or control",
		Long: `Show the posture over runs, oldest first: pass and fail counts and the score of the whole history
(default), one cloud (--cloud), one account (--cloud and --account), one framework (--framework) or one
control (--framework and --control).

The score of the whole, a cloud, an account or a control is pass / (pass + fail) findings in percent,
UNKNOWN and suppressed left out (as vigil scan's posture score); a framework's is passed / (passed +
failed) controls (as vigil compliance's).

Exit status: 0 shown; 2 usage error, no history, or nothing recorded for that scope.`,
		Example: `  vigil history trend
  vigil history trend --cloud aws --account 111122223333
  vigil history trend --framework cis-aws-7.0 --last 30
  vigil history trend --framework soc2 --control CC6.1 --format json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := checkFormat(format, "table", "json"); err != nil {
				return err
			}
			if _, err := q.Scope(); err != nil {
				return usageErr(err)
			}
			ctx := cmd.Context()
			s, err := openHistory(ctx, dsn)
			if err != nil {
				return err
			}
			defer s.Close()
			pts, err := s.Trend(ctx, q)
			if err != nil {
				return err
			}
			if len(pts) == 0 {
				return nothing("nothing recorded for that scope (see vigil history runs, and the clouds, accounts and frameworks of the runs)")
			}
			w := cmd.OutOrStdout()
			if format == "json" {
				return writeJSON(w, pts)
			}
			tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "RUN\tSTARTED\tPASS\tFAIL\tUNKNOWN\tMUTED\tSCORE\tCHANGE\tSTATUS")
			var prev *float64
			for _, p := range pts {
				change := ""
				if prev != nil && p.Score != nil {
					change = fmt.Sprintf("%+.1f", *p.Score-*prev)
				}
				fmt.Fprintf(tw, "%d\t%s\t%d\t%d\t%d\t%d\t%s\t%s\t%s\n", p.RunID, p.Started, p.Pass, p.Fail, p.Unknown, p.Suppressed, pct(p.Score), change, p.Status)
				prev = p.Score
			}
			return tw.Flush()
		},
	}
	addDBFlag(cmd, &dsn)
	fl := cmd.Flags()
	fl.StringVar(&q.Provider, "cloud", "", "one cloud: aws, azure, gcp, kubernetes")
	fl.StringVar(&q.Account, "account", "", "one account, subscription or project (with --cloud)")
	fl.StringVar(&q.Framework, "framework", "", "one framework, e.g. cis-aws-7.0, soc2")
	fl.StringVar(&q.Control, "control", "", "one control of --framework, e.g. 2.1.1")
	fl.StringVar(&q.Source, "source", "", "only runs of this source")
	fl.IntVar(&q.Last, "last", 0, "only the last N runs")
	fl.StringVarP(&format, "format", "f", "table", "output format: table or json")
	return cmd
}

// runArg reads a run argument: a run ID, latest, or previous (the run
// before the latest of the latest's source).
func runArg(ctx context.Context, s *history.Store, arg string) (int64, error) {
	switch arg {
	case "latest", "previous":
		last, err := s.LatestRun(ctx, "")
		if err != nil {
			return 0, err
		}
		if arg == "latest" {
			return last.ID, nil
		}
		rs, err := s.Runs(ctx, history.RunQuery{Source: last.Source, Limit: 2})
		if err != nil {
			return 0, err
		}
		if len(rs) < 2 {
			return 0, fmt.Errorf("no run before run %d of %s: %w", last.ID, last.Source, history.ErrNotFound)
		}
		return rs[1].ID, nil
	}
	id, err := strconv.ParseInt(arg, 10, 64)
	if err != nil || id <= 0 {
		return 0, fmt.Errorf("run %q: want a run ID (vigil history runs), latest or previous", arg)
	}
	return id, nil
}

func newDiffCmd() *cobra.Command {
	var dsn, format, failOn string
	var limit int
	cmd := &cobra.Command{
		Use:   "diff RUN_A RUN_B",
		Short: "What changed between two recorded runs: new, reopened, resolved and unchanged findings",
		Long: `Compare two runs of the history (IDs from vigil history runs, or latest and previous): the failing
findings of RUN_B that did not fail in RUN_A (new, or reopened when they had failed before), the findings of
RUN_A no longer failing in RUN_B (resolved), and how many fail in both (unchanged).

Exit status: 0 no new or reopened active finding (at or above --fail-on); 1 some; 2 usage error, no
history, or a run that does not exist.`,
		Example: `  vigil diff previous latest
  vigil diff 41 42 --fail-on high
  vigil diff 41 42 --format json`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkFormat(format, "table", "json"); err != nil {
				return err
			}
			var min finding.Severity
			if failOn != "" {
				var err error
				if min, err = finding.ParseSeverity(failOn); err != nil {
					return usageErr(fmt.Errorf("--fail-on: %w", err))
				}
			}
			ctx := cmd.Context()
			s, err := openHistory(ctx, dsn)
			if err != nil {
				return err
			}
			defer s.Close()
			var ids [2]int64
			for i, a := range args {
				if ids[i], err = runArg(ctx, s, a); err != nil {
					return usageErr(err)
				}
			}
			d, err := s.Diff(ctx, ids[0], ids[1])
			if errors.Is(err, history.ErrNotFound) {
				return usageErr(fmt.Errorf("%w (vigil history runs lists the runs)", err))
			}
			if err != nil {
				return err
			}
			w := cmd.OutOrStdout()
			if format == "json" {
				err = writeJSON(w, d)
			} else {
				err = writeDiff(w, d, limit)
			}
			if err != nil {
				return err
			}
			if d.A.Source != d.B.Source {
				fmt.Fprintf(cmd.ErrOrStderr(), "vigil: runs %d and %d are of different sources (%s, %s)\n", d.A.ID, d.B.ID, d.A.Source, d.B.Source)
			}
			if n := len(d.Active(min)); n > 0 {
				return &exitError{code: exitFindings, err: fmt.Errorf("%d new or reopened finding(s)%s in run %d", n, atOrAbove(min), d.B.ID)}
			}
			return nil
		},
	}
	addDBFlag(cmd, &dsn)
	cmd.Flags().StringVarP(&format, "format", "f", "table", "output format: table or json")
	cmd.Flags().StringVar(&failOn, "fail-on", "", "exit 1 only for new or reopened findings at or above this severity (default: any)")
	cmd.Flags().IntVar(&limit, "limit", 50, "table format: list at most N findings of each kind (0: all)")
	return cmd
}

func atOrAbove(min finding.Severity) string {
	if min == "" {
		return ""
	}
	return " at or above " + strings.ToLower(string(min))
}

func writeDiff(w io.Writer, d *history.Diff, limit int) error {
	fmt.Fprintf(w, "run %d (%s) -> run %d (%s): %d new, %d reopened, %d resolved, %d unchanged",
		d.A.ID, d.A.Started.Format(time.RFC3339), d.B.ID, d.B.Started.Format(time.RFC3339),
		len(d.New), len(d.Reopened), len(d.Resolved), d.Unchanged)
	if d.Undecided > 0 {
		fmt.Fprintf(w, ", %d undecided (UNKNOWN in run %d, or absent from a partial run)", d.Undecided, d.B.ID)
	}
	fmt.Fprintln(w)
	for _, part := range []struct {
		name string
		l    []history.DiffFinding
	}{{"NEW", d.New}, {"REOPENED", d.Reopened}, {"RESOLVED", d.Resolved}} {
		if len(part.l) == 0 {
			continue
		}
		fmt.Fprintf(w, "\n%s\n", part.name)
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		for i, f := range part.l {
			if limit > 0 && i == limit {
				fmt.Fprintf(tw, "... %d more (--limit 0, or --format json)\n", len(part.l)-limit)
				break
			}
			muted := ""
			if f.Muted {
				muted = "(suppressed)"
			}
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\n", f.Severity, cell(f.RuleID), f.Provider, cell(f.ResourceID), muted)
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	return nil
}
