package jobs

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/vigil-sec/vigil/internal/history"
	"github.com/vigil-sec/vigil/internal/respond"
	"github.com/vigil-sec/vigil/internal/respond/engine"
	"github.com/vigil-sec/vigil/internal/respond/playbook"
	"github.com/vigil-sec/vigil/internal/respond/subjects"
	"github.com/vigil-sec/vigil/internal/respond/wire"
)

// PlanKind is the River job kind of a playbook plan: vigil respond plan
// over what a scheduled job produced. It reads only: the plan goes under
// the response state for approval, as vigil respond plan writes it.
const PlanKind = "vigil_playbook_plan"

// Respond is a schedule entry's response: the playbooks planned over the
// alerts of each of its runs.
type Respond struct {
	// Playbooks are playbook files or folders (vigil respond --playbooks).
	Playbooks []string `json:"playbooks" yaml:"playbooks"`
	// State is vigil respond's --state folder: the plan goes to
	// STATE/plans/ID.json and every event into STATE/trail.jsonl.
	State string `json:"state" yaml:"state"`
	// Policy is vigil respond's --policy file (default the default
	// policy).
	Policy string `json:"policy,omitempty" yaml:"policy"`
}

func (r *Respond) parse(where string, abs func(string) string) error {
	if len(r.Playbooks) == 0 || r.State == "" {
		return fmt.Errorf("%s: respond: playbooks and state are required", where)
	}
	for i := range r.Playbooks {
		r.Playbooks[i] = abs(r.Playbooks[i])
	}
	r.State, r.Policy = abs(r.State), abs(r.Policy)
	return nil
}

// PlanArgs are the inputs of a plan job: the response and the files to
// plan over (an alert file of a follow job).
type PlanArgs struct {
	Respond
	Inputs []string `json:"inputs"`
	// Trigger is the job whose output the plan is made of.
	Trigger int64 `json:"trigger,omitempty"`
}

// Kind is River's job kind.
func (PlanArgs) Kind() string { return PlanKind }

// InsertOpts are the defaults of a plan job: one plan job per input, ever
// (a follow job run again after enqueuing it enqueues nothing more).
func (PlanArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 3, UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: rivertype.JobStates()}}
}

type planWorker struct {
	river.WorkerDefaults[PlanArgs]
	q *Queue
}

// Work plans the playbooks over the inputs and writes the sealed plan.
func (w *planWorker) Work(ctx context.Context, job *river.Job[PlanArgs]) error {
	q, a := w.q, job.Args
	jr := history.JobRun{JobID: job.ID, Kind: PlanKind, Source: fmt.Sprintf("job %d", a.Trigger), Args: string(job.EncodedArgs),
		Attempt: job.Attempt, Worker: q.id, Started: time.Now()}
	if err := q.store.StartJobRun(ctx, jr); err != nil {
		return err
	}
	if st, err := q.store.JobRunStatus(ctx, job.ID); err != nil || st == history.JobCompleted {
		return err
	}
	result, err := q.plan(ctx, a)
	status, errText := history.JobCompleted, ""
	if err != nil {
		status, errText = history.JobFailed, err.Error()
	}
	if ferr := q.store.FinishJobRun(context.WithoutCancel(ctx), job.ID, status, errText, result, time.Now()); ferr != nil {
		return errors.Join(err, ferr)
	}
	q.log.Info("job finished", "job", job.ID, "kind", PlanKind, "status", status, "result", result)
	return err
}

// registry is every action vigil has, with the clouds' default
// credentials and endpoints.
func (q *Queue) registry() (*respond.Registry, error) {
	if q.opts.Registry != nil {
		return q.opts.Registry()
	}
	return wire.Registry(wire.Clouds{})
}

func (q *Queue) plan(ctx context.Context, a PlanArgs) (string, error) {
	reg, err := q.registry()
	if err != nil {
		return "", err
	}
	pbs, err := playbook.Load(a.Playbooks, reg)
	if err != nil {
		return "", err
	}
	var subs []*respond.Subject
	var probs []error
	for _, in := range a.Inputs {
		got, p := subjects.ReadFile(in, subjects.Options{})
		subs, probs = append(subs, got...), append(probs, p...)
	}
	if len(subs) == 0 {
		return "no finding or alert to act on", errors.Join(probs...)
	}
	r, closeTrail, err := wire.Runner(reg, wire.State(a.State), a.Policy, "vigil-jobs:"+q.id)
	if err != nil {
		return "", err
	}
	defer closeTrail()
	r.Logger = q.log
	p, err := r.Build(ctx, subs, playbook.Engine(pbs), engine.BuildOptions{Inputs: a.Inputs})
	if err != nil {
		return "", err
	}
	if len(p.Items) == 0 {
		return fmt.Sprintf("no playbook step for %d subjects (%d skipped)", len(subs), len(p.Skipped)), nil
	}
	path := filepath.Join(wire.State(a.State).Plans(), p.ID+".json")
	if _, err := wire.WritePlan(ctx, r, p, path, a.Inputs); err != nil {
		return "", err
	}
	need := 0
	for _, it := range p.Items {
		if it.Approvals > 0 {
			need++
		}
	}
	return fmt.Sprintf("plan %s: %d steps (%d await approval) in %s", p.ID, len(p.Items), need, path), errors.Join(probs...)
}
