package history

// The job queue's audit-log follow (internal/jobs): each followed folder's
// detection checkpoint, advanced in the same transaction as the follow
// job's run turning completed (migrations/0020_job_follow.sql). Kept in a
// file of its own, apart from the lifecycle code, by the job queue's
// owners.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// ErrFollowMoved is returned by RecordJobFollow when the checkpoint was
// advanced by another job since it was read: the job must read it again.
var ErrFollowMoved = errors.New("the follow checkpoint was advanced by another job")

// FollowState is a followed folder's checkpoint as stored: Seq is 0 when
// nothing was recorded yet, and grows by one with each job that advances
// it.
type FollowState struct {
	Name       string    `json:"name"`
	Dir        string    `json:"dir"`
	Checkpoint []byte    `json:"-"`
	Seq        int64     `json:"seq"`
	Files      int       `json:"files"`
	JobID      int64     `json:"job_id,omitempty"`
	Updated    time.Time `json:"updated"`
}

// FollowState reads the checkpoint of the folder dir followed as name (Seq
// 0 and no checkpoint when none was recorded).
func (s *Store) FollowState(ctx context.Context, name, dir string) (FollowState, error) {
	st := FollowState{Name: name, Dir: dir}
	var cp string
	var updated int64
	err := s.db.QueryRowContext(ctx, s.rebind(`SELECT checkpoint, seq, files, job_id, updated_ms FROM job_follow WHERE name = ? AND dir = ?`), name, dir).
		Scan(&cp, &st.Seq, &st.Files, &st.JobID, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return st, nil
	}
	if err != nil {
		return st, fmt.Errorf("history: follow %s: %w", name, err)
	}
	st.Checkpoint, st.Updated = []byte(cp), msTime(updated)
	return st, nil
}

// JobRunStatus is the status of a job's run ("" when the job has no run).
func (s *Store) JobRunStatus(ctx context.Context, jobID int64) (string, error) {
	var status string
	err := s.db.QueryRowContext(ctx, s.rebind(`SELECT status FROM job_runs WHERE job_id = ?`), jobID).Scan(&status)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("history: job %d: %w", jobID, err)
	}
	return status, nil
}

// RecordJobFollow stores the checkpoint a follow job reached from prev
// (as FollowState read it, Seq included) and marks the job completed with
// its result and error text, in one transaction. When the job is already
// completed (an earlier attempt recorded it) nothing changes and again is
// true. When another job advanced the checkpoint since prev was read it
// returns ErrFollowMoved and nothing changes. The job's row must exist
// (StartJobRun). The alerts the job raised are recorded in the same
// transaction: once, whichever attempt commits.
func (s *Store) RecordJobFollow(ctx context.Context, jobID int64, prev FollowState, checkpoint []byte, files int, result, errText string, alerts ...Alert) (again bool, err error) {
	tx, err := s.begin(ctx, lock{key: Identity("job_follow", prev.Name, "", prev.Dir)})
	if err != nil {
		return false, fmt.Errorf("history: %w", err)
	}
	defer tx.rollback(ctx)
	var status string
	found := false
	if err := tx.query(ctx, "SELECT status FROM job_runs WHERE job_id = ?", []any{jobID}, func(scan func(...any) error) error {
		found = true
		return scan(&status)
	}); err != nil {
		return false, fmt.Errorf("history: job %d: %w", jobID, err)
	}
	if !found {
		return false, fmt.Errorf("history: job %d: %w (StartJobRun first)", jobID, ErrNotFound)
	}
	if status == JobCompleted {
		return true, nil
	}
	now := time.Now().UnixMilli()
	var n int64
	if prev.Seq == 0 {
		n, err = tx.exec(ctx, `INSERT INTO job_follow (name, dir, checkpoint, seq, files, job_id, updated_ms) VALUES (?, ?, ?, 1, ?, ?, ?)
ON CONFLICT (name, dir) DO NOTHING`, prev.Name, prev.Dir, string(checkpoint), files, jobID, now)
	} else {
		n, err = tx.exec(ctx, `UPDATE job_follow SET checkpoint = ?, seq = seq + 1, files = ?, job_id = ?, updated_ms = ?
WHERE name = ? AND dir = ? AND seq = ?`, string(checkpoint), files, jobID, now, prev.Name, prev.Dir, prev.Seq)
	}
	if err != nil {
		return false, fmt.Errorf("history: follow %s: %w", prev.Name, err)
	}
	if n != 1 {
		return false, fmt.Errorf("history: follow %s: %w", prev.Name, ErrFollowMoved)
	}
	if _, err := tx.exec(ctx, `UPDATE job_runs SET status = ?, error = ?, result = ?, finished_ms = ?, duration_ms = ? - started_ms
WHERE job_id = ?`, JobCompleted, errText, result, now, now, jobID); err != nil {
		return false, fmt.Errorf("history: job %d: %w", jobID, err)
	}
	if err := insertAlerts(ctx, tx, alerts, msTime(now)); err != nil {
		return false, fmt.Errorf("history: job %d: alerts: %w", jobID, err)
	}
	if err := tx.commit(ctx); err != nil {
		return false, fmt.Errorf("history: %w", err)
	}
	return false, nil
}
