-- Indexes for the findings explorer over a million findings, on both
-- engines: the default order (worst first: sev_rank DESC, id DESC) is read
-- straight from findings_rank, so the first page stops after a page; the
-- rule, account and resource indexes carry state and sev_rank, so a filter
-- or a grouping on them with a state or severity filter is answered from
-- the index alone.
DROP INDEX findings_state_rank;
DROP INDEX findings_rule;
DROP INDEX findings_account;
DROP INDEX findings_resource;
CREATE INDEX findings_rank ON findings (sev_rank, id, state);
CREATE INDEX findings_rule ON findings (rule_id, state, sev_rank);
CREATE INDEX findings_account ON findings (provider, account, state, sev_rank);
CREATE INDEX findings_resource ON findings (resource_id, state, sev_rank);
