package main

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"flag"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// runCLI2 runs vigil in-process and returns its exit status, stdout and
// stderr.
func runCLI2(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	dir := t.TempDir()
	out, err := os.Create(filepath.Join(dir, "stdout"))
	if err != nil {
		t.Fatal(err)
	}
	errf, err := os.Create(filepath.Join(dir, "stderr"))
	if err != nil {
		t.Fatal(err)
	}
	oldOut, oldErr := os.Stdout, os.Stderr
	os.Stdout, os.Stderr = out, errf
	code := run(context.Background(), args)
	os.Stdout, os.Stderr = oldOut, oldErr
	out.Close()
	errf.Close()
	o, _ := os.ReadFile(out.Name())
	e, _ := os.ReadFile(errf.Name())
	return code, string(o), string(e)
}

// TestIacGolden runs vigil iac over testdata/iac (one input per reader,
// ignore comments above resources, an expired one, a file no reader
// reads) and compares exit status, the failing findings' table and stderr
// with testdata/iac.golden.
func TestIacGolden(t *testing.T) {
	code, out, errOut := runCLI2(t, "iac", "testdata/iac", "--status", "fail", "--now", "2026-11-24")
	got := fmt.Sprintf("exit %d\n--- stdout\n%s--- stderr\n%s", code, out, errOut)
	golden := filepath.Join("testdata", "iac.golden")
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(string(want), got); d != "" {
		t.Errorf("output differs from %s (go test -run IacGolden -update after checking the change; -want +got):\n%s", golden, d)
	}
}

