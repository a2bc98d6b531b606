package azurerbac

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"testing"

	"github.com/vigil-sec/vigil/internal/resource"
)

// synthetic builds a tenant of principals principals (90% users, 8%
// service principals, 2% groups of 40 members, a tenth of them nested) and
// bindings role assignments spread over 10 management groups, 100
// subscriptions, 2,000 resource groups and resources, with built-in and 50
// custom roles and 100 deny assignments.
func synthetic(principals, bindings int) (rs []*resource.Resource, scopes []string) {
	rng := rand.New(rand.NewPCG(1, 2))
	rs = append(rs, &resource.Resource{Provider: resource.Azure, ID: mgRoot, Facts: resource.Facts{OrgUnit: &resource.OrgUnit{Kind: "management_group"}}})
	var mgs, subs, rgs []string
	for i := range 10 {
		id := fmt.Sprintf("/providers/Microsoft.Management/managementGroups/mg%d", i)
		mgs = append(mgs, id)
		rs = append(rs, &resource.Resource{Provider: resource.Azure, ID: id, Facts: resource.Facts{OrgUnit: &resource.OrgUnit{Kind: "management_group", Parent: mgRoot}}})
	}
	for i := range 100 {
		id := fmt.Sprintf("/subscriptions/%08d-0000-0000-0000-000000000000", i)
		subs = append(subs, id)
		rs = append(rs, &resource.Resource{Provider: resource.Azure, ID: id, Facts: resource.Facts{Account: &resource.Account{Parent: mgs[i%len(mgs)]}}})
		for j := range 20 {
			rgs = append(rgs, fmt.Sprintf("%s/resourceGroups/rg%d", id, j))
		}
	}
	nGroups := principals / 50
	var ids, groups []string
	for i := range principals {
		id := fmt.Sprintf("%08x-0000-4000-8000-%012x", i, i)
		ids = append(ids, id)
		switch {
		case i < nGroups:
			groups = append(groups, id)
			rs = append(rs, &resource.Resource{Provider: resource.Azure, ID: tenant + "/groups/" + id, Aliases: []string{id}, Facts: resource.Facts{Group: &resource.Group{}}})
		case i < nGroups+principals*8/100:
			rs = append(rs, &resource.Resource{Provider: resource.Azure, ID: tenant + "/servicePrincipals/" + id, Aliases: []string{id}, Facts: resource.Facts{Identity: &resource.Identity{Kind: "service_principal"}}})
		default:
			rs = append(rs, &resource.Resource{Provider: resource.Azure, ID: tenant + "/users/" + id, Aliases: []string{id}, Facts: resource.Facts{Identity: &resource.Identity{Kind: "user"}}})
		}
	}
	for gi := range groups {
		grp := rs[len(rs)-principals+gi].Facts.Group
		for range 40 {
			grp.Members = append(grp.Members, ids[nGroups+rng.IntN(principals-nGroups)])
		}
		if gi%10 == 0 && gi > 0 {
			grp.Members = append(grp.Members, groups[rng.IntN(gi)])
		}
	}
	builtins := []string{owner, contrib, reader, blobRd, blobOwn, kvDAA,
		sub + defs + "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9", // User Access Administrator
		sub + defs + "9980e02c-c2be-4d73-94e8-173b1dc7cf3c", // Virtual Machine Contributor
		sub + defs + "4d97b98b-1d4f-4787-a291-c67834d212e7", // Network Contributor
		sub + defs + "17d1049b-9a84-46fb-8f53-869881c3d3ab", // Storage Account Contributor
	}
	var roles []string
	for i := range 50 {
		id := fmt.Sprintf("/subscriptions/%08d-0000-0000-0000-000000000000/providers/Microsoft.Authorization/roleDefinitions/c0ffee00-0000-0000-0000-%012d", i, i)
		roles = append(roles, id)
		rs = append(rs, &resource.Resource{Provider: resource.Azure, ID: id, Facts: resource.Facts{Role: &resource.RoleDefinition{Custom: resource.Bool(true), RoleName: fmt.Sprintf("custom %d", i),
			Permissions: []resource.RolePermission{{Actions: []string{"Microsoft.Compute/*/read", "Microsoft.Storage/storageAccounts/*"}, NotActions: []string{"Microsoft.Storage/storageAccounts/delete"}}}}}})
	}
	roles = append(roles, builtins...)
	scopeOf := func() string {
		switch x := rng.IntN(100); {
		case x < 5:
			return mgs[rng.IntN(len(mgs))]
		case x < 30:
			return subs[rng.IntN(len(subs))]
		case x < 80:
			return rgs[rng.IntN(len(rgs))]
		default:
			return fmt.Sprintf("%s/providers/Microsoft.Compute/virtualMachines/vm%d", rgs[rng.IntN(len(rgs))], rng.IntN(10))
		}
	}
	for i := range bindings {
		p := rng.IntN(principals)
		typ := "User"
		if p < nGroups {
			typ = "Group"
		}
		rs = append(rs, assign(fmt.Sprintf("b%d", i), ids[p], typ, roles[rng.IntN(len(roles))], "", scopeOf(), ""))
	}
	for i := range 100 {
		rs = append(rs, denyAssign(fmt.Sprintf("d%d", i), Everyone, rgs[rng.IntN(len(rgs))], resource.RolePermission{Actions: []string{"*/delete"}}, ids[rng.IntN(principals)]))
	}
	for range 1000 {
		scopes = append(scopes, scopeOf())
	}
	return rs, scopes
}

