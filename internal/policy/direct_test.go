package policy

import (
	"context"
	"fmt"
	"io/fs"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/vigil-sec/vigil/internal/finding"
	"github.com/vigil-sec/vigil/internal/resource"
	"github.com/vigil-sec/vigil/internal/rules"
)

// TestDirectForms checks which rules the engine evaluates directly: the
// fact comparisons, in any order and under not, and nothing else.
func TestDirectForms(t *testing.T) {
	each := "fail contains r.id if {\n\tsome r in input.resources.object_storage\n\t"
	for _, tc := range []struct {
		name, body string
		direct     bool
	}{
		{"eq", each + "r.facts.storage.public_access == true\n}\n", true},
		{"swapped and negated", each + "not 3 > r.facts.storage.retention_days\n\tr.facts.storage.min_tls_version != \"1.2\"\n}\n", true},
		{"two bodies", each + "r.facts.storage.encrypted == false\n}\n" + each + "r.type == null\n}\n", true},
		{"helper", each + "pub(r)\n}\npub(r) if r.facts.storage.public_access == true\n", true},
		{"helper of two parameters", each + "pub(r, true)\n}\npub(r, v) if r.facts.storage.public_access == v\n", true},
		{"helper with a computed argument", each + "pub(r, 1 + 1)\n}\npub(r, v) if r.facts.storage.public_access == v\n", false},
		{"two references compared", each + "r.facts.storage.a < r.facts.storage.b\n}\n", true},
		{"two references equal", each + "r.facts.storage.a == r.facts.storage.b\n}\n", false},
		{"concat of constants", each + "some p in ports\n\tendswith(r.type, concat(\"\", [\"@\", p]))\n}\nports := {\"a\", \"b\"}\n", true},
		{"concat of a reference", each + "endswith(r.type, concat(\"\", [\"@\", r.name]))\n}\n", false},
		{"is_number", each + "is_number(r.facts.storage.a)\n}\n", true},
		{"not is_number", each + "not is_number(r.facts.storage.a)\n}\n", false},
		{"is_string", each + "is_string(r.facts.storage.a)\n}\n", true},
		{"not is_string", each + "not is_string(r.facts.storage.a)\n}\n", false},
		{"some in a constant set", each + "some p in ports\n\tr.facts.storage.a == p\n}\nports := {1, 2}\n", true},
		{"in a union of sets", each + "r.type in both\n}\nboth := {\"a\"} | other\nother := {\"b\"}\n", true},
		{"other var", each + "x := r.facts.storage.public_access\n\tx == true\n}\n", false},
		{"other class", "fail contains r.id if {\n\tsome r in input.resources.key\n\tr.facts.storage.public_access == true\n}\n", false},
		{"index by var", each + "some k\n\tr.facts.storage[k] == true\n}\n", false},
		{"composite constant", each + "r.facts.storage.public_access == [true]\n}\n", false},
		{"skip", each + "r.facts.storage.public_access == true\n}\nskip contains r.id if {\n\tsome r in input.resources.object_storage\n\tr.type == \"x\"\n}\n", true},
		{"skip with a helper", each + "r.facts.storage.public_access == true\n}\nskip contains r.id if {\n\tsome r in input.resources.object_storage\n\tx(r)\n}\nx(r) if r.type == 1\n", true},
		{"skip with a helper reading a rule", each + "r.facts.storage.public_access == true\n}\nskip contains r.id if {\n\tsome r in input.resources.object_storage\n\tx(r)\n}\nx(r) if r.id in fail\n", false},
		{"with", each + "r.facts.storage.public_access == true with input.now as 1\n}\n", false},
		{"bare ref", each + "r.facts.storage\n\tnot r.facts.storage.public_access\n}\n", true},
		{"in a set", each + "r.facts.storage.min_tls_version in {\"1.0\", \"1.1\"}\n\tnot r.type in {\"x\"}\n}\n", true},
		{"in a set of numbers", each + "r.facts.storage.min_tls_version in {1, 2}\n}\n", false},
		{"some in a list", each + "r.type == \"x\"\n\tsome k in r.facts.storage.x\n\tk.a == true\n\tnot k.b in {\"y\"}\n\tr.tags.env != \"p\"\n}\n", true},
		{"some on the element itself", each + "some k in r.facts.storage.x\n\tk == \"y\"\n}\n", true},
		{"some nested", each + "some k in r.facts.storage.x\n\tsome j in r.facts.storage.y\n\tk == j\n}\n", false},
		{"some alone", each + "some k in r.facts.storage.x\n}\n", false},
		{"some key value", each + "some i, k in r.facts.storage.x\n\tk == 1\n}\n", false},
		{"count", each + "count(r.facts.storage.x) > 0\n\t1 <= count(r.facts.storage.y)\n}\n", true},
		{"count negated", each + "not count(r.facts.storage.x) > 0\n}\n", false},
		{"count of a string constant", each + "count(r.facts.storage.x) > \"a\"\n}\n", false},
		{"helper on an element", each + "some k in r.facts.storage.x\n\tnot h(k)\n\th(r.facts.storage)\n}\nh(p) if p.a == 1\n", true},
		{"helper with two definitions", each + "h(r.facts.storage)\n}\nh(p) if p.a == 1\nh(p) if p.a == 2\n", true},
		{"helper with some", each + "h(r.facts.storage)\n}\nh(p) if {\n\tsome q in p.x\n\tq == 1\n}\n", true},
		{"helper reading the input", each + "h(r.facts.storage)\n}\nh(p) if input.now == 1\n", false},
		{"helper with else", each + "h(r.facts.storage)\n}\nh(p) if p.a == 1\nelse := false\n", false},
		{"in a constant set", each + "r.facts.storage.min_tls_version in old\n\tnot r.type in old\n}\nold := {\"1.0\", true}\n", true},
		{"in a set defined twice", each + "r.type in old\n}\nold := {\"1.0\"} if input.now\nold := {\"2\"} if not input.now\n", false},
		{"in a set with numbers", each + "r.type in old\n}\nold := {\"1.0\", 1}\n", false},
		{"in a shadowed set", each + "some old in r.facts.storage.x\n\tr.type in old\n}\nold := {\"1.0\"}\n", false},
		{"head not id", "fail contains r.name if {\n\tsome r in input.resources.object_storage\n\tr.type == \"x\"\n}\n", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := writePack(t, map[string]string{"r.rego": header("r", "object_storage", "") + tc.body})
			e, err := New(context.Background(), []Source{DirSource(dir)})
			if err != nil {
				t.Fatal(err)
			}
			if got := e.direct[0] != nil; got != tc.direct {
				t.Errorf("direct = %v, want %v", got, tc.direct)
			}
		})
	}
}

