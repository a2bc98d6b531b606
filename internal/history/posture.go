package history

import (
	"context"
	"fmt"

	"github.com/vigil-sec/vigil/internal/compliance"
	"github.com/vigil-sec/vigil/internal/finding"
	"github.com/vigil-sec/vigil/internal/resource"
)

// Posture scopes.
const (
	ScopeAll       = "all"
	ScopeCloud     = "cloud"
	ScopeAccount   = "account"
	ScopeFramework = "framework"
	ScopeControl   = "control"
)

// postureRows are a run's posture rows: overall, per cloud and account
// (finding.Counts and its Score), per framework (controls passed and
// failed, compliance.FrameworkSummary.Score) and per control (the
// control's findings, its status).
func postureRows(runID int64, sc *Scan, findings []finding.Finding) [][]any {
	type acct struct {
		p resource.Provider
		a string
	}
	var all finding.Counts
	byCloud := map[resource.Provider]*finding.Counts{}
	byAcct := map[acct]*finding.Counts{}
	for i := range findings {
		f := &findings[i]
		all.Add(f)
		c := byCloud[f.Resource.Provider]
		if c == nil {
			c = &finding.Counts{}
			byCloud[f.Resource.Provider] = c
		}
		c.Add(f)
		k := acct{f.Resource.Provider, f.Resource.Account}
		a := byAcct[k]
		if a == nil {
			a = &finding.Counts{}
			byAcct[k] = a
		}
		a.Add(f)
	}
	row := func(scope, provider, account, fw, control string, c finding.Counts, score *float64, status string) []any {
		return []any{runID, scope, provider, account, fw, control, c.Pass, c.Fail, c.Unknown, c.Suppressed, score, status}
	}
	rows := [][]any{row(ScopeAll, "", "", "", "", all, all.Score(), "")}
	for p, c := range byCloud {
		rows = append(rows, row(ScopeCloud, string(p), "", "", "", *c, c.Score(), ""))
	}
	for k, c := range byAcct {
		rows = append(rows, row(ScopeAccount, string(k.p), k.a, "", "", *c, c.Score(), ""))
	}
	comp := sc.Compliance
	if comp == nil {
		rules := sc.Rules
		if rules == nil {
			seen := map[string]bool{}
			for i := range findings {
				if f := &findings[i]; !seen[f.RuleID] {
					seen[f.RuleID] = true
					rules = append(rules, f.Rule())
				}
			}
		}
		comp = compliance.Summarize(rules, findings)
	}
	for _, fw := range comp {
		c := finding.Counts{Pass: fw.Passed, Fail: fw.Failed, Unknown: fw.NotEvaluated}
		rows = append(rows, row(ScopeFramework, "", "", fw.Framework, "", c, fw.Score, ""))
		seen := map[string]bool{}
		for _, ctl := range fw.Controls {
			if ctl.Status == compliance.NotCovered || seen[ctl.ID] {
				continue
			}
			seen[ctl.ID] = true
			rows = append(rows, row(ScopeControl, "", "", fw.Framework, ctl.ID, ctl.Counts, ctl.Counts.Score(), string(ctl.Status)))
		}
	}
	return rows
}

// TrendQuery selects one posture series. The scope follows from the most
// specific key set: Control (with Framework), Framework, Account (with
// Provider), Provider, or none (overall).
type TrendQuery struct {
	Source    string // only runs of this source ("" every source)
	Provider  string
	Account   string
	Framework string
	Control   string
	// Last keeps the last N runs (0: every run).
	Last int
}

// Scope is the posture scope the query selects.
func (q TrendQuery) Scope() (string, error) {
	switch {
	case q.Control != "":
		if q.Framework == "" {
			return "", fmt.Errorf("a control trend needs its framework")
		}
		return ScopeControl, nil
	case q.Framework != "":
		return ScopeFramework, nil
	case q.Account != "":
		if q.Provider == "" {
			return "", fmt.Errorf("an account trend needs its cloud")
		}
		return ScopeAccount, nil
	case q.Provider != "":
		return ScopeCloud, nil
	}
	return ScopeAll, nil
}

