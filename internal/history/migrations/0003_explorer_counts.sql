-- The findings explorer over a million findings (both engines):
--
-- finding_counts holds how many identities each (source, rule, cloud,
-- account, severity, state) has as they stand, written with each run (and
-- each suppression) in the transaction that changes them, so a count or a
-- grouping by rule, account, cloud, severity or state sums a few thousand
-- rows instead of counting a million.
--
-- The rule and account indexes follow the default order (worst first:
-- sev_rank DESC, id DESC) after their key, so a page filtered on them reads
-- one severity at a time in order and stops after a page; state, last,
-- is checked in the index.
CREATE TABLE finding_counts (
	source   TEXT    NOT NULL,
	rule_id  TEXT    NOT NULL,
	provider TEXT    NOT NULL,
	account  TEXT    NOT NULL,
	sev_rank INTEGER NOT NULL,
	state    TEXT    NOT NULL,
	n        BIGINT  NOT NULL,
	PRIMARY KEY (source, rule_id, provider, account, sev_rank, state)
) {{clustered}};
INSERT INTO finding_counts (source, rule_id, provider, account, sev_rank, state, n)
SELECT source, rule_id, provider, account, sev_rank, state, COUNT(*) FROM findings
GROUP BY source, rule_id, provider, account, sev_rank, state;
DROP INDEX findings_rule;
DROP INDEX findings_account;
CREATE INDEX findings_rule ON findings (rule_id, sev_rank, id, state);
CREATE INDEX findings_account ON findings (provider, account, sev_rank, id, state);
