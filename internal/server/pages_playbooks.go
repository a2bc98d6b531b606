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
	"github.com/vigil-sec/vigil/internal/respond/engine"
	"github.com/vigil-sec/vigil/internal/respond/trail"
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
	case len(v.Runs) > 0:
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
	s.render(w, r, p, code, "playbook", "Plan "+v.ID, map[string]any{"Plan": v, "Items": items, "Error": msg,
		"MayApprove": p.Role.Allows(Responder)})
}

// approvePage records the signed-in responder's approval of a plan, in
// the plan file and the trail, as vigil respond approve --by does.
func (s *Server) approvePage(w http.ResponseWriter, r *http.Request, p *principal) {
	if s.ws.cfg.Respond == "" {
		s.errorPage(w, r, p, http.StatusNotFound, "no respond state directory: start the server with --respond DIR")
		return
	}
	reason := strings.TrimSpace(r.PostFormValue("reason"))
	if len(reason) > 2000 {
		s.showPlan(w, r, p, http.StatusBadRequest, "a reason has at most 2000 characters")
		return
	}
	respondLock.Lock()
	defer respondLock.Unlock()
	id := r.PathValue("id")
	path, f, err := s.findPlan(r.Context(), id)
	switch {
	case errors.Is(err, os.ErrNotExist):
		s.errorPage(w, r, p, http.StatusNotFound, fmt.Sprintf("no plan %q", id))
		return
	case err != nil:
		s.showPlan(w, r, p, http.StatusConflict, "not approved: "+err.Error())
		return
	}
	a, err := f.Approve(p.Name, reason, s.now())
	if err != nil {
		s.showPlan(w, r, p, http.StatusBadRequest, "not approved: "+err.Error())
		return
	}
	tr, err := trail.Open(filepath.Join(s.ws.cfg.Respond, "trail.jsonl"))
	if err != nil {
		s.internalError(w, r, p, false, fmt.Errorf("opening the trail: %w", err))
		return
	}
	data, _ := json.Marshal(map[string]any{"plan": f.Plan().ID, "by": a.By, "reason": a.Reason, "via": "vigil serve"})
	_, err = tr.Append(r.Context(), trail.Entry{Kind: engine.KindApproval, Actor: p.Name, Plan: f.Hash, Data: data})
	if cerr := tr.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		s.internalError(w, r, p, false, fmt.Errorf("recording the approval in the trail: %w", err))
		return
	}
	if err := f.WriteFile(path); err != nil {
		s.internalError(w, r, p, false, err)
		return
	}
	s.audit(r.Context(), p.Name, "plan_approve", f.Plan().ID, reason, clientIP(r))
	http.Redirect(w, r, "/playbooks/"+url.PathEscape(f.Plan().ID), http.StatusSeeOther)
}
