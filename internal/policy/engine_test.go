package policy

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/vigil-sec/vigil/internal/finding"
	"github.com/vigil-sec/vigil/internal/resource"
)

var testNow = time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)

func testPack(t *testing.T) Source {
	t.Helper()
	return Source{FS: os.DirFS("testdata/pack"), Name: "testpack", Builtin: true}
}

func bucket(id string, p resource.Provider, public *bool) *resource.Resource {
	return &resource.Resource{ID: id, Name: id, Provider: p, Class: resource.ClassObjectStorage, Type: "T",
		Facts: resource.Facts{Storage: &resource.ObjectStorage{PublicAccess: public}}}
}

func statuses(fs []finding.Finding) map[string]string {
	out := map[string]string{}
	for _, f := range fs {
		out[f.RuleID+" "+f.Resource.ID] = string(f.Status)
	}
	return out
}

func TestEvaluateStatuses(t *testing.T) {
	ctx := context.Background()
	e, err := New(ctx, []Source{testPack(t)})
	if err != nil {
		t.Fatal(err)
	}
	if got := len(e.Rules()); got != 2 {
		t.Fatalf("loaded %d rules, want 2 (the library package is not a rule)", got)
	}
	inv := []*resource.Resource{
		bucket("pub", resource.AWS, resource.Bool(true)),
		bucket("priv", resource.GCP, resource.Bool(false)),
		bucket("nodata", resource.AWS, nil),
		bucket("azure-not-covered", resource.Azure, resource.Bool(true)),
		{ID: "root", Provider: resource.AWS, Class: resource.ClassIdentity, Facts: resource.Facts{Identity: &resource.Identity{
			Kind: "root", AccessKeysKnown: resource.Bool(true), AccessKeys: []resource.AccessKey{{ID: "k", Active: true}}}}},
		{ID: "root2", Provider: resource.AWS, Class: resource.ClassIdentity, Facts: resource.Facts{Identity: &resource.Identity{
			Kind: "root", AccessKeysKnown: resource.Bool(true)}}},
		{ID: "root3", Provider: resource.AWS, Class: resource.ClassIdentity, Facts: resource.Facts{Identity: &resource.Identity{Kind: "root"}}},
		{ID: "user", Provider: resource.AWS, Class: resource.ClassIdentity, Facts: resource.Facts{Identity: &resource.Identity{Kind: "user"}}},
	}
	fs, err := e.Evaluate(ctx, inv, testNow)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"test-bucket-public pub":    "FAIL",
		"test-bucket-public priv":   "PASS",
		"test-bucket-public nodata": "UNKNOWN",
		"test-root-keys root":       "FAIL",
		"test-root-keys root2":      "PASS",
		"test-root-keys root3":      "UNKNOWN",
	}
	if diff := cmp.Diff(want, statuses(fs)); diff != "" {
		t.Errorf("wrong statuses (-want +got):\n%s", diff)
	}
	for _, f := range fs {
		if f.Resource.ID == "pub" {
			if f.Message != "pub is public" || f.Severity != finding.High || len(f.Frameworks) != 2 || f.Remediation != "Make it private." {
				t.Errorf("finding fields not carried from metadata: %+v", f)
			}
		}
	}
}

func TestCustomRulesDir(t *testing.T) {
	dir := t.TempDir()
	rule := `# METADATA
# title: Custom tag rule
# scope: package
# custom:
#   id: custom-owner-tag
#   severity: low
#   category: governance
#   class: object_storage
#   providers: [aws]
package vigil.rules.custom_owner_tag

fail contains r.id if {
	some r in input.resources.object_storage
	not r.tags.owner
}
`
	if err := os.WriteFile(filepath.Join(dir, "owner.rego"), []byte(rule), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	e, err := New(ctx, []Source{testPack(t), DirSource(dir)})
	if err != nil {
		t.Fatal(err)
	}
	var custom *Rule
	for _, r := range e.Rules() {
		if r.ID == "custom-owner-tag" {
			custom = r
		}
	}
	if custom == nil || custom.Builtin || custom.Severity != finding.Low {
		t.Fatalf("custom rule not loaded as custom: %+v", custom)
	}
	b := bucket("b", resource.AWS, nil)
	b.Tags = map[string]string{"owner": "sam"}
	fs, err := e.Evaluate(ctx, []*resource.Resource{b, bucket("c", resource.AWS, nil)}, testNow)
	if err != nil {
		t.Fatal(err)
	}
	got := statuses(fs)
	if got["custom-owner-tag b"] != "PASS" || got["custom-owner-tag c"] != "FAIL" {
		t.Errorf("custom rule statuses: %v", got)
	}
}

func TestBadRules(t *testing.T) {
	for _, tc := range []struct{ name, src, want string }{
		{"bad severity", "# METADATA\n# title: x\n# custom:\n#   id: x\n#   severity: urgent\n#   category: c\n#   class: key\n#   providers: [aws]\npackage vigil.rules.x\n", "unknown severity"},
		{"bad class", "# METADATA\n# title: x\n# custom:\n#   id: x\n#   severity: low\n#   category: c\n#   class: toaster\n#   providers: [aws]\npackage vigil.rules.x\n", "not a known class"},
		{"bad provider", "# METADATA\n# title: x\n# custom:\n#   id: x\n#   severity: low\n#   category: c\n#   class: key\n#   providers: [oracle]\npackage vigil.rules.x\n", "unknown provider"},
		{"syntax", "package vigil.rules.x\nfail contains x if {", "rule.rego"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			os.WriteFile(filepath.Join(dir, "rule.rego"), []byte(tc.src), 0o644)
			_, err := New(context.Background(), []Source{DirSource(dir)})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got error %v, want one containing %q", err, tc.want)
			}
		})
	}
}

