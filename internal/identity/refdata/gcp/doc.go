// Package gcproles holds the GCP predefined roles (including the basic roles
// owner, editor, viewer) with their permissions as embedded reference data
// derived from the iam-dataset corpus; see README.md and NOTICE.md.
package gcproles
