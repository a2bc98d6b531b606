package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/vigil-sec/vigil/internal/history"
	"github.com/vigil-sec/vigil/internal/jobs"
)

// queueFlags are the job queue's flags, shared by vigil worker and vigil
// serve --schedule.
type queueFlags struct {
	schedule                      string
	id                            string
	workers                       int
	jobTimeout, rescueAfter, poll time.Duration
	delay, hold, beforeCommit     time.Duration
	applySteps                    bool
	// clouds configure the clients of playbook step jobs' actions.
	clouds cloudActionFlags
}

func (qf *queueFlags) register(cmd *cobra.Command, withSchedule bool) {
	fl := cmd.Flags()
	if withSchedule {
		fl.StringVar(&qf.schedule, "schedule", "", "schedule file (YAML or JSON): the sources to scan on intervals or cron expressions (docs/jobs.md)")
	}
	fl.IntVar(&qf.workers, "workers", 2, "jobs this process works at once")
	fl.StringVar(&qf.id, "name", "", "this worker's name in the job runs (default HOST-PID)")
	fl.DurationVar(&qf.jobTimeout, "job-timeout", jobs.DefaultJobTimeout, "cancel a job running longer than this")
	fl.DurationVar(&qf.rescueAfter, "rescue-after", 0, "run again a job left running this long (its worker died); more than --job-timeout (default --job-timeout + 1m)")
	fl.DurationVar(&qf.poll, "poll", jobs.DefaultPollInterval, "how often to look for new jobs (PostgreSQL also announces them at once)")
	fl.BoolVar(&qf.applySteps, "apply-steps", false, "let playbook step jobs approved for apply change the clouds (default: every step runs dry, read-only)")
	fl.DurationVar(&qf.delay, "job-delay", 0, "wait this long at the start of each job (for tests that kill a worker mid-job)")
	_ = fl.MarkHidden("job-delay")
	fl.DurationVar(&qf.hold, "job-hold", 0, "wait this long after a scan job recorded its run (for tests that kill a worker before the queue hears of it)")
	_ = fl.MarkHidden("job-hold")
	fl.DurationVar(&qf.beforeCommit, "job-before-commit", 0, "wait this long after a follow job read its files, before it records them (for tests that kill a worker in between)")
	_ = fl.MarkHidden("job-before-commit")
	qf.clouds.register(fl)
}

// options are the queue's options for the store at dsn (store may be nil).
func (qf *queueFlags) options(dsn string, store *history.Store) (jobs.Options, error) {
	o := jobs.Options{DSN: dsn, Store: store, ID: qf.id, Workers: qf.workers, JobTimeout: qf.jobTimeout,
		RescueAfter: qf.rescueAfter, PollInterval: qf.poll, Version: buildVersion(), Delay: qf.delay, Hold: qf.hold, BeforeCommit: qf.beforeCommit, ApplySteps: qf.applySteps, Logger: slog.Default(),
		Registry: qf.clouds.registry}
	if qf.workers < 1 {
		return o, errors.New("--workers must be at least 1")
	}
	if qf.schedule != "" {
		s, err := jobs.LoadSchedule(qf.schedule)
		if err != nil {
			return o, fmt.Errorf("--schedule: %w", err)
		}
		o.Schedule = s
	}
	return o, nil
}

func newWorkerCmd() *cobra.Command {
	var db string
	var qf queueFlags
	cmd := &cobra.Command{
		Use:   "worker [--db DSN] [--workers N] [--schedule FILE]",
		Short: "Work the scan jobs of the shared job queue (several processes on several machines share the work)",
		Long: `Work the jobs of vigil's job queue (River, on the history database): scans of one source, account or
region, IaC trees and read-only live collections, each recorded in the history; follows of audit-log folders
(detection over the files no earlier job read, alerts to the entry's output folder); detections over a batch
of log files; playbook plans over followed alerts. Each job has its job run (status, duration, inputs,
errors, result: vigil worker runs). Jobs come from vigil serve --schedule, vigil worker --schedule, or vigil
worker enqueue and enqueue-detect; the schedule file is described in docs/jobs.md.

Run several vigil worker processes, on one machine or several, against one PostgreSQL database
(--db postgres://...) and they share the work. A worker that dies mid-job (killed, its machine lost) leaves
its job running in the queue; once the job has run longer than --rescue-after, the elected leader among the
remaining processes puts it back (River's rescuer looks every 30 seconds) and another worker runs it again.
A scan job records its run in the same transaction as its job run turning completed, so a job run again
never records a second run. Stop a worker with SIGINT or SIGTERM: it finishes its running jobs first.

With --schedule FILE the process also enqueues the file's sources on their intervals or cron expressions
when it is the elected leader: give the same file to every process that may lead. On SQLite (the default
.vigil/history.db) jobs are shared only by the processes of one machine; see docs/jobs.md.

Exit status: 0 stopped by a signal; 2 usage error, or the database cannot be opened.`,
		Example: `  vigil worker --db postgres://vigil@db.internal/vigil --workers 4
  vigil worker --db postgres://vigil@db.internal/vigil --schedule schedule.yaml
  vigil worker enqueue exports/aws --account 111122223333 --account 444455556666 --db postgres://vigil@db.internal/vigil`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runWorker(cmd, db, qf) },
	}
	addDBFlag(cmd, &db)
	qf.register(cmd, true)
	cmd.AddCommand(newWorkerEnqueueCmd(), newWorkerEnqueueDetectCmd(), newWorkerRunsCmd())
	return cmd
}

