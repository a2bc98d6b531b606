package server

import (
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/vigil-sec/vigil/internal/history"
)

//go:embed openapi.json
var openapiDoc []byte

func (s *Server) apiOpenAPI(w http.ResponseWriter, r *http.Request, _ *principal) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Write(openapiDoc)
}

func (s *Server) apiRuns(w http.ResponseWriter, r *http.Request, p *principal) {
	q := history.RunQuery{Source: r.URL.Query().Get("source")}
	if v := r.URL.Query().Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1000 {
			s.apiError(w, http.StatusBadRequest, errors.New("limit is 1 to 1000"))
			return
		}
		q.Limit = n
	}
	runs, err := s.store.Runs(r.Context(), q)
	if err != nil {
		s.internalError(w, r, p, true, err)
		return
	}
	if runs == nil {
		runs = []history.Run{}
	}
	s.writeJSON(w, http.StatusOK, map[string]any{"runs": runs})
}

func (s *Server) apiRun(w http.ResponseWriter, r *http.Request, p *principal) {
	run, ok := s.runID(w, r, p, true, r.PathValue("id"))
	if !ok {
		return
	}
	out := map[string]any{"run": run}
	for _, scope := range []string{history.ScopeAll, history.ScopeCloud, history.ScopeAccount, history.ScopeFramework} {
		rows, err := s.store.Posture(r.Context(), run.ID, scope)
		if err != nil {
			s.internalError(w, r, p, true, err)
			return
		}
		if rows == nil {
			rows = []history.PostureRow{}
		}
		out["posture_"+scope] = rows
	}
	s.writeJSON(w, http.StatusOK, out)
}

func (s *Server) apiFindings(w http.ResponseWriter, r *http.Request, p *principal) {
	f, err := parseFilter(r.URL.Query())
	if err != nil {
		s.apiError(w, http.StatusBadRequest, err)
		return
	}
	total, err := s.countFindings(r.Context(), f.Q)
	if err != nil {
		s.internalError(w, r, p, true, err)
		return
	}
	fs, err := s.store.Findings(r.Context(), f.Q)
	if errors.Is(err, history.ErrNotFound) { // after names no finding
		s.apiError(w, http.StatusBadRequest, err)
		return
	}
	if err != nil {
		s.internalError(w, r, p, true, err)
		return
	}
	out := map[string]any{"total": total, "limit": f.Q.Limit, "offset": f.Q.Offset, "findings": fs}
	if len(fs) == f.Q.Limit { // the next page: ?after=
		out["next_after"] = fs[len(fs)-1].ID
	}
	s.writeJSON(w, http.StatusOK, out)
}

func (s *Server) apiGroups(w http.ResponseWriter, r *http.Request, p *principal) {
	f, err := parseFilter(r.URL.Query())
	if err == nil && f.GroupBy == "" {
		err = errors.New("group is required: rule, resource, account, provider, severity or state")
	}
	if err != nil {
		s.apiError(w, http.StatusBadRequest, err)
		return
	}
	gs, err := s.store.Group(r.Context(), f.GroupBy, f.Q)
	if err != nil {
		s.internalError(w, r, p, true, err)
		return
	}
	s.writeJSON(w, http.StatusOK, map[string]any{"group": f.GroupBy, "groups": gs})
}

func (s *Server) apiTrend(w http.ResponseWriter, r *http.Request, p *principal) {
	v := r.URL.Query()
	q := history.TrendQuery{Source: v.Get("source"), Provider: v.Get("cloud"), Account: v.Get("account"), Framework: v.Get("framework"), Control: v.Get("control")}
	if l := v.Get("last"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > 10000 {
			s.apiError(w, http.StatusBadRequest, errors.New("last is 1 to 10000"))
			return
		}
		q.Last = n
	}
	scope, err := q.Scope()
	if err != nil {
		s.apiError(w, http.StatusBadRequest, err)
		return
	}
	pts, err := s.store.Trend(r.Context(), q)
	if err != nil {
		s.internalError(w, r, p, true, err)
		return
	}
	if pts == nil {
		pts = []history.TrendPoint{}
	}
	s.writeJSON(w, http.StatusOK, map[string]any{"scope": scope, "points": pts})
}

