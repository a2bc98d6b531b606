package iac

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vigil-sec/vigil/internal/finding"
	"github.com/vigil-sec/vigil/internal/policy"
	"github.com/vigil-sec/vigil/internal/rules"
	"github.com/vigil-sec/vigil/internal/scan"
	"github.com/vigil-sec/vigil/internal/suppress"
)

var testNow = time.Date(2026, 11, 24, 6, 0, 0, 0, time.UTC)

var (
	engineOnce sync.Once
	engineVal  *policy.Engine
	engineErr  error
)

// builtinEngine is the built-in rule pack, compiled once for the tests.
func builtinEngine(t testing.TB) *policy.Engine {
	t.Helper()
	engineOnce.Do(func() {
		engineVal, engineErr = policy.New(context.Background(), []policy.Source{{FS: rules.FS(), Name: "builtin", Builtin: true}})
	})
	if engineErr != nil {
		t.Fatal(engineErr)
	}
	return engineVal
}

func byResource(fs []finding.Finding, rule string) map[string]finding.Finding {
	out := map[string]finding.Finding{}
	for _, f := range fs {
		if f.RuleID == rule {
			out[f.Resource.ID] = f
		}
	}
	return out
}

// TestSuppressions scans the test reader's tree with an ignore comment above
// a resource, one on a resource's line that expired, one naming no rule,
// one without a reason, one above a module call (covering the module's
// resources) and one above nothing, plus a suppressions file entry.
func TestSuppressions(t *testing.T) {
	set, err := suppress.Parse("suppressions.yaml", []byte(`
- rule: storage-public-access
  resource: "main.vtf:bucket.logs"
  reason: partner reads the logs anonymously
  expires: 2099-01-01
- rule: storage-public-access
  resource: "main.vtf:bucket.typo"
  reason: was a test bucket
  expires: 2021-01-01
`))
	if err != nil {
		t.Fatal(err)
	}
	res, err := Scan(context.Background(), builtinEngine(t), Options{
		Paths: []string{filepath.Join("testdata", "fake")}, Readers: []Reader{fakeReader},
		Scan: scan.Options{Now: testNow, Suppressions: set},
	})
	if err != nil {
		t.Fatal(err)
	}
	got := byResource(res.Report.Findings, "storage-public-access")
	muted := map[string]string{
		"main.vtf:bucket.site":              "public website, approved by security",
		"main.vtf:bucket.logs":              "partner reads the logs anonymously",
		"main.vtf:module.web.bucket.assets": "web assets are public by design",
	}
	for id, reason := range muted {
		f, ok := got[id]
		if !ok || f.Status != finding.Fail || f.Suppressed == nil || f.Suppressed.Reason != reason {
			t.Errorf("%s: want a muted FAIL (%q), got %+v", id, reason, f)
		}
	}
	if s := got["main.vtf:bucket.site"].Suppressed; s == nil || s.Expires != "2099-12-31" {
		t.Errorf("site: expiry not carried: %+v", s)
	}
	for _, id := range []string{"main.vtf:bucket.old", "main.vtf:bucket.typo", "main.vtf:bucket.noreason"} {
		if f := got[id]; f.Status != finding.Fail || f.Suppressed != nil {
			t.Errorf("%s: want an active FAIL, got %+v", id, f)
		}
	}
	if f := got["main.vtf:module.web.bucket.private"]; f.Status != finding.Pass {
		t.Errorf("private bucket: %+v", f)
	}
	loc := got["main.vtf:module.web.bucket.assets"].Resource.Location
	if loc == nil || loc.File != "modules/web/site.vtf" || loc.StartLine != 1 || len(loc.Calls) != 1 || loc.Calls[0].StartLine != 14 {
		t.Errorf("module resource location: %+v", loc)
	}
	if src := res.Report.Sources["main.vtf:bucket.site"]; src != "testdata/fake/main.vtf" {
		t.Errorf("source relative to the working directory: %q", src)
	}

	want := []string{
		"main.vtf:8: no rule is named no-such-rule",                      // naming no rule
		"main.vtf:10: vigil:ignore storage-public-access: has no reason", // no reason
		"main.vtf:15: vigil:ignore storage-public-access: not on or directly above a resource",
		"main.vtf:7: the suppression of storage-public-access on bucket.old expired on 2020-01-01",                    // expired inline
		"suppressions.yaml:6: the suppression of storage-public-access on main.vtf:bucket.typo expired on 2021-01-01", // expired in the file
	}
	for _, w := range want {
		if !slices.ContainsFunc(res.Warnings, func(s string) bool { return strings.Contains(s, w) }) {
			t.Errorf("no warning containing %q in\n%s", w, strings.Join(res.Warnings, "\n"))
		}
	}
	sup := res.Report.Summary.Suppressions
	if sup == nil || sup.File != "suppressions.yaml and inline ignores" {
		t.Fatalf("suppression report: %+v", sup)
	}
	if len(sup.Muted) != 3 || len(sup.Expired) != 2 {
		t.Errorf("muted %d, expired %+v", len(sup.Muted), sup.Expired)
	}
	if res.Report.Summary.Suppressed != 3 {
		t.Errorf("summary: %d suppressed", res.Report.Summary.Suppressed)
	}
	if res.Read["fake"] != 2 || !slices.Contains(res.Unrecognised, "README.md") {
		t.Errorf("read %v, unrecognised %v", res.Read, res.Unrecognised)
	}
}