func runWorker(cmd *cobra.Command, db string, qf queueFlags) error {
	ctx := cmd.Context()
	stderr := cmd.ErrOrStderr()
	opts, err := qf.options(db, nil)
	if err != nil {
		return usageErr(err)
	}
	q, err := jobs.Open(ctx, opts)
	if err != nil {
		return usageErr(err)
	}
	defer q.Close()
	if err := q.Start(ctx); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "vigil: worker %s working jobs on %s (%d at once; stop with Ctrl-C)\n", q.ID(), redactDSN(db), qf.workers)
	for _, s := range q.Scheduled() {
		fmt.Fprintln(stderr, "vigil: scheduled:", s)
	}
	<-ctx.Done()
	return stopQueue(q, stderr)
}

// stopQueue stops a started queue: running jobs get 30 seconds to finish,
// then are cancelled (and run again later by another worker).
func stopQueue(q *jobs.Queue, stderr interface{ Write([]byte) (int, error) }) error {
	sctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := q.Stop(sctx); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	fmt.Fprintln(stderr, "vigil: worker stopped")
	return nil
}

// redactDSN hides a password in a postgres:// URL.
func redactDSN(dsn string) string {
	if !history.IsPostgres(dsn) {
		return dsn
	}
	scheme, rest, _ := strings.Cut(dsn, "://")
	if at := strings.LastIndex(rest, "@"); at >= 0 {
		if user, _, ok := strings.Cut(rest[:at], ":"); ok {
			return scheme + "://" + user + ":***" + rest[at:]
		}
	}
	return dsn
}

func newWorkerEnqueueCmd() *cobra.Command {
	var db, source, region string
	var accounts []string
	cmd := &cobra.Command{
		Use:   "enqueue PATH [--account ID...] [--region NAME] [--source NAME]",
		Short: "Queue a scan of an export folder: one job, or one job per --account",
		Long: `Queue a scan of PATH (an export folder or file, as vigil scan reads it) for the workers: one job, or one
job per --account, each kept to that account's findings (and --region's). Each job records its run in the
history under its own source (--source, default the absolute path; #ACCOUNT and /REGION are added), so the
accounts of one organization have a history each.

Exit status: 0 queued; 2 usage error, or the database cannot be opened.`,
		Example: `  vigil worker enqueue exports/aws --account 111122223333 --account 444455556666 --db postgres://vigil@db.internal/vigil`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			if _, err := os.Stat(args[0]); err != nil {
				return usageErr(err)
			}
			q, err := jobs.Open(ctx, jobs.Options{DSN: db, Logger: slog.Default()})
			if err != nil {
				return usageErr(err)
			}
			defer q.Close()
			src := jobs.ScheduledSource{Name: source, Path: args[0], Accounts: accounts, Region: region}
			list := src.Jobs()
			for _, a := range list {
				if source == "" {
					a.Source = ""
				}
				id, err := q.Enqueue(ctx, a)
				if err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "%d\t%s\n", id, a.SourceName())
			}
			fmt.Fprintf(cmd.ErrOrStderr(), "vigil: %d scan job(s) queued\n", len(list))
			return nil
		},
	}
	addDBFlag(cmd, &db)
	cmd.Flags().StringArrayVar(&accounts, "account", nil, "one job per account, kept to its findings (repeatable)")
	cmd.Flags().StringVar(&region, "region", "", "keep the findings of this region")
	cmd.Flags().StringVar(&source, "source", "", "the history source of the runs (default the absolute path)")
	return cmd
}

