// Package imagetest builds what the image scanner's tests read: a small
// Grype vulnerability database in Grype's own format (schema v6, written
// with Grype's v6 writer and hydrated as grype db import does), and
// container images of chosen files as docker-archive tarballs and OCI
// layouts (with go-containerregistry).
package imagetest

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	v6 "github.com/anchore/grype/grype/db/v6"
	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
)

// OS is a distribution release an advisory is for.
type OS struct{ Name, Major, Minor string }

// Vuln is one advisory: a vulnerability of one package.
type Vuln struct {
	ID       string // CVE-2026-0001
	Provider string // alpine, github, nvd
	// Ecosystem is Grype's package ecosystem: apk, deb, npm, go, python.
	Ecosystem string
	Package   string
	// VersionType is the version scheme of Constraint: apk, deb, semver, npm.
	VersionType string
	Constraint  string // "< 1.2.3-r0"
	Fixed       string // "" when there is no fix
	Severity    string // critical, high, medium, low
	Description string
	OS          *OS // nil for a language package
}

// WriteDB writes a Grype v6 database holding vulns to dir/vulnerability.db
// and returns the file's path.
func WriteDB(t testing.TB, dir string, vulns ...Vuln) string {
	t.Helper()
	w, err := v6.NewWriter(v6.Config{DBDirPath: dir})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	for _, v := range vulns {
		h := &v6.VulnerabilityHandle{
			Name: v.ID, Status: v6.VulnerabilityActive, PublishedDate: &now,
			Provider: &v6.Provider{ID: v.Provider, Version: "1", Processor: "vigil-test", DateCaptured: &now},
			BlobValue: &v6.VulnerabilityBlob{
				ID: v.ID, Description: v.Description,
				References: []v6.Reference{{URL: "https://example.test/" + v.ID}},
				Severities: []v6.Severity{{Scheme: v6.SeveritySchemeCHMLN, Value: v.Severity, Rank: 1}},
			},
		}
		if err := w.AddVulnerabilities(h); err != nil {
			t.Fatal(err)
		}
		fix := &v6.Fix{State: v6.NotFixedStatus}
		if v.Fixed != "" {
			fix = &v6.Fix{Version: v.Fixed, State: v6.FixedStatus}
		}
		ap := &v6.AffectedPackageHandle{
			VulnerabilityID: h.ID,
			Package:         &v6.Package{Ecosystem: v.Ecosystem, Name: v.Package},
			BlobValue: &v6.PackageBlob{
				CVEs:   []string{v.ID},
				Ranges: []v6.Range{{Version: v6.Version{Type: v.VersionType, Constraint: v.Constraint}, Fix: fix}},
			},
		}
		if v.OS != nil {
			ap.OperatingSystem = &v6.OperatingSystem{Name: v.OS.Name, ReleaseID: v.OS.Name, MajorVersion: v.OS.Major, MinorVersion: v.OS.Minor}
		}
		if err := w.AddAffectedPackages(ap); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	// Closing drops the indexes, as Grype's published databases do;
	// grype db import builds them again, and so does this.
	if err := v6.Hydrater()(dir); err != nil {
		t.Fatal(err)
	}
	return filepath.Join(dir, v6.VulnerabilityDBFileName)
}

// Alpine319 is the OS of the Alpine images below.
var Alpine319 = &OS{Name: "alpine", Major: "3", Minor: "19"}

// AlpineOSRelease is /etc/os-release of Alpine 3.19.1.
const AlpineOSRelease = `NAME="Alpine Linux"
ID=alpine
VERSION_ID=3.19.1
PRETTY_NAME="Alpine Linux v3.19"
HOME_URL="https://alpinelinux.org/"
`

// APK is one package of an apk installed database.
type APK struct{ Name, Version string }

// APKInstalled writes /lib/apk/db/installed listing pkgs.
func APKInstalled(pkgs ...APK) string {
	var b strings.Builder
	for _, p := range pkgs {
		fmt.Fprintf(&b, "C:Q1%s=\nP:%s\nV:%s\nA:x86_64\nS:1000\nI:4000\nT:%s\nU:https://example.test/%s\nL:MIT\no:%s\nm:Test <test@example.test>\nt:1700000000\n\n",
			strings.Repeat("A", 27), p.Name, p.Version, p.Name, p.Name, p.Name)
	}
	return b.String()
}

// NodePackage is node_modules/NAME/package.json of an installed npm package.
func NodePackage(name, version string) string {
	return fmt.Sprintf(`{"name": %q, "version": %q, "license": "MIT"}`, name, version)
}

// PackageLock is a package-lock.json (lockfile v3) of an app depending on deps (name -> version).
func PackageLock(app string, deps map[string]string) string {
	names := make([]string, 0, len(deps))
	for n := range deps {
		names = append(names, n)
	}
	sort.Strings(names)
	var b strings.Builder
	fmt.Fprintf(&b, `{"name": %q, "version": "1.0.0", "lockfileVersion": 3, "requires": true, "packages": {"": {"name": %q, "version": "1.0.0", "dependencies": {`, app, app)
	for i, n := range names {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%q: %q", n, "^"+deps[n])
	}
	b.WriteString("}}")
	for _, n := range names {
		fmt.Fprintf(&b, `, "node_modules/%s": {"version": %q, "resolved": "https://registry.npmjs.org/%s/-/%s-%s.tgz", "license": "MIT"}`, n, deps[n], n, n, deps[n])
	}
	b.WriteString("}}\n")
	return b.String()
}

// LayerTar is an uncompressed layer tarball of files (path -> content);
// directories are implied.
func LayerTar(t testing.TB, files map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	paths := make([]string, 0, len(files))
	for p := range files {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	dirs := map[string]bool{}
	for _, p := range paths {
		rel := strings.TrimPrefix(p, "/")
		for d := filepath.Dir(rel); d != "." && !dirs[d]; d = filepath.Dir(d) {
			dirs[d] = true
		}
	}
	dl := make([]string, 0, len(dirs))
	for d := range dirs {
		dl = append(dl, d)
	}
	sort.Strings(dl)
	mt := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, d := range dl {
		if err := tw.WriteHeader(&tar.Header{Name: d + "/", Typeflag: tar.TypeDir, Mode: 0o755, ModTime: mt}); err != nil {
			t.Fatal(err)
		}
	}
	for _, p := range paths {
		body := files[p]
		if err := tw.WriteHeader(&tar.Header{Name: strings.TrimPrefix(p, "/"), Typeflag: tar.TypeReg, Mode: 0o644, Size: int64(len(body)), ModTime: mt}); err != nil {
			t.Fatal(err)
		}
		if _, err := io.WriteString(tw, body); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// Image is a linux/amd64 image of the given layers (uncompressed tarballs).
func Image(t testing.TB, layers ...[]byte) v1.Image {
	t.Helper()
	img := empty.Image
	for _, l := range layers {
		layer, err := tarball.LayerFromOpener(func() (io.ReadCloser, error) {
			return io.NopCloser(bytes.NewReader(l)), nil
		}, tarball.WithCompressionLevel(gzip.BestSpeed))
		if err != nil {
			t.Fatal(err)
		}
		if img, err = mutate.AppendLayers(img, layer); err != nil {
			t.Fatal(err)
		}
	}
	cf, err := img.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	cf = cf.DeepCopy()
	cf.OS, cf.Architecture = "linux", "amd64"
	cf.Created = v1.Time{Time: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	if img, err = mutate.ConfigFile(img, cf); err != nil {
		t.Fatal(err)
	}
	return img
}

// DockerArchive writes img to path as docker save does, tagged ref.
func DockerArchive(t testing.TB, path, ref string, img v1.Image) string {
	t.Helper()
	tag, err := name.NewTag(ref)
	if err != nil {
		t.Fatal(err)
	}
	if err := tarball.WriteToFile(path, tag, img); err != nil {
		t.Fatal(err)
	}
	return path
}

// OCILayout writes img to dir as an OCI image layout.
func OCILayout(t testing.TB, dir string, img v1.Image) string {
	t.Helper()
	p, err := layout.Write(dir, empty.Index)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.AppendImage(img, layout.WithPlatform(v1.Platform{OS: "linux", Architecture: "amd64"})); err != nil {
		t.Fatal(err)
	}
	return dir
}

// WriteFile writes body to dir/name and returns the path.
func WriteFile(t testing.TB, dir, name string, body []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, body, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}
