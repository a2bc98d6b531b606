// Package graph is vigil's entitlement graph across AWS, Azure/Entra ID and
// GCP: a node per principal, identity provider and admin target, trust edges
// between them (AWS role trust, Entra federated credentials and ownership,
// GCP impersonation and workload identity federation, across clouds), and the
// three clouds' evaluators answering who can do what (who-can, what-can).
package graph
