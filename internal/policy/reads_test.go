package policy

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/vigil-sec/vigil/internal/resource"
)

// ruleModule is a rule of class cls whose fail body is body.
func ruleModule(id, cls, imports, body, extra string) string {
	return fmt.Sprintf(`# METADATA
# title: %[1]s
# description: %[1]s
# scope: package
# custom:
#   id: %[1]s
#   severity: LOW
#   category: test
#   class: %[2]s
#   providers: [aws]
%[5]spackage vigil.rules.%[3]s

%[4]s

fail contains r.id if {
	some r in input.resources.%[2]s
	%[6]s
}
`, id, cls, strings.ReplaceAll(id, "-", "_"), imports, extra, body)
}

// TestViewReadsWhatTheRuleRefersTo: a rule's view holds the classes its
// own module and the modules it refers to read, not those of a library it
// does not import nor those of an opt-in rule left out of the engine (both
// used to be added to every rule's view, converting whole classes to Rego
// terms that no evaluated rule reads).
func TestViewReadsWhatTheRuleRefersTo(t *testing.T) {
	pack := fstest.MapFS{
		"lib/zones.rego": {Data: []byte(`package vigil.lib.zones

has_zone(r) if {
	some z in input.resources.dns_zone
	z.account == r.account
}
`)},
		"lib/disks.rego": {Data: []byte(`package vigil.lib.disks

any_disk if count(input.resources.disk) > 0
`)},
		"a.rego":  {Data: []byte(ruleModule("uses-lib", "compute", "import data.vigil.lib.zones", "zones.has_zone(r)", ""))},
		"bb.rego": {Data: []byte(ruleModule("no-lib", "compute", "", `r.facts.compute.public_ip == true`, ""))},
		"ccc.rego": {Data: []byte(ruleModule("left-out", "compute", "", `some s in input.resources.snapshot
	s.account == r.account`, "#   opt_in: extra\n"))},
		"dddd.rego": {Data: []byte(ruleModule("dynamic", "compute", "", `some c, _ in input.resources
	c == "key"`, ""))},
	}
	e, err := New(context.Background(), []Source{{FS: pack, Name: "test"}})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for i, r := range e.Rules() {
		if e.reads[i] == nil {
			got[r.ID] = "all"
			continue
		}
		var cls []string
		for c := range e.reads[i] {
			cls = append(cls, string(c))
		}
		sort.Strings(cls)
		got[r.ID] = fmt.Sprint(cls)
	}
	want := map[string]string{
		"uses-lib": "[compute dns_zone]",
		"no-lib":   "[compute]",
		"dynamic":  "all",
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("classes read per rule: %v, want %v", got, want)
	}
	// The views evaluate as before: the library rule sees the zones.
	in, err := NewInput([]*resource.Resource{
		{ID: "vm", Provider: resource.AWS, Account: "1", Class: resource.ClassCompute},
		{ID: "z", Provider: resource.AWS, Account: "1", Class: resource.Class("dns_zone")},
		{ID: "d", Provider: resource.AWS, Account: "1", Class: resource.Class("disk")},
	}, testNow)
	if err != nil {
		t.Fatal(err)
	}
	fs, err := e.EvaluateInput(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	var fails []string
	for _, f := range fs {
		if f.Status == "FAIL" {
			fails = append(fails, f.RuleID)
		}
	}
	slices.Sort(fails)
	if fmt.Sprint(fails) != "[uses-lib]" {
		t.Errorf("failing rules %v, want [uses-lib]", fails)
	}
}
