package jobs

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/riverqueue/river/rivertype"

	"github.com/vigil-sec/vigil/internal/finding"
	"github.com/vigil-sec/vigil/internal/history"
)

// afterScan runs after a job recorded its run (or found it recorded by an
// earlier attempt): when the job's schedule entry has a response, the
// run's new findings (failing now and not in the run before it of its
// source, or failing again: history's new and reopened, muted ones left
// out; every failing finding of a source's first run) are written to
// STATE/inputs/run-ID-new.json and a plan job plans the playbooks over
// them, once per run (the plan job is unique by its inputs).
func (q *Queue) afterScan(ctx context.Context, job *rivertype.JobRow, run *history.Run, sc *history.Scan) error {
	var a struct {
		Respond *Respond `json:"respond"`
	}
	if err := json.Unmarshal(job.EncodedArgs, &a); err != nil || a.Respond == nil || run == nil || sc == nil {
		return nil
	}
	fresh, err := q.newFindings(ctx, run, sc)
	if err != nil {
		return err
	}
	if len(fresh) == 0 {
		q.log.Info("no new finding to plan playbooks over", "job", job.ID, "run", run.ID)
		return nil
	}
	path := filepath.Join(a.Respond.State, "inputs", fmt.Sprintf("run-%d-new.json", run.ID))
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	b, err := json.Marshal(map[string]any{"findings": fresh})
	if err != nil {
		return err
	}
	tmp := path + ".partial"
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		return err
	}
	id, err := q.Enqueue(ctx, PlanArgs{Respond: *a.Respond, Inputs: []string{path}, Trigger: job.ID})
	if err != nil {
		return err
	}
	q.log.Info("playbooks planned over the run's new findings", "job", job.ID, "run", run.ID, "findings", len(fresh), "plan_job", id)
	return nil
}

// newFindings are the findings of the scan that the run made new or
// reopened.
func (q *Queue) newFindings(ctx context.Context, run *history.Run, sc *history.Scan) ([]finding.Finding, error) {
	runs, err := q.store.Runs(ctx, history.RunQuery{Source: run.Source, Limit: 50})
	if err != nil {
		return nil, err
	}
	var prev int64
	for _, r := range runs {
		if r.ID < run.ID && r.ID > prev {
			prev = r.ID
		}
	}
	var keep map[int64]bool
	if prev > 0 {
		d, err := q.store.Diff(ctx, prev, run.ID)
		if err != nil {
			return nil, err
		}
		keep = map[int64]bool{}
		for _, f := range d.Active("") {
			keep[f.ID] = true
		}
	}
	var out []finding.Finding
	for _, f := range sc.Findings {
		if f.Status != finding.Fail {
			continue
		}
		if keep != nil && !keep[history.Identity(sc.Source, f.RuleID, f.Resource.Provider, f.Resource.ID)] {
			continue
		}
		out = append(out, f)
	}
	return out, nil
}
