package jobs

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/riverqueue/river"

	"github.com/vigil-sec/vigil/internal/detect"
	"github.com/vigil-sec/vigil/internal/history"
	"github.com/vigil-sec/vigil/internal/logs"
)

// FollowKind is the River job kind of an audit-log follow: one pass of
// vigil detect --follow over a folder, from the checkpoint kept in the
// store.
const FollowKind = "vigil_follow"

// FollowArgs are the inputs of a follow job: the folder of audit log files
// (an export of a log bucket), the Sigma rule folders to run beside the
// built-in detections, and the folder the alerts go to. Name keys the
// folder's checkpoint in the store (with Dir).
type FollowArgs struct {
	Name   string   `json:"name"`
	Dir    string   `json:"dir"`
	Rules  []string `json:"rules,omitempty"`
	Output string   `json:"output"`
	// Respond, when set, plans playbooks over the alerts of each job that
	// raised some (a plan job enqueued before the follow is recorded, once
	// per alert file).
	Respond *Respond `json:"respond,omitempty"`
}

// Kind is River's job kind.
func (FollowArgs) Kind() string { return FollowKind }

// InsertOpts are the defaults of a follow job.
func (FollowArgs) InsertOpts() river.InsertOpts { return river.InsertOpts{MaxAttempts: 3} }

// AlertFile is where the follow job id writes its alerts (only when it
// raised some).
func (a FollowArgs) AlertFile(id int64) string {
	return filepath.Join(a.Output, fmt.Sprintf("alerts-job-%d.jsonl", id))
}

type followWorker struct {
	river.WorkerDefaults[FollowArgs]
	q *Queue
}

// Work reads the files (and the parts of files) of the folder that no
// earlier follow job read, as vigil detect --follow does, writes their
// alerts, then advances the checkpoint in the same transaction as the job
// run turning completed.
//
// Nothing is lost or repeated whichever moment a worker dies: until the
// transaction commits the checkpoint is the one the job started from, so
// the job run again reads the same files and rewrites the same alert file
// (whole: written under .partial and renamed, and alerts have
// deterministic IDs); once it has committed, the job is completed and a
// run again does nothing. Two jobs that started from the same checkpoint
// cannot both advance it (history.ErrFollowMoved: the second is retried
// from the new one).
func (w *followWorker) Work(ctx context.Context, job *river.Job[FollowArgs]) error {
	q, a := w.q, job.Args
	jr := history.JobRun{JobID: job.ID, Kind: FollowKind, Source: a.Name, Args: string(job.EncodedArgs),
		Attempt: job.Attempt, Worker: q.id, Started: time.Now()}
	if err := q.store.StartJobRun(ctx, jr); err != nil {
		return err
	}
	log := q.log.With("job", job.ID, "kind", FollowKind, "source", a.Name, "attempt", job.Attempt)
	if st, err := q.store.JobRunStatus(ctx, job.ID); err != nil {
		return err
	} else if st == history.JobCompleted {
		log.Info("job already recorded by an earlier attempt; not run again")
		return nil
	}
	log.Info("job started", "worker", q.id)
	res, err := w.run(ctx, job)
	if err != nil {
		if ferr := q.store.FinishJobRun(context.WithoutCancel(ctx), job.ID, history.JobFailed, err.Error(), "", time.Now()); ferr != nil {
			err = errors.Join(err, ferr)
		}
		log.Warn("job failed", "error", err)
		return err
	}
	log.Info("job completed", "files", res.files, "alerts", res.alerts)
	if q.opts.Hold > 0 {
		select {
		case <-ctx.Done():
		case <-time.After(q.opts.Hold):
		}
	}
	return nil
}

type followResult struct {
	files  int
	alerts int64
}

