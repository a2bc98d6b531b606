package azurerbac

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	refazure "github.com/vigil-sec/vigil/internal/identity/refdata/azure"
	"github.com/vigil-sec/vigil/internal/resource"
)

const (
	tenant  = "/tenants/t1"
	mgRoot  = "/providers/Microsoft.Management/managementGroups/root"
	mgProd  = "/providers/Microsoft.Management/managementGroups/mg-prod"
	sub     = "/subscriptions/1111"
	sub2    = "/subscriptions/2222"
	rg      = sub + "/resourceGroups/rg1"
	rg2     = sub + "/resourceGroups/rg2"
	vm      = rg + "/providers/Microsoft.Compute/virtualMachines/vm1"
	disk    = vm + "/extensions/ext1"
	storage = sub + "/resourceGroups/data/providers/Microsoft.Storage/storageAccounts/acct1"
	defs    = "/providers/Microsoft.Authorization/roleDefinitions/"
	owner   = sub + defs + "8e3af657-a8ff-443c-a75c-2fe8c4bcb635"
	contrib = "/providers/Microsoft.Authorization/roleDefinitions/b24988ac-6180-42a0-ab88-20f7382dd24c"
	reader  = sub + defs + "acdd72a7-3385-48ef-bd42-f606fba81ae7"
	blobRd  = sub + defs + "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1"
	blobOwn = sub + defs + "b7e6dc6d-f1e8-4753-8033-0f276bb0955b"
	kvDAA   = sub + defs + "8b54135c-b56d-4d72-a534-26097cfdc8d8" // Key Vault Data Access Administrator: a conditional block
	custom  = sub + defs + "c0ffee00-0000-0000-0000-000000000001"
	bogus   = sub + defs + "deadbeef-0000-0000-0000-000000000000"
)

func user(id string, groups ...string) *resource.Resource {
	r := &resource.Resource{Provider: resource.Azure, Type: "microsoft.graph.user", ID: tenant + "/users/" + id, Name: id + "@example.com", Aliases: []string{id}, Class: resource.ClassIdentity,
		Facts: resource.Facts{Identity: &resource.Identity{Kind: "user"}}}
	for _, g := range groups {
		r.Relationships = append(r.Relationships, resource.Relationship{Type: resource.RelMemberOf, TargetID: tenant + "/groups/" + g})
	}
	return r
}

func group(id string, members ...string) *resource.Resource {
	g := &resource.Group{Members: []string{}}
	for _, m := range members {
		g.Members = append(g.Members, tenant+"/groups/"+m) // nested groups by resource ID
	}
	return &resource.Resource{Provider: resource.Azure, Type: "microsoft.graph.group", ID: tenant + "/groups/" + id, Name: id, Aliases: []string{id}, Class: resource.ClassGroup, Facts: resource.Facts{Group: g}}
}

func assign(name, principal, ptype, role, roleName, scope string, cond string) *resource.Resource {
	b := &resource.Binding{Principal: principal, PrincipalType: ptype, Role: role, RoleName: roleName, Scope: scope}
	if cond != "" {
		b.Condition = &resource.BindingCondition{Expression: cond, Version: "2.0"}
	}
	return &resource.Resource{Provider: resource.Azure, Type: "Microsoft.Authorization/roleAssignments", ID: scope + "/providers/Microsoft.Authorization/roleAssignments/" + name, Class: resource.ClassIAMBinding, Facts: resource.Facts{Binding: b}}
}

func denyAssign(name, principal, scope string, perms resource.RolePermission, excluded ...string) *resource.Resource {
	r := assign(name, principal, "SystemDefined", "", "deny "+name, scope, "")
	r.Type = "Microsoft.Authorization/denyAssignments"
	r.Facts.Binding.Deny = resource.Bool(true)
	r.Facts.Binding.DenyPermissions = []resource.RolePermission{perms}
	r.Facts.Binding.ExcludedPrincipals = excluded
	return r
}

