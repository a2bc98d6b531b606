package policy

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/vigil-sec/vigil/internal/finding"
	"github.com/vigil-sec/vigil/internal/importer"
	"github.com/vigil-sec/vigil/internal/resource"
	"github.com/vigil-sec/vigil/internal/rules"
	"github.com/vigil-sec/vigil/internal/synth"
)

// TestLazyMatchesEager: the built-in pack, whose rules are prepared per
// class when an input first holds the class, judges like the same pack
// compiled whole at once, on an input with some classes and then on one
// with every class (the rules of the other classes prepared then).
func TestLazyMatchesEager(t *testing.T) {
	ctx := context.Background()
	inv := smallSynth(t)
	lazy, err := New(ctx, []Source{{FS: rules.FS(), Name: "builtin", Builtin: true}})
	if err != nil {
		t.Fatal(err)
	}
	eager, err := New(ctx, []Source{{FS: rules.FS(), Name: "builtin"}})
	if err != nil {
		t.Fatal(err)
	}
	if n := countTrue(lazy.ready); n != 0 {
		t.Fatalf("the lazy engine prepared %d rules before any input", n)
	}
	// The lazy engine reads each rule's metadata from its file's header
	// alone, and keeps no rule module: the same rules as the eager one
	// (whose source is not marked built-in).
	if d := cmp.Diff(eager.rules, lazy.rules, cmpopts.IgnoreUnexported(Rule{}), cmpopts.IgnoreFields(Rule{}, "Builtin")); d != "" {
		t.Errorf("lazy and eager rules differ (-eager +lazy):\n%s", d)
	}
	heldModules := func(when string) {
		t.Helper()
		for _, f := range lazy.files {
			if lazy.isRule[f.name] && f.module != nil {
				t.Errorf("%s: the lazy engine keeps the module of rule file %s", when, f.name)
			}
		}
		if len(lazy.modules) > 0 {
			t.Errorf("%s: the lazy engine keeps %d rule modules", when, len(lazy.modules))
		}
	}
	heldModules("after New")
	defer heldModules("after evaluating")
	if n := countTrue(eager.ready); n != len(eager.rules) {
		t.Fatalf("the eager engine prepared %d of %d rules", n, len(eager.rules))
	}
	var classes []resource.Class
	for _, r := range inv.Resources {
		if !slices.Contains(classes, r.Class) {
			classes = append(classes, r.Class)
		}
	}
	slices.Sort(classes)
	if len(classes) < 4 {
		t.Fatalf("the synthetic inventory has %d classes, want several", len(classes))
	}
	some := slices.DeleteFunc(slices.Clone(inv.Resources), func(r *resource.Resource) bool {
		i, _ := slices.BinarySearch(classes, r.Class)
		return i%2 == 0 && r.Class != resource.ClassAccount
	})
	for _, in := range [][]*resource.Resource{some, inv.Resources} {
		sameFindings(t, eager, lazy, in, "lazy")
		if len(in) == len(some) && countTrue(lazy.ready) == len(lazy.rules) {
			t.Errorf("an input without half the classes prepared every rule")
		}
	}
}

// sameFindings checks that e judges in as the eager engine does.
func sameFindings(t *testing.T, eager, e *Engine, in []*resource.Resource, what string) {
	t.Helper()
	ctx := context.Background()
	got, err := e.Evaluate(ctx, in, testNow)
	if err != nil {
		t.Fatal(err)
	}
	want, err := eager.Evaluate(ctx, in, testNow)
	if err != nil {
		t.Fatal(err)
	}
	if len(want) == 0 {
		t.Fatal("no findings")
	}
	if d := cmp.Diff(findingKeys(want), findingKeys(got)); d != "" {
		t.Errorf("findings differ over %d resources (-eager +%s):\n%s", len(in), what, d)
	}
}

// smallSynth imports a synthetic inventory of about 1,500 resources of the
// three clouds (the realistic mix).
func smallSynth(t *testing.T) *importer.Inventory {
	t.Helper()
	dir := t.TempDir()
	if _, err := synth.Generate(context.Background(), dir, 1500, synth.Realistic); err != nil {
		t.Fatal(err)
	}
	inv, err := importer.Load(context.Background(), []string{dir})
	if err != nil {
		t.Fatal(err)
	}
	return inv
}

func countTrue(bs []bool) int {
	n := 0
	for _, b := range bs {
		if b {
			n++
		}
	}
	return n
}

func findingKeys(fs []finding.Finding) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = f.RuleID + " " + f.Resource.ID + " " + string(f.Status) + " " + f.Message
	}
	return out
}

// BenchmarkNewBuiltin measures loading the built-in pack as every command
// does (a lazy engine: the rule files' headers only).
func BenchmarkNewBuiltin(b *testing.B) {
	ctx := context.Background()
	b.ReportAllocs()
	for range b.N {
		if _, err := New(ctx, []Source{{FS: rules.FS(), Name: "builtin", Builtin: true}}); err != nil {
			b.Fatal(err)
		}
	}
}