// TestDirectMatchesOPA checks the direct evaluation gives the findings OPA
// gives: comparison rules over facts of every type, present and absent,
// and the built-in pack over the sample organization.
func TestDirectMatchesOPA(t *testing.T) {
	values := []string{"true", "false", "null", `"1.2"`, `"1.0"`, `""`, "0", "1", "1.0", "7", "365", "-1"}
	ops := []string{"==", "!=", "<", "<=", ">", ">="}
	paths := []string{"r.facts.database.public_endpoint", "r.facts.database.engine", "r.facts.database.backup_retention_days",
		"r.facts.database", "r.facts.database.missing", "r.type", "r.tags.env", "r.facts.database.authorized_networks"}
	files := map[string]string{}
	n := 0
	for _, p := range paths {
		for _, op := range ops {
			for _, v := range values {
				for _, neg := range []string{"", "not "} {
					n++
					id := fmt.Sprintf("c%d", n)
					cond := neg + p + " " + op + " " + v
					if n%3 == 0 { // the constant first
						cond = neg + v + " " + map[string]string{"==": "==", "!=": "!=", "<": ">", "<=": ">=", ">": "<", ">=": "<="}[op] + " " + p
					}
					if op == "==" && v == "true" { // also: bare references, and membership
						cond = neg + p
					}
					if op == "!=" && v == "true" {
						cond = neg + p + ` in {"1.2", true, "", "1.0"}`
					}
					files[id+".rego"] = header(id, "database", "#   requires: [facts.database.public_endpoint]\n") +
						"fail contains r.id if {\n\tsome r in input.resources.database\n\t" + cond + "\n}\n" +
						"message[id] := \"" + strings.ReplaceAll(cond, `"`, `'`) + "\" if some id in fail\n"
					if n%5 == 0 {
						files[id+".rego"] += "skip contains r.id if {\n\tsome r in input.resources.database\n\tr.facts.database.engine == \"1.0\"\n}\n"
					}
				}
			}
		}
	}
	dir := writePack(t, files)
	direct, opa := directAndOPA(t, dir)
	for i := range direct.rules {
		if direct.direct[i] == nil {
			t.Fatalf("rule %s is not direct", direct.rules[i].ID)
		}
	}
	db := func(id string, d *resource.Database) *resource.Resource {
		return &resource.Resource{ID: id, Provider: resource.AWS, Class: resource.ClassDatabase, Type: "T", Facts: resource.Facts{Database: d}}
	}
	inv := []*resource.Resource{
		db("pub", &resource.Database{PublicEndpoint: resource.Bool(true)}),
		db("priv", &resource.Database{PublicEndpoint: resource.Bool(false), Engine: "1.2"}),
		db("absent", &resource.Database{Engine: "1.0"}),
		db("empty", &resource.Database{Engine: "", AuthorizedNetworks: []string{}}),
		db("nets", &resource.Database{AuthorizedNetworks: []string{"0.0.0.0/0"}}),
		{ID: "nofacts", Provider: resource.GCP, Class: resource.ClassDatabase, Type: "x", Tags: map[string]string{"env": "1"}},
	}
	for _, days := range []int{0, 1, 7, 365, -1} {
		inv = append(inv, db(fmt.Sprintf("days-%d", days), &resource.Database{BackupRetentionDays: resource.Int(days)}))
	}
	compareEngines(t, direct, opa, inv)
	compareOnTerms(t, []Source{DirSource(dir)}, opa, inv)
}

// TestDirectMatchesOPAOnRuleTests evaluates the built-in pack, directly and
// with OPA only, over the input of every assertion of the built-in rule
// tests (inputs written around each rule's edge cases), and compares. The
// opt-in sets (the governance rules) are evaluated too.
func TestDirectMatchesOPAOnRuleTests(t *testing.T) {
	ctx := context.Background()
	src := Source{FS: rules.FS(), Name: "builtin", Builtin: true}
	direct, err := New(ctx, []Source{src}, AllOptIn())
	if err != nil {
		t.Fatal(err)
	}
	opa, err := New(ctx, []Source{src}, withoutDirect(), AllOptIn())
	if err != nil {
		t.Fatal(err)
	}
	terms, err := New(ctx, []Source{src}, withoutGo(), AllOptIn())
	if err != nil {
		t.Fatal(err)
	}
	files, err := parseSources(ctx, []Source{src}, true)
	if err != nil {
		t.Fatal(err)
	}
	c, err := compile(files, true)
	if err != nil {
		t.Fatal(err)
	}
	chk := &caseChecker{e: direct, compiler: c, byPkg: map[string]int{}}
	for i, r := range direct.rules {
		chk.byPkg[r.Package] = i
	}
	inputs := 0
	for _, f := range files {
		if !f.test {
			continue
		}
		m := f.module
		for _, r := range m.Rules {
			for k, expr := range r.Body {
				a, ok := chk.assertion(m, expr)
				if !ok || a.err != "" {
					continue
				}
				doc, err := chk.inputOf(ctx, m, r.Body[:k], a.input)
				if err != nil {
					continue
				}
				resources, now, err := decodeCaseInput(doc)
				if err != nil {
					continue
				}
				in, err := NewInput(resources, now)
				if err != nil {
					t.Fatal(err)
				}
				fd, err := direct.EvaluateInput(ctx, in)
				if err != nil {
					t.Fatalf("%s line %d: %v", f.name, a.line, err)
				}
				fo, err := opa.EvaluateInput(ctx, in)
				if err != nil {
					t.Fatalf("%s line %d: %v", f.name, a.line, err)
				}
				if diff := cmp.Diff(fo, fd); diff != "" {
					t.Errorf("%s line %d: findings differ (-OPA +direct):\n%s", f.name, a.line, diff)
				}
				ft, err := terms.EvaluateInput(ctx, in)
				if err != nil {
					t.Fatalf("%s line %d: %v", f.name, a.line, err)
				}
				if diff := cmp.Diff(fo, ft); diff != "" {
					t.Errorf("%s line %d: findings differ (-OPA +direct on terms):\n%s", f.name, a.line, diff)
				}
				inputs++
			}
		}
	}
	if inputs < 100 {
		t.Fatalf("compared only %d inputs", inputs)
	}
	t.Logf("%d rule test inputs, same findings", inputs)
}

