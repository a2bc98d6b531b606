package gcprespond

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/collect/gcp/gcptest"
	"github.com/vigil-sec/vigil/internal/respond"
	"github.com/vigil-sec/vigil/internal/respond/respondtest"
)

// sitePolicy is a bucket's policy with public members in three bindings:
// one with another member, one with only allAuthenticatedUsers, one
// conditional (policy version 3).
func sitePolicy() *gcptest.Policy {
	return &gcptest.Policy{Version: 3, Bindings: []gcptest.Binding{
		{Role: "roles/storage.objectViewer", Members: []string{"allUsers", "user:ana@example.com"}},
		{Role: "roles/storage.legacyBucketReader", Members: []string{"allAuthenticatedUsers"}},
		{Role: "roles/storage.admin", Members: []string{"group:ops@example.com"}},
		{Role: "roles/storage.objectViewer", Members: []string{"allUsers", "serviceAccount:cdn@proj-a.iam.gserviceaccount.com"},
			Condition: &gcptest.Expr{Title: "public-prefix", Expression: `resource.name.startsWith("projects/_/buckets/site/objects/public/")`}},
	}}
}

// grants is a policy's bindings as "role[ if condition]" -> sorted
// members, order aside.
func grants(p *gcptest.Policy) map[string][]string {
	out := map[string][]string{}
	for _, b := range p.Bindings {
		k := b.Role
		if b.Condition != nil {
			k += " if " + b.Condition.Expression
		}
		out[k] = slices.Sorted(slices.Values(append(out[k], b.Members...)))
	}
	return out
}

func (c *cloud) bucketGrants(bucket string) (g map[string][]string) {
	c.st.With(func() { g = grants(c.st.Buckets[bucket]) })
	return g
}

func TestRemovePublicBucketMembers(t *testing.T) {
	c := newCloud(t, func(st *gcptest.Cloud) {
		st.Buckets["site"] = sitePolicy()
		st.Buckets["downloads"] = &gcptest.Policy{Bindings: []gcptest.Binding{{Role: "roles/storage.objectViewer", Members: []string{"allUsers"}}}}
	})
	before := grants(sitePolicy())
	cond := `roles/storage.objectViewer if resource.name.startsWith("projects/_/buckets/site/objects/public/")`
	after := map[string][]string{
		"roles/storage.objectViewer": {"user:ana@example.com"},
		"roles/storage.admin":        {"group:ops@example.com"},
		cond:                         {"serviceAccount:cdn@proj-a.iam.gserviceaccount.com"},
	}
	a := c.action(t, "gcp.storage.remove-public-members")
	ch := respondtest.Lifecycle{
		Action:  a,
		Request: request(map[string]string{"bucket": "//storage.googleapis.com/site"}),
		Before: func(t *testing.T) {
			if g := c.bucketGrants("site"); !maps.EqualFunc(g, before, slices.Equal) {
				t.Errorf("site's grants %v, want %v", g, before)
			}
		},
		After: func(t *testing.T) {
			if g := c.bucketGrants("site"); !maps.EqualFunc(g, after, slices.Equal) {
				t.Errorf("site's grants %v, want %v", g, after)
			}
		},
		Unrelated: func(t *testing.T) {
			if g := c.bucketGrants("downloads"); !slices.Equal(g["roles/storage.objectViewer"], []string{"allUsers"}) {
				t.Errorf("another bucket changed: %v", g)
			}
		},
	}.Run(t)
	if ch.Resource != "//storage.googleapis.com/site" || ch.Account != project || len(ch.Diff) != 3 {
		t.Errorf("change %+v: want 3 bindings changed on //storage.googleapis.com/site", ch)
	}
	for _, d := range ch.Diff {
		if b := fmt.Sprint(d.Before); !strings.Contains(b, "all") || strings.Contains(fmt.Sprint(d.After), "all") {
			t.Errorf("diff %s: %v -> %v", d.Attribute, d.Before, d.After)
		}
	}
	c.checkPermissions(t, a)
	// Apply, rollback: one write each; a second apply wrote nothing.
	if m := c.methods(); m["storage.buckets.setIamPolicy"] != 2 {
		t.Errorf("calls %v, want 2 setIamPolicy (apply, rollback)", m)
	}
}

