package wire_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vigil-sec/vigil/internal/respond/engine"
	"github.com/vigil-sec/vigil/internal/respond/wire"
)

// TestApprovers: approvals go to the trail and the plan file with their
// mode; the trail tells apply from dry-run approvals (a CLI approval of
// before the modes counts for apply, a dashboard one for a dry run); an
// approval only in the plan file is not in the trail.
func TestApprovers(t *testing.T) {
	ctx := context.Background()
	state := wire.State(t.TempDir())
	reg, err := wire.Registry(wire.Clouds{})
	if err != nil {
		t.Fatal(err)
	}
	r, closeTrail, err := wire.Runner(reg, state, "", "planner")
	if err != nil {
		t.Fatal(err)
	}
	p := &engine.Plan{Version: engine.PlanVersion, ID: "p1", Created: time.Now().UTC()}
	path := filepath.Join(state.Plans(), "p1.json")
	f, err := wire.WritePlan(ctx, r, p, path, nil)
	if err != nil {
		t.Fatal(err)
	}
	// Approvals recorded before modes existed.
	for _, e := range []engine.Event{
		{Kind: engine.KindApproval, Plan: f.Hash, Data: map[string]any{"plan": "p1", "by": "cli"}},
		{Kind: engine.KindApproval, Plan: f.Hash, Data: map[string]any{"plan": "p1", "by": "web", "via": "vigil serve"}},
	} {
		if err := r.Trail.Record(ctx, e.Data.(map[string]any)["by"].(string), e); err != nil {
			t.Fatal(err)
		}
	}
	closeTrail()
	if _, err := wire.Approve(ctx, state, path, f, "alice", "SEC-1", wire.ModeDryRun, "vigil serve", time.Now()); err != nil {
		t.Fatal(err)
	}
	if _, err := wire.Approve(ctx, state, path, f, "bob", "SEC-2", wire.ModeApply, "", time.Now()); err != nil {
		t.Fatal(err)
	}
	if _, err := wire.Approve(ctx, state, path, f, "eve", "", "yolo", "", time.Now()); err == nil || !strings.Contains(err.Error(), "yolo") {
		t.Errorf("an unknown mode: %v", err)
	}
	got, err := wire.Approvers(state.Trail(), f.Hash)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{"cli": true, "web": false, "alice": false, "bob": true}
	if len(got) != len(want) {
		t.Errorf("approvers %v, want %v", got, want)
	}
	for k, v := range want {
		if a, ok := got[k]; !ok || a != v {
			t.Errorf("approver %s: %v %v, want for apply %v", k, a, ok, v)
		}
	}
	back, err := engine.ReadFile(path)
	if err != nil || len(back.Approvals) != 2 || back.Approvals[0].Mode != wire.ModeDryRun || back.Approvals[1].Mode != wire.ModeApply {
		t.Errorf("plan file approvals: %+v %v", back, err)
	}
	// A trail that does not verify is refused.
	b, _ := os.ReadFile(state.Trail())
	os.WriteFile(state.Trail(), []byte(strings.Replace(string(b), `"actor":"bob"`, `"actor":"mallory"`, 1)), 0o600)
	if _, err := wire.Approvers(state.Trail(), f.Hash); err == nil {
		t.Error("a modified trail was read")
	}
}
