package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/vigil-sec/vigil/internal/history"
	"github.com/vigil-sec/vigil/internal/respond"
	"github.com/vigil-sec/vigil/internal/respond/engine"
	"github.com/vigil-sec/vigil/internal/respond/wire"
)

// StepKind is the River job kind of one approved step of a playbook plan:
// applied (or run dry) through the response engine and its trail, as
// vigil respond apply applies it.
const StepKind = "vigil_playbook_step"

// StepArgs are the inputs of a step job: the step (its number and key) of
// the plan file with this hash, the response state whose trail records it,
// and what its approval allows (wire.ModeApply or wire.ModeDryRun).
type StepArgs struct {
	State    string `json:"state"`
	Plan     string `json:"plan"`
	PlanHash string `json:"plan_hash"`
	N        int    `json:"n"`
	Key      string `json:"key"`
	Mode     string `json:"mode"`
	// After are the keys of the steps before it in its playbook on its
	// subject: it runs once they ran to their end, and not at all when
	// one did not.
	After []string `json:"after,omitempty"`
}

// Kind is River's job kind.
func (StepArgs) Kind() string { return StepKind }

// InsertOpts are the defaults of a step job: one job per step of a plan
// and mode, ever (a second approval enqueues no second job).
func (StepArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 3, UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: rivertype.JobStates()}}
}

// StepWait is how long a step job waits (River's snooze, not an attempt)
// for the steps before it in its chain.
const StepWait = 2 * time.Second

// Enqueued is what EnqueueSteps did with a plan's steps.
type Enqueued struct {
	// Jobs are the step jobs, by step number (new, or enqueued earlier).
	Jobs map[int]int64
	// Waiting are the steps left for more approvals (or for a step
	// before them that waits), by step number, with why.
	Waiting map[int]string
	// Mode is the mode of the jobs (wire.ModeApply or wire.ModeDryRun).
	Mode string
}

// EnqueueSteps turns the approved steps of the plan file at path (under
// the response state folder state) into step jobs, one per step: the steps
// whose approvals (for mode: the approvals the trail holds, for apply only
// those given for apply) suffice, and those of the steps before them in
// their chain. Steps enqueued before (for the plan and mode) are not
// enqueued again.
func (q *Queue) EnqueueSteps(ctx context.Context, state, path, mode string) (*Enqueued, error) {
	if mode != wire.ModeApply && mode != wire.ModeDryRun {
		return nil, fmt.Errorf("jobs: step mode %q is %s or %s", mode, wire.ModeApply, wire.ModeDryRun)
	}
	f, err := engine.ReadFile(path)
	if err != nil {
		return nil, err
	}
	approvers, err := wire.Approvers(wire.State(state).Trail(), f.Hash)
	if err != nil {
		return nil, err
	}
	n := 0
	for _, forApply := range approvers {
		if forApply || mode == wire.ModeDryRun {
			n++
		}
	}
	p := f.Plan()
	out := &Enqueued{Jobs: map[int]int64{}, Waiting: map[int]string{}, Mode: mode}
	before := map[int][]string{} // chain -> keys so far
	blocked := map[int]string{}  // chain -> why its later steps wait
	lim := p.Policy.Limits
	resources, perAccount := map[string]bool{}, map[string]int{}
	for _, it := range p.Items {
		after := before[it.Chain]
		before[it.Chain] = append(after, it.Key)
		if why, ok := blocked[it.Chain]; ok {
			out.Waiting[it.N] = why
			continue
		}
		if it.Change != nil && !it.Change.NoOp && it.Approvals > n {
			why := fmt.Sprintf("needs %d approval(s) for %s, the plan has %d", it.Approvals, mode, n)
			out.Waiting[it.N], blocked[it.Chain] = why, fmt.Sprintf("step %d before it %s", it.N, why)
			continue
		}
		// The policy's blast-radius limits count the plan's remediations
		// here, as vigil respond apply counts them in one run.
		if it.Class == respond.Remediate && it.Change != nil && !it.Change.NoOp && !resources[it.Change.Resource] {
			acct := it.Subject.Account
			if (lim.MaxResources > 0 && len(resources)+1 > lim.MaxResources) || (lim.MaxPerAccount > 0 && perAccount[acct]+1 > lim.MaxPerAccount) {
				why := fmt.Sprintf("blast-radius limit: the plan would change more than %d resources (%d in account %s) (policy limits)", lim.MaxResources, lim.MaxPerAccount, acct)
				out.Waiting[it.N], blocked[it.Chain] = why, why
				continue
			}
			resources[it.Change.Resource] = true
			perAccount[acct]++
		}
		abs, err := filepath.Abs(path)
		if err != nil {
			return nil, err
		}
		absState, err := filepath.Abs(state)
		if err != nil {
			return nil, err
		}
		args := StepArgs{State: absState, Plan: abs, PlanHash: f.Hash, N: it.N, Key: it.Key, Mode: mode, After: after}
		res, err := q.client.Insert(ctx, args, nil)
		if err != nil {
			return nil, fmt.Errorf("jobs: enqueuing step %d: %w", it.N, err)
		}
		out.Jobs[it.N] = res.Job.ID
	}
	return out, nil
}

