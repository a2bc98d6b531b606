// Package azure normalizes Azure audit records as diagnostic settings export
// them (Activity Log, Entra ID sign-in and audit logs) to OCSF 1.8.0: API
// Activity, Authentication for sign-ins, Account Change for Entra ID user and
// role management.
package azure