func TestIacExitStatus(t *testing.T) {
	// Nothing to scan: said on stderr, exit 2.
	empty := t.TempDir()
	if err := os.WriteFile(filepath.Join(empty, "notes.md"), []byte("# notes\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errOut := runCLI2(t, "iac", empty)
	if code != exitUsage || !strings.Contains(errOut, "no IaC input") {
		t.Errorf("no input: exit %d, stderr %q", code, errOut)
	}
	// --fail-on: a HIGH FAIL (SSH open) gates; CRITICAL alone does not.
	code, _, _ = runCLI2(t, "iac", "testdata/iac/cfn", "--fail-on", "high", "--now", "2026-11-24")
	if code != exitFindings {
		t.Errorf("--fail-on high: exit %d, want 1", code)
	}
	code, _, _ = runCLI2(t, "iac", "testdata/iac/cfn", "--fail-on", "critical", "--now", "2026-11-24")
	if code != exitOK {
		t.Errorf("--fail-on critical: exit %d, want 0", code)
	}
	// A file that does not parse: reported with file and line, the rest scanned, exit 2.
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "bad.yaml"), []byte("apiVersion: v1\nkind: Pod\nmetadata: [\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(filepath.Join("testdata", "iac", "cfn", "site.yaml"))
	if err := os.WriteFile(filepath.Join(dir, "site.yaml"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCLI2(t, "iac", dir, "--format", "json")
	if code != exitUsage || !strings.Contains(errOut, "bad.yaml:") || !strings.Contains(out, `"firewall-ssh-open-to-internet"`) {
		t.Errorf("parse error: exit %d, stderr %q", code, errOut)
	}
	// Usage errors.
	for _, args := range [][]string{{"iac", "testdata/iac", "--parameter", "novalue"}, {"iac", "testdata/iac", "--format", "yaml"}, {"iac", "missing-dir"}} {
		if code, _, _ := runCLI2(t, args...); code != exitUsage {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
}

// TestIacJUnit: the JUnit report of vigil iac parses and locates failures.
func TestIacJUnit(t *testing.T) {
	code, out, _ := runCLI2(t, "iac", "testdata/iac/cfn", "--format", "junit", "--now", "2026-11-24")
	if code != exitOK {
		t.Fatalf("exit %d", code)
	}
	var doc struct {
		Suites []struct {
			Name  string `xml:"name,attr"`
			Cases []struct {
				File    string `xml:"file,attr"`
				Line    int    `xml:"line,attr"`
				Failure *struct {
					Message string `xml:"message,attr"`
				} `xml:"failure"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, s := range doc.Suites {
		for _, c := range s.Cases {
			if strings.HasPrefix(s.Name, "firewall-ssh-open-to-internet:") && c.Failure != nil {
				found = c.File == "site.yaml" && c.Line > 0 && strings.HasPrefix(c.Failure.Message, fmt.Sprintf("site.yaml:%d: Admin: ", c.Line))
			}
		}
	}
	if !found {
		t.Errorf("no located failure of firewall-ssh-open-to-internet in\n%s", out)
	}
}

// TestIacReaderOptions: --values reaches the Helm reader, --parameters
// (an ARM parameters file) and --parameter the ARM reader.
func TestIacReaderOptions(t *testing.T) {
	status := func(args ...string) map[string]string {
		code, out, errOut := runCLI2(t, append(args, "--format", "csv", "--now", "2026-11-24")...)
		if code != exitOK {
			t.Fatalf("%v: exit %d: %s", args, code, errOut)
		}
		got := map[string]string{}
		for _, line := range strings.Split(out, "\n") {
			f := strings.Split(line, ",")
			if len(f) > 11 {
				got[f[0]+" "+f[11]] = f[4]
			}
		}
		return got
	}
	const priv = "k8s-privileged-container chart/templates/deployment.yaml:Deployment//release-worker"
	if s := status("iac", "testdata/iac/chart"); s["k8s-privileged-container templates/deployment.yaml:Deployment//release-worker"] != "PASS" {
		t.Errorf("chart defaults: %v", s)
	}
	if s := status("iac", "testdata/iac", "--values", "testdata/iac-options/privileged-values.yaml"); s[priv] != "FAIL" {
		t.Errorf("--values privileged: %q", s[priv])
	}
	// --namespace: the chart's release namespace is known, so its
	// workloads are in it and the namespace is judged; without it, that
	// namespace is no resource.
	const ns = "k8s-namespace-no-default-deny templates/deployment.yaml:Namespace//shop"
	if s := status("iac", "testdata/iac/chart", "--namespace", "shop"); s[ns] != "FAIL" || s["k8s-default-namespace templates/deployment.yaml:Deployment/shop/release-worker"] != "PASS" {
		t.Errorf("--namespace shop: %q, %v", s[ns], s)
	}
	for k := range status("iac", "testdata/iac/chart") {
		if strings.HasPrefix(k, "k8s-namespace-") {
			t.Errorf("without --namespace the release namespace is judged: %s", k)
		}
	}
	const blob = "storage-public-access-not-blocked arm/storage.json:Microsoft.Storage/storageAccounts/acmeassets"
	if s := status("iac", "testdata/iac"); s[blob] != "FAIL" {
		t.Errorf("ARM default (public blobs): %q", s[blob])
	}
	if s := status("iac", "testdata/iac", "--parameters", "testdata/iac-options/arm-params.json"); s[blob] != "PASS" {
		t.Errorf("--parameters publicBlobs=false: %q", s[blob])
	}
	if s := status("iac", "testdata/iac", "--parameter", "publicBlobs=false"); s[blob] != "PASS" {
		t.Errorf("--parameter publicBlobs=false: %q", s[blob])
	}
}

// TestIacRegistryModuleWarns: a module from a registry is not fetched; that
// is said as a warning, and the scan of the rest exits 0, not 2.
func TestIacRegistryModuleWarns(t *testing.T) {
	dir := t.TempDir()
	src := `module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "5.0.0"
}

resource "aws_s3_bucket" "b" {
  bucket = "fine"
}
`
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCLI2(t, "iac", dir, "--now", "2026-11-24")
	if code != 0 {
		t.Errorf("exit %d, want 0:\n%s", code, errOut)
	}
	if !strings.Contains(errOut, "warning: main.tf:1: module.vpc: module source") || !strings.Contains(out, "warning: main.tf:1") {
		t.Errorf("registry module not warned about:\nstdout:\n%s\nstderr:\n%s", out, errOut)
	}
}

// TestIacComplianceRelevant: the compliance summary of vigil iac lists only
// the frameworks with a rule that applies to a provider and class read from
// the input (a Kubernetes-only tree gets no CIS AWS, Azure or GCP section),
// --provider narrows the input so, a framework given a catalogue is kept,
// and --framework still filters the findings only.
func TestIacComplianceRelevant(t *testing.T) {
	frameworks := func(args ...string) (map[string]bool, []string) {
		t.Helper()
		code, out, errOut := runCLI2(t, append(args, "--format", "json", "--now", "2026-11-24")...)
		if code != exitOK {
			t.Fatalf("%v: exit %d: %s", args, code, errOut)
		}
		var doc struct {
			Findings []struct {
				RuleID string `json:"rule_id"`
			} `json:"findings"`
			Summary struct {
				Compliance []struct {
					Framework string `json:"framework"`
				} `json:"compliance"`
			} `json:"summary"`
		}
		if err := json.Unmarshal([]byte(out), &doc); err != nil {
			t.Fatal(err)
		}
		got := map[string]bool{}
		for _, c := range doc.Summary.Compliance {
			got[c.Framework] = true
		}
		var rules []string
		for _, f := range doc.Findings {
			rules = append(rules, f.RuleID)
		}
		return got, rules
	}
	cloud := []string{"cis-aws-7.0", "cis-azure-6.0", "cis-gcp-5.0", "hipaa", "pci-dss-4.0", "iso27001-2022"}
	k8s, _ := frameworks("iac", "testdata/iac/k8s")
	for _, fw := range []string{"cis-kubernetes-1.10", "pss-baseline", "pss-restricted", "nist-800-53-r5", "soc2"} {
		if !k8s[fw] {
			t.Errorf("Kubernetes-only tree: %s missing from %v", fw, k8s)
		}
	}
	for _, fw := range cloud {
		if k8s[fw] {
			t.Errorf("Kubernetes-only tree lists %s: %v", fw, k8s)
		}
	}
	all, _ := frameworks("iac", "testdata/iac")
	for _, fw := range []string{"cis-aws-7.0", "cis-azure-6.0", "cis-kubernetes-1.10", "pci-dss-4.0"} {
		if !all[fw] {
			t.Errorf("AWS, Azure and Kubernetes tree: %s missing from %v", fw, all)
		}
	}
	if all["cis-gcp-5.0"] {
		t.Errorf("no GCP resource read, yet cis-gcp-5.0 is listed: %v", all)
	}
	if p, _ := frameworks("iac", "testdata/iac", "--provider", "kubernetes"); p["cis-aws-7.0"] || p["cis-azure-6.0"] || !p["pss-baseline"] {
		t.Errorf("--provider kubernetes: %v", p)
	}
	// A catalogue is an explicit request: its framework stays.
	cat := filepath.Join(t.TempDir(), "cis_5.0_gcp.tsv")
	if err := os.WriteFile(cat, []byte("control_id\ttitle\n1.1\tEnsure that corporate login credentials are used\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if c, _ := frameworks("iac", "testdata/iac/k8s", "--catalogue", cat); !c["cis-gcp-5.0"] || c["cis-aws-7.0"] {
		t.Errorf("--catalogue cis_5.0_gcp.tsv: %v", c)
	}
	// --framework filters the findings; the summary is the same.
	fw, rules := frameworks("iac", "testdata/iac/k8s", "--framework", "pss-restricted")
	if !maps.Equal(fw, k8s) || len(rules) == 0 {
		t.Errorf("--framework pss-restricted: summary %v, want %v; %d findings", fw, k8s, len(rules))
	}
	for _, r := range rules {
		if r == "k8s-default-namespace" {
			t.Errorf("--framework pss-restricted kept %s", r)
		}
	}
}
