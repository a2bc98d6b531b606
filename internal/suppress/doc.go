// Package suppress reads a suppressions file (rule, resource pattern, reason,
// optional expiry) and applies it to findings: matching failures are muted
// and reported, and expired suppressions stop muting and say so.
package suppress