func (w *followWorker) run(ctx context.Context, job *river.Job[FollowArgs]) (followResult, error) {
	q, a := w.q, job.Args
	var res followResult
	if a.Name == "" || a.Dir == "" || a.Output == "" {
		return res, river.JobCancel(errors.New("a follow job needs a name, a folder and an output folder"))
	}
	// A folder that is not there (unmounted, a typo) is an error, not an
	// empty folder: the checkpoint would forget every file and the next
	// run read them all again.
	if st, err := os.Stat(a.Dir); err != nil || !st.IsDir() {
		return res, fmt.Errorf("%s: not a readable folder of audit logs", a.Dir)
	}
	if q.opts.Delay > 0 {
		select {
		case <-ctx.Done():
			return res, ctx.Err()
		case <-time.After(q.opts.Delay):
		}
	}
	prev, err := q.store.FollowState(ctx, a.Name, a.Dir)
	if err != nil {
		return res, err
	}
	tmp, err := os.MkdirTemp("", "vigil-follow-")
	if err != nil {
		return res, err
	}
	defer os.RemoveAll(tmp)
	ckPath := filepath.Join(tmp, "checkpoint.json")
	if prev.Seq > 0 {
		if err := os.WriteFile(ckPath, prev.Checkpoint, 0o600); err != nil {
			return res, err
		}
	}
	before, err := detect.LoadCheckpoint(ckPath)
	if err != nil {
		return res, err
	}
	eng, err := detect.New(ctx, detect.Config{RuleDirs: a.Rules, Version: q.opts.Version, Logger: q.log})
	if err != nil {
		return res, err
	}
	if err := os.MkdirAll(a.Output, 0o755); err != nil {
		return res, err
	}
	final := a.AlertFile(job.ID)
	partial := final + ".partial"
	f, err := os.Create(partial) // truncates what a dead attempt left
	if err != nil {
		return res, err
	}
	defer os.Remove(partial)
	sink := &countingSink{Sink: detect.NewJSONLWriter(f)}
	var inputErrs []string
	onErr := func(ie logs.InputError) {
		if len(inputErrs) < maxInputErrors {
			inputErrs = append(inputErrs, ie.Error())
		}
	}
	err = eng.Follow(ctx, sink, detect.FollowOptions{Dir: a.Dir, Checkpoint: ckPath, Once: true, OnInputError: onErr})
	if cerr := sink.Close(); err == nil {
		err = cerr
	}
	if cerr := f.Close(); err == nil && cerr != nil && !errors.Is(cerr, os.ErrClosed) {
		err = cerr
	}
	if err != nil {
		return res, err
	}
	after, err := detect.LoadCheckpoint(ckPath)
	if err != nil {
		return res, err
	}
	for rel, fs := range after.Files {
		if old, ok := before.Files[rel]; !ok || old != fs {
			res.files++
		}
	}
	res.alerts = sink.n.Load()
	// The alert file is in place before the checkpoint moves past its
	// events: a worker that dies in between leaves a file the job's next
	// attempt replaces.
	result := fmt.Sprintf("%d new or grown files, no alerts", res.files)
	if res.alerts > 0 {
		if err := os.Rename(partial, final); err != nil {
			return res, err
		}
		result = fmt.Sprintf("%d new or grown files, %d alerts in %s", res.files, res.alerts, final)
		if a.Respond != nil {
			pid, err := q.Enqueue(ctx, PlanArgs{Respond: *a.Respond, Inputs: []string{final}, Trigger: job.ID})
			if err != nil {
				return res, err
			}
			result += fmt.Sprintf("; playbooks planned by job %d", pid)
		}
	} else if err := os.Remove(final); err != nil && !errors.Is(err, os.ErrNotExist) {
		return res, err
	}
	ck, err := os.ReadFile(ckPath)
	if err != nil {
		return res, err
	}
	if q.opts.BeforeCommit > 0 {
		q.log.Info("job read its files; recording them", "job", job.ID, "files", res.files, "alerts", res.alerts)
		select {
		case <-ctx.Done():
			return res, ctx.Err()
		case <-time.After(q.opts.BeforeCommit):
		}
	}
	// The alerts go to the history with the checkpoint, so every vigil
	// serve on the database shows them, whichever machine's worker ran.
	var alerts []history.Alert
	if res.alerts > 0 {
		af, err := os.Open(final)
		if err != nil {
			return res, err
		}
		alerts, _, err = history.ReadAlerts(af, final)
		af.Close()
		if err != nil {
			return res, err
		}
	}
	again, err := q.store.RecordJobFollow(ctx, job.ID, prev, ck, len(after.Files), result, joinErrors(inputErrs), alerts...)
	if err != nil {
		return res, err
	}
	if again {
		q.log.Info("job already recorded by an earlier attempt", "job", job.ID)
	}
	return res, nil
}

func joinErrors(es []string) string {
	out := ""
	for i, e := range es {
		if i > 0 {
			out += "; "
		}
		out += e
	}
	return out
}