// TestNoSuppressions: without a file or an ignore comment, the report has
// no suppression section.
func TestNoSuppressions(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"a.vtf": "bucket a public\n"})
	res, err := Scan(context.Background(), builtinEngine(t), Options{Paths: []string{dir}, Readers: []Reader{fakeReader},
		Scan: scan.Options{Now: testNow}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Report.Summary.Suppressions != nil || len(res.Warnings) != 0 {
		t.Errorf("suppressions %+v, warnings %v", res.Report.Summary.Suppressions, res.Warnings)
	}
	if f := byResource(res.Report.Findings, "storage-public-access")["a.vtf:bucket.a"]; f.Status != finding.Fail {
		t.Errorf("finding: %+v", f)
	}
}

func TestNoInput(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"README.md": "# nothing\n", "x.json": `{"a": 1}`})
	_, err := Scan(context.Background(), builtinEngine(t), Options{Paths: []string{dir}, Readers: []Reader{fakeReader}})
	if !errors.Is(err, ErrNoInput) || !strings.Contains(err.Error(), "2 files") {
		t.Fatalf("want ErrNoInput naming the 2 files, got %v", err)
	}
}

func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestWalk: skipped directories, chart directories (nested charts are
// the outer chart's), symbolic links in and out of the scanned path.
func TestWalk(t *testing.T) {
	base := t.TempDir()
	dir := filepath.Join(base, "repo")
	writeFiles(t, dir, map[string]string{
		"main.tf": "", "mod/x.tf": "", ".git/config": "", ".terraform/modules/m/y.tf": "", "node_modules/p/z.yaml": "",
		"vendor/v.tf": "", ".hidden/h.tf": "", "chart/Chart.yaml": "", "chart/values.yaml": "", "chart/templates/d.yaml": "",
		"chart/charts/sub/Chart.yaml": "", "chart/charts/sub/templates/s.yaml": "", "apps/web/Chart.yaml": "",
		"apps/web/templates/w.yaml": "", "apps/plain.yaml": "",
	})
	writeFiles(t, base, map[string]string{"outside.tf": ""})
	for link, target := range map[string]string{"in.tf": "main.tf", "out.tf": "../outside.tf", "dirlink": "mod", "broken.tf": "nope.tf"} {
		if err := os.Symlink(target, filepath.Join(dir, link)); err != nil {
			t.Skip("symbolic links unsupported:", err)
		}
	}
	tr, err := Walk([]string{dir})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"apps/plain.yaml", "in.tf", "main.tf", "mod/x.tf"}; !slices.Equal(tr.Files, want) {
		t.Errorf("files %v, want %v", tr.Files, want)
	}
	if len(tr.Charts) != 2 || len(tr.Charts["chart"]) != 5 || !slices.Equal(tr.Charts["apps/web"], []string{"apps/web/Chart.yaml", "apps/web/templates/w.yaml"}) {
		t.Errorf("charts %v", tr.Charts)
	}
	reasons := map[string]string{}
	for _, s := range tr.Skipped {
		reasons[s.Path] = s.Reason
	}
	if !strings.Contains(reasons["out.tf"], "outside") || !strings.Contains(reasons["broken.tf"], "broken") ||
		!strings.Contains(reasons["dirlink"], "directory") || len(reasons) != 3 {
		t.Errorf("skipped %v", reasons)
	}
	if tr.Root != dir {
		t.Errorf("root %s", tr.Root)
	}

	// Several paths: the root is their deepest common directory; a file
	// path is taken as it is.
	tr, err = Walk([]string{filepath.Join(dir, "mod"), filepath.Join(dir, "apps", "plain.yaml")})
	if err != nil {
		t.Fatal(err)
	}
	if tr.Root != dir || !slices.Equal(tr.Files, []string{"apps/plain.yaml", "mod/x.tf"}) {
		t.Errorf("root %s files %v", tr.Root, tr.Files)
	}
	// A chart directory given itself.
	tr, err = Walk([]string{filepath.Join(dir, "apps", "web")})
	if err != nil {
		t.Fatal(err)
	}
	if len(tr.Files) != 0 || len(tr.Charts["."]) != 2 {
		t.Errorf("chart root: files %v charts %v", tr.Files, tr.Charts)
	}
	if _, err := Walk([]string{filepath.Join(dir, "missing")}); err == nil {
		t.Error("a missing path was accepted")
	}
}

