package tfmap_test

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"testing"
	"time"

	"github.com/vigil-sec/vigil/internal/finding"
	"github.com/vigil-sec/vigil/internal/iac/terraform"
	"github.com/vigil-sec/vigil/internal/scan"
	"github.com/vigil-sec/vigil/internal/source"
)

// TestExternalChecks reads the Terraform good and bad snippets of the
// public checks listed in testdata/external-checks.tsv, each as a root
// module of its own, through the Terraform reader and the built-in rules:
// bad snippets must FAIL the vigil rule of the same concern, good ones
// must not.
func TestExternalChecks(t *testing.T) {
	rows := readExternalTable(t)
	snippets := externalSnippets(t, corpusDir(t), rows)
	root := t.TempDir()
	files := make([]string, 0, len(snippets))
	for _, s := range snippets {
		path := filepath.Join(root, filepath.FromSlash(s.name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(s.text), 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, s.name)
	}
	sort.Strings(files)
	src := terraform.New(root, files, terraform.Options{})
	res, err := scan.Run(context.Background(), builtinEngine(t), scan.Options{Sources: []source.Source{src},
		Logger: slog.New(slog.DiscardHandler), Now: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	byFile := map[string][]finding.Finding{}
	for _, f := range res.Report.Findings {
		if f.Resource.Location != nil {
			byFile[f.Resource.Location.File] = append(byFile[f.Resource.Location.File], f)
		}
	}
	judged := 0
	for _, s := range snippets {
		var statuses []string
		fail := false
		for _, f := range byFile[s.name] {
			if f.RuleID != s.row.rule || (len(s.row.only) > 0 && !slices.Contains(s.row.only, f.Resource.Location.Address)) {
				continue
			}
			statuses = append(statuses, f.Resource.Location.Address+" "+string(f.Status))
			fail = fail || f.Status == finding.Fail
		}
		if len(statuses) > 0 {
			judged++
		}
		switch {
		case s.bad && !fail:
			t.Errorf("%s: a bad example of %s does not fail %s (%v):\n%s", s.name, s.row.example, s.row.rule, statuses, s.text)
		case !s.bad && fail:
			t.Errorf("%s: a good example of %s fails %s (%v):\n%s", s.name, s.row.example, s.row.rule, statuses, s.text)
		}
	}
	// Good snippets may be skipped by the rule (a private zone, an
	// asymmetric key) or hold nothing it judges (a rule of a server outside
	// the snippet); nearly all are judged.
	t.Logf("%d snippets of %d rows, %d with a finding of their rule", len(snippets), len(rows), judged)
	if judged < len(snippets)*95/100 {
		t.Errorf("only %d of %d snippets have a finding of their rule", judged, len(snippets))
	}
}
