package finding

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/resource"
)

// sortReference is the definition SortWorstFirst implements: a stable sort
// by Worse, then by message.
func sortReference(fs []Finding) {
	slices.SortStableFunc(fs, func(a, b Finding) int {
		switch {
		case Worse(&a, &b):
			return -1
		case Worse(&b, &a):
			return 1
		}
		return strings.Compare(a.Message, b.Message)
	})
}

func TestSortWorstFirstMatchesStableSort(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	sevs := []Severity{Critical, High, Medium, Low, Info, "", "weird"}
	sts := []Status{Fail, Pass, Unknown, ""}
	provs := []resource.Provider{resource.AWS, resource.Azure, resource.GCP}
	for round := range 203 {
		n := rng.IntN(300)
		if round >= 200 {
			n = 25000 + rng.IntN(10000) // sorted on several workers
		}
		fs := make([]Finding, n)
		for i := range fs {
			f := Finding{
				RuleID:   fmt.Sprintf("r%d", rng.IntN(8)),
				Severity: sevs[rng.IntN(len(sevs))],
				Status:   sts[rng.IntN(len(sts))],
				Message:  fmt.Sprintf("m%d", rng.IntN(3)),
				Resource: resource.Ref{ID: fmt.Sprintf("id%d", rng.IntN(10)), Provider: provs[rng.IntN(len(provs))]},
				Title:    fmt.Sprint(i), // tells equal findings apart: stability
			}
			if rng.IntN(5) == 0 {
				f.Suppressed = &Suppression{Reason: "x"}
			}
			fs[i] = f
		}
		want := slices.Clone(fs)
		sortReference(want)
		SortWorstFirst(fs)
		if !reflect.DeepEqual(fs, want) {
			t.Fatalf("round %d: order differs from the stable sort", round)
		}
	}
}

// TestWorstFirstChunks: findings read in more chunks than two (three
// workers), rules spread over several chunks, sort as the stable sort does;
// an Order worked out first and applied after gives the same.
func TestWorstFirstChunks(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(3))
	rng := rand.New(rand.NewPCG(5, 6))
	sevs := []Severity{Critical, High, Medium, Low}
	fs := make([]Finding, 3*sortChunk+77)
	for i := range fs {
		fs[i] = Finding{
			RuleID: fmt.Sprintf("r%02d", (i/900+rng.IntN(2))%40), Severity: sevs[rng.IntN(len(sevs))],
			Status:   []Status{Fail, Unknown}[rng.IntN(2)],
			Resource: resource.Ref{ID: fmt.Sprintf("id%d", rng.IntN(5000)), Provider: resource.AWS},
			Message:  fmt.Sprintf("m%d", rng.IntN(2)), Title: fmt.Sprint(i),
		}
	}
	want := slices.Clone(fs)
	sortReference(want)
	o := WorstFirst(fs)
	o.Apply(fs)
	if !reflect.DeepEqual(fs, want) {
		t.Fatal("order differs from the stable sort")
	}
}

func BenchmarkSortWorstFirst(b *testing.B) {
	fs := benchFindings(300000)
	work := make([]Finding, len(fs))
	b.ResetTimer()
	for range b.N {
		copy(work, fs)
		SortWorstFirst(work)
	}
}

func BenchmarkSummarize(b *testing.B) {
	fs := benchFindings(300000)
	SortWorstFirst(fs)
	b.ResetTimer()
	for range b.N {
		Summarize(fs, nil)
	}
}

// benchFindings makes n findings as an evaluation emits them: grouped by
// rule, resources in inventory order.
func benchFindings(n int) []Finding {
	rng := rand.New(rand.NewPCG(3, 4))
	sevs := []Severity{Critical, High, Medium, Low}
	sts := []Status{Fail, Pass, Pass, Pass, Unknown}
	fs := make([]Finding, 0, n)
	for r := 0; len(fs) < n; r++ {
		rule := fmt.Sprintf("aws-rule-%03d", r)
		for i := 0; i < 2500 && len(fs) < n; i++ {
			id := rng.IntN(100000)
			fs = append(fs, Finding{
				RuleID: rule, Title: "t", Severity: sevs[r%len(sevs)], Status: sts[rng.IntN(len(sts))],
				Resource: resource.Ref{ID: fmt.Sprintf("arn:aws:s3:::bucket-%06d", id), Provider: resource.AWS, Account: fmt.Sprint(id % 20)},
			})
		}
	}
	return fs
}

func BenchmarkSortReference(b *testing.B) {
	fs := benchFindings(300000)
	work := make([]Finding, len(fs))
	b.ResetTimer()
	for range b.N {
		copy(work, fs)
		sortReference(work)
	}
}
