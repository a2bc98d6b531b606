package sigma

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var corpusDir = filepath.Join("..", "..", "..", "shared", "corpus")

func cloudRulesDir(t testing.TB) string {
	d := filepath.Join(corpusDir, "sigma-cloud")
	if _, err := os.Stat(d); err != nil {
		t.Skipf("SigmaHQ cloud rules not present at %s: %v", d, err)
	}
	return d
}

// TestLoadCorpus loads every SigmaHQ cloud rule: each one either loads
// (parses, maps to a vigil source, compiles) or is reported with a reason.
// Every rule must at least parse and compile with an identity field map.
func TestLoadCorpus(t *testing.T) {
	dir := cloudRulesDir(t)
	var files []string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(p, ".yml") {
			files = append(files, p)
		}
		return nil
	})
	rules, _, _, errs := LoadDir(context.Background(), dir)
	reported := map[string]string{}
	for _, e := range errs {
		reported[e.Path] = e.Reason
	}
	loaded := map[string]bool{}
	for _, r := range rules {
		loaded[r.Path] = true
	}
	reasons := map[string]int{}
	for _, f := range files {
		if loaded[f] == (reported[f] != "") {
			t.Errorf("%s: loaded=%v reported=%q: want exactly one", f, loaded[f], reported[f])
		}
		if r := reported[f]; r != "" {
			if !strings.HasPrefix(r, "unsupported log source") {
				t.Errorf("%s: not loaded for a reason other than its log source: %s", f, r)
			}
			reasons[r]++
		}
		// Semantics: every rule file parses and compiles.
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		rs, err := ParseRule(data)
		if err != nil || len(rs) == 0 {
			t.Errorf("%s: parse: %v (%d rules)", f, err, len(rs))
			continue
		}
		for _, r := range rs {
			if _, err := Compile(r, FieldMap{}); err != nil {
				t.Errorf("%s: compile: %v", f, err)
			}
		}
	}
	t.Logf("SigmaHQ cloud rules: %d files, %d loaded for a vigil source, %d reported", len(files), len(loaded), len(reported))
	// The corpus as shipped: 225 rules, all loaded but the 7 Azure PIM rules,
	// whose Graph alert incidents no delivered log carries.
	if len(files) == 225 {
		if len(loaded) != 218 || len(reported) != 7 {
			t.Errorf("loaded %d, reported %d; want 218 and 7", len(loaded), len(reported))
		}
		for f, r := range reported {
			if !strings.Contains(r, "service=pim") {
				t.Errorf("%s: unexpected refusal: %s", f, r)
			}
		}
	}
	for r, n := range reasons {
		t.Logf("  %3d  %s", n, r)
	}
}