// TestBucketPolicyConflictRetried: another writer changes the policy
// between the read and the write (the write's etag is stale: 412); the
// action reads again and writes once more, keeping the other writer's
// grant. A policy that keeps changing fails the apply after two writes.
func TestBucketPolicyConflictRetried(t *testing.T) {
	c := newCloud(t, func(st *gcptest.Cloud) { st.Buckets["site"] = sitePolicy() })
	writes := 0
	c.st.Hook = func(call gcptest.Call) *gcptest.APIError {
		if call.Method == "storage.buckets.setIamPolicy" {
			writes++
			if writes == 1 {
				c.st.With(func() {
					p := c.st.Buckets["site"]
					p.Bindings = append(p.Bindings, gcptest.Binding{Role: "roles/storage.objectCreator", Members: []string{"allUsers", "user:bo@example.com"}})
					p.Etag = c.st.Etag()
				})
			}
		}
		return nil
	}
	a := c.action(t, "gcp.storage.remove-public-members")
	ch, err := plan(t, a, map[string]string{"bucket": "site"})
	if err != nil {
		t.Fatal(err)
	}
	rec := &respondtest.Recorder{}
	done, err := a.Apply(context.Background(), rec.Env(), ch)
	if err != nil {
		t.Fatalf("Apply after a concurrent change: %v", err)
	}
	g := c.bucketGrants("site")
	if !slices.Equal(g["roles/storage.objectCreator"], []string{"user:bo@example.com"}) || slices.Contains(g["roles/storage.objectViewer"], "allUsers") {
		t.Errorf("grants %v: want the concurrent grant kept without its public member, and no public member left", g)
	}
	if m := c.methods(); m["storage.buckets.setIamPolicy"] != 2 || m["storage.buckets.getIamPolicy"] != 3 {
		t.Errorf("calls %v: want plan read, read + write (412), read + write", m)
	}
	var failed int
	for _, e := range rec.Errs {
		if e != nil {
			failed++
		}
	}
	if failed != 1 {
		t.Errorf("recorded %d failed calls, want the 412 one", failed)
	}
	// The rollback restores what this apply removed, the concurrent
	// writer's allUsers included.
	if _, err := a.Rollback(context.Background(), nil, ch, done); err != nil {
		t.Fatal(err)
	}
	if g := c.bucketGrants("site"); !slices.Contains(g["roles/storage.objectCreator"], "allUsers") || !slices.Contains(g["roles/storage.objectViewer"], "allUsers") {
		t.Errorf("after rollback: %v", g)
	}

	// Always changed between read and write: one retry only, then the
	// conflict is the apply's error.
	c.st.Hook = func(call gcptest.Call) *gcptest.APIError {
		if call.Method == "storage.buckets.setIamPolicy" {
			c.st.With(func() { c.st.Buckets["site"].Etag = c.st.Etag() })
		}
		return nil
	}
	before := c.methods()["storage.buckets.setIamPolicy"]
	if _, err := a.Apply(context.Background(), nil, ch); err == nil || !strings.Contains(err.Error(), "412") {
		t.Errorf("Apply against a policy changing at every write: err = %v, want the 412", err)
	}
	if n := c.methods()["storage.buckets.setIamPolicy"] - before; n != 2 {
		t.Errorf("%d writes, want 2 (one retry)", n)
	}
	if g := c.bucketGrants("site"); !slices.Contains(g["roles/storage.objectViewer"], "allUsers") {
		t.Errorf("the policy changed though every write was refused: %v", g)
	}
}

func projectPolicyState() *gcptest.Policy {
	return &gcptest.Policy{Version: 1, Bindings: []gcptest.Binding{
		{Role: "roles/viewer", Members: []string{"allAuthenticatedUsers", "user:ana@example.com"}},
		{Role: "roles/owner", Members: []string{"user:root@example.com"}},
	}, AuditConfigs: []json.RawMessage{json.RawMessage(`{"service":"allServices","auditLogConfigs":[{"logType":"DATA_READ"}]}`)}}
}

