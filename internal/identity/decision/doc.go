// Package decision is the answer shape the Azure RBAC and GCP IAM
// evaluators share (internal/identity/azure, internal/identity/gcp): a
// Result named as the AWS evaluator's, the grants that decided it, and how
// grants combine.
package decision
