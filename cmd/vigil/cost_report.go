package main

import (
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/vigil-sec/vigil/internal/cost"
	"github.com/vigil-sec/vigil/internal/lake"
)

// costFlags are the flags the cost reports share.
type costFlags struct {
	dir, format, findings, from, to string
}

func (f *costFlags) register(cmd *cobra.Command, findingsHelp string) {
	cmd.Flags().StringVar(&f.dir, "lake", lake.DefaultDir, "lake directory")
	cmd.Flags().StringVarP(&f.format, "format", "f", "table", "output format: table, json")
	cmd.Flags().StringVar(&f.findings, "findings", "", findingsHelp)
	cmd.Flags().StringVar(&f.from, "from", "", "first day (YYYY-MM-DD)")
	cmd.Flags().StringVar(&f.to, "to", "", "last day (YYYY-MM-DD)")
}

func (f *costFlags) days() (from, to time.Time, err error) {
	if f.from != "" {
		if from, err = time.Parse("2006-01-02", f.from); err != nil {
			return from, to, usageErr(fmt.Errorf("--from: want YYYY-MM-DD: %w", err))
		}
	}
	if f.to != "" {
		if to, err = time.Parse("2006-01-02", f.to); err != nil {
			return from, to, usageErr(fmt.Errorf("--to: want YYYY-MM-DD: %w", err))
		}
	}
	if f.format != "table" && f.format != "json" {
		return from, to, usageErr(fmt.Errorf("--format %q: want table or json", f.format))
	}
	return from, to, nil
}

func (f *costFlags) inventory() (*cost.Inventory, error) {
	if f.findings == "" {
		return nil, nil
	}
	inv, err := cost.LoadInventory(f.findings)
	if err != nil {
		return nil, usageErr(fmt.Errorf("--findings: %w", err))
	}
	return inv, nil
}

func (f *costFlags) checkLake() error {
	if _, err := os.Stat(f.dir); err != nil {
		return usageErr(fmt.Errorf("no lake at %s (run vigil cost ingest first, or give --lake): %w", f.dir, err))
	}
	return nil
}

func newCostReportCmd() *cobra.Command {
	var (
		f       costFlags
		require []string
		top     int
	)
	cmd := &cobra.Command{
		Use:   "report",
		Short: "Spend by cloud, account, service, tag key and sensitivity class; untagged and security-service spend",
		Long: `report sums the billing rows of the lake (vigil cost ingest) by cloud,
account, service and tag key, gives the untagged share (charges without any
tag) and, with --require-tag, the share missing each required key, the spend on
security services (a shipped list per cloud: GuardDuty, Security Hub,
Inspector, Macie, WAF, KMS, CloudTrail, Config, Shield...; Defender for Cloud,
Sentinel, Key Vault, Azure Firewall...; Security Command Center, Cloud Armor,
Cloud KMS, Chronicle...), and, with --findings (a vigil scan --format json
output), the spend by sensitivity class of the resources billed (their
data-classification tag). Amounts are per currency, never converted.`,
		Example: `  vigil cost ingest examples/org/billing
  vigil scan examples/org --format json --output findings.json
  vigil cost report --findings findings.json --require-tag owner`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			from, to, err := f.days()
			if err != nil {
				return err
			}
			if err := f.checkLake(); err != nil {
				return err
			}
			inv, err := f.inventory()
			if err != nil {
				return err
			}
			db, err := cost.DB(cmd.Context(), f.dir)
			if err != nil {
				return err
			}
			defer db.Close()
			rep, err := cost.BuildReport(cmd.Context(), db, cost.ReportOptions{From: from, To: to, RequireTags: require, Inventory: inv, Top: top})
			if err != nil {
				return err
			}
			if rep.Rows == 0 {
				return &exitError{code: exitUsage, err: fmt.Errorf("no billing rows in the lake %s for these days (run vigil cost ingest)", f.dir)}
			}
			if f.format == "json" {
				return writeJSON(cmd.OutOrStdout(), rep)
			}
			return cost.WriteReport(cmd.OutOrStdout(), rep)
		},
	}
	f.register(cmd, "vigil scan --format json output: join billed resources with the inventory for sensitivity classes")
	cmd.Flags().StringSliceVar(&require, "require-tag", nil, "tag key every charge should carry (repeatable): report the spend missing it")
	cmd.Flags().IntVar(&top, "top", 20, "lines per breakdown")
	return cmd
}

