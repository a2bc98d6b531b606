-- What a job run produced, in a line: a scan job's run and counts, a
-- detection job's alerts and where they were written.
ALTER TABLE job_runs ADD COLUMN result TEXT NOT NULL DEFAULT '';
