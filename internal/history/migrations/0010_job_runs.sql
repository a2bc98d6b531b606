-- Job runs of vigil serve's and vigil worker's job queue (internal/jobs):
-- one row per queued job (job_id is the queue's job ID), kept idempotent
-- across retries: a job re-run after its worker died updates its row, and
-- a scan job's history run is recorded in the same transaction as the row
-- turning completed, so a job records at most one run.
CREATE TABLE job_runs (
	job_id      BIGINT  PRIMARY KEY,
	kind        TEXT    NOT NULL,
	source      TEXT    NOT NULL,
	account     TEXT    NOT NULL,
	region      TEXT    NOT NULL,
	args        TEXT    NOT NULL,
	status      TEXT    NOT NULL,
	attempt     INTEGER NOT NULL,
	worker      TEXT    NOT NULL,
	started_ms  BIGINT  NOT NULL,
	finished_ms BIGINT,
	duration_ms BIGINT,
	error       TEXT    NOT NULL,
	run_id      BIGINT
);
CREATE INDEX job_runs_started ON job_runs (started_ms);
