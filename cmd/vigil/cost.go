package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/vigil-sec/vigil/internal/cost"
	"github.com/vigil-sec/vigil/internal/lake"
)

func newCostCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "cost",
		Short: "Cloud spend joined with security: billing exports into the lake, reports, anomalies with alerts",
		Long: `cost reads billing exports - FinOps FOCUS 1.0-1.2, AWS CUR 2.0, Azure cost
details, GCP billing export rows - into the lake (the view cost of vigil query),
and reports spend by cloud, account, service, tag and sensitivity class, the
untagged share, spend on security services, daily spend anomalies correlated
with detection alerts and posture findings, and idle but exposed resources.
See docs/cost.md.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.AddCommand(newCostIngestCmd(), newCostReportCmd(), newCostAnomaliesCmd(), newCostIdleCmd())
	return cmd
}

// costProblemPrinter prints billing input problems and counts those that
// lost data (warnings about unknown columns lose none).
func costProblemPrinter(w io.Writer, bad *int) func(cost.Problem) {
	return func(p cost.Problem) {
		if p.Warning {
			fmt.Fprintf(w, "vigil: warning: %v\n", &p)
			return
		}
		*bad++
		fmt.Fprintf(w, "vigil: %v\n", &p)
	}
}

func newCostIngestCmd() *cobra.Command {
	var dir string
	cmd := &cobra.Command{
		Use:   "ingest FILE|DIR...",
		Short: "Read billing exports (FOCUS, CUR 2.0, Azure cost details, GCP billing export) into the lake",
		Long: `ingest reads billing exports - CSV, gzip CSV, JSON lines (GCP) or Parquet
(FOCUS, CUR 2.0) - detecting the format from the header, and stores normalized
rows under LAKE/cost/format=<format>/ (one Parquet file per input file, named by
the hash of its content: ingesting a file again stores nothing).

Columns the format does not know are listed as a warning and the known ones are
read; a malformed row is reported with file:line and the rest is read. Exit
status 2 when rows or files could not be read, or when nothing was ingested.`,
		Example: `  vigil cost ingest examples/org/billing
  vigil query "SELECT provider, service, sum(cost) AS spend FROM cost GROUP BY ALL ORDER BY spend DESC"`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			l, err := lake.Open(dir)
			if err != nil {
				return usageErr(err)
			}
			stderr := cmd.ErrOrStderr()
			var bad int
			opts := cost.IngestOptions{OnProblem: costProblemPrinter(stderr, &bad)}
			if f, ok := stderr.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
				opts.Progress = func(rows int, el time.Duration) {
					fmt.Fprintf(f, "\rvigil: cost ingest: %d rows, %.0f rows/s ", rows, float64(rows)/max(el.Seconds(), 1e-9))
				}
			}
			st, err := cost.Ingest(cmd.Context(), l.Dir, args, opts)
			if opts.Progress != nil {
				fmt.Fprintln(stderr)
			}
			printCostIngest(cmd.OutOrStdout(), l.Dir, st)
			if err != nil {
				return &exitError{code: exitUsage, err: err}
			}
			if bad > 0 {
				return &exitError{code: exitUsage, err: fmt.Errorf("%d problem(s) reading the input; the rest was ingested", bad)}
			}
			if st.Total() == 0 && st.AlreadyDone == 0 {
				return &exitError{code: exitUsage, err: errors.New("no billing rows found: nothing ingested")}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&dir, "lake", lake.DefaultDir, "lake directory")
	return cmd
}

func printCostIngest(w io.Writer, dir string, st cost.IngestStats) {
	fmts := make([]string, 0, len(st.Rows))
	for f := range st.Rows {
		fmts = append(fmts, string(f))
	}
	sort.Strings(fmts)
	fmt.Fprintf(w, "%-8s %12s\n", "format", "rows")
	for _, f := range fmts {
		fmt.Fprintf(w, "%-8s %12d\n", f, st.Rows[cost.Format(f)])
	}
	fmt.Fprintf(w, "files read: %d, already ingested: %d, rows stored: %d, bad rows: %d, unreadable files: %d, files with unknown columns: %d\n",
		st.Files, st.AlreadyDone, st.Total(), st.Bad, st.Problems, st.Warnings)
	fmt.Fprintf(w, "lake: %s (view cost)\n", dir)
}
