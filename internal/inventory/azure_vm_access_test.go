package inventory

import (
	"slices"
	"testing"

	"github.com/vigil-sec/vigil/internal/resource"
)

// TestVMAccess: CIS Azure 6.0 3.1.1's identity.vm_access from the users'
// effective Azure RBAC permissions on the inventory's virtual machines:
// a VM login role on the VM's resource group, Contributor through a
// group on the subscription; not Owner of a resource group without VMs,
// not Reader; a conditional grant on the VM itself is unknown, and so is
// every user not found to hold access when an assignment names a group
// the inventory does not hold.
func TestVMAccess(t *testing.T) {
	const (
		sub        = "/subscriptions/s1"
		rgApp      = sub + "/resourceGroups/rg-app"
		vm         = rgApp + "/providers/Microsoft.Compute/virtualMachines/vm1"
		adminLogin = "1c0163c0-47e6-4577-8991-ea5c82e286e4"
		userLogin  = "fb879df8-f326-4884-b1cf-06f3ad86be52"
		owner      = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635"
		contrib    = "b24988ac-6180-42a0-ab88-20f7382dd24c"
		reader     = "acdd72a7-3385-48ef-bd42-f606fba81ae7"
	)
	assign := func(id, principal, ptype, role, scope, level, cond string) *resource.Resource {
		b := &resource.Binding{Principal: principal, PrincipalType: ptype, Scope: scope, ScopeLevel: level,
			Role: sub + "/providers/Microsoft.Authorization/roleDefinitions/" + role}
		if cond != "" {
			b.Condition = &resource.BindingCondition{Expression: cond, Version: "2.0"}
		}
		return &resource.Resource{Provider: resource.Azure, Type: "Microsoft.Authorization/roleAssignments",
			ID: scope + "/providers/Microsoft.Authorization/roleAssignments/" + id, Class: resource.ClassIAMBinding,
			Facts: resource.Facts{Binding: b}}
	}
	enabled := func(oid string, groups ...string) *resource.Resource {
		u := entraUser(oid, groups...)
		u.Facts.Identity.Disabled = resource.Bool(false)
		return u
	}
	users := []string{"u-admin", "u-group", "u-owner-elsewhere", "u-reader", "u-cond", "u-none"}
	build := func(extra ...*resource.Resource) []*resource.Resource {
		rs := []*resource.Resource{
			enabled("u-admin"), enabled("u-group", "/tenants/t/groups/g1"), enabled("u-owner-elsewhere"),
			enabled("u-reader"), enabled("u-cond"), enabled("u-none"),
			{Provider: resource.Azure, Type: "microsoft.graph.group", ID: "/tenants/t/groups/g1", Aliases: []string{"g1"},
				Class: resource.ClassGroup, Facts: resource.Facts{Group: &resource.Group{}}},
			{Provider: resource.Azure, Type: "microsoft.compute/virtualmachines", ID: vm, Class: resource.ClassCompute},
			assign("a1", "u-admin", "User", adminLogin, rgApp, "resource_group", ""),
			assign("a2", "g1", "Group", contrib, sub, "account", ""),
			assign("a3", "u-owner-elsewhere", "User", owner, sub+"/resourceGroups/rg-empty", "resource_group", ""),
			assign("a4", "u-reader", "User", reader, sub, "account", ""),
			assign("a5", "u-cond", "User", userLogin, vm, "resource", "@Resource[Microsoft.Compute/virtualMachines:tags:env] StringEquals 'dev'"),
		}
		return append(rs, extra...)
	}
	access := func(rs []*resource.Resource) string {
		out := ""
		for i := range users {
			out += users[i] + "=" + show(rs[i].Facts.Identity.VMAccess) + " "
		}
		return out
	}
	for _, tc := range []struct {
		name string
		rs   []*resource.Resource
		want string
	}{
		{"effective permissions", build(),
			"u-admin=true u-group=true u-owner-elsewhere=false u-reader=false u-cond=unknown u-none=false "},
		{"an assignment to a group not in the inventory", build(assign("a6", "g9", "Group", owner, sub, "account", "")),
			"u-admin=true u-group=true u-owner-elsewhere=unknown u-reader=unknown u-cond=unknown u-none=unknown "},
		{"no virtual machine", slices.DeleteFunc(build(), func(r *resource.Resource) bool { return r.Class == resource.ClassCompute }),
			"u-admin=unknown u-group=unknown u-owner-elsewhere=unknown u-reader=unknown u-cond=unknown u-none=unknown "},
	} {
		derive(tc.rs, nil)
		if got := access(tc.rs); got != tc.want {
			t.Errorf("%s:\n got %s\nwant %s", tc.name, got, tc.want)
		}
	}
}
