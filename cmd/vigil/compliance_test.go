package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestComplianceCommand(t *testing.T) {
	code, out := runCLI(t, "compliance", "--list")
	if code != 0 || !strings.Contains(out, "nist-csf-2.0") || !strings.Contains(out, "106") {
		t.Fatalf("--list: exit %d\n%s", code, out)
	}
	if code, _ := runCLI(t, "compliance", "sox", sampleOrg); code != exitUsage {
		t.Errorf("unknown framework: exit %d, want %d", code, exitUsage)
	}
	if code, _ := runCLI(t, "compliance", "soc2"); code != exitUsage {
		t.Errorf("no PATH: exit %d, want %d", code, exitUsage)
	}
	if code, _ := runCLI(t, "compliance", "soc2", sampleOrg, "--format", "pdf"); code != exitUsage {
		t.Errorf("--format pdf: exit %d, want %d", code, exitUsage)
	}
	if code, _ := runCLI(t, "compliance", "soc2", t.TempDir()); code != exitUsage {
		t.Errorf("nothing to scan: exit %d, want %d", code, exitUsage)
	}
	// An attestation of a control the framework does not have is refused.
	bad := filepath.Join(t.TempDir(), "att.yaml")
	os.WriteFile(bad, []byte("attestations:\n  - {framework: soc2, control: CC6.9, status: attested, by: a, date: 2026-01-01}\n"), 0o644)
	if code, _ := runCLI(t, "compliance", "soc2", sampleOrg, "--attestations", bad); code != exitUsage {
		t.Errorf("unknown control attested: exit %d, want %d", code, exitUsage)
	}

	dir := t.TempDir()
	file := filepath.Join(dir, "gdpr.json")
	if code, _ := runCLI(t, "compliance", "gdpr", sampleOrg, "--format", "json", "--out", file, "--now", "2026-11-24",
		"--attestations", "../../internal/compliance/testdata/attestations/valid.yaml"); code != 0 {
		t.Fatalf("gdpr: exit %d", code)
	}
	var rep struct {
		Framework string `json:"framework"`
		Summary   struct {
			Controls, NotCovered, Manual int
			ByProvider                   []struct {
				Provider string
				Checked  int
			} `json:"by_provider"`
		} `json:"summary"`
		Controls []struct {
			ID          string
			Attestation *struct{ State string }
		}
	}
	data, _ := os.ReadFile(file)
	if err := json.Unmarshal(data, &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Framework != "gdpr" || rep.Summary.Controls != 25 || len(rep.Summary.ByProvider) != 3 {
		t.Errorf("gdpr report: %+v", rep)
	}
	for _, c := range rep.Controls {
		if c.ID == "Art.30" && (c.Attestation == nil || c.Attestation.State != "attested") {
			t.Errorf("Art.30 attestation: %+v", c.Attestation)
		}
	}
	html := filepath.Join(dir, "aws.html")
	if code, _ := runCLI(t, "compliance", "iso27001-2022", sampleOrg, "--provider", "aws", "--out", html); code != 0 {
		t.Fatalf("iso html: exit %d", code)
	}
	data, _ = os.ReadFile(html)
	if !strings.Contains(string(data), "@media print") || strings.Contains(string(data), `<th class="num">Azure</th>`) {
		t.Errorf("--provider aws HTML: has no print style or still an Azure column")
	}
}

// TestComplianceProviderFindings: Security Hub control checks mapped to
// NIST 800-53 r5 count as evidence of the controls they name, beside
// vigil's rules: the failing bucket is listed under AC-3 by the provider
// control, the passing one counted as passed; a requirement of another
// CIS version is not mapped.
func TestComplianceProviderFindings(t *testing.T) {
	file := filepath.Join(t.TempDir(), "nist.json")
	code, _, errOut := runCLI2(t, "compliance", "nist-800-53-r5", sampleOrg, "--format", "json", "--out", file, "--now", "2026-11-24",
		"--provider-findings", "testdata/provider-findings/securityhub-controls.json")
	if code != 0 && code != exitFindings {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var rep struct {
		Controls []struct {
			ID    string `json:"id"`
			Rules []struct {
				ID        string         `json:"id"`
				Resources map[string]int `json:"resources"`
				Failed    []struct {
					ID string `json:"id"`
				} `json:"failed"`
			} `json:"rules"`
		} `json:"controls"`
	}
	if err := json.Unmarshal(data, &rep); err != nil {
		t.Fatal(err)
	}
	found := map[string]bool{}
	for _, c := range rep.Controls {
		for _, r := range c.Rules {
			if r.ID != "securityhub:S3.8" {
				continue
			}
			found[c.ID] = true
			if c.ID == "AC-3" && (r.Resources["checked"] != 2 || r.Resources["passed"] != 1 || len(r.Failed) != 1 || r.Failed[0].ID != "arn:aws:s3:::nw-dev-partner-share") {
				t.Errorf("AC-3 evidence of securityhub:S3.8: %+v", r)
			}
		}
	}
	if !found["AC-3"] || !found["SC-7"] || len(found) != 2 {
		t.Errorf("securityhub:S3.8 evidences %v, want AC-3 and SC-7", found)
	}
	if !strings.Contains(errOut, "2 provider finding(s) read, 2 mapped to framework controls (1 provider controls)") {
		t.Errorf("stderr: %s", errOut)
	}
	if code, _ := runCLI(t, "compliance", "nist-800-53-r5", sampleOrg, "--provider-findings", t.TempDir()); code != exitUsage {
		t.Errorf("--provider-findings with nothing readable: exit %d, want %d", code, exitUsage)
	}
}
