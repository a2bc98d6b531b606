package image_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/registry"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"github.com/vigil-sec/vigil/internal/finding"
	"github.com/vigil-sec/vigil/internal/findings"
	"github.com/vigil-sec/vigil/internal/findings/image"
	"github.com/vigil-sec/vigil/internal/findings/image/imagetest"
	"github.com/vigil-sec/vigil/internal/ocsf"
	"github.com/vigil-sec/vigil/internal/ocsf/ocsftest"
	"github.com/vigil-sec/vigil/internal/report"
	"github.com/vigil-sec/vigil/internal/testkit"
)

// The test database: a musl advisory the image's musl is before the fix
// of, a busybox advisory fixed before the image's busybox, and npm
// lodash advisory for the lodash the image (or function) installs.
var testVulns = []imagetest.Vuln{
	{ID: "CVE-2026-10001", Provider: "alpine", Ecosystem: "apk", Package: "musl", VersionType: "apk",
		Constraint: "< 1.2.4-r3", Fixed: "1.2.4-r3", Severity: "high", Description: "musl: a test heap overflow", OS: imagetest.Alpine319},
	{ID: "CVE-2026-10002", Provider: "alpine", Ecosystem: "apk", Package: "busybox", VersionType: "apk",
		Constraint: "< 1.36.1-r10", Fixed: "1.36.1-r10", Severity: "critical", Description: "busybox: fixed long ago", OS: imagetest.Alpine319},
	{ID: "CVE-2026-10003", Provider: "github", Ecosystem: "npm", Package: "lodash", VersionType: "npm",
		Constraint: "< 4.17.21", Fixed: "4.17.21", Severity: "medium", Description: "lodash: test prototype pollution"},
	{ID: "CVE-2026-10004", Provider: "alpine", Ecosystem: "apk", Package: "zlib", VersionType: "apk",
		Constraint: "< 1.3.2-r0", Severity: "low", Description: "zlib: no fix yet", OS: imagetest.Alpine319},
}

