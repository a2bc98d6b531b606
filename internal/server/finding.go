package server

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/vigil-sec/vigil/internal/history"
)

// runState is a finding's result in one run.
type runState = history.RunResult

// Comment is an analyst's note on a finding.
type Comment struct {
	ID      int64     `json:"id"`
	Author  string    `json:"author"`
	Body    string    `json:"body"`
	Created time.Time `json:"created"`
}

// findingByID finds a finding identity by its stable ID.
func (s *Server) findingByID(ctx context.Context, id int64) (*history.Finding, error) {
	return s.store.Finding(ctx, id)
}

func (s *Server) comments(ctx context.Context, id int64) ([]Comment, error) {
	rows, err := s.db.query(ctx, "SELECT id, author, body, created_ms FROM finding_comments WHERE finding_id = ? ORDER BY id LIMIT 500", id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Comment{}
	for rows.Next() {
		var c Comment
		var at int64
		if err := rows.Scan(&c.ID, &c.Author, &c.Body, &at); err != nil {
			return nil, err
		}
		c.Created = time.UnixMilli(at).UTC()
		out = append(out, c)
	}
	return out, rows.Err()
}

// comment adds a comment to a finding that exists.
func (s *Server) comment(r *http.Request, p *principal, id int64, body string) (Comment, error) {
	c := Comment{Author: p.Name, Body: strings.TrimSpace(body), Created: s.now().UTC().Truncate(time.Millisecond)}
	if c.Body == "" || utf8.RuneCountInString(c.Body) > 4000 {
		return c, paramError{errors.New("a comment has 1 to 4000 characters")}
	}
	if _, err := s.findingByID(r.Context(), id); err != nil {
		return c, err
	}
	if err := s.db.queryRow(r.Context(), "INSERT INTO finding_comments (finding_id, author, body, created_ms) VALUES (?, ?, ?, ?) RETURNING id",
		id, c.Author, c.Body, c.Created.UnixMilli()).Scan(&c.ID); err != nil {
		return c, err
	}
	s.audit(r.Context(), p.Name, "comment", strconv.FormatInt(id, 10), c.Body, clientIP(r))
	return c, nil
}

// findingDetail is a finding with its runs and comments.
type findingDetail struct {
	Finding  *history.Finding `json:"finding"`
	Runs     []runState       `json:"runs"`
	Comments []Comment        `json:"comments"`
}

// detail loads a finding's detail; nil (and the answer written) when it
// cannot.
func (s *Server) detail(w http.ResponseWriter, r *http.Request, p *principal, api bool) *findingDetail {
	id, ok := pathID(r)
	var d findingDetail
	var err error
	if !ok {
		err = history.ErrNotFound
	} else if d.Finding, err = s.findingByID(r.Context(), id); err == nil {
		if d.Runs, err = s.store.FindingRuns(r.Context(), id, 200); err == nil {
			d.Comments, err = s.comments(r.Context(), id)
		}
	}
	switch {
	case errors.Is(err, history.ErrNotFound) && api:
		s.apiError(w, http.StatusNotFound, errors.New("no such finding"))
	case errors.Is(err, history.ErrNotFound):
		s.errorPage(w, r, p, http.StatusNotFound, "no such finding")
	case err != nil:
		s.internalError(w, r, p, api, err)
	default:
		return &d
	}
	return nil
}

func (s *Server) findingPage(w http.ResponseWriter, r *http.Request, p *principal) {
	if d := s.detail(w, r, p, false); d != nil {
		s.render(w, r, p, http.StatusOK, "finding", "Finding", map[string]any{"D": d, "Back": r.URL.RequestURI()})
	}
}

func (s *Server) commentPage(w http.ResponseWriter, r *http.Request, p *principal) {
	id, _ := pathID(r)
	_, err := s.comment(r, p, id, r.PostFormValue("body"))
	var pe paramError
	switch {
	case errors.Is(err, history.ErrNotFound):
		s.errorPage(w, r, p, http.StatusNotFound, "no such finding")
	case errors.As(err, &pe):
		s.errorPage(w, r, p, http.StatusBadRequest, err.Error())
	case err != nil:
		s.internalError(w, r, p, false, err)
	default:
		http.Redirect(w, r, "/findings/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
	}
}

func (s *Server) apiFinding(w http.ResponseWriter, r *http.Request, p *principal) {
	if d := s.detail(w, r, p, true); d != nil {
		s.writeJSON(w, http.StatusOK, d)
	}
}

func (s *Server) apiComment(w http.ResponseWriter, r *http.Request, p *principal) {
	var req struct {
		Body string `json:"body"`
	}
	if err := decode(r, &req); err != nil {
		s.apiError(w, http.StatusBadRequest, err)
		return
	}
	id, _ := pathID(r)
	c, err := s.comment(r, p, id, req.Body)
	var pe paramError
	switch {
	case errors.Is(err, history.ErrNotFound):
		s.apiError(w, http.StatusNotFound, errors.New("no such finding"))
	case errors.As(err, &pe):
		s.apiError(w, http.StatusBadRequest, err)
	case err != nil:
		s.internalError(w, r, p, true, err)
	default:
		s.writeJSON(w, http.StatusCreated, c)
	}
}
