package policy

import (
	"context"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/vigil-sec/vigil/internal/finding"
	"github.com/vigil-sec/vigil/internal/resource"
)

// header is a rule's METADATA with the given extra custom lines.
func header(id, class, extra string) string {
	return "# METADATA\n# title: T\n# scope: package\n# custom:\n#   id: " + id + "\n#   severity: low\n#   category: exposure\n#   class: " +
		class + "\n#   providers: [aws, gcp]\n" + extra + "package vigil.rules." + strings.ReplaceAll(id, "-", "_") + "\n\n"
}

func writePack(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, src := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestLoadErrors(t *testing.T) {
	fail := "fail contains r.id if {\n\tsome r in input.resources.object_storage\n\tr.facts.storage.public_access == true\n}\n"
	for _, tc := range []struct{ name, src, want string }{
		{"unknown fact", header("x", "object_storage", "#   requires: [facts.storage.publik]\n") + fail,
			`rule "x": custom.requires: "facts.storage.publik": facts.storage has no field "publik"`},
		{"other class's fact", header("x", "object_storage", "#   requires: [facts.account.audit_logging]\n") + fail,
			"facts.account.audit_logging is not a fact of class object_storage (its facts are facts.storage.*)"},
		{"into a list", header("x", "firewall", "#   requires: [facts.firewall.rules.from_port]\n") + fail,
			"a list, which a fact path cannot descend into"},
		{"not a list", header("x", "object_storage", "#   requires: facts.storage.public_access\n") + fail,
			"custom.requires must be a list of fact paths"},
		{"empty any-of", header("x", "object_storage", "#   requires: [[]]\n") + fail, "an entry is an empty list"},
		{"no fail", header("x", "object_storage", ""), "defines no `fail` set"},
		{"applicable", header("x", "object_storage", "") + fail + "applicable contains r.id if some r in input.resources.object_storage\n",
			"defines `pass` or `applicable`, which the rule contract no longer reads"},
		{"class other", header("x", "other", "") + fail, `custom.class "other" is not a known class`},
		{"unquoted control", header("x", "object_storage", "#   frameworks:\n#     cis-aws-7.0: [2.10]\n") + fail,
			"custom.frameworks.cis-aws-7.0: control 2.1 is not a string (quote it"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := writePack(t, map[string]string{"rule.rego": tc.src})
			_, err := New(context.Background(), []Source{DirSource(dir)})
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "rule.rego") {
				t.Fatalf("got error %v, want one naming rule.rego and containing %q", err, tc.want)
			}
		})
	}
}

// TestRequiresAnyOf checks an entry that is a list is satisfied by any one
// of its paths, and every entry must be.
func TestRequiresAnyOf(t *testing.T) {
	src := header("tls", "object_storage", "#   requires:\n#     - facts.storage.encrypted\n#     - [facts.storage.secure_transport_only, facts.storage.min_tls_version]\n") +
		"fail contains r.id if {\n\tsome r in input.resources.object_storage\n\tr.facts.storage.secure_transport_only == false\n}\n"
	e, err := New(context.Background(), []Source{DirSource(writePack(t, map[string]string{"tls.rego": src}))})
	if err != nil {
		t.Fatal(err)
	}
	if got := e.Rules()[0].Requires; len(got) != 2 || len(got[1]) != 2 {
		t.Fatalf("requires read as %v", got)
	}
	st := func(id string, s *resource.ObjectStorage) *resource.Resource {
		return &resource.Resource{ID: id, Provider: resource.AWS, Class: resource.ClassObjectStorage, Facts: resource.Facts{Storage: s}}
	}
	inv := []*resource.Resource{
		st("fail-despite-missing", &resource.ObjectStorage{SecureTransportOnly: resource.Bool(false)}),
		st("pass-by-first", &resource.ObjectStorage{Encrypted: resource.Bool(true), SecureTransportOnly: resource.Bool(true)}),
		st("pass-by-second", &resource.ObjectStorage{Encrypted: resource.Bool(true), MinTLSVersion: "1.2"}),
		st("unknown-first-entry", &resource.ObjectStorage{MinTLSVersion: "1.2"}),
		st("unknown-second-entry", &resource.ObjectStorage{Encrypted: resource.Bool(true)}),
		{ID: "no-facts", Provider: resource.GCP, Class: resource.ClassObjectStorage},
	}
	fs, err := e.Evaluate(context.Background(), inv, testNow)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"tls fail-despite-missing": "FAIL", "tls pass-by-first": "PASS", "tls pass-by-second": "PASS",
		"tls unknown-first-entry": "UNKNOWN", "tls unknown-second-entry": "UNKNOWN", "tls no-facts": "UNKNOWN",
	}
	got := statuses(fs)
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s: %s, want %s", k, got[k], w)
		}
	}
	for _, f := range fs {
		if f.Resource.ID == "unknown-second-entry" && !strings.Contains(f.Message, "any of facts.storage.secure_transport_only, facts.storage.min_tls_version") {
			t.Errorf("unknown message does not name the absent facts: %q", f.Message)
		}
	}
}

