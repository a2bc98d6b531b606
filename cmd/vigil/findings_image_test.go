package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/finding"
	"github.com/vigil-sec/vigil/internal/findings"
	"github.com/vigil-sec/vigil/internal/findings/image/imagetest"
	"github.com/vigil-sec/vigil/internal/testkit"
)

// scanImageFixture writes a test database (an apk CVE fixed after the
// image's musl, one fixed before its busybox) and an Alpine image.
func scanImageFixture(t *testing.T) (db, tarPath string) {
	t.Helper()
	dir := t.TempDir()
	db = imagetest.WriteDB(t, filepath.Join(dir), imagetest.Vuln{
		ID: "CVE-2026-20001", Provider: "alpine", Ecosystem: "apk", Package: "musl", VersionType: "apk",
		Constraint: "< 1.2.4-r3", Fixed: "1.2.4-r3", Severity: "critical", OS: imagetest.Alpine319,
	}, imagetest.Vuln{
		ID: "CVE-2026-20002", Provider: "alpine", Ecosystem: "apk", Package: "busybox", VersionType: "apk",
		Constraint: "< 1.36.1-r10", Fixed: "1.36.1-r10", Severity: "high", OS: imagetest.Alpine319,
	})
	img := imagetest.Image(t, imagetest.LayerTar(t, map[string]string{
		"/etc/os-release":       imagetest.AlpineOSRelease,
		"/lib/apk/db/installed": imagetest.APKInstalled(imagetest.APK{Name: "musl", Version: "1.2.4-r2"}, imagetest.APK{Name: "busybox", Version: "1.36.1-r15"}),
	}))
	tarPath = imagetest.DockerArchive(t, filepath.Join(dir, "app.tar"), "registry.test/app:1", img)
	return db, tarPath
}

func TestFindingsScanImage(t *testing.T) {
	db, tarPath := scanImageFixture(t)
	dir := t.TempDir()
	cdx, spdx := filepath.Join(dir, "app.cdx.json"), filepath.Join(dir, "app.spdx.json")
	code, out, errOut := runCLI2(t, "findings", "scan-image", tarPath, "--db", db, "--format", "json",
		"--sbom", "cyclonedx="+cdx, "--sbom", "spdx="+spdx)
	if code != 0 {
		t.Fatalf("exit %d, stderr:\n%s", code, errOut)
	}
	var fs []findings.Finding
	if err := json.Unmarshal([]byte(out), &fs); err != nil {
		t.Fatal(err)
	}
	if len(fs) != 1 || fs[0].Vuln == nil {
		t.Fatalf("%d findings, want musl's one:\n%s", len(fs), out)
	}
	p := fs[0].Vuln.Packages[0]
	if fs[0].Vuln.ID != "CVE-2026-20001" || p.Name != "musl" || p.Version != "1.2.4-r2" || p.FixedVersion != "1.2.4-r3" || fs[0].Severity != finding.Critical {
		t.Errorf("finding = %+v %+v", fs[0], p)
	}
	if !strings.Contains(errOut, "1 vulnerability match(es)") {
		t.Errorf("stderr: %s", errOut)
	}
	for _, f := range []string{cdx, spdx} {
		b, err := os.ReadFile(f)
		if err != nil || !strings.Contains(string(b), "pkg:apk/alpine/musl@1.2.4-r2") {
			t.Errorf("SBOM %s: %v", f, err)
		}
	}

	// OCSF: Vulnerability Findings (2002).
	code, out, errOut = runCLI2(t, "findings", "scan-image", tarPath, "--db", db, "--format", "ocsf")
	if code != 0 {
		t.Fatalf("ocsf: exit %d, stderr:\n%s", code, errOut)
	}
	var evs []map[string]any
	if err := json.Unmarshal([]byte(out), &evs); err != nil {
		t.Fatal(err)
	}
	if len(evs) != 1 || evs[0]["class_uid"] != float64(2002) {
		t.Errorf("ocsf = %s", out)
	}

	// SARIF, valid against the schema.
	sch := testkit.SARIFSchema(t)
	code, out, errOut = runCLI2(t, "findings", "scan-image", tarPath, "--db", db, "--format", "sarif")
	if code != 0 {
		t.Fatalf("sarif: exit %d, stderr:\n%s", code, errOut)
	}
	testkit.ValidateSARIF(t, sch, "scan-image SARIF", []byte(out))
	if !strings.Contains(out, `"ruleId": "CVE-2026-20001"`) {
		t.Errorf("SARIF lacks the CVE:\n%s", out)
	}

	// HTML, the page of import.
	code, out, errOut = runCLI2(t, "findings", "scan-image", tarPath, "--db", db, "--format", "html")
	if code != 0 || !strings.Contains(out, "CVE-2026-20001") || !strings.Contains(out, "1.2.4-r3") {
		t.Errorf("html: exit %d, stderr %s", code, errOut)
	}

	// --fail-on.
	if code, _, _ := runCLI2(t, "findings", "scan-image", tarPath, "--db", db, "--fail-on", "critical"); code != 1 {
		t.Errorf("--fail-on critical: exit %d, want 1", code)
	}
	if code, _, _ := runCLI2(t, "findings", "scan-image", tarPath, "--db", db, "--severity", "critical", "--format", "csv"); code != 0 {
		t.Errorf("--severity critical: exit %d, want 0", code)
	}
}

func TestFindingsScanImageBadInput(t *testing.T) {
	db, tarPath := scanImageFixture(t)
	dir := t.TempDir()
	body, err := os.ReadFile(tarPath)
	if err != nil {
		t.Fatal(err)
	}
	truncated := imagetest.WriteFile(t, dir, "truncated.tar", body[:len(body)/2])
	corrupt := imagetest.WriteFile(t, dir, "vulnerability.db", []byte(strings.Repeat("x", 4096)))
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"truncated tarball", []string{truncated, "--db", db}, truncated + ": malformed tarball"},
		{"missing db", []string{tarPath, "--db", filepath.Join(dir, "nope")}, filepath.Join(dir, "nope")},
		{"corrupt db", []string{tarPath, "--db", corrupt}, corrupt + ": not a SQLite database"},
		{"bad sbom", []string{tarPath, "--db", db, "--sbom", "swid=x"}, "unknown format"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, _, errOut := runCLI2(t, append([]string{"findings", "scan-image"}, tc.args...)...)
			if code != 2 || !strings.Contains(errOut, tc.want) {
				t.Errorf("exit %d, stderr %q; want 2 and %q", code, errOut, tc.want)
			}
		})
	}
	// A directory without packages: nothing to match, exit 2.
	code, _, errOut := runCLI2(t, "findings", "scan-image", t.TempDir(), "--db", db)
	if code != 2 || !strings.Contains(errOut, "no package found") {
		t.Errorf("empty dir: exit %d, stderr %q", code, errOut)
	}
}
