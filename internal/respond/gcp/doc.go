// Package gcprespond is vigil respond's Google Cloud remediation: public
// members of bucket and project IAM policies, service-account keys and VPC
// firewall rules, through Google's REST API clients (google.golang.org/api),
// each action planned, idempotent and reversible.
package gcprespond
