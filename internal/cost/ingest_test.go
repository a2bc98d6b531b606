package cost

import (
	"context"
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
