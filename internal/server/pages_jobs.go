package server

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/vigil-sec/vigil/internal/history"
)

// The job runs of the job queue (vigil serve --schedule, vigil worker;
// internal/jobs): each job as worked, with its inputs, attempt, worker,
// status, duration, error and what it produced.

// jobFilter is the job runs' filter of the page and the API.
type jobFilter struct {
	Status, Kind string
	Limit        int
}

// jobKinds are the job kinds a filter takes (internal/jobs' kinds, named
// here without importing the queue into the server).
var jobKinds = []string{"vigil_scan", "vigil_iac", "vigil_live", "vigil_follow", "vigil_detect", "vigil_playbook_plan", "vigil_playbook_step"}

func parseJobFilter(q url.Values) (jobFilter, error) {
	f := jobFilter{Status: q.Get("status"), Kind: q.Get("kind"), Limit: 100}
	switch f.Status {
	case "", history.JobRunning, history.JobCompleted, history.JobFailed:
	default:
		return f, fmt.Errorf("status is %s, %s or %s", history.JobRunning, history.JobCompleted, history.JobFailed)
	}
	if f.Kind != "" && !contains(jobKinds, f.Kind) {
		return f, fmt.Errorf("kind is one of %s", strings.Join(jobKinds, ", "))
	}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1000 {
			return f, errors.New("limit is 1 to 1000")
		}
		f.Limit = n
	}
	return f, nil
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// jobRuns lists the job runs of the filter, newest first. A kind is
// filtered here over the newest 1000 runs of the status.
func (s *Server) jobRuns(r *http.Request, f jobFilter) ([]history.JobRun, error) {
	limit := f.Limit
	if f.Kind != "" {
		limit = 1000
	}
	jrs, err := s.store.JobRuns(r.Context(), history.JobRunQuery{Status: f.Status, Limit: limit})
	if err != nil {
		return nil, err
	}
	out := jrs[:0]
	for _, jr := range jrs {
		if (f.Kind == "" || jr.Kind == f.Kind) && len(out) < f.Limit {
			out = append(out, jr)
		}
	}
	if out == nil {
		out = []history.JobRun{}
	}
	return out, nil
}

func (s *Server) apiJobs(w http.ResponseWriter, r *http.Request, p *principal) {
	f, err := parseJobFilter(r.URL.Query())
	if err != nil {
		s.apiError(w, http.StatusBadRequest, err)
		return
	}
	jrs, err := s.jobRuns(r, f)
	if err != nil {
		s.internalError(w, r, p, true, err)
		return
	}
	s.writeJSON(w, http.StatusOK, map[string]any{"jobs": jrs})
}

func (s *Server) apiJob(w http.ResponseWriter, r *http.Request, p *principal) {
	raw := r.PathValue("id")
	id, err := strconv.ParseInt(raw, 10, 64)
	var jr *history.JobRun
	if err == nil {
		jr, err = s.store.JobRunByID(r.Context(), id)
	}
	switch {
	case err == nil:
		s.writeJSON(w, http.StatusOK, map[string]any{"job": jr})
	case errors.Is(err, history.ErrNotFound), errors.Is(err, strconv.ErrSyntax), errors.Is(err, strconv.ErrRange):
		s.apiError(w, http.StatusNotFound, fmt.Errorf("no job run %q", raw))
	default:
		s.internalError(w, r, p, true, err)
	}
}

// jobsView is the jobs page's data.
type jobsView struct {
	Filter   jobFilter
	Kinds    []string
	Statuses []string
	Jobs     []history.JobRun
	// Counts of the runs listed, by status.
	Running, Completed, Failed int
}

func (s *Server) jobsPage(w http.ResponseWriter, r *http.Request, p *principal) {
	f, err := parseJobFilter(r.URL.Query())
	if err != nil {
		s.errorPage(w, r, p, http.StatusBadRequest, err.Error())
		return
	}
	jrs, err := s.jobRuns(r, f)
	if err != nil {
		s.internalError(w, r, p, false, err)
		return
	}
	v := jobsView{Filter: f, Kinds: jobKinds, Statuses: []string{history.JobRunning, history.JobCompleted, history.JobFailed}, Jobs: jrs}
	for _, jr := range jrs {
		switch jr.Status {
		case history.JobRunning:
			v.Running++
		case history.JobCompleted:
			v.Completed++
		case history.JobFailed:
			v.Failed++
		}
	}
	s.render(w, r, p, http.StatusOK, "jobs", "Jobs", v)
}
