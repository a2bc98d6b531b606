-- Audit-log follow of the job queue (internal/jobs, a schedule's logs:
-- entries): one row per followed folder, its detection checkpoint (which
-- files were read, how far, and the correlation state; detect.Checkpoint as
-- JSON), advanced by each follow job in the same transaction as its job run
-- turning completed, so a job killed before that reads the same files again
-- and one killed after it is not run again. seq guards against two jobs
-- advancing the same checkpoint from the same state. Numbered apart from
-- the history's own migrations (kept by internal/jobs' owners).
CREATE TABLE job_follow (
	name        TEXT    NOT NULL,
	dir         TEXT    NOT NULL,
	checkpoint  TEXT    NOT NULL,
	seq         BIGINT  NOT NULL,
	files       INTEGER NOT NULL,
	job_id      BIGINT  NOT NULL,
	updated_ms  BIGINT  NOT NULL,
	PRIMARY KEY (name, dir)
);
