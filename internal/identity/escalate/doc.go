// Package escalate finds privilege-escalation paths over the entitlement
// graph (internal/identity/graph): the publicly documented methods of AWS,
// Azure/Entra ID and GCP as a table (Methods), each move allowed by the
// clouds' evaluators, and the shortest paths, across principals, accounts
// and clouds, from every principal to every admin target.
package escalate