func eligible(r *resource.Resource) *resource.Resource {
	r.Facts.Binding.Eligible = resource.Bool(true)
	return r
}

func inventory() []*resource.Resource {
	return []*resource.Resource{
		{Provider: resource.Azure, Type: "Microsoft.Management/managementGroups", ID: mgRoot, Class: resource.ClassOrgUnit, Facts: resource.Facts{OrgUnit: &resource.OrgUnit{Kind: "management_group"}}},
		{Provider: resource.Azure, Type: "Microsoft.Management/managementGroups", ID: mgProd, Class: resource.ClassOrgUnit, Facts: resource.Facts{OrgUnit: &resource.OrgUnit{Kind: "management_group", Parent: mgRoot}}},
		{Provider: resource.Azure, Type: "Microsoft.Resources/subscriptions", ID: sub, Class: resource.ClassAccount, Facts: resource.Facts{Account: &resource.Account{Parent: mgProd}}},
		{Provider: resource.Azure, Type: "Microsoft.Resources/subscriptions", ID: sub2, Class: resource.ClassAccount, Facts: resource.Facts{Account: &resource.Account{}}},
		user("alice", "g-ops"), user("bob"), user("carol", "g-nested"), user("henry"), user("zed"), user("olga"), user("kim"),
		group("g-ops", "g-nested"), group("g-nested"),
		// A group whose members the source did not list.
		{Provider: resource.Azure, Type: "microsoft.graph.group", ID: tenant + "/groups/g-unlisted", Aliases: []string{"g-unlisted"}, Facts: resource.Facts{Group: &resource.Group{}}},
		{Provider: resource.Azure, Type: "Microsoft.Authorization/roleDefinitions", ID: custom, Class: resource.ClassRole, Facts: resource.Facts{Role: &resource.RoleDefinition{
			Custom: resource.Bool(true), RoleName: "Storage Reader Custom",
			Permissions: []resource.RolePermission{{Actions: []string{"Microsoft.Storage/*/read"}, NotActions: []string{"Microsoft.Storage/storageAccounts/blobServices/*/read"}}}}}},
		assign("a1", "alice", "User", reader, "Reader", rg, ""),
		assign("a2", "g-ops", "Group", contrib, "Contributor", mgProd, ""),
		assign("a3", "bob", "User", owner, "Owner", vm, ""),
		assign("a4", "henry", "User", custom, "Storage Reader Custom", sub, ""),
		assign("a5", "dave", "ServicePrincipal", blobRd, "Storage Blob Data Reader", sub, "@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals 'landing'"),
		assign("a6", "erin", "User", bogus, "Mystery Role", sub, ""),
		assign("a7", "g-unknown", "Group", owner, "Owner", rg2, ""),
		assign("a8", "frank", "User", blobOwn, "Storage Blob Data Owner", sub, ""),
		assign("a9", "olga", "User", "/providers/Microsoft.Authorization/roleDefinitions/8e3af657-a8ff-443c-a75c-2fe8c4bcb635", "Owner", mgRoot, ""),
		assign("a10", "kim", "User", kvDAA, "Key Vault Data Access Administrator", sub, ""),
		assign("a11", "zed", "User", reader, "Reader", sub2, ""),
		assign("a12", "g-unlisted", "Group", owner, "Owner", storage+"2", ""),
		eligible(assign("a13", "henry", "User", owner, "Owner", storage+"3", "")),
		// An Entra directory role (Global Administrator) is no RBAC assignment.
		{Provider: resource.Azure, Type: "microsoft.graph.unifiedRoleAssignment", ID: tenant + "/roleAssignments/x", Facts: resource.Facts{Binding: &resource.Binding{
			Principal: "zed", PrincipalType: "User", Role: tenant + "/roleDefinitions/62e90394-69f5-4237-9190-012177145e10", RoleName: "Global Administrator", Scope: "/"}}},
		denyAssign("d1", Everyone, rg, resource.RolePermission{Actions: []string{"Microsoft.Compute/virtualMachines/delete"}}, "bob"),
		denyAssign("d2", "frank", sub, resource.RolePermission{DataActions: []string{"Microsoft.Storage/storageAccounts/blobServices/containers/blobs/*"},
			NotDataActions: []string{"Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read"}}),
		denyAssign("d3", Everyone, rg2, resource.RolePermission{Actions: []string{"*/write"}}, "g-mystery"),
	}
}

