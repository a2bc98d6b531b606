package history_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/vigil-sec/vigil/internal/finding"
	"github.com/vigil-sec/vigil/internal/history"
)

// explorerHistory records four runs over 6 rules × 12 resources in two
// clouds: new, open, resolved, reopened and suppressed identities, and
// identities that never failed.
func explorerHistory(t *testing.T, s *history.Store) {
	t.Helper()
	sevs := []finding.Severity{finding.Critical, finding.High, finding.Medium, finding.Low, finding.Info}
	scan := func(shift int) []finding.Finding {
		var fs []finding.Finding
		for r := range 5 {
			for i := range 12 {
				res := fmt.Sprintf("b%02d", i)
				if i%3 == 0 {
					res = fmt.Sprintf("az:s%02d", i)
				}
				st := finding.Pass
				if (r+i+shift)%3 != 0 {
					st = finding.Fail
				}
				fs = append(fs, fnd(fmt.Sprintf("r%d", r), res, st, sevs[(r+i)%5]))
			}
		}
		for i := range 3 { // never failing
			fs = append(fs, fnd("r5", fmt.Sprintf("b%02d", i), finding.Pass, finding.High))
		}
		return fs
	}
	for d := range 4 {
		record(t, s, day(d), scan(d%2))
		if d == 1 {
			if _, _, err := s.Suppress(context.Background(), history.Suppression{RuleID: "r2", ResourceID: "*", Reason: "accepted", Owner: "ops"}, day(d).Add(time.Hour)); err != nil {
				t.Fatal(err)
			}
		}
	}
}

var explorerQueries = []history.FindingQuery{
	{},
	{States: []history.State{history.StateNew, history.StateOpen, history.StateReopened, history.StateSuppressed}},
	{States: []history.State{history.StateResolved}},
	{States: []history.State{""}},
	{Severities: []finding.Severity{finding.High, finding.Critical}},
	{Severities: []finding.Severity{finding.Low}, Providers: []string{"aws"}},
	{Providers: []string{"azure"}, Accounts: []string{"sub1"}, States: []history.State{history.StateOpen, history.StateReopened}},
	{Rules: []string{"r1", "r3"}, Severities: []finding.Severity{finding.Info, finding.Critical}},
	{Rules: []string{"r2"}},
	{Source: "org", Resource: "b01"},
	{Source: "elsewhere"},
}

// TestKeysetPaging pages through every order with After and finds the
// same findings in the same order as one large page, and as pages by
// offset.
func TestKeysetPaging(t *testing.T) {
	forEngines(t, func(t *testing.T, s *history.Store) {
		ctx := context.Background()
		explorerHistory(t, s)
		for _, base := range explorerQueries {
			for _, sort := range history.SortKeys {
				for _, desc := range []bool{false, true} {
					q := base
					q.Sort, q.Desc, q.Limit = sort, desc, 1000
					all, err := s.Findings(ctx, q)
					if err != nil {
						t.Fatal(err)
					}
					name := fmt.Sprintf("%+v", q)
					if base.Source != "elsewhere" && len(all) == 0 {
						t.Fatalf("%s: nothing", name)
					}
					q.Limit = 7
					var keyset, offset []int64
					for page := 0; page < 100; page++ {
						fs, err := s.Findings(ctx, q)
						if err != nil {
							t.Fatal(err)
						}
						for _, f := range fs {
							keyset = append(keyset, f.ID)
						}
						if len(fs) < q.Limit {
							break
						}
						q.After = fs[len(fs)-1].ID
					}
					q.After = 0
					for q.Offset = 0; q.Offset < 1000; q.Offset += q.Limit {
						fs, err := s.Findings(ctx, q)
						if err != nil {
							t.Fatal(err)
						}
						for _, f := range fs {
							offset = append(offset, f.ID)
						}
						if len(fs) < q.Limit {
							break
						}
					}
					for i, f := range all {
						if i >= len(keyset) || keyset[i] != f.ID || i >= len(offset) || offset[i] != f.ID {
							t.Fatalf("%s: finding %d is %d in one page, keyset %v, offset %v", name, i, f.ID, keyset, offset)
						}
					}
					if len(keyset) != len(all) || len(offset) != len(all) {
						t.Fatalf("%s: %d findings in one page, %d by keyset, %d by offset", name, len(all), len(keyset), len(offset))
					}
					if sort == "severity" {
						for i := 1; i < len(all); i++ {
							a, b := all[i-1], all[i]
							if a.Severity.Rank() < b.Severity.Rank() || a.Severity == b.Severity && a.ID < b.ID {
								t.Fatalf("%s: %v before %v: not worst first", name, a, b)
							}
						}
					}
				}
			}
		}
		if _, err := s.Findings(ctx, history.FindingQuery{After: 12345}); err == nil {
			t.Error("a page after a finding that does not exist: no error")
		}
	})
}