type stepWorker struct {
	river.WorkerDefaults[StepArgs]
	q *Queue
}

// Work applies the step once: what the trail holds of it decides. A step
// whose run started (by an earlier attempt whose worker died, whatever it
// got to) is not applied again: the job records it as already done.
func (w *stepWorker) Work(ctx context.Context, job *river.Job[StepArgs]) error {
	q, a := w.q, job.Args
	jr := history.JobRun{JobID: job.ID, Kind: StepKind, Source: fmt.Sprintf("%s step %d", planName(a.Plan), a.N), Args: string(job.EncodedArgs),
		Attempt: job.Attempt, Worker: q.id, Started: time.Now()}
	if err := q.store.StartJobRun(ctx, jr); err != nil {
		return err
	}
	log := q.log.With("job", job.ID, "kind", StepKind, "plan", planName(a.Plan), "step", a.N, "mode", a.Mode, "attempt", job.Attempt)
	if st, err := q.store.JobRunStatus(ctx, job.ID); err != nil {
		return err
	} else if st == history.JobCompleted {
		log.Info("job already recorded by an earlier attempt; not run again")
		return nil
	}
	status, result, err := w.run(ctx, job, log)
	var snooze *rivertype.JobSnoozeError
	switch {
	case errors.As(err, &snooze):
		return err
	case err != nil:
		if ferr := q.store.FinishJobRun(context.WithoutCancel(ctx), job.ID, history.JobFailed, err.Error(), result, time.Now()); ferr != nil {
			err = errors.Join(err, ferr)
		}
		log.Warn("job failed", "error", err)
		return err
	}
	if q.opts.Hold > 0 {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(q.opts.Hold):
		}
	}
	jobStatus, errText := history.JobCompleted, ""
	if status == engine.StatusFailed {
		jobStatus, errText = history.JobFailed, result
	}
	if err := q.store.FinishJobRun(context.WithoutCancel(ctx), job.ID, jobStatus, errText, result, time.Now()); err != nil {
		return err
	}
	log.Info("job completed", "status", status, "result", result)
	return nil
}

func planName(path string) string {
	return filepath.Base(path[:len(path)-len(filepath.Ext(path))])
}