func openTestDB(t *testing.T) *image.DB {
	t.Helper()
	path := imagetest.WriteDB(t, t.TempDir(), testVulns...)
	db, err := image.OpenDB(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// alpineFiles is an Alpine 3.19 root with vulnerable musl (1.2.4-r2),
// fixed busybox (1.36.1-r15), zlib with no fix, and lodash 4.17.20
// installed globally.
func alpineFiles() map[string]string {
	return map[string]string{
		"/etc/os-release":                           imagetest.AlpineOSRelease,
		"/lib/apk/db/installed":                     imagetest.APKInstalled(imagetest.APK{Name: "musl", Version: "1.2.4-r2"}, imagetest.APK{Name: "busybox", Version: "1.36.1-r15"}, imagetest.APK{Name: "zlib", Version: "1.3.1-r0"}),
		"/usr/lib/node_modules/lodash/package.json": imagetest.NodePackage("lodash", "4.17.20"),
	}
}

func alpineImage(t *testing.T) string {
	img := imagetest.Image(t, imagetest.LayerTar(t, alpineFiles()))
	return imagetest.DockerArchive(t, filepath.Join(t.TempDir(), "app.tar"), "registry.test/app:1", img)
}

func scan(t *testing.T, db *image.DB, target string, opt image.Options) *image.Result {
	t.Helper()
	res, err := image.Scan(context.Background(), db, target, opt)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// byID indexes matches by vulnerability id.
func byID(ms []image.Match) map[string]image.Match {
	out := map[string]image.Match{}
	for _, m := range ms {
		out[m.ID] = m
	}
	return out
}

// checkImageMatches asserts the alpine image's matches: musl and lodash
// and zlib reported with package, version, fixed version and CVE; the
// fixed busybox not.
func checkImageMatches(t *testing.T, res *image.Result) {
	t.Helper()
	got := byID(res.Matches)
	musl, ok := got["CVE-2026-10001"]
	if !ok {
		t.Fatalf("CVE-2026-10001 (musl 1.2.4-r2 < 1.2.4-r3) not reported; matches: %+v", res.Matches)
	}
	if musl.Package != "musl" || musl.Version != "1.2.4-r2" || musl.FixedVersion() != "1.2.4-r3" || musl.Type != "apk" || musl.Severity != finding.High {
		t.Errorf("musl match = %+v", musl)
	}
	if musl.Path != "/lib/apk/db/installed" {
		t.Errorf("musl path = %q", musl.Path)
	}
	lodash, ok := got["CVE-2026-10003"]
	if !ok {
		t.Fatalf("CVE-2026-10003 (lodash 4.17.20 < 4.17.21) not reported; matches: %+v", res.Matches)
	}
	if lodash.Package != "lodash" || lodash.Version != "4.17.20" || lodash.FixedVersion() != "4.17.21" || lodash.Type != "npm" || lodash.Severity != finding.Medium {
		t.Errorf("lodash match = %+v", lodash)
	}
	zlib, ok := got["CVE-2026-10004"]
	if !ok || zlib.FixedVersion() != "" || zlib.FixState != "not-fixed" || zlib.Version != "1.3.1-r0" {
		t.Errorf("zlib match = %+v (reported %v)", zlib, ok)
	}
	if m, ok := got["CVE-2026-10002"]; ok {
		t.Errorf("busybox 1.36.1-r15 is past the fix 1.36.1-r10 but reported: %+v", m)
	}
	if len(res.Matches) != 3 {
		t.Errorf("%d matches, want 3: %+v", len(res.Matches), res.Matches)
	}
}

func TestScanDockerArchive(t *testing.T) {
	db := openTestDB(t)
	target := alpineImage(t)
	res := scan(t, db, target, image.Options{})
	if res.Kind != image.DockerArchive {
		t.Errorf("kind = %q", res.Kind)
	}
	if res.Distro != "alpine 3.19.1" {
		t.Errorf("distro = %q", res.Distro)
	}
	if !strings.HasPrefix(res.ImageID, "sha256:") {
		t.Errorf("image id = %q", res.ImageID)
	}
	checkImageMatches(t, res)
	// Worst first.
	if res.Matches[0].ID != "CVE-2026-10001" {
		t.Errorf("first match %s, want the high CVE-2026-10001", res.Matches[0].ID)
	}

	// The findings model: a vulnerability on the image with the package,
	// both versions and the CVE; an OCSF Vulnerability Finding (2002).
	now := time.Date(2026, 12, 5, 12, 0, 0, 0, time.UTC)
	fs := res.Findings(now)
	var musl *findings.Finding
	for i := range fs {
		if fs[i].Vuln != nil && fs[i].Vuln.ID == "CVE-2026-10001" {
			musl = &fs[i]
		}
	}
	if musl == nil {
		t.Fatal("no finding for CVE-2026-10001")
	}
	if musl.Kind != findings.Vulnerability || musl.Product != image.Product || musl.Status != findings.Active || musl.Severity != finding.High {
		t.Errorf("finding = %+v", musl)
	}
	if musl.Resource.Type != "container-image" || !strings.Contains(musl.Resource.ID, res.ImageID) {
		t.Errorf("resource = %+v", musl.Resource)
	}
	want := findings.Package{Name: "musl", Version: "1.2.4-r2", FixedVersion: "1.2.4-r3", Manager: "apk", Path: "/lib/apk/db/installed"}
	if len(musl.Vuln.Packages) != 1 || musl.Vuln.Packages[0] != want || musl.Vuln.FixAvailable != "yes" {
		t.Errorf("vuln = %+v", musl.Vuln)
	}
	ev, ok := musl.OCSF().(*ocsf.VulnerabilityFinding)
	if !ok {
		t.Fatalf("OCSF = %T, want a Vulnerability Finding", musl.OCSF())
	}
	if ev.ClassUID != ocsf.VulnerabilityFindingClassUID || ev.Vulnerabilities[0].CVE == nil || ev.Vulnerabilities[0].CVE.UID != "CVE-2026-10001" ||
		ev.Vulnerabilities[0].AffectedPackages[0].FixedInVersion != "1.2.4-r3" {
		t.Errorf("OCSF = %+v", ev)
	}
}

func TestScanOCILayout(t *testing.T) {
	db := openTestDB(t)
	img := imagetest.Image(t, imagetest.LayerTar(t, alpineFiles()))
	dir := imagetest.OCILayout(t, t.TempDir(), img)
	res := scan(t, db, dir, image.Options{})
	if res.Kind != image.OCIDir {
		t.Errorf("kind = %q", res.Kind)
	}
	checkImageMatches(t, res)
}

// A later layer that upgrades musl to the fixed version hides the
// vulnerable one: the squashed image is scanned.
func TestScanLayerUpgrade(t *testing.T) {
	db := openTestDB(t)
	files := alpineFiles()
	upgraded := map[string]string{"/lib/apk/db/installed": imagetest.APKInstalled(
		imagetest.APK{Name: "musl", Version: "1.2.4-r3"}, imagetest.APK{Name: "busybox", Version: "1.36.1-r15"}, imagetest.APK{Name: "zlib", Version: "1.3.1-r0"})}
	img := imagetest.Image(t, imagetest.LayerTar(t, files), imagetest.LayerTar(t, upgraded))
	target := imagetest.DockerArchive(t, filepath.Join(t.TempDir(), "app.tar"), "registry.test/app:2", img)
	res := scan(t, db, target, image.Options{})
	if m, ok := byID(res.Matches)["CVE-2026-10001"]; ok {
		t.Errorf("musl 1.2.4-r3 is the fixed version but reported: %+v", m)
	}
	if _, ok := byID(res.Matches)["CVE-2026-10003"]; !ok {
		t.Error("lodash not reported after the upgrade layer")
	}
}

func writeZip(t *testing.T, path string, files map[string]string) string {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, body := range files {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// A Lambda (or Cloud Functions, or Azure Functions) zip is scanned as the
// directory of its files: its package-lock.json declares lodash 4.17.20.
func TestScanFunctionZip(t *testing.T) {
	db := openTestDB(t)
	target := writeZip(t, filepath.Join(t.TempDir(), "handler.zip"), map[string]string{
		"index.js":          "exports.handler = async () => 'ok';\n",
		"package.json":      `{"name": "handler", "version": "1.0.0", "dependencies": {"lodash": "^4.17.20"}}`,
		"package-lock.json": imagetest.PackageLock("handler", map[string]string{"lodash": "4.17.20"}),
	})
	res := scan(t, db, target, image.Options{})
	if res.Kind != image.Function {
		t.Errorf("kind = %q", res.Kind)
	}
	m, ok := byID(res.Matches)["CVE-2026-10003"]
	if !ok || m.Package != "lodash" || m.Version != "4.17.20" || m.FixedVersion() != "4.17.21" {
		t.Fatalf("lodash in the function: %+v (reported %v); all: %+v", m, ok, res.Matches)
	}
	fs := res.Findings(time.Now())
	if fs[0].Resource.Type != "function-package" {
		t.Errorf("resource type %q", fs[0].Resource.Type)
	}
}

func TestFunctionZipEscape(t *testing.T) {
	db := openTestDB(t)
	target := writeZip(t, filepath.Join(t.TempDir(), "evil.zip"), map[string]string{"../../escape.txt": "x"})
	_, err := image.Scan(context.Background(), db, target, image.Options{})
	if err == nil || !strings.Contains(err.Error(), "outside the archive") {
		t.Fatalf("err = %v, want an entry outside the archive", err)
	}
	big := writeZip(t, filepath.Join(t.TempDir(), "big.zip"), map[string]string{"a": strings.Repeat("x", 10000)})
	_, err = image.Scan(context.Background(), db, big, image.Options{Limits: image.Limits{MaxBytes: 1000}})
	if err == nil || !strings.Contains(err.Error(), "more than the limit") {
		t.Fatalf("err = %v, want over the limit", err)
	}
}

func TestMalformedTarball(t *testing.T) {
	db := openTestDB(t)
	good, err := os.ReadFile(alpineImage(t))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	noManifest := imagetest.LayerTar(t, map[string]string{"hello.txt": "hi"})
	for _, tc := range []struct {
		name string
		body []byte
		want string
	}{
		{"truncated.tar", good[:len(good)/2], "malformed tarball"},
		{"garbage.tar", append(append([]byte{}, good[:1024]...), bytes.Repeat([]byte{0xff}, 4096)...), "malformed tarball"},
		{"plain.tar", noManifest, "without manifest.json"},
		{"notimage.bin", []byte("hello, world"), "not an image tarball"},
		{"badgzip.tar.gz", []byte{0x1f, 0x8b, 8, 0, 1, 2, 3}, "malformed"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := imagetest.WriteFile(t, dir, tc.name, tc.body)
			_, err := image.Scan(context.Background(), db, p, image.Options{})
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), p) {
				t.Fatalf("err = %v, want %q naming %s", err, tc.want, p)
			}
		})
	}
}

// A missing file is said to be missing, not looked up as an image on a
// registry; a reference is one.
func TestDetect(t *testing.T) {
	for _, p := range []string{"app.tar", "./app", "/no/such/dir", "handler.zip", "images/app.tar.gz"} {
		if k, err := image.Detect(p); err == nil || !strings.Contains(err.Error(), "no such file") {
			t.Errorf("Detect(%q) = %q, %v; want no such file", p, k, err)
		}
	}
	for _, ref := range []string{"registry.example/team/app:1.2", "alpine:3.19", "registry:localhost:5000/app"} {
		if k, err := image.Detect(ref); err != nil || k != image.Registry {
			t.Errorf("Detect(%q) = %q, %v; want registry", ref, k, err)
		}
	}
}

func TestOpenDBErrors(t *testing.T) {
	dir := t.TempDir()
	good := imagetest.WriteDB(t, t.TempDir(), testVulns[0])
	body, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	// A SQLite header with the pages after it destroyed.
	damaged := append(append([]byte{}, body[:100]...), bytes.Repeat([]byte{0xa5}, len(body)-100)...)
	for _, tc := range []struct {
		name, path, want string
	}{
		{"missing", filepath.Join(dir, "nope.db"), "no such file"},
		{"empty dir", dir, "a directory without vulnerability.db"},
		{"not sqlite", imagetest.WriteFile(t, dir, "text.db", []byte(strings.Repeat("not a database\n", 20))), "not a SQLite database"},
		{"damaged", imagetest.WriteFile(t, t.TempDir(), "vulnerability.db", damaged), "vulnerability database"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db, err := image.OpenDB(tc.path)
			if err == nil {
				db.Close()
				t.Fatalf("OpenDB(%s) opened", tc.path)
			}
			if !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), tc.path) {
				t.Fatalf("err = %v, want %q naming the path", err, tc.want)
			}
		})
	}
	// Any file name, and Grype's cache layout, open.
	renamed := imagetest.WriteFile(t, t.TempDir(), "grype-test.db", body)
	cache := t.TempDir()
	if err := os.MkdirAll(filepath.Join(cache, "6"), 0o755); err != nil {
		t.Fatal(err)
	}
	imagetest.WriteFile(t, filepath.Join(cache, "6"), "vulnerability.db", body)
	for _, p := range []string{renamed, cache} {
		db, err := image.OpenDB(p)
		if err != nil {
			t.Fatalf("OpenDB(%s): %v", p, err)
		}
		if db.Schema == "" || db.Built.IsZero() {
			t.Errorf("metadata of %s: schema %q built %v", p, db.Schema, db.Built)
		}
		db.Close()
	}
}

