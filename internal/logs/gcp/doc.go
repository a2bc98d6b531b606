// Package gcp normalizes GCP Cloud Audit Logs (LogEntry with an AuditLog
// protoPayload, as log sinks export them) to OCSF 1.3.0: API Activity, and
// Account Change for service account management.
package gcp
