package gcpiam

import (
	"strings"
	"testing"
)

// FuzzCheck feeds inventory strings (scopes, members, roles, CEL
// conditions) and requests that no source vouches for: the evaluator never
// panics, and a deny rule for everyone on the resource always wins.
func FuzzCheck(f *testing.F) {
	f.Add(proj, "user:a@x.com", "roles/viewer", `resource.type == "x"`, "compute.instances.list", bucket)
	f.Add("", "", "", "", "", "")
	f.Add("projects/", "projectOwner:", "projects/proj-a/roles/", "request.time <", "a.b", "//x/projects/_/y")
	f.Add("//a/b/c/d", "principalSet://x/workloadIdentityPools/", "roles/owner", "true", "...", "folders/2")
	f.Fuzz(func(t *testing.T, scope, member, role, cond, perm, res string) {
		rs := append(inventory(), bindRes(scope, role, member, "t|"+cond), bindRes(scope, "roles/owner", member, ""))
		e, err := New(rs, Options{})
		if err != nil {
			t.Fatal(err)
		}
		d := e.Check(Request{Member: member, Permission: perm, Resource: res})
		if d.Result == Allowed && len(d.Allows) == 0 {
			t.Fatal("allowed without a grant")
		}
		e.WhoCan(perm, res)
		e.Admins(res)
		rs = append(rs, denyRes(res, "principalSet://goog/public:all", []string{"*"}, nil, nil, ""))
		e, _ = New(rs, Options{})
		if d := e.Check(Request{Member: member, Permission: perm, Resource: res}); d.Result != ExplicitDeny && strings.TrimSpace(res) != "" {
			t.Fatalf("deny rule for everyone on %q: %s", res, d.Result)
		}
	})
}
