package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"sync/atomic"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/vigil-sec/vigil/internal/detect"
	"github.com/vigil-sec/vigil/internal/logs"
)

func newDetectCmd() *cobra.Command {
	var (
		ruleDirs    []string
		output      string
		webhook     string
		minLevel    string
		tuningFile  string
		failOn      string
		follow      string
		checkpoint  string
		format      string
		poll        time.Duration
		reorder     time.Duration
		idleFlush   time.Duration
		commitEvery int
		noBuiltin   bool
		allRules    bool
		printTuning bool
	)
	cmd := &cobra.Command{
		Use:   "detect PATH... [--rules DIR]... | detect --follow DIR --checkpoint FILE",
		Short: "Run Sigma detections (built-in and your rule folders) on cloud audit logs",
		Long: `detect runs vigil's built-in detections plus every Sigma rule, correlation
and filter under each --rules folder (for example a SigmaHQ checkout's
rules/cloud; vigil ships no third-party rules) on CloudTrail, Azure and GCP
audit logs (files, folders, or - for standard input), and writes alerts as
JSON lines: one OCSF 1.8.0 Detection Finding (class_uid 2004) per line, carrying the rule's id, title, author, references
and ATT&CK tags and the matched event(s).

Rules that cannot be loaded are listed on stderr with file and reason; the
others still run. A per-rule summary (alerts raised, emitted, suppressed by
tuning) is printed on stderr at the end.

Tuning never edits rule files: Sigma filters in the rule folders, --min-level,
and a tuning file (--tuning; the embedded default re-rates known-noisy SigmaHQ
rules and allow-lists cloud-provider automation; see docs/detect.md).

Follow mode (--follow DIR) polls DIR for new or grown files, and keeps a
checkpoint so that after a crash or kill it resumes without losing events or
repeating alerts (exactly once with --output; at least once to a webhook).

Correlations are deterministic: they see matched events in event-time order
(ties by event content), held back until the newest event time read is more
than --reorder-window past them, so batch and follow runs over the same files
raise the same alerts with the same ids, whatever order files arrive in.
Single-event rules alert at once; in follow mode, correlation alerts on the
newest events wait for events that much newer, or until the input has been
idle for --idle-flush. An event arriving later than
the window is "late": it still raises its single-event alerts, is correlated
at once against the windows still open, and is counted on stderr. An event
identical to one already read (two copies of a log file) raises nothing again
and is counted as a duplicate.

Exit status: 0 whether or not alerts fire, unless --fail-on is given (1 when an
alert at or above that level was emitted); 2 for usage errors or unreadable
input.`,
		Example: `  # batch: SigmaHQ cloud rules plus built-ins over a CloudTrail export
  vigil detect AWSLogs/ --rules sigma/rules/cloud --output alerts.jsonl

  # fail a pipeline on high or critical alerts, with your own tuning
  vigil detect --print-tuning > tuning.yml    # start from the default
  vigil detect logs/ --rules sigma/rules/cloud --tuning tuning.yml --fail-on high

  # follow a landing directory, alerts to a file and a webhook
  vigil detect --follow /var/log/cloud --checkpoint /var/lib/vigil/detect.ckpt \
      --rules sigma/rules/cloud --output alerts.jsonl --webhook https://siem.example/hook`,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			if printTuning {
				_, err := cmd.OutOrStdout().Write(detect.DefaultTuningYAML())
				return err
			}
			if format != "jsonl" {
				return usageErr(fmt.Errorf("--format: only jsonl is supported, not %q", format))
			}
			if follow == "" && len(args) == 0 {
				return usageErr(errors.New("give PATH... to scan, or --follow DIR"))
			}
			if follow != "" && len(args) > 0 {
				return usageErr(errors.New("--follow DIR takes no PATH arguments"))
			}
			if reorder <= 0 {
				return usageErr(fmt.Errorf("--reorder-window %s: want a positive duration", reorder))
			}
			if follow != "" && checkpoint == "" {
				return usageErr(errors.New("--follow needs --checkpoint FILE"))
			}
			if follow != "" {
				if st, err := os.Stat(follow); err != nil || !st.IsDir() {
					return usageErr(fmt.Errorf("--follow %s: not a readable directory", follow))
				}
			}
			var cfg detect.Config
			cfg.RuleDirs = ruleDirs
			cfg.NoBuiltins = noBuiltin
			cfg.ReorderWindow = reorder
			cfg.Version = buildVersion()
			cfg.Logger = slog.Default()
			var err error
			if tuningFile != "" {
				if cfg.Tuning, err = detect.LoadTuning(tuningFile); err != nil {
					return usageErr(err)
				}
			}
			if minLevel != "" {
				if cfg.MinLevel, err = detect.ParseLevel(minLevel); err != nil {
					return usageErr(fmt.Errorf("--min-level: %w", err))
				}
			}
			var failLevel detect.Level
			if failOn != "" {
				if failLevel, err = detect.ParseLevel(failOn); err != nil {
					return usageErr(fmt.Errorf("--fail-on: %w", err))
				}
			}
			for _, d := range ruleDirs {
				if st, err := os.Stat(d); err != nil || !st.IsDir() {
					return usageErr(fmt.Errorf("--rules %s: not a readable directory", d))
				}
			}
			eng, err := detect.New(ctx, cfg)
			if err != nil {
				return usageErr(err)
			}
			stderr := cmd.ErrOrStderr()
			for _, le := range eng.LoadErrors {
				fmt.Fprintf(stderr, "vigil: rule not loaded: %s\n", le.Error())
			}
			fmt.Fprintf(stderr, "vigil: %d rules and %d correlations loaded, %d not loaded\n",
				eng.Rules, eng.Correlations, len(eng.LoadErrors))

			var sinks detect.MultiSink
			if output != "" {
				s, err := detect.OpenJSONLFile(output)
				if err != nil {
					return usageErr(err)
				}
				sinks = append(sinks, s)
			}
			if webhook != "" {
				if !strings.HasPrefix(webhook, "http://") && !strings.HasPrefix(webhook, "https://") {
					return usageErr(fmt.Errorf("--webhook %q: want an http(s) URL", webhook))
				}
				sinks = append(sinks, detect.NewWebhookSink(webhook))
			}
			if len(sinks) == 0 {
				sinks = append(sinks, detect.NewJSONLWriter(cmd.OutOrStdout()))
			}
			ls := &levelSink{Sink: sinks}
			defer sinks.Close()

			var badInput atomic.Bool
			onErr := func(ie logs.InputError) {
				if !ie.Skipped {
					badInput.Store(true)
				}
				fmt.Fprintf(stderr, "vigil: %s\n", ie.Error())
			}
			if follow != "" {
				err = eng.Follow(ctx, ls, detect.FollowOptions{
					Dir: follow, Checkpoint: checkpoint, OutputPath: output,
					Poll: poll, CommitEvery: commitEvery, OnInputError: onErr,
					IdleFlush: idleFlush,
				})
				if n := eng.Pending(); n > 0 {
					fmt.Fprintf(stderr, "vigil: %d matched events wait in the reorder buffer (kept in the checkpoint): correlations see them once events %s newer arrive, or after --idle-flush\n", n, eng.ReorderWindow())
				}
				if errors.Is(err, context.Canceled) {
					err = nil
				}
			} else {
				ro := detect.RunOptions{OnInputError: onErr}
				// Progress on a terminal only: nothing extra in pipes and logs.
				if f, ok := stderr.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
					ro.Progress = func(p detect.RunProgress) {
						rate := float64(p.Events) / max(p.Elapsed.Seconds(), 1e-9)
						fmt.Fprintf(f, "\rvigil: detect: %d/%d files, %d events, %d alerts, %.0f events/s ", p.Files, p.FilesTotal, p.Events, p.Alerts, rate)
					}
				}
				restoreGC := detect.BatchGC()
				err = eng.Run(ctx, args, ls, ro)
				restoreGC()
				if ro.Progress != nil {
					fmt.Fprintln(stderr)
				}
			}
			if cerr := sinks.Close(); err == nil && cerr != nil {
				err = cerr
			}
			writeSummary(stderr, eng, allRules)
			if err != nil {
				return err
			}
			if badInput.Load() && follow == "" {
				return &exitError{code: exitUsage, err: errors.New("some input could not be read (see above)")}
			}
			if failOn != "" && ls.max.Load() >= int32(failLevel) {
				return &exitError{code: exitFindings, err: fmt.Errorf("alerts at or above %s were raised", failLevel)}
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringArrayVar(&ruleDirs, "rules", nil, "folder of Sigma rules, correlations and filters (repeatable)")
	f.StringVarP(&output, "output", "o", "", "append alerts (JSON lines) to FILE instead of stdout")
	f.StringVar(&webhook, "webhook", "", "POST each alert (JSON) to URL, with retries and backoff")
	f.StringVar(&minLevel, "min-level", "", "suppress alerts below LEVEL (informational, low, medium, high, critical); overrides the tuning's min_level")
	f.StringVar(&tuningFile, "tuning", "", "tuning YAML replacing the embedded default (start it with 'extends: default' to layer on it)")
	f.StringVar(&failOn, "fail-on", "", "exit 1 when an alert at or above SEVERITY is emitted")
	f.StringVar(&follow, "follow", "", "follow DIR: process new and grown log files as they land")
	f.StringVar(&checkpoint, "checkpoint", "", "follow-mode checkpoint FILE (processed files/offsets, correlation state)")
	f.StringVar(&format, "format", "jsonl", "output format (jsonl: one OCSF Detection Finding per line)")
	f.DurationVar(&poll, "poll", 2*time.Second, "follow-mode polling interval")
	f.DurationVar(&idleFlush, "idle-flush", 10*time.Minute, "follow mode: once no file was new or grown for this long, correlate the events waiting in the reorder buffer (windows stay open: later events still count in them; 0: never)")
	f.DurationVar(&reorder, "reorder-window", detect.DefaultReorderWindow, "correlate events in event-time order within this window; events later than it are correlated at once and counted as late")
	f.IntVar(&commitEvery, "commit-every", 5000, "follow mode: checkpoint every N events inside a file")
	f.BoolVar(&noBuiltin, "no-builtin", false, "do not run vigil's built-in detections")
	f.BoolVar(&allRules, "summary-all", false, "list every loaded rule in the summary, not only those that raised alerts")
	f.BoolVar(&printTuning, "print-tuning", false, "print the embedded default tuning (a starting point for --tuning) and exit")
	_ = f.MarkHidden("commit-every")
	cmd.AddCommand(newDetectCoverageCmd())
	return cmd
}

// levelSink records the highest level of the alerts written.
type levelSink struct {
	detect.Sink
	max atomic.Int32
}

func (s *levelSink) Write(ctx context.Context, a *detect.Alert) error {
	for {
		cur := s.max.Load()
		if int32(a.Level) <= cur || s.max.CompareAndSwap(cur, int32(a.Level)) {
			break
		}
	}
	return s.Sink.Write(ctx, a)
}

func writeSummary(w io.Writer, eng *detect.Engine, all bool) {
	fmt.Fprintln(w, "vigil: alerts per rule (raised = matched; suppressed by tuning are not written):")
	st := eng.Stats()
	_ = st.WriteSummary(w, all)
	if st.Duplicates > 0 {
		fmt.Fprintf(w, "vigil: %d matched events were byte-for-byte copies of events already read: they raised nothing again\n", st.Duplicates)
	}
	if st.Late > 0 {
		fmt.Fprintf(w, "vigil: %d matched events arrived more than --reorder-window (%s) behind the newest event read (or, in follow mode, older than events an --idle-flush already correlated): they raised their single-event alerts and were correlated at once, out of event-time order\n", st.Late, eng.ReorderWindow())
	}
}
