// Package gcp normalizes GCP Cloud Audit Logs (LogEntry with an AuditLog
// protoPayload, as log sinks export them; Google Workspace audit logs shared
// with Cloud Logging included) to OCSF 1.8.0: API Activity, Account Change
// for service account management, Authentication for Workspace sign-ins.
package gcp