// TestDispatch: the first reader whose Detect accepts a file reads it;
// chart files go to the chart reader only; the rest is unrecognised.
func TestDispatch(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"a.vtf": "bucket a public\n", "k8s/pod.yaml": "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n",
		"chart/Chart.yaml": "apiVersion: v2\nname: c\n", "chart/templates/pod.yaml": "apiVersion: v1\nkind: Pod\n",
		"notes.txt": "x",
	})
	tr, err := Walk([]string{dir})
	if err != nil {
		t.Fatal(err)
	}
	yamlReader := Reader{Name: "yaml", Detect: func(p string, head []byte) bool {
		return strings.HasSuffix(p, ".yaml") && strings.Contains(string(head), "kind:")
	}}
	chartReader := Reader{Name: "chart", Charts: true}
	files, unrec, warns, err := dispatch(context.Background(), tr, []Reader{fakeReader, yamlReader, chartReader})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(files[0], []string{"a.vtf"}) || !slices.Equal(files[1], []string{"k8s/pod.yaml"}) ||
		!slices.Equal(files[2], []string{"chart/Chart.yaml", "chart/templates/pod.yaml"}) ||
		!slices.Equal(unrec, []string{"notes.txt"}) || len(warns) != 0 {
		t.Errorf("files %v unrecognised %v warnings %v", files, unrec, warns)
	}
	// Without a chart reader, chart files are unrecognised.
	_, unrec, _, _ = dispatch(context.Background(), tr, []Reader{fakeReader, yamlReader})
	if len(unrec) != 3 {
		t.Errorf("unrecognised %v", unrec)
	}
}

func TestParseDirective(t *testing.T) {
	for _, c := range []struct{ line, rule, reason, exp, err string }{
		{"# vigil:ignore r1 some reason", "r1", "some reason", "", ""},
		{"resource \"x\" \"y\" { # vigil:ignore r1 why exp:2027-01-02", "r1", "why", "2027-01-02", ""},
		{"// vigil:ignore r1 why [exp:2027-01-02]", "r1", "why", "2027-01-02", ""},
		{"/* vigil:ignore r1 why */", "r1", "why", "", ""},
		{"{{/* vigil:ignore r1 why */}}", "r1", "why", "", ""},
		{"# vigil:ignore:r1 why", "r1", "why", "", ""},
		{"# vigil:ignore r1", "r1", "", "", "has no reason"},
		{"# vigil:ignore", "", "", "", "names no rule"},
		{"# vigil:ignore r1 why exp:2027-13-40", "r1", "why", "", "not a date"},
	} {
		fi := parseIgnores("f.tf", []byte(c.line+"\n"))
		if len(fi.all) != 1 {
			t.Errorf("%q: %d directives", c.line, len(fi.all))
			continue
		}
		d := fi.all[0]
		exp := ""
		if !d.expires.IsZero() {
			exp = d.expires.Format(suppress.DateLayout)
		}
		if d.rule != c.rule || d.reason != c.reason || exp != c.exp || (c.err == "") != (d.err == "") || !strings.Contains(d.err, c.err) {
			t.Errorf("%q: got rule %q reason %q exp %q err %q", c.line, d.rule, d.reason, exp, d.err)
		}
	}
	// Not a comment: a string holding the marker.
	if fi := parseIgnores("f.tf", []byte(`name = "vigil:ignore r1 x"`+"\n")); len(fi.all) != 0 {
		t.Errorf("marker in a string taken as a directive")
	}
	// The comment block directly above a line, not across a blank line.
	fi := parseIgnores("f.tf", []byte("# vigil:ignore r1 a\n\n# vigil:ignore r2 b\n# other comment\nresource {\n"))
	var rs []string
	for _, d := range fi.at(5) {
		rs = append(rs, d.rule)
	}
	if !slices.Equal(rs, []string{"r2"}) {
		t.Errorf("directives above line 5: %v", rs)
	}
}