func TestRemovePublicProjectMembers(t *testing.T) {
	c := newCloud(t, func(st *gcptest.Cloud) { st.Projects[project] = projectPolicyState() })
	get := func() (g map[string][]string, audit int) {
		c.st.With(func() { g, audit = grants(c.st.Projects[project]), len(c.st.Projects[project].AuditConfigs) })
		return g, audit
	}
	a := c.action(t, "gcp.resourcemanager.remove-public-members")
	ch := respondtest.Lifecycle{
		Action:  a,
		Request: request(nil), // the subject's project
		Before: func(t *testing.T) {
			if g, audit := get(); !maps.EqualFunc(g, grants(projectPolicyState()), slices.Equal) || audit != 1 {
				t.Errorf("grants %v (%d audit configs), want the policy as before", g, audit)
			}
		},
		After: func(t *testing.T) {
			g, audit := get()
			if !slices.Equal(g["roles/viewer"], []string{"user:ana@example.com"}) || len(g["roles/owner"]) != 1 || audit != 1 {
				t.Errorf("grants %v (%d audit configs): want allAuthenticatedUsers removed, the rest and the audit config kept", g, audit)
			}
		},
	}.Run(t)
	if ch.Resource != "//cloudresourcemanager.googleapis.com/projects/"+project || ch.Account != project {
		t.Errorf("change %+v", ch)
	}
	c.checkPermissions(t, a)
}

// TestProjectPolicyConflictRetried: Resource Manager answers a stale etag
// 409 ABORTED; the write is made again from a fresh read.
func TestProjectPolicyConflictRetried(t *testing.T) {
	c := newCloud(t, func(st *gcptest.Cloud) { st.Projects[project] = projectPolicyState() })
	first := true
	c.st.Hook = func(call gcptest.Call) *gcptest.APIError {
		if call.Method == "cloudresourcemanager.projects.setIamPolicy" && first {
			first = false
			c.st.With(func() {
				p := c.st.Projects[project]
				p.Bindings = append(p.Bindings, gcptest.Binding{Role: "roles/editor", Members: []string{"user:bo@example.com"}})
				p.Etag = c.st.Etag()
			})
		}
		return nil
	}
	a := c.action(t, "gcp.resourcemanager.remove-public-members")
	ch, err := plan(t, a, map[string]string{"project": "projects/" + project})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Apply(context.Background(), nil, ch); err != nil {
		t.Fatalf("Apply after a concurrent change: %v", err)
	}
	c.st.With(func() {
		g := grants(c.st.Projects[project])
		if len(g["roles/editor"]) != 1 || slices.Contains(g["roles/viewer"], "allAuthenticatedUsers") {
			t.Errorf("grants %v: want the concurrent grant kept and no public member", g)
		}
	})
}

func TestPublicMembersNoOpAndInputs(t *testing.T) {
	c := newCloud(t, func(st *gcptest.Cloud) {
		st.Buckets["private"] = &gcptest.Policy{Bindings: []gcptest.Binding{{Role: "roles/storage.admin", Members: []string{"user:ana@example.com"}}}}
	})
	a := c.action(t, "gcp.storage.remove-public-members")
	ch, err := plan(t, a, map[string]string{"bucket": "private"})
	if err != nil || !ch.NoOp || len(ch.Calls) != 0 {
		t.Errorf("a bucket without public members: change %+v, err %v; want a no-op", ch, err)
	}
	for _, in := range []map[string]string{nil, {"bucket": "gs://"}, {"bucket": "Not_A_Bucket"}, {"bucket": "a/b"}} {
		_, err := plan(t, a, in)
		mustErr(t, fmt.Sprint(in), err, respond.ErrInput)
	}
	p := c.action(t, "gcp.resourcemanager.remove-public-members")
	_, err = p.Plan(context.Background(), nil, &respond.Request{Inputs: map[string]string{}})
	mustErr(t, "no project", err, respond.ErrInput)
	_, err = plan(t, p, map[string]string{"project": "projects/x/y"})
	mustErr(t, "projects/x/y", err, respond.ErrInput)
}