// TestDirectSomeAndCountMatchOPA checks `some x in <list>` with conditions
// on x, and count(<ref>) compared with a number, against OPA: lists of
// objects and of strings, empty, absent and of the wrong type.
func TestDirectSomeAndCountMatchOPA(t *testing.T) {
	conds := []string{
		"k.active == true", "not k.active == false", "k.user_managed == true", "not k.user_managed", "k.user_managed",
		"k.id == \"a\"", "k.id in {\"a\", \"b\"}", "not k.id in {\"a\"}", "k.created < \"2020\"", "not k.created >= \"2020\"",
		"k.missing.x == 1", "not k.missing == 1", "k == \"0.0.0.0/0\"", "not k == \"a\"", "k.id != \"a\"",
		"r.facts.identity.kind == \"user\"", "count(k) > 1",
		"\"a\" in k", "not \"a\" in k", "true in k", "not true in k", "\"user\" in r.facts.identity", "not \"x\" in r.facts.identity.missing",
		"\"a\" in r.facts.identity.kind",
		"startswith(k.id, \"0.\")", "not startswith(k.id, \"a\")", "endswith(lower(k.id), \"/0\")", "not endswith(upper(k.id), \"A\")",
		"contains(k, \"0.0\")", "not contains(k.missing, \"a\")",
		"upper(k.id) in {\"A\", \"B\"}", "not lower(k.active) in {\"true\"}", "lower(k) in {\"user\"}",
		"endswith(r.facts.identity.kind, \"account\")", "not startswith(lower(r.facts.identity.kind), \"us\")", "not endswith(k.active, \"e\")",
		"startswith(k.id, suffix)", "k.id == suffix", "not k.id != suffix",
		"lower(trim_space(k.id)) in {\"a\", \"b\"}", "not lower(trim_space(k.id)) in {\"a\"}", "trim_space(k) in {\"user\"}",
		"not upper(trim_space(k.active)) in {\"A\"}", "startswith(trim_space(k.id), \"0\")", "not endswith(lower(trim_space(k)), \"r\")",
		"not trim_space(k.created) in {\"2019-01-01\"}",
	}
	lists := []string{"r.facts.identity.access_keys", "r.facts.identity.kind", "r.facts.identity.missing", "r.facts.identity"}
	counts := []string{"count(r.facts.identity.access_keys) > 0", "count(r.facts.identity.access_keys) == 2", "0 < count(r.facts.identity.kind)",
		"count(r.facts.identity.missing) >= 0", "count(r.facts.identity.access_keys) != 1", "count(r.facts.identity.access_keys) > 1.5",
		"count(r.facts.identity.access_keys_known) > 0", "count(r.facts.identity) > 2",
		// counts of comprehensions (defined even over an undefined or
		// non-collection reference), is_array
		"count([k | some k in r.facts.identity.access_keys; k.active == true]) > 1",
		"not count([k | some k in r.facts.identity.access_keys; k.active == true]) > 0",
		"0 < count([k | some k in r.facts.identity.access_keys; not k.user_managed == false; k.id in {\"a\", \"b\"}])",
		"count([k | some k in r.facts.identity.missing; k.active == true]) == 0",
		"count([x | some x in r.tags; x == \"user\"]) >= 1",
		"count([k | some k in r.facts.identity.access_keys; some c in r.tags; k.id != c]) >= 1",
		"count([k | some k in r.facts.identity.access_keys; k.active == true]) > 1.5",
		"is_array(r.facts.identity.access_keys)\n\tcount([k | some k in r.facts.identity.access_keys; k.active == true]) > 0",
		"is_array(r.facts.identity.kind)", "is_array(r.facts.identity.missing)", "some k in r.facts.identity.access_keys\n\tis_array(k)"}
	files := map[string]string{}
	n := 0
	add := func(body string) {
		n++
		id := fmt.Sprintf("s%d", n)
		files[id+".rego"] = header(id, "identity", "") + "fail contains r.id if {\n\tsome r in input.resources.identity\n\t" + body + "\n}\n"
		if n%4 == 0 {
			files[id+".rego"] += "skip contains r.id if {\n\tsome r in input.resources.identity\n\tsome k in r.facts.identity.access_keys\n\tk.id == \"b\"\n}\n"
		}
	}
	for _, l := range lists {
		for i, c := range conds {
			add("some k in " + l + "\n\t" + c)
			add("r.type == \"T\"\n\tsome k in " + l + "\n\t" + c + "\n\t" + conds[(i+3)%len(conds)])
		}
	}
	for _, c := range counts {
		add(c)
	}
	// Helpers of one definition whose body compares their parameter.
	helperBodies := []string{"p.active == true\n\tp.user_managed == true", "count(p.conditions) > 0", "not p.active == false", "p.id in {\"a\"}\n\tnot p.created",
		"p == \"user\"", "p.kind == \"user\"\n\tcount(p.access_keys) > 1", "not p.missing == 1", "p.active"}
	for i, hb := range helperBodies {
		for _, call := range []string{"some k in r.facts.identity.access_keys\n\th(k)", "some k in r.facts.identity.access_keys\n\tnot h(k)",
			"h(r.facts.identity)", "not h(r.facts.identity)", "h(r.facts.identity.kind)", "not h(r.facts.identity.kind)",
			"not h(r.facts.identity.missing)", "h(r.facts.identity.missing)", "r.type == \"T\"\n\tnot h(r.facts.identity.access_keys)"} {
			add(call)
			id := fmt.Sprintf("s%d", n)
			files[id+".rego"] += fmt.Sprintf("h(p) if {\n\t%s\n}\n", hb)
			_ = i
		}
	}
	// Helpers of two definitions, with some inside, calling helpers.
	multi := []string{
		"h(p) if p.active == true\nh(p) if count(p.access_keys) > 1\n",
		"h(p) if {\n\tsome q in p.access_keys\n\tq.id == \"a\"\n\tnot g(q)\n}\nh(p) if p == \"user\"\ng(q) if q.active == true\n",
		"h(p) if {\n\tsome q in p\n\tq == \"user\"\n}\nh(p) if {\n\tsome q in p\n\tq.user_managed == false\n}\n",
		"h(p) if {\n\tsome q in p.access_keys\n\tsome x in q\n\tx == \"a\"\n}\nh(p) if p.missing\n",
	}
	for _, hb := range multi {
		for _, call := range []string{"some k in r.facts.identity.access_keys\n\th(k)", "some k in r.facts.identity.access_keys\n\tnot h(k)",
			"h(r.facts.identity)", "not h(r.facts.identity)", "h(r.facts.identity.kind)", "not h(r.facts.identity.kind)",
			"not h(r.facts.identity.missing)", "h(r.facts.identity.missing)", "some k in r.facts.identity\n\th(k)"} {
			add(call)
			files[fmt.Sprintf("s%d.rego", n)] += hb
		}
	}
	// Constant sets, and calls of a library's functions.
	files["lib.rego"] = "package vigil.lib.t\n\nnames := {\"a\", \"0.0.0.0/0\", true}\n\nnamed(p) if p in names\n\n" +
		"active_named(p) if {\n\tp.active == true\n\tnamed(p.id)\n}\nactive_named(p) if not p.id in names\n"
	for _, call := range []string{"some k in r.facts.identity.access_keys\n\tt.named(k.id)", "some k in r.facts.identity.access_keys\n\tnot t.named(k)",
		"some k in r.facts.identity.access_keys\n\tt.active_named(k)", "some k in r.facts.identity.access_keys\n\tnot t.active_named(k)",
		"t.named(r.facts.identity.kind)", "not t.active_named(r.facts.identity.missing)", "some k in r.facts.identity.access_keys\n\tk.id in kinds",
		"r.facts.identity.kind in kinds", "not r.facts.identity.kind in kinds", "not r.facts.identity.missing in kinds"} {
		add(call)
	}
	for i := 1; i <= n; i++ {
		id := fmt.Sprintf("s%d", i)
		files[id+".rego"] = strings.Replace(files[id+".rego"], "\n\nfail", "\n\nimport data.vigil.lib.t\n\nkinds := {\"user\", \"a\"}\n\nsuffix := \"a\"\n\nfail", 1)
	}
	dir := writePack(t, files)
	direct, opa := directAndOPA(t, dir)
	for i := range direct.rules {
		if direct.direct[i] == nil {
			t.Fatalf("rule %s is not direct", direct.rules[i].ID)
		}
	}
	id := func(name, kind string, keys ...resource.AccessKey) *resource.Resource {
		return &resource.Resource{ID: name, Provider: resource.AWS, Class: resource.ClassIdentity, Type: "T",
			Facts: resource.Facts{Identity: &resource.Identity{Kind: kind, AccessKeys: keys}}}
	}
	inv := []*resource.Resource{
		id("none", "user"),
		id("one", "user", resource.AccessKey{ID: "a", Active: true, Created: "2019-01-01"}),
		id("two", "service_account", resource.AccessKey{ID: "b", Active: false, UserManaged: resource.Bool(true), Created: "2021-01-01"},
			resource.AccessKey{ID: "c", Active: true, UserManaged: resource.Bool(false)}),
		id("three", "", resource.AccessKey{}, resource.AccessKey{ID: "a"}, resource.AccessKey{ID: "0.0.0.0/0", Active: true}),
		id("four", "User", resource.AccessKey{ID: "A"}, resource.AccessKey{ID: "b", Created: "2020-05-01"}),
		id("five", " user\t", resource.AccessKey{ID: " A\n"}, resource.AccessKey{ID: "\u00a0b ", Created: " 2019-01-01"}, resource.AccessKey{ID: "  "}),
		{ID: "nofacts", Provider: resource.GCP, Class: resource.ClassIdentity, Type: "x"},
	}
	inv[1].Tags = map[string]string{"k": "user", "l": "a"}
	inv[3].Tags = map[string]string{"k": "b"}
	compareEngines(t, direct, opa, inv)
	compareOnTerms(t, []Source{DirSource(dir)}, opa, inv)
}

