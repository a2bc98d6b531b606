package lake

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"
)

func render(t *testing.T, format string, cols []string, rows [][]any) string {
	t.Helper()
	var b bytes.Buffer
	w, err := NewResultWriter(&b, format)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Header(cols); err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if err := w.Row(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestResultFormats(t *testing.T) {
	ts := time.Date(2024, 3, 14, 9, 21, 37, 446000000, time.UTC)
	cols := []string{"time", "n", "user", "ids"}
	rows := [][]any{
		{ts, int64(3), "a,\"b\"", []any{"x", "y"}},
		{ts, int64(10), nil, []any{}},
		{ts, int64(1), strings.Repeat("z", 100), nil},
	}
	csv := render(t, "csv", cols, rows)
	wantCSV := "time,n,user,ids\n" +
		"2024-03-14T09:21:37.446Z,3,\"a,\"\"b\"\"\",\"[\"\"x\"\",\"\"y\"\"]\"\n" +
		"2024-03-14T09:21:37.446Z,10,,[]\n" +
		"2024-03-14T09:21:37.446Z,1," + strings.Repeat("z", 100) + ",\n"
	if csv != wantCSV {
		t.Errorf("csv:\n%s\nwant\n%s", csv, wantCSV)
	}
	js := render(t, "json", cols, rows)
	wantJSON := `{"time":"2024-03-14T09:21:37.446Z","n":3,"user":"a,\"b\"","ids":["x","y"]}` + "\n" +
		`{"time":"2024-03-14T09:21:37.446Z","n":10,"user":null,"ids":[]}` + "\n" +
		`{"time":"2024-03-14T09:21:37.446Z","n":1,"user":"` + strings.Repeat("z", 100) + `","ids":null}` + "\n"
	if js != wantJSON {
		t.Errorf("json:\n%s\nwant\n%s", js, wantJSON)
	}
	tab := render(t, "table", cols, rows)
	lines := strings.Split(strings.TrimRight(tab, "\n"), "\n")
	if len(lines) != 6 || !strings.HasPrefix(lines[0], "time ") || !strings.HasPrefix(lines[1], "----") || lines[5] != "(3 rows)" {
		t.Fatalf("table:\n%s", tab)
	}
	if !strings.Contains(lines[3], "NULL") || !strings.Contains(lines[4], strings.Repeat("z", 59)+"…") || strings.Contains(lines[4], strings.Repeat("z", 60)) {
		t.Errorf("table cells:\n%s", tab)
	}
	if _, err := NewResultWriter(&bytes.Buffer{}, "xml"); err == nil {
		t.Error("unknown format accepted")
	}
}

func TestQueryEmptyLakeAndErrors(t *testing.T) {
	l, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if c := one(t, l, "SELECT count(*) FROM events"); c != "0" {
		t.Fatalf("empty lake count %s", c)
	}
	var cols []string
	err = l.Query(context.Background(), "SELECT * FROM azure_signinlogs", func(c []string) error { cols = c; return nil }, func([]any) error { return nil })
	if err != nil || len(cols) != len(Columns) || cols[0] != "time" || cols[len(cols)-1] != "date" {
		t.Fatalf("empty view columns %v: %v", cols, err)
	}
	err = l.Query(context.Background(), "SELECT nope FROM events", func([]string) error { return nil }, func([]any) error { return nil })
	if err == nil || !strings.Contains(err.Error(), "nope") {
		t.Fatalf("bad SQL: %v", err)
	}
	// Columns of a populated lake match the empty views.
	ingest(t, l, samples)
	err = l.Query(context.Background(), "SELECT * FROM events LIMIT 1", func(c []string) error { cols = c; return nil }, func([]any) error { return nil })
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, c := range Columns {
		want = append(want, c.Name)
	}
	if strings.Join(cols, ",") != strings.Join(want, ",") {
		t.Errorf("columns\n%v\nwant\n%v", cols, want)
	}
}
