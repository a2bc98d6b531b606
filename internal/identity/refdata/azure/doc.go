// Package azureroles holds the Azure built-in role definitions (actions,
// notActions, dataActions, notDataActions, conditions) as embedded reference
// data derived from the iam-dataset corpus; see README.md and NOTICE.md.
package azureroles
