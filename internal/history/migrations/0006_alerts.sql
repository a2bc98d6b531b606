-- Detection alerts (OCSF Detection Findings, vigil detect's output) shared
-- by every vigil serve process on the database: written by the job
-- queue's follow jobs in the transaction that advances their checkpoint
-- (once per alert, whichever worker ran the job), and by vigil serve from
-- the alert files it is given (--alerts). uid is the alert's
-- finding_info.uid, which detect derives from the rule and its events:
-- the same alert read twice is one row. data is the alert's JSON.
CREATE TABLE alerts (
	uid         TEXT    PRIMARY KEY,
	time_ms     BIGINT  NOT NULL,
	sev_rank    INTEGER NOT NULL,
	severity    TEXT    NOT NULL,
	rule        TEXT    NOT NULL,
	title       TEXT    NOT NULL,
	cloud       TEXT    NOT NULL,
	account     TEXT    NOT NULL,
	actor       TEXT    NOT NULL,
	api         TEXT    NOT NULL,
	origin      TEXT    NOT NULL,
	recorded_ms BIGINT  NOT NULL,
	data        TEXT    NOT NULL
);
CREATE INDEX alerts_time ON alerts (time_ms, uid);
CREATE INDEX alerts_rule ON alerts (rule, time_ms);