// compareOnTerms compares the direct evaluation on the Rego terms only
// (withoutGo) with the OPA engine opa, and checks that the pack's default
// engine reads the Go fields for some rule (so both ways were compared).
func compareOnTerms(t *testing.T, srcs []Source, opa *Engine, inv []*resource.Resource) {
	t.Helper()
	terms, err := New(context.Background(), srcs, withoutGo())
	if err != nil {
		t.Fatal(err)
	}
	def, err := New(context.Background(), srcs)
	if err != nil {
		t.Fatal(err)
	}
	onGo := 0
	for i := range def.rules {
		if d := def.direct[i]; d != nil && d.onGo {
			onGo++
		}
		if d := terms.direct[i]; d != nil && d.onGo {
			t.Fatalf("rule %s reads the Go fields without Go", terms.rules[i].ID)
		}
	}
	if onGo == 0 {
		t.Fatal("no rule of the pack reads the Go fields")
	}
	t.Logf("%d of %d rules on the Go fields", onGo, len(def.rules))
	compareEngines(t, terms, opa, inv)
}

func compareEngines(t *testing.T, a, b *Engine, inv []*resource.Resource) {
	t.Helper()
	fa, err := a.Evaluate(context.Background(), inv, testNow)
	if err != nil {
		t.Fatal(err)
	}
	fb, err := b.Evaluate(context.Background(), inv, testNow)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(fb, fa); diff != "" {
		t.Errorf("findings differ (-OPA +direct):\n%s", diff)
	}
	fails := 0
	for _, f := range fa {
		if f.Status == finding.Fail {
			fails++
		}
	}
	t.Logf("%d findings, %d FAIL, agree", len(fa), fails)
}

