package main

import (
	"compress/gzip"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const findingSamples = "../../internal/findings/load/testdata/samples"

func TestFindingsImport(t *testing.T) {
	// Every format, joined to the sample organization's inventory.
	code, out, errOut := runCLI2(t, "findings", "import", findingSamples, "--inventory", sampleOrg, "--format", "csv")
	if code != 0 {
		t.Fatalf("exit %d, stderr:\n%s", code, errOut)
	}
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 30 { // header + 29 findings
		t.Fatalf("%d csv rows, want 30", len(rows))
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	joined, products := 0, map[string]bool{}
	for _, r := range rows[1:] {
		products[r[col["product"]]] = true
		if r[col["in_inventory"]] == "true" {
			joined++
		}
	}
	if len(products) != 6 || joined != 19 {
		t.Errorf("%d products, %d findings joined to the inventory; want 6 and 19", len(products), joined)
	}
	if !strings.Contains(errOut, "29 finding(s) read from 14 file(s), 29 shown, 19 joined to the inventory") {
		t.Errorf("stderr: %s", errOut)
	}

	// Filters, and --fail-on counting active findings only.
	code, out, _ = runCLI2(t, "findings", "import", findingSamples, "--product", "guardduty,defender", "--severity", "high", "--format", "json")
	var fs []struct{ Product, Severity string }
	if err := json.Unmarshal([]byte(out), &fs); err != nil || code != 0 {
		t.Fatalf("exit %d, %v", code, err)
	}
	if len(fs) != 5 {
		t.Errorf("guardduty+defender at high or above: %d findings, want 5", len(fs))
	}
	if code, _, _ := runCLI2(t, "findings", "import", findingSamples, "--fail-on", "critical"); code != exitFindings {
		t.Errorf("--fail-on critical: exit %d, want %d", code, exitFindings)
	}
	if code, _, _ := runCLI2(t, "findings", "import", findingSamples, "--fail-on", "critical", "--provider", "azure"); code != 0 {
		t.Errorf("--fail-on critical on Azure only (no critical): exit %d, want 0", code)
	}

	// --alerts links the GuardDuty finding on svc-backup to vigil's alert.
	code, out, errOut = runCLI2(t, "findings", "import", findingSamples, "--alerts", "../../internal/findings/load/testdata/alerts.jsonl", "--product", "guardduty", "--format", "csv")
	if code != 0 || !strings.Contains(out, ",alert-recon-svc-backup,") || !strings.Contains(errOut, "3 linked to alerts") {
		t.Errorf("--alerts: exit %d\n%s%s", code, out, errOut)
	}

	// --scan merges Security Hub's S3.8 (ASFF and OCSF), a Defender
	// recommendation and an SCC category with vigil's rules on the same resources.
	code, out, errOut = runCLI2(t, "findings", "import", findingSamples, "--scan", "../../internal/findings/load/testdata/scan.json", "--format", "csv")
	if code != 0 || !strings.Contains(out, ",Security Hub S3.8; vigil storage-public-access-not-blocked,") || !strings.Contains(errOut, "4 merged with vigil's findings") {
		t.Errorf("--scan: exit %d\n%s", code, errOut)
	}

	// HTML: one page, every finding a row of the findings table.
	code, out, _ = runCLI2(t, "findings", "import", findingSamples, "--format", "html")
	if code != 0 || !strings.HasPrefix(out, "<!DOCTYPE html>") || strings.Count(out, "<span class=\"sev ") != 29 {
		t.Errorf("html: exit %d, %d finding rows", code, strings.Count(out, "<span class=\"sev "))
	}

	// OCSF: a JSON array of Detection and Vulnerability Findings; JSON lines.
	_, out, _ = runCLI2(t, "findings", "import", findingSamples, "--format", "ocsf")
	var evs []struct {
		ClassUID int `json:"class_uid"`
	}
	if err := json.Unmarshal([]byte(out), &evs); err != nil || len(evs) != 29 {
		t.Fatalf("ocsf: %d events, %v", len(evs), err)
	}
	_, out, _ = runCLI2(t, "findings", "import", findingSamples, "--format", "ocsf-jsonl", "--product", "artifact")
	if lines := strings.Split(strings.TrimSpace(out), "\n"); len(lines) != 2 || !strings.Contains(lines[0], `"class_uid":2002`) {
		t.Errorf("ocsf-jsonl of Artifact Analysis: %q", out)
	}
}

func TestFindingsImportInputs(t *testing.T) {
	dir := t.TempDir()
	// gzip is read transparently.
	raw, err := os.ReadFile(filepath.Join(findingSamples, "guardduty-get-findings.json"))
	if err != nil {
		t.Fatal(err)
	}
	gz, err := os.Create(filepath.Join(dir, "gd.json.gz"))
	if err != nil {
		t.Fatal(err)
	}
	zw := gzip.NewWriter(gz)
	zw.Write(raw)
	zw.Close()
	gz.Close()
	code, out, errOut := runCLI2(t, "findings", "import", gz.Name())
	if code != 0 || !strings.Contains(out, "2 finding(s) read from 1 file(s)") {
		t.Errorf("gzip: exit %d\n%s%s", code, out, errOut)
	}

	// Nothing recognised: exit 2 and a message, never a silent success.
	other := filepath.Join(dir, "cloudtrail.json")
	os.WriteFile(other, []byte(`{"Records":[{"eventName":"GetObject"}]}`), 0o644)
	code, out, errOut = runCLI2(t, "findings", "import", other)
	if code != exitUsage || out != "" || !strings.Contains(errOut, "no findings of a known format") {
		t.Errorf("no findings: exit %d, stdout %q, stderr %q", code, out, errOut)
	}

	// A malformed record is named, the rest is reported, exit 2.
	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, []byte(`{"findings":[{"findingArn":"arn:aws:inspector2:us-east-1:111122223333:finding/1","severity":5},{"findingArn":"arn:aws:inspector2:us-east-1:111122223333:finding/2","severity":"HIGH","title":"ok"}]}`), 0o644)
	code, out, errOut = runCLI2(t, "findings", "import", bad)
	if code != exitUsage || !strings.Contains(errOut, "bad.json: record 0 (byte 13): Inspector finding:") || !strings.Contains(out, "ok") {
		t.Errorf("malformed record: exit %d, stdout %q, stderr %q", code, out, errOut)
	}

	if code, _, _ := runCLI2(t, "findings", "import", findingSamples, "--product", "cloudtrail"); code != exitUsage {
		t.Errorf("unknown --product: exit %d, want %d", code, exitUsage)
	}
}

// TestFindingsImportRanksByContext: joined to the sample organization, a
// finding on a resource with an attack path (exposed, and its service
// account reaches project owner) ranks above every other finding of its
// severity, then the findings on exposed resources; isolated ones follow.
func TestFindingsImportRanksByContext(t *testing.T) {
	code, out, errOut := runCLI2(t, "findings", "import", findingSamples, "--inventory", sampleOrg, "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var fs []struct {
		Severity string `json:"severity"`
		Resource struct {
			ID         string `json:"id"`
			Exposed    *bool  `json:"exposed"`
			AttackPath string `json:"attack_path"`
		} `json:"resource"`
	}
	if err := json.Unmarshal([]byte(out), &fs); err != nil {
		t.Fatal(err)
	}
	rank := func(i int) int {
		switch r := fs[i].Resource; {
		case r.AttackPath != "":
			return 2
		case r.Exposed != nil && *r.Exposed:
			return 1
		}
		return 0
	}
	paths, exposed, isolated := 0, 0, 0
	for i := range fs {
		switch r := fs[i].Resource; {
		case r.AttackPath != "":
			paths++
		case r.Exposed != nil && *r.Exposed:
			exposed++
		case r.Exposed != nil:
			isolated++
		}
		if i > 0 && fs[i].Severity == fs[i-1].Severity && rank(i) > rank(i-1) {
			t.Errorf("finding %d on %s (context %d) ranks below %s (context %d) of the same severity", i, fs[i].Resource.ID, rank(i), fs[i-1].Resource.ID, rank(i-1))
		}
	}
	if paths == 0 || exposed == 0 || isolated == 0 {
		t.Errorf("%d on attack paths, %d exposed, %d isolated: want some of each", paths, exposed, isolated)
	}
	for i := range fs {
		if strings.HasSuffix(fs[i].Resource.ID, "instances/nw-jupyter-legacy") && !strings.Contains(fs[i].Resource.AttackPath, "exposed to the internet") {
			t.Errorf("the SCC finding on the exposed Jupyter VM carries no attack path: %+v", fs[i].Resource)
		}
	}
}
