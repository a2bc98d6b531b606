package history

// Reads for the dashboard's job and overview pages, kept apart from the
// lifecycle code by the job queue's owners.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// JobRunByID returns the run of one job (ErrNotFound when it has none).
func (s *Store) JobRunByID(ctx context.Context, jobID int64) (*JobRun, error) {
	var jr JobRun
	var started int64
	var finished sql.NullInt64
	err := s.db.QueryRowContext(ctx, s.rebind(`SELECT job_id, kind, source, account, region, args, status, attempt, worker,
	started_ms, finished_ms, COALESCE(duration_ms, 0), error, result, COALESCE(run_id, 0)
FROM job_runs WHERE job_id = ?`), jobID).Scan(&jr.JobID, &jr.Kind, &jr.Source, &jr.Account, &jr.Region, &jr.Args, &jr.Status, &jr.Attempt, &jr.Worker,
		&started, &finished, &jr.DurationMS, &jr.Error, &jr.Result, &jr.RunID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("history: job %d: %w", jobID, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("history: job %d: %w", jobID, err)
	}
	jr.Started = msTime(started)
	if finished.Valid {
		t := msTime(finished.Int64)
		jr.Finished = &t
	}
	return &jr, nil
}

// LatestRuns returns the latest run of each source (by start time, the
// highest ID on a tie), at most limit sources (default 200) in source
// order.
func (s *Store) LatestRuns(ctx context.Context, limit int) ([]Run, error) {
	if limit <= 0 {
		limit = 200
	}
	rows, err := s.db.QueryContext(ctx, s.rebind(`SELECT r.source, MAX(r.id) FROM runs r
WHERE r.started_ms = (SELECT MAX(x.started_ms) FROM runs x WHERE x.source = r.source)
GROUP BY r.source ORDER BY r.source LIMIT ?`), limit)
	if err != nil {
		return nil, fmt.Errorf("history: %w", err)
	}
	var ids []int64
	for rows.Next() {
		var src string
		var id int64
		if err := rows.Scan(&src, &id); err != nil {
			rows.Close()
			return nil, fmt.Errorf("history: %w", err)
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("history: %w", err)
	}
	out := make([]Run, 0, len(ids))
	for _, id := range ids {
		run, err := s.Run(ctx, id)
		if err != nil {
			return nil, err
		}
		out = append(out, *run)
	}
	return out, nil
}
