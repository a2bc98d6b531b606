package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/vigil-sec/vigil/internal/compliance"
	"github.com/vigil-sec/vigil/internal/history"
)

// attestRole may attest manual controls: an attestation passes a control
// in the framework's score (or takes it out as not applicable), a sign-off
// weightier than muting one finding (analyst) and of the kind a responder
// gives when approving a plan; admins, who manage users and tokens, need
// not be the compliance owners.
const attestRole = Responder

// frameworkControls returns fw's controls in a run (posture: the run's
// control rows): the shipped catalogue's in its order, then those only the
// posture has, each decided with its current attestation by
// compliance.Decide, as vigil compliance --attestations decides them, worst
// first; and their summary, counted by compliance.ControlTally.
func (s *Server) frameworkControls(fw string, posture []history.PostureRow, as *compliance.Attestations, selected string) ([]controlRow, compliance.ReportSummary) {
	rows := map[string]*controlRow{}
	var order []string
	add := func(id string) *controlRow {
		if c, ok := rows[id]; ok {
			return c
		}
		c := &controlRow{ID: id, Ruled: string(compliance.NotCovered), Selected: id == selected}
		rows[id] = c
		order = append(order, id)
		return c
	}
	cat, _ := compliance.BuiltinCatalogue(fw)
	if cat != nil {
		for _, cc := range cat.Controls {
			c := add(cc.ID)
			c.Title, c.Section, c.Assessment = cc.Title, cc.Section, cc.Assessment
		}
	}
	for _, pr := range posture {
		if pr.Framework != fw {
			continue
		}
		c := add(pr.Control)
		c.Ruled, c.Pass, c.Fail, c.Unknown, c.Muted, c.Score = pr.Status, pr.Pass, pr.Fail, pr.Unknown, pr.Suppressed, pr.Score
	}
	now := s.now()
	var t compliance.ControlTally
	controls := make([]controlRow, 0, len(order))
	for _, id := range order {
		c := rows[id]
		st, ar := compliance.Decide(compliance.Status(c.Ruled), as.Find(fw, id), now)
		c.Status, c.Attestation = string(st), ar
		c.Attestable = cat != nil && c.Ruled == string(compliance.NotCovered)
		t.Add(st, ar, c.Ruled != string(compliance.NotCovered))
		controls = append(controls, *c)
	}
	slices.SortStableFunc(controls, func(a, b controlRow) int {
		if d := statusRank(a.Status) - statusRank(b.Status); d != 0 {
			return d
		}
		if d := b.Fail - a.Fail; d != 0 {
			return d
		}
		return cmpScore(a.Score, b.Score)
	})
	return controls, t.Summary()
}

// attestable checks that fw's control may be attested from the dashboard:
// a control of the framework's shipped catalogue that no rule decides in
// the latest run of any source (a manual control: NOT_COVERED).
func (s *Server) attestable(ctx context.Context, fw, control string) error {
	if !compliance.KnownFramework(fw) {
		return fmt.Errorf("unknown framework %q", fw)
	}
	cat, err := compliance.BuiltinCatalogue(fw)
	if err != nil {
		return err
	}
	if cat == nil || !cat.IDs()[control] {
		return fmt.Errorf("%s has no control %q in its shipped catalogue", fw, control)
	}
	latest, err := s.store.LatestRuns(ctx, 200)
	if err != nil {
		return err
	}
	for _, run := range latest {
		rows, err := s.store.Posture(ctx, run.ID, history.ScopeControl)
		if err != nil {
			return err
		}
		if slices.ContainsFunc(rows, func(pr history.PostureRow) bool { return pr.Framework == fw && pr.Control == control }) {
			return fmt.Errorf("%s %s is decided by rules (source %s): only manual controls are attested here", fw, control, run.Source)
		}
	}
	return nil
}

// errBadAttestation marks an attestation refused for its content (400).
type errBadAttestation struct{ error }

// attest records an attestation by the caller, after attestable, and
// audits it.
func (s *Server) attest(r *http.Request, p *principal, fw, control, status, note, evidence, expires string) (history.StoredAttestation, error) {
	ctx := r.Context()
	exp, err := parseExpiry(expires)
	if err != nil {
		return history.StoredAttestation{}, errBadAttestation{err}
	}
	if err := s.attestable(ctx, fw, control); err != nil {
		return history.StoredAttestation{}, errBadAttestation{err}
	}
	if evidence != "" {
		if u, err := url.Parse(evidence); err == nil && u.Scheme != "" && u.Scheme != "http" && u.Scheme != "https" {
			return history.StoredAttestation{}, errBadAttestation{fmt.Errorf("evidence: a link must be http or https (or give a document reference)")}
		}
	}
	st, err := compliance.ParseAttestationStatus(status)
	if err != nil {
		return history.StoredAttestation{}, errBadAttestation{err}
	}
	a, err := s.store.Attest(ctx, compliance.Attestation{Framework: fw, Control: control, Status: st, By: p.Name,
		Note: note, Evidence: evidence, Expires: exp}, s.now())
	if err != nil {
		if errors.Is(err, context.Canceled) {
			return a, err
		}
		return a, errBadAttestation{err}
	}
	detail, _ := json.Marshal(map[string]any{"id": a.ID, "status": a.Status, "note": a.Note, "evidence": a.Evidence, "expires": a.Expires})
	s.audit(ctx, p.Name, "attest", fw+" "+control, string(detail), clientIP(r))
	return a, nil
}