func newWorkerEnqueueDetectCmd() *cobra.Command {
	var db, output string
	var ruleDirs []string
	cmd := &cobra.Command{
		Use:   "enqueue-detect PATH... --output DIR [--rules DIR]...",
		Short: "Queue a detection job over a batch of audit log files",
		Long: `Queue one detection job over a batch of audit log files or folders (as vigil detect reads them): a
worker runs vigil's built-in detections and the Sigma rules of each --rules folder, and writes the alerts
(OCSF Detection Findings, one a line) to DIR/alerts-job-ID.jsonl, whole or not at all, so a job run again
after its worker died replaces the file. vigil worker runs shows how many alerts each job raised.

Exit status: 0 queued; 2 usage error, or the database cannot be opened.`,
		Example: `  vigil worker enqueue-detect logs/2026-12-05/ --output alerts/ --db postgres://vigil@db.internal/vigil`,
		Args:    cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			if output == "" {
				return usageErr(errors.New("--output DIR is required (where the alert files go)"))
			}
			paths := absPaths(args)
			for _, p := range paths {
				if _, err := os.Stat(p); err != nil {
					return usageErr(err)
				}
			}
			for _, d := range ruleDirs {
				if st, err := os.Stat(d); err != nil || !st.IsDir() {
					return usageErr(fmt.Errorf("--rules %s: not a readable directory", d))
				}
			}
			q, err := jobs.Open(ctx, jobs.Options{DSN: db, Logger: slog.Default()})
			if err != nil {
				return usageErr(err)
			}
			defer q.Close()
			a := jobs.DetectArgs{Paths: paths, Rules: absPaths(ruleDirs), Output: absPaths([]string{output})[0]}
			id, err := q.Enqueue(ctx, a)
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%d\t%s\n", id, a.AlertFile(id))
			fmt.Fprintln(cmd.ErrOrStderr(), "vigil: 1 detection job queued")
			return nil
		},
	}
	addDBFlag(cmd, &db)
	cmd.Flags().StringVarP(&output, "output", "o", "", "folder of the alert files (alerts-job-ID.jsonl)")
	cmd.Flags().StringArrayVar(&ruleDirs, "rules", nil, "folder of Sigma rules, correlations and filters (repeatable)")
	return cmd
}

func newWorkerRunsCmd() *cobra.Command {
	var db, status, format string
	var limit int
	cmd := &cobra.Command{
		Use:   "runs [--status running|completed|failed]",
		Short: "List the job runs: each job's status, attempt, worker, duration, error and history run",
		Long: `List the job runs, newest first: each queued job as worked, with its inputs, the attempt, the worker
that ran it, its status (running, completed, failed), duration, error and the history run it recorded.

Exit status: 0 listed; 2 usage error, or no history.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := checkFormat(format, "table", "json"); err != nil {
				return err
			}
			store, err := openHistory(cmd.Context(), db)
			if err != nil {
				return err
			}
			defer store.Close()
			jrs, err := store.JobRuns(cmd.Context(), history.JobRunQuery{Status: status, Limit: limit})
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			if format == "json" {
				if jrs == nil {
					jrs = []history.JobRun{}
				}
				return writeJSON(out, jrs)
			}
			if len(jrs) == 0 {
				fmt.Fprintln(cmd.ErrOrStderr(), "vigil: no job runs")
				return &exitError{code: exitUsage}
			}
			tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "JOB\tKIND\tSTATUS\tATTEMPT\tWORKER\tSTARTED\tDURATION\tSOURCE\tRESULT\tERROR")
			for _, j := range jrs {
				fmt.Fprintf(tw, "%d\t%s\t%s\t%d\t%s\t%s\t%dms\t%s\t%s\t%s\n", j.JobID, strings.TrimPrefix(j.Kind, "vigil_"), j.Status, j.Attempt, j.Worker,
					j.Started.Format(time.RFC3339), j.DurationMS, j.Source, j.Result, j.Error)
			}
			return tw.Flush()
		},
	}
	addDBFlag(cmd, &db)
	cmd.Flags().StringVar(&status, "status", "", "keep the runs of this status: running, completed or failed")
	cmd.Flags().IntVar(&limit, "limit", 100, "list at most this many")
	cmd.Flags().StringVarP(&format, "format", "f", "table", "output format: table or json")
	return cmd
}

// startQueue opens and starts the job queue of vigil serve --schedule on
// the server's store; the returned function stops it. Without --schedule
// it does nothing (and the queue is nil).
func startQueue(cmd *cobra.Command, dsn string, store *history.Store, qf queueFlags) (*jobs.Queue, func() error, error) {
	if qf.schedule == "" {
		return nil, func() error { return nil }, nil
	}
	opts, err := qf.options(dsn, store)
	if err != nil {
		return nil, nil, usageErr(err)
	}
	q, err := jobs.Open(cmd.Context(), opts)
	if err != nil {
		return nil, nil, usageErr(err)
	}
	if err := q.Start(cmd.Context()); err != nil {
		q.Close()
		return nil, nil, err
	}
	stderr := cmd.ErrOrStderr()
	fmt.Fprintf(stderr, "vigil: scheduler and %d job worker(s) started as %s\n", qf.workers, q.ID())
	for _, s := range q.Scheduled() {
		fmt.Fprintln(stderr, "vigil: scheduled:", s)
	}
	return q, func() error {
		err := stopQueue(q, stderr)
		return errors.Join(err, q.Close())
	}, nil
}

// stepQueue gives the server the queue's step jobs (server.StepQueue).
type stepQueue struct{ q *jobs.Queue }

func (s stepQueue) EnqueueSteps(ctx context.Context, state, plan, mode string) (map[int]int64, map[int]string, error) {
	e, err := s.q.EnqueueSteps(ctx, state, plan, mode)
	if err != nil {
		return nil, nil, err
	}
	return e.Jobs, e.Waiting, nil
}
