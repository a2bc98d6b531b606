package history

// Job runs: the record the job queue (internal/jobs) keeps of each job it
// works, beside the history runs its scan jobs record. Kept in a file of
// its own (with migrations/0010_job_runs.sql) so that it stays apart from
// the lifecycle code.

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// Job run statuses.
const (
	JobRunning   = "running"
	JobCompleted = "completed"
	JobFailed    = "failed"
)

// JobRun is one queued job as worked: its inputs, the attempt, the worker
// that ran it, its status, duration and error, and the history run a scan
// job recorded.
type JobRun struct {
	JobID   int64  `json:"job_id"`
	Kind    string `json:"kind"`
	Source  string `json:"source"`
	Account string `json:"account,omitempty"`
	Region  string `json:"region,omitempty"`
	// Args are the job's inputs as JSON.
	Args       string     `json:"args"`
	Status     string     `json:"status"`
	Attempt    int        `json:"attempt"`
	Worker     string     `json:"worker"`
	Started    time.Time  `json:"started"`
	Finished   *time.Time `json:"finished,omitempty"`
	DurationMS int64      `json:"duration_ms"`
	Error      string     `json:"error,omitempty"`
	// Result says in a line what the job produced (a scan's run and
	// counts, a detection's alerts and their file).
	Result string `json:"result,omitempty"`
	RunID  int64  `json:"run_id,omitempty"`
}

// StartJobRun records that an attempt of a job began: a new row, or, for a
// job run again (a retry, or a rescue after its worker died), the row
// updated to this attempt. A completed job's row is left as it is.
func (s *Store) StartJobRun(ctx context.Context, jr JobRun) error {
	if jr.Started.IsZero() {
		jr.Started = time.Now()
	}
	_, err := s.db.ExecContext(ctx, s.rebind(`INSERT INTO job_runs (job_id, kind, source, account, region, args, status, attempt, worker,
	started_ms, finished_ms, duration_ms, error, run_id)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, '', NULL)
ON CONFLICT (job_id) DO UPDATE SET status = excluded.status, attempt = excluded.attempt, worker = excluded.worker,
	started_ms = excluded.started_ms, finished_ms = NULL, duration_ms = NULL, error = '', result = ''
WHERE job_runs.status <> 'completed'`),
		jr.JobID, jr.Kind, jr.Source, jr.Account, jr.Region, jr.Args, JobRunning, jr.Attempt, jr.Worker, jr.Started.UnixMilli())
	if err != nil {
		return fmt.Errorf("history: job %d: %w", jr.JobID, err)
	}
	return nil
}

// FinishJobRun records the end of a job's attempt that recorded no scan
// run (status JobCompleted or JobFailed, with its error and result). A
// completed row is left as it is.
func (s *Store) FinishJobRun(ctx context.Context, jobID int64, status, errText, result string, finished time.Time) error {
	if status != JobCompleted && status != JobFailed {
		return fmt.Errorf("history: job status %q (want %s or %s)", status, JobCompleted, JobFailed)
	}
	_, err := s.db.ExecContext(ctx, s.rebind(`UPDATE job_runs SET status = ?, error = ?, result = ?, finished_ms = ?, duration_ms = ? - started_ms
WHERE job_id = ? AND status <> 'completed'`), status, errText, result, finished.UnixMilli(), finished.UnixMilli(), jobID)
	if err != nil {
		return fmt.Errorf("history: job %d: %w", jobID, err)
	}
	return nil
}