func TestSBOMFormats(t *testing.T) {
	db := openTestDB(t)
	res := scan(t, db, alpineImage(t), image.Options{})
	for _, format := range image.SBOMFormats {
		var buf bytes.Buffer
		if err := image.WriteSBOM(&buf, res.SBOM, format); err != nil {
			t.Fatal(err)
		}
		var doc map[string]any
		if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
			t.Fatalf("%s: %v", format, err)
		}
		switch format {
		case "cyclonedx":
			if doc["bomFormat"] != "CycloneDX" {
				t.Errorf("cyclonedx bomFormat = %v", doc["bomFormat"])
			}
		case "spdx":
			if v, _ := doc["spdxVersion"].(string); !strings.HasPrefix(v, "SPDX-") {
				t.Errorf("spdxVersion = %v", doc["spdxVersion"])
			}
		}
		for _, want := range []string{"pkg:apk/alpine/musl@1.2.4-r2", "pkg:npm/lodash@4.17.20"} {
			if !bytes.Contains(buf.Bytes(), []byte(want)) {
				t.Errorf("%s SBOM lacks %s", format, want)
			}
		}
	}
	if err := image.WriteSBOM(&bytes.Buffer{}, res.SBOM, "swid"); err == nil {
		t.Error("an unknown SBOM format was accepted")
	}
}