// TestCountsFromAggregates checks the counts and groupings summed from
// finding_counts against the findings themselves, over runs that create,
// resolve, reopen and suppress findings, and after the migration that
// builds finding_counts from an older store's findings.
func TestCountsFromAggregates(t *testing.T) {
	forEngines(t, func(t *testing.T, s *history.Store) {
		ctx := context.Background()
		explorerHistory(t, s)
		check := func(when string) {
			t.Helper()
			for _, q := range explorerQueries {
				q.Limit = 1000
				all, err := s.Findings(ctx, q)
				if err != nil {
					t.Fatal(err)
				}
				n, err := s.CountFindings(ctx, q)
				if err != nil {
					t.Fatal(err)
				}
				if n != len(all) {
					t.Errorf("%s: %+v: count %d, %d findings", when, q, n, len(all))
				}
				for _, by := range history.GroupKeys {
					gs, err := s.Group(ctx, by, q)
					if err != nil {
						t.Fatal(err)
					}
					want := map[string]int{}
					worst := map[string]finding.Severity{}
					for _, f := range all {
						k := map[string]string{"rule": f.RuleID, "resource": f.ResourceID, "account": f.Provider + "/" + f.Account,
							"provider": f.Provider, "severity": string(f.Severity), "state": string(f.State)}[by]
						want[k]++
						if f.Severity.Rank() > worst[k].Rank() {
							worst[k] = f.Severity
						}
					}
					total := 0
					for i, g := range gs {
						total += g.Count
						if want[g.Key] != g.Count || worst[g.Key] != g.Worst {
							t.Errorf("%s: %+v by %s: %+v, want %d worst %s", when, q, by, g, want[g.Key], worst[g.Key])
						}
						if i > 0 && gs[i-1].Count < g.Count {
							t.Errorf("%s: %+v by %s: not largest first: %+v", when, q, by, gs)
						}
					}
					if total != len(all) || len(gs) != len(want) {
						t.Errorf("%s: %+v by %s: %d groups of %d, want %d of %d", when, q, by, len(gs), total, len(want), len(all))
					}
				}
			}
		}
		check("after four runs and a suppression")
		// A partial run: absent failing identities stay failing (open).
		record(t, s, day(5), []finding.Finding{fnd("r9", "b99", finding.Fail, finding.High)}, "an input could not be read")
		check("after a partial run")
		// A complete run without most identities resolves them.
		record(t, s, day(6), []finding.Finding{fnd("r1", "b01", finding.Fail, finding.Critical), fnd("r9", "b99", finding.Pass, finding.High)})
		check("after a complete run that resolves")
		// Then a store from before migration 3: its counts are built
		// from its findings.
		db := s.DB()
		for _, q := range []string{"DROP TABLE finding_counts", "DELETE FROM schema_migrations WHERE version = 3"} {
			if _, err := db.ExecContext(ctx, q); err != nil {
				t.Fatal(err)
			}
		}
		if n, err := s.Migrate(ctx); err != nil || n != 1 {
			t.Fatalf("migrating again: %d, %v", n, err)
		}
		check("after migration 3 on the older store")
	})
}