func TestPolicyEdits(t *testing.T) {
	bs := []binding{
		{Role: "r1", Members: []string{"allUsers", "user:a"}},
		{Role: "r2", Members: []string{"allAuthenticatedUsers"}},
		{Role: "r1", Condition: &condition{Expression: "x"}, Members: []string{"allUsers"}},
	}
	kept, removed := withoutPublic(bs)
	if len(kept) != 1 || !slices.Equal(kept[0].Members, []string{"user:a"}) || len(removed) != 3 {
		t.Fatalf("kept %+v removed %+v", kept, removed)
	}
	back, changed := withMembers(kept, removed)
	if !changed || len(back) != 3 {
		t.Fatalf("restored %+v", back)
	}
	if _, again := withMembers(back, removed); again {
		t.Errorf("restoring twice changes the policy again")
	}
	if k, r := withoutPublic(back); len(k) != 1 || len(r) != 3 || !slices.Equal(bs[0].Members, []string{"allUsers", "user:a"}) {
		t.Errorf("round trip: kept %+v removed %+v; input changed: %+v", k, r, bs[0])
	}
}

// TestBucketPolicyWriteLostAnswer: the write goes through but its answer
// is lost (503); the retried write is refused (412, the etag changed), the
// fresh read finds nothing left to remove, and the apply still counts as
// the change: rollback grants the public members again.
func TestBucketPolicyWriteLostAnswer(t *testing.T) {
	c := newCloud(t, func(st *gcptest.Cloud) { st.Buckets["site"] = sitePolicy() })
	first := true
	c.st.Hook = func(call gcptest.Call) *gcptest.APIError {
		if call.Method == "storage.buckets.setIamPolicy" && first {
			first = false
			c.st.With(func() {
				p := c.st.Buckets["site"]
				var kept []gcptest.Binding
				for _, b := range p.Bindings {
					b.Members = slices.DeleteFunc(slices.Clone(b.Members), func(m string) bool { return strings.HasPrefix(m, "all") })
					if len(b.Members) > 0 {
						kept = append(kept, b)
					}
				}
				p.Bindings, p.Etag = kept, c.st.Etag()
			})
			return gcptest.RESTError(503, "The service is currently unavailable.")
		}
		return nil
	}
	a := c.action(t, "gcp.storage.remove-public-members")
	ch, err := plan(t, a, map[string]string{"bucket": "site"})
	if err != nil {
		t.Fatal(err)
	}
	done, err := a.Apply(context.Background(), nil, ch)
	if err != nil {
		t.Fatalf("Apply: %v", err)
	}
	if strings.Contains(done.Note, "already") {
		t.Errorf("outcome %q: the apply made the change", done.Note)
	}
	if _, err := a.Rollback(context.Background(), nil, ch, done); err != nil {
		t.Fatal(err)
	}
	if g, want := c.bucketGrants("site"), grants(sitePolicy()); !maps.EqualFunc(g, want, slices.Equal) {
		t.Errorf("after rollback %v, want %v", g, want)
	}
}

// TestRemoveEveryBinding: a policy granting only public members is
// written with no bindings at all (sent as an empty list), and rollback
// grants them again.
func TestRemoveEveryBinding(t *testing.T) {
	c := newCloud(t, func(st *gcptest.Cloud) {
		st.Buckets["downloads"] = &gcptest.Policy{Bindings: []gcptest.Binding{{Role: "roles/storage.objectViewer", Members: []string{"allUsers"}}}}
	})
	respondtest.Lifecycle{
		Action:  c.action(t, "gcp.storage.remove-public-members"),
		Request: request(map[string]string{"bucket": "downloads"}),
		Before: func(t *testing.T) {
			if g := c.bucketGrants("downloads"); len(g) != 1 || !slices.Equal(g["roles/storage.objectViewer"], []string{"allUsers"}) {
				t.Errorf("grants %v", g)
			}
		},
		After: func(t *testing.T) {
			if g := c.bucketGrants("downloads"); len(g) != 0 {
				t.Errorf("grants %v, want none", g)
			}
		},
	}.Run(t)
}