// TestStrayFailElement checks a fail set holding something other than ids
// of the rule's class is an error naming the rule, not a silent drop.
func TestStrayFailElement(t *testing.T) {
	for name, body := range map[string]string{
		"other class": "fail contains r.id if some r in input.resources.account\n",
		"object":      "fail contains {\"id\": r.id} if some r in input.resources.object_storage\n",
	} {
		t.Run(name, func(t *testing.T) {
			dir := writePack(t, map[string]string{"r.rego": header("stray", "object_storage", "") + body})
			e, err := New(context.Background(), []Source{DirSource(dir)})
			if err != nil {
				t.Fatal(err)
			}
			inv := []*resource.Resource{bucket("b", resource.AWS, nil),
				{ID: "111", Provider: resource.AWS, Class: resource.ClassAccount, Facts: resource.Facts{Account: &resource.Account{}}}}
			_, err = e.Evaluate(context.Background(), inv, testNow)
			if err == nil || !strings.Contains(err.Error(), "rule stray") || !strings.Contains(err.Error(), "fail must be a set of ids of input.resources.object_storage") {
				t.Fatalf("got %v", err)
			}
		})
	}
}

// TestPassRefused checks a rule in the first contract (fail and pass) is
// refused with a message saying what to do, rather than read with its pass
// set ignored (which would turn its UNKNOWN resources into PASS).
func TestPassRefused(t *testing.T) {
	src := header("legacy", "object_storage", "") + `fail contains r.id if {
	some r in input.resources.object_storage
	r.facts.storage.public_access == true
}

pass contains r.id if {
	some r in input.resources.object_storage
	r.facts.storage.public_access == false
}
`
	_, err := New(context.Background(), []Source{DirSource(writePack(t, map[string]string{"l.rego": src}))})
	if err == nil || !strings.Contains(err.Error(), "l.rego: rule \"legacy\" defines `pass` or `applicable`") || !strings.Contains(err.Error(), "custom.requires") {
		t.Fatalf("got %v", err)
	}
}

