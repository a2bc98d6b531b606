package tfmap_test

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
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
	// One scan of every snippet, each a root module of its own, and one
	// scan per snippet of the rows judged alone.
	var batches [][]snippet
	var shared []snippet
	for _, s := range snippets {
		if s.row.alone {
			batches = append(batches, []snippet{s})
		} else {
			shared = append(shared, s)
		}
	}
	batches = append(batches, shared)
	byFile := map[string][]finding.Finding{}
	for _, batch := range batches {
		for file, fs := range scanSnippets(t, batch) {
			byFile[file] = append(byFile[file], fs...)
		}
	}
	type tally struct{ bad, badFail, good, goodFail, judged int }
	perRow := map[int]*tally{}
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
		tl := perRow[s.row.line]
		if tl == nil {
			tl = &tally{}
			perRow[s.row.line] = tl
		}
		if len(statuses) > 0 {
			judged++
			tl.judged++
		}
		if s.bad {
			tl.bad++
			if fail {
				tl.badFail++
			}
		} else {
			tl.good++
			if fail {
				tl.goodFail++
			}
		}
		switch {
		case s.bad && !fail:
			t.Errorf("%s: a bad example of %s does not fail %s (%v):\n%s", s.name, s.row.example, s.row.rule, statuses, s.text)
		case !s.bad && fail:
			t.Errorf("%s: a good example of %s fails %s (%v):\n%s", s.name, s.row.example, s.row.rule, statuses, s.text)
		}
	}
	// The per-check table: bad snippets failing, good ones failing
	// (false alarms), snippets with a finding of the rule.
	var b strings.Builder
	var sum tally
	fmt.Fprintf(&b, "%-60s %-48s %8s %8s %6s\n", "trivy check", "vigil rule", "bad FAIL", "good OK", "judged")
	for _, row := range rows {
		tl := perRow[row.line]
		if tl == nil {
			continue
		}
		fmt.Fprintf(&b, "%-60s %-48s %4d/%-3d %4d/%-3d %6d\n", row.example, row.rule, tl.badFail, tl.bad, tl.good-tl.goodFail, tl.good, tl.judged)
		sum.bad, sum.badFail, sum.good, sum.goodFail = sum.bad+tl.bad, sum.badFail+tl.badFail, sum.good+tl.good, sum.goodFail+tl.goodFail
	}
	fmt.Fprintf(&b, "%-60s %-48s %4d/%-3d %4d/%-3d %6d\n", fmt.Sprintf("%d checks", len(rows)), "", sum.badFail, sum.bad, sum.good-sum.goodFail, sum.good, judged)
	t.Logf("Terraform examples of trivy-checks:\n%s", b.String())
	if sum.badFail != sum.bad || sum.goodFail != 0 {
		t.Errorf("%d of %d bad snippets fail, %d of %d good ones fail", sum.badFail, sum.bad, sum.goodFail, sum.good)
	}
	// Good snippets may be skipped by the rule (a private zone, an
	// asymmetric key) or hold nothing it judges (a rule of a server outside
	// the snippet); nearly all are judged.
	t.Logf("%d snippets of %d rows, %d with a finding of their rule", len(snippets), len(rows), judged)
	if judged < len(snippets)*95/100 {
		t.Errorf("only %d of %d snippets have a finding of their rule", judged, len(snippets))
	}
}

// scanSnippets writes the snippets under a temporary root, each a root
// module of its own, scans them through the Terraform reader with the
// built-in rules and returns the findings by file.
func scanSnippets(t *testing.T, snippets []snippet) map[string][]finding.Finding {
	t.Helper()
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
	return byFile
}
