// Package enrich is vigil respond's enrichment actions: the owner from a
// resource's tags, the related findings and alerts of a run, and a
// principal's recent activity in the audit-log lake (SQL over DuckDB).
//
// Enrichment only reads, so it is done in Plan: the change carries the
// values as Outputs (later steps template them, {{ .steps.ID.owner }}),
// makes no write call and is a no-op; Apply repeats those outputs without
// a call, and there is nothing to roll back.
package enrich
