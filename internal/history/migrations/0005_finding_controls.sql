-- The framework references of each finding as rows, so a control's
-- evidence (the findings of the rules mapped to it) is read from an index
-- instead of matching every finding's frameworks JSON with LIKE. Written by
-- Record in the transaction that writes the finding (a new identity, or
-- one whose description changed: its rows are replaced); filled from the
-- findings' frameworks column when this migration is applied
-- (fillFindingControls, migrate.go). Keyed by finding, so a finding's rows
-- are replaced through the key; finding_controls_control answers "the
-- findings of (source, framework, control)".
CREATE TABLE finding_controls (
	finding_id BIGINT NOT NULL,
	framework  TEXT   NOT NULL,
	control    TEXT   NOT NULL,
	source     TEXT   NOT NULL,
	PRIMARY KEY (finding_id, framework, control)
) {{clustered}};
CREATE INDEX finding_controls_control ON finding_controls (source, framework, control, finding_id);
