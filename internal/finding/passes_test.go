package finding

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
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
	return randomPassesOf(seed, 400, resource.AWS, resource.GCP)
}

// randomPassesOf is randomPasses over n refs of the providers given, in
// turn (IDs drawn from 3n/4).
func randomPassesOf(seed uint64, n int, provs ...resource.Provider) (full, rest []Finding, passes *Passes) {
	rng := rand.New(rand.NewPCG(seed, 2))
	sevs := []Severity{Critical, High, Medium, Low, Info}
	var refs []resource.Ref
	for i := range n {
		p := provs[i%len(provs)]
		refs = append(refs, resource.Ref{ID: fmt.Sprintf("r-%03d", rng.IntN(n*3/4)), Provider: p, Account: fmt.Sprint("acct-", rng.IntN(5))})
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

// TestSummarizeLargeMatchesPlain: a summary large enough that the
// providers' sets are filled on goroutines of their own (four providers,
// two in one goroutine) is what counting every finding plainly gives, with
// the PASS findings apart or not, filtered or not.
func TestSummarizeLargeMatchesPlain(t *testing.T) {
	full, rest, passes := randomPassesOf(3, 3000, resource.AWS, resource.Azure, resource.GCP, resource.K8s)
	if len(rest) < 1<<14 {
		t.Fatalf("only %d findings: the sets would be filled on one goroutine", len(rest))
	}
	rules := []RuleInfo{{ID: "rule-00", Title: "zero"}}
	check := func(name string, full, rest []Finding, passes *Passes) {
		t.Helper()
		want := plainSummary(full, rules)
		if got := Summarize(full, rules); !reflect.DeepEqual(got, want) {
			t.Fatalf("%s: summary of all findings:\n%+v\nwant\n%+v", name, got, want)
		}
		if got := SummarizeWith(rest, passes, rules); !reflect.DeepEqual(got, want) {
			t.Fatalf("%s: summary with passes apart:\n%+v\nwant\n%+v", name, got, want)
		}
	}
	check("all", full, rest, passes)
	flt := Filter{Providers: []string{"azure", "kubernetes"}, MinSeverity: Medium}
	passes.Filter(flt)
	check("filtered", flt.Apply(full), flt.Apply(rest), passes)
}

// plainSummary counts findings one by one into plain maps: what
// SummarizeWith must give.
func plainSummary(fs []Finding, rules []RuleInfo) Summary {
	s := Summary{BySeverity: map[Severity]Counts{}}
	byRule := map[string]*RuleSummary{}
	for _, r := range rules {
		byRule[r.ID] = &RuleSummary{RuleID: r.ID, Title: r.Title, Severity: r.Severity}
	}
	byProv := map[resource.Provider]*ProviderSummary{}
	ids, accts := map[resource.Provider]map[string]bool{}, map[resource.Provider]map[string]bool{}
	for i := range fs {
		f := &fs[i]
		s.Counts.Add(f)
		c := s.BySeverity[f.Severity]
		c.Add(f)
		s.BySeverity[f.Severity] = c
		if byRule[f.RuleID] == nil {
			byRule[f.RuleID] = &RuleSummary{RuleID: f.RuleID, Title: f.Title, Severity: f.Severity}
		}
		byRule[f.RuleID].Counts.Add(f)
		prov := f.Resource.Provider
		if byProv[prov] == nil {
			byProv[prov] = &ProviderSummary{Provider: prov}
			ids[prov], accts[prov] = map[string]bool{}, map[string]bool{}
		}
		byProv[prov].Counts.Add(f)
		ids[prov][f.Resource.ID] = true
		if f.Resource.Account != "" {
			accts[prov][f.Resource.Account] = true
		}
	}
	s.PostureScore = s.Counts.Score()
	s.Providers = []ProviderSummary{}
	for prov, p := range byProv {
		p.Resources, p.Accounts, p.PostureScore = len(ids[prov]), len(accts[prov]), p.Counts.Score()
		s.Resources += p.Resources
		s.Providers = append(s.Providers, *p)
	}
	slices.SortFunc(s.Providers, func(a, b ProviderSummary) int { return strings.Compare(string(a.Provider), string(b.Provider)) })
	for _, r := range byRule {
		s.Rules = append(s.Rules, *r)
	}
	slices.SortFunc(s.Rules, func(a, b RuleSummary) int { return strings.Compare(a.RuleID, b.RuleID) })
	return s
}

// TestPassesSortMatchesStableSort: the runs' resources come out as a
// stable sort by (ID, provider) orders them, whether their indexes ascend
// (ranked references) or not (compared), with equal references, over
// enough references to be ranked in merged parts.
func TestPassesSortMatchesStableSort(t *testing.T) {
	for _, n := range []int{0, 1, 50, 20000} {
		rng := rand.New(rand.NewPCG(uint64(n), 7))
		refs := make([]resource.Ref, n)
		for i := range refs {
			refs[i] = resource.Ref{ID: fmt.Sprintf("id-%d", rng.IntN(n/2+1)), Provider: []resource.Provider{resource.AWS, resource.Azure}[rng.IntN(2)]}
		}
		p := &Passes{Refs: refs}
		var want [][]int32
		for r := range 30 {
			var res []int32
			for j := range n {
				if rng.IntN(3) > 0 {
					res = append(res, int32(j))
				}
			}
			if r%3 == 2 {
				rng.Shuffle(len(res), func(a, b int) { res[a], res[b] = res[b], res[a] })
			}
			ref := slices.Clone(res)
			slices.SortStableFunc(ref, func(a, b int32) int {
				if c := strings.Compare(refs[a].ID, refs[b].ID); c != 0 {
					return c
				}
				return strings.Compare(string(refs[a].Provider), string(refs[b].Provider))
			})
			// Every run has its own rule, all of one severity: Sort keeps
			// the runs in rule order.
			p.Runs = append(p.Runs, PassRun{Proto: Finding{RuleID: fmt.Sprintf("rule-%02d", r), Severity: High}, Res: res})
			want = append(want, ref)
		}
		p.Sort()
		for r := range p.Runs {
			if !slices.Equal(p.Runs[r].Res, want[r]) {
				t.Fatalf("%d references, run %d: %v, want %v", n, r, head(p.Runs[r].Res), head(want[r]))
			}
		}
	}
}

func head(xs []int32) []int32 { return xs[:min(len(xs), 12)] }

// BenchmarkPassesSort sorts PASS runs shaped like a scan's: about 300 rules
// over the blocks of references of 25 classes, each run passing most of
// its class.
func BenchmarkPassesSort(b *testing.B) {
	rng := rand.New(rand.NewPCG(5, 6))
	const classes, perClass, runs = 25, 24000, 300
	refs := make([]resource.Ref, classes*perClass)
	for i := range refs {
		refs[i] = resource.Ref{ID: fmt.Sprintf("arn:aws:ec2:eu-west-1:1234567890%02d:thing/c%02d-%08d", rng.IntN(40), i/perClass, rng.IntN(1<<30)), Provider: resource.AWS}
	}
	var all []PassRun
	for r := range runs {
		c := rng.IntN(classes)
		var res []int32
		for j := range perClass {
			if rng.IntN(10) < 8 {
				res = append(res, int32(c*perClass+j))
			}
		}
		all = append(all, PassRun{Proto: Finding{RuleID: fmt.Sprintf("rule-%03d", r), Severity: Medium}, Res: res})
	}
	work := &Passes{Refs: refs, Runs: make([]PassRun, len(all))}
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		for i := range all {
			work.Runs[i] = PassRun{Proto: all[i].Proto, Res: slices.Clone(all[i].Res)}
		}
		work.order = nil // ranked again
		b.StartTimer()
		work.Sort()
	}
}