// TestEngineCheckCatchesBadCases writes Rego tests that pass as Rego but
// contradict the engine, and checks RunTests reports each.
func TestEngineCheckCatchesBadCases(t *testing.T) {
	rule := header("tagged", "object_storage", "#   requires: [facts.storage.encrypted]\n") + `fail contains r.id if {
	some r in input.resources.object_storage
	r.facts.storage.encrypted == false
}

skip contains r.id if {
	some r in input.resources.object_storage
	r.tags.scratch == "yes"
}
`
	tests := `package vigil.rules.tagged_test

import data.vigil.rules.tagged as rule

one(facts) := {"resources": {"object_storage": [{"id": "b1", "provider": "aws", "facts": {"storage": facts}}]}}

test_fail_unencrypted if {
	"b1" in rule.fail with input as one({"encrypted": false})
}

# passes as Rego, but the required fact is absent: the engine says UNKNOWN
test_pass_secretly_unknown if {
	not "b1" in rule.fail with input as one({"versioning": true})
}

# passes as Rego, but the fact is there: the engine says PASS
test_unknown_secretly_pass if {
	inp := one({"encrypted": true})
	not "b1" in rule.fail with input as inp
}

# checks the wrong set only
test_pass_without_not_fail if {
	not "b1" in rule.skip with input as one({"encrypted": true})
}

# a misspelt fact no importer produces
test_pass_misspelt if {
	not "b1" in rule.fail with input as one({"encrypted": true, "encrpyted": false})
}

# a provider the rule does not cover
test_pass_wrong_provider if {
	not "b1" in rule.fail with input as {"resources": {"object_storage": [{"id": "b1", "provider": "azure", "facts": {"storage": {"encrypted": true}}}]}}
}

# skipped, not passed
test_pass_skipped if {
	not "b1" in rule.fail with input as {"resources": {"object_storage": [{"id": "b1", "provider": "aws", "tags": {"scratch": "yes"}, "facts": {"storage": {"encrypted": true}}}]}}
}

test_pass_good if {
	not "b1" in rule.fail with input as one({"encrypted": true})
}
`
	dir := writePack(t, map[string]string{"tagged.rego": rule, "tagged_test.rego": tests})
	rep, err := RunTests(context.Background(), []Source{testPack(t), DirSource(dir)}, false)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"test_fail_unencrypted":      "",
		"test_pass_good":             "",
		"test_pass_secretly_unknown": "b1 is UNKNOWN through the engine (the input does not carry facts.storage.encrypted, which this rule needs), want PASS",
		"test_unknown_secretly_pass": "b1 is PASS through the engine, want UNKNOWN",
		"test_pass_without_not_fail": `must assert not "<id>" in <rule>.fail`,
		"test_pass_misspelt":         `unknown field "encrpyted"`,
		"test_pass_wrong_provider":   `no finding (a object_storage resource from "azure"; the rule judges object_storage resources from [aws gcp])`,
		"test_pass_skipped":          "b1 is skipped through the engine, want PASS",
	}
	if len(rep.Tests) != len(want) {
		t.Fatalf("%d tests, want %d: %+v", len(rep.Tests), len(want), rep.Tests)
	}
	for _, r := range rep.Tests {
		w, ok := want[r.Name]
		if !ok {
			t.Errorf("unexpected test %s", r.Name)
			continue
		}
		if w == "" {
			if !r.Pass {
				t.Errorf("%s: failed: %s %s %+v", r.Name, r.Error, r.CaseError, r.Cases)
			}
			continue
		}
		msg := r.CaseError
		for _, c := range r.Cases {
			msg += c.Error
		}
		if r.Pass || !strings.Contains(msg, w) {
			t.Errorf("%s: pass=%v errors %q, want a failure containing %q", r.Name, r.Pass, msg, w)
		}
	}
	if len(rep.Rules) != 1 || rep.Rules[0].Rule != "tagged" || len(rep.Rules[0].Missing) != 0 {
		t.Errorf("rule checks: %+v", rep.Rules)
	}
	// A rule without an unknown case is reported.
	dir = writePack(t, map[string]string{"tagged.rego": rule, "tagged_test.rego": strings.Split(tests, "# passes as Rego")[0]})
	rep, err = RunTests(context.Background(), []Source{DirSource(dir)}, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Rules) != 1 || strings.Join(rep.Rules[0].Missing, ",") != "test_pass_,test_unknown_" || rep.Failed() != 1 {
		t.Errorf("want the rule reported without pass and unknown cases, got %+v", rep.Rules)
	}
}

func TestFindingsCarryRuleInfo(t *testing.T) {
	e, err := New(context.Background(), []Source{testPack(t)})
	if err != nil {
		t.Fatal(err)
	}
	infos := Infos(e.Rules())
	if len(infos) != 2 || infos[0].ID != "test-bucket-public" || infos[0].Severity != finding.High {
		t.Fatalf("Infos: %+v", infos)
	}
	fs, err := e.Evaluate(context.Background(), []*resource.Resource{bucket("pub", resource.AWS, resource.Bool(true))}, testNow)
	if err != nil {
		t.Fatal(err)
	}
	ri := fs[0].Rule()
	if ri.ID != infos[0].ID || ri.Title != infos[0].Title || ri.Severity != infos[0].Severity || len(ri.Frameworks) != len(infos[0].Frameworks) {
		t.Errorf("finding's rule %+v differs from the rule %+v", ri, infos[0])
	}
}