// run applies the step: the step's status and a line saying what it did;
// an error leaves the job to River's retries (nothing was started).
func (w *stepWorker) run(ctx context.Context, job *river.Job[StepArgs], log *slog.Logger) (string, string, error) {
	q, a := w.q, job.Args
	if a.Mode != wire.ModeApply && a.Mode != wire.ModeDryRun {
		return "", "", river.JobCancel(fmt.Errorf("step job: mode %q", a.Mode))
	}
	f, err := engine.ReadFile(a.Plan)
	if err != nil {
		return "", "", river.JobCancel(err)
	}
	if f.Hash != a.PlanHash {
		return "", "", river.JobCancel(fmt.Errorf("%s: %w: its hash is %.12s, the approved plan's %.12s", a.Plan, engine.ErrTampered, f.Hash, a.PlanHash))
	}
	var it *engine.Item
	for i := range f.Plan().Items {
		if x := &f.Plan().Items[i]; x.N == a.N && x.Key == a.Key {
			it = x
		}
	}
	if it == nil {
		return "", "", river.JobCancel(fmt.Errorf("%s has no step %d with key %s", a.Plan, a.N, a.Key))
	}
	state := wire.State(a.State)
	trailPath := state.Trail()
	approvers, err := wire.Approvers(trailPath, f.Hash)
	if err != nil {
		return "", "", err
	}
	// Approvals written into the plan file and not through vigil are not
	// in the trail: the step is not run on them.
	count := 0
	for _, ap := range f.Approvals {
		forApply, ok := approvers[ap.By]
		if !ok {
			return "", "", river.JobCancel(fmt.Errorf("%w: the approval by %s is not in the trail %s", engine.ErrTampered, ap.By, trailPath))
		}
		if forApply || a.Mode == wire.ModeDryRun {
			count++
		}
	}
	steps, err := wire.Steps(trailPath, f.Hash, a.Mode)
	if err != nil {
		return "", "", err
	}
	if rec := steps[a.Key]; rec.Started {
		status := rec.Status
		if status == "" {
			status = "interrupted (outcome unknown: see the trail)"
		}
		log.Info("step already started by an earlier run; not applied again", "run", rec.Run)
		return engine.StatusDone, fmt.Sprintf("step %d %s on %s: not run again: run %s of %s began it (%s)", it.N, it.Action, it.Change.Resource, rec.Run, rec.Job, status), nil
	}
	notRun := ""
	for _, k := range a.After {
		rec := steps[k]
		switch rec.Status {
		case "":
			log.Info("waiting for an earlier step of the chain", "key", k)
			return "", "", river.JobSnooze(StepWait)
		case engine.StatusApplied, engine.StatusNoOp, engine.StatusDone, engine.StatusDryRun:
		default:
			notRun = fmt.Sprintf("an earlier step of its playbook did not run to its end (%s)", rec.Status)
		}
	}
	dry := a.Mode == wire.ModeDryRun
	if !dry && !q.opts.ApplySteps {
		dry = true
	}
	reg, err := q.registry()
	if err != nil {
		return "", "", err
	}
	r, closeTrail, err := wire.Runner(reg, state, "", "vigil-jobs:"+q.id)
	if err != nil {
		return "", "", err
	}
	defer closeTrail()
	r.Logger = q.log
	run, err := r.ApplyStep(ctx, f, a.N, engine.StepOptions{RunsDir: state.Runs(), DryRun: dry, Approvers: count, Mode: a.Mode, NotRun: notRun,
		Data: map[string]any{"job": job.ID, "attempt": job.Attempt, "worker": q.id}})
	if run == nil {
		// Nothing started (the trail or the run record could not be
		// written): River tries again.
		return "", "", err
	}
	res := run.Results[0]
	line := fmt.Sprintf("step %d %s on %s: %s (run %s)", it.N, it.Action, it.Change.Resource, res.Status, run.Run)
	if res.Error != "" {
		line += ": " + res.Error
	} else if res.Outcome != nil && res.Outcome.Note != "" {
		line += ": " + res.Outcome.Note
	}
	if dry && a.Mode == wire.ModeApply {
		line += " (approved for apply, but this worker applies nothing: start it with --apply-steps)"
	}
	if err != nil {
		line += "; " + err.Error()
	}
	return res.Status, line, nil
}
