package compliance_test

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/vigil-sec/vigil/internal/compliance"
	"github.com/vigil-sec/vigil/internal/policy"
	"github.com/vigil-sec/vigil/internal/rules"
	"github.com/vigil-sec/vigil/internal/scan"
	"github.com/vigil-sec/vigil/internal/testkit"
)

var update = flag.Bool("update", false, "rewrite the golden reports in testdata/golden/")

// reportFrameworks are the frameworks of the issue, one golden report each.
var reportFrameworks = []string{"cis-aws-7.0", "cis-azure-6.0", "cis-gcp-5.0", "soc2", "iso27001-2022", "gdpr", "hipaa",
	"pci-dss-4.0", "nist-800-53-r5", "nist-csf-2.0"}

// sampleScan scans the sample organization (all three clouds) as of the
// rules' test date.
func sampleScan(t *testing.T) *scan.Result {
	t.Helper()
	ctx := context.Background()
	e, err := policy.New(ctx, []policy.Source{{FS: rules.FS(), Name: "builtin", Builtin: true}})
	if err != nil {
		t.Fatal(err)
	}
	res, err := scan.Run(ctx, e, scan.Options{Paths: []string{"../../examples/org"}, Identity: true,
		Now: time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Inventory.Errors) > 0 {
		t.Fatalf("sample organization: %v", res.Inventory.Errors)
	}
	return res
}

// TestGoldenReports writes the JSON and HTML report of every framework on
// the sample organization and compares them with testdata/golden (-update
// rewrites them), with the attestations of testdata/attestations/valid.yaml.
func TestGoldenReports(t *testing.T) {
	res := sampleScan(t)
	atts, err := compliance.LoadAttestations("testdata/attestations/valid.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := atts.Validate(res.Report.Rules); err != nil {
		t.Fatal(err)
	}
	for _, fw := range reportFrameworks {
		t.Run(fw, func(t *testing.T) {
			cat, err := compliance.BuiltinCatalogue(fw)
			if err != nil {
				t.Fatal(err)
			}
			src := ""
			for _, fi := range compliance.Frameworks() {
				if fi.Key == fw {
					src = fi.Source
				}
			}
			rep := compliance.Build(fw, res.Report.Rules, res.Report.Findings, compliance.Options{
				Catalogue: cat, CatalogueSource: src, Attestations: atts, Now: res.Report.GeneratedAt,
				Version: "test", Inputs: []string{"examples/org"},
			})
			checkReport(t, rep)
			for _, format := range compliance.Formats {
				var b bytes.Buffer
				if err := compliance.Write(context.Background(), &b, format, rep); err != nil {
					t.Fatal(err)
				}
				if format == "html" {
					compliance.CheckHTML(t, b.Bytes())
				}
				golden(t, filepath.Join("testdata", "golden", fw+"."+format), b.Bytes())
			}
		})
	}
}

// checkReport checks what every report must show: evidence from each cloud
// in scope, and no control without a rule or an attestation counted as
// passed.
func checkReport(t *testing.T, rep *compliance.Report) {
	t.Helper()
	s := rep.Summary
	for _, p := range rep.Providers {
		for _, pe := range s.ByProvider {
			if pe.Provider == p && pe.Checked == 0 {
				t.Errorf("no %s resource checked", p)
			}
		}
	}
	if len(rep.Providers) == 0 {
		t.Error("no cloud in scope")
	}
	passed, applicable := 0, 0
	for _, c := range rep.Controls {
		if len(c.Rules) == 0 && c.Attestation == nil && c.Status != compliance.NotCovered {
			t.Errorf("%s: no rule and no attestation but %s", c.ID, c.Status)
		}
		if c.Status == compliance.Passed && len(c.Rules) == 0 {
			t.Errorf("%s: PASSED without a rule", c.ID)
		}
		if c.Status == compliance.Passed || (c.Status == compliance.Manual && c.Attestation.State == "attested") {
			passed++
		}
		if !(c.Status == compliance.Manual && c.Attestation.State == "not-applicable") {
			applicable++
		}
	}
	if s.Score == nil || applicable == 0 {
		t.Fatalf("score %v with %d applicable controls", s.Score, applicable)
	}
	want := float64(int(float64(passed)*1000/float64(applicable)+0.5)) / 10
	if *s.Score != want {
		t.Errorf("score %.1f, want %.1f (%d passed of %d applicable)", *s.Score, want, passed, applicable)
	}
	if rep.Catalogued && s.NotCovered == 0 {
		t.Errorf("catalogued framework with every control covered: implausible")
	}
}

func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	testkit.Golden(t, path, got, *update)
}

// TestCISWithCatalogue reports the CIS benchmarks with their full control
// lists from the shared corpus: controls no rule covers are listed as
// NOT_COVERED.
func TestCISWithCatalogue(t *testing.T) {
	if _, err := os.Stat(cisCorpus); err != nil {
		t.Skipf("%s absent: the CIS control lists are licensed and not shipped with vigil", cisCorpus)
	}
	res := sampleScan(t)
	for fw, file := range map[string]string{"cis-aws-7.0": "cis_7.0_aws.tsv", "cis-azure-6.0": "cis_6.0_azure.tsv", "cis-gcp-5.0": "cis_5.0_gcp.tsv"} {
		cat, err := compliance.LoadCatalogue(filepath.Join(cisCorpus, file))
		if err != nil {
			t.Fatal(err)
		}
		rep := compliance.Build(fw, res.Report.Rules, res.Report.Findings, compliance.Options{Catalogue: cat, Now: res.Report.GeneratedAt})
		checkReport(t, rep)
		s := rep.Summary
		if !rep.Catalogued || rep.Note != "" || s.Controls < len(cat.Controls) || s.NotCovered == 0 || s.Automated == 0 {
			t.Errorf("%s: %+v", fw, s)
		}
		t.Logf("%s: %d controls, %d with rules, %d not covered, score %.1f%%", fw, s.Controls, s.Automated, s.NotCovered, *s.Score)
	}
}