// TestDirectHelpersWithArgsMatchOPA checks helpers of several parameters
// (references, elements, the resource itself, constants and constant sets
// as arguments), is_number, two references compared, `some x in <constant
// set>` and unions of constant sets against OPA, over firewall rules with
// values present, absent (priority 0 is omitted) and of other types.
func TestDirectHelpersWithArgsMatchOPA(t *testing.T) {
	lib := "package vigil.lib.u\n\nlow := {\"tcp\", \"all\"}\n\nports := {22, 80, 3389}\n\nboth := low | {\"udp\", true}\n\n" +
		"within(k, n) if {\n\tis_number(k.from_port)\n\tk.from_port <= n\n\tn <= k.to_port\n}\n\n" +
		"earlier(rules, k) if {\n\tsome o in rules\n\to.action == \"deny\"\n\tis_number(o.priority)\n\to.priority < k.priority\n}\n\n" +
		"any_port(k, ps) if {\n\tsome p in ps\n\twithin(k, p)\n}\n\n" +
		"named(k, _) if k.protocol in both\n\nnamed(k, s) if k.protocol == s\n\n" +
		"stateless_is(res, s) if res.facts.firewall.stateless == s\n\n" +
		"typed(k) if {\n\tis_string(k.protocol)\n\tk.protocol != \"\"\n}\n"
	conds := []string{
		"some k in r.facts.firewall.rules\n\tu.within(k, 22)",
		"some k in r.facts.firewall.rules\n\tnot u.within(k, 22)",
		"some k in r.facts.firewall.rules\n\tu.any_port(k, u.ports)",
		"some k in r.facts.firewall.rules\n\tnot u.any_port(k, u.ports)",
		"some k in r.facts.firewall.rules\n\tnot u.earlier(r.facts.firewall.rules, k)",
		"some k in r.facts.firewall.rules\n\tu.earlier(r.facts.firewall.rules, k)",
		"not u.earlier(r.facts.firewall.missing, r.facts.firewall)",
		"some k in r.facts.firewall.rules\n\tu.named(k, \"icmp\")",
		"some k in r.facts.firewall.rules\n\tnot u.named(k, \"icmp\")",
		"u.stateless_is(r, true)", "not u.stateless_is(r, false)",
		"some k in r.facts.firewall.rules\n\tsome j in r.facts.firewall.rules\n\tk.priority < j.priority",
		"some k in r.facts.firewall.rules\n\tsome j in r.facts.firewall.rules\n\tnot k.from_port >= j.to_port",
		"some k in r.facts.firewall.rules\n\tsome j in r.facts.firewall.rules\n\tk.protocol != j.protocol",
		"some k in r.facts.firewall.rules\n\tsome j in r.facts.firewall.rules\n\tk.priority > j.protocol",
		"some k in r.facts.firewall.rules\n\tis_number(k.priority)",
		"some k in r.facts.firewall.rules\n\tis_number(k.protocol)",
		"some k in r.facts.firewall.rules\n\tis_string(k.protocol)",
		"some k in r.facts.firewall.rules\n\tis_string(k.priority)",
		"is_string(r.facts.firewall.missing)",
		"some k in r.facts.firewall.rules\n\tnot u.typed(k)",
		"some p in u.ports\n\tsome k in r.facts.firewall.rules\n\tk.to_port == p",
		"some s in u.both\n\tsome k in r.facts.firewall.rules\n\tk.protocol == s",
		"some k in r.facts.firewall.rules\n\tk.protocol in u.both",
		"some k in r.facts.firewall.rules\n\tsome s in u.low\n\tk.protocol != concat(\"-\", [s, \"x\"])",
		"some s in u.low\n\tsome k in r.facts.firewall.rules\n\tendswith(lower(k.protocol), concat(\"\", [\"\", s]))",
		"some k in r.facts.firewall.rules\n\tk.protocol == concat(\"c\", [\"t\", \"p\"])",
	}
	files := map[string]string{"lib.rego": lib}
	for i, c := range conds {
		id := fmt.Sprintf("h%d", i)
		files[id+".rego"] = header(id, "firewall", "") +
			"import data.vigil.lib.u\n\nfail contains r.id if {\n\tsome r in input.resources.firewall\n\t" + c + "\n}\n"
	}
	dir := writePack(t, files)
	direct, opa := directAndOPA(t, dir)
	for i := range direct.rules {
		if direct.direct[i] == nil {
			t.Fatalf("rule %s is not direct", direct.rules[i].ID)
		}
	}
	fw := func(name string, stateless *bool, rules ...resource.FirewallRule) *resource.Resource {
		return &resource.Resource{ID: name, Provider: resource.AWS, Class: resource.ClassFirewall, Type: "T",
			Facts: resource.Facts{Firewall: &resource.Firewall{Rules: rules, Stateless: stateless}}}
	}
	allow := resource.FirewallRule{Direction: "ingress", Action: "allow", Protocol: "tcp", FromPort: 22, ToPort: 22, Sources: []string{"0.0.0.0/0"}, Priority: 200}
	deny := resource.FirewallRule{Direction: "ingress", Action: "deny", Protocol: "all", FromPort: 0, ToPort: 65535, Sources: []string{"*"}, Priority: 100}
	wide := resource.FirewallRule{Direction: "ingress", Action: "allow", Protocol: "udp", FromPort: 0, ToPort: 65535}
	noPrio := allow
	noPrio.Priority = 0
	icmp := resource.FirewallRule{Protocol: "icmp", Action: "deny", Priority: 300}
	inv := []*resource.Resource{
		fw("empty", nil),
		fw("allow", resource.Bool(true), allow),
		fw("shadowed", resource.Bool(false), allow, deny),
		fw("unprioritized", nil, noPrio, deny, wide),
		fw("mixed", resource.Bool(true), wide, icmp, allow),
		{ID: "nofacts", Provider: resource.GCP, Class: resource.ClassFirewall, Type: "x"},
	}
	compareEngines(t, direct, opa, inv)
	compareOnTerms(t, []Source{DirSource(dir)}, opa, inv)
}

