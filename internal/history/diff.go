package history

import (
	"context"
	"fmt"

	"github.com/vigil-sec/vigil/internal/finding"
)

// Diff is what changed between two runs, A (the base) and B. Findings
// failing in B (suppressed ones included) that did not fail in A are new,
// or reopened when they had failed in A's run or before it; findings
// failing in A that no longer fail in B are resolved; Unchanged counts the
// findings failing in both. A finding UNKNOWN in B, or absent from B when B
// is not complete, is neither resolved nor unchanged: Undecided counts them.
type Diff struct {
	A         Run           `json:"a"`
	B         Run           `json:"b"`
	New       []DiffFinding `json:"new"`
	Reopened  []DiffFinding `json:"reopened"`
	Resolved  []DiffFinding `json:"resolved"`
	Unchanged int           `json:"unchanged"`
	Undecided int           `json:"undecided"`
}

// DiffFinding is a finding of a diff with its status in the run it is
// listed for (B for new and reopened, A for resolved).
type DiffFinding struct {
	Finding
	// Muted says the finding was suppressed in that run.
	Muted bool `json:"muted"`
}

// Active lists the new and reopened findings that are not suppressed and
// are at or above min (every one when min is "").
func (d *Diff) Active(min finding.Severity) []DiffFinding {
	var out []DiffFinding
	for _, l := range [][]DiffFinding{d.New, d.Reopened} {
		for _, f := range l {
			if !f.Muted && (min == "" || f.Severity.Rank() >= min.Rank()) {
				out = append(out, f)
			}
		}
	}
	return out
}

// Diff compares run b with run a; an error wrapping ErrNotFound names a
// run that does not exist.
func (s *Store) Diff(ctx context.Context, a, b int64) (*Diff, error) {
	ra, err := s.Run(ctx, a)
	if err != nil {
		return nil, err
	}
	rb, err := s.Run(ctx, b)
	if err != nil {
		return nil, err
	}
	d := &Diff{A: *ra, B: *rb, New: []DiffFinding{}, Reopened: []DiffFinding{}, Resolved: []DiffFinding{}}
	// Findings failing in one run and not in the other, worst first.
	// cond says what the other run holds of the finding.
	only := func(in, other int64, cond string, each func(f DiffFinding)) error {
		rows, err := s.db.QueryContext(ctx, s.rebind(`SELECT `+findingSelect+`, x.suppressed
FROM run_findings x JOIN findings f ON f.id = x.finding_id
WHERE x.run_id = ? AND x.status = 'FAIL' AND `+cond+`
ORDER BY f.sev_rank DESC, f.rule_id, f.resource_id, f.id`), in, other)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var muted int
			f, err := scanFinding(rows.Scan, &muted)
			if err != nil {
				return err
			}
			each(DiffFinding{Finding: *f, Muted: muted != 0})
		}
		return rows.Err()
	}
	const notFailing = `NOT EXISTS (SELECT 1 FROM run_findings y WHERE y.run_id = ? AND y.finding_id = x.finding_id AND y.status = 'FAIL')`
	if err := only(b, a, notFailing, func(f DiffFinding) {
		if f.FirstRun != nil && *f.FirstRun <= a {
			d.Reopened = append(d.Reopened, f)
		} else {
			d.New = append(d.New, f)
		}
	}); err != nil {
		return nil, fmt.Errorf("history: %w", err)
	}
	// Resolved: passing in B, or absent from a complete B.
	resolved := `NOT EXISTS (SELECT 1 FROM run_findings y WHERE y.run_id = ? AND y.finding_id = x.finding_id AND y.status <> 'PASS')`
	if rb.Status != RunComplete {
		resolved = `EXISTS (SELECT 1 FROM run_findings y WHERE y.run_id = ? AND y.finding_id = x.finding_id AND y.status = 'PASS')`
	}
	if err := only(a, b, resolved, func(f DiffFinding) { d.Resolved = append(d.Resolved, f) }); err != nil {
		return nil, fmt.Errorf("history: %w", err)
	}
	if err := s.db.QueryRowContext(ctx, s.rebind(`SELECT COUNT(*) FROM run_findings x
WHERE x.run_id = ? AND x.status = 'FAIL' AND EXISTS (
	SELECT 1 FROM run_findings y WHERE y.run_id = ? AND y.finding_id = x.finding_id AND y.status = 'FAIL')`), b, a).Scan(&d.Unchanged); err != nil {
		return nil, fmt.Errorf("history: %w", err)
	}
	var failingA int
	if err := s.db.QueryRowContext(ctx, s.rebind(`SELECT COUNT(*) FROM run_findings WHERE run_id = ? AND status = 'FAIL'`), a).Scan(&failingA); err != nil {
		return nil, fmt.Errorf("history: %w", err)
	}
	d.Undecided = failingA - d.Unchanged - len(d.Resolved)
	return d, nil
}
