// Package engine runs vigil's response layer: it plans playbooks against
// findings and alerts into a plan file (each change's API calls and
// before/after), records approvals, applies an approved plan within the
// policy's limits (approvals per action class, blast radius, rate limits,
// exclusions), keeps run records for rollback and a checkpoint for
// continuous mode, and writes every step to the hash-chained trail.
package engine
