package history

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/vigil-sec/vigil/internal/finding"
)

const timeFormat = time.RFC3339

func msTime(ms int64) time.Time { return time.UnixMilli(ms).UTC() }

const runCols = `id, source, kind, status, started_ms, finished_ms, duration_ms, inputs, errors, version,
	total, fail, pass, unknown, suppressed, score, new_count, reopened_count, resolved_count`

func scanRun(scan func(...any) error) (*Run, error) {
	var r Run
	var started, finished int64
	var inputs, errs string
	if err := scan(&r.ID, &r.Source, &r.Kind, &r.Status, &started, &finished, &r.DurationMS, &inputs, &errs, &r.Version,
		&r.Total, &r.Fail, &r.Pass, &r.Unknown, &r.Suppressed, &r.PostureScore, &r.New, &r.Reopened, &r.Resolved); err != nil {
		return nil, err
	}
	r.Started, r.Finished = msTime(started), msTime(finished)
	if err := json.Unmarshal([]byte(inputs), &r.Inputs); err != nil {
		return nil, fmt.Errorf("run %d inputs: %w", r.ID, err)
	}
	if err := json.Unmarshal([]byte(errs), &r.Errors); err != nil {
		return nil, fmt.Errorf("run %d errors: %w", r.ID, err)
	}
	return &r, nil
}

// Run returns one run; an error wrapping ErrNotFound when there is none.
func (s *Store) Run(ctx context.Context, id int64) (*Run, error) {
	row := s.db.QueryRowContext(ctx, s.rebind("SELECT "+runCols+" FROM runs WHERE id = ?"), id)
	r, err := scanRun(row.Scan)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("run %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("history: %w", err)
	}
	return r, nil
}

// RunQuery selects runs.
type RunQuery struct {
	Source string // "" every source
	// Limit keeps the newest Limit runs (0: 50).
	Limit int
}

// Runs lists runs, newest first.
func (s *Store) Runs(ctx context.Context, q RunQuery) ([]Run, error) {
	if q.Limit <= 0 {
		q.Limit = 50
	}
	sqlq := "SELECT " + runCols + " FROM runs"
	var args []any
	if q.Source != "" {
		sqlq += " WHERE source = ?"
		args = append(args, q.Source)
	}
	sqlq += " ORDER BY started_ms DESC, id DESC LIMIT ?"
	args = append(args, q.Limit)
	rows, err := s.db.QueryContext(ctx, s.rebind(sqlq), args...)
	if err != nil {
		return nil, fmt.Errorf("history: %w", err)
	}
	defer rows.Close()
	var out []Run
	for rows.Next() {
		r, err := scanRun(rows.Scan)
		if err != nil {
			return nil, fmt.Errorf("history: %w", err)
		}
		out = append(out, *r)
	}
	return out, rows.Err()
}

// LatestRun returns the newest run (of source, when not ""), ErrNotFound
// when there is none.
func (s *Store) LatestRun(ctx context.Context, source string) (*Run, error) {
	rs, err := s.Runs(ctx, RunQuery{Source: source, Limit: 1})
	if err != nil {
		return nil, err
	}
	if len(rs) == 0 {
		return nil, fmt.Errorf("no run recorded: %w", ErrNotFound)
	}
	return &rs[0], nil
}

// Finding is a finding identity with its latest description and its
// lifecycle.
type Finding struct {
	ID           int64               `json:"id"`
	Source       string              `json:"source"`
	RuleID       string              `json:"rule_id"`
	Title        string              `json:"title"`
	Category     string              `json:"category,omitempty"`
	Severity     finding.Severity    `json:"severity"`
	Provider     string              `json:"provider"`
	ResourceID   string              `json:"resource_id"`
	ResourceType string              `json:"resource_type,omitempty"`
	ResourceName string              `json:"resource_name,omitempty"`
	Account      string              `json:"account,omitempty"`
	Region       string              `json:"region,omitempty"`
	Frameworks   []finding.Reference `json:"frameworks,omitempty"`
	// Status is the last status observed: FAIL, PASS or UNKNOWN.
	Status finding.Status `json:"status"`
	// State is the lifecycle state ("" for one that never failed).
	State   State  `json:"state"`
	Message string `json:"message,omitempty"`
	// FirstSeen and LastSeen are the first and last runs' times in
	// which it failed; Resolved is when it was last resolved and
	// TimeToResolveMS how long its last failing period lasted.
	FirstSeen       *time.Time `json:"first_seen,omitempty"`
	LastSeen        *time.Time `json:"last_seen,omitempty"`
	Resolved        *time.Time `json:"resolved,omitempty"`
	TimeToResolveMS *int64     `json:"time_to_resolve_ms,omitempty"`
	FirstRun        *int64     `json:"first_run,omitempty"`
	// LastRun is the last run that changed the finding (every run while
	// it fails).
	LastRun  int64 `json:"last_run"`
	Reopened int   `json:"reopened"`
	// Suppression is set while the finding is suppressed.
	Suppression *Suppression `json:"suppression,omitempty"`
}

