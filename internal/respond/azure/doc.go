// Package azurerespond is vigil respond's Azure remediation: storage
// accounts' blob public access, NSG security rules, service principal and
// application credentials (Microsoft Graph) and role assignments, through
// azcore's ARM and Graph pipelines, each action planned and idempotent.
package azurerespond
