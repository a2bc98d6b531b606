package history_test

import (
	"context"
	"slices"
	"testing"

	"github.com/vigil-sec/vigil/internal/finding"
	"github.com/vigil-sec/vigil/internal/history"
)

// controlIndex reads finding_controls as "source framework control rule resource" lines.
func controlIndex(t *testing.T, s *history.Store) []string {
	t.Helper()
	rows, err := s.DB().QueryContext(context.Background(), `SELECT c.source, c.framework, c.control, f.rule_id, f.resource_id
FROM finding_controls c JOIN findings f ON f.id = c.finding_id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var a, b, c, d, e string
		if err := rows.Scan(&a, &b, &c, &d, &e); err != nil {
			t.Fatal(err)
		}
		out = append(out, a+" "+b+" "+c+" "+d+" "+e)
	}
	slices.Sort(out)
	return out
}

func TestFindingControlsIndex(t *testing.T) {
	forEngines(t, func(t *testing.T, s *history.Store) {
		ctx := context.Background()
		a := fnd("r1", "a", finding.Fail, finding.High)
		b := fnd("r2", "b", finding.Pass, finding.Low)
		b.Frameworks = []finding.Reference{{Framework: "soc2", Control: "CC7.2"}, {Framework: "soc2", Control: "CC7.2"}}
		record(t, s, day(0), []finding.Finding{a, b})
		want := []string{"org cis-aws-7.0 2.1.1 r1 a", "org soc2 CC6.1 r1 a", "org soc2 CC7.2 r2 b"}
		if got := controlIndex(t, s); !slices.Equal(got, want) {
			t.Fatalf("after the first run:\n%q\nwant\n%q", got, want)
		}
		// b's mapping changes (a rule's new version): its rows are replaced;
		// a, unchanged, keeps its rows.
		b.Frameworks = []finding.Reference{{Framework: "hipaa", Control: "164.312(b)"}}
		record(t, s, day(1), []finding.Finding{a, b})
		want = []string{"org cis-aws-7.0 2.1.1 r1 a", "org hipaa 164.312(b) r2 b", "org soc2 CC6.1 r1 a"}
		if got := controlIndex(t, s); !slices.Equal(got, want) {
			t.Fatalf("after b's mapping changed:\n%q\nwant\n%q", got, want)
		}
		// A store from before migration 0005 gets the index filled from
		// its findings' frameworks when it is applied.
		for _, q := range []string{"DROP TABLE finding_controls", "DELETE FROM schema_migrations WHERE version = 5"} {
			if _, err := s.DB().ExecContext(ctx, q); err != nil {
				t.Fatal(err)
			}
		}
		if n, err := s.Migrate(ctx); err != nil || n != 1 {
			t.Fatalf("migrating again: %d, %v", n, err)
		}
		if got := controlIndex(t, s); !slices.Equal(got, want) {
			t.Fatalf("filled by the migration:\n%q\nwant\n%q", got, want)
		}
		if err := s.RebuildFindingControls(ctx); err != nil {
			t.Fatal(err)
		}
		if got := controlIndex(t, s); !slices.Equal(got, want) {
			t.Fatalf("rebuilt:\n%q\nwant\n%q", got, want)
		}
	})
}
