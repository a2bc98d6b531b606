-- Attestations of framework controls made from the dashboard (vigil
-- serve): what a person stated about a control no rule decides (attested,
-- not-applicable or failed), with a note, an evidence link, who and when,
-- and an optional expiry. Every attestation is kept: a control's current
-- one is its newest (largest id); older ones are its history. They count
-- in a framework's score as vigil compliance --attestations counts them
-- (compliance.Decide), and no longer once expired.
CREATE TABLE attestations (
	id          {{autoid}},
	framework   TEXT   NOT NULL,
	control     TEXT   NOT NULL,
	status      TEXT   NOT NULL,
	note        TEXT   NOT NULL,
	evidence    TEXT   NOT NULL,
	attested_by TEXT   NOT NULL,
	attested_ms BIGINT NOT NULL,
	expires_ms  BIGINT
);
CREATE INDEX attestations_control ON attestations (framework, control, id);
