package history_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/vigil-sec/vigil/internal/finding"
	"github.com/vigil-sec/vigil/internal/history"
	"github.com/vigil-sec/vigil/internal/history/historytest"
)

// BenchmarkQueries1M times the findings explorer's queries over 1,000,000
// finding identities (ten sources of 100,000, a third failing): the first
// page worst first, a filtered page, a count and a grouping. The store is
// built once per engine (about a minute).
func BenchmarkQueries1M(b *testing.B) {
	ctx := context.Background()
	for _, e := range historytest.Engines() {
		b.Run(e.Name, func(b *testing.B) {
			s, err := history.Open(ctx, e.DSN(b))
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			fs := scanOf(100_000, 0)
			for i := range 10 {
				if _, err := s.Record(ctx, &history.Scan{Source: fmt.Sprintf("org-%d", i), Started: t0.Add(time.Duration(i) * time.Hour), Findings: fs}); err != nil {
					b.Fatal(err)
				}
			}
			failing := []history.State{history.StateNew, history.StateOpen, history.StateReopened, history.StateSuppressed}
			for _, q := range []struct {
				name string
				run  func() error
			}{
				{"first-page", func() error {
					_, err := s.Findings(ctx, history.FindingQuery{States: failing, Limit: 50})
					return err
				}},
				{"filtered", func() error {
					_, err := s.Findings(ctx, history.FindingQuery{States: failing, Severities: []finding.Severity{finding.Critical},
						Providers: []string{"azure"}, Accounts: []string{"sub-3"}, Limit: 50})
					return err
				}},
				{"page-20", func() error {
					_, err := s.Findings(ctx, history.FindingQuery{States: failing, Limit: 50, Offset: 1000})
					return err
				}},
				{"count", func() error {
					_, err := s.CountFindings(ctx, history.FindingQuery{States: failing})
					return err
				}},
				{"group-by-rule", func() error {
					_, err := s.Group(ctx, "rule", history.FindingQuery{States: failing})
					return err
				}},
			} {
				b.Run(q.name, func(b *testing.B) {
					for b.Loop() {
						if err := q.run(); err != nil {
							b.Fatal(err)
						}
					}
				})
			}
		})
	}
}
