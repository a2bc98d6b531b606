package history_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/vigil-sec/vigil/internal/finding"
	"github.com/vigil-sec/vigil/internal/history"
	"github.com/vigil-sec/vigil/internal/history/historytest"
)

// indexes lists the SQLite indexes with their definitions.
func indexes(t *testing.T, s *history.Store) []string {
	t.Helper()
	rows, err := s.DB().QueryContext(context.Background(), "SELECT name || ': ' || COALESCE(sql, '') FROM sqlite_master WHERE type = 'index' ORDER BY name")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}

// TestBulkRecord records scans large enough to be written in bulk (on
// SQLite, the findings' indexes dropped and built again): the schema
// comes back as it was and the explorer's queries, which read those
// indexes, answer as over a scan written row by row.
func TestBulkRecord(t *testing.T) {
	ctx := context.Background()
	n := history.BulkMin + 500
	for _, e := range historytest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			s := open(t, e)
			var before []string
			if s.Dialect() == history.SQLite {
				before = indexes(t, s)
			}
			for i, shift := range []int{0, 1} {
				run, err := s.Record(ctx, &history.Scan{Source: "bulk", Started: day(i), Findings: scanOf(n, shift)})
				if err != nil {
					t.Fatal(err)
				}
				if run.Total != n {
					t.Fatalf("run %d: %d findings recorded, want %d", i, run.Total, n)
				}
			}
			if s.Dialect() == history.SQLite {
				if after := indexes(t, s); !slices.Equal(before, after) {
					t.Fatalf("indexes after a bulk write:\n%q\nwant\n%q", after, before)
				}
			}
			// scanOf(n, 1) fails where (i+1)%3 == 0; those failing
			// before are resolved.
			var failing, resolved, crit int
			fs := scanOf(n, 1)
			for i := range fs {
				if fs[i].Status == finding.Fail {
					failing++
					if fs[i].Severity == finding.Critical && fs[i].RuleID == "rule-005" {
						crit++
					}
				} else if i%3 == 0 {
					resolved++
				}
			}
			for _, c := range []struct {
				q    history.FindingQuery
				want int
			}{
				{history.FindingQuery{States: []history.State{history.StateNew}}, failing},
				{history.FindingQuery{States: []history.State{history.StateResolved}}, resolved},
				{history.FindingQuery{States: []history.State{history.StateNew}, Severities: []finding.Severity{finding.Critical}, Rules: []string{"rule-005"}}, crit},
			} {
				got, err := s.CountFindings(ctx, c.q)
				if err != nil {
					t.Fatal(err)
				}
				q := c.q
				q.Limit = n
				page, err := s.Findings(ctx, q)
				if err != nil {
					t.Fatal(err)
				}
				if got != c.want || len(page) != c.want {
					t.Errorf("%+v: count %d, page %d, want %d", c.q, got, len(page), c.want)
				}
			}
		})
	}
}

// TestRunRewritesWhatChanged follows identities through runs that change
// only their lifecycle (a finding failing again), their state and status
// with the same description, and their description: each row read back
// holds what the last run said.
func TestRunRewritesWhatChanged(t *testing.T) {
	forEngines(t, func(t *testing.T, s *history.Store) {
		still := fnd("R1", "b1", finding.Fail, finding.High)
		flips := fnd("R1", "b2", finding.Fail, finding.High)
		desc := fnd("R1", "b3", finding.Fail, finding.High)
		never := fnd("R1", "b4", finding.Pass, finding.Low)
		record(t, s, day(0), []finding.Finding{still, flips, desc, never})
		record(t, s, day(1), []finding.Finding{still, flips, desc, never})
		// Run 3: b1 fails again (open → open: the lifecycle only), b2
		// passes (resolved), b3 fails with a new title and message, b4
		// turns UNKNOWN (never failed: its status only).
		flips.Status = finding.Pass
		desc.Title, desc.Message = "a new title", "a new message"
		never.Status = finding.Unknown
		r3 := record(t, s, day(2), []finding.Finding{still, flips, desc, never})
		got := states(t, s, "R1")
		for _, c := range []struct {
			res      string
			state    history.State
			status   finding.Status
			lastSeen time.Time
			lastRun  int64
			title    string
		}{
			{"b1", history.StateOpen, finding.Fail, day(2), r3.ID, "title of R1"},
			{"b2", history.StateResolved, finding.Pass, day(1), r3.ID, "title of R1"},
			{"b3", history.StateOpen, finding.Fail, day(2), r3.ID, "a new title"},
			{"b4", "", finding.Unknown, time.Time{}, r3.ID, "title of R1"},
		} {
			f := got[c.res]
			var last time.Time
			if f.LastSeen != nil {
				last = *f.LastSeen
			}
			if f.State != c.state || f.Status != c.status || !last.Equal(c.lastSeen) || f.LastRun != c.lastRun || f.Title != c.title {
				t.Errorf("%s: state %q status %s last seen %s last run %d title %q; want %q %s %s %d %q", c.res, f.State, f.Status,
					last, f.LastRun, f.Title, c.state, c.status, c.lastSeen, c.lastRun, c.title)
			}
		}
		if f := got["b3"]; f.Message != "a new message" {
			t.Errorf("b3 message %q", f.Message)
		}
	})
}