// TestDirectDerivedSetsMatchOPA checks membership in the partial set rules
// of a rule's module (derived sets, computed on the Go fields through an
// index) against OPA: keys of the resource and of elements, of its own
// class and of another (restricted to the rule's providers), strings,
// integers, booleans and absent keys, negated, through lower / upper and
// helpers (a parameter bound to the resource passed on), a set built from
// another, and a rule whose custom.applies_to narrows its own class.
func TestDirectDerivedSetsMatchOPA(t *testing.T) {
	sets := "listener_type := \"listener_of\"\n\n" +
		"parents contains rel.target_id if {\n\tsome r in input.resources.load_balancer\n\tsome rel in r.relationships\n\trel.type == listener_type\n}\n\n" +
		"public_ids contains r.id if {\n\tsome r in input.resources.load_balancer\n\tr.facts.load_balancer.public == true\n}\n\n" +
		"ports contains l.port if {\n\tsome r in input.resources.load_balancer\n\tsome l in r.facts.load_balancer.listeners\n}\n\n" +
		"flags contains r.facts.load_balancer.waf if {\n\tsome r in input.resources.load_balancer\n\tr.id in parents\n}\n\n" +
		"upper_ids contains r.name if {\n\tsome r in input.resources.load_balancer\n\tr.type == \"T\"\n}\n\n" +
		"computes contains r.name if {\n\tsome r in input.resources.compute\n\tr.type == \"T\"\n}\n\n" +
		"public_parents contains id if {\n\tsome r in input.resources.load_balancer\n\tsome id in r.tags\n\tid in public_ids\n}\n\n" +
		"exposed(r) if r.facts.load_balancer.public == true\n\n" +
		"exposed(r) if {\n\tnot known(r)\n\tsome rel in r.relationships\n\trel.type == listener_type\n\trel.target_id in public_ids\n}\n\n" +
		"known(r) if is_boolean(r.facts.load_balancer.public)\n\n" +
		// sets of pairs (tuples of two references)
		"pairs contains [r.region, r.facts.load_balancer.waf] if {\n\tsome r in input.resources.load_balancer\n\tr.facts.load_balancer.public == true\n}\n\n" +
		"rel_pairs contains [rel.type, rel.target_id] if {\n\tsome r in input.resources.load_balancer\n\tsome rel in r.relationships\n}\n\n" +
		"named_pairs contains [r.name, r.region] if {\n\tsome r in input.resources.compute\n\tr.type != \"X\"\n}\n\n"
	conds := []string{
		"r.id in parents",
		"not r.id in parents",
		"exposed(r)",
		"not exposed(r)",
		"some l in r.facts.load_balancer.listeners\n\tl.port in ports\n\tl.port > 80",
		"r.facts.load_balancer.waf in flags",
		"not r.facts.load_balancer.waf in flags",
		"upper(r.id) in upper_ids",
		"lower(r.name) in computes",
		"r.name in computes",
		"r.id in public_parents",
		"some rel in r.relationships\n\tnot rel.target_id in public_ids",
		"[r.region, r.facts.load_balancer.waf] in pairs",
		"not [r.region, r.facts.load_balancer.waf] in pairs",
		"some rel in r.relationships\n\t[rel.type, rel.target_id] in rel_pairs\n\t[r.name, r.region] in named_pairs",
		"[r.name, r.region] in named_pairs",
		"not [r.name, r.region] in named_pairs",
		"[r.region, r.id] in parents",
		"[r.id, r.region] in rel_pairs",
	}
	files := map[string]string{}
	for i, c := range conds {
		id := fmt.Sprintf("d%d", i)
		files[id+".rego"] = header(id, "load_balancer", "") + sets + "fail contains r.id if {\n\tsome r in input.resources.load_balancer\n\t" + c + "\n}\n\n" +
			"skip contains r.id if {\n\tsome r in input.resources.load_balancer\n\tr.id in parents\n\tr.region == \"skip\"\n}\n"
	}
	files["sel.rego"] = header("sel", "load_balancer", "#   applies_to:\n#     facts.load_balancer.public: [true, null]\n") + sets +
		"fail contains r.id if {\n\tsome r in input.resources.load_balancer\n\tnot r.id in parents\n}\n"
	// A rule of class compute, so that the input holds that class.
	files["vm.rego"] = header("vm", "compute", "") + "fail contains r.id if {\n\tsome r in input.resources.compute\n\tr.type == \"T\"\n}\n"
	dir := writePack(t, files)
	direct, opa := directAndOPA(t, dir)
	for i, r := range direct.rules {
		if d := direct.direct[i]; r.ID != "vm" && (d == nil || !d.onGo || len(d.derived) == 0) {
			t.Errorf("rule %s is not direct with derived sets", r.ID)
		}
	}
	lb := func(id string, p resource.Provider, region string, f *resource.LoadBalancer, rels ...string) *resource.Resource {
		r := &resource.Resource{ID: id, Name: strings.ToUpper(id), Provider: p, Class: resource.ClassLoadBalancer, Type: "T", Region: region,
			Facts: resource.Facts{LoadBalancer: f}, Tags: map[string]string{"of": "lb-1"}}
		for _, t := range rels {
			r.Relationships = append(r.Relationships, resource.Relationship{Type: "listener_of", TargetID: t})
		}
		return r
	}
	inv := []*resource.Resource{
		lb("lb-1", resource.AWS, "eu", &resource.LoadBalancer{Public: resource.Bool(true), WAF: resource.Bool(false),
			Listeners: []resource.Listener{{Protocol: "HTTP", Port: 80}, {Protocol: "HTTPS", Port: 443}}}),
		lb("lb-2", resource.AWS, "us", &resource.LoadBalancer{Public: resource.Bool(false), WAF: resource.Bool(true)}),
		lb("l-1", resource.AWS, "eu", &resource.LoadBalancer{Listeners: []resource.Listener{{Protocol: "HTTPS"}}}, "lb-1"),
		lb("l-2", resource.AWS, "skip", &resource.LoadBalancer{WAF: resource.Bool(false)}, "lb-2", "lb-9"),
		lb("l-3", resource.AWS, "eu", nil, "lb-2", "azure-1"),
		lb("lb-9", resource.GCP, "eu", &resource.LoadBalancer{Public: resource.Bool(true), Listeners: []resource.Listener{{Protocol: "TCP", Port: 8443}}}),
		lb("l-4", resource.GCP, "us", &resource.LoadBalancer{}, "lb-9"),
		lb("azure-1", resource.Azure, "eu", &resource.LoadBalancer{Public: resource.Bool(true)}, "lb-1"),
		lb("a", resource.AWS, "eu", &resource.LoadBalancer{Public: resource.Bool(true)}),
		{ID: "vm-1", Name: "lb-2", Provider: resource.AWS, Class: resource.ClassCompute, Type: "T"},
		{ID: "vm-2", Name: "l-4", Provider: resource.Azure, Class: resource.ClassCompute, Type: "T"},
		{ID: "vm-3", Name: "LB-1", Provider: resource.GCP, Class: resource.ClassCompute, Type: "U"},
		{ID: "vm-4", Name: "LB-1", Provider: resource.AWS, Class: resource.ClassCompute, Type: "U", Region: "eu"},
		{ID: "vm-5", Name: "L-1", Provider: resource.AWS, Class: resource.ClassCompute, Type: "U"},
	}
	inv[1].Tags = nil
	compareEngines(t, direct, opa, inv)
	compareOnTerms(t, []Source{DirSource(dir)}, opa, inv)
}

