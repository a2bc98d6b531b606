package engine

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"github.com/vigil-sec/vigil/internal/respond"
)

// ReadRun reads a run record (RUN.jsonl): its header and results. A last
// line torn by a crash is reported in the error of a record with no
// header; otherwise it is left out (that step's change may or may not
// have been made: the trail says).
func ReadRun(path string) (*Run, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("run: %w", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	run := &Run{Path: path}
	line := 0
	for sc.Scan() {
		line++
		if line == 1 {
			if err := json.Unmarshal(sc.Bytes(), &run.RunHeader); err != nil || run.Run == "" {
				return nil, fmt.Errorf("run %s: line 1 is not a run header", path)
			}
			continue
		}
		var res Result
		if err := json.Unmarshal(sc.Bytes(), &res); err != nil {
			return nil, fmt.Errorf("run %s: line %d: %w", path, line, err)
		}
		run.Results = append(run.Results, res)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("run %s: %w", path, err)
	}
	if line == 0 {
		return nil, fmt.Errorf("run %s: empty", path)
	}
	return run, nil
}

// FindRun returns the path of run id's record in dir (id or a path).
func FindRun(dir, id string) string {
	if _, err := os.Stat(id); err == nil {
		return id
	}
	return filepath.Join(dir, id+".jsonl")
}

// Rollback undoes an apply run: the steps it applied, newest first, each
// through its action's Rollback with the before-state the run recorded.
// Steps whose action cannot be undone are listed with status
// "irreversible"; the rest of the rollback goes on past a failure.
func (r *Runner) Rollback(ctx context.Context, of *Run, runsDir string) (*Run, error) {
	if of.Kind != "apply" {
		return nil, fmt.Errorf("run %s is a %s, not an apply run", of.Run, of.Kind)
	}
	now := r.now().UTC()
	h := RunHeader{Run: NewID(now), Kind: "rollback", Plan: of.Plan, PlanHash: of.PlanHash, Of: of.Run, By: r.actor(), Started: now}
	rl, path, err := openRunLog(runsDir, h)
	if err != nil {
		return nil, err
	}
	defer rl.close()
	run := &Run{RunHeader: h, Path: path}
	if err := r.record(ctx, Event{Kind: KindStart, Run: h.Run, Plan: of.PlanHash, Data: map[string]any{"rollback_of": of.Run}}); err != nil {
		return nil, fmt.Errorf("trail: %w", err)
	}
	env := r.env(h.Run, of.PlanHash, &Policy{RateLimits: DefaultPolicy().RateLimits})
	applied := slices.DeleteFunc(slices.Clone(of.Results), func(x Result) bool { return x.Status != StatusApplied })
	slices.Reverse(applied)
	for _, x := range applied {
		res := Result{N: x.N, Key: x.Key, Action: x.Action, Resource: x.Resource, Account: x.Account, Change: x.Change}
		act, ok := r.Registry.Get(x.Action)
		var err error
		switch {
		case !ok:
			err = r.Registry.Unknown(x.Action)
		case x.Change == nil:
			err = fmt.Errorf("the run record has no change for item %d", x.N)
		default:
			res.Outcome, err = act.Rollback(ctx, env, x.Change, x.Outcome)
		}
		switch {
		case err == nil:
			res.Status = StatusRolledBack
		case errors.Is(err, respond.ErrIrreversible):
			res.Status, res.Error = StatusIrreversible, err.Error()
		default:
			res.Status, res.Error = StatusFailed, err.Error()
		}
		res.Time = r.now().UTC()
		e := Event{Kind: KindRollback, Run: h.Run, Plan: of.PlanHash, Action: x.Action, Resource: x.Resource, Tactic: "restore",
			Status: res.Status, Error: res.Error, Data: map[string]any{"n": x.N, "of": of.Run}}
		if terr := r.record(ctx, e); terr != nil {
			return run, fmt.Errorf("trail: %w", terr)
		}
		run.Results = append(run.Results, res)
		if err := rl.write(res); err != nil {
			return run, err
		}
		if ctx.Err() != nil {
			run.Stopped = ctx.Err().Error()
			break
		}
	}
	_ = r.record(ctx, Event{Kind: KindEnd, Run: h.Run, Plan: of.PlanHash, Data: map[string]any{"counts": run.Counts()}})
	return run, nil
}
