package history_test

import (
	"context"
	"testing"

	"github.com/vigil-sec/vigil/internal/finding"
	"github.com/vigil-sec/vigil/internal/history"
	"github.com/vigil-sec/vigil/internal/history/historytest"
)

// BenchmarkExplorer1M times the explorer's store queries for one user over
// 1,000,000 finding identities in 90 daily runs written by
// historytest.Fill: the first page worst first, a filtered page, the page
// after the 10,000th finding (keyset), a count and a grouping (both from
// finding_counts).
func BenchmarkExplorer1M(b *testing.B) {
	ctx := context.Background()
	failing := []history.State{history.StateNew, history.StateOpen, history.StateReopened, history.StateSuppressed}
	for _, e := range historytest.Engines() {
		b.Run(e.Name, func(b *testing.B) {
			s, err := history.Open(ctx, e.DSN(b))
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			st := historytest.Fill(ctx, b, s, historytest.Shape{Findings: 1_000_000, Runs: 90})
			b.Logf("filled %d findings over %d runs in %s", st.Findings, st.Runs, st.Took)
			cloud, account := historytest.Account(800)
			filtered := history.FindingQuery{States: failing, Severities: []finding.Severity{finding.Critical, finding.High},
				Providers: []string{cloud}, Accounts: []string{account}, Limit: 50}
			var deep int64
			q := history.FindingQuery{States: failing, Limit: 500}
			for range 20 {
				fs, err := s.Findings(ctx, q)
				if err != nil || len(fs) == 0 {
					b.Fatal(err)
				}
				q.After = fs[len(fs)-1].ID
			}
			deep = q.After
			for _, c := range []struct {
				name string
				run  func() error
			}{
				{"first-page", func() error { _, err := s.Findings(ctx, history.FindingQuery{States: failing, Limit: 50}); return err }},
				{"filtered", func() error { _, err := s.Findings(ctx, filtered); return err }},
				{"page-after-10000", func() error {
					_, err := s.Findings(ctx, history.FindingQuery{States: failing, Limit: 50, After: deep})
					return err
				}},
				{"count", func() error { _, err := s.CountFindings(ctx, history.FindingQuery{States: failing}); return err }},
				{"count-filtered", func() error { _, err := s.CountFindings(ctx, filtered); return err }},
				{"group-by-rule", func() error { _, err := s.Group(ctx, "rule", history.FindingQuery{States: failing}); return err }},
			} {
				b.Run(c.name, func(b *testing.B) {
					for b.Loop() {
						if err := c.run(); err != nil {
							b.Fatal(err)
						}
					}
				})
			}
		})
	}
}