// BenchmarkSynthetic: a tenant of 50,000 principals and 200,000 role
// assignments: indexing it, then checks, who-can and the admins of every
// subscription.
func BenchmarkSynthetic(b *testing.B) {
	rs, scopes := synthetic(50_000, 200_000)
	b.Run("New", func(b *testing.B) {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		var e *Evaluator
		for b.Loop() {
			e = newEval(b, rs)
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/(1<<20), "MiB-retained")
		runtime.KeepAlive(e)
	})
	e := newEval(b, rs)
	actions := []string{"Microsoft.Compute/virtualMachines/read", "Microsoft.Compute/virtualMachines/delete", "Microsoft.Storage/storageAccounts/listkeys/action", AdminAction}
	b.Run("Check", func(b *testing.B) {
		i := 0
		for b.Loop() {
			e.Check(Request{Principal: fmt.Sprintf("%08x-0000-4000-8000-%012x", (i*7919)%50_000, (i*7919)%50_000), Action: actions[i%len(actions)], Scope: scopes[i%len(scopes)]})
			i++
		}
	})
	b.Run("WhoCan", func(b *testing.B) {
		i, n := 0, 0
		for b.Loop() {
			n += len(e.WhoCan(actions[i%len(actions)], false, scopes[i%len(scopes)]))
			i++
		}
		b.ReportMetric(float64(n)/float64(i), "holders/op")
	})
	b.Run("SubscriptionAdmins", func(b *testing.B) {
		n := 0
		for b.Loop() {
			for _, hs := range e.SubscriptionAdmins() {
				n += len(hs)
			}
		}
		b.ReportMetric(float64(n)/float64(b.N), "admins/op")
	})
}

func TestSyntheticSmall(t *testing.T) {
	rs, scopes := synthetic(500, 2000)
	e := newEval(t, rs)
	if len(e.Problems()) != 0 {
		t.Fatalf("problems: %v", e.Problems()[:1])
	}
	allowed := 0
	for _, s := range scopes[:100] {
		for _, h := range e.WhoCan("Microsoft.Compute/virtualMachines/read", false, s) {
			if h.Decision.Result == Allowed {
				allowed++
				// Every holder WhoCan names is one Check allows.
				if d := e.Check(Request{Principal: h.Principal, Action: "Microsoft.Compute/virtualMachines/read", Scope: s}); d.Result != Allowed {
					t.Fatalf("%s at %s: WhoCan allowed, Check %s", h.Principal, s, d.Result)
				}
			}
		}
	}
	if allowed == 0 {
		t.Fatal("synthetic tenant grants nothing")
	}
}
