package detect

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/detect/attack"
	"github.com/vigil-sec/vigil/internal/testkit"
)

// TestCoverageGolden: the report over a fixed rule folder (no built-ins):
// per-source techniques, platform units with sub-techniques rolled up,
// a correlation's source taken from the rule it references, and the typo
// and unknown ids reported.
func TestCoverageGolden(t *testing.T) {
	cat, err := attack.Load()
	if err != nil {
		t.Fatal(err)
	}
	rules, errs := LoadCoverageRules(context.Background(), []string{filepath.Join("testdata", "coverage", "rules")}, true)
	for _, e := range errs {
		t.Errorf("load: %v", e)
	}
	rep := Coverage(cat, rules)
	got, err := json.MarshalIndent(rep, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	testkit.Golden(t, filepath.Join("testdata", "coverage.golden.json"), got, *update)
	// The properties the golden file is about, spelled out.
	if len(rep.Unknown) != 2 || rep.Unknown[0].ID != "T1562.999" || rep.Unknown[1].ID != "T9999" {
		t.Errorf("unknown techniques %+v, want T1562.999 and T9999", rep.Unknown)
	}
	var iaas PlatformCoverage
	for _, p := range rep.Platforms {
		if p.Name == "IaaS" {
			iaas = p
		}
	}
	// T1098.001 and T1098.003 roll up into T1098, T1562.008 into T1562, the
	// password spray into T1110; T1020 (parent, not listed) covers the
	// T1020.001 unit.
	covered := map[string]bool{}
	for _, c := range iaas.CoveredTechniques {
		covered[c.ID] = true
	}
	for _, id := range []string{"T1098", "T1562", "T1110", "T1020.001"} {
		if !covered[id] {
			t.Errorf("IaaS: %s not covered: %+v", id, iaas.CoveredTechniques)
		}
	}
	if iaas.Covered != 4 || iaas.Units != 52 {
		t.Errorf("IaaS %d of %d units covered, want 4 of 52", iaas.Covered, iaas.Units)
	}
	for _, s := range rep.Sources {
		if s.Source == "entra signin" && (s.Rules != 2 || len(s.Techniques) != 1) {
			t.Errorf("entra signin: %+v (the correlation takes its referenced rule's source)", s)
		}
	}
	var table bytes.Buffer
	if err := rep.WriteTable(&table); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"IaaS + Identity Provider", "T1562.999", "no rule for", rep.Attack.Version} {
		if !strings.Contains(table.String(), want) {
			t.Errorf("table lacks %q", want)
		}
	}
}

// TestBuiltinTechniquesKnown: every technique a built-in rule or
// correlation tags is in the shipped ATT&CK list.
func TestBuiltinTechniquesKnown(t *testing.T) {
	cat, err := attack.Load()
	if err != nil {
		t.Fatal(err)
	}
	rules, errs := LoadCoverageRules(context.Background(), nil, false)
	for _, e := range errs {
		t.Errorf("load: %v", e)
	}
	rep := Coverage(cat, rules)
	for _, u := range rep.Unknown {
		t.Errorf("%s is not in the ATT&CK list (%s): %s", u.ID, cat.Version, strings.Join(u.Rules, "; "))
	}
	if rep.Rules.Builtin != len(rules) {
		t.Errorf("%d rules, %d built-in", len(rules), rep.Rules.Builtin)
	}
	// Issue 7's targets: 250 built-in detections, 75% of the IaaS and
	// Identity Provider techniques.
	if len(rules) < 250 {
		t.Errorf("%d built-in rules and correlations, want at least 250", len(rules))
	}
	if rep.IaaSAndIdP.BuiltinPercent < 75 {
		t.Errorf("built-in rules cover %.1f%% of the IaaS and Identity Provider techniques, want at least 75%%", rep.IaaSAndIdP.BuiltinPercent)
	}
	t.Logf("built-in coverage: IaaS+IdP %.1f%% (%d/%d units)", rep.IaaSAndIdP.BuiltinPercent, rep.IaaSAndIdP.BuiltinCovered, rep.IaaSAndIdP.Units)
	for _, p := range rep.Platforms {
		var none []string
		for _, u := range p.Uncovered {
			none = append(none, u.ID)
		}
		t.Logf("  %s: %.1f%% (%d/%d); no rule for %s", p.Name, p.BuiltinPercent, p.BuiltinCovered, p.Units, strings.Join(none, " "))
	}
}