func TestDuplicateRuleID(t *testing.T) {
	dir := t.TempDir()
	src, _ := os.ReadFile("testdata/pack/storage/bucket_public.rego")
	os.WriteFile(filepath.Join(dir, "dup.rego"), []byte(strings.Replace(string(src), "package vigil.rules.test_bucket_public", "package vigil.rules.dup", 1)), 0o644)
	_, err := New(context.Background(), []Source{testPack(t), DirSource(dir)})
	if err == nil || !strings.Contains(err.Error(), "defined twice") {
		t.Fatalf("got %v, want duplicate id error", err)
	}
}

func TestRunTests(t *testing.T) {
	rep, err := RunTests(context.Background(), []Source{testPack(t)}, true)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Tests) != 7 {
		t.Fatalf("ran %d tests, want 7: %+v", len(rep.Tests), rep.Tests)
	}
	cases := 0
	for _, r := range rep.Tests {
		if !r.Pass {
			t.Errorf("%s.%s failed: %s", r.Package, r.Name, r.Error)
		}
		cases += len(r.Cases)
	}
	if cases != 6 {
		t.Errorf("%d engine checks, want 6 (one per test_fail_/test_pass_/test_unknown_ assertion)", cases)
	}
	want := []RuleCheck{
		{Rule: "test-bucket-public", File: "testpack/storage/bucket_public.rego", Fail: 1, Pass: 1, Unknown: 1},
		{Rule: "test-root-keys", File: "testpack/storage/root_keys.rego", Fail: 1, Pass: 1, Unknown: 1},
	}
	if diff := cmp.Diff(want, rep.Rules); diff != "" {
		t.Errorf("rule checks (-want +got):\n%s", diff)
	}
	if rep.Failed() != 0 {
		t.Errorf("Failed() = %d, want 0", rep.Failed())
	}
	// A failing custom test is reported as failing.
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "x_test.rego"), []byte("package vigil.rules.x_test\nimport data.vigil.lib.testnet\ntest_fail_wrong if { testnet.internet(\"10.0.0.0/8\") }\n"), 0o644)
	rep, err = RunTests(context.Background(), []Source{testPack(t), DirSource(dir)}, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Tests) != 1 || rep.Tests[0].Pass || rep.Tests[0].Name != "test_fail_wrong" {
		t.Fatalf("want one failing custom test, got %+v", rep.Tests)
	}
}

// TestMessageObject checks `message` objects reach failing findings, also
// across several message batches.
func TestMessageObject(t *testing.T) {
	dir := t.TempDir()
	rule := `# METADATA
# title: Versioning
# scope: package
# custom:
#   id: msg-versioning
#   severity: low
#   category: resilience
#   class: object_storage
#   providers: [aws]
#   requires: [facts.storage.versioning]
package vigil.rules.msg_versioning

fail contains r.id if {
	some r in input.resources.object_storage
	r.facts.storage.versioning == false
}

message[r.id] := sprintf("%s has versioning off", [r.name]) if {
	some r in input.resources.object_storage
	r.id in fail
}
`
	os.WriteFile(filepath.Join(dir, "v.rego"), []byte(rule), 0o644)
	e, err := New(context.Background(), []Source{DirSource(dir)})
	if err != nil {
		t.Fatal(err)
	}
	var inv []*resource.Resource
	for i := range 4*messageBatch + 7 {
		b := bucket(fmt.Sprintf("b%d", i), resource.AWS, nil)
		b.Facts.Storage.Versioning = resource.Bool(i%3 != 0)
		inv = append(inv, b)
	}
	fs, err := e.Evaluate(context.Background(), inv, testNow)
	if err != nil {
		t.Fatal(err)
	}
	fails := 0
	for _, f := range fs {
		switch f.Status {
		case finding.Fail:
			fails++
			if want := f.Resource.ID + " has versioning off"; f.Message != want {
				t.Fatalf("%s: message %q, want %q", f.Resource.ID, f.Message, want)
			}
		case finding.Pass:
			if f.Message != "" {
				t.Fatalf("%s: passing finding has message %q", f.Resource.ID, f.Message)
			}
		}
	}
	if fails < messageBatch {
		t.Fatalf("only %d failures; the test needs more than one batch", fails)
	}
}
