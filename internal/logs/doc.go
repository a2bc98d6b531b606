// Package logs reads cloud audit logs as the clouds deliver them (CloudTrail,
// Azure Activity / Entra ID sign-in and audit logs, GCP Cloud Audit Logs),
// detecting the format from content, and hands out one Record per event with
// the event's own JSON and its position in the input.
package logs
