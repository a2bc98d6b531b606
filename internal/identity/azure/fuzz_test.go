package azurerbac

import (
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/resource"
)

// FuzzCheck feeds inventory strings (scopes, principals, role references,
// action patterns) and requests that no source vouches for: the evaluator
// never panics, and a deny assignment for everyone on the scope always wins.
func FuzzCheck(f *testing.F) {
	f.Add(rg, "alice", reader, "Microsoft.Storage/*/read", "Microsoft.Storage/storageAccounts/read", vm)
	f.Add("/", "", "", "*", "", "/")
	f.Add("//x//", "g-ops", "Reader", "*/*/*", "a/b/c", "/subscriptions")
	f.Add("/providers/Microsoft.Management/managementGroups/", "x", bogus, "[", "{", "/providers/Microsoft.Management/managementGroups/mg-prod/x")
	f.Fuzz(func(t *testing.T, scope, principal, roleRef, pattern, action, reqScope string) {
		rs := append(inventory(),
			&resource.Resource{Provider: resource.Azure, ID: sub + defs + "fuzz", Facts: resource.Facts{Role: &resource.RoleDefinition{Custom: resource.Bool(true), Permissions: []resource.RolePermission{{Actions: []string{pattern}, DataActions: []string{pattern}}}}}},
			assign("f1", principal, "User", roleRef, roleRef, scope, ""),
			assign("f2", principal, "User", sub+defs+"fuzz", "", scope, ""),
			assign("f3", principal, "Group", sub+defs+"fuzz", "", scope, pattern),
		)
		e, err := New(rs, Options{})
		if err != nil {
			t.Fatal(err)
		}
		d := e.Check(Request{Principal: principal, Action: action, Scope: reqScope})
		if d.Result == Allowed && len(d.Allows) == 0 {
			t.Fatal("allowed without a grant")
		}
		e.WhoCan(action, false, reqScope)
		rs = append(rs, denyAssign("fz", Everyone, reqScope, resource.RolePermission{Actions: []string{"*"}}))
		e, _ = New(rs, Options{})
		if d := e.Check(Request{Principal: principal, Action: action, Scope: reqScope}); d.Result != ExplicitDeny && strings.TrimSpace(reqScope) != "" {
			t.Fatalf("deny assignment for everyone on %q: %s", reqScope, d.Result)
		}
	})
}
