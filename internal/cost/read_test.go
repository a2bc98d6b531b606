package cost

import (
	"bytes"
	"compress/gzip"
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func readAll(t *testing.T, path string) ([]Row, []Problem, ReadStats) {
	t.Helper()
	var rows []Row
	var probs []Problem
	st, err := ReadFile(context.Background(), path, func(r Row) error { rows = append(rows, r); return nil }, func(p Problem) { probs = append(probs, p) })
	if err != nil {
		t.Fatal(err)
	}
	return rows, probs, st
}

// TestBadInput: unknown columns are listed once and the known ones read;
// each malformed row is named by file:line and the rest is read.
func TestBadInput(t *testing.T) {
	path := "testdata/read/focus-bad.csv"
	rows, probs, st := readAll(t, path)
	if st.Format != FOCUS || len(rows) != 2 || st.Bad != 4 {
		t.Fatalf("format %s, %d rows, %d bad: %v", st.Format, len(rows), st.Bad, probs)
	}
	var msgs []string
	for _, p := range probs {
		msgs = append(msgs, p.Error())
	}
	want := []string{
		path + ": 2 unknown column(s) not read: MadeUpColumn, x_Custom",
		path + `:3: cost: not a number: "not-a-number"`,
		path + ":4: 8 fields, the header has 12",
		path + `:5: unreadable date "yesterday"`,
		path + ":6: tags: ",
	}
	if len(msgs) != len(want) {
		t.Fatalf("problems:\n%s", strings.Join(msgs, "\n"))
	}
	for i := range want {
		if !strings.HasPrefix(msgs[i], want[i]) {
			t.Errorf("problem %d: %q, want %q...", i, msgs[i], want[i])
		}
	}
	if r := rows[0]; r.Provider != "aws" || r.Service != "Amazon GuardDuty" || r.Account != "222" || r.Cost != 12.5 || r.Tags["owner"] != "sec" || r.Line != 2 || r.ServiceCategory != CatSecurity {
		t.Errorf("row 1: %+v", r)
	}
	if r := rows[1]; r.Provider != "gcp" || r.Currency != "EUR" || r.Date().Format("2006-01-02") != "2026-11-03" || r.Line != 7 {
		t.Errorf("row 2: %+v", r)
	}
}

func TestFormats(t *testing.T) {
	rows, probs, st := readAll(t, "testdata/read/cur-legacy.csv")
	if st.Format != CUR || len(rows) != 2 || len(probs) != 0 {
		t.Fatalf("legacy CUR: %s %d rows %v", st.Format, len(rows), probs)
	}
	if r := rows[0]; r.Account != "444455556666" || r.BillingAccount != "111122223333" || r.Service != "Amazon Elastic Compute Cloud" || r.Tags["Owner"] != "alice" || r.Region != "us-east-1" {
		t.Errorf("legacy CUR row: %+v", r)
	}
	if len(rows[1].Tags) != 0 {
		t.Errorf("an empty legacy tag column is no tag: %v", rows[1].Tags)
	}

	rows, probs, st = readAll(t, "testdata/read/azure-mca.csv")
	if st.Format != Azure || len(rows) != 1 || len(probs) != 0 {
		t.Fatalf("Azure MCA: %s %d rows %v", st.Format, len(rows), probs)
	}
	if r := rows[0]; r.Account != "8f2d6c3e-5b1a-4e7d-9c0f-2a4b6d8e1f37" || r.Date().Format("2006-01-02") != "2026-11-02" || r.Tags["owner"] != "platform" || r.Region != "eastus" || r.Usage != 3 {
		t.Errorf("Azure row: %+v", r)
	}
	if SecurityServiceOf("azure", rows[0].Service, rows[0].SKU) != "Azure Key Vault" {
		t.Error("Key Vault is a security service")
	}

	rows, probs, st = readAll(t, "testdata/read/gcp.csv")
	if st.Format != GCP || len(rows) != 1 || len(probs) != 0 {
		t.Fatalf("GCP CSV: %s %d rows %v", st.Format, len(rows), probs)
	}
	if r := rows[0]; r.Cost != 8.5 || r.Account != "p1" || r.Tags["owner"] != "x" || r.ResourceID != "projects/p1/instances/vm" {
		t.Errorf("GCP row (cost net of credits): %+v", r)
	}

	_, probs, st = readAll(t, "testdata/read/unknown.csv")
	if st.Rows != 0 || len(probs) != 1 || !strings.Contains(probs[0].Error(), "unknown.csv:1: not a billing export") {
		t.Errorf("unknown CSV: %v", probs)
	}
}

// TestGzipAndParquet: the FOCUS sample read gzip-compressed and as Parquet
// (written by DuckDB, as AWS and Azure deliver FOCUS) gives the same rows
// as the CSV.
func TestGzipAndParquet(t *testing.T) {
	src := filepath.Join(samples, "focus", "aws-111122223333-focus-1.0-2026-11.csv")
	want, _, _ := readAll(t, src)
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(data)
	zw.Close()
	gzPath := filepath.Join(dir, "focus.csv.gz")
	os.WriteFile(gzPath, gz.Bytes(), 0o644)
	got, _, _ := readAll(t, gzPath)
	if len(got) != len(want) || got[10].Cost != want[10].Cost {
		t.Errorf("gzip: %d rows, want %d", len(got), len(want))
	}

	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	pq := filepath.Join(dir, "focus.parquet")
	if _, err := db.Exec("COPY (SELECT * REPLACE (CAST(Tags AS VARCHAR) AS Tags) FROM read_csv('" + src + "', all_varchar = false)) TO '" + pq + "' (FORMAT parquet)"); err != nil {
		t.Fatal(err)
	}
	got, probs, st := readAll(t, pq)
	if st.Format != FOCUS || len(got) != len(want) {
		t.Fatalf("parquet: %s %d rows, want %d: %v", st.Format, len(got), len(want), probs)
	}
	for i := range want {
		g, w := got[i], want[i]
		if g.Cost != w.Cost || g.Day != w.Day || g.Service != w.Service || g.ResourceID != w.ResourceID || len(g.Tags) != len(w.Tags) {
			t.Fatalf("parquet row %d: %+v\nCSV: %+v", i, g, w)
		}
	}
}

func TestParseDay(t *testing.T) {
	for in, want := range map[string]string{
		"2026-11-01T00:00:00Z": "2026-11-01", "2026-11-01": "2026-11-01", "2026-11-01 00:00:00 UTC": "2026-11-01",
		"2026-11-01T22:00:00-08:00": "2026-11-02", "11/02/2026": "2026-11-02", "1/2/2026": "2026-01-02",
		"2026-11-01T00:00:00.000Z": "2026-11-01", "20261103": "2026-11-03",
	} {
		d, err := parseDay(in)
		if err != nil || d.Format("2006-01-02") != want {
			t.Errorf("parseDay(%q) = %v, %v; want %s", in, d, err, want)
		}
	}
	if _, err := parseDay("2026-13-45"); err == nil {
		t.Error("a bad date parses")
	}
	_ = time.UTC
}

// FuzzRead: no input makes a reader panic, and every row it emits has a
// format and a date.
func FuzzRead(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/read/*")
	seeds2, _ := filepath.Glob("testdata/fuzz/seed-*")
	for _, s := range append(seeds, seeds2...) {
		if b, err := os.ReadFile(s); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		_, err := Read(context.Background(), "fuzz", bytes.NewReader(data), func(r Row) error {
			if r.Format == "" || r.Provider == "" {
				t.Fatalf("row without format or provider: %+v", r)
			}
			return nil
		}, func(Problem) {})
		if err != nil {
			t.Fatal(err)
		}
	})
}

// TestLegacyTagColumns: tags from legacy CUR columns (resourceTags/user:owner)
// are added to each row's own tag set, never to one shared with other rows
// of the same tags JSON.
func TestLegacyTagColumns(t *testing.T) {
	in := "line_item_usage_account_id,line_item_usage_start_date,line_item_unblended_cost,resource_tags,resourceTags/user:owner\n" +
		`111,2026-11-01T00:00:00Z,1,"{""user_team"":""a""}",x` + "\n" +
		`111,2026-11-01T00:00:00Z,2,"{""user_team"":""a""}",y` + "\n" +
		`111,2026-11-01T00:00:00Z,3,"{""user_team"":""a""}",` + "\n"
	var rows []Row
	_, err := Read(context.Background(), "cur.csv", strings.NewReader(in), func(r Row) error { rows = append(rows, r); return nil }, func(p Problem) {
		if !p.Warning {
			t.Error(p.Error())
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 {
		t.Fatalf("%d rows", len(rows))
	}
	for i, want := range []string{"x", "y", ""} {
		if got := rows[i].Tags["owner"]; got != want || rows[i].Tags["team"] != "a" {
			t.Errorf("row %d: tags %v, want owner %q and team a", i+1, rows[i].Tags, want)
		}
	}
}
