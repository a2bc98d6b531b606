package azurerespond

import (
	"context"
	"path/filepath"
	"reflect"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/vigil-sec/vigil/internal/respond"
	"github.com/vigil-sec/vigil/internal/respond/engine"
	"github.com/vigil-sec/vigil/internal/respond/playbook"
)

type memTrail struct {
	mu     sync.Mutex
	events []engine.Event
}

func (m *memTrail) Record(_ context.Context, _ string, e engine.Event) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.events = append(m.events, e)
	return nil
}

// TestEndToEnd: the four Azure remediations through playbooks
// (testdata/playbooks.yml) and the engine: planning changes nothing, an
// unapproved plan is refused, the approved plan is applied (the one
// leaked secret only), applying again writes nothing, and rolling back
// restores everything but the secret, which the run says is irreversible.
func TestEndToEnd(t *testing.T) {
	f, as := fake(t)
	reg, err := respond.NewRegistry(as...)
	if err != nil {
		t.Fatal(err)
	}
	pbs, err := playbook.Load([]string{filepath.Join("testdata", "playbooks.yml")}, reg)
	if err != nil {
		t.Fatal(err)
	}
	r := &engine.Runner{Registry: reg, Policy: engine.DefaultPolicy(), Trail: &memTrail{}, Actor: "tester",
		Now: func() time.Time { return time.Date(2026, 12, 5, 2, 0, 0, 0, time.UTC) }}
	finding := func(id, rule, res string) *respond.Subject {
		return &respond.Subject{Kind: "finding", ID: id, Rule: rule, Severity: "HIGH", Status: "FAIL", Provider: "azure", Account: sub,
			Resource: respond.Resource{ID: res}}
	}
	subjects := []*respond.Subject{
		finding("f1", "storage-blob-public-access", account),
		finding("f2", "network-ssh-open", nsg+"/securityRules/allow-ssh-any"),
		finding("f3", "iam-guest-owner", grant),
		{Kind: "alert", ID: "a1", Rule: "sp-secret-from-new-country", Severity: "HIGH", Level: "high", Techniques: []string{"T1078.004"},
			Provider: "azure", Resource: respond.Resource{ID: "/tenants/t1/servicePrincipals/" + spID},
			Raw: map[string]any{"unmapped": map[string]any{"key_id": leaked}}},
	}
	state := func() map[string]any {
		o, _ := f.State(sp)
		_, rule := f.State(nsg + "/securityRules/allow-ssh-any")
		_, as := f.State(grant)
		var acct any
		if a, ok := f.State(account); ok {
			acct = a["properties"].(map[string]any)["allowBlobPublicAccess"]
		}
		return map[string]any{"public": acct, "rule": rule, "assignment": as, "passwords": len(o["passwordCredentials"].([]any)),
			"leaked": slices.Contains(keyIDs(f, "passwordCredentials"), leaked)}
	}
	before := state()
	ctx := context.Background()
	plan, err := r.Build(ctx, subjects, playbook.Engine(pbs), engine.BuildOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(plan.Items) != 4 {
		t.Fatalf("%d items planned, want 4: %+v (skipped %+v)", len(plan.Items), plan.Items, plan.Skipped)
	}
	file, err := engine.Seal(plan)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(state(), before) {
		t.Fatal("planning changed the cloud")
	}
	dir := t.TempDir()
	if _, err := r.Apply(ctx, file, engine.ApplyOptions{RunsDir: dir}); err == nil || !reflect.DeepEqual(state(), before) {
		t.Fatalf("an unapproved plan: err = %v", err)
	}
	if _, err := file.Approve("alice", "INC-7", r.Now()); err != nil {
		t.Fatal(err)
	}
	run, err := r.Apply(ctx, file, engine.ApplyOptions{RunsDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if c := run.Counts(); c[engine.StatusApplied] != 4 {
		t.Fatalf("apply counts %v: %+v", c, run.Results)
	}
	want := map[string]any{"public": false, "rule": false, "assignment": false, "passwords": 1, "leaked": false}
	if got := state(); !reflect.DeepEqual(got, want) {
		t.Fatalf("after apply %v, want %v", got, want)
	}
	if _, err := r.Apply(ctx, file, engine.ApplyOptions{RunsDir: dir}); err != nil || !reflect.DeepEqual(state(), want) {
		t.Fatalf("second apply: %v, %v", err, state())
	}
	back, err := engine.ReadRun(run.Path)
	if err != nil {
		t.Fatal(err)
	}
	rb, err := r.Rollback(ctx, back, dir)
	if err != nil {
		t.Fatal(err)
	}
	if c := rb.Counts(); c[engine.StatusRolledBack] != 3 || c[engine.StatusIrreversible] != 1 {
		t.Errorf("rollback counts %v", c)
	}
	want = map[string]any{"public": true, "rule": true, "assignment": true, "passwords": 1, "leaked": false}
	if got := state(); !reflect.DeepEqual(got, want) {
		t.Errorf("after rollback %v, want %v", got, want)
	}
}
