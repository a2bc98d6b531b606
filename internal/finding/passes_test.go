package finding

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/vigil-sec/vigil/internal/resource"
)

// TestPassesExpandSorts: PASS findings held apart (Passes), sorted and
// merged back, are the full findings sorted worst first, many runs sorted
// at once included; a filter drops the same ones from both.
func TestPassesExpandSorts(t *testing.T) {
	full, rest, passes := randomPasses(1)
	flt := Filter{Providers: []string{"gcp"}, MinSeverity: Medium}
	filtered := flt.Apply(full)
	SortWorstFirst(full)
	SortWorstFirst(rest)
	passes.Sort()
	check := func(name string, want, got []Finding) {
		t.Helper()
		if len(got) != len(want) {
			t.Fatalf("%s: %d findings, want %d", name, len(got), len(want))
		}
		for i := range want {
			if got[i].RuleID != want[i].RuleID || got[i].Status != want[i].Status || got[i].Resource.ID != want[i].Resource.ID || got[i].Resource.Provider != want[i].Resource.Provider {
				t.Fatalf("%s: finding %d is %s %s %v, want %s %s %v", name, i, got[i].RuleID, got[i].Status, got[i].Resource,
					want[i].RuleID, want[i].Status, want[i].Resource)
			}
		}
	}
	check("expanded", full, passes.Expand(rest))
	if n := passes.Len(); n != len(full)-len(rest) {
		t.Fatalf("Len %d, want %d", n, len(full)-len(rest))
	}
	passes.Filter(flt)
	rest = flt.Apply(rest)
	SortWorstFirst(filtered)
	check("filtered", filtered, passes.Expand(rest))
}

// randomPasses returns findings (full), the same with their PASS findings
// held apart (rest and passes), over refs of repeated IDs, two providers
// and a few accounts.
func randomPasses(seed uint64) (full, rest []Finding, passes *Passes) {
	rng := rand.New(rand.NewPCG(seed, 2))
	sevs := []Severity{Critical, High, Medium, Low, Info}
	var refs []resource.Ref
	for i := range 400 {
		p := []resource.Provider{resource.AWS, resource.GCP}[i%2]
		refs = append(refs, resource.Ref{ID: fmt.Sprintf("r-%03d", rng.IntN(300)), Provider: p, Account: fmt.Sprint("acct-", rng.IntN(5))})
	}
	passes = &Passes{Refs: refs}
	for r := range 40 {
		rule := &RuleInfo{ID: fmt.Sprintf("rule-%02d", (r*7)%40), Severity: sevs[r%len(sevs)]}
		run := PassRun{Proto: rule.New(resource.Ref{}, Pass, "", nil)}
		for j := range refs {
			k := rng.IntN(4)
			if j%8 == 7 && k != 0 {
				k = 3 // a resource that only passes (or is not judged)
			}
			switch k {
			case 0:
				continue
			case 1:
				f := rule.New(refs[j], Fail, "m", nil)
				full, rest = append(full, f), append(rest, f)
			case 2:
				f := rule.New(refs[j], Unknown, "", nil)
				full, rest = append(full, f), append(rest, f)
			default:
				full = append(full, rule.New(refs[j], Pass, "", nil))
				run.Res = append(run.Res, int32(j))
			}
		}
		passes.Runs = append(passes.Runs, run)
	}
	return full, rest, passes
}

// TestSummarizeWithPasses: the summary of findings and PASS findings held
// apart is the summary of all of them, filtered or not.
func TestSummarizeWithPasses(t *testing.T) {
	for seed := range uint64(4) {
		full, rest, passes := randomPasses(seed)
		rules := []RuleInfo{{ID: "rule-00", Title: "zero"}, {ID: "rule-99", Title: "never judged"}}
		if got, want := SummarizeWith(rest, passes, rules), Summarize(full, rules); !reflect.DeepEqual(got, want) {
			t.Fatalf("seed %d: summary with passes apart:\n%+v\nwant\n%+v", seed, got, want)
		}
		flt := Filter{Providers: []string{"gcp"}, MinSeverity: Medium}
		passes.Filter(flt)
		if got, want := SummarizeWith(flt.Apply(rest), passes, rules), Summarize(flt.Apply(full), rules); !reflect.DeepEqual(got, want) {
			t.Fatalf("seed %d, filtered: summary with passes apart:\n%+v\nwant\n%+v", seed, got, want)
		}
	}
}
