package scan

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"testing"

	"github.com/vigil-sec/vigil/internal/finding"
	"github.com/vigil-sec/vigil/internal/governance"
	"github.com/vigil-sec/vigil/internal/policy"
	"github.com/vigil-sec/vigil/internal/report"
	"github.com/vigil-sec/vigil/internal/resource"
	"github.com/vigil-sec/vigil/internal/rules"
	"github.com/vigil-sec/vigil/internal/suppress"
	"github.com/vigil-sec/vigil/internal/synth"
)

// TestCompactPassesSameReports: a scan holding its PASS findings compactly
// (CompactPasses) writes every format byte for byte as the scan holding
// them in full, with the identity analysis, a suppression, filters and the
// table listing passing findings or not; the merged findings are the full
// scan's.
func TestCompactPassesSameReports(t *testing.T) {
	if testing.Short() {
		t.Skip("scans the sample organization and a synthetic inventory several times")
	}
	ctx := context.Background()
	e, err := policy.New(ctx, []policy.Source{{FS: rules.FS(), Name: "builtin", Builtin: true}})
	if err != nil {
		t.Fatal(err)
	}
	synthDir := t.TempDir()
	if _, err := synth.Generate(ctx, synthDir, 3000, synth.Realistic); err != nil {
		t.Fatal(err)
	}
	sup := filepath.Join(t.TempDir(), "suppressions.yaml")
	if err := os.WriteFile(sup, []byte("- rule: \"*\"\n  resource: \"*nw-*\"\n  reason: test\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	supSet, err := suppress.Load(sup)
	if err != nil {
		t.Fatal(err)
	}
	org := "../../examples/org"
	gov, err := governance.Load(filepath.Join(org, "governance.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	govEngine, err := policy.New(ctx, []policy.Source{{FS: rules.FS(), Name: "builtin", Builtin: true}},
		policy.OptIn(governance.OptIn), policy.LeaveOut(gov.LeavesOut))
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		opts Options
	}{
		// With a governance policy the PASS findings of classified
		// resources carry their data class (Passes.Labels).
		{"sample org, governance", Options{Paths: []string{org}, Now: readExpected(t, org).ScanTime, Identity: true, Governance: gov}},
		{"synthetic, governance", Options{Paths: []string{synthDir}, Now: BenchTime, Governance: gov}},
		{"sample org", Options{Paths: []string{org}, Now: readExpected(t, org).ScanTime, Identity: true, Suppressions: supSet}},
		{"sample org, aws high", Options{Paths: []string{org}, Now: readExpected(t, org).ScanTime,
			Filter: finding.Filter{Providers: []string{"aws"}, MinSeverity: finding.High}}},
		{"sample org, cis", Options{Paths: []string{org}, Now: readExpected(t, org).ScanTime,
			Filter: finding.Filter{Frameworks: []string{"cis"}, Statuses: []finding.Status{finding.Pass, finding.Fail}}}},
		{"synthetic", Options{Paths: []string{synthDir}, Now: BenchTime}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.opts.Logger = slog.New(slog.DiscardHandler)
			e := e
			if c.opts.Governance != nil {
				e = govEngine
			}
			full, err := Run(ctx, e, c.opts)
			if err != nil {
				t.Fatal(err)
			}
			c.opts.CompactPasses = true
			compact, err := Run(ctx, e, c.opts)
			if err != nil {
				t.Fatal(err)
			}
			if compact.Report.Passes.Len() == 0 {
				t.Fatal("the compact scan holds no PASS finding apart")
			}
			if c.opts.Governance != nil {
				labelled := 0
				for _, l := range compact.Report.Passes.Labels {
					if l != "" {
						labelled++
					}
				}
				if labelled == 0 {
					t.Fatal("no PASS finding's resource labelled with its data class")
				}
			}
			for _, f := range compact.Report.Findings {
				if f.Status == finding.Pass && f.RuleID[:min(len(f.RuleID), 9)] != "identity-" {
					t.Fatalf("a rule's PASS finding in Findings: %s on %s", f.RuleID, f.Resource.ID)
				}
			}
			merged := compact.Report.Passes.Expand(compact.Report.Findings)
			if len(merged) != len(full.Report.Findings) {
				t.Fatalf("merged %d findings, the full scan has %d", len(merged), len(full.Report.Findings))
			}
			for i := range merged {
				if a, b := merged[i], full.Report.Findings[i]; a.RuleID != b.RuleID || a.Status != b.Status || a.Resource.ID != b.Resource.ID {
					t.Fatalf("finding %d: merged %s %s %s, full %s %s %s", i, a.RuleID, a.Status, a.Resource.ID, b.RuleID, b.Status, b.Resource.ID)
				}
			}
			for _, format := range report.Formats {
				for _, listPassing := range []bool{false, true} {
					if listPassing && format != "table" {
						continue
					}
					full.Report.ListPassing, compact.Report.ListPassing = listPassing, listPassing
					var want, got bytes.Buffer
					if err := report.Write(ctx, &want, format, full.Report); err != nil {
						t.Fatal(err)
					}
					if err := report.Write(ctx, &got, format, compact.Report); err != nil {
						t.Fatal(err)
					}
					if !bytes.Equal(got.Bytes(), want.Bytes()) {
						t.Errorf("%s (list passing %v): the compact report differs (%d bytes, full %d)", format, listPassing, got.Len(), want.Len())
					}
				}
			}
		})
	}
}

// TestPrepareRulesSameReport: rules prepared while the inventory is
// imported (Options.PrepareRules) give the report byte for byte, each scan
// with a fresh lazy engine.
func TestPrepareRulesSameReport(t *testing.T) {
	if testing.Short() {
		t.Skip("scans the sample organization twice")
	}
	ctx := context.Background()
	org := "../../examples/org"
	var reports [2][]byte
	for k, prepare := range []bool{false, true} {
		e, err := policy.New(ctx, []policy.Source{{FS: rules.FS(), Name: "builtin", Builtin: true}})
		if err != nil {
			t.Fatal(err)
		}
		res, err := Run(ctx, e, Options{Paths: []string{org}, Now: readExpected(t, org).ScanTime, Identity: true,
			CompactPasses: true, PrepareRules: prepare, Logger: slog.New(slog.DiscardHandler)})
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if err := report.Write(ctx, &b, "json", res.Report); err != nil {
			t.Fatal(err)
		}
		reports[k] = b.Bytes()
	}
	if !bytes.Equal(reports[0], reports[1]) {
		t.Errorf("the report with the rules prepared during the import differs (%d bytes, %d without)", len(reports[1]), len(reports[0]))
	}
}

// TestCloudRule: the rules a scan prepares while a cloud export is imported
// are those of a cloud or of no provider named, not those of Kubernetes
// objects alone.
func TestCloudRule(t *testing.T) {
	for _, c := range []struct {
		providers []resource.Provider
		want      bool
	}{
		{nil, true},
		{[]resource.Provider{resource.AWS}, true},
		{[]resource.Provider{resource.K8s}, false},
		{[]resource.Provider{resource.K8s, resource.GCP}, true},
	} {
		if got := cloudRule(&policy.Rule{RuleInfo: finding.RuleInfo{Providers: c.providers}}); got != c.want {
			t.Errorf("providers %v: %v, want %v", c.providers, got, c.want)
		}
	}
}
