// Package cloudtrail normalizes AWS CloudTrail events (the record format of
// CloudTrail log files, EventBridge details and CloudTrail Lake) to OCSF 1.8.0:
// API Activity, Authentication for console sign-ins, Account Change for IAM
// user and credential management.
package cloudtrail