// attestPage records an attestation from a control's evidence form.
func (s *Server) attestPage(w http.ResponseWriter, r *http.Request, p *principal) {
	fw, control := r.PathValue("framework"), r.PostFormValue("control")
	_, err := s.attest(r, p, fw, control, r.PostFormValue("status"), r.PostFormValue("note"), r.PostFormValue("evidence"), r.PostFormValue("expires"))
	var bad errBadAttestation
	switch {
	case errors.As(err, &bad):
		s.errorPage(w, r, p, http.StatusBadRequest, "not attested: "+err.Error())
		return
	case err != nil:
		s.internalError(w, r, p, false, err)
		return
	}
	back := url.Values{"control": {control}}
	if src := r.PostFormValue("source"); src != "" {
		back.Set("source", src)
	}
	http.Redirect(w, r, "/compliance/"+url.PathEscape(fw)+"?"+back.Encode(), http.StatusSeeOther)
}

// apiAttestations lists attestations: each control's current one, or
// every one with all=true.
func (s *Server) apiAttestations(w http.ResponseWriter, r *http.Request, p *principal) {
	q := r.URL.Query()
	aq := history.AttestationQuery{Framework: q.Get("framework"), Control: q.Get("control"), Limit: 100}
	if aq.Framework != "" && !compliance.KnownFramework(aq.Framework) {
		s.apiError(w, http.StatusBadRequest, fmt.Errorf("unknown framework %q", aq.Framework))
		return
	}
	if aq.Control != "" && aq.Framework == "" {
		s.apiError(w, http.StatusBadRequest, errors.New("control needs its framework"))
		return
	}
	switch q.Get("all") {
	case "", "false":
	case "true":
		aq.All = true
	default:
		s.apiError(w, http.StatusBadRequest, errors.New("all: want true or false"))
		return
	}
	var err error
	if aq.Limit, aq.Offset, err = pageParams(q, 100, 1000); err != nil {
		s.apiError(w, http.StatusBadRequest, err)
		return
	}
	list, err := s.store.Attestations(r.Context(), aq)
	if err != nil {
		s.internalError(w, r, p, true, err)
		return
	}
	now := s.now()
	type item struct {
		history.StoredAttestation
		// Expired: it no longer counts.
		Expired bool `json:"expired"`
	}
	out := make([]item, len(list))
	for i := range list {
		out[i] = item{list[i], list[i].Expired(now)}
	}
	s.writeJSON(w, http.StatusOK, map[string]any{"attestations": out, "limit": aq.Limit, "offset": aq.Offset})
}

// apiAttest records an attestation by the caller.
func (s *Server) apiAttest(w http.ResponseWriter, r *http.Request, p *principal) {
	var req struct {
		Framework string `json:"framework"`
		Control   string `json:"control"`
		Status    string `json:"status"`
		Note      string `json:"note"`
		Evidence  string `json:"evidence"`
		Expires   string `json:"expires"`
	}
	if err := decode(r, &req); err != nil {
		s.apiError(w, http.StatusBadRequest, err)
		return
	}
	a, err := s.attest(r, p, req.Framework, req.Control, req.Status, req.Note, req.Evidence, req.Expires)
	var bad errBadAttestation
	switch {
	case errors.As(err, &bad):
		s.apiError(w, http.StatusBadRequest, err)
		return
	case err != nil:
		s.internalError(w, r, p, true, err)
		return
	}
	s.writeJSON(w, http.StatusCreated, a)
}

// pageParams reads limit (def when absent, at most most) and offset.
func pageParams(q url.Values, def, most int) (limit, offset int, err error) {
	limit = def
	if v := q.Get("limit"); v != "" {
		if limit, err = strconv.Atoi(v); err != nil || limit < 1 || limit > most {
			return 0, 0, fmt.Errorf("limit: want 1 to %d", most)
		}
	}
	if v := q.Get("offset"); v != "" {
		if offset, err = strconv.Atoi(v); err != nil || offset < 0 || offset > 1_000_000 {
			return 0, 0, errors.New("offset: want 0 to 1000000")
		}
	}
	return limit, offset, nil
}
