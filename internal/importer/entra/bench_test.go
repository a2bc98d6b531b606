package entra

import (
	"context"
	"fmt"
	"testing"

	"github.com/vigil-sec/vigil/internal/importer/internal/attr"
)

// synthTenant is a decoded Entra document with users users, users/10
// groups of 20 members each, users/25 service principals with an app
// permission each and users/50 directory role assignments.
func synthTenant(users int) attr.M {
	page := func(vs []any) attr.M { return attr.M{"value": vs} }
	var us, gs, sps, ras []any
	resp := attr.M{}
	for i := range users {
		us = append(us, attr.M{"id": fmt.Sprintf("u%d", i), "userPrincipalName": fmt.Sprintf("u%d@x", i), "userType": "Member", "accountEnabled": true})
	}
	for g := range users / 10 {
		gid := fmt.Sprintf("g%d", g)
		gs = append(gs, attr.M{"id": gid, "visibility": "Private"})
		var ms []any
		for m := range 20 {
			ms = append(ms, attr.M{"id": fmt.Sprintf("u%d", (g*7+m*13)%users)})
		}
		resp["/groups/"+gid+"/members"] = page(ms)
	}
	for s := range users / 25 {
		sid := fmt.Sprintf("s%d", s)
		sps = append(sps, attr.M{"id": sid, "appId": "a" + sid, "passwordCredentials": []any{}, "keyCredentials": []any{}})
		resp["/servicePrincipals/"+sid+"/appRoleAssignments"] = page([]any{attr.M{"id": "x" + sid, "appRoleId": "r", "resourceId": "s0"}})
	}
	for a := range users / 50 {
		p := fmt.Sprintf("u%d", a*37%users)
		if a%3 == 0 {
			p = fmt.Sprintf("g%d", a%(users/10))
		}
		ras = append(ras, attr.M{"id": fmt.Sprintf("ra%d", a), "principalId": p, "roleDefinitionId": GlobalAdministrator, "directoryScopeId": "/"})
	}
	resp["/users"], resp["/groups"], resp["/servicePrincipals"] = page(us), page(gs), page(sps)
	resp["/roleManagement/directory/roleAssignments"] = page(ras)
	return attr.M{"tenantId": "t", "collectedAt": "2026-12-01T00:00:00Z", "responses": resp}
}

// BenchmarkEntra parses a tenant of 50,000 users (5,000 groups, 2,000
// service principals, 1,000 role assignments).
func BenchmarkEntra(b *testing.B) {
	doc := synthTenant(50000)
	b.ResetTimer()
	for range b.N {
		res := Parse(context.Background(), "bench.json", doc)
		if len(res.Resources) < 50000 {
			b.Fatalf("%d resources", len(res.Resources))
		}
	}
}
