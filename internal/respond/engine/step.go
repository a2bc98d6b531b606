package engine

import (
	"context"
	"fmt"
	"maps"

	"github.com/vigil-sec/vigil/internal/respond"
)

// StatusDryRun is the status of a step run dry: what it would change is
// recorded, nothing is changed.
const StatusDryRun = "dry-run"

// StepOptions tune ApplyStep.
type StepOptions struct {
	// RunsDir is where the run record (RUN.jsonl) is written.
	RunsDir string
	// DryRun records the step's planned change (its calls and diff) and
	// changes nothing.
	DryRun bool
	// Approvers is how many distinct people approved the plan (for
	// apply), as the caller checked them against the trail.
	Approvers int
	// Mode ("apply", "dry-run") and Data (the job) are added to the run's
	// start and result entries in the trail, where a later attempt of the
	// step looks for them.
	Mode string
	Data map[string]any
	// NotRun, when set, records the step as not run for this reason (an
	// earlier step of its playbook did not run to its end).
	NotRun string
}

// ApplyStep runs one step (item n) of a plan as a run of its own, for the
// job queue's one job per step: the run's start is in the trail (with the
// step's key) before anything is done, so a caller that finds it there
// knows the step may have been applied and does not apply it again. The
// step runs as in Apply (its approvals, the policy's rate limits; the
// blast-radius limits count this step alone), or dry. The run record and
// the trail get the result.
func (r *Runner) ApplyStep(ctx context.Context, f *File, n int, opts StepOptions) (*Run, error) {
	p := f.Plan()
	var it *Item
	for i := range p.Items {
		if p.Items[i].N == n {
			it = &p.Items[i]
		}
	}
	if it == nil || it.Change == nil {
		return nil, fmt.Errorf("plan %s has no step %d", p.ID, n)
	}
	now := r.now().UTC()
	kind := "apply"
	if opts.DryRun {
		kind = StatusDryRun
	}
	h := RunHeader{Run: NewID(now), Kind: kind, Plan: p.ID, PlanHash: f.Hash, By: r.actor(), Started: now}
	if opts.RunsDir == "" {
		opts.RunsDir = "."
	}
	data := func(more map[string]any) map[string]any {
		d := map[string]any{"plan": p.ID, "n": it.N, "key": it.Key, "mode": opts.Mode}
		maps.Copy(d, opts.Data)
		maps.Copy(d, more)
		return d
	}
	if err := r.record(ctx, Event{Kind: KindStart, Run: h.Run, Plan: f.Hash, Data: data(map[string]any{"items": 1, "approvals": f.Approvals})}); err != nil {
		return nil, fmt.Errorf("trail: %w", err)
	}
	rl, path, err := openRunLog(opts.RunsDir, h)
	if err != nil {
		return nil, err
	}
	defer rl.close()
	run := &Run{RunHeader: h, Path: path}
	env := r.env(h.Run, f.Hash, &p.Policy)
	st := &applyState{pol: &p.Policy, perAccount: map[string]int{}, resources: map[string]bool{}}
	var res Result
	switch {
	case opts.NotRun != "":
		res = r.applyItem(ctx, env, h.Run, f.Hash, *it, opts.Approvers, ApplyOptions{}, st, fmt.Errorf("%s", opts.NotRun))
	case opts.DryRun:
		res = r.dryItem(ctx, h.Run, f.Hash, *it, opts.Approvers)
	default:
		res = r.applyItem(ctx, env, h.Run, f.Hash, *it, opts.Approvers, ApplyOptions{}, st, nil)
	}
	run.Results = append(run.Results, res)
	if res.stop != "" {
		run.Stopped = res.stop
	}
	werr := rl.write(res)
	if err := r.record(context.WithoutCancel(ctx), Event{Kind: KindEnd, Run: h.Run, Plan: f.Hash,
		Data: data(map[string]any{"status": res.Status, "counts": run.Counts(), "stopped": run.Stopped})}); err != nil && werr == nil {
		werr = fmt.Errorf("trail: %w", err)
	}
	return run, werr
}

// dryItem records what the item would do.
func (r *Runner) dryItem(ctx context.Context, run, planHash string, it Item, approvers int) Result {
	res := Result{N: it.N, Key: it.Key, Action: it.Action, Resource: it.Change.Resource, Account: it.Subject.Account, Change: it.Change,
		Status: StatusDryRun, Time: r.now().UTC()}
	note := fmt.Sprintf("dry run: %d call(s), %d attribute(s) would change; nothing changed", len(it.Change.Calls), len(it.Change.Diff))
	switch {
	case it.Change.NoOp:
		note = "dry run: nothing to change (" + it.Change.Reason + ")"
	case it.Approvals > approvers:
		note = fmt.Sprintf("dry run: needs %d approval(s) for apply, the plan has %d", it.Approvals, approvers)
	}
	e := Event{Kind: KindSkip, Run: run, Plan: planHash, Action: it.Action, Resource: it.Change.Resource, Tactic: r.tactic(it.Action),
		Status: StatusDryRun, Data: map[string]any{"n": it.N, "key": it.Key, "playbook": it.Playbook, "step": it.Step, "subject": it.Subject,
			"calls": it.Change.Calls, "diff": it.Change.Diff, "note": note}}
	if err := r.record(context.WithoutCancel(ctx), e); err != nil {
		res.Status, res.Error = StatusFailed, "trail: "+err.Error()
	}
	res.Outcome = &respond.Outcome{Note: note}
	return res
}
