// Package unused finds the principals and permissions of an inventory that
// the audit logs in the lake show unused: principals never seen acting in a
// window, permissions granted but not used (AWS actions by service, Azure
// role assignments and GCP bindings by whether any logged call needed
// them), and administrators who did not use their rights. It maps the
// lake's OCSF events (internal/lake) onto the entitlement graph
// (internal/identity/graph) and its evaluators; an account with no logs is
// never read as unused.
package unused
