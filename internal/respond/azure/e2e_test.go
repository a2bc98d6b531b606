package azurerespond

import (
	"context"
	"path/filepath"
	"reflect"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/vigil-sec/vigil/internal/collect/azure/azuretest"
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

// TestEndToEndFaults: a refused delete, a throttled delete beyond the
// retries and a resource deleted since planning are told apart in the
// trail (denied, throttled, gone); the other step is applied. (A role
// assignment deleted since planning is the goal reached: applied, with
// no write.)
func TestEndToEndFaults(t *testing.T) {
	f, as := fake(t)
	as = Actions(Options{Endpoint: f.URL, Credential: azuretest.StaticToken{}, HTTPClient: f.Client(), MaxRetries: 1, RetryDelay: time.Millisecond})
	reg, _ := respond.NewRegistry(as...)
	pbs, err := playbook.Load([]string{filepath.Join("testdata", "playbooks.yml")}, reg)
	if err != nil {
		t.Fatal(err)
	}
	tr := &memTrail{}
	r := &engine.Runner{Registry: reg, Policy: engine.DefaultPolicy(), Trail: tr, Actor: "tester",
		Now: func() time.Time { return time.Date(2026, 12, 5, 2, 0, 0, 0, time.UTC) }}
	finding := func(id, rule, res string) *respond.Subject {
		return &respond.Subject{Kind: "finding", ID: id, Rule: rule, Severity: "HIGH", Status: "FAIL", Provider: "azure", Resource: respond.Resource{ID: res}}
	}
	ctx := context.Background()
	plan, err := r.Build(ctx, []*respond.Subject{
		finding("f1", "storage-blob-public-access", account),
		finding("f2", "network-ssh-open", nsg+"/securityRules/allow-ssh-any"),
		finding("f3", "iam-guest-owner", grant),
		finding("f4", "iam-guest-owner", grant2),
	}, playbook.Engine(pbs), engine.BuildOptions{})
	if err != nil || len(plan.Items) != 4 {
		t.Fatalf("plan: %v, %+v", err, plan)
	}
	file, _ := engine.Seal(plan)
	if _, err := file.Approve("alice", "", r.Now()); err != nil {
		t.Fatal(err)
	}
	f.Fail("DELETE", nsg+"/securityRules/allow-ssh-any", nil, 403)
	f.Fail("DELETE", grant, map[string]string{"Retry-After": "0"}, 429, 429)
	f.Gone(account)
	run, err := r.Apply(ctx, file, engine.ApplyOptions{RunsDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	status := map[string]string{}
	for _, res := range run.Results {
		status[res.Resource] = res.Status
	}
	want := map[string]string{account: engine.StatusGone, nsg + "/securityRules/allow-ssh-any": engine.StatusFailed, grant: engine.StatusFailed, grant2: engine.StatusApplied}
	if !reflect.DeepEqual(status, want) {
		t.Errorf("results %v, want %v", status, want)
	}
	calls := map[string]string{}
	for _, e := range tr.events {
		if e.Kind == engine.KindCall && e.Status != "" && e.Status != "ok" {
			calls[e.Resource] = e.Status
		}
	}
	if calls[account] != "gone" || calls[nsg+"/securityRules/allow-ssh-any"] != "denied" || calls[grant] != "throttled" {
		t.Errorf("failed calls in the trail: %v", calls)
	}
	if _, ok := f.State(nsg + "/securityRules/allow-ssh-any"); !ok {
		t.Error("the refused delete deleted the rule")
	}
	if _, ok := f.State(grant); !ok {
		t.Error("the throttled delete deleted the assignment")
	}
	if _, ok := f.State(grant2); ok {
		t.Error("the other assignment was not removed")
	}
}
