package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/vigil-sec/vigil/internal/history"
	"github.com/vigil-sec/vigil/internal/respond/engine"
)

// The REST API of detection and response: alerts from the history store,
// which every vigil serve on the database shares (the job queue's follow
// jobs record theirs there, whichever machine ran them, and each server
// adds the alert files it was given); plans and playbook runs from the
// response state directory, the one place approvals, step jobs and the
// hash-chained trail already share (docs/serve.md says why).

// alertSync remembers which alert files were recorded in the history, by
// size and modification time, so a file is read again only when it changed.
type alertSync struct {
	mu   sync.Mutex
	seen map[string]string
}

// syncAlertFiles records the configured alert files that changed since
// they were last recorded (an alert already held, by its uid, is kept).
func (s *Server) syncAlertFiles(ctx context.Context) {
	s.alerts.mu.Lock()
	defer s.alerts.mu.Unlock()
	if s.alerts.seen == nil {
		s.alerts.seen = map[string]string{}
	}
	for _, name := range s.alertFiles() {
		st, err := os.Stat(name)
		if err != nil || st.Size() > maxAlertBytes {
			continue
		}
		key := fmt.Sprintf("%d %d", st.Size(), st.ModTime().UnixNano())
		if s.alerts.seen[name] == key {
			continue
		}
		f, err := os.Open(name)
		if err != nil {
			continue
		}
		alerts, problems, err := history.ReadAlerts(f, name)
		f.Close()
		if err == nil {
			err = s.store.RecordAlerts(ctx, alerts)
		}
		if err != nil {
			s.log.WarnContext(ctx, "recording alerts", slog.String("file", name), slog.Any("err", err))
			continue
		}
		for _, p := range problems {
			s.log.WarnContext(ctx, "alert file", slog.String("problem", p))
		}
		s.alerts.seen[name] = key
	}
}

// severityRank is the OCSF severity_id of a severity name, 0 for none.
func severityRank(name string) int {
	switch name {
	case "informational":
		return 1
	case "low":
		return 2
	case "medium":
		return 3
	case "high":
		return 4
	case "critical":
		return 5
	case "fatal":
		return 6
	}
	return 0
}

func parseTimeParam(q url.Values, key string) (time.Time, error) {
	v := q.Get(key)
	if v == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.DateOnly, v); err == nil {
		return t, nil
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return t, fmt.Errorf("%s: want YYYY-MM-DD or an RFC 3339 time", key)
	}
	return t, nil
}

// apiAlerts lists the alerts of the history, newest first.
func (s *Server) apiAlerts(w http.ResponseWriter, r *http.Request, p *principal) {
	q := r.URL.Query()
	aq := history.AlertQuery{Rule: q.Get("rule"), Cloud: q.Get("cloud"), Account: q.Get("account")}
	var err error
	if m := q.Get("min"); m != "" {
		if aq.MinRank = severityRank(strings.ToLower(m)); aq.MinRank == 0 {
			s.apiError(w, http.StatusBadRequest, errors.New("min: want critical, high, medium, low or informational"))
			return
		}
	}
	if aq.Since, err = parseTimeParam(q, "since"); err == nil {
		if aq.Until, err = parseTimeParam(q, "until"); err == nil {
			aq.Limit, aq.Offset, err = pageParams(q, 100, 1000)
		}
	}
	if err != nil {
		s.apiError(w, http.StatusBadRequest, err)
		return
	}
	s.syncAlertFiles(r.Context())
	alerts, total, err := s.store.Alerts(r.Context(), aq)
	if err != nil {
		s.internalError(w, r, p, true, err)
		return
	}
	s.writeJSON(w, http.StatusOK, map[string]any{"alerts": alerts, "total": total, "limit": aq.Limit, "offset": aq.Offset})
}

// apiAlert answers one alert by its uid.
func (s *Server) apiAlert(w http.ResponseWriter, r *http.Request, p *principal) {
	s.syncAlertFiles(r.Context())
	a, err := s.store.AlertByUID(r.Context(), r.PathValue("uid"))
	switch {
	case errors.Is(err, history.ErrNotFound):
		s.apiError(w, http.StatusNotFound, fmt.Errorf("no alert %q", r.PathValue("uid")))
	case err != nil:
		s.internalError(w, r, p, true, err)
	default:
		s.writeJSON(w, http.StatusOK, a)
	}
}

// planOut is a plan as the API answers it.
type planOut struct {
	ID        string            `json:"id"`
	Status    string            `json:"status"`
	Hash      string            `json:"hash,omitempty"`
	Error     string            `json:"error,omitempty"`
	Created   *time.Time        `json:"created,omitempty"`
	Steps     int               `json:"steps"`
	Missing   int               `json:"missing"`
	Worst     string            `json:"worst,omitempty"`
	Approvals []engine.Approval `json:"approvals"`
	Runs      int               `json:"runs"`
	Jobs      []stepJob         `json:"jobs"`
	// Plan is the plan itself (GET /api/v1/plans/{id} only).
	Plan *engine.Plan `json:"plan,omitempty"`
}

