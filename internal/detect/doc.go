// Package detect runs Sigma detections over cloud audit logs: it evaluates
// vigil's built-in rules and user rule folders on every event (in parallel for
// batch runs, or following a directory with a crash-safe checkpoint), applies
// tuning, and emits alerts as OCSF Detection Findings to JSON lines or a webhook.
package detect
