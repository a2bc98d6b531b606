package azure

import (
	"strings"

	"github.com/vigil-sec/vigil/internal/resource"
)

// CIS Azure 6.0 5.5: a custom role allows administering resource locks
// (Microsoft.Authorization/locks/*, or their write and delete actions),
// so that lock management can be given without Owner or User Access
// Administrator. Read from the role definitions in the inventory
// (AuthorizationResources): a custom role counts for a subscription when
// one of its assignable scopes is the subscription or the root ("/"); one
// assignable only at a management group may cover it too, which the
// inventory does not tell (unknown, unless another role decides).

// lockAdmin reports whether a role definition's actions administer locks.
func lockAdmin(rd *resource.RoleDefinition) bool {
	write, del := false, false
	for _, p := range rd.Permissions {
		for _, a := range p.Actions {
			switch strings.ToLower(a) {
			case "microsoft.authorization/locks/*":
				return true
			case "microsoft.authorization/locks/write":
				write = true
			case "microsoft.authorization/locks/delete":
				del = true
			}
		}
	}
	return write && del
}

// lockAdminRoles returns, per subscription with a custom lock role
// assignable at it, true; per subscription that only a management-group
// role may cover, false in maybe; and whether the inventory holds role
// definitions at all.
func lockAdminRoles(all []*resource.Resource) (found, maybeMG map[string]bool, known bool) {
	found, maybeMG = map[string]bool{}, map[string]bool{}
	root := false
	for _, r := range all {
		if r.Type != TypeRoleDefinition || r.Facts.Role == nil {
			continue
		}
		known = true
		rd := r.Facts.Role
		if rd.Custom == nil || !*rd.Custom || !lockAdmin(rd) {
			continue
		}
		for _, s := range rd.AssignableScopes {
			ls := strings.ToLower(strings.TrimRight(s, "/"))
			switch {
			case ls == "":
				root = true
			case strings.HasPrefix(ls, "/subscriptions/") && strings.Count(ls, "/") == 2:
				found[strings.TrimPrefix(ls, "/subscriptions/")] = true
			case strings.HasPrefix(ls, "/providers/microsoft.management/managementgroups/"):
				maybeMG["*"] = true
			}
		}
	}
	if root {
		found["*"] = true
	}
	return found, maybeMG, known
}

// setLockAdminRole sets a subscription's CIS 5.5 fact.
func setLockAdminRole(c *resource.AccountCIS, sub string, found, maybeMG map[string]bool, known bool) {
	switch {
	case !known:
	case found["*"] || found[strings.ToLower(sub)]:
		c.LockAdminRole = resource.Bool(true)
	case maybeMG["*"]:
	default:
		c.LockAdminRole = resource.Bool(false)
	}
}
