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
	row := s.QueryRow(ctx, "SELECT "+runCols+" FROM runs WHERE id = ?", id)
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
	rows, err := s.Query(ctx, sqlq, args...)
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
	if err := scanFindingInto(&f, scan, extra...); err != nil {
		return nil, err
	}
	return &f, nil
}

// scanFindingInto is scanFinding into f (a page's rows are scanned in
// place).
func scanFindingInto(f *Finding, scan func(...any) error, extra ...any) error {
	var fws, sev, status, state, supReason, supOwner string
	var firstSeen, lastSeen, resolved, supExpires *int64
	dest := []any{&f.ID, &f.Source, &f.RuleID, &f.Title, &f.Category, &sev, &f.Provider, &f.ResourceID, &f.ResourceType,
		&f.ResourceName, &f.Account, &f.Region, &fws, &status, &state, &f.Message, &firstSeen, &lastSeen,
		&resolved, &f.TimeToResolveMS, &f.FirstRun, &f.LastRun, &f.Reopened, &supReason, &supOwner, &supExpires}
	if len(extra) > 0 {
		dest = append(dest, extra...)
	}
	if err := scan(dest...); err != nil {
		return err
	}
	f.Severity, f.Status, f.State = finding.Severity(sev), finding.Status(status), State(state)
	if fws != "" && fws != "[]" {
		if err := json.Unmarshal([]byte(fws), &f.Frameworks); err != nil {
			return fmt.Errorf("finding %d frameworks: %w", f.ID, err)
		}
	}
	f.FirstSeen, f.LastSeen, f.Resolved = optTime(firstSeen), optTime(lastSeen), optTime(resolved)
	if f.State == StateSuppressed {
		f.Suppression = &Suppression{RuleID: f.RuleID, ResourceID: f.ResourceID, Reason: supReason, Owner: supOwner}
		if supExpires != nil {
			f.Suppression.Expires = msTime(*supExpires)
		}
	}
	return nil
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
	// Limit (0: 100) bounds a page. After, when set, is the ID of the last
	// finding of the previous page: the page starts after it in the
	// order (keyset paging, as fast on the thousandth page as on the
	// first; Offset is then ignored). Offset skips that many findings.
	Limit, Offset int
	After         int64 `json:",omitempty"`
}

// SortKeys are the orders FindingQuery.Sort accepts.
var SortKeys = []string{"severity", "first_seen", "last_seen", "rule", "resource", "account"}

// sortKey is one term of an order: an expression and whether it ascends
// with FindingQuery.Desc unset; flip terms follow Desc, the others do not.
type sortKey struct {
	expr string
	asc  bool
	flip bool
}

// sortKeys are each order's terms; every order ends with the identity ID,
// so it is total and a page can start after any finding. Missing times
// sort as 0 (first ascending) on both engines.
var sortKeys = map[string][]sortKey{
	"severity":   {{"f.sev_rank", false, false}, {"f.id", false, false}},
	"first_seen": {{"COALESCE(f.first_seen_ms, 0)", true, true}, {"f.id", true, false}},
	"last_seen":  {{"COALESCE(f.last_seen_ms, 0)", true, true}, {"f.id", true, false}},
	"rule":       {{"f.rule_id", true, true}, {"f.resource_id", true, false}, {"f.id", true, false}},
	"resource":   {{"f.resource_id", true, true}, {"f.rule_id", true, false}, {"f.id", true, false}},
	"account":    {{"f.provider", true, true}, {"f.account", true, true}, {"f.sev_rank", false, false}, {"f.id", true, false}},
}

// order returns q's sort terms with their directions applied.
func (q FindingQuery) order() ([]sortKey, error) {
	sort := q.Sort
	if sort == "" {
		sort = "severity"
	}
	keys, ok := sortKeys[sort]
	if !ok {
		return nil, fmt.Errorf("unknown sort %q (want one of %s)", q.Sort, strings.Join(SortKeys, ", "))
	}
	out := slices.Clone(keys)
	for i := range out {
		if out[i].flip && q.Desc {
			out[i].asc = !out[i].asc
		}
	}
	return out, nil
}

