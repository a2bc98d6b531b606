package historytest

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/vigil-sec/vigil/internal/history"
	"github.com/vigil-sec/vigil/internal/resource"
)

// Shape is a synthetic history for benchmarks: Findings finding identities
// of one source recorded over Runs daily runs, about as many first seen in
// each run; 200 rules of fixed severities on Findings/200 resources in 60
// accounts of three clouds. As of the last run 30% fail (mostly open, with
// new, reopened and suppressed ones), 10% are resolved and the rest never
// failed. run_findings holds each identity's row of the run that first saw
// it (Findings rows in all).
type Shape struct {
	Source   string // "org" when empty
	Findings int
	Runs     int
	// Start is the first run's time (when zero, Runs days before now).
	Start time.Time
}

// FillStats says what Fill wrote and how long it took.
type FillStats struct {
	Findings, Runs int
	Took           time.Duration
}

var sevs = []string{"critical", "high", "medium", "low", "info"}

// Rank of each of sevs.
var ranks = []int{5, 4, 3, 2, 1}

// Control is the SOC 2 control rule (0-199) of a Shape maps to: CC6.1 to
// CC6.8, so each has 25 rules and an eighth of the findings; each rule
// also maps to one of 40 CIS AWS controls.
func Control(rule int) string { return fmt.Sprintf("CC6.%d", rule%8+1) }

func frameworksOf(rule int) string {
	return fmt.Sprintf(`[{"framework":"soc2","control":%q},{"framework":"cis-aws-7.0","control":"%d.%d"}]`, Control(rule), rule%40/10+1, rule%10+1)
}

// Account is the account of identity i of a Shape (cloud, account).
func Account(i int) (string, string) {
	res := i / 200
	switch res % 3 {
	case 0:
		return "aws", fmt.Sprintf("1111%08d", res%20)
	case 1:
		return "azure", fmt.Sprintf("sub-%02d", res%20)
	}
	return "gcp", fmt.Sprintf("proj-%02d", res%20)
}

// Fill writes sh straight into the store's tables, bypassing Record: on
// SQLite with one prepared statement per table in one transaction, on
// PostgreSQL with COPY; the findings' secondary indexes are dropped for
// the load and built again after it, and finding_counts is computed from
// the findings. It is meant for an empty store.
func Fill(ctx context.Context, tb testing.TB, s *history.Store, sh Shape) FillStats {
	tb.Helper()
	start := time.Now()
	if sh.Source == "" {
		sh.Source = "org"
	}
	if sh.Runs <= 0 {
		sh.Runs = 1
	}
	if sh.Start.IsZero() {
		sh.Start = time.Now().UTC().Add(-time.Duration(sh.Runs) * 24 * time.Hour).Truncate(time.Hour)
	}
	runAt := func(r int) int64 { return sh.Start.Add(time.Duration(r) * 24 * time.Hour).UnixMilli() }
	pg := s.Dialect() == history.Postgres

	// The runs first: their IDs are generated.
	runIDs := make([]int64, sh.Runs)
	per := sh.Findings / sh.Runs
	for r := range sh.Runs {
		q := `INSERT INTO runs (source, kind, status, started_ms, finished_ms, duration_ms, inputs, errors, version,
	total, fail, pass, unknown, suppressed, score, new_count, reopened_count, resolved_count)
VALUES (?, 'paths', 'complete', ?, ?, 60000, '[]', '[]', 'bench', ?, ?, ?, 0, 0, 70.0, ?, 0, 0) RETURNING id`
		if pg {
			q = rebind(q)
		}
		seen := per * (r + 1)
		if err := s.DB().QueryRowContext(ctx, q, sh.Source, runAt(r), runAt(r)+60000, seen, seen*3/10, seen*7/10, per*3/10).Scan(&runIDs[r]); err != nil {
			tb.Fatal(err)
		}
	}
	cols := []string{"id", "source", "rule_id", "provider", "resource_id", "resource_type", "resource_name",
		"account", "region", "title", "category", "severity", "sev_rank", "frameworks", "status", "state", "message",
		"first_seen_ms", "last_seen_ms", "opened_ms", "resolved_ms", "resolve_ms", "first_run", "last_run",
		"reopen_count", "suppress_reason", "suppress_owner", "suppress_expires_ms", "digest"}
	rfCols := []string{"run_id", "finding_id", "status", "state", "severity", "suppressed"}
	last := sh.Runs - 1
	row := func(i int) ([]any, []any) {
		rule, res := i%200, i/200
		sev := rule % 5
		provider, account := Account(i)
		ruleID := fmt.Sprintf("rule-%03d", rule)
		resID := fmt.Sprintf("/%s/%s/resources/res-%07d", provider, account, res)
		id := history.Identity(sh.Source, ruleID, resource.Provider(provider), resID)
		first := min(i/max(per, 1), last)
		status, state := "PASS", ""
		var firstSeen, lastSeen, opened, resolved, resolveMS, firstRun any
		reopens, supReason, supOwner := 0, "", ""
		lastRun := runIDs[last]
		switch i % 10 {
		case 0, 1, 2:
			status, state = "FAIL", "open"
			switch {
			case first == last:
				state = "new"
			case i%97 == 0:
				state, reopens = "reopened", 1
			case i%53 == 0:
				state, supReason, supOwner = "suppressed", "accepted risk", "bench"
			}
			firstSeen, lastSeen, opened, firstRun = runAt(first), runAt(last), runAt(first), runIDs[first]
		case 3:
			state = "resolved"
			at := min(first+5, last)
			firstSeen, lastSeen, opened, resolved, resolveMS, firstRun = runAt(first), runAt(at), runAt(first), runAt(at), runAt(at)-runAt(first), runIDs[first]
			lastRun = runIDs[at]
		}
		f := []any{id, sh.Source, ruleID, provider, resID, "bucket", fmt.Sprintf("res-%07d", res),
			account, "eu-west-1", "rule " + ruleID + " fails", "storage", sevs[sev], ranks[sev],
			frameworksOf(rule), status, state, "the resource does what the rule forbids",
			firstSeen, lastSeen, opened, resolved, resolveMS, firstRun, lastRun, reopens, supReason, supOwner, nil, int64(i)}
		rfState := state
		if status == "FAIL" {
			rfState = "new"
		}
		rf := []any{runIDs[first], id, status, rfState, sevs[sev], 0}
		return f, rf
	}

	idx := dropIndexes(ctx, tb, s, pg)
	if pg {
		fillPostgres(ctx, tb, s, sh.Findings, cols, rfCols, row)
	} else {
		fillSQLite(ctx, tb, s.DB(), sh.Findings, cols, rfCols, row)
	}
	for _, q := range idx {
		if _, err := s.DB().ExecContext(ctx, q); err != nil {
			tb.Fatalf("%s: %v", q, err)
		}
	}
	if err := s.RebuildFindingControls(ctx); err != nil {
		tb.Fatal(err)
	}
	for _, q := range []string{"DELETE FROM finding_counts", `INSERT INTO finding_counts (source, rule_id, provider, account, sev_rank, state, n)
SELECT source, rule_id, provider, account, sev_rank, state, COUNT(*) FROM findings GROUP BY source, rule_id, provider, account, sev_rank, state`,
		// PostgreSQL's autovacuum would analyze the table soon; SQLite
		// has no statistics unless asked (Record never does).
		map[bool]string{false: "SELECT 1", true: "ANALYZE findings"}[pg]} {
		if _, err := s.DB().ExecContext(ctx, q); err != nil {
			tb.Fatalf("%s: %v", q, err)
		}
	}
	return FillStats{Findings: sh.Findings, Runs: sh.Runs, Took: time.Since(start)}
}

