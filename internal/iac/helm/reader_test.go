package helm

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vigil-sec/vigil/internal/finding"
	"github.com/vigil-sec/vigil/internal/iac/kubernetes"
	"github.com/vigil-sec/vigil/internal/policy"
	"github.com/vigil-sec/vigil/internal/resource"
	"github.com/vigil-sec/vigil/internal/rules"
	"github.com/vigil-sec/vigil/internal/scan"
	"github.com/vigil-sec/vigil/internal/source"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

var root = filepath.Join("testdata", "charts")

func readCharts(t testing.TB, files []string, opts Options) []source.Batch {
	t.Helper()
	var out []source.Batch
	if err := New(root, files, opts).Read(context.Background(), func(b source.Batch) error {
		out = append(out, b)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

func byID(bs []source.Batch) map[string]*resource.Resource {
	m := map[string]*resource.Resource{}
	for _, b := range bs {
		for _, r := range b.Resources {
			m[r.ID] = r
		}
	}
	return m
}

// TestGoldenCharts renders the fixture charts with their default values
// (the webapp chart with its vendored cache subchart, a chart that does
// not render, one whose dependency is not vendored) and compares the
// batches with testdata/golden.json.
func TestGoldenCharts(t *testing.T) {
	files := []string{"broken/Chart.yaml", "remote/Chart.yaml", "webapp/Chart.yaml", "webapp/charts/cache/Chart.yaml", "webapp/templates/service.yaml"}
	bs := readCharts(t, files, Options{})
	data, err := json.MarshalIndent(bs, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	data = append(data, '\n')
	golden := filepath.Join("testdata", "golden.json")
	if *update {
		if err := os.WriteFile(golden, data, 0o644); err != nil {
			t.Fatal(err)
		}
	} else if want, err := os.ReadFile(golden); err != nil || !bytes.Equal(want, data) {
		t.Errorf("%s differs from the reader's output (%v); run go test ./internal/iac/helm -run Golden -update and review the diff", golden, err)
	}

	if len(bs) != 3 || bs[0].Input != "broken" || bs[1].Input != "remote" || bs[2].Input != "webapp" {
		t.Fatalf("batches: want one per chart (broken, remote, webapp), got %d", len(bs))
	}
	if p := bs[0].Problems; len(p) != 1 || p[0].Path != "broken/templates/pod.yaml" || p[0].Line != 4 || !strings.Contains(p[0].Err, "chart broken does not render") || !strings.Contains(p[0].Err, "name is required") {
		t.Errorf("broken chart: problems %v, want one naming the chart and Helm's message", p)
	}
	if p := bs[1].Problems; len(p) != 1 || !strings.Contains(p[0].Err, "dependencies postgresql are not vendored") {
		t.Errorf("remote chart: problems %v", p)
	}
	rs := byID(bs)
	if job := rs["remote/templates/pod.yaml:Pod/default/release-job"]; job == nil || job.Location.StartLine != 1 || job.Location.EndLine != 9 {
		t.Errorf("the remote chart's own templates still render, located over the template: %+v", job)
	}
	dep := rs["webapp/templates/deployment.yaml:Deployment//release-webapp"]
	if dep == nil {
		t.Fatalf("no deployment; IDs %v", keys(rs))
	}
	// The template has actions: the object spans the template, and the
	// release namespace (unknown) is no namespace.
	if dep.Location.File != "webapp/templates/deployment.yaml" || dep.Location.StartLine != 1 || dep.Location.EndLine != 27 || dep.Account != "" || dep.Provider != resource.K8s {
		t.Errorf("deployment: location %+v account %q", dep.Location, dep.Account)
	}
	if c := dep.Facts.Workload.Containers; len(c) != 1 || c[0].Image != "ghcr.io/example/webapp:1.4.2" {
		t.Errorf("deployment containers %+v: the image tag defaults to the appVersion", c)
	}
	// A literal template (no actions) keeps each object's own lines.
	bind := rs["webapp/charts/cache/templates/rbac.yaml:RoleBinding//cache-reader"]
	if bind == nil || bind.Location.StartLine != 11 || bind.Location.EndLine != 21 {
		t.Errorf("literal template's second object: %+v", bind)
	}
	// A template of two documents whose actions stay within each: the
	// second document's object is located over that document.
	if crb := rs["webapp/templates/serviceaccount.yaml:ClusterRoleBinding//release-webapp-admin"]; crb == nil || crb.Location.StartLine != 9 || crb.Location.EndLine != 20 {
		t.Errorf("second document of a template with actions: %+v", crb)
	}
	sts := rs["webapp/charts/cache/templates/statefulset.yaml:StatefulSet//release-cache"]
	if sts == nil || !*sts.Facts.Workload.HostNetwork {
		t.Errorf("subchart statefulset: %+v", sts)
	}
	// The release namespace is decided at install (helm -n): no resource
	// stands for it, none with an empty name.
	for id, r := range rs {
		if r.Class == resource.ClassKubernetesNamespace && r.Name == "" {
			t.Errorf("namespace resource %s with no name for the unknown release namespace", id)
		}
	}
}

func keys(m map[string]*resource.Resource) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// TestValuesAndSet: a values file and --set change what is rendered, and
// so the facts (a default-deny policy enabled, the subchart disabled).
func TestValuesAndSet(t *testing.T) {
	dir := t.TempDir()
	vf := filepath.Join(dir, "prod.yaml")
	if err := os.WriteFile(vf, []byte("networkPolicy:\n  enabled: true\nservice:\n  type: ClusterIP\nimage:\n  tag: 2.0.0\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	bs := readCharts(t, []string{"webapp/Chart.yaml"}, Options{ValuesFiles: []string{vf}, Set: []string{"cache.enabled=false", "image.tag=2.0.1"}, Namespace: "prod"})
	rs := byID(bs)
	if len(bs[0].Problems) > 0 {
		t.Errorf("problems: %v", bs[0].Problems)
	}
	dep := rs["webapp/templates/deployment.yaml:Deployment/prod/release-webapp"]
	if dep == nil || dep.Facts.Workload.Containers[0].Tag != "2.0.1" {
		t.Fatalf("deployment with --set image.tag: %+v (IDs %v)", dep, keys(rs))
	}
	if svc := rs["webapp/templates/service.yaml:Service/prod/release-webapp"]; svc == nil || svc.Facts.K8sService.Type != "ClusterIP" {
		t.Errorf("service with the values file: %+v", svc)
	}
	for id := range rs {
		if strings.Contains(id, "charts/cache") {
			t.Errorf("the cache subchart is disabled by --set but rendered: %s", id)
		}
	}
	ns := rs["webapp/templates/deployment.yaml:Namespace//prod"]
	if ns == nil || !*ns.Facts.Namespace.DefaultDenyIngress {
		t.Errorf("namespace prod with the values file's default-deny policy: %+v (IDs %v)", ns, keys(rs))
	}
	bs = readCharts(t, []string{"webapp/Chart.yaml"}, Options{ValuesFiles: []string{filepath.Join(dir, "missing.yaml")}})
	if len(bs) != 1 || len(bs[0].Problems) != 1 || !strings.Contains(bs[0].Problems[0].Err, "missing.yaml") {
		t.Errorf("a missing values file: %+v", bs)
	}
}

// TestRulesOnChart scans the rendered chart with the built-in rules: the
// findings are those of the rendered values, located in the templates.
func TestRulesOnChart(t *testing.T) {
	ctx := context.Background()
	e, err := policy.New(ctx, []policy.Source{{FS: rules.FS(), Name: "builtin", Builtin: true}})
	if err != nil {
		t.Fatal(err)
	}
	res, err := scan.Run(ctx, e, scan.Options{Sources: []source.Source{New(root, []string{"webapp/Chart.yaml"}, Options{})}, Now: time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]finding.Finding{}
	for _, f := range res.Report.Findings {
		got[f.RuleID+" "+f.Resource.ID] = f
	}
	const dep, sts = "webapp/templates/deployment.yaml:Deployment//release-webapp", "webapp/charts/cache/templates/statefulset.yaml:StatefulSet//release-cache"
	for k, want := range map[string]finding.Status{
		"k8s-privileged-container " + sts: finding.Fail,
		"k8s-host-network " + sts:         finding.Fail,
		"k8s-image-tag-latest " + sts:     finding.Fail,
		"k8s-privileged-container " + dep: finding.Pass,
		"k8s-run-as-non-root " + dep:      finding.Pass,
		"k8s-privilege-escalation " + dep: finding.Pass,
		"k8s-image-tag-latest " + dep:     finding.Pass,
		"k8s-cpu-limit-missing " + dep:    finding.Fail,
		"k8s-default-namespace " + dep:    finding.Unknown,
		"k8s-service-load-balancer webapp/templates/service.yaml:Service//release-webapp":                         finding.Fail,
		"k8s-rbac-secrets-read webapp/charts/cache/templates/rbac.yaml:Role//cache-reader":                        finding.Fail,
		"k8s-binding-all-authenticated webapp/charts/cache/templates/rbac.yaml:RoleBinding//cache-reader":         finding.Fail,
		"k8s-binding-cluster-admin webapp/templates/serviceaccount.yaml:ClusterRoleBinding//release-webapp-admin": finding.Fail,
		// The chart's ServiceAccount does not mount its token (finisher).
		"k8s-service-account-token-automount " + dep: finding.Pass,
		"k8s-service-account-token-automount " + sts: finding.Fail,
	} {
		if f := got[k]; f.Status != want {
			t.Errorf("%s: %s, want %s", k, f.Status, want)
		} else if f.Resource.Location == nil || !strings.HasPrefix(f.Resource.Location.File, "webapp/") {
			t.Errorf("%s: location %+v", k, f.Resource.Location)
		}
	}
}

// TestBadCharts: a Chart.yaml that does not load, a template rendering
// YAML that does not parse and an alias bomb in a template are reported,
// and the other templates are read.
func TestBadCharts(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) { writeChartFile(t, dir, name, text) }
	write("invalid/Chart.yaml", "apiVersion: v2\nname: [oops\n")
	write("yamlerr/Chart.yaml", "apiVersion: v2\nname: yamlerr\nversion: 0.1.0\n")
	write("yamlerr/templates/bad.yaml", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {{ .Release.Name }}\n  labels: [unclosed\n")
	write("yamlerr/templates/bomb.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\ndata:\n  a: &a [x, x, x, x, x, x, x, x, x, x]\n  b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n  c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n  d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n  e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n  f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n  g: [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]\n")
	write("yamlerr/templates/ok.yaml", "apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}-ok\nspec:\n  type: NodePort\n")
	var bs []source.Batch
	if err := New(dir, []string{"invalid/Chart.yaml", "yamlerr/Chart.yaml"}, Options{}).Read(context.Background(), func(b source.Batch) error {
		bs = append(bs, b)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(bs) != 2 {
		t.Fatalf("%d batches", len(bs))
	}
	if p := bs[0].Problems; len(p) != 1 || !strings.Contains(p[0].Error(), "invalid/Chart.yaml: chart invalid does not load") {
		t.Errorf("chart that does not load: %v", p)
	}
	var msgs []string
	for _, p := range bs[1].Problems {
		msgs = append(msgs, p.Error())
	}
	all := strings.Join(msgs, "\n")
	for _, want := range []string{"yamlerr/templates/bad.yaml: yaml: did not find expected ',' or ']' (line 5 of the rendered output)", "yamlerr/templates/bomb.yaml:1: document expands to more than"} {
		if !strings.Contains(all, want) {
			t.Errorf("problems %q, want %q", all, want)
		}
	}
	if rs := byID(bs); rs["yamlerr/templates/ok.yaml:Service//release-ok"] == nil {
		t.Errorf("the template that renders well was not read: %v", keys(rs))
	}
}

// TestRenderedLines: the lines given to rendered objects are the
// template's, or none when the template's documents do not map onto the
// output's.
func TestRenderedLines(t *testing.T) {
	for _, c := range []struct {
		name, src, out string
		want           [][2]int
	}{
		{"literal", "# c\napiVersion: v1\nkind: Service\nmetadata: {name: a}\n", "# c\napiVersion: v1\nkind: Service\nmetadata: {name: a}\n", [][2]int{{2, 4}}},
		{"one document", "apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}\n", "apiVersion: v1\nkind: Service\nmetadata:\n  name: r\n", [][2]int{{1, 4}}},
		{"aligned documents", "{{- if true }}\napiVersion: v1\nkind: Service\nmetadata: {name: a}\n{{- end }}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: {{ .b }}}\n",
			"\napiVersion: v1\nkind: Service\nmetadata: {name: a}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: b}\n", [][2]int{{2, 5}, {7, 9}}},
		// Each object a range writes is located at the template lines
		// that write it (they were in the file with no line).
		{"range over documents", "{{- range .xs }}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: {{ . }}}\n{{- end }}\n",
			"\n---\napiVersion: v1\nkind: Service\nmetadata: {name: a}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: b}\n", [][2]int{{3, 4}, {3, 4}}},
		// An if spanning two documents (unbalanced documents): each object
		// at its own lines, the second after the first.
		{"if over documents", "{{- if .a }}\napiVersion: v1\nkind: Service\nmetadata:\n  name: one\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: two\n{{- end }}\n",
			"\napiVersion: v1\nkind: Service\nmetadata:\n  name: one\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: two\n", [][2]int{{2, 5}, {7, 10}}},
		// A list written by a range inside one document: each item at the
		// lines of the range's body.
		{"range in a list", "apiVersion: v1\nkind: List\nitems:\n{{- range .xs }}\n  - apiVersion: v1\n    kind: Service\n    metadata:\n      name: {{ . }}\n{{- end }}\n",
			"apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: Service\n    metadata:\n      name: a\n  - apiVersion: v1\n    kind: Service\n    metadata:\n      name: b\n", [][2]int{{5, 7}, {5, 7}}},
	} {
		var batch source.Batch
		readRendered(kubernetes.NewBuilder(), "t.yaml", []byte(c.src), []byte(c.out), "", &batch)
		var got [][2]int
		for _, r := range batch.Resources {
			if r.Type == "Service" {
				got = append(got, [2]int{r.Location.StartLine, r.Location.EndLine})
			}
		}
		if fmt.Sprint(got) != fmt.Sprint(c.want) {
			t.Errorf("%s: lines %v, want %v (problems %v)", c.name, got, c.want, batch.Problems)
		}
	}
}

// TestPackagedSubchart: a subchart vendored as charts/<name>-<version>.tgz
// renders with its parent; its objects are located at the archive, with
// no line (its templates are not files of the tree).
func TestPackagedSubchart(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) { writeChartFile(t, dir, name, text) }
	write("app/Chart.yaml", "apiVersion: v2\nname: app\nversion: 1.0.0\ndependencies:\n  - name: sub\n    version: 0.1.0\n    repository: https://charts.example.com\n")
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	for name, text := range map[string]string{
		"sub/Chart.yaml":         "apiVersion: v2\nname: sub\nversion: 0.1.0\n",
		"sub/templates/pod.yaml": "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {{ .Release.Name }}-sub\nspec:\n  hostPID: true\n  containers:\n    - name: c\n      image: busybox:1.36\n",
	} {
		if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: int64(len(text)), Typeflag: tar.TypeReg}); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write([]byte(text)); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := gz.Close(); err != nil {
		t.Fatal(err)
	}
	write("app/charts/sub-0.1.0.tgz", buf.String())
	var bs []source.Batch
	if err := New(dir, []string{"app/Chart.yaml"}, Options{}).Read(context.Background(), func(b source.Batch) error {
		bs = append(bs, b)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	rs := byID(bs)
	pod := rs["app/charts/sub-0.1.0.tgz:Pod//release-sub"]
	if len(bs) != 1 || len(bs[0].Problems) > 0 || pod == nil || pod.Location.StartLine != 0 || !*pod.Facts.Workload.HostPID {
		t.Errorf("packaged subchart: problems %v, pod %+v (IDs %v)", bs[0].Problems, pod, keys(rs))
	}
}

func TestDetect(t *testing.T) {
	for p, want := range map[string]bool{"charts/web/Chart.yaml": true, "Chart.yaml": true, "charts/web/values.yaml": false, "chart.yaml": false} {
		if got := Detect(p, []byte("apiVersion: v2\nname: web\nversion: 1.0.0\n")); got != want {
			t.Errorf("Detect(%s) = %v", p, got)
		}
	}
}

// FuzzRendered feeds arbitrary rendered output and template source to the
// mapping of rendered objects onto their template: no panic, lines within
// the template.
func FuzzRendered(f *testing.F) {
	for _, p := range []string{"webapp/templates/deployment.yaml", "webapp/charts/cache/templates/rbac.yaml", "remote/templates/pod.yaml"} {
		data, err := os.ReadFile(filepath.Join(root, p))
		if err == nil {
			f.Add(data, data)
		}
	}
	f.Fuzz(func(t *testing.T, src, text []byte) {
		var batch source.Batch
		readRendered(kubernetes.NewBuilder(), "t.yaml", src, text, "ns", &batch)
		lines := max(bytes.Count(src, []byte("\n")), bytes.Count(text, []byte("\n"))) + 1
		for _, r := range batch.Resources {
			if r.Location.StartLine < 0 || r.Location.EndLine > lines {
				t.Fatalf("%s at %+v, beyond %d lines", r.ID, r.Location, lines)
			}
		}
	})
}

// BenchmarkRenderChart renders and reads the webapp chart with its subchart.
func BenchmarkRenderChart(b *testing.B) {
	for b.Loop() {
		bs := readCharts(b, []string{"webapp/Chart.yaml"}, Options{})
		if len(bs[0].Resources) < 5 {
			b.Fatalf("%d resources", len(bs[0].Resources))
		}
	}
}

// TestRenderedLinesGreedy: an object too large to align by longest common
// subsequence (rendered lines × template lines over maxAlignCells) is
// matched greedily in order: each rendered line at the first template line
// after the previous match holding the same text and no action, so lines
// an if left out are skipped and the object keeps its first and last line.
func TestRenderedLinesGreedy(t *testing.T) {
	var src, out strings.Builder
	src.WriteString("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\ndata:\n")
	out.WriteString("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: r\ndata:\n")
	const n = 1100
	skipFrom, skipTo := 400, 420 // lines of an if that rendered nothing
	for i := range n {
		switch {
		case i == skipFrom:
			src.WriteString("{{- if .Values.extra }}\n")
		case i > skipFrom && i < skipTo:
			fmt.Fprintf(&src, "  extra%d: x\n", i)
		case i == skipTo:
			src.WriteString("{{- end }}\n")
		case i%10 == 5: // the same line again and again: matched in order
			src.WriteString("  # --\n")
			out.WriteString("  # --\n")
		case i%50 == 0:
			fmt.Fprintf(&src, "  k%d: {{ .Values.v | quote }}\n", i)
			fmt.Fprintf(&out, "  k%d: \"v\"\n", i)
		default:
			fmt.Fprintf(&src, "  k%d: v\n", i)
			fmt.Fprintf(&out, "  k%d: v\n", i)
		}
	}
	src.WriteString("{{- /* end */}}\n")
	l := newLocator([]byte(src.String()), 3) // the template's first line is line 3 of its file
	rendered := splitLines([]byte(out.String()))
	tl := len(l.lines)
	if len(rendered)*tl <= maxAlignCells {
		t.Fatalf("%d × %d lines: not over maxAlignCells", len(rendered), tl)
	}
	got, matched := l.align(rendered, 0)
	// Every rendered line but the actions' (name, the quoted k%50 lines) is
	// matched, each at its own template line.
	want := len(rendered) - 1 - (n/50 - 1) // k0 is at i == 0: 0%50 == 0 too
	if matched != want {
		t.Errorf("greedy alignment matched %d lines, want %d", matched, want)
	}
	prev := 0
	for i, j := range got {
		if j == 0 {
			continue
		}
		if string(rendered[i]) != string(l.lines[j-1]) || j <= prev {
			t.Fatalf("rendered line %d %q matched template line %d %q (after %d)", i+1, rendered[i], j, l.lines[j-1], prev)
		}
		prev = j
	}
	// The line after the skipped if: template line 5 + skipTo + 2.
	after := slices.IndexFunc(rendered, func(b []byte) bool { return string(b) == fmt.Sprintf("  k%d: v", skipTo+1) })
	if after < 0 || got[after] != 5+skipTo+2 {
		t.Errorf("k%d matched template line %d, want %d", skipTo+1, got[after], 5+skipTo+2)
	}
	first, last, _ := l.object(rendered)
	if first != 3 || last != 3+tl-2 {
		t.Errorf("object at lines %d-%d, want 3-%d (the last template line is an action)", first, last, 3+tl-2)
	}
}
