package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/vigil-sec/vigil/internal/finding"
	"github.com/vigil-sec/vigil/internal/history"
	"github.com/vigil-sec/vigil/internal/respond/engine"
	"github.com/vigil-sec/vigil/internal/respond/wire"
)

// planView is one plan file as the pages show it.
type planView struct {
	ID, Path, Hash, Error string
	Plan                  *engine.Plan
	Approvals             []engine.Approval
	// Missing counts the steps that need more approvals than given;
	// Needed is the most approvals a step needs.
	Missing, Needed int
	Changes         int // steps that change something
	Worst           finding.Severity
	Runs            []*engine.Run
}

// Status says where the plan stands.
func (v planView) Status() string {
	switch {
	case v.Error != "":
		return "unreadable"
	case v.Missing > 0:
		return "awaiting approval"
	case slices.ContainsFunc(v.Runs, func(r *engine.Run) bool { return r.Kind == "apply" }):
		// Dry runs (step jobs approved for a dry run) change nothing.
		return "applied"
	case len(v.Approvals) == 0:
		return "needs no approval"
	}
	return "approved"
}

// respondLock serializes approvals (a read, an edit and a write of the
// plan file, and an append to the trail).
var respondLock sync.Mutex

func (s *Server) plansDir() string { return filepath.Join(s.ws.cfg.Respond, "plans") }
func (s *Server) runsDir() string  { return filepath.Join(s.ws.cfg.Respond, "runs") }

// readRuns reads every run record, newest first.
func (s *Server) readRuns(ctx context.Context) ([]*engine.Run, []string) {
	var runs []*engine.Run
	var problems []string
	names, _ := filepath.Glob(filepath.Join(s.runsDir(), "*.jsonl"))
	for _, n := range names {
		if ctx.Err() != nil {
			break
		}
		run, err := engine.ReadRun(n)
		if err != nil {
			problems = append(problems, err.Error())
			continue
		}
		runs = append(runs, run)
	}
	slices.SortFunc(runs, func(a, b *engine.Run) int { return b.Started.Compare(a.Started) })
	return runs, problems
}

