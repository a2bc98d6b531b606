package server

import (
	"context"
	"errors"
	"net/http"
	"slices"

	"github.com/vigil-sec/vigil/internal/compliance"
	"github.com/vigil-sec/vigil/internal/history"
)

// frameworkRow is one framework's posture in the latest run of a source.
type frameworkRow struct {
	Source string
	RunID  int64
	Name   string
	history.PostureRow
	// Attested is the framework's summary with its attestations, as vigil
	// compliance --attestations counts them.
	Attested compliance.ReportSummary
}

// compliancePage lists every framework of the latest run of each source,
// worst score first, with the score the history stores
// (compliance.FrameworkSummary.Score: controls passed / controls checked).
func (s *Server) compliancePage(w http.ResponseWriter, r *http.Request, p *principal) {
	latest, err := s.latestRuns(r)
	if err != nil {
		s.internalError(w, r, p, false, err)
		return
	}
	as, err := s.store.CurrentAttestations(r.Context(), "")
	if err != nil {
		s.internalError(w, r, p, false, err)
		return
	}
	var rows []frameworkRow
	for _, run := range latest {
		fs, err := s.store.Posture(r.Context(), run.ID, history.ScopeFramework)
		if err != nil {
			s.internalError(w, r, p, false, err)
			return
		}
		if len(fs) == 0 {
			continue
		}
		ctrls, err := s.store.Posture(r.Context(), run.ID, history.ScopeControl)
		if err != nil {
			s.internalError(w, r, p, false, err)
			return
		}
		for _, f := range fs {
			_, sum := s.frameworkControls(f.Framework, ctrls, as, "")
			rows = append(rows, frameworkRow{Source: run.Source, RunID: run.ID, Name: compliance.FrameworkName(f.Framework), PostureRow: f, Attested: sum})
		}
	}
	slices.SortStableFunc(rows, func(a, b frameworkRow) int {
		if c := cmpScore(a.Score, b.Score); c != 0 {
			return c
		}
		return b.Fail - a.Fail
	})
	s.render(w, r, p, http.StatusOK, "compliance", "Compliance", map[string]any{"Frameworks": rows, "Known": compliance.Frameworks()})
}

// controlRow is one control of a framework: its catalogue entry and its
// result in the run.
type controlRow struct {
	ID, Title, Section, Assessment string
	// Status is the control's status with its attestation; Ruled the one
	// its rules gave it in the run (NOT_COVERED: no rule maps to it).
	Status, Ruled              string
	Pass, Fail, Unknown, Muted int
	Score                      *float64
	Selected                   bool
	// Attestation is the control's current attestation (nil: none).
	Attestation *compliance.AttestationResult
	// Attestable: a shipped catalogue's control that no rule decides.
	Attestable bool
}

// evidence is one finding that evidences a control.
type evidence struct {
	ID                                          int64
	RuleID, Title, Severity, Status, State      string
	Provider, Account, Region                   string
	ResourceType, ResourceID, ResourceName, Msg string
}

// statusRank orders control statuses worst first.
func statusRank(st string) int {
	switch compliance.Status(st) {
	case compliance.Failed:
		return 0
	case compliance.NotEvaluated:
		return 1
	case compliance.NotCovered:
		return 2
	case compliance.Passed:
		return 4
	}
	return 3
}