func orderBy(keys []sortKey) string {
	terms := make([]string, len(keys))
	for i, k := range keys {
		terms[i] = k.expr + " DESC"
		if k.asc {
			terms[i] = k.expr + " ASC"
		}
	}
	return " ORDER BY " + strings.Join(terms, ", ")
}

// after is the condition "comes after these values of keys in the
// order": (k1 > v1) OR (k1 = v1 AND k2 > v2) OR ..., with < for
// descending terms.
func after(keys []sortKey, vals []any) (string, []any) {
	var ors []string
	var args []any
	for i := range keys {
		var ands []string
		for j := range i {
			ands = append(ands, keys[j].expr+" = ?")
			args = append(args, vals[j])
		}
		op := " < ?"
		if keys[i].asc {
			op = " > ?"
		}
		ands = append(ands, keys[i].expr+op)
		args = append(args, vals[i])
		ors = append(ors, "("+strings.Join(ands, " AND ")+")")
	}
	return "(" + strings.Join(ors, " OR ") + ")", args
}

// where builds the filter of q: fixed SQL with one parameter per value.
// The state, last in every index of the findings, is checked there.
func (q FindingQuery) where() ([]string, []any) { return q.filter(true) }

// filter is where, leaving out the severities unless ranks is set.
func (q FindingQuery) filter(ranks bool) ([]string, []any) {
	var conds []string
	var args []any
	in := func(col string, vals []string) {
		if len(vals) == 0 {
			return
		}
		if len(vals) == 1 {
			conds = append(conds, col+" = ?")
		} else {
			conds = append(conds, col+" IN ("+strings.TrimSuffix(strings.Repeat("?, ", len(vals)), ", ")+")")
		}
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
	in("f.state", states)
	if len(q.Severities) > 0 && ranks {
		// By rank: the indexes carry it.
		ranks := make([]string, len(q.Severities))
		for i, sev := range q.Severities {
			ranks[i] = "?"
			args = append(args, sev.Rank())
		}
		conds = append(conds, "f.sev_rank IN ("+strings.Join(ranks, ", ")+")")
	}
	in("f.provider", q.Providers)
	in("f.account", q.Accounts)
	in("f.rule_id", q.Rules)
	if q.Resource != "" {
		in("f.resource_id", []string{q.Resource})
	}
	return conds, args
}

func whereSQL(conds []string) string {
	if len(conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(conds, " AND ")
}

// ranks are the severity ranks q selects, worst first.
func (q FindingQuery) ranks() []int {
	if len(q.Severities) == 0 {
		return []int{5, 4, 3, 2, 1, 0}
	}
	var out []int
	for _, sev := range q.Severities {
		if r := sev.Rank(); !slices.Contains(out, r) {
			out = append(out, r)
		}
	}
	slices.Sort(out)
	slices.Reverse(out)
	return out
}

// Findings returns one page of the finding identities q selects; an error
// wrapping ErrNotFound when q.After names no finding.
//
// In the default order (worst first) a page without an offset is read one
// severity at a time, each from an index in (rank, ID) order after the
// filter's key (none, rule, or cloud and account): every query stops at the
// page's end instead of sorting what the filter selects. The other orders
// sort what the filter selects; After still spares them an OFFSET.
func (s *Store) Findings(ctx context.Context, q FindingQuery) ([]Finding, error) {
	keys, err := q.order()
	if err != nil {
		return nil, err
	}
	if q.Limit <= 0 {
		q.Limit = 100
	}
	conds, args := q.where()
	var cursor []any
	if q.After != 0 {
		q.Offset = 0
		cursor = make([]any, len(keys))
		dest := make([]any, len(keys))
		exprs := make([]string, len(keys))
		for i, k := range keys {
			exprs[i] = k.expr
			dest[i] = &cursor[i]
		}
		err := s.QueryRow(ctx, "SELECT "+strings.Join(exprs, ", ")+" FROM findings f WHERE f.id = ?", q.After).Scan(dest...)
		if errors.Is(err, sql.ErrNoRows) {
			return nil, fmt.Errorf("no finding %d to page after: %w", q.After, ErrNotFound)
		}
		if err != nil {
			return nil, fmt.Errorf("history: %w", err)
		}
	}
	out := make([]Finding, 0, min(q.Limit, 1000))
	if (q.Sort == "" || q.Sort == "severity") && q.Offset == 0 {
		// Worst first, one rank at a time.
		base, baseArgs := q.filter(false)
		for _, rank := range q.ranks() {
			c := append(slices.Clone(base), "f.sev_rank = ?")
			a := append(slices.Clone(baseArgs), rank)
			if cursor != nil {
				cr := toInt64(cursor[0])
				if int64(rank) > cr {
					continue
				}
				if int64(rank) == cr {
					c = append(c, "f.id < ?")
					a = append(a, toInt64(cursor[1]))
				}
			}
			out, err = s.appendFindings(ctx, out, "SELECT "+findingSelect+" FROM findings f"+whereSQL(c)+" ORDER BY f.id DESC LIMIT ?",
				append(a, q.Limit-len(out)))
			if err != nil {
				return nil, err
			}
			if len(out) >= q.Limit {
				break
			}
		}
		return out, nil
	}
	if cursor != nil {
		c, a := after(keys, cursor)
		conds = append(conds, c)
		args = append(args, a...)
	}
	return s.appendFindings(ctx, out, "SELECT "+findingSelect+" FROM findings f"+whereSQL(conds)+orderBy(keys)+" LIMIT ? OFFSET ?",
		append(args, q.Limit, q.Offset))
}

func toInt64(v any) int64 {
	switch x := v.(type) {
	case int64:
		return x
	case int32:
		return int64(x)
	case int:
		return int64(x)
	}
	return 0
}

func (s *Store) findings(ctx context.Context, sqlq string, args []any) ([]Finding, error) {
	return s.appendFindings(ctx, []Finding{}, sqlq, args)
}

// appendFindings appends the findings sqlq selects to out, scanned in
// place.
func (s *Store) appendFindings(ctx context.Context, out []Finding, sqlq string, args []any) ([]Finding, error) {
	rows, err := s.Query(ctx, sqlq, args...)
	if err != nil {
		return nil, fmt.Errorf("history: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		out = append(out, Finding{})
		if err := scanFindingInto(&out[len(out)-1], rows.Scan); err != nil {
			return nil, fmt.Errorf("history: %w", err)
		}
	}
	return out, rows.Err()
}

// Finding returns one finding identity by its ID; an error wrapping
// ErrNotFound when there is none.
func (s *Store) Finding(ctx context.Context, id int64) (*Finding, error) {
	fs, err := s.findings(ctx, "SELECT "+findingSelect+" FROM findings f WHERE f.id = ?", []any{id})
	if err != nil {
		return nil, err
	}
	if len(fs) == 0 {
		return nil, fmt.Errorf("finding %d: %w", id, ErrNotFound)
	}
	return &fs[0], nil
}

// RunResult is a finding's result in one run.
type RunResult struct {
	RunID      int64     `json:"run_id"`
	Started    time.Time `json:"started"`
	Status     string    `json:"status"`
	State      string    `json:"state"`
	Severity   string    `json:"severity"`
	Suppressed bool      `json:"suppressed"`
}

// FindingRuns is a finding's result in each run that saw it, newest first
// (at most limit; 0: 200).
func (s *Store) FindingRuns(ctx context.Context, id int64, limit int) ([]RunResult, error) {
	if limit <= 0 {
		limit = 200
	}
	rows, err := s.db.QueryContext(ctx, s.rebind(`SELECT x.run_id, r.started_ms, x.status, x.state, x.severity, x.suppressed
FROM run_findings x JOIN runs r ON r.id = x.run_id WHERE x.finding_id = ? ORDER BY r.started_ms DESC, x.run_id DESC LIMIT ?`), id, limit)
	if err != nil {
		return nil, fmt.Errorf("history: %w", err)
	}
	defer rows.Close()
	out := []RunResult{}
	for rows.Next() {
		var rr RunResult
		var started int64
		var sup int
		if err := rows.Scan(&rr.RunID, &started, &rr.Status, &rr.State, &rr.Severity, &sup); err != nil {
			return nil, fmt.Errorf("history: %w", err)
		}
		rr.Started, rr.Suppressed = msTime(started), sup != 0
		out = append(out, rr)
	}
	return out, rows.Err()
}

// DataVersion changes whenever the findings may have: it is the newest
// run's and the newest suppression's IDs (the only writes that change
// findings), for callers that cache what they read.
func (s *Store) DataVersion(ctx context.Context) ([2]int64, error) {
	var v [2]int64
	err := s.QueryRow(ctx, "SELECT (SELECT COALESCE(MAX(id), 0) FROM runs), (SELECT COALESCE(MAX(id), 0) FROM suppressions)").Scan(&v[0], &v[1])
	if err != nil {
		return v, fmt.Errorf("history: %w", err)
	}
	return v, nil
}

// countable reports whether finding_counts answers q: every filter but
// the resource is one of its columns.
func (q FindingQuery) countable() bool { return q.Resource == "" }

// CountFindings counts the finding identities q selects (its sort and
// page are ignored): from finding_counts unless q filters on a resource.
func (s *Store) CountFindings(ctx context.Context, q FindingQuery) (int, error) {
	conds, args := q.where()
	sqlq := "SELECT COUNT(*) FROM findings f" + whereSQL(conds)
	if q.countable() {
		sqlq = "SELECT CAST(COALESCE(SUM(f.n), 0) AS BIGINT) FROM finding_counts f" + whereSQL(conds)
	}
	var n int64
	if err := s.QueryRow(ctx, sqlq, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("history: %w", err)
	}
	return int(n), nil
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
// bounds the groups returned (0: 100). Every grouping but by resource is
// summed from finding_counts (unless q filters on a resource).
func (s *Store) Group(ctx context.Context, by string, q FindingQuery) ([]GroupCount, error) {
	col, ok := groupSQL[by]
	if !ok {
		return nil, fmt.Errorf("unknown grouping %q (want one of %s)", by, strings.Join(GroupKeys, ", "))
	}
	if q.Limit <= 0 {
		q.Limit = 100
	}
	conds, args := q.where()
	table, count := "findings", "COUNT(*)"
	if by != "resource" && q.countable() {
		table, count = "finding_counts", "CAST(SUM(f.n) AS BIGINT)"
		if by == "severity" {
			col = [2]string{"f.sev_rank", "f.sev_rank"}
		}
	}
	sqlq := "SELECT " + col[0] + " AS k, " + count + ", MAX(f.sev_rank) FROM " + table + " f" + whereSQL(conds) +
		" GROUP BY " + col[1] + " ORDER BY " + count + " DESC, MAX(f.sev_rank) DESC, k LIMIT ? OFFSET ?"
	args = append(args, q.Limit, q.Offset)
	rows, err := s.Query(ctx, sqlq, args...)
	if err != nil {
		return nil, fmt.Errorf("history: %w", err)
	}
	defer rows.Close()
	out := []GroupCount{}
	for rows.Next() {
		var g GroupCount
		var key any
		var n int64
		var rank int
		if err := rows.Scan(&key, &n, &rank); err != nil {
			return nil, fmt.Errorf("history: %w", err)
		}
		g.Count = int(n)
		switch k := key.(type) {
		case string:
			g.Key = k
		case []byte:
			g.Key = string(k)
		default: // a severity rank
			g.Key = string(severityOfRank(int(toInt64(k))))
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