const findingSelect = `f.id, f.source, f.rule_id, f.title, f.category, f.severity, f.provider, f.resource_id, f.resource_type,
	f.resource_name, f.account, f.region, f.frameworks, f.status, f.state, f.message, f.first_seen_ms, f.last_seen_ms,
	f.resolved_ms, f.resolve_ms, f.first_run, f.last_run, f.reopen_count, f.suppress_reason, f.suppress_owner, f.suppress_expires_ms`

func scanFinding(scan func(...any) error, extra ...any) (*Finding, error) {
	var f Finding
	var fws, sev, status, state, supReason, supOwner string
	var firstSeen, lastSeen, resolved, supExpires *int64
	dest := []any{&f.ID, &f.Source, &f.RuleID, &f.Title, &f.Category, &sev, &f.Provider, &f.ResourceID, &f.ResourceType,
		&f.ResourceName, &f.Account, &f.Region, &fws, &status, &state, &f.Message, &firstSeen, &lastSeen,
		&resolved, &f.TimeToResolveMS, &f.FirstRun, &f.LastRun, &f.Reopened, &supReason, &supOwner, &supExpires}
	if err := scan(append(dest, extra...)...); err != nil {
		return nil, err
	}
	f.Severity, f.Status, f.State = finding.Severity(sev), finding.Status(status), State(state)
	if fws != "" && fws != "[]" {
		if err := json.Unmarshal([]byte(fws), &f.Frameworks); err != nil {
			return nil, fmt.Errorf("finding %d frameworks: %w", f.ID, err)
		}
	}
	f.FirstSeen, f.LastSeen, f.Resolved = optTime(firstSeen), optTime(lastSeen), optTime(resolved)
	if f.State == StateSuppressed {
		f.Suppression = &Suppression{RuleID: f.RuleID, ResourceID: f.ResourceID, Reason: supReason, Owner: supOwner}
		if supExpires != nil {
			f.Suppression.Expires = msTime(*supExpires)
		}
	}
	return &f, nil
}

func optTime(ms *int64) *time.Time {
	if ms == nil {
		return nil
	}
	t := msTime(*ms)
	return &t
}

// FindingQuery filters and orders finding identities. Empty lists match
// everything.
type FindingQuery struct {
	Source     string
	States     []State
	Severities []finding.Severity
	Providers  []string
	Accounts   []string
	Rules      []string
	// Resource matches resource IDs exactly.
	Resource string
	// Sort is severity (worst first, then by identity ID, descending; the
	// default), first_seen, last_seen,
	// rule, resource or account; Desc reverses the order of the others.
	Sort string
	Desc bool
	// Limit (0: 100) and Offset page through the results.
	Limit, Offset int
}

// SortKeys are the orders FindingQuery.Sort accepts.
var SortKeys = []string{"severity", "first_seen", "last_seen", "rule", "resource", "account"}

var sortSQL = map[string]string{
	"severity":   "f.sev_rank DESC, f.id DESC",
	"first_seen": "f.first_seen_ms %s, f.id",
	"last_seen":  "f.last_seen_ms %s, f.id",
	"rule":       "f.rule_id %s, f.resource_id, f.id",
	"resource":   "f.resource_id %s, f.rule_id, f.id",
	"account":    "f.provider %[1]s, f.account %[1]s, f.sev_rank DESC, f.id",
}

