-- The history store: runs, finding identities with their lifecycle, the
-- findings of each run, each run's posture, and suppressions.
-- One schema for SQLite and PostgreSQL; three tokens stand for what the
-- engines spell differently: {{autoid}} a generated 64-bit key, {{id64}} a
-- 64-bit key given by vigil (SQLite's rowid), {{clustered}} a table stored
-- in its primary key's order (SQLite WITHOUT ROWID; nothing on PostgreSQL).
-- Times are Unix milliseconds (UTC).

CREATE TABLE runs (
	id             {{autoid}},
	source         TEXT    NOT NULL,
	kind           TEXT    NOT NULL,
	status         TEXT    NOT NULL,
	started_ms     BIGINT  NOT NULL,
	finished_ms    BIGINT  NOT NULL,
	duration_ms    BIGINT  NOT NULL,
	inputs         TEXT    NOT NULL,
	errors         TEXT    NOT NULL,
	version        TEXT    NOT NULL,
	total          INTEGER NOT NULL,
	fail           INTEGER NOT NULL,
	pass           INTEGER NOT NULL,
	unknown        INTEGER NOT NULL,
	suppressed     INTEGER NOT NULL,
	score          DOUBLE PRECISION,
	new_count      INTEGER NOT NULL,
	reopened_count INTEGER NOT NULL,
	resolved_count INTEGER NOT NULL
);
CREATE INDEX runs_source_started ON runs (source, started_ms);

-- One row per finding identity (source, rule, provider, resource): its
-- latest description and its lifecycle. id is Identity's stable hash of
-- (source, rule_id, provider, resource_id).
CREATE TABLE findings (
	id                  {{id64}},
	source              TEXT    NOT NULL,
	rule_id             TEXT    NOT NULL,
	provider            TEXT    NOT NULL,
	resource_id         TEXT    NOT NULL,
	resource_type       TEXT    NOT NULL,
	resource_name       TEXT    NOT NULL,
	account             TEXT    NOT NULL,
	region              TEXT    NOT NULL,
	title               TEXT    NOT NULL,
	category            TEXT    NOT NULL,
	severity            TEXT    NOT NULL,
	sev_rank            INTEGER NOT NULL,
	frameworks          TEXT    NOT NULL,
	status              TEXT    NOT NULL,
	state               TEXT    NOT NULL,
	message             TEXT    NOT NULL,
	first_seen_ms       BIGINT,
	last_seen_ms        BIGINT,
	opened_ms           BIGINT,
	resolved_ms         BIGINT,
	resolve_ms          BIGINT,
	first_run           BIGINT,
	-- last_run is the last run that changed the row (every run while it
	-- fails).
	last_run            BIGINT  NOT NULL,
	reopen_count        INTEGER NOT NULL,
	suppress_reason     TEXT    NOT NULL,
	suppress_owner      TEXT    NOT NULL,
	suppress_expires_ms BIGINT,
	-- digest is a hash of the description and status: an identity that
	-- neither fails nor changed is not rewritten by a run.
	digest              BIGINT  NOT NULL
);
CREATE INDEX findings_state_rank ON findings (state, sev_rank, id);
CREATE INDEX findings_rule ON findings (rule_id);
CREATE INDEX findings_account ON findings (provider, account);
CREATE INDEX findings_resource ON findings (resource_id);

-- The findings one run saw, with the lifecycle state they had in it.
CREATE TABLE run_findings (
	run_id     BIGINT  NOT NULL,
	finding_id BIGINT  NOT NULL,
	status     TEXT    NOT NULL,
	state      TEXT    NOT NULL,
	severity   TEXT    NOT NULL,
	suppressed INTEGER NOT NULL,
	PRIMARY KEY (run_id, finding_id)
) {{clustered}};
CREATE INDEX run_findings_finding ON run_findings (finding_id, run_id);

-- A run's posture: scope all, cloud (provider), account (provider,
-- account), framework (framework; pass/fail count controls) or control
-- (framework, control). Unused key columns are ''.
CREATE TABLE run_posture (
	run_id     BIGINT  NOT NULL,
	scope      TEXT    NOT NULL,
	provider   TEXT    NOT NULL,
	account    TEXT    NOT NULL,
	framework  TEXT    NOT NULL,
	control    TEXT    NOT NULL,
	pass       INTEGER NOT NULL,
	fail       INTEGER NOT NULL,
	unknown    INTEGER NOT NULL,
	suppressed INTEGER NOT NULL,
	score      DOUBLE PRECISION,
	status     TEXT    NOT NULL,
	PRIMARY KEY (run_id, scope, provider, account, framework, control)
) {{clustered}};
CREATE INDEX run_posture_key ON run_posture (scope, provider, account, framework, control, run_id);

-- Suppressions recorded with vigil history suppress: rule and resource
-- ('*' for every resource of the rule), in one source or in all ('').
CREATE TABLE suppressions (
	id          {{autoid}},
	source      TEXT   NOT NULL,
	rule_id     TEXT   NOT NULL,
	resource_id TEXT   NOT NULL,
	reason      TEXT   NOT NULL,
	owner       TEXT   NOT NULL,
	expires_ms  BIGINT,
	created_ms  BIGINT NOT NULL
);
CREATE INDEX suppressions_rule ON suppressions (rule_id);