// FuzzDirectMatchesOPA: whatever a rule's fail condition (and the set rules
// of its module) say, the engine's evaluation never panics and gives OPA's
// findings. The seeds are shapes of the direct form and near misses;
// `go test -fuzz FuzzDirectMatchesOPA ./internal/policy` explores more.
func FuzzDirectMatchesOPA(f *testing.F) {
	for _, seed := range []string{
		"r.id in parents",
		"not r.id in parents",
		"some rel in r.relationships\n\trel.target_id in parents",
		"some l in r.facts.load_balancer.listeners\n\tupper(l.protocol) in {\"HTTP\"}",
		"count(r.facts.load_balancer.listeners) > 1",
		"is_boolean(r.facts.load_balancer.public)",
		"not known(r)",
		"r.facts.load_balancer.waf in parents",
		"some x in r.tags\n\tx in parents",
		"r.id in r.tags",
		"parents[r.id]",
		"count(parents) > 2",
		"some l in r.facts.load_balancer.listeners\n\tlower(trim_space(l.protocol)) in {\"http\"}",
		"not upper(trim_space(r.type)) == \"T\"",
		"trim_space(r.id) != \"lb-1\"",
		"not lower(trim_space(r.facts.load_balancer.missing)) in {\"x\"}",
		"not lower(trim_space(r.facts.load_balancer.public)) in {\"true\"}",
		"some l in r.facts.load_balancer.listeners\n\tweak_tls(l.protocol)",
		"not weak_tls(r.tags.k)",
		"weak_tls(r.facts.load_balancer.waf)",
		"t.older_than(r.tags.ts, 90)",
		"not t.within(r.tags.ts, 0)",
		"some x in r.tags\n\tt.reached(x)",
		"not t.valid(r.facts.load_balancer.waf)",
		"t.within(r.tags.missing, max_days)",
		"some rel in r.relationships\n\t[rel.type, rel.target_id] in pairs",
		"not [r.type, r.tags.k] in pairs",
		"[r.id, r.type] in parents",
		"some x in r.tags\n\tescalating(x)",
		"not escalating(r.type)",
		"count([l | some l in r.facts.load_balancer.listeners; l.port > 79]) > 0",
		"not count([x | some x in r.tags; x == \"lb-2\"]) == 1",
		"is_array(r.facts.load_balancer.listeners)",
		"count(object.get(r.facts.load_balancer, \"listeners\", [])) > 0",
		"not count(object.get(r.facts.load_balancer, \"listeners\", [])) > 0",
		"count(object.get(r.tags, \"k\", \"xy\")) > 1",
		"count(object.get(r.tags, \"ts\", null)) >= 0",
		"some l in r.facts.load_balancer.listeners\n\tcount(object.get(l, \"protocol\", \"\")) == 4",
	} {
		f.Add(seed)
	}
	inv := []*resource.Resource{
		{ID: "lb-1", Provider: resource.AWS, Class: resource.ClassLoadBalancer, Type: "T", Tags: map[string]string{"k": "lb-2", "ts": "2026-08-25T23:59:59Z", "a": "IAM:Put*"},
			Facts: resource.Facts{LoadBalancer: &resource.LoadBalancer{Public: resource.Bool(true), Listeners: []resource.Listener{{Protocol: "http", Port: 80}}}}},
		{ID: "lb-2", Provider: resource.GCP, Class: resource.ClassLoadBalancer, Type: "T",
			Relationships: []resource.Relationship{{Type: "listener_of", TargetID: "lb-1"}, {Type: "x", TargetID: "lb-3"}},
			Facts:         resource.Facts{LoadBalancer: &resource.LoadBalancer{WAF: resource.Bool(false)}}},
		{ID: "lb-3", Provider: resource.AWS, Class: resource.ClassLoadBalancer, Type: "U", Tags: map[string]string{"ts": "2026-11-24T00:00:00.5Z"}},
	}
	// weak_tls and tls_number, a native predicate (native.go), as the
	// built-in rules define them.
	b, err := fs.ReadFile(rules.FS(), "messaging/queue_weak_tls.rego")
	if err != nil {
		f.Fatal(err)
	}
	weakTLSText := string(b)[strings.Index(string(b), "weak_tls(v) if"):strings.Index(string(b), "message[r.id]")]
	// escalating (native.go), as iam-policy-privilege-escalation
	// defines it, with its set.
	b, err = fs.ReadFile(rules.FS(), "iampolicy/iam_policy_privilege_escalation.rego")
	if err != nil {
		f.Fatal(err)
	}
	escText := string(b)[strings.Index(string(b), "escalation := {"):strings.Index(string(b), "conditional(s)")] +
		string(b)[strings.Index(string(b), "escalating(a) if"):strings.Index(string(b), "message[id]")]
	// lib/time, whose functions are computed in Go (gotime.go).
	timeLib, err := fs.ReadFile(rules.FS(), "lib/time.rego")
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, cond string) {
		src := header("f", "load_balancer", "") + "import data.vigil.lib.time as t\n\nmax_days := 7\n\nparents contains rel.target_id if {\n\tsome r in input.resources.load_balancer\n\tsome rel in r.relationships\n\trel.type == \"listener_of\"\n}\n\n" +
			"pairs contains [rel.type, rel.target_id] if {\n\tsome r in input.resources.load_balancer\n\tsome rel in r.relationships\n\tnot rel.type == \"x\"\n}\n\n" +
			"pairs contains [r.type, r.id] if {\n\tsome r in input.resources.load_balancer\n\tr.facts.load_balancer.waf == false\n}\n\n" +
			"known(r) if is_boolean(r.facts.load_balancer.public)\n\n" + weakTLSText + "\n" + escText + "\n" +
			"fail contains r.id if {\n\tsome r in input.resources.load_balancer\n\t" + cond + "\n}\n"
		dir := writePack(t, map[string]string{"f.rego": src, "time.rego": string(timeLib)})
		fuzzSameAsOPA(t, dir, inv, "condition "+strconv.Quote(cond))
	})
}