func (s *Server) planOf(ctx context.Context, v planView) (planOut, error) {
	po := planOut{ID: v.ID, Status: v.Status(), Hash: v.Hash, Error: v.Error, Missing: v.Missing, Worst: string(v.Worst),
		Approvals: v.Approvals, Runs: len(v.Runs), Jobs: []stepJob{}}
	if po.Approvals == nil {
		po.Approvals = []engine.Approval{}
	}
	if v.Plan != nil {
		po.Steps = len(v.Plan.Items)
		if !v.Plan.Created.IsZero() {
			po.Created = &v.Plan.Created
		}
		js, err := s.stepJobs(ctx, v.Hash)
		if err != nil {
			return po, err
		}
		po.Jobs = js
	}
	return po, nil
}

// planStatuses are the statuses a plan may have (planView.Status).
var planStatuses = []string{"unreadable", "awaiting approval", "needs no approval", "approved", "applied"}

// apiPlans lists the plans of the response state, awaiting approval
// first, each with its step jobs; status= keeps one status.
func (s *Server) apiPlans(w http.ResponseWriter, r *http.Request, p *principal) {
	q := r.URL.Query()
	status := q.Get("status")
	if status != "" && !slices.Contains(planStatuses, status) {
		s.apiError(w, http.StatusBadRequest, fmt.Errorf("status: want one of %s", strings.Join(planStatuses, ", ")))
		return
	}
	limit, offset, err := pageParams(q, 100, 1000)
	if err != nil {
		s.apiError(w, http.StatusBadRequest, err)
		return
	}
	out := []planOut{}
	total := 0
	if s.ws.cfg.Respond != "" {
		plans, _, _ := s.readPlans(r.Context())
		for _, v := range plans {
			if status != "" && v.Status() != status {
				continue
			}
			total++
			if total <= offset || len(out) == limit {
				continue
			}
			po, err := s.planOf(r.Context(), v)
			if err != nil {
				s.internalError(w, r, p, true, err)
				return
			}
			out = append(out, po)
		}
	}
	s.writeJSON(w, http.StatusOK, map[string]any{"plans": out, "total": total, "limit": limit, "offset": offset})
}

// apiPlan answers one plan with its steps, approvals, step jobs and runs.
func (s *Server) apiPlan(w http.ResponseWriter, r *http.Request, p *principal) {
	id := r.PathValue("id")
	if s.ws.cfg.Respond != "" {
		plans, _, _ := s.readPlans(r.Context())
		for _, v := range plans {
			if v.ID != id {
				continue
			}
			po, err := s.planOf(r.Context(), v)
			if err != nil {
				s.internalError(w, r, p, true, err)
				return
			}
			po.Plan = v.Plan
			runs := make([]runOut, 0, len(v.Runs))
			for _, run := range v.Runs {
				runs = append(runs, runOf(run))
			}
			s.writeJSON(w, http.StatusOK, map[string]any{"plan": po, "runs": runs})
			return
		}
	}
	s.apiError(w, http.StatusNotFound, fmt.Errorf("no plan %q", id))
}

// runOut is a playbook run (apply, dry run or rollback) as the API
// answers it.
type runOut struct {
	engine.RunHeader
	Stopped string          `json:"stopped,omitempty"`
	Counts  map[string]int  `json:"counts"`
	Results []engine.Result `json:"results"`
}

func runOf(r *engine.Run) runOut {
	out := runOut{RunHeader: r.RunHeader, Stopped: r.Stopped, Counts: r.Counts(), Results: r.Results}
	if out.Results == nil {
		out.Results = []engine.Result{}
	}
	return out
}

// apiPlaybookRuns lists the playbook runs of the response state, newest
// first: plan= one plan's, kind= apply, dry-run or rollback.
func (s *Server) apiPlaybookRuns(w http.ResponseWriter, r *http.Request, p *principal) {
	q := r.URL.Query()
	plan, kind := q.Get("plan"), q.Get("kind")
	limit, offset, err := pageParams(q, 100, 1000)
	if err != nil {
		s.apiError(w, http.StatusBadRequest, err)
		return
	}
	out := []runOut{}
	total := 0
	if s.ws.cfg.Respond != "" {
		runs, _ := s.readRuns(r.Context())
		for _, run := range runs {
			if (plan != "" && run.Plan != plan) || (kind != "" && run.Kind != kind) {
				continue
			}
			total++
			if total > offset && len(out) < limit {
				out = append(out, runOf(run))
			}
		}
	}
	s.writeJSON(w, http.StatusOK, map[string]any{"runs": out, "total": total, "limit": limit, "offset": offset})
}
