// Package azurerbac computes effective Azure RBAC permissions from the typed
// inventory: role and deny assignments inherited down management groups,
// subscriptions, resource groups and resources, built-in roles from the
// shipped reference data, custom roles and Entra group membership.
package azurerbac
