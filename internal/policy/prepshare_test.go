package policy

import (
	"context"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"

	"github.com/vigil-sec/vigil/internal/resource"
)

// sharePack is a pack of an OPA-evaluated rule (split), a rule judged on
// the Go fields, a renamed copy of each (package and id), and a rule whose
// text differs from the first's by one constant.
func sharePack() fstest.MapFS {
	split := func(id, pkg, prefix string) string {
		return "# METADATA\n# title: " + id + "\n# custom:\n#   id: " + id + "\n#   severity: LOW\n#   category: exposure\n#   class: object_storage\n#   providers: [aws, gcp]\n" +
			"package vigil.rules." + pkg + "\n\n" +
			"fail contains r.id if {\n\tsome r in input.resources.object_storage\n\tsplit(r.name, \"-\")[0] == \"" + prefix + "\"\n}\n\n" +
			"message[r.id] := sprintf(\"%s starts with " + prefix + "\", [r.name]) if {\n\tsome r in input.resources.object_storage\n\tr.id in fail\n}\n"
	}
	public := func(id, pkg string) string {
		return "# METADATA\n# title: " + id + "\n# custom:\n#   id: " + id + "\n#   severity: LOW\n#   category: exposure\n#   class: object_storage\n#   providers: [aws, gcp]\n" +
			"#   requires: [facts.storage.public_access]\npackage vigil.rules." + pkg + "\n\n" +
			"fail contains r.id if {\n\tsome r in input.resources.object_storage\n\tr.facts.storage.public_access == true\n}\n"
	}
	return fstest.MapFS{
		"split.rego":       {Data: []byte(split("t-split", "t_split", "bad"))},
		"split_copy.rego":  {Data: []byte(split("t-split-copy", "t_split_copy", "bad"))},
		"split_other.rego": {Data: []byte(split("t-split-other", "t_split_other", "worse"))},
		"public.rego":      {Data: []byte(public("t-public", "t_public"))},
		"public_copy.rego": {Data: []byte(public("t-public-copy", "t_public_copy"))},
	}
}

// TestSharedPreparation: rules whose modules differ only in the package
// line and METADATA take one preparation (the copy's OPA queries and
// direct form are the original's) and judge as if prepared apart; a rule
// whose text differs otherwise is prepared on its own. The lazy engine
// (preparing on first input) and the eager one (at New) agree.
func TestSharedPreparation(t *testing.T) {
	ctx := context.Background()
	inv := []*resource.Resource{
		bucket("bad-1", resource.AWS, resource.Bool(true)),
		bucket("worse-2", resource.AWS, resource.Bool(false)),
		bucket("ok-3", resource.GCP, resource.Bool(true)),
	}
	want := map[string]string{
		"t-split bad-1": "FAIL bad-1 starts with bad", "t-split worse-2": "PASS ", "t-split ok-3": "PASS ",
		"t-split-copy bad-1": "FAIL bad-1 starts with bad", "t-split-copy worse-2": "PASS ", "t-split-copy ok-3": "PASS ",
		"t-split-other bad-1": "PASS ", "t-split-other worse-2": "FAIL worse-2 starts with worse", "t-split-other ok-3": "PASS ",
		"t-public bad-1": "FAIL ", "t-public worse-2": "PASS ", "t-public ok-3": "FAIL ",
		"t-public-copy bad-1": "FAIL ", "t-public-copy worse-2": "PASS ", "t-public-copy ok-3": "FAIL ",
	}
	for _, builtin := range []bool{true, false} {
		e, err := New(ctx, []Source{{FS: sharePack(), Name: "share", Builtin: builtin}})
		if err != nil {
			t.Fatal(err)
		}
		fs, err := e.Evaluate(ctx, inv, testNow)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]string{}
		for _, f := range fs {
			got[f.RuleID+" "+f.Resource.ID] = string(f.Status) + " " + f.Message
		}
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("builtin=%v: findings (-want +got):\n%s", builtin, d)
		}
		idx := map[string]int{}
		for i, r := range e.rules {
			idx[r.ID] = i
		}
		if n := len(e.preparedB); n != 3 {
			t.Errorf("builtin=%v: %d preparations, want 3 (t-split, t-split-other, t-public)", builtin, n)
		}
		split, cp, other := idx["t-split"], idx["t-split-copy"], idx["t-split-other"]
		if e.direct[split] != nil || e.messages[split] == nil {
			t.Fatalf("builtin=%v: t-split is not evaluated by OPA (direct %v): the test needs a rule OPA evaluates", builtin, e.direct[split] != nil)
		}
		if e.messages[cp] != e.messages[split] {
			t.Errorf("builtin=%v: t-split-copy has a message query of its own", builtin)
		}
		if e.messages[other] == e.messages[split] {
			t.Errorf("builtin=%v: t-split-other, whose text differs, shares t-split's message query", builtin)
		}
		pub, pubCopy := idx["t-public"], idx["t-public-copy"]
		if e.direct[pub] == nil || e.direct[pubCopy] != e.direct[pub] {
			t.Errorf("builtin=%v: t-public-copy does not share t-public's direct form", builtin)
		}
	}
}

func TestBodyKey(t *testing.T) {
	base := "# METADATA\n# custom:\n#   id: a\npackage vigil.rules.a\n\nfail contains r.id if {\n\tsome r in input.resources.x\n\tr.name == \"#a\"\n}\n"
	same := []string{
		strings.Replace(base, "package vigil.rules.a", "package vigil.rules.a_copy2", 1),
		strings.Replace(base, "id: a", "id: a-copy2", 1),
		strings.Replace(base, "# METADATA\n", "", 1),
	}
	for _, s := range same {
		if bodyKey(s) != bodyKey(base) {
			t.Errorf("key differs for a module differing only before its body:\n%s", s)
		}
	}
	differ := []string{
		strings.Replace(base, `"#a"`, `"#b"`, 1),
		strings.Replace(base, "input.resources.x", "input.resources.y", 1),
		base + "# a comment in the body\n",
		strings.Replace(base, "fail contains", "import data.vigil.lib.net\n\nfail contains", 1),
	}
	for _, s := range differ {
		if bodyKey(s) == bodyKey(base) {
			t.Errorf("same key for a module whose body differs:\n%s", s)
		}
	}
}
