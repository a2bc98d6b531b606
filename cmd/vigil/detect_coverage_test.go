package main

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"testing"
)

// TestDetectCoverageCommand: vigil detect coverage prints a JSON report over
// the built-ins, and exits 2 when asked for no rules at all.
func TestDetectCoverageCommand(t *testing.T) {
	ctx := context.Background()
	var out bytes.Buffer
	cmd := newRootCmd()
	cmd.SetOut(&out)
	cmd.SetErr(&bytes.Buffer{})
	cmd.SetArgs([]string{"detect", "coverage", "--format", "json"})
	if err := cmd.ExecuteContext(ctx); err != nil {
		t.Fatal(err)
	}
	var rep struct {
		Attack     struct{ Version string } `json:"attack"`
		Rules      struct{ Builtin int }    `json:"rules"`
		IaaSAndIdP struct {
			Units   int     `json:"units"`
			Percent float64 `json:"percent"`
		} `json:"iaas_and_identity_provider"`
	}
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatalf("%v: %s", err, out.String())
	}
	if rep.Attack.Version == "" || rep.Rules.Builtin < 150 || rep.IaaSAndIdP.Units == 0 || rep.IaaSAndIdP.Percent <= 0 {
		t.Errorf("report %+v", rep)
	}
	empty := t.TempDir()
	if code := run(ctx, []string{"detect", "coverage", "--no-builtin", "--rules", empty}); code != 2 {
		t.Errorf("no rules: exit %d, want 2", code)
	}
	if code := run(ctx, []string{"detect", "coverage", "--format", "xml"}); code != 2 {
		t.Errorf("bad format: exit %d, want 2", code)
	}
	if code := run(ctx, []string{"detect", "coverage", "--rules", filepath.Join(empty, "missing")}); code != 2 {
		t.Errorf("missing rules dir: exit %d, want 2", code)
	}
}
