// Package history is vigil's history store: every recorded scan run, the
// findings each run saw, the lifecycle of each finding across runs, and the
// posture trend.
//
// A finding's identity is its source, rule ID, provider and resource ID
// (Identity): the same rule on the same resource in later runs of the same
// source is the same finding. When a run is recorded (Store.Record) the
// lifecycle of every identity is computed once and stored:
//
//	new         failing for the first time in this run
//	open        failing, and already failing in the previous run
//	reopened    failing again after it was resolved
//	suppressed  failing, but muted (a suppression with reason, owner and
//	            optional expiry, or the scan's own suppressions file); an
//	            expired suppression no longer applies
//	resolved    failed before, and now passes or is absent from a complete
//	            run (an UNKNOWN result or a run with input errors leaves it
//	            as it was)
//
// An identity that never failed has the empty state. First and last seen
// are the first and last runs in which it failed; time to resolve is the
// time from the start of its last failing period to its resolution.
//
// Each run also stores its posture: counts and score overall and per cloud,
// account, framework and control, with the scores the reports define
// (finding.Counts.Score for findings, compliance.FrameworkSummary.Score for
// a framework's controls), so a trend is a query.
//
// The findings explorer's queries (Findings, CountFindings, Group) stay
// fast over a million identities: the default order (worst first) is read
// one severity at a time from indexes in (rank, ID) order, a page starts
// after the previous page's last finding (FindingQuery.After, keyset
// paging), and counts and groupings are summed from finding_counts, which
// each run and suppression rewrites for what it changed.
//
// The store is embedded SQLite (modernc.org/sqlite, pure Go) by default,
// or PostgreSQL (github.com/jackc/pgx/v5) for a shared deployment: one
// schema, versioned migrations embedded in the binary and recorded in the
// schema_migrations table, applied by Open. Queries take parameters only.
// DB (and, on PostgreSQL, Pool) give the underlying handles so other
// components (a job queue, a server) can share the store.
package history
