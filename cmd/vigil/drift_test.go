package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/drift"
)

const (
	driftIaC = "../../internal/drift/testdata/state"
	driftInv = "../../internal/drift/testdata/inventory"
)

// TestDriftExitStatus checks the exit status contract: 1 when the state
// drifted from the export, 0 when the export is the state's own
// resources (the changed, missing and unmanaged ones left out), 2 when
// there is nothing to compare.
func TestDriftExitStatus(t *testing.T) {
	code, out, errs := runCLI2(t, "drift", "--iac", driftIaC, "--inventory", driftInv, "--format", "json")
	if code != exitFindings {
		t.Fatalf("drifted: exit %d, stderr %q", code, errs)
	}
	var rep drift.Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if s := rep.Summary; s.Changed != 6 || s.Missing != 1 || s.Unmanaged != 3 {
		t.Errorf("summary %+v", s)
	}
	if !strings.Contains(errs, "6 changed attributes on 4 resources, 1 missing, 3 unmanaged") {
		t.Errorf("stderr %q", errs)
	}

	// The same state against an inventory that matches it: the GCP
	// export alone, without the unmanaged firewall, scoped to GCP.
	dir := t.TempDir()
	src, err := os.ReadFile(filepath.Join(driftInv, "gcp", "assets.ndjson"))
	if err != nil {
		t.Fatal(err)
	}
	var kept []string
	for _, l := range strings.Split(strings.TrimSpace(string(src)), "\n") {
		if !strings.Contains(l, "debug-ssh-temp") {
			kept = append(kept, l)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "assets.ndjson"), []byte(strings.Join(kept, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	gcpOnly := filepath.Join(t.TempDir(), "main.tf")
	tf, err := os.ReadFile(filepath.Join(driftIaC, "main.tf"))
	if err != nil {
		t.Fatal(err)
	}
	i := strings.Index(string(tf), "# --- GCP")
	if err := os.WriteFile(gcpOnly, append([]byte(`provider "google" {
  project = "acme-prod-7"
  region  = "europe-west1"
}
`), tf[i:]...), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs = runCLI2(t, "drift", "--iac", gcpOnly, "--inventory", dir, "--account", "acme-prod-7")
	if code != exitOK {
		t.Errorf("no drift: exit %d\n%s\nstderr %q", code, out, errs)
	}

	for _, c := range []struct {
		name string
		args []string
		msg  string
	}{
		{"no IaC input", []string{"--iac", driftInv, "--inventory", driftInv}, "no IaC input"},
		{"empty inventory", []string{"--iac", driftIaC, "--inventory", t.TempDir()}, "nothing to compare with"},
		{"no inventory", []string{"--iac", driftIaC}, "--inventory PATH or --live"},
		{"bad class", []string{"--iac", driftIaC, "--inventory", driftInv, "--class", "bucket"}, "not a class"},
	} {
		code, out, errs := runCLI2(t, append([]string{"drift"}, c.args...)...)
		if code != exitUsage || out != "" || !strings.Contains(errs, c.msg) {
			t.Errorf("%s: exit %d, stdout %q, stderr %q", c.name, code, out, errs)
		}
	}
}

// TestDriftLive: vigil drift --live compares with what the collectors
// gather (a local GCP endpoint), as vigil drift --inventory does with the
// same collection saved.
func TestDriftLive(t *testing.T) {
	addr := startGCP(t)
	saved := filepath.Join(t.TempDir(), "inv")
	code, online, stderr := runCLI2(t, "drift", "--iac", driftIaC, "--live", "--cloud", "gcp", "--gcp-endpoint", addr, "--save", saved, "--format", "json")
	// The fake GCP organization holds nothing of the state's project:
	// nothing compared is exit 2, not a silent "no drift".
	if code != exitUsage || !strings.Contains(stderr, "nothing compared") {
		t.Fatalf("drift --live: exit %d\n%s", code, stderr)
	}
	code2, offline, stderr := runCLI2(t, "drift", "--iac", driftIaC, "--inventory", saved, "--format", "json")
	if code2 != code || online != offline {
		t.Errorf("drift --live (exit %d) and drift of the saved collection (exit %d) differ:\n%s\n%s\n%s", code, code2, online, offline, stderr)
	}
	var rep drift.Report
	if err := json.Unmarshal([]byte(online), &rep); err != nil {
		t.Fatal(err)
	}
	// The AWS and Azure resources of the state are not in a GCP
	// collection: not compared, never missing.
	for _, f := range rep.Findings {
		if f.Kind == drift.Missing && f.IaC.Provider != "gcp" {
			t.Errorf("missing outside the collection: %s", f.Message)
		}
	}
	if rep.Summary.Unmatched < 7 {
		t.Errorf("summary %+v", rep.Summary)
	}
}
