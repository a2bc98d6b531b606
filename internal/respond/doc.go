// Package respond is vigil's response layer: playbooks matched against
// findings and alerts are planned into reviewable changes (the exact API
// calls, each changed attribute's before and after), approved, applied
// within limits, recorded in a hash-chained trail, and rolled back.
// Actions (notify, ticket, enrich, per-cloud remediation) live in
// subpackages behind the Action interface defined here.
package respond