// frameworkPage shows one framework's controls, failing first, and the
// evidence of the control asked for (?control=ID): the findings of the
// rules mapped to it, failing first, worst severity first.
func (s *Server) frameworkPage(w http.ResponseWriter, r *http.Request, p *principal) {
	ctx := r.Context()
	fw := r.PathValue("framework")
	q := r.URL.Query()
	source := q.Get("source")
	var run *history.Run
	var err error
	if source == "" {
		latest, lerr := s.latestRuns(r)
		if lerr != nil {
			s.internalError(w, r, p, false, lerr)
			return
		}
		// The worst source that evaluated the framework.
		for i := range latest {
			fs, perr := s.store.Posture(ctx, latest[i].ID, history.ScopeFramework)
			if perr != nil {
				s.internalError(w, r, p, false, perr)
				return
			}
			if slices.ContainsFunc(fs, func(x history.PostureRow) bool { return x.Framework == fw }) {
				run = &latest[i]
				break
			}
		}
	} else if run, err = s.store.LatestRun(ctx, source); err != nil && !errors.Is(err, history.ErrNotFound) {
		s.internalError(w, r, p, false, err)
		return
	}
	if run == nil {
		s.errorPage(w, r, p, http.StatusNotFound, "no recorded run evaluated framework "+fw)
		return
	}
	posture, err := s.store.Posture(ctx, run.ID, history.ScopeControl)
	if err != nil {
		s.internalError(w, r, p, false, err)
		return
	}
	var fwRow *history.PostureRow
	if fs, err := s.store.Posture(ctx, run.ID, history.ScopeFramework); err == nil {
		for i := range fs {
			if fs[i].Framework == fw {
				fwRow = &fs[i]
			}
		}
	}
	as, err := s.store.CurrentAttestations(ctx, fw)
	if err != nil {
		s.internalError(w, r, p, false, err)
		return
	}
	selected := q.Get("control")
	controls, sum := s.frameworkControls(fw, posture, as, selected)
	cat, _ := compliance.BuiltinCatalogue(fw)
	v := map[string]any{"Framework": fw, "Name": compliance.FrameworkName(fw), "Run": run, "Summary": fwRow, "Attested": sum,
		"Controls": controls, "Catalogued": cat != nil, "Control": selected, "MayAttest": p.Role.Allows(attestRole)}
	if selected != "" {
		i := slices.IndexFunc(controls, func(c controlRow) bool { return c.ID == selected })
		if i < 0 {
			s.errorPage(w, r, p, http.StatusNotFound, "framework "+fw+" has no control "+selected)
			return
		}
		ev, err := s.evidence(ctx, run.Source, fw, selected)
		if err != nil {
			s.internalError(w, r, p, false, err)
			return
		}
		hist, err := s.store.Attestations(ctx, history.AttestationQuery{Framework: fw, Control: selected, All: true, Limit: 100})
		if err != nil {
			s.internalError(w, r, p, false, err)
			return
		}
		v["Selected"], v["Evidence"], v["EvidenceCap"], v["History"] = controls[i], ev, len(ev) == evidenceCap, hist
	}
	s.render(w, r, p, http.StatusOK, "framework", compliance.FrameworkName(fw), v)
}

// evidenceCap bounds the evidence listed for one control.
const evidenceCap = 500

// evidence returns the findings of source whose rules map to the control,
// failing first, worst severity first, through the history's index of
// framework references (finding_controls, written with each run).
func (s *Server) evidence(ctx context.Context, source, fw, control string) ([]evidence, error) {
	rows, err := s.db.query(ctx, `SELECT f.id, f.rule_id, f.title, f.severity, f.status, f.state, f.provider, f.account, f.region,
f.resource_type, f.resource_id, f.resource_name, f.message FROM finding_controls c JOIN findings f ON f.id = c.finding_id
WHERE c.source = ? AND c.framework = ? AND c.control = ?
ORDER BY CASE f.status WHEN 'FAIL' THEN 0 WHEN 'UNKNOWN' THEN 1 ELSE 2 END, f.sev_rank DESC, f.id LIMIT ?`,
		source, fw, control, evidenceCap)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []evidence
	for rows.Next() {
		var e evidence
		if err := rows.Scan(&e.ID, &e.RuleID, &e.Title, &e.Severity, &e.Status, &e.State, &e.Provider, &e.Account, &e.Region,
			&e.ResourceType, &e.ResourceID, &e.ResourceName, &e.Msg); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}
