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
