// Package m365 normalizes Microsoft 365 unified audit log records, as the
// Office 365 Management Activity API delivers them (content blobs: JSON
// arrays of records), to OCSF 1.8.0: Authentication for Entra ID sign-ins,
// Account Change for directory user/role/MFA changes, API Activity otherwise.
package m365
