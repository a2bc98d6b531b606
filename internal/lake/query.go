package lake

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"

	_ "github.com/duckdb/duckdb-go/v2" // registers the "duckdb" database/sql driver

	"github.com/vigil-sec/vigil/internal/logs"
)

// DB opens an in-memory DuckDB database with the view events over every
// part file of the lake and one view per log source (logs.Builtin; aws_cloudtrail,
// azure_activitylogs, azure_signinlogs, azure_auditlogs, azure_resourcelogs, gcp_audit,
// m365_audit). Views
// over no files are empty with the same columns. Close the DB when done.
func (l *Lake) DB(ctx context.Context) (*sql.DB, error) {
	db, err := sql.Open("duckdb", "")
	if err != nil {
		return nil, fmt.Errorf("lake: open duckdb: %w", err)
	}
	db.SetMaxOpenConns(1)
	stmts := []string{viewSQL("events", l.Dir, "*")}
	// One view per log source, named by its descriptor (LakeView).
	reg := logs.Builtin()
	for i := range reg.Len() {
		d := reg.At(i)
		stmts = append(stmts, viewSQL(d.LakeView, l.Dir, string(d.Name)))
	}
	stmts = append(stmts, costViewSQL(l.Dir)) // billing rows of vigil cost ingest
	for _, s := range stmts {
		if _, err := db.ExecContext(ctx, s); err != nil {
			db.Close()
			return nil, fmt.Errorf("lake: %s: %w", s, err)
		}
	}
	return db, nil
}

// Glob returns the read_parquet pattern of a source's part files ("*" for
// all sources).
func Glob(dir, source string) string {
	return filepath.Join(dir, "source="+source, "date=*", "*.parquet")
}

func sqlString(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

func viewSQL(name, dir, source string) string {
	pattern := Glob(dir, source)
	if m, _ := filepath.Glob(pattern); len(m) == 0 {
		cols := make([]string, len(Columns))
		for i, c := range Columns {
			cols[i] = fmt.Sprintf("CAST(NULL AS %s) AS %q", c.Type, c.Name)
		}
		return fmt.Sprintf("CREATE OR REPLACE VIEW %q AS SELECT %s WHERE false", name, strings.Join(cols, ", "))
	}
	names := make([]string, len(Columns))
	for i, c := range Columns {
		names[i] = fmt.Sprintf("%q", c.Name)
		if c.Name == "ocsf" {
			names[i] = OCSFSQL + ` AS "ocsf"`
		}
	}
	return fmt.Sprintf("CREATE OR REPLACE VIEW %q AS SELECT %s FROM read_parquet(%s, hive_partitioning = true, hive_types = {'source': VARCHAR, 'date': DATE})",
		name, strings.Join(names, ", "), sqlString(pattern))
}

// Query runs one SQL statement against the lake's views and calls row for
// each result row (vals is reused between calls). cols holds the column names.
func (l *Lake) Query(ctx context.Context, query string, header func(cols []string) error, row func(vals []any) error) error {
	db, err := l.DB(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	rows, err := db.QueryContext(ctx, query)
	if err != nil {
		return fmt.Errorf("query: %w", err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return fmt.Errorf("query: %w", err)
	}
	if err := header(cols); err != nil {
		return err
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return fmt.Errorf("query: %w", err)
		}
		if err := row(vals); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("query: %w", err)
	}
	return nil
}