func (s *Server) apiDiff(w http.ResponseWriter, r *http.Request, p *principal) {
	a, b, err := s.diffRuns(r)
	var d *history.Diff
	if err == nil {
		d, err = s.store.Diff(r.Context(), a, b)
	}
	var pe paramError
	switch {
	case errors.Is(err, history.ErrNotFound):
		s.apiError(w, http.StatusNotFound, err)
	case errors.As(err, &pe):
		s.apiError(w, http.StatusBadRequest, err)
	case err != nil:
		s.internalError(w, r, p, true, err)
	default:
		s.writeJSON(w, http.StatusOK, d)
	}
}

func (s *Server) apiSuppressions(w http.ResponseWriter, r *http.Request, p *principal) {
	sps, err := s.store.Suppressions(r.Context())
	if err != nil {
		s.internalError(w, r, p, true, err)
		return
	}
	s.writeJSON(w, http.StatusOK, map[string]any{"suppressions": sps})
}

// decode reads a JSON body strictly.
func decode(r *http.Request, v any) error {
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("request body: %w", err)
	}
	return nil
}

func (s *Server) apiMute(w http.ResponseWriter, r *http.Request, p *principal) {
	var req struct {
		Source     string `json:"source"`
		RuleID     string `json:"rule_id"`
		ResourceID string `json:"resource_id"`
		Reason     string `json:"reason"`
		Expires    string `json:"expires"`
	}
	if err := decode(r, &req); err != nil {
		s.apiError(w, http.StatusBadRequest, err)
		return
	}
	sp, n, err := s.mute(r, p, req.Source, req.RuleID, req.ResourceID, req.Reason, req.Expires)
	if err != nil {
		s.apiError(w, http.StatusBadRequest, err)
		return
	}
	s.writeJSON(w, http.StatusCreated, map[string]any{"suppression": sp, "muted": n})
}

func (s *Server) apiCreateToken(w http.ResponseWriter, r *http.Request, p *principal) {
	var req struct {
		Name    string `json:"name"`
		Role    string `json:"role"`
		Expires string `json:"expires"`
	}
	if err := decode(r, &req); err != nil {
		s.apiError(w, http.StatusBadRequest, err)
		return
	}
	secret, t, err := s.createToken(r, p, req.Name, req.Role, req.Expires)
	if err != nil {
		s.apiError(w, http.StatusBadRequest, err)
		return
	}
	s.writeJSON(w, http.StatusCreated, map[string]any{"token": secret, "info": t})
}

func (s *Server) apiAudit(w http.ResponseWriter, r *http.Request, p *principal) {
	limit, offset, err := pageParams(r.URL.Query(), 100, 1000)
	if err != nil {
		s.apiError(w, http.StatusBadRequest, err)
		return
	}
	es, err := s.auditLog(r.Context(), limit, offset)
	if err != nil {
		s.internalError(w, r, p, true, err)
		return
	}
	s.writeJSON(w, http.StatusOK, map[string]any{"entries": es})
}

func (s *Server) apiTokens(w http.ResponseWriter, r *http.Request, p *principal) {
	ts, err := s.tokens(r.Context())
	if err != nil {
		s.internalError(w, r, p, true, err)
		return
	}
	s.writeJSON(w, http.StatusOK, map[string]any{"tokens": ts})
}

func (s *Server) apiRevokeToken(w http.ResponseWriter, r *http.Request, p *principal) {
	found, err := s.revoke(r, p)
	switch {
	case err != nil:
		s.internalError(w, r, p, true, err)
	case !found:
		s.apiError(w, http.StatusNotFound, errors.New("no such token"))
	default:
		w.WriteHeader(http.StatusNoContent)
	}
}
