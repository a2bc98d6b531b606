package policy

import (
	"context"
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/vigil-sec/vigil/internal/finding"
)

// TestBatchedMatchesJudge: evaluating the rules judged on the Go fields
// class by class, in ranges of resources (judgeGoBatches, several ranges
// here), gives each rule the findings judging it alone gives.
func TestBatchedMatchesJudge(t *testing.T) {
	ctx := context.Background()
	e, err := New(ctx, []Source{{FS: os.DirFS("testdata/pack"), Name: "p"}})
	if err != nil {
		t.Fatal(err)
	}
	rs := syntheticResources(3*batchChunk + 17)
	in, err := NewInput(rs, testNow)
	if err != nil {
		t.Fatal(err)
	}
	batched := 0
	for i := range e.rules {
		if e.goBatchable(i) {
			batched++
		}
	}
	if batched < 2 {
		t.Fatalf("%d rules of the test pack judged in batches, want at least 2", batched)
	}
	got, err := e.EvaluateInput(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	var want []finding.Finding
	for i := range e.rules {
		fs, err := e.evalRule(ctx, i, in)
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, fs...)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("batched findings differ (-alone +batched):\n%s", diff)
	}
	fails := 0
	for _, f := range got {
		if f.Status == finding.Fail {
			fails++
		}
	}
	if fails == 0 || fails == len(got) {
		t.Errorf("%d FAIL of %d findings: the comparison shows nothing", fails, len(got))
	}
}
