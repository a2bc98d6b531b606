package policy

import (
	"context"
	"fmt"
	"testing"

	"github.com/vigil-sec/vigil/internal/finding"
	"github.com/vigil-sec/vigil/internal/resource"
)

// TestPrefilterMatchesOPA checks rules OPA evaluates whose walks of their
// class lead with direct conditions (joins of a class with itself, as the
// duties-not-separated rules do) against the OPA-only engine, that those
// rules get a prefilter and that evaluating them converts only the
// resources it selects; and that rules reading their class any other way
// get none.
func TestPrefilterMatchesOPA(t *testing.T) {
	ctx := context.Background()
	join := "admins := {[b.facts.binding.scope, b.facts.binding.principal] |\n\tsome b in input.resources.iam_binding\n\tb.facts.binding.role == \"admin\"\n}\n\n" +
		"fail contains r.id if {\n\tsome r in input.resources.iam_binding\n\tr.facts.binding.role in {\"user\", \"admin\"}\n\tnot r.facts.binding.deny == true\n" +
		"\t[r.facts.binding.scope, r.facts.binding.principal] in admins\n\tr.facts.binding.role != \"admin\"\n}\n\n" +
		"message[r.id] := sprintf(\"%s\", [r.facts.binding.principal]) if {\n\tsome r in input.resources.iam_binding\n\tr.id in fail\n}\n"
	skip := "skip contains r.id if {\n\tsome r in input.resources.iam_binding\n\tstartswith(r.facts.binding.principal, \"x\")\n}\n"
	// A walk whose condition reads another variable: nothing to lead with.
	outer := "skip contains r.id if {\n\tsome r in input.resources.iam_binding\n\tstartswith(r.facts.binding.principal, \"x\")\n\tcount([b | some b in input.resources.iam_binding; b.facts.binding.scope == r.facts.binding.scope]) > 2\n}\n"
	files := map[string]string{
		"join.rego":     header("join", "iam_binding", "") + join,
		"joinskip.rego": header("joinskip", "iam_binding", "") + join + skip,
		"outer.rego":    header("outer", "iam_binding", "") + join + outer,
		// Reads of the class without leading conditions: no prefilter.
		"counted.rego": header("counted", "iam_binding", "") + "fail contains r.id if {\n\tsome r in input.resources.iam_binding\n\tr.facts.binding.role == \"user\"\n\tcount(input.resources.iam_binding) > 3\n}\n",
		"bare.rego":    header("bare", "iam_binding", "") + "fail contains r.id if {\n\tsome r in input.resources.iam_binding\n\tr.facts.binding.role == \"user\"\n\tsome b in input.resources.iam_binding\n\tb.facts.binding.scope == r.facts.binding.scope\n\tb.id != r.id\n}\n",
		"indexed.rego": header("indexed", "iam_binding", "") + "fail contains r.id if {\n\tsome r in input.resources.iam_binding\n\tr.facts.binding.role == \"user\"\n\tinput.resources.iam_binding[0].id == r.id\n}\n",
	}
	dir := writePack(t, files)
	def, err := New(ctx, []Source{DirSource(dir)})
	if err != nil {
		t.Fatal(err)
	}
	opa, err := New(ctx, []Source{DirSource(dir)}, withoutDirect())
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{"join": true, "joinskip": true, "outer": false, "counted": false, "bare": false, "indexed": false}
	for i, r := range def.rules {
		if def.direct[i] != nil {
			t.Fatalf("rule %s is direct", r.ID)
		}
		if got := def.prefilter[i] != nil; got != want[r.ID] {
			t.Errorf("rule %s: prefilter %v, want %v", r.ID, got, want[r.ID])
		}
		if opa.prefilter[i] != nil {
			t.Errorf("rule %s: prefilter in the OPA-only engine", r.ID)
		}
	}
	var inv []*resource.Resource
	roles := []string{"admin", "user", "viewer", "owner", "editor"}
	for i := range 60 {
		b := &resource.Binding{Role: roles[i%len(roles)], Scope: fmt.Sprintf("projects/p%d", i%2), Principal: fmt.Sprintf("user:u%d", i%3)}
		if i%9 == 0 {
			b.Principal = "x" + b.Principal
		}
		if i%11 == 0 {
			b.Deny = resource.Bool(true)
		}
		if i%13 == 0 {
			b.Role = ""
		}
		p := resource.GCP
		if i%3 == 0 {
			p = resource.AWS
		}
		inv = append(inv, &resource.Resource{ID: fmt.Sprintf("b%d", i), Provider: p, Class: resource.ClassIAMBinding, Type: "T",
			Facts: resource.Facts{Binding: b}})
	}
	compareEngines(t, def, opa, inv)

	// Only the prefiltered rules read the class: only the resources their
	// leading conditions select are converted.
	onlyDir := writePack(t, map[string]string{"join.rego": files["join.rego"]})
	only, err := New(ctx, []Source{DirSource(onlyDir)})
	if err != nil {
		t.Fatal(err)
	}
	onlyOPA, err := New(ctx, []Source{DirSource(onlyDir)}, withoutDirect())
	if err != nil {
		t.Fatal(err)
	}
	compareEngines(t, only, onlyOPA, inv)
	in, err := NewInput(inv, testNow, only.Classes()...)
	if err != nil {
		t.Fatal(err)
	}
	fs, _, err := only.evaluate(ctx, in, true, false)
	if err != nil {
		t.Fatal(err)
	}
	fails := 0
	for _, f := range fs {
		if f.Status == finding.Fail {
			fails++
		}
	}
	if fails == 0 {
		t.Fatal("the join rule fails nothing: the test judges no set")
	}
	converted, selected := 0, 0
	for _, r := range inv {
		if keep(in.uses[resource.ClassIAMBinding], r, in.goNow) {
			converted++
		}
		// role in {"user", "admin"} and not deny, or role == "admin"
		if b := r.Facts.Binding; b.Role == "admin" || b.Role == "user" && (b.Deny == nil || !*b.Deny) {
			selected++
		}
	}
	if converted != selected || converted == 0 || converted == len(inv) {
		t.Errorf("%d of %d resources converted, want the %d the leading conditions select", converted, len(inv), selected)
	}
}