// RecordJobScan records a scan job's run and marks the job completed, in
// one transaction, so a job records at most one run: when the job is
// already completed (a worker died after recording, and the queue ran the
// job again) nothing is recorded and the run recorded then is returned,
// with again true. The job's row must exist (StartJobRun).
func (s *Store) RecordJobScan(ctx context.Context, jobID int64, sc *Scan) (run *Run, again bool, err error) {
	run, findings, now, err := prepareRun(sc)
	if err != nil {
		return nil, false, err
	}
	tx, err := s.begin(ctx, lock{key: writersLock, shared: true}, lock{key: Identity(sc.Source, "", "", "")})
	if err != nil {
		return nil, false, fmt.Errorf("history: %w", err)
	}
	defer tx.rollback(ctx)
	var status string
	var prev sql.NullInt64
	found := false
	if err := tx.query(ctx, "SELECT status, run_id FROM job_runs WHERE job_id = ?", []any{jobID}, func(scan func(...any) error) error {
		found = true
		return scan(&status, &prev)
	}); err != nil {
		return nil, false, fmt.Errorf("history: job %d: %w", jobID, err)
	}
	if !found {
		return nil, false, fmt.Errorf("history: job %d: %w (StartJobRun first)", jobID, ErrNotFound)
	}
	if status == JobCompleted {
		tx.rollback(ctx)
		if !prev.Valid {
			return nil, true, nil
		}
		r, err := s.Run(ctx, prev.Int64)
		return r, true, err
	}
	if err := s.record(ctx, tx, sc, run, findings, now); err != nil {
		return nil, false, fmt.Errorf("history: recording the run: %w", err)
	}
	jobStatus, errText := JobCompleted, ""
	if run.Status == RunFailed {
		jobStatus = JobFailed
		if len(run.Errors) > 0 {
			errText = run.Errors[0]
		}
	}
	fin := time.Now().UnixMilli()
	result := fmt.Sprintf("run %d: %s, %d findings, %d failing", run.ID, run.Status, run.Total, run.Fail)
	if _, err := tx.exec(ctx, `UPDATE job_runs SET status = ?, error = ?, result = ?, run_id = ?, finished_ms = ?, duration_ms = ? - started_ms
WHERE job_id = ?`, jobStatus, errText, result, run.ID, fin, fin, jobID); err != nil {
		return nil, false, fmt.Errorf("history: job %d: %w", jobID, err)
	}
	if err := tx.commit(ctx); err != nil {
		return nil, false, fmt.Errorf("history: %w", err)
	}
	return run, false, nil
}

// JobRunQuery selects job runs.
type JobRunQuery struct {
	// Status keeps the runs of this status (running, completed, failed).
	Status string
	// Limit is the most returned, newest first (default 100).
	Limit int
}

// JobRuns lists job runs, newest first.
func (s *Store) JobRuns(ctx context.Context, q JobRunQuery) ([]JobRun, error) {
	limit := q.Limit
	if limit <= 0 {
		limit = 100
	}
	where, args := "", []any{}
	if q.Status != "" {
		where = " WHERE status = ?"
		args = append(args, q.Status)
	}
	args = append(args, limit)
	rows, err := s.db.QueryContext(ctx, s.rebind(`SELECT job_id, kind, source, account, region, args, status, attempt, worker,
	started_ms, finished_ms, COALESCE(duration_ms, 0), error, result, COALESCE(run_id, 0)
FROM job_runs`+where+` ORDER BY started_ms DESC, job_id DESC LIMIT ?`), args...)
	if err != nil {
		return nil, fmt.Errorf("history: %w", err)
	}
	defer rows.Close()
	var out []JobRun
	for rows.Next() {
		var jr JobRun
		var started int64
		var finished sql.NullInt64
		if err := rows.Scan(&jr.JobID, &jr.Kind, &jr.Source, &jr.Account, &jr.Region, &jr.Args, &jr.Status, &jr.Attempt, &jr.Worker,
			&started, &finished, &jr.DurationMS, &jr.Error, &jr.Result, &jr.RunID); err != nil {
			return nil, fmt.Errorf("history: %w", err)
		}
		jr.Started = msTime(started)
		if finished.Valid {
			t := msTime(finished.Int64)
			jr.Finished = &t
		}
		out = append(out, jr)
	}
	return out, rows.Err()
}
