package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/vigil-sec/vigil/internal/lake"
	"github.com/vigil-sec/vigil/internal/logs"
)

func newLogsCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "logs",
		Short: "Read cloud audit logs, normalize them to OCSF and store them in the lake",
		Long: `logs reads audit logs as the clouds deliver them - CloudTrail log files and
EventBridge/CloudTrail Lake events, Azure Activity Log and Entra ID sign-in and
audit logs (diagnostic settings exports), GCP Cloud Audit Logs (sink exports) -
detecting the format from the content, gzip or not.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.AddCommand(newLogsIngestCmd(), newLogsNormalizeCmd(), newLogsExportCmd())
	return cmd
}

// inputErrorPrinter prints input problems to w and counts the real errors.
func inputErrorPrinter(w io.Writer, errs *int) func(logs.InputError) {
	return func(e logs.InputError) {
		if e.Skipped {
			fmt.Fprintf(w, "vigil: note: %v\n", &e)
			return
		}
		*errs++
		fmt.Fprintf(w, "vigil: %v\n", &e)
	}
}

func newLogsIngestCmd() *cobra.Command {
	var (
		dir   string
		force bool
	)
	cmd := &cobra.Command{
		Use:   "ingest PATH...",
		Short: "Normalize audit logs to OCSF and store them in the Parquet lake",
		Long: `ingest reads every audit log file under each PATH (directories recursively,
.gz transparently), normalizes each event to OCSF 1.8.0 and stores it in the
lake: Parquet files under DIR/source=<source>/date=YYYY-MM-DD/.

Ingest is idempotent: a file whose content was ingested before is skipped, and
events already in the lake are not stored again. Bad input (truncated gzip,
malformed line, event missing required fields) is reported with file and
position and the rest is ingested; the exit status is then 2.`,
		Example: `  vigil logs ingest AWSLogs/                      # a CloudTrail S3 bucket copy
  vigil logs ingest --lake /data/lake insights-logs-signinlogs/ gcp-audit.json
  vigil query "SELECT source, count(*) FROM events GROUP BY source"`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			l, err := lake.Open(dir)
			if err != nil {
				return usageErr(err)
			}
			var bad int
			opts := lake.IngestOptions{
				OnError: inputErrorPrinter(cmd.ErrOrStderr(), &bad),
				Force:   force,
			}
			// Progress on a terminal only: nothing extra in pipes and logs.
			if f, ok := cmd.ErrOrStderr().(*os.File); ok && term.IsTerminal(int(f.Fd())) {
				opts.Progress = func(p lake.IngestProgress) {
					rate := float64(p.Events) / max(p.Elapsed.Seconds(), 1e-9)
					fmt.Fprintf(f, "\rvigil: ingest: %d files, %d events, %.0f events/s ", p.Files, p.Events, rate)
				}
			}
			st, err := l.Ingest(cmd.Context(), args, opts)
			if opts.Progress != nil {
				fmt.Fprintln(cmd.ErrOrStderr())
			}
			printIngestStats(cmd.OutOrStdout(), l.Dir, st)
			if err != nil {
				return &exitError{code: exitUsage, err: err}
			}
			if bad > 0 {
				return &exitError{code: exitUsage, err: fmt.Errorf("%d input error(s); the rest was ingested", bad)}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&dir, "lake", lake.DefaultDir, "lake directory")
	cmd.Flags().BoolVar(&force, "force", false, "re-read files ingested before (events are still stored once)")
	return cmd
}

func newLogsExportCmd() *cobra.Command {
	var dir string
	cmd := &cobra.Command{
		Use:   "export OUT",
		Short: "Write the lake in Amazon Security Lake's custom-source layout",
		Long: `export writes every event of the lake under OUT in Amazon Security Lake's
custom-source layout, so Security Lake, Athena or Trino can read it:

  OUT/ext/vigil-<source>-<class>/region=<region>/accountId=<account>/eventDay=<YYYYMMDD>/*.parquet

A Security Lake custom source carries one OCSF class, so each log source and
class is its own source folder (vigil-aws_cloudtrail-api_activity). Files hold
the full OCSF events as nested columns, sorted by time. Events without a region
go under region=global, without an account under accountId=unknown. An empty
lake is said on stderr with exit status 2.`,
		Example: `  vigil logs ingest AWSLogs/ && vigil logs export /data/securitylake
  aws s3 sync /data/securitylake/ext/ s3://aws-security-data-lake-<region>-<id>/ext/`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			l, err := lake.Open(dir)
			if err != nil {
				return usageErr(err)
			}
			st, err := l.ExportSecurityLake(cmd.Context(), args[0])
			if err != nil {
				return &exitError{code: exitUsage, err: err}
			}
			if st.Events == 0 {
				return &exitError{code: exitUsage, err: fmt.Errorf("the lake %s holds no events: nothing exported", l.Dir)}
			}
			fmt.Fprintf(cmd.OutOrStdout(), "exported %d events in %d files under %s\n", st.Events, st.Files, args[0])
			return nil
		},
	}
	cmd.Flags().StringVar(&dir, "lake", lake.DefaultDir, "lake directory")
	return cmd
}

func printIngestStats(w io.Writer, dir string, st lake.IngestStats) {
	srcs := make([]string, 0, len(st.Read))
	for s := range st.Read {
		srcs = append(srcs, string(s))
	}
	sort.Strings(srcs)
	fmt.Fprintf(w, "%-22s %10s %10s\n", "source", "read", "stored")
	for _, s := range srcs {
		fmt.Fprintf(w, "%-22s %10d %10d\n", s, st.Read[logs.Source(s)], st.Stored[logs.Source(s)])
	}
	fmt.Fprintf(w, "files read: %d, already ingested: %d, duplicate events: %d, input errors: %d, skipped inputs: %d\n",
		st.Files, st.AlreadyDone, st.Duplicates, st.InputErrors, st.Skipped)
	if st.LeftoversRemoved > 0 {
		fmt.Fprintf(w, "temporary files of an interrupted ingest removed: %d\n", st.LeftoversRemoved)
	}
	fmt.Fprintf(w, "lake: %s\n", dir)
}

func newLogsNormalizeCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "normalize PATH...",
		Short: "Print audit events as OCSF 1.8.0 JSON, one event per line",
		Example: `  vigil logs normalize AWSLogs/ | jq 'select(.class_uid == 3002)'
  vigil logs normalize signin.json.gz > signin.ocsf.jsonl`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			out := bufio.NewWriter(cmd.OutOrStdout())
			defer out.Flush()
			enc := json.NewEncoder(out)
			var bad int
			onErr := inputErrorPrinter(cmd.ErrOrStderr(), &bad)
			err := logs.Walk(cmd.Context(), args, func(r logs.Record) error {
				ev, err := logs.Normalize(r)
				if err != nil {
					onErr(logs.InputError{File: r.File, Line: r.Line, Offset: r.Offset, Err: fmt.Errorf("normalize: %w", err)})
					return nil
				}
				return enc.Encode(ev)
			}, onErr)
			if err != nil {
				return err
			}
			if bad > 0 {
				return &exitError{code: exitUsage, err: fmt.Errorf("%d input error(s)", bad)}
			}
			return nil
		},
	}
	return cmd
}
