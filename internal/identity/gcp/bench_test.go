package gcpiam

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"testing"

	"github.com/vigil-sec/vigil/internal/resource"
)

// synthetic builds an organization of principals members (88% users, 10%
// service accounts, 2% groups of 40 members, a tenth of them nested) and
// bindings IAM bindings over 50 folders, 1,000 projects and 10,000
// buckets, with predefined, basic and 50 custom roles, 5% of bindings under
// a condition, and public and domain bindings.
func synthetic(principals, bindings int) (rs []*resource.Resource, scopes []string) {
	rng := rand.New(rand.NewPCG(3, 4))
	rs = append(rs, node(org, "organization", "", "organizations/1"))
	var folders, projects, buckets []string
	for i := range 50 {
		id := fmt.Sprintf("%sfolders/%d", crm, 1000+i)
		folders = append(folders, id)
		rs = append(rs, node(id, "folder", org, fmt.Sprintf("folders/%d", 1000+i)))
	}
	for i := range 1000 {
		id := fmt.Sprintf("%sprojects/%d", crm, 5000+i)
		projects = append(projects, id)
		rs = append(rs, node(id, "project", folders[i%len(folders)], fmt.Sprintf("projects/p-%d", i), fmt.Sprintf("projects/%d", 5000+i)))
		for j := range 10 {
			b := fmt.Sprintf("//storage.googleapis.com/p-%d-b%d", i, j)
			buckets = append(buckets, b)
			rs = append(rs, &resource.Resource{Provider: resource.GCP, Account: fmt.Sprintf("p-%d", i), ID: b, Class: resource.ClassObjectStorage})
		}
	}
	nGroups := principals / 50
	nSAs := principals / 10
	members := make([]string, principals)
	var groupRes []*resource.Resource
	for i := range principals {
		switch {
		case i < nGroups:
			email := fmt.Sprintf("g%d@example.com", i)
			members[i] = "group:" + email
			g := googleGroup(email)
			g.Facts.Group.Members = []string{}
			groupRes = append(groupRes, g)
			rs = append(rs, g)
		case i < nGroups+nSAs:
			email := fmt.Sprintf("sa%d@p-%d.iam.gserviceaccount.com", i, i%1000)
			members[i] = "serviceAccount:" + email
			rs = append(rs, &resource.Resource{Provider: resource.GCP, Account: fmt.Sprintf("p-%d", i%1000), ID: fmt.Sprintf("//iam.googleapis.com/projects/p-%d/serviceAccounts/%d", i%1000, i),
				Aliases: []string{email, "serviceAccount:" + email}, Facts: resource.Facts{Identity: &resource.Identity{Kind: "service_account"}}})
		default:
			members[i] = fmt.Sprintf("user:u%d@example.com", i)
		}
	}
	for gi, g := range groupRes {
		for range 40 {
			g.Facts.Group.Members = append(g.Facts.Group.Members, members[nGroups+rng.IntN(principals-nGroups)])
		}
		if gi%10 == 0 && gi > 0 {
			g.Facts.Group.Members = append(g.Facts.Group.Members, members[rng.IntN(gi)])
		}
	}
	roles := []string{"roles/owner", "roles/editor", "roles/viewer", "roles/storage.objectViewer", "roles/storage.objectAdmin", "roles/storage.admin",
		"roles/compute.admin", "roles/compute.viewer", "roles/iam.serviceAccountUser", "roles/iam.serviceAccountTokenCreator", "roles/bigquery.dataViewer",
		"roles/resourcemanager.projectIamAdmin", "roles/cloudkms.cryptoKeyEncrypterDecrypter", "roles/logging.viewer", "roles/pubsub.publisher"}
	for i := range 50 {
		id := fmt.Sprintf("projects/p-%d/roles/custom%d", i, i)
		roles = append(roles, id)
		rs = append(rs, customRole(id, "GA", "storage.objects.get", "storage.objects.list", "compute.instances.get", fmt.Sprintf("custom.perm.n%d", i)))
	}
	scopeOf := func() string {
		switch x := rng.IntN(100); {
		case x < 2:
			return org
		case x < 10:
			return folders[rng.IntN(len(folders))]
		case x < 70:
			return projects[rng.IntN(len(projects))]
		default:
			return buckets[rng.IntN(len(buckets))]
		}
	}
	for range bindings {
		m := members[rng.IntN(principals)]
		switch x := rng.IntN(1000); {
		case x < 2:
			m = "allUsers"
		case x < 4:
			m = "domain:example.com"
		}
		cond := ""
		if rng.IntN(20) == 0 {
			cond = `t|request.time < timestamp("2030-01-01T00:00:00Z")`
		}
		rs = append(rs, bindRes(scopeOf(), roles[rng.IntN(len(roles))], m, cond))
	}
	for range 1000 {
		scopes = append(scopes, scopeOf())
	}
	return rs, scopes
}

// BenchmarkSynthetic: an organization of 50,000 members and 200,000
// bindings: indexing it, then checks, who-can and the admins of every
// project.
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
	perms := []string{"storage.objects.get", "storage.objects.delete", "compute.instances.create", "resourcemanager.projects.setIamPolicy", "iam.serviceAccounts.actAs"}
	b.Run("Check", func(b *testing.B) {
		i := 0
		for b.Loop() {
			n := (i * 7919) % 50_000
			m := fmt.Sprintf("user:u%d@example.com", n)
			e.Check(Request{Member: m, Permission: perms[i%len(perms)], Resource: scopes[i%len(scopes)]})
			i++
		}
	})
	b.Run("WhoCan", func(b *testing.B) {
		i, n := 0, 0
		for b.Loop() {
			n += len(e.WhoCan(perms[i%len(perms)], scopes[i%len(scopes)]))
			i++
		}
		b.ReportMetric(float64(n)/float64(i), "holders/op")
	})
	b.Run("ProjectAdmins", func(b *testing.B) {
		n := 0
		for b.Loop() {
			for _, hs := range e.ProjectAdmins() {
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
		for _, h := range e.WhoCan("storage.objects.get", s) {
			if h.Decision.Result == Allowed {
				allowed++
				if d := e.Check(Request{Member: h.Principal, Permission: "storage.objects.get", Resource: s}); d.Result != Allowed {
					t.Fatalf("%s on %s: WhoCan allowed, Check %s", h.Principal, s, d.Result)
				}
			}
		}
	}
	if allowed == 0 {
		t.Fatal("synthetic organization grants nothing")
	}
}