// TrendPoint is the posture of one scope in one run.
type TrendPoint struct {
	RunID   int64  `json:"run_id"`
	Started string `json:"started"`
	Source  string `json:"source"`
	finding.Counts
	// Score is the scope's score (see the package documentation);
	// nil when nothing passed or failed.
	Score *float64 `json:"score"`
	// Status is a control's status.
	Status string `json:"status,omitempty"`
}

// Trend returns the posture series q selects, oldest run first.
func (s *Store) Trend(ctx context.Context, q TrendQuery) ([]TrendPoint, error) {
	scope, err := q.Scope()
	if err != nil {
		return nil, err
	}
	args := []any{scope, q.Provider, q.Account, q.Framework, q.Control}
	sqlq := `SELECT r.id, r.started_ms, r.source, p.pass, p.fail, p.unknown, p.suppressed, p.score, p.status
FROM run_posture p JOIN runs r ON r.id = p.run_id
WHERE p.scope = ? AND p.provider = ? AND p.account = ? AND p.framework = ? AND p.control = ?`
	if q.Source != "" {
		sqlq += " AND r.source = ?"
		args = append(args, q.Source)
	}
	sqlq += " ORDER BY r.started_ms DESC, r.id DESC"
	if q.Last > 0 {
		sqlq += " LIMIT ?"
		args = append(args, q.Last)
	}
	rows, err := s.db.QueryContext(ctx, s.rebind(sqlq), args...)
	if err != nil {
		return nil, fmt.Errorf("history: %w", err)
	}
	defer rows.Close()
	var out []TrendPoint
	for rows.Next() {
		var p TrendPoint
		var started int64
		if err := rows.Scan(&p.RunID, &started, &p.Source, &p.Pass, &p.Fail, &p.Unknown, &p.Suppressed, &p.Score, &p.Status); err != nil {
			return nil, fmt.Errorf("history: %w", err)
		}
		p.Started = msTime(started).Format(timeFormat)
		p.Total = p.Pass + p.Fail + p.Unknown + p.Suppressed
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("history: %w", err)
	}
	// Oldest first.
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out, nil
}

// PostureRow is one scope's posture in a run.
type PostureRow struct {
	Scope     string `json:"scope"`
	Provider  string `json:"provider,omitempty"`
	Account   string `json:"account,omitempty"`
	Framework string `json:"framework,omitempty"`
	Control   string `json:"control,omitempty"`
	finding.Counts
	Score  *float64 `json:"score"`
	Status string   `json:"status,omitempty"`
}

// Posture returns a run's posture rows of one scope, worst score first.
func (s *Store) Posture(ctx context.Context, runID int64, scope string) ([]PostureRow, error) {
	rows, err := s.db.QueryContext(ctx, s.rebind(`SELECT scope, provider, account, framework, control, pass, fail, unknown, suppressed, score, status
FROM run_posture WHERE run_id = ? AND scope = ?
ORDER BY CASE WHEN score IS NULL THEN 1 ELSE 0 END, score, provider, account, framework, control`), runID, scope)
	if err != nil {
		return nil, fmt.Errorf("history: %w", err)
	}
	defer rows.Close()
	var out []PostureRow
	for rows.Next() {
		var p PostureRow
		if err := rows.Scan(&p.Scope, &p.Provider, &p.Account, &p.Framework, &p.Control, &p.Pass, &p.Fail, &p.Unknown, &p.Suppressed, &p.Score, &p.Status); err != nil {
			return nil, fmt.Errorf("history: %w", err)
		}
		p.Total = p.Pass + p.Fail + p.Unknown + p.Suppressed
		out = append(out, p)
	}
	return out, rows.Err()
}