// FuzzParseIgnores: any file content parses without panicking, and every
// directive found is on a line of the file with a rule or an error.
func FuzzParseIgnores(f *testing.F) {
	for _, p := range []string{"testdata/fake/main.vtf", "testdata/fake/modules/web/site.vtf"} {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte("# vigil:ignore\n// vigil:ignore: x [exp:]\n/* vigil:ignore */"))
	f.Fuzz(func(t *testing.T, data []byte) {
		fi := parseIgnores("f", data)
		for _, d := range fi.all {
			if d.line < 1 || d.line > fi.lines {
				t.Fatalf("directive on line %d of %d", d.line, fi.lines)
			}
			if d.rule == "" && d.err == "" {
				t.Fatalf("directive without rule or error: %+v", d)
			}
			_ = fi.at(d.line + 1)
		}
	})
}

// TestHelmIgnoreAboveAction: in a Helm template, an ignore comment above
// the {{- if }} that guards an object mutes the object's findings (a line
// of template actions only is transparent, as a comment line is), and the
// object is located at its own lines, not at the if.
func TestHelmIgnoreAboveAction(t *testing.T) {
	dir := t.TempDir()
	for name, text := range map[string]string{
		"agent/Chart.yaml":  "apiVersion: v2\nname: agent\nversion: 0.1.0\n",
		"agent/values.yaml": "agent:\n  enabled: true\n",
		"agent/templates/pods.yaml": "# vigil:ignore k8s-host-network the node agent reads the host's interfaces\n" +
			"{{- if .Values.agent.enabled }}\n" +
			"apiVersion: v1\nkind: Pod\nmetadata:\n  name: {{ .Release.Name }}-agent\nspec:\n  hostNetwork: true\n" +
			"  containers:\n    - name: agent\n      image: busybox:1.36\n" +
			"{{- end }}\n---\n" +
			"apiVersion: v1\nkind: Pod\nmetadata:\n  name: {{ .Release.Name }}-other\nspec:\n  hostNetwork: true\n" +
			"  containers:\n    - name: other\n      image: busybox:1.36\n",
	} {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	res, err := Scan(context.Background(), builtinEngine(t), Options{
		Paths: []string{dir}, Readers: Builtin(ReaderOptions{}),
		Scan: scan.Options{Now: testNow, Filter: finding.Filter{Rules: []string{"k8s-host-network"}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range res.Report.Findings {
		loc := f.Resource.Location
		got = append(got, fmt.Sprintf("%s %s:%d-%d %s muted=%v", f.Status, loc.File, loc.StartLine, loc.EndLine, loc.Address, f.Suppressed != nil))
	}
	slices.Sort(got)
	want := []string{
		"FAIL agent/templates/pods.yaml:14-22 Pod//release-other muted=false",
		"FAIL agent/templates/pods.yaml:3-12 Pod//release-agent muted=true",
	}
	if !slices.Equal(got, want) {
		t.Errorf("findings\n%s\nwant\n%s\nwarnings %v", strings.Join(got, "\n"), strings.Join(want, "\n"), res.Warnings)
	}
}
