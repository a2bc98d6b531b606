package policy

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/vigil-sec/vigil/internal/rules"
)

// TestProviderLimitedTermsMatch: Evaluate, which builds the Rego terms of a
// class only for the providers of the rules that read it and drops them
// before building the findings, judges like EvaluateInput, which converts
// every resource of the classes read and keeps them, with the direct
// evaluation and with OPA evaluating every rule (so that every class a rule
// reads is converted), over the three clouds of the synthetic inventory.
func TestProviderLimitedTermsMatch(t *testing.T) {
	ctx := context.Background()
	inv := smallSynth(t)
	for _, tc := range []struct {
		name string
		opts []Option
	}{{"direct", nil}, {"opa", []Option{withoutDirect()}}} {
		t.Run(tc.name, func(t *testing.T) {
			e, err := New(ctx, []Source{{FS: rules.FS(), Name: "builtin", Builtin: true}}, tc.opts...)
			if err != nil {
				t.Fatal(err)
			}
			got, err := e.Evaluate(ctx, inv.Resources, testNow)
			if err != nil {
				t.Fatal(err)
			}
			in, err := NewInput(inv.Resources, testNow, e.Classes()...)
			if err != nil {
				t.Fatal(err)
			}
			want, err := e.EvaluateInput(ctx, in)
			if err != nil {
				t.Fatal(err)
			}
			if len(want) == 0 {
				t.Fatal("no findings")
			}
			if d := cmp.Diff(findingKeys(want), findingKeys(got)); d != "" {
				t.Errorf("findings differ (-every term +provider-limited terms):\n%s", d)
			}
			// The full input kept its terms; the limited one left some
			// resources unconverted when the direct evaluation judges
			// the multi-cloud rules of a class and OPA only some
			// single-cloud ones.
			if len(in.classes) == 0 {
				t.Error("EvaluateInput dropped its input's terms")
			}
			lim, err := NewInput(inv.Resources, testNow, e.Classes()...)
			if err != nil {
				t.Fatal(err)
			}
			if _, _, err := e.evaluate(ctx, lim, true, false); err != nil {
				t.Fatal(err)
			}
			if len(lim.classes) != 0 {
				t.Errorf("evaluate(once) kept the terms of %d classes", len(lim.classes))
			}
			if len(lim.only) == 0 {
				t.Fatal("evaluate(once) set no provider limits")
			}
			limited := 0
			for c, ps := range lim.only {
				for _, r := range lim.byClass[c] {
					if !ps[r.Provider] {
						limited++
					}
				}
			}
			if limited == 0 && tc.name == "direct" {
				t.Error("no resource was left unconverted by the provider limits")
			}
		})
	}
}