// readPlans reads every plan file with its runs: plans awaiting approval
// first, then the worst subjects, then the newest.
func (s *Server) readPlans(ctx context.Context) ([]planView, []*engine.Run, []string) {
	runs, problems := s.readRuns(ctx)
	names, _ := filepath.Glob(filepath.Join(s.plansDir(), "*.json"))
	var out []planView
	for _, n := range names {
		if ctx.Err() != nil {
			break
		}
		v := planView{ID: strings.TrimSuffix(filepath.Base(n), ".json"), Path: n}
		f, err := engine.ReadFile(n)
		if err != nil {
			v.Error = err.Error()
			out = append(out, v)
			continue
		}
		v.fill(f, runs)
		out = append(out, v)
	}
	slices.SortStableFunc(out, func(a, b planView) int {
		if d := planRank(a) - planRank(b); d != 0 {
			return d
		}
		if d := b.Worst.Rank() - a.Worst.Rank(); d != 0 {
			return d
		}
		if a.Plan != nil && b.Plan != nil {
			return b.Plan.Created.Compare(a.Plan.Created)
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out, runs, problems
}

func planRank(v planView) int {
	switch v.Status() {
	case "unreadable":
		return 0
	case "awaiting approval":
		return 1
	case "approved", "needs no approval":
		return 2
	}
	return 3
}

func (v *planView) fill(f *engine.File, runs []*engine.Run) {
	p := f.Plan()
	v.Plan, v.Hash, v.Approvals = p, f.Hash, f.Approvals
	if p.ID != "" {
		v.ID = p.ID
	}
	miss := f.Missing()
	v.Missing = len(miss)
	for _, it := range miss {
		v.Needed = max(v.Needed, it.Approvals)
	}
	for _, it := range p.Items {
		if it.Change != nil && !it.Change.NoOp {
			v.Changes++
		}
		if sev := finding.Severity(strings.ToUpper(it.Subject.Severity)); sev.Rank() > v.Worst.Rank() {
			v.Worst = sev
		}
	}
	for _, r := range runs {
		if r.Plan == p.ID || r.PlanHash == f.Hash {
			v.Runs = append(v.Runs, r)
		}
	}
}

// findPlan returns the plan file whose plan ID is id: the ID is looked up
// among the files of the plans directory, never joined into a path.
func (s *Server) findPlan(ctx context.Context, id string) (string, *engine.File, error) {
	names, _ := filepath.Glob(filepath.Join(s.plansDir(), "*.json"))
	for _, n := range names {
		if ctx.Err() != nil {
			return "", nil, ctx.Err()
		}
		if strings.TrimSuffix(filepath.Base(n), ".json") != id {
			continue
		}
		f, err := engine.ReadFile(n)
		return n, f, err
	}
	for _, n := range names { // a file named otherwise
		f, err := engine.ReadFile(n)
		if err == nil && f.Plan().ID == id {
			return n, f, nil
		}
	}
	return "", nil, os.ErrNotExist
}

func (s *Server) playbooksPage(w http.ResponseWriter, r *http.Request, p *principal) {
	v := map[string]any{"Configured": s.ws.cfg.Respond != "", "Dir": s.ws.cfg.Respond}
	if s.ws.cfg.Respond != "" {
		plans, runs, problems := s.readPlans(r.Context())
		v["Plans"], v["Runs"], v["Problems"] = plans, runs[:min(len(runs), maxListed)], problems
	}
	s.render(w, r, p, http.StatusOK, "playbooks", "Playbooks", v)
}

// itemView is a plan step with its change's values as JSON.
type itemView struct {
	engine.Item
	Diff []attrView
}

type attrView struct{ Attribute, Before, After string }

// asJSON encodes a value for a page as it is (the template escapes it;
// json.Marshal's \u003c would show as such).
func asJSON(v any) string {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return fmt.Sprint(v)
	}
	return strings.TrimSuffix(b.String(), "\n")
}

func (s *Server) playbookPage(w http.ResponseWriter, r *http.Request, p *principal) {
	s.showPlan(w, r, p, http.StatusOK, "")
}

func (s *Server) showPlan(w http.ResponseWriter, r *http.Request, p *principal, code int, msg string) {
	if s.ws.cfg.Respond == "" {
		s.errorPage(w, r, p, http.StatusNotFound, "no respond state directory: start the server with --respond DIR")
		return
	}
	id := r.PathValue("id")
	path, f, err := s.findPlan(r.Context(), id)
	if errors.Is(err, os.ErrNotExist) {
		s.errorPage(w, r, p, http.StatusNotFound, fmt.Sprintf("no plan %q", id))
		return
	}
	v := planView{ID: id, Path: path}
	if err != nil {
		v.Error = err.Error()
	} else {
		runs, _ := s.readRuns(r.Context())
		v.fill(f, runs)
	}
	var items []itemView
	if v.Plan != nil {
		for _, it := range v.Plan.Items {
			iv := itemView{Item: it}
			if it.Change != nil {
				for _, d := range it.Change.Diff {
					iv.Diff = append(iv.Diff, attrView{d.Attribute, asJSON(d.Before), asJSON(d.After)})
				}
			}
			items = append(items, iv)
		}
	}
	var jobs []stepJob
	if v.Hash != "" {
		var err error
		if jobs, err = s.stepJobs(r.Context(), v.Hash); err != nil {
			s.internalError(w, r, p, false, err)
			return
		}
	}
	s.render(w, r, p, code, "playbook", "Plan "+v.ID, map[string]any{"Plan": v, "Items": items, "Error": msg,
		"MayApprove": p.Role.Allows(Responder), "Jobs": jobs, "Queue": s.opts.Steps != nil})
}

// StepQueue turns a plan's approved steps into jobs, one per step (the
// job queue of vigil serve --schedule: internal/jobs.Queue.EnqueueSteps,
// adapted by cmd/vigil). It returns the jobs by step number and the steps
// left waiting, with why.
type StepQueue interface {
	EnqueueSteps(ctx context.Context, state, plan, mode string) (jobs map[int]int64, waiting map[int]string, err error)
}

// approval is what approving a plan did.
type approval struct {
	Plan     string          `json:"plan"`
	Approval engine.Approval `json:"approval"`
	Jobs     map[int]int64   `json:"jobs"`
	Waiting  map[int]string  `json:"waiting"`
	Queued   bool            `json:"queued"`
	Note     string          `json:"note,omitempty"`
	file     *engine.File
}

// errApprove is an approval refused for the request's reason (not found,
// conflict, bad input): its code.
type errApprove struct {
	code int
	err  error
}

func (e *errApprove) Error() string { return e.err.Error() }

// approve records the principal's approval of plan id, in the plan file
// and the trail as vigil respond approve --by does, and the audit log;
// with a job queue, the approved steps become step jobs (for mode: apply
// or a dry run).
func (s *Server) approve(ctx context.Context, r *http.Request, p *principal, id, reason, mode string) (*approval, error) {
	if s.ws.cfg.Respond == "" {
		return nil, &errApprove{http.StatusNotFound, errors.New("no respond state directory: start the server with --respond DIR")}
	}
	if len(reason) > 2000 {
		return nil, &errApprove{http.StatusBadRequest, errors.New("a reason has at most 2000 characters")}
	}
	if mode != wire.ModeApply && mode != wire.ModeDryRun {
		return nil, &errApprove{http.StatusBadRequest, fmt.Errorf("mode is %s or %s", wire.ModeApply, wire.ModeDryRun)}
	}
	respondLock.Lock()
	defer respondLock.Unlock()
	path, f, err := s.findPlan(ctx, id)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return nil, &errApprove{http.StatusNotFound, fmt.Errorf("no plan %q", id)}
	case err != nil:
		return nil, &errApprove{http.StatusConflict, fmt.Errorf("not approved: %w", err)}
	}
	a, err := wire.Approve(ctx, wire.State(s.ws.cfg.Respond), path, f, p.Name, reason, mode, "vigil serve", s.now())
	if err != nil {
		return nil, err
	}
	out := &approval{Plan: f.Plan().ID, Approval: a, file: f}
	s.audit(ctx, p.Name, "plan_approve", f.Plan().ID, mode+": "+reason, clientIP(r))
	if s.opts.Steps == nil {
		out.Note = "no job queue in this server (vigil serve --schedule): the steps are applied by vigil respond apply"
		return out, nil
	}
	out.Jobs, out.Waiting, err = s.opts.Steps.EnqueueSteps(ctx, s.ws.cfg.Respond, path, mode)
	if err != nil {
		return out, fmt.Errorf("approved, but the steps were not queued: %w", err)
	}
	out.Queued = true
	return out, nil
}

// approvePage records the signed-in responder's approval of a plan (for
// apply when the form says so, else for a dry run).
func (s *Server) approvePage(w http.ResponseWriter, r *http.Request, p *principal) {
	mode := wire.ModeDryRun
	if r.PostFormValue("mode") == wire.ModeApply {
		mode = wire.ModeApply
	}
	a, err := s.approve(r.Context(), r, p, r.PathValue("id"), strings.TrimSpace(r.PostFormValue("reason")), mode)
	var ea *errApprove
	switch {
	case errors.As(err, &ea) && ea.code == http.StatusNotFound:
		s.errorPage(w, r, p, ea.code, ea.Error())
		return
	case errors.As(err, &ea):
		s.showPlan(w, r, p, ea.code, ea.Error())
		return
	case err != nil && a == nil:
		s.internalError(w, r, p, false, err)
		return
	case err != nil:
		s.showPlan(w, r, p, http.StatusInternalServerError, err.Error())
		return
	}
	http.Redirect(w, r, "/playbooks/"+url.PathEscape(a.Plan), http.StatusSeeOther)
}

// apiApprove is approvePage for the API: {"reason", "mode"} (mode
// "apply" or "dry-run", the default).
func (s *Server) apiApprove(w http.ResponseWriter, r *http.Request, p *principal) {
	var req struct {
		Reason string `json:"reason"`
		Mode   string `json:"mode"`
	}
	if err := decode(r, &req); err != nil {
		s.apiError(w, http.StatusBadRequest, err)
		return
	}
	if req.Mode == "" {
		req.Mode = wire.ModeDryRun
	}
	a, err := s.approve(r.Context(), r, p, r.PathValue("id"), strings.TrimSpace(req.Reason), req.Mode)
	var ea *errApprove
	switch {
	case errors.As(err, &ea):
		s.apiError(w, ea.code, ea)
		return
	case err != nil:
		s.internalError(w, r, p, true, err)
		return
	}
	s.writeJSON(w, http.StatusOK, a)
}

// stepJob is a step job of a plan, as the playbook page and the API show
// it.
type stepJob struct {
	N    int            `json:"n"`
	Mode string         `json:"mode"`
	Run  history.JobRun `json:"job"`
}

// stepJobs lists the step jobs of the plan with this hash (among the
// newest 1000 job runs), by step then newest first.
func (s *Server) stepJobs(ctx context.Context, hash string) ([]stepJob, error) {
	jrs, err := s.store.JobRuns(ctx, history.JobRunQuery{Limit: 1000})
	if err != nil {
		return nil, err
	}
	out := []stepJob{}
	for _, jr := range jrs {
		if jr.Kind != stepKind {
			continue
		}
		var a struct {
			PlanHash string `json:"plan_hash"`
			N        int    `json:"n"`
			Mode     string `json:"mode"`
		}
		if json.Unmarshal([]byte(jr.Args), &a) != nil || a.PlanHash != hash {
			continue
		}
		out = append(out, stepJob{N: a.N, Mode: a.Mode, Run: jr})
	}
	slices.SortStableFunc(out, func(a, b stepJob) int { return a.N - b.N })
	return out, nil
}

// stepKind is internal/jobs.StepKind.
const stepKind = "vigil_playbook_step"