// where builds the filter of q: fixed SQL with one parameter per value.
// For a page in the default order, a state list with a common state (open,
// resolved) is matched on an expression the state index cannot serve, so
// that both engines read the findings worst first from the severity index
// and stop at the page's end instead of sorting every open finding.
func (q FindingQuery) where(page bool) (string, []any) {
	var conds []string
	var args []any
	in := func(col string, vals []string) {
		if len(vals) == 0 {
			return
		}
		conds = append(conds, col+" IN ("+strings.TrimSuffix(strings.Repeat("?, ", len(vals)), ", ")+")")
		for _, v := range vals {
			args = append(args, v)
		}
	}
	if q.Source != "" {
		in("f.source", []string{q.Source})
	}
	states := make([]string, len(q.States))
	for i, s := range q.States {
		states[i] = string(s)
	}
	stateCol := "f.state"
	if page && (q.Sort == "" || q.Sort == "severity") &&
		(slices.Contains(q.States, StateOpen) || slices.Contains(q.States, StateResolved) || slices.Contains(q.States, "")) {
		stateCol = "(f.state || '')"
	}
	in(stateCol, states)
	if len(q.Severities) > 0 {
		// By rank: the indexes carry it.
		conds = append(conds, "f.sev_rank IN ("+strings.TrimSuffix(strings.Repeat("?, ", len(q.Severities)), ", ")+")")
		for _, sev := range q.Severities {
			args = append(args, sev.Rank())
		}
	}
	in("f.provider", q.Providers)
	in("f.account", q.Accounts)
	in("f.rule_id", q.Rules)
	if q.Resource != "" {
		in("f.resource_id", []string{q.Resource})
	}
	if len(conds) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

// Findings returns one page of the finding identities q selects.
func (s *Store) Findings(ctx context.Context, q FindingQuery) ([]Finding, error) {
	if q.Sort == "" {
		q.Sort = "severity"
	}
	order, ok := sortSQL[q.Sort]
	if !ok {
		return nil, fmt.Errorf("unknown sort %q (want one of %s)", q.Sort, strings.Join(SortKeys, ", "))
	}
	if strings.Contains(order, "%") {
		dir := "ASC"
		if q.Desc {
			dir = "DESC"
		}
		order = fmt.Sprintf(order, dir)
	}
	if q.Limit <= 0 {
		q.Limit = 100
	}
	where, args := q.where(true)
	sqlq := "SELECT " + findingSelect + " FROM findings f" + where + " ORDER BY " + order + " LIMIT ? OFFSET ?"
	args = append(args, q.Limit, q.Offset)
	rows, err := s.db.QueryContext(ctx, s.rebind(sqlq), args...)
	if err != nil {
		return nil, fmt.Errorf("history: %w", err)
	}
	defer rows.Close()
	out := []Finding{}
	for rows.Next() {
		f, err := scanFinding(rows.Scan)
		if err != nil {
			return nil, fmt.Errorf("history: %w", err)
		}
		out = append(out, *f)
	}
	return out, rows.Err()
}

// CountFindings counts the finding identities q selects (its sort and
// page are ignored).
func (s *Store) CountFindings(ctx context.Context, q FindingQuery) (int, error) {
	where, args := q.where(false)
	var n int
	err := s.db.QueryRowContext(ctx, s.rebind("SELECT COUNT(*) FROM findings f"+where), args...).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("history: %w", err)
	}
	return n, nil
}

// GroupKeys are the groupings Group accepts.
var GroupKeys = []string{"rule", "resource", "account", "provider", "severity", "state"}

// groupSQL is each grouping's key expression and GROUP BY list (grouping by
// columns lets the covering indexes answer).
var groupSQL = map[string][2]string{
	"rule":     {"f.rule_id", "f.rule_id"},
	"resource": {"f.resource_id", "f.resource_id"},
	"account":  {"f.provider || '/' || f.account", "f.provider, f.account"},
	"provider": {"f.provider", "f.provider"},
	"severity": {"f.severity", "f.severity"},
	"state":    {"f.state", "f.state"},
}

// GroupCount is the number of findings sharing one key.
type GroupCount struct {
	Key   string `json:"key"`
	Count int    `json:"count"`
	// Worst is the highest severity among them.
	Worst finding.Severity `json:"worst_severity"`
}

// Group counts the finding identities q selects by key (rule, resource,
// account, provider, severity or state), largest group first; q.Limit
// bounds the groups returned (0: 100).
func (s *Store) Group(ctx context.Context, by string, q FindingQuery) ([]GroupCount, error) {
	col, ok := groupSQL[by]
	if !ok {
		return nil, fmt.Errorf("unknown grouping %q (want one of %s)", by, strings.Join(GroupKeys, ", "))
	}
	if q.Limit <= 0 {
		q.Limit = 100
	}
	where, args := q.where(false)
	sqlq := "SELECT " + col[0] + " AS k, COUNT(*), MAX(f.sev_rank) FROM findings f" + where +
		" GROUP BY " + col[1] + " ORDER BY COUNT(*) DESC, MAX(f.sev_rank) DESC, k LIMIT ? OFFSET ?"
	args = append(args, q.Limit, q.Offset)
	rows, err := s.db.QueryContext(ctx, s.rebind(sqlq), args...)
	if err != nil {
		return nil, fmt.Errorf("history: %w", err)
	}
	defer rows.Close()
	out := []GroupCount{}
	for rows.Next() {
		var g GroupCount
		var rank int
		if err := rows.Scan(&g.Key, &g.Count, &rank); err != nil {
			return nil, fmt.Errorf("history: %w", err)
		}
		g.Worst = severityOfRank(rank)
		out = append(out, g)
	}
	return out, rows.Err()
}

func severityOfRank(r int) finding.Severity {
	for _, s := range []finding.Severity{finding.Critical, finding.High, finding.Medium, finding.Low, finding.Info} {
		if s.Rank() == r {
			return s
		}
	}
	return ""
}