func TestSARIF(t *testing.T) {
	sch := testkit.SARIFSchema(t)
	db := openTestDB(t)
	res := scan(t, db, alpineImage(t), image.Options{})
	fs, rules := res.RuleFindings()
	if len(fs) != 3 || len(rules) != 3 {
		t.Fatalf("%d findings, %d rules; want 3 and 3", len(fs), len(rules))
	}
	r := report.Build(fs, rules, time.Date(2026, 12, 5, 12, 0, 0, 0, time.UTC))
	r.Version = "test"
	var buf bytes.Buffer
	if err := report.Write(context.Background(), &buf, "sarif", r); err != nil {
		t.Fatal(err)
	}
	testkit.ValidateSARIF(t, sch, "image SARIF", buf.Bytes())
	var log struct {
		Runs []struct {
			Results []struct {
				RuleID    string `json:"ruleId"`
				Level     string `json:"level"`
				Message   struct{ Text string }
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI string }
					}
				}
			}
		}
	}
	if err := json.Unmarshal(buf.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, res := range log.Runs[0].Results {
		if res.RuleID == "CVE-2026-10001" {
			found = true
			if res.Level != "error" || !strings.Contains(res.Message.Text, "musl 1.2.4-r2") || !strings.Contains(res.Message.Text, "fixed in 1.2.4-r3") ||
				res.Locations[0].PhysicalLocation.ArtifactLocation.URI != "lib/apk/db/installed" {
				t.Errorf("SARIF result = %+v", res)
			}
		}
	}
	if !found {
		t.Errorf("no SARIF result for CVE-2026-10001:\n%s", buf.String())
	}
}

