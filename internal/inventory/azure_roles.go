package inventory

import (
	"strings"

	"github.com/vigil-sec/vigil/internal/resource"
)

// Types the Azure role derivation joins: Resource Graph role assignments
// (internal/importer/azure) and Entra ID users (internal/importer/entra).
const (
	typeAzureRoleAssignment = "microsoft.authorization/roleassignments"
	typeEntraUser           = "microsoft.graph.user"
)

// azureRoles sets identity.azure_roles on every Entra ID user when the
// inventory holds Azure role assignments: true when one is granted to the
// user's object ID or to a group the user is a direct member of, false
// otherwise; unknown for the users not found to hold one when a role
// assignment's principal could not be read (CIS Azure 6.0 5.3.5 asks
// whether disabled users still hold roles).
func (d *deriver) azureRoles() {
	held := map[*resource.Resource]bool{}
	assignments, unreadable := false, false
	for _, b := range d.byClass[resource.ClassIAMBinding] {
		if b.Provider != resource.Azure || !strings.EqualFold(b.Type, typeAzureRoleAssignment) {
			continue
		}
		assignments = true
		if b.Facts.Binding == nil || b.Facts.Binding.Principal == "" || d.doubtful(b) {
			unreadable = true
			continue
		}
		if p := d.resolve(b, b.Facts.Binding.Principal); p != nil {
			held[p] = true
		}
	}
	if !assignments {
		return
	}
	for _, u := range d.byClass[resource.ClassIdentity] {
		if u.Provider != resource.Azure || u.Type != typeEntraUser || u.Facts.Identity == nil {
			continue
		}
		has := held[u]
		for _, g := range u.Facts.Identity.Groups {
			if gr := d.resolve(u, g); gr != nil && held[gr] {
				has = true
			}
		}
		switch {
		case has:
			u.Facts.Identity.AzureRoles = resource.Bool(true)
		case !unreadable:
			u.Facts.Identity.AzureRoles = resource.Bool(false)
		}
	}
}
