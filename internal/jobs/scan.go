package jobs

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/vigil-sec/vigil/internal/finding"
	"github.com/vigil-sec/vigil/internal/history"
	"github.com/vigil-sec/vigil/internal/policy"
	"github.com/vigil-sec/vigil/internal/rules"
	"github.com/vigil-sec/vigil/internal/scan"
)

// ScanKind is the River job kind of a scan.
const ScanKind = "vigil_scan"

// ScanArgs are the inputs of a scan job: one source, an export folder or
// file as vigil scan reads it, optionally narrowed to one account and one
// region (the findings of the other accounts and regions are left out of
// the run).
type ScanArgs struct {
	Path string `json:"path"`
	// Source names the history source of the run; default the absolute
	// path, with #ACCOUNT and /REGION when they narrow it (each account of
	// an organization is then a history source of its own, so an account's
	// findings are not resolved by another account's run).
	Source  string `json:"source,omitempty"`
	Account string `json:"account,omitempty"`
	Region  string `json:"region,omitempty"`
	// Respond, when set, plans playbooks over the run's new findings.
	Respond *Respond `json:"respond,omitempty"`
}

// Kind is River's job kind.
func (ScanArgs) Kind() string { return ScanKind }

// InsertOpts are the defaults of a scan job: a few attempts (a scan that
// fails on its input fails again).
func (ScanArgs) InsertOpts() river.InsertOpts { return river.InsertOpts{MaxAttempts: 3} }

// SourceName is the history source of the run.
func (a ScanArgs) SourceName() string {
	if a.Source != "" {
		return a.Source
	}
	s := a.Path
	if abs, err := filepath.Abs(s); err == nil {
		s = abs
	}
	if a.Account != "" {
		s += "#" + a.Account
	}
	if a.Region != "" {
		s += "/" + a.Region
	}
	return s
}

type scanWorker struct {
	river.WorkerDefaults[ScanArgs]
	q *Queue
}

// Work scans the source and records the run with the job's run, once.
func (w *scanWorker) Work(ctx context.Context, job *river.Job[ScanArgs]) error {
	a := job.Args
	jr := history.JobRun{Kind: ScanKind, Source: a.SourceName(), Account: a.Account, Region: a.Region}
	return w.q.workScan(ctx, job.JobRow, jr, func(ctx context.Context) (*history.Scan, error) { return w.q.scan(ctx, a) })
}

// workScan runs a job that records one history run (a scan of an export,
// an IaC tree, a live collection): its job run started, the scan, and the
// run recorded in the same transaction as the job run turning completed,
// once. produce returns the run to record (as failed on an error).
func (q *Queue) workScan(ctx context.Context, job *rivertype.JobRow, jr history.JobRun, produce func(context.Context) (*history.Scan, error)) error {
	jr.JobID, jr.Args, jr.Attempt, jr.Worker, jr.Started = job.ID, string(job.EncodedArgs), job.Attempt, q.id, time.Now()
	if err := q.store.StartJobRun(ctx, jr); err != nil {
		return err
	}
	log := q.log.With("job", job.ID, "kind", jr.Kind, "source", jr.Source, "attempt", job.Attempt)
	log.Info("job started", "worker", q.id)
	fail := func(err error) error {
		if ferr := q.store.FinishJobRun(context.WithoutCancel(ctx), job.ID, history.JobFailed, err.Error(), "", time.Now()); ferr != nil {
			return errors.Join(err, ferr)
		}
		return err
	}
	if q.opts.Delay > 0 {
		select {
		case <-ctx.Done():
			return fail(ctx.Err())
		case <-time.After(q.opts.Delay):
		}
	}
	sc, err := produce(ctx)
	if err != nil {
		if job.Attempt < job.MaxAttempts {
			log.Warn("job failed; River retries it", "error", err)
			return fail(err)
		}
		// The last attempt: the failed run goes into the history.
		sc.Failed, sc.Errors = true, append(sc.Errors, err.Error())
	}
	run, again, rerr := q.store.RecordJobScan(ctx, job.ID, sc)
	switch {
	case rerr != nil:
		return fail(rerr)
	case again:
		log.Info("job already recorded its run by an earlier attempt; not recorded again")
		return q.afterScan(ctx, job, run, sc)
	case err != nil:
		return fmt.Errorf("scan failed (recorded as failed run %d): %w", run.ID, err)
	}
	log.Info("job completed", "run", run.ID, "status", run.Status, "findings", run.Total, "fail", run.Fail, "duration_ms", run.DurationMS)
	if err := q.afterScan(ctx, job, run, sc); err != nil {
		// The run is recorded: River runs the job again, which records
		// nothing more and plans again.
		return err
	}
	if q.opts.Hold > 0 {
		select {
		case <-ctx.Done():
		case <-time.After(q.opts.Hold):
		}
	}
	return nil
}

// engineFor returns the rule engine, compiling the built-in rules at the
// first scan.
func (q *Queue) engineFor(ctx context.Context) (*policy.Engine, error) {
	q.engineMu.Lock()
	defer q.engineMu.Unlock()
	if q.engine == nil {
		e, err := policy.New(ctx, []policy.Source{{FS: rules.FS(), Name: "builtin", Builtin: true}})
		if err != nil {
			return nil, fmt.Errorf("jobs: compiling the rules: %w", err)
		}
		q.engine = e
	}
	return q.engine, nil
}

// scan runs vigil's scan (as vigil history record does) over the job's
// source and keeps the findings of its account and region. The scan is
// never nil: on an error it is the run to record as failed.
func (q *Queue) scan(ctx context.Context, a ScanArgs) (*history.Scan, error) {
	started := time.Now().UTC()
	sc := &history.Scan{Source: a.SourceName(), Kind: "job", Inputs: scanInputs(a), Started: started, Version: q.opts.Version}
	engine, err := q.engineFor(ctx)
	if err != nil {
		sc.Finished = time.Now().UTC()
		return sc, err
	}
	res, err := scan.Run(ctx, engine, scan.Options{Paths: []string{a.Path}, Now: started, Identity: true, Logger: q.log})
	sc.Finished = time.Now().UTC()
	if err != nil {
		return sc, err
	}
	for _, ie := range res.Inventory.Errors {
		sc.Errors = append(sc.Errors, ie.Error())
	}
	sc.Findings, sc.Rules = res.Report.Findings, res.Report.Rules
	if a.Account == "" && a.Region == "" {
		sc.Compliance = res.Report.Compliance
		return sc, nil
	}
	// The compliance summary is computed again from the findings kept.
	kept := make([]finding.Finding, 0, len(sc.Findings))
	for _, f := range sc.Findings {
		if (a.Account == "" || f.Resource.Account == a.Account) && (a.Region == "" || f.Resource.Region == a.Region) {
			kept = append(kept, f)
		}
	}
	if len(kept) == 0 && len(sc.Findings) > 0 {
		sc.Errors = append(sc.Errors, fmt.Sprintf("%s: no resource of account %q region %q (the run is partial: nothing is taken as resolved)", a.Path, a.Account, a.Region))
	}
	sc.Findings = kept
	return sc, nil
}

func scanInputs(a ScanArgs) []string {
	p := a.Path
	if abs, err := filepath.Abs(p); err == nil {
		p = abs
	}
	in := []string{p}
	if a.Account != "" {
		in = append(in, "account="+a.Account)
	}
	if a.Region != "" {
		in = append(in, "region="+a.Region)
	}
	return in
}
