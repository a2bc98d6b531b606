package azure

import (
	"strings"
	"testing"
)

// TestLockAdminRole: CIS Azure 6.0 5.5 from the role definitions: a
// custom role with the lock actions assignable at the subscription or the
// root passes; built-in roles and other custom roles do not count; a role
// assignable only at a management group leaves it unknown; without role
// definitions it is unknown.
func TestLockAdminRole(t *testing.T) {
	sub := `{"id":"` + cisSub + `","name":"s1","type":"microsoft.resources/subscriptions","subscriptionId":"s1","properties":{}}`
	vnet := cisRow(cisSub+"/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v1", "microsoft.network/virtualnetworks", `{"subnets":[]}`)
	role := func(guid, typ, actions, scopes string) string {
		return `{"id":"` + cisSub + `/providers/Microsoft.Authorization/roleDefinitions/` + guid + `","name":"` + guid +
			`","type":"microsoft.authorization/roledefinitions","subscriptionId":"s1","properties":{"roleName":"r-` + guid +
			`","type":"` + typ + `","permissions":[{"actions":` + actions + `,"notActions":[]}],"assignableScopes":` + scopes + `}}`
	}
	owner := `{"id":"/providers/Microsoft.Authorization/roleDefinitions/8e3af657-a8ff-443c-a75c-2fe8c4bcb635","name":"8e3af657-a8ff-443c-a75c-2fe8c4bcb635",` +
		`"type":"microsoft.authorization/roledefinitions","properties":{"roleName":"Owner","type":"BuiltInRole","permissions":[{"actions":["*"],"notActions":[]}],"assignableScopes":["/"]}}`
	locks := `["Microsoft.Authorization/locks/*","Microsoft.Resources/subscriptions/resourceGroups/read"]`
	for _, c := range []struct {
		name string
		rows []string
		want string
	}{
		{"lock role at the subscription", []string{owner, role("a", "CustomRole", locks, `["`+cisSub+`"]`)}, "true"},
		{"write and delete at the root", []string{role("b", "CustomRole", `["Microsoft.Authorization/locks/write","Microsoft.Authorization/locks/delete","Microsoft.Authorization/locks/read"]`, `["/"]`)}, "true"},
		{"only built-in roles and others", []string{owner, role("c", "CustomRole", `["Microsoft.Authorization/locks/read"]`, `["`+cisSub+`"]`)}, "false"},
		{"another subscription", []string{owner, role("d", "CustomRole", locks, `["/subscriptions/s2"]`)}, "false"},
		{"a management group", []string{owner, role("e", "CustomRole", locks, `["/providers/Microsoft.Management/managementGroups/mg1"]`)}, "nil"},
		{"no role definitions", nil, "nil"},
	} {
		t.Run(c.name, func(t *testing.T) {
			m, problems := loadRows(t, "["+strings.Join(append([]string{sub, vnet}, c.rows...), ",")+"]")
			s := m[cisSub]
			if s == nil || s.Facts.Account == nil || s.Facts.Account.CIS == nil {
				t.Fatalf("no CIS facts (problems %+v)", problems)
			}
			if got := fb(s.Facts.Account.CIS.LockAdminRole); got != c.want {
				t.Errorf("lock_admin_role %s, want %s (problems %+v)", got, c.want, problems)
			}
		})
	}
}
