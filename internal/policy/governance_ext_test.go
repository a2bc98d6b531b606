//go:build packbench

package policy_test

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/vigil-sec/vigil/internal/finding"
	"github.com/vigil-sec/vigil/internal/governance"
	"github.com/vigil-sec/vigil/internal/importer"
	"github.com/vigil-sec/vigil/internal/policy"
	"github.com/vigil-sec/vigil/internal/resource"
	"github.com/vigil-sec/vigil/internal/rules"
	"github.com/vigil-sec/vigil/internal/synth"
)

// TestGovernanceDirectMatchesOPA applies the sample organization's
// governance policy to the sample organization and to a synthetic
// inventory and compares the built-in pack with the governance rules
// evaluated as a scan does (every governance rule judged on the Go fields,
// messages included) with OPA alone: the same findings and messages.
func TestGovernanceDirectMatchesOPA(t *testing.T) {
	ctx := context.Background()
	src := policy.Source{FS: rules.FS(), Name: "builtin", Builtin: true}
	pol, err := governance.Load("../../examples/org/governance.yaml")
	if err != nil {
		t.Fatal(err)
	}
	isGov := func(r *policy.Rule) bool { return r.OptIn == "governance" }
	e, err := policy.New(ctx, []policy.Source{src}, policy.OptIn("governance"))
	if err != nil {
		t.Fatal(err)
	}
	off, err := policy.JudgedOnGo(ctx, e, isGov)
	if err != nil {
		t.Fatal(err)
	}
	if len(off) > 0 {
		t.Errorf("governance rules not judged on the Go fields: %v", off)
	}
	org, err := importer.Load(ctx, []string{"../../examples/org"})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if _, err := synth.Generate(ctx, dir, 20_000, synth.RuleHeavy); err != nil {
		t.Fatal(err)
	}
	syn, err := importer.Load(ctx, []string{dir})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)
	for name, rs := range map[string][]*resource.Resource{"sample org": org.Resources, "synthetic": syn.Resources} {
		if err := governance.Apply(ctx, pol, rs); err != nil {
			t.Fatal(err)
		}
		d, err := policy.New(ctx, []policy.Source{src}, policy.OptIn("governance"))
		if err != nil {
			t.Fatal(err)
		}
		o, err := policy.New(ctx, []policy.Source{src}, policy.OptIn("governance"), policy.WithoutDirect())
		if err != nil {
			t.Fatal(err)
		}
		fd, err := d.Evaluate(ctx, rs, now)
		if err != nil {
			t.Fatal(err)
		}
		fo, err := o.Evaluate(ctx, rs, now)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(fo, fd); diff != "" {
			t.Errorf("%s: findings differ (-OPA +direct):\n%s", name, diff)
		}
		gov, msgs := 0, 0
		for _, f := range fd {
			if strings.HasPrefix(f.RuleID, "governance-") && f.Status == finding.Fail {
				gov++
				if f.Message != "" {
					msgs++
				} else {
					t.Logf("no message: %s %s", f.RuleID, f.Resource.ID)
				}
			}
		}
		if gov == 0 || msgs != gov {
			t.Errorf("%s: %d governance FAIL findings, %d with a message", name, gov, msgs)
		}
		t.Logf("%s: %d findings, %d governance FAIL, agree", name, len(fd), gov)
	}
}