func newEval(t testing.TB, rs []*resource.Resource) *Evaluator {
	t.Helper()
	e, err := New(rs, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func TestCheck(t *testing.T) {
	e := newEval(t, inventory())
	const blobRead = "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read"
	tests := []struct {
		note      string
		req       Request
		want      Result
		via       []string // of the first grant
		pattern   string   // of the first grant or deny
		reasonHas string
	}{
		{note: "role at resource group inherited by a resource", req: Request{"alice", "Microsoft.Compute/virtualMachines/read", false, vm}, want: Allowed, pattern: "*/read"},
		{note: "scope compared case-insensitively", req: Request{"alice", "microsoft.compute/virtualmachines/READ", false, strings.ToUpper(vm)}, want: Allowed},
		{note: "principal by its Entra resource ID", req: Request{tenant + "/users/alice", "Microsoft.Compute/virtualMachines/read", false, vm}, want: Allowed},
		{note: "reader cannot write", req: Request{"zed", "Microsoft.Compute/virtualMachines/write", false, sub2}, want: ImplicitDeny},
		{note: "group at management group inherited through subscription", req: Request{"alice", "Microsoft.Compute/virtualMachines/write", false, vm}, want: Allowed, via: []string{"g-ops"}, pattern: "*"},
		{note: "nested group membership", req: Request{"carol", "Microsoft.Network/virtualNetworks/write", false, rg}, want: Allowed, via: []string{"g-nested", "g-ops"}},
		{note: "notActions of Contributor", req: Request{"alice", "Microsoft.Authorization/roleAssignments/write", false, sub}, want: ImplicitDeny},
		{note: "assignment below the scope does not apply", req: Request{"bob", "Microsoft.Compute/virtualMachines/read", false, rg}, want: ImplicitDeny},
		{note: "assignment on a parent resource applies to its child", req: Request{"bob", "Microsoft.Compute/virtualMachines/extensions/write", false, disk}, want: Allowed},
		{note: "deny assignment to everyone wins over Contributor", req: Request{"alice", "Microsoft.Compute/virtualMachines/delete", false, vm}, want: ExplicitDeny, pattern: "Microsoft.Compute/virtualMachines/delete"},
		{note: "excluded principal escapes the deny assignment", req: Request{"bob", "Microsoft.Compute/virtualMachines/delete", false, vm}, want: Allowed},
		{note: "custom role wildcard in the middle", req: Request{"henry", "Microsoft.Storage/storageAccounts/read", false, storage}, want: Allowed, pattern: "Microsoft.Storage/*/read"},
		{note: "custom role notActions", req: Request{"henry", "Microsoft.Storage/storageAccounts/blobServices/containers/read", false, storage}, want: ImplicitDeny},
		{note: "custom role grants no data action", req: Request{"henry", blobRead, true, storage}, want: ImplicitDeny},
		{note: "data action through a conditional assignment", req: Request{"dave", blobRead, true, storage}, want: Conditional, reasonHas: "StringEquals 'landing'"},
		{note: "data action asked as a control action", req: Request{"dave", blobRead, false, storage}, want: ImplicitDeny},
		{note: "Reader's */read is no data action", req: Request{"zed", blobRead, true, sub2}, want: ImplicitDeny},
		{note: "data action granted", req: Request{"frank", blobRead, true, storage}, want: Allowed, pattern: "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/*"},
		{note: "deny assignment on data actions minus notDataActions", req: Request{"frank", "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/delete", true, storage}, want: ExplicitDeny},
		{note: "unknown role is uncertain and named", req: Request{"erin", "Microsoft.Compute/virtualMachines/read", false, rg}, want: Uncertain, reasonHas: "Mystery Role"},
		{note: "group of unknown membership is uncertain", req: Request{"zed", "Microsoft.Compute/virtualMachines/read", false, rg2}, want: Uncertain, reasonHas: "g-unknown"},
		{note: "group in the inventory without its members is uncertain", req: Request{"zed", "Microsoft.Storage/storageAccounts/delete", false, storage + "2"}, want: Uncertain, reasonHas: "g-unlisted"},
		{note: "the group itself is certain", req: Request{"g-unknown", "Microsoft.Compute/virtualMachines/read", false, rg2}, want: Allowed},
		{note: "deny with an excluded group of unknown membership is uncertain", req: Request{"g-unknown", "Microsoft.Compute/virtualMachines/write", false, rg2}, want: Uncertain, reasonHas: "g-mystery"},
		{note: "owner at the tenant root management group", req: Request{"olga", "Microsoft.Authorization/roleAssignments/write", false, storage}, want: Allowed},
		{note: "subscription of unknown management group", req: Request{"alice", "Microsoft.Compute/virtualMachines/write", false, sub2}, want: Uncertain, reasonHas: "management group"},
		{note: "condition of a built-in role's permission block", req: Request{"kim", "Microsoft.Authorization/roleAssignments/write", false, sub}, want: Conditional, reasonHas: "ActionMatches"},
		{note: "eligible assignment", req: Request{"henry", AdminAction, false, storage + "3"}, want: Conditional, reasonHas: "PIM"},
		{note: "Entra directory role is not RBAC", req: Request{"zed", "Microsoft.Compute/virtualMachines/read", false, sub}, want: ImplicitDeny},
		{note: "nobody", req: Request{"nobody", "Microsoft.Compute/virtualMachines/read", false, vm}, want: ImplicitDeny},
	}
	for _, tt := range tests {
		t.Run(tt.note, func(t *testing.T) {
			d := e.Check(tt.req)
			if d.Result != tt.want {
				t.Fatalf("result = %s, want %s: %+v", d.Result, tt.want, d)
			}
			if tt.via != nil && (len(d.Allows) == 0 || !slices.Equal(d.Allows[0].Via, tt.via)) {
				t.Errorf("via = %+v, want %v", d.Allows, tt.via)
			}
			if tt.pattern != "" {
				gs := append(append([]Grant(nil), d.Denies...), d.Allows...)
				if len(gs) == 0 || gs[0].Pattern != tt.pattern {
					t.Errorf("pattern = %+v, want %s", gs, tt.pattern)
				}
			}
			if tt.reasonHas != "" && !strings.Contains(strings.Join(d.Reasons, "\n"), tt.reasonHas) {
				t.Errorf("reasons = %q, want one with %q", d.Reasons, tt.reasonHas)
			}
			if d.Result == Allowed && len(d.Allows) == 0 {
				t.Error("allowed without a grant")
			}
		})
	}
}

func TestProblems(t *testing.T) {
	e := newEval(t, inventory())
	var found bool
	for _, p := range e.Problems() {
		if strings.Contains(p.Resource, "/a6") && p.Field == "role" && strings.Contains(p.Err, "Mystery Role") {
			found = true
		}
	}
	if !found {
		t.Errorf("unknown role not reported: %+v", e.Problems())
	}
	mi := &resource.Resource{Provider: resource.Azure, Type: "Microsoft.ManagedIdentity/userAssignedIdentities", ID: rg + "/providers/Microsoft.ManagedIdentity/userAssignedIdentities/mi1",
		Facts: resource.Facts{Identity: &resource.Identity{Kind: "managed_identity"}}}
	e = newEval(t, append(inventory(), mi))
	if p := e.Problems(); len(p) != 2 || p[0].Resource != mi.ID || !strings.Contains(p[0].Err, "principalId") {
		t.Errorf("managed identity without a principal ID: problems %+v", p)
	}
}

func principals(hs []Holder) map[string]Result {
	out := map[string]Result{}
	for _, h := range hs {
		out[h.Principal] = h.Decision.Result
	}
	return out
}

func TestWhoCanAndAdmins(t *testing.T) {
	e := newEval(t, inventory())
	got := principals(e.Admins(sub))
	want := map[string]Result{"olga": Allowed, "kim": Conditional, "erin": Uncertain}
	if !sameResults(got, want) {
		t.Errorf("Admins(sub) = %v, want %v", got, want)
	}
	got = principals(e.Admins(vm))
	want["bob"] = Allowed
	if !sameResults(got, want) {
		t.Errorf("Admins(vm) = %v, want %v", got, want)
	}
	// Contributor via g-ops reaches the group and its members (nested too);
	// the deny assignment on rg takes VM deletion from all but bob, even
	// from the tenant root's Owner.
	got = principals(e.WhoCan("Microsoft.Compute/virtualMachines/delete", false, vm))
	want = map[string]Result{"bob": Allowed}
	if !sameResults(got, want) {
		t.Errorf("WhoCan(delete vm) = %v, want %v", got, want)
	}
	got = principals(e.WhoCan("Microsoft.Compute/virtualMachines/write", false, vm))
	for _, p := range []string{"g-ops", "g-nested", "alice", "carol", "bob", "olga"} {
		if got[p] != Allowed {
			t.Errorf("WhoCan(write vm)[%s] = %s, want allowed (%v)", p, got[p], got)
		}
	}
	if _, ok := got["zed"]; ok {
		t.Errorf("WhoCan(write vm) has zed: %v", got)
	}
	admins := e.SubscriptionAdmins()
	if len(admins) != 2 || len(admins[sub]) != 3 {
		t.Errorf("SubscriptionAdmins = %v", admins)
	}
	// sub2's management group is unknown: admins at management groups may apply.
	if p := principals(admins[sub2]); p["olga"] != Allowed {
		t.Errorf("Admins(sub2) = %v (olga's assignment is at the tenant root, which covers every subscription)", p)
	}
}

func sameResults(a, b map[string]Result) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func TestGrantsOf(t *testing.T) {
	e := newEval(t, inventory())
	got := map[string]string{}
	for _, g := range e.GrantsOf("carol") {
		got[g.Binding[strings.LastIndexByte(g.Binding, '/')+1:]] = g.Match
		if g.Binding[strings.LastIndexByte(g.Binding, '/')+1:] == "a2" && !slices.Equal(g.Via, []string{"g-nested", "g-ops"}) {
			t.Errorf("a2 via %v", g.Via)
		}
	}
	want := map[string]string{"a2": MatchTrue, "d1": MatchTrue, "d3": MatchUncertain, "a7": MatchUncertain, "a12": MatchUncertain}
	if len(got) != len(want) {
		t.Fatalf("GrantsOf(carol) = %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("GrantsOf(carol)[%s] = %q, want %q (%v)", k, got[k], v, got)
		}
	}
	// bob is excluded from d1; dave's assignment is conditional.
	for _, g := range e.GrantsOf("bob") {
		if strings.HasSuffix(g.Binding, "/d1") {
			t.Errorf("bob's grants have the deny assignment that excludes him")
		}
	}
	if !slices.ContainsFunc(e.GrantsOf("dave"), func(g Grant) bool { return strings.HasSuffix(g.Binding, "/a5") && g.Match == MatchConditional }) {
		t.Errorf("GrantsOf(dave) = %+v, want a5 conditional", e.GrantsOf("dave"))
	}
}

// TestBuiltinRoles checks the shipped reference data through the role
// matcher the evaluator uses.
func TestBuiltinRoles(t *testing.T) {
	roles, err := refazure.Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		role, action string
		data, want   bool
	}{
		{"Reader", "Microsoft.Compute/virtualMachines/read", false, true},
		{"Reader", "Microsoft.Compute/virtualMachines/write", false, false},
		{"Reader", "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read", true, false},
		{"Owner", AdminAction, false, true},
		{"Owner", "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read", true, false},
		{"Contributor", AdminAction, false, false},
		{"Contributor", "Microsoft.Authorization/roleAssignments/read", false, true},
		{"Contributor", "microsoft.authorization/ROLEASSIGNMENTS/delete", false, false},
		{"User Access Administrator", AdminAction, false, true},
		{"User Access Administrator", "Microsoft.Compute/virtualMachines/write", false, false},
		{"Storage Blob Data Reader", "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read", true, true},
		{"Storage Blob Data Reader", "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write", true, false},
		{"Storage Blob Data Owner", "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/delete", true, true},
		{"Virtual Machine Contributor", "Microsoft.Compute/virtualMachines/start/action", false, true},
	} {
		r, ok := roles.ByName(tt.role)
		if !ok {
			t.Fatalf("built-in role %q missing", tt.role)
		}
		if got := fromReference(r).matches(tt.action, tt.data).ok; got != tt.want {
			t.Errorf("%s grants %s (data %v) = %v, want %v", tt.role, tt.action, tt.data, got, tt.want)
		}
	}
}

// TestConcurrent: checks from many goroutines share the role caches.
func TestConcurrent(t *testing.T) {
	e := newEval(t, inventory())
	done := make(chan Result, 8)
	for i := range 8 {
		go func() {
			var r Result
			for j := range 200 {
				r = e.Check(Request{Principal: []string{"alice", "carol", "bob"}[(i+j)%3], Action: fmt.Sprintf("Microsoft.Compute/virtualMachines/x%d/read", j%17), Scope: vm}).Result
			}
			done <- r
		}()
	}
	for range 8 {
		if r := <-done; r != Allowed {
			t.Errorf("result %s", r)
		}
	}
}

// TestDenyScopeAndExclusionTypes: a deny assignment that does not apply to
// child scopes denies at its scope only; an excluded principal the export
// types as a service principal is no group holding the requester, one
// without a type might be.
func TestDenyScopeAndExclusionTypes(t *testing.T) {
	base := []*resource.Resource{
		{Provider: resource.Azure, Type: "Microsoft.Resources/subscriptions", ID: sub, Class: resource.ClassAccount, Facts: resource.Facts{Account: &resource.Account{}}},
		user("uma"),
		assign("o1", "uma", "User", owner, "Owner", sub, ""),
	}
	scoped := denyAssign("d-here", Everyone, rg, resource.RolePermission{Actions: []string{"*/delete"}}, "sp-x")
	scoped.Facts.Binding.ChildScopes = resource.Bool(false)
	scoped.Facts.Binding.ExcludedPrincipalTypes = []string{"ServicePrincipal"}
	untyped := denyAssign("d-untyped", Everyone, rg2, resource.RolePermission{Actions: []string{"*/delete"}}, "x-unknown")
	e := newEval(t, append(base, scoped, untyped))
	for _, c := range []struct {
		scope string
		want  Result
	}{
		{rg, ExplicitDeny}, // at its scope, the typed exclusion cannot hold uma
		{vm, Allowed},      // below it: the deny does not apply to child scopes
		{rg2, Uncertain},   // x-unknown may be a group holding uma
	} {
		if got := e.Check(Request{Principal: "uma", Action: "Microsoft.Compute/virtualMachines/delete", Scope: c.scope}); got.Result != c.want {
			t.Errorf("delete at %s: %v, want %v (%+v)", c.scope, got.Result, c.want, got)
		}
	}
}