// TestOCSFAgainstSchema validates the scan's findings, as OCSF
// Vulnerability Findings, against the OCSF 1.8.0 schema tree
// (../shared/corpus/ocsf-schema).
func TestOCSFAgainstSchema(t *testing.T) {
	s := ocsftest.Load(t)
	s.Strict = true
	db := openTestDB(t)
	res := scan(t, db, alpineImage(t), image.Options{})
	fs := res.Findings(time.Date(2026, 12, 5, 12, 0, 0, 0, time.UTC))
	if len(fs) == 0 {
		t.Fatal("no findings")
	}
	for _, f := range fs {
		b, err := json.Marshal(f.OCSF())
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(b, []byte(`"class_uid":2002`)) {
			t.Errorf("%s: not a Vulnerability Finding: %s", f.ID, b)
		}
		for _, e := range s.Validate(t, b) {
			t.Errorf("%s: %s", f.ID, e)
		}
	}
}

// An image reference is pulled through Syft's registry source: here from
// a registry on loopback, over plain HTTP.
func TestScanRegistry(t *testing.T) {
	srv := httptest.NewServer(registry.New(registry.Logger(log.New(io.Discard, "", 0))))
	defer srv.Close()
	ref := strings.TrimPrefix(srv.URL, "http://") + "/team/app:1"
	r, err := name.ParseReference(ref, name.Insecure)
	if err != nil {
		t.Fatal(err)
	}
	if err := remote.Write(r, imagetest.Image(t, imagetest.LayerTar(t, alpineFiles()))); err != nil {
		t.Fatal(err)
	}
	db := openTestDB(t)
	res := scan(t, db, ref, image.Options{InsecureRegistry: true})
	if res.Kind != image.Registry {
		t.Errorf("kind = %q", res.Kind)
	}
	checkImageMatches(t, res)
}