// directAndOPA loads the pack in dir twice: as the engine evaluates it,
// and with OPA evaluating every rule.
func directAndOPA(t *testing.T, dir string) (direct, opa *Engine) {
	t.Helper()
	direct, err := New(context.Background(), []Source{DirSource(dir)})
	if err != nil {
		t.Fatal(err)
	}
	opa, err = New(context.Background(), []Source{DirSource(dir)}, withoutDirect())
	if err != nil {
		t.Fatal(err)
	}
	return direct, opa
}

// TestCountOfConstantSetMatchesOPA: count(<constant set>) compared with a
// number, a module's set or a helper's set parameter (lib/net's
// path_hits(_, ports) if count(ports) == 0), is read as a constant in the
// direct form, and the rules judge as OPA does, called and negated.
func TestCountOfConstantSetMatchesOPA(t *testing.T) {
	helpers := "admin := {22, 3389}\n\none := {22}\n\nnames := {\"a\", \"b\"} | {\"b\", \"c\"}\n\n" +
		"hit(_, ports) if count(ports) == 0\n\nhit(k, ports) if {\n\tsome port in ports\n\tk.from_port <= port\n\tport <= k.to_port\n}\n\n" +
		"wide(k, ports) if {\n\tcount(ports) > 1\n\tk.protocol == \"tcp\"\n}\n\n"
	for _, cond := range []string{
		"some k in r.facts.firewall.rules\n\thit(k, admin)",
		"some k in r.facts.firewall.rules\n\tnot hit(k, one)",
		"some k in r.facts.firewall.rules\n\twide(k, admin)",
		"some k in r.facts.firewall.rules\n\tnot wide(k, one)",
		"count(admin) == 2\n\tr.type == \"T\"",
		"count(names) == 3\n\tr.type == \"T\"",
		"count(names) > 3\n\tr.type == \"T\"",
		"2 < count(admin)\n\tr.type == \"T\"",
	} {
		src := header("c", "firewall", "") + helpers + "fail contains r.id if {\n\tsome r in input.resources.firewall\n\t" + cond + "\n}\n"
		direct, opa := directAndOPA(t, writePack(t, map[string]string{"c.rego": src}))
		if d := direct.direct[0]; d == nil || !d.onGo {
			t.Errorf("%q is not in the direct form on the Go fields", cond)
		}
		rule := func(from, to int, proto string) resource.FirewallRule {
			return resource.FirewallRule{Direction: "ingress", Action: "allow", Protocol: proto, FromPort: from, ToPort: to}
		}
		var inv []*resource.Resource
		for i, rs := range [][]resource.FirewallRule{nil, {}, {rule(22, 22, "tcp")}, {rule(0, 65535, "udp")}, {rule(80, 443, "tcp")},
			{rule(3389, 3390, "tcp"), rule(1, 2, "udp")}, {rule(23, 3388, "tcp")}} {
			inv = append(inv, &resource.Resource{ID: fmt.Sprintf("fw%d", i), Provider: resource.AWS, Class: resource.ClassFirewall, Type: "T",
				Facts: resource.Facts{Firewall: &resource.Firewall{Rules: rs}}})
		}
		inv = append(inv, &resource.Resource{ID: "other", Provider: resource.AWS, Class: resource.ClassFirewall, Type: "U"})
		compareEngines(t, direct, opa, inv)
	}
}

// fuzzSameAsOPA loads the pack in dir into an OPA-only engine and the
// engine as built, evaluates both over inv and fails the fuzz case when
// their findings differ (what names the input in the message). A pack OPA
// does not load is skipped, an evaluation OPA itself fails is not compared.
func fuzzSameAsOPA(t *testing.T, dir string, inv []*resource.Resource, what string) {
	t.Helper()
	opa, err := New(context.Background(), []Source{DirSource(dir)}, withoutDirect())
	if err != nil {
		t.Skip("not a rule")
	}
	direct, err := New(context.Background(), []Source{DirSource(dir)})
	if err != nil {
		t.Fatalf("OPA loads the rule, the engine does not: %v", err)
	}
	fo, errO := opa.Evaluate(context.Background(), inv, testNow)
	fd, errD := direct.Evaluate(context.Background(), inv, testNow)
	if errO != nil {
		return // OPA's own evaluation error (a conflict): not compared
	}
	if errD != nil {
		t.Fatalf("OPA evaluates the rule, the engine fails: %v", errD)
	}
	if diff := cmp.Diff(fo, fd); diff != "" {
		t.Errorf("%s: findings differ (-OPA +direct):\n%s", what, diff)
	}
}
