package cost

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
)

const samples = "../../examples/org/billing"

func ingestSamples(t testing.TB) string {
	t.Helper()
	dir := t.TempDir()
	var problems []string
	st, err := Ingest(context.Background(), dir, []string{samples}, IngestOptions{OnProblem: func(p Problem) {
		problems = append(problems, p.Error())
	}})
	if err != nil {
		t.Fatal(err)
	}
	if st.Bad > 0 || st.Problems > 0 {
		t.Fatalf("problems ingesting the samples: %v", problems)
	}
	for _, f := range Formats {
		if st.Rows[f] == 0 {
			t.Errorf("no %s rows from the samples (%+v)", f, st)
		}
	}
	return dir
}

func TestIngestSamples(t *testing.T) {
	dir := ingestSamples(t)
	db, err := DB(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	var total float64
	if err := db.QueryRow("SELECT count(*), sum(cost) FROM cost").Scan(&n, &total); err != nil {
		t.Fatal(err)
	}
	t.Logf("%d rows, %.2f", n, total)
	// Again: the same files are not stored twice.
	st, err := Ingest(context.Background(), dir, []string{samples}, IngestOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if st.Total() != 0 || st.AlreadyDone != 4 {
		t.Errorf("second ingest: %+v", st)
	}
}

// TestIngestAgain: a file ingested before is not stored again, and its
// problems (bad rows, unknown columns) are not reported again; no temporary
// file is left behind.
func TestIngestAgain(t *testing.T) {
	dir := t.TempDir()
	var first []Problem
	st1, err := Ingest(context.Background(), dir, []string{"testdata/read"}, IngestOptions{OnProblem: func(p Problem) { first = append(first, p) }})
	if err != nil {
		t.Fatal(err)
	}
	if st1.Total() == 0 || st1.Bad == 0 || st1.Warnings == 0 {
		t.Fatalf("first ingest: %+v", st1)
	}
	var again []Problem
	st2, err := Ingest(context.Background(), dir, []string{"testdata/read"}, IngestOptions{OnProblem: func(p Problem) { again = append(again, p) }})
	if err != nil {
		t.Fatal(err)
	}
	if st2.Total() != 0 || st2.AlreadyDone != st1.Parts || st2.Files != 1 { // unknown.csv, read again
		t.Errorf("second ingest: %+v after %+v", st2, st1)
	}
	for _, p := range again {
		if !errors.Is(p.Err, ErrUnknownFormat) { // unknown.csv is never stored, so it is read again
			t.Errorf("reported again: %v", p.Error())
		}
	}
	tmp, _ := filepath.Glob(filepath.Join(dir, "cost", "format=*", ".tmp-*"))
	if len(tmp) > 0 {
		t.Errorf("temporary files left: %v", tmp)
	}
}