// TestPrepareRulesAhead: a lazy engine whose rules of some classes were
// prepared before any input (PrepareRules, as a scan does while it
// imports) judges an input like the eager engine, whether the input holds
// those classes or not; the rules PrepareRules did not select are left to
// the evaluation, which prepares only the rules with a resource of their
// class from one of their providers, and the others, prepared or not,
// judge nothing.
func TestPrepareRulesAhead(t *testing.T) {
	ctx := context.Background()
	inv := smallSynth(t)
	eager, err := New(ctx, []Source{{FS: rules.FS(), Name: "builtin"}})
	if err != nil {
		t.Fatal(err)
	}
	var classes []resource.Class
	for _, r := range inv.Resources {
		if !slices.Contains(classes, r.Class) {
			classes = append(classes, r.Class)
		}
	}
	slices.Sort(classes)
	// The input holds every other class; the rules prepared ahead are
	// those of every third class, so some prepared classes are absent.
	held := func(c resource.Class) bool {
		i, _ := slices.BinarySearch(classes, c)
		return i%2 == 1 || c == resource.ClassAccount
	}
	ahead := func(r *Rule) bool {
		i, found := slices.BinarySearch(classes, r.Class)
		return found && i%3 == 0
	}
	some := slices.DeleteFunc(slices.Clone(inv.Resources), func(r *resource.Resource) bool { return !held(r.Class) })
	for _, in := range [][]*resource.Resource{some, inv.Resources} {
		lazy, err := New(ctx, []Source{{FS: rules.FS(), Name: "builtin", Builtin: true}})
		if err != nil {
			t.Fatal(err)
		}
		if err := lazy.PrepareRules(ctx, ahead); err != nil {
			t.Fatal(err)
		}
		for i, r := range lazy.rules {
			if lazy.ready[i] != ahead(r) {
				t.Fatalf("rule %s (class %s): prepared %v, selected %v", r.ID, r.Class, lazy.ready[i], ahead(r))
			}
		}
		if len(lazy.modules) > 0 {
			t.Errorf("PrepareRules left %d rule modules held", len(lazy.modules))
		}
		sameFindings(t, eager, lazy, in, "prepared ahead")
		for i, r := range lazy.rules {
			// Prepared by the evaluation: the rules that have something to
			// judge, a resource of their class from one of their providers.
			present := slices.ContainsFunc(in, func(x *resource.Resource) bool { return x.Class == r.Class && r.HasProvider(x.Provider) })
			if !ahead(r) && lazy.ready[i] != present {
				t.Errorf("rule %s (class %s, %v) not selected ahead: prepared %v after an input holding its class from its providers %v", r.ID, r.Class, r.Providers, lazy.ready[i], present)
			}
		}
	}
}

// TestLateMessages: a rule judged on the Go fields whose message only OPA
// computes (aws-root-access-keys: a count of the active keys) gets its
// message query prepared only when an evaluation finds it failing: a lazy
// engine judging an input where it passes compiles nothing for OPA, and
// one where it fails words the finding as the eager engine does; a second
// failing evaluation reuses the query, and evalRule (vigil rules test)
// words it too.
func TestLateMessages(t *testing.T) {
	ctx := context.Background()
	eager, err := New(ctx, []Source{{FS: rules.FS(), Name: "builtin"}})
	if err != nil {
		t.Fatal(err)
	}
	root := func(id string, keys ...bool) *resource.Resource {
		ak := make([]resource.AccessKey, len(keys))
		for k, active := range keys {
			ak[k] = resource.AccessKey{ID: fmt.Sprintf("%s-k%d", id, k), Active: active}
		}
		return &resource.Resource{ID: id, Provider: resource.AWS, Class: resource.ClassIdentity, Type: "AWS::IAM::User",
			Facts: resource.Facts{Identity: &resource.Identity{Kind: "root", AccessKeys: ak, AccessKeysKnown: resource.Bool(true)}}}
	}
	passing := []*resource.Resource{root("root-a", false)}
	failing := []*resource.Resource{root("root-a", false), root("root-b", true, true, false)}
	lazy, err := New(ctx, []Source{{FS: rules.FS(), Name: "builtin", Builtin: true}})
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(lazy.rules, func(r *Rule) bool { return r.ID == "aws-root-access-keys" })
	if i < 0 {
		t.Fatal("no rule aws-root-access-keys")
	}
	sameFindings(t, eager, lazy, passing, "lazy, passing")
	if !lazy.late[i] || len(lazy.lateQ) != 0 {
		t.Fatalf("after a passing input: late %v, %d late queries prepared, want true and 0", lazy.late[i], len(lazy.lateQ))
	}
	for range 2 {
		sameFindings(t, eager, lazy, failing, "lazy, failing")
		if lazy.lateQ[i] == nil || len(lazy.lateQ) != 1 {
			t.Fatalf("after a failing input: %d late queries prepared, want the rule's", len(lazy.lateQ))
		}
	}
	fs, err := eager.Evaluate(ctx, failing, testNow)
	if err != nil {
		t.Fatal(err)
	}
	want := ""
	for _, f := range fs {
		if f.RuleID == "aws-root-access-keys" && f.Resource.ID == "root-b" {
			want = f.Message
		}
	}
	if want != "the root user has 2 active access key(s)" {
		t.Fatalf("eager message %q", want)
	}
	in, err := NewInput(failing, testNow)
	if err != nil {
		t.Fatal(err)
	}
	fresh, err := New(ctx, []Source{{FS: rules.FS(), Name: "builtin", Builtin: true}})
	if err != nil {
		t.Fatal(err)
	}
	got, err := fresh.evalRule(ctx, i, in)
	if err != nil {
		t.Fatal(err)
	}
	if j := slices.IndexFunc(got, func(f finding.Finding) bool { return f.Resource.ID == "root-b" }); j < 0 || got[j].Message != want {
		t.Errorf("evalRule: %+v, want root-b worded %q", got, want)
	}
}