func identity(id string, p resource.Provider, kind string, mfa *bool) *resource.Resource {
	return &resource.Resource{ID: id, Provider: p, Type: "AWS::IAM::User", Class: resource.ClassIdentity,
		Facts: resource.Facts{Identity: &resource.Identity{Kind: kind, MFAEnabled: mfa}}}
}

// TestAppliesTo checks custom.applies_to narrows a rule to the selected
// resources of its class: the others get no finding and are not in the
// rule's input, while other classes stay whole.
func TestAppliesTo(t *testing.T) {
	src := header("root-mfa", "identity", "#   applies_to:\n#     facts.identity.kind: [root]\n#   requires: [facts.identity.mfa_enabled]\n") + `fail contains r.id if {
	some r in input.resources.identity
	not r.facts.identity.mfa_enabled == true
	r.facts.identity.mfa_enabled == false
}
`
	// Fails what it sees only when it sees the three roots and the account.
	sees := header("sees", "identity", "#   applies_to:\n#     facts.identity.kind: [root]\n") + `fail contains r.id if {
	some r in input.resources.identity
	count(input.resources.identity) == 3
	count(input.resources.account) == 1
}
`
	typed := header("typed", "identity", "#   applies_to:\n#     type: [AWS::IAM::Root]\n") +
		"fail contains r.id if some r in input.resources.identity\n"
	e, err := New(context.Background(), []Source{DirSource(writePack(t, map[string]string{"r.rego": src, "t.rego": typed, "s.rego": sees}))})
	if err != nil {
		t.Fatal(err)
	}
	inv := []*resource.Resource{
		identity("root1", resource.AWS, "root", resource.Bool(false)),
		identity("root2", resource.GCP, "root", resource.Bool(true)),
		identity("root3", resource.AWS, "root", nil),
		identity("user1", resource.AWS, "user", resource.Bool(false)),
		identity("nokind", resource.AWS, "", resource.Bool(false)),
		{ID: "111", Provider: resource.AWS, Class: resource.ClassAccount, Facts: resource.Facts{Account: &resource.Account{}}},
	}
	inv[2].Type = "AWS::IAM::Root"
	fs, err := e.Evaluate(context.Background(), inv, testNow)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"root-mfa root1": "FAIL", "root-mfa root2": "PASS", "root-mfa root3": "UNKNOWN", "typed root3": "FAIL",
		"sees root1": "FAIL", "sees root2": "FAIL", "sees root3": "FAIL"}
	if diff := cmp.Diff(want, statuses(fs)); diff != "" {
		t.Errorf("statuses (-want +got):\n%s", diff)
	}
	if got := e.Rules()[0].AppliesTo; !cmp.Equal(got, map[string][]string{"facts.identity.kind": {"root"}}) {
		t.Errorf("AppliesTo = %v", got)
	}
}

// TestAppliesToBoolean checks a boolean fact selects by true and false, and
// null selects the resources where the fact is absent.
func TestAppliesToBoolean(t *testing.T) {
	src := header("no-mfa", "identity", "#   applies_to:\n#     facts.identity.mfa_enabled: [false, null]\n") +
		"fail contains r.id if some r in input.resources.identity\n"
	e, err := New(context.Background(), []Source{DirSource(writePack(t, map[string]string{"r.rego": src}))})
	if err != nil {
		t.Fatal(err)
	}
	inv := []*resource.Resource{
		identity("off", resource.AWS, "user", resource.Bool(false)),
		identity("on", resource.AWS, "user", resource.Bool(true)),
		identity("absent", resource.AWS, "user", nil),
		{ID: "nofacts", Provider: resource.AWS, Class: resource.ClassIdentity},
	}
	fs, err := e.Evaluate(context.Background(), inv, testNow)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"no-mfa off": "FAIL", "no-mfa absent": "FAIL", "no-mfa nofacts": "FAIL"}
	if diff := cmp.Diff(want, statuses(fs)); diff != "" {
		t.Errorf("statuses (-want +got):\n%s", diff)
	}
	if got := e.Rules()[0].AppliesTo; !cmp.Equal(got, map[string][]string{"facts.identity.mfa_enabled": {"", "false"}}) {
		t.Errorf("AppliesTo = %v", got)
	}
}

