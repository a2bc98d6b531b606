package inventory

import (
	"testing"

	"github.com/vigil-sec/vigil/internal/resource"
	"github.com/vigil-sec/vigil/internal/source"
)

func entraUser(oid string, groups ...string) *resource.Resource {
	return &resource.Resource{Provider: resource.Azure, Type: typeEntraUser, ID: "/tenants/t/users/" + oid, Aliases: []string{oid},
		Class: resource.ClassIdentity, Facts: resource.Facts{Identity: &resource.Identity{Kind: "user", Disabled: resource.Bool(true), Groups: groups}}}
}

func roleAssignment(id, principal string) *resource.Resource {
	return &resource.Resource{Provider: resource.Azure, Type: "Microsoft.Authorization/roleAssignments",
		ID: "/subscriptions/s1/providers/Microsoft.Authorization/roleAssignments/" + id, Class: resource.ClassIAMBinding,
		Facts: resource.Facts{Binding: &resource.Binding{Principal: principal, Scope: "/subscriptions/s1"}}}
}

// TestAzureRoles: Entra users' azure_roles from the Azure role
// assignments to their object ID or to a group they are members of;
// unknown without role assignments, and for the users not found to hold
// one when an assignment's principal cannot be read.
func TestAzureRoles(t *testing.T) {
	group := &resource.Resource{Provider: resource.Azure, Type: "microsoft.graph.group", ID: "/tenants/t/groups/g1", Aliases: []string{"g1"},
		Class: resource.ClassGroup, Facts: resource.Facts{Group: &resource.Group{}}}
	build := func() []*resource.Resource {
		return []*resource.Resource{entraUser("AAAA-direct"), entraUser("u-group", "/tenants/t/groups/g1"), entraUser("u-none", "/tenants/t/groups/g2"), group}
	}
	roles := func(rs []*resource.Resource) string {
		out := ""
		for _, r := range rs[:3] {
			out += show(r.Facts.Identity.AzureRoles) + " "
		}
		return out
	}
	for _, tc := range []struct {
		name     string
		extra    []*resource.Resource
		problems []source.Problem
		want     string
	}{
		{"no role assignments", nil, nil, "unknown unknown unknown "},
		{"direct (object IDs in any case) and through a group", []*resource.Resource{roleAssignment("a1", "aaaa-direct"), roleAssignment("a2", "g1")}, nil, "true true false "},
		{"an unreadable principal", []*resource.Resource{roleAssignment("a1", "aaaa-direct"), roleAssignment("a2", "")}, nil, "true unknown unknown "},
		{"an assignment with an input problem", []*resource.Resource{roleAssignment("a1", "g1"), roleAssignment("a3", "u-none")},
			[]source.Problem{{Resource: "/subscriptions/s1/providers/Microsoft.Authorization/roleAssignments/a3"}}, "unknown true unknown "},
	} {
		rs := append(build(), tc.extra...)
		derive(rs, tc.problems)
		if got := roles(rs); got != tc.want {
			t.Errorf("%s: azure_roles %s, want %s", tc.name, got, tc.want)
		}
	}
}