func newCostAnomaliesCmd() *cobra.Command {
	var (
		f      costFlags
		alerts []string
		opts   cost.AnomalyOptions
	)
	cmd := &cobra.Command{
		Use:   "anomalies",
		Short: "Daily spend anomalies per account and service, each correlated with detection alerts and posture findings",
		Long: `anomalies flags the days whose spend on a service of an account departs from
its trailing baseline: with m the median and MAD the median absolute deviation
of the --window days before (at least 7), a day is an anomaly when
cost - m > max(k * 1.4826 * MAD, --min-delta) and cost >= --min-ratio * m.

Each anomaly becomes ONE finding (JSON with --format json, the finding fields
of vigil scan plus "anomaly", "alerts" and "posture_findings"): alerts of vigil
detect (--alerts, its JSON lines output) on the same provider and account from
the day before to the day after, and failed posture findings (--findings, a
vigil scan --format json output) on that account's resources that grew or are
of the same service category. Rule cost-anomaly-correlated when something
correlates (severity HIGH with an alert, CRITICAL with a critical alert), else
cost-anomaly (MEDIUM).

Exit status 0 whether or not anomalies are found (the table says "no
anomalies"); 2 for usage errors or an empty lake.`,
		Example: `  vigil detect cloudtrail/ --output alerts.jsonl
  vigil scan examples/org --format json --output findings.json
  vigil cost anomalies --alerts alerts.jsonl --findings findings.json --format json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			from, to, err := f.days()
			if err != nil {
				return err
			}
			if err := f.checkLake(); err != nil {
				return err
			}
			inv, err := f.inventory()
			if err != nil {
				return err
			}
			var als []cost.Alert
			var bad int
			for _, p := range alerts {
				a, err := cost.LoadAlerts(p, costProblemPrinter(cmd.ErrOrStderr(), &bad))
				if err != nil {
					return usageErr(fmt.Errorf("--alerts: %w", err))
				}
				als = append(als, a...)
			}
			db, err := cost.DB(cmd.Context(), f.dir)
			if err != nil {
				return err
			}
			defer db.Close()
			var rows int
			if err := db.QueryRowContext(cmd.Context(), "SELECT count(*) FROM cost").Scan(&rows); err != nil {
				return err
			}
			if rows == 0 {
				return &exitError{code: exitUsage, err: fmt.Errorf("no billing rows in the lake %s (run vigil cost ingest)", f.dir)}
			}
			opts.From, opts.To = from, to
			anoms, err := cost.Detect(cmd.Context(), db, opts)
			if err != nil {
				return err
			}
			fs := cost.Correlate(anoms, als, inv)
			if f.format == "json" {
				if fs == nil {
					fs = []cost.CostFinding{}
				}
				return writeJSON(cmd.OutOrStdout(), map[string]any{"findings": fs})
			}
			if len(fs) == 0 {
				fmt.Fprintln(cmd.OutOrStdout(), "no anomalies")
				return nil
			}
			if inv == nil {
				fmt.Fprintln(cmd.ErrOrStderr(), "vigil: note: no --findings: anomalies are not correlated with posture findings")
			}
			if len(alerts) == 0 {
				fmt.Fprintln(cmd.ErrOrStderr(), "vigil: note: no --alerts: anomalies are not correlated with detection alerts")
			}
			return cost.WriteFindings(cmd.OutOrStdout(), fs)
		},
	}
	f.register(cmd, "vigil scan --format json output: posture findings to correlate")
	cmd.Flags().StringSliceVar(&alerts, "alerts", nil, "vigil detect alerts (JSON lines) to correlate (repeatable)")
	cmd.Flags().IntVar(&opts.Window, "window", 14, "trailing days of the baseline")
	cmd.Flags().Float64Var(&opts.K, "k", 5, "MADs above the median")
	cmd.Flags().Float64Var(&opts.MinDelta, "min-delta", 20, "smallest daily increase over the median that counts (currency units)")
	cmd.Flags().Float64Var(&opts.MinRatio, "min-ratio", 1.5, "smallest day/median ratio that counts")
	return cmd
}

func newCostIdleCmd() *cobra.Command {
	var (
		f     costFlags
		share float64
	)
	cmd := &cobra.Command{
		Use:   "idle --findings FINDINGS.json",
		Short: "Publicly exposed resources that cost money but show no use, ranked by spend",
		Long: `idle lists the resources with a failed exposure finding (public access, open
firewall, public IP, public snapshot...) in --findings (a vigil scan --format
json output) that are billed in the lake and look idle: at most --max-activity
of their spend is usage-driven charges (data transfer, requests, operations,
invocations, queries), so they cost capacity - storage, snapshots, provisioned
instances - for nobody but an attacker. Ranked by spend.`,
		Example: `  vigil cost idle --findings findings.json`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			from, to, err := f.days()
			if err != nil {
				return err
			}
			if f.findings == "" {
				return usageErr(errors.New("idle needs --findings (a vigil scan --format json output)"))
			}
			if err := f.checkLake(); err != nil {
				return err
			}
			inv, err := f.inventory()
			if err != nil {
				return err
			}
			db, err := cost.DB(cmd.Context(), f.dir)
			if err != nil {
				return err
			}
			defer db.Close()
			ls, err := cost.FindIdleExposed(cmd.Context(), db, inv, cost.IdleOptions{MaxActivityShare: share, DayFilter: cost.ReportOptions{From: from, To: to}})
			if err != nil {
				return err
			}
			if f.format == "json" {
				if ls == nil {
					ls = []cost.IdleExposed{}
				}
				return writeJSON(cmd.OutOrStdout(), map[string]any{"idle_exposed": ls})
			}
			if len(ls) == 0 {
				fmt.Fprintln(cmd.OutOrStdout(), "no idle exposed resources among the billed ones")
				return nil
			}
			return cost.WriteIdle(cmd.OutOrStdout(), ls)
		},
	}
	f.register(cmd, "vigil scan --format json output (required)")
	cmd.Flags().Float64Var(&share, "max-activity", 0.01, "largest share of usage-driven charges for a resource to count as idle")
	return cmd
}