func TestAppliesToErrors(t *testing.T) {
	fail := "fail contains r.id if some r in input.resources.identity\n"
	for _, tc := range []struct{ name, extra, want string }{
		{"not a map", "#   applies_to: [root]\n", "custom.applies_to must map type or a string or boolean fact path"},
		{"not a list", "#   applies_to:\n#     type: AWS::IAM::User\n", "custom.applies_to.type must be a non-empty list"},
		{"unknown fact", "#   applies_to:\n#     facts.identity.knd: [root]\n", `facts.identity has no field "knd"`},
		{"other class", "#   applies_to:\n#     facts.storage.key_manager: [customer]\n", "is not a fact of class identity"},
		{"not text", "#   applies_to:\n#     facts.identity.access_keys: [x]\n", "is not a string or boolean fact"},
		{"text for a boolean", "#   applies_to:\n#     facts.identity.mfa_enabled: [yes]\n", `"yes" is not true, false or null`},
		{"boolean for text", "#   applies_to:\n#     facts.identity.kind: [true]\n", "true is not a string"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := writePack(t, map[string]string{"rule.rego": header("x", "identity", tc.extra) + fail})
			_, err := New(context.Background(), []Source{DirSource(dir)})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want an error containing %q", err, tc.want)
			}
		})
	}
}

// TestOptInAndLeaveOut: a rule of an opt-in set (custom.opt_in) is left out
// unless its set is named; LeaveOut drops the rules it selects; a rule of
// any class may require the cross-class governance facts.
func TestOptInAndLeaveOut(t *testing.T) {
	ctx := context.Background()
	fail := "fail contains r.id if {\n\tsome r in input.resources.disk\n\tr.facts.data.classified == false\n}\n"
	dir := writePack(t, map[string]string{
		"gov.rego":   header("gov", "disk", "#   opt_in: governance\n#   requires: [facts.data.classified]\n") + fail,
		"plain.rego": header("plain", "disk", "#   requires: [facts.tagging.selected]\n") + fail,
	})
	ids := func(opts ...Option) []string {
		e, err := New(ctx, []Source{DirSource(dir)}, opts...)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, r := range e.Rules() {
			out = append(out, r.ID)
		}
		return out
	}
	if got := ids(); !slices.Equal(got, []string{"plain"}) {
		t.Errorf("default rules = %v, want [plain]", got)
	}
	if got := ids(OptIn("governance")); !slices.Equal(got, []string{"gov", "plain"}) {
		t.Errorf("opted-in rules = %v, want [gov plain]", got)
	}
	if got := ids(OptIn("governance"), LeaveOut(func(r *Rule) bool { return r.ID == "plain" })); !slices.Equal(got, []string{"gov"}) {
		t.Errorf("rules with plain left out = %v, want [gov]", got)
	}
	e, err := New(ctx, []Source{DirSource(dir)}, OptIn("governance"))
	if err != nil {
		t.Fatal(err)
	}
	no := false
	fs, err := e.Evaluate(ctx, []*resource.Resource{
		{ID: "d1", Provider: resource.AWS, Class: resource.ClassDisk, Facts: resource.Facts{Data: &resource.Data{Classified: &no}}},
		{ID: "d2", Provider: resource.AWS, Class: resource.ClassDisk},
	}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]finding.Status{}
	for _, f := range fs {
		got[f.RuleID+"/"+f.Resource.ID] = f.Status
	}
	want := map[string]finding.Status{"gov/d1": finding.Fail, "gov/d2": finding.Unknown, "plain/d1": finding.Fail, "plain/d2": finding.Unknown}
	if !maps.Equal(got, want) {
		t.Errorf("findings = %v, want %v", got, want)
	}
}