// dropIndexes drops the secondary indexes of findings and run_findings and
// returns the statements that create them again.
func dropIndexes(ctx context.Context, tb testing.TB, s *history.Store, pg bool) []string {
	q := "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name IN ('findings', 'run_findings') AND sql IS NOT NULL"
	if pg {
		q = `SELECT indexname, indexdef FROM pg_indexes WHERE tablename IN ('findings', 'run_findings') AND schemaname = current_schema()
AND indexname NOT LIKE '%_pkey'`
	}
	rows, err := s.DB().QueryContext(ctx, q)
	if err != nil {
		tb.Fatal(err)
	}
	var names, create []string
	for rows.Next() {
		var name, def string
		if err := rows.Scan(&name, &def); err != nil {
			tb.Fatal(err)
		}
		names, create = append(names, name), append(create, def)
	}
	rows.Close()
	for _, n := range names {
		if _, err := s.DB().ExecContext(ctx, "DROP INDEX "+n); err != nil {
			tb.Fatal(err)
		}
	}
	return create
}

func fillSQLite(ctx context.Context, tb testing.TB, db *sql.DB, n int, cols, rfCols []string, row func(int) ([]any, []any)) {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		tb.Fatal(err)
	}
	defer tx.Rollback()
	ins := func(table string, cols []string) *sql.Stmt {
		st, err := tx.PrepareContext(ctx, "INSERT INTO "+table+" ("+strings.Join(cols, ", ")+") VALUES ("+
			strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", ")+")")
		if err != nil {
			tb.Fatal(err)
		}
		return st
	}
	fst, rst := ins("findings", cols), ins("run_findings", rfCols)
	for i := range n {
		f, rf := row(i)
		if _, err := fst.ExecContext(ctx, f...); err != nil {
			tb.Fatal(err)
		}
		if _, err := rst.ExecContext(ctx, rf...); err != nil {
			tb.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		tb.Fatal(err)
	}
}

func fillPostgres(ctx context.Context, tb testing.TB, s *history.Store, n int, cols, rfCols []string, row func(int) ([]any, []any)) {
	var fs, rfs [][]any
	flush := func() {
		if _, err := s.Pool().CopyFrom(ctx, pgx.Identifier{"findings"}, cols, pgx.CopyFromRows(fs)); err != nil {
			tb.Fatal(err)
		}
		if _, err := s.Pool().CopyFrom(ctx, pgx.Identifier{"run_findings"}, rfCols, pgx.CopyFromRows(rfs)); err != nil {
			tb.Fatal(err)
		}
		fs, rfs = fs[:0], rfs[:0]
	}
	for i := range n {
		f, rf := row(i)
		fs, rfs = append(fs, f), append(rfs, rf)
		if len(fs) == 100_000 {
			flush()
		}
	}
	if len(fs) > 0 {
		flush()
	}
}

// rebind turns ? placeholders into $1, $2, ...
func rebind(q string) string {
	var b strings.Builder
	n := 0
	for _, c := range q {
		if c == '?' {
			n++
			fmt.Fprintf(&b, "$%d", n)
			continue
		}
		b.WriteRune(c)
	}
	return b.String()
}
