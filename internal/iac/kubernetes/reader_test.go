package kubernetes

import (
	"bytes"
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

	"github.com/vigil-sec/vigil/internal/resource"
	"github.com/vigil-sec/vigil/internal/source"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// readAll runs the reader over files under root and returns its batches.
func readAll(t testing.TB, root string, files []string, opts Options) []source.Batch {
	t.Helper()
	var out []source.Batch
	err := New(root, files, opts).Read(context.Background(), func(b source.Batch) error {
		out = append(out, b)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func manifestFiles(t testing.TB, root string) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		files = append(files, filepath.ToSlash(rel))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(files)
	return files
}

// golden compares got (as indented JSON) with testdata/<name>; -update rewrites it.
func golden(t *testing.T, name string, got any) {
	t.Helper()
	data, err := json.MarshalIndent(got, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	data = append(data, '\n')
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/iac/kubernetes -run Golden -update)", err)
	}
	if !bytes.Equal(want, data) {
		t.Errorf("%s differs from the reader's output (run go test ./internal/iac/kubernetes -run Golden -update and review the diff):\n%s", path, firstDiff(string(want), string(data)))
	}
}

func firstDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < len(al) && i < len(bl); i++ {
		if al[i] != bl[i] {
			return fmt.Sprintf("line %d:\n  want %s\n  got  %s", i+1, al[i], bl[i])
		}
	}
	return fmt.Sprintf("lengths differ: %d and %d lines", len(al), len(bl))
}

// TestGoldenManifests reads the fixtures (a workload breaking most
// controls, a hardened one, a JSON List, a file with a document that does
// not parse) and compares every batch with testdata/golden.json.
func TestGoldenManifests(t *testing.T) {
	root := filepath.Join("testdata", "manifests")
	batches := readAll(t, root, manifestFiles(t, root), Options{})
	golden(t, "golden.json", batches)

	// What the golden file must show, so an -update cannot bless a regression.
	byID := map[string]*resource.Resource{}
	var probs []source.Problem
	for _, b := range batches {
		for _, r := range b.Resources {
			if byID[r.ID] != nil {
				t.Errorf("ID %s is emitted twice", r.ID)
			}
			byID[r.ID] = r
		}
		probs = append(probs, b.Problems...)
	}
	web := byID["bad.yaml:Deployment/shop/web"]
	if web == nil {
		t.Fatalf("no Deployment web; IDs: %v", keys(byID))
	}
	if web.Type != "Deployment.apps" || web.Account != "shop" || web.Provider != resource.K8s || web.Location.StartLine != 7 || web.Location.EndLine != 64 {
		t.Errorf("web: type %s account %s provider %s location %+v", web.Type, web.Account, web.Provider, web.Location)
	}
	w := web.Facts.Workload
	if !slices.Equal(w.Privileged, []string{"setup"}) || !slices.Equal(w.RunAsRootUser, []string{"setup", "web"}) || *w.HostNetwork != true ||
		!slices.Equal(w.HostPaths, []string{"/var/run/docker.sock"}) || len(w.HostPorts) != 1 || w.HostPorts[0].Port != 8080 {
		t.Errorf("web workload facts: %+v", w)
	}
	if ns := byID["bad.yaml:Namespace//shop"]; ns == nil || *ns.Facts.Namespace.DefaultDenyIngress || *ns.Facts.Namespace.Workloads != 1 {
		t.Errorf("namespace shop: %+v", ns)
	}
	if ns := byID["good.yaml:Namespace//billing"]; ns == nil || !*ns.Facts.Namespace.DefaultDenyIngress || !*ns.Facts.Namespace.DefaultDenyEgress {
		t.Errorf("namespace billing: %+v", ns)
	}
	if agg := byID["broken.yaml:ClusterRole//aggregated"]; agg == nil || agg.Facts.RBAC.Rules != nil {
		t.Errorf("an aggregated ClusterRole's rules are the controller's, unknown: %+v", agg)
	}
	debug := byID["list.json:Pod/ops/debug"]
	if debug == nil || debug.Facts.Workload.Privileged != nil || !*debug.Facts.Workload.HostIPC {
		t.Errorf("list item debug: privileged of the wrong type must be unknown: %+v", debug)
	}
	wantProbs := []string{"broken.yaml:12: yaml: ", "list.json:5: Pod/ops/debug: spec.containers[0].securityContext.privileged: is a string, want a boolean"}
	for _, w := range wantProbs {
		if !slices.ContainsFunc(probs, func(p source.Problem) bool { return strings.HasPrefix(p.Error(), w) }) {
			t.Errorf("no problem %q among %v", w, probs)
		}
	}
	if byID["broken.yaml:Service//first"] == nil {
		t.Error("the document before the one that does not parse was not read")
	}
}

func keys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// TestNamespaceOption: with Options.Namespace, namespaced objects that
// name none are in it (kubectl -n); cluster-scoped ones stay without.
func TestNamespaceOption(t *testing.T) {
	bs := readAll(t, filepath.Join("testdata", "manifests"), []string{"broken.yaml"}, Options{Namespace: "team"})
	rs := map[string]*resource.Resource{}
	for _, b := range bs {
		for _, r := range b.Resources {
			rs[r.ID] = r
		}
	}
	if svc := rs["broken.yaml:Service/team/first"]; svc == nil || svc.Account != "team" || svc.Facts.K8sService.Namespace != "team" {
		t.Errorf("service in the default namespace: %+v (IDs %v)", svc, keys(rs))
	}
	if cr := rs["broken.yaml:ClusterRole//aggregated"]; cr == nil || cr.Account != "" {
		t.Errorf("cluster role: %+v", cr)
	}
}

// TestNoContainers: a pod spec without containers, or a container without
// an image (a Helm value that rendered nothing), leaves the container facts
// unknown, with a problem.
func TestNoContainers(t *testing.T) {
	b := NewBuilder()
	var batch source.Batch
	b.AddFile("p.yaml", []byte("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  template:\n    spec:\n      hostPID: true\n      containers: []\n"), &batch)
	if len(batch.Resources) != 1 || len(batch.Problems) != 1 || !strings.Contains(batch.Problems[0].Error(), "spec.template.spec.containers: the pod spec has no containers") {
		t.Fatalf("resources %d, problems %v", len(batch.Resources), batch.Problems)
	}
	var noImage source.Batch
	NewBuilder().AddFile("q.yaml", []byte("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n    - name: c\n      image: \"\"\n"), &noImage)
	if len(noImage.Resources) != 1 || noImage.Resources[0].Facts.Workload.Containers != nil || len(noImage.Problems) != 1 || !strings.Contains(noImage.Problems[0].Err, "spec.containers[0].image: no image") {
		t.Errorf("container without an image: %+v, problems %v", noImage.Resources, noImage.Problems)
	}
	w := batch.Resources[0].Facts.Workload
	if w.Privileged != nil || w.RunAsNonRootUnset != nil || w.HostPID == nil || !*w.HostPID {
		t.Errorf("facts %+v: container facts must be unknown, pod facts known", w)
	}
}

// TestDuplicateObject: an object defined twice in a file keeps both
// resources under distinct IDs and is reported.
func TestDuplicateObject(t *testing.T) {
	b := NewBuilder()
	var batch source.Batch
	doc := "apiVersion: v1\nkind: Service\nmetadata: {name: s, namespace: a}\n"
	b.AddFile("dir#1/s.yaml", []byte(doc+"---\n"+doc+"---\n"+doc), &batch)
	var ids []string
	for _, r := range batch.Resources {
		ids = append(ids, r.ID)
	}
	want := []string{"dir#1/s.yaml:Service/a/s", "dir#1/s.yaml:Service/a/s#2", "dir#1/s.yaml:Service/a/s#3"}
	if !slices.Equal(ids, want) || len(batch.Problems) != 2 || batch.Problems[0].Line != 5 {
		t.Errorf("IDs %v, want %v; problems %v", ids, want, batch.Problems)
	}
}

// TestExtensionControllers: an Argo Rollout's pod template is read as a
// workload's.
func TestExtensionControllers(t *testing.T) {
	b := NewBuilder()
	var batch source.Batch
	b.AddFile("r.yaml", []byte("apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata: {name: r}\nspec:\n  template:\n    spec:\n      hostPID: true\n      containers: [{name: c, image: x}]\n"), &batch)
	if len(batch.Resources) != 1 || batch.Resources[0].Type != "Rollout.argoproj.io" || batch.Resources[0].Class != resource.ClassKubernetesWorkload || !*batch.Resources[0].Facts.Workload.HostPID {
		t.Errorf("rollout: %+v, problems %v", batch.Resources, batch.Problems)
	}
}

func TestDetect(t *testing.T) {
	for _, c := range []struct {
		path, head string
		want       bool
	}{
		{"k8s/deploy.yaml", "# comment\napiVersion: apps/v1\nkind: Deployment\n", true},
		{"a/b.yml", "---\nkind: Service\napiVersion: v1\n", true},
		{"list.json", `{"apiVersion": "v1", "kind": "List", "items": []}`, true},
		{"cfn.yaml", "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  B:\n    Type: AWS::S3::Bucket\n", false},
		{"compose.yaml", "services:\n  web:\n    image: nginx\n", false},
		{"azuredeploy.json", `{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "resources": [{"apiVersion": "2023-01-01", "kind": "StorageV2"}]}`, false},
		{"chart/Chart.yaml", "apiVersion: v2\nname: web\nversion: 1.0.0\n", false},
		{"nested.yaml", "spec:\n  apiVersion: v1\n  kind: Pod\n", false},
		{"main.tf", "apiVersion: v1\nkind: Pod\n", false},
		{"get-all.yaml", "apiVersion: v1\nitems:\n- apiVersion: apps/v1\n  kind: Deployment\n", true},
		{"get-cm.yaml", "apiVersion: v1\ndata:\n  big: x\n", false},
		{"get-all.json", `{"apiVersion": "v1", "items": [{"apiVersion": "apps/v1", "kind": "Deploym`, true},
		{"cm.yaml", "apiVersion: v1\ndata:\n  big: x\nkind: ConfigMap\nmetadata: {name: x}\n", true},
	} {
		if got := Detect(c.path, []byte(c.head)); got != c.want {
			t.Errorf("Detect(%s) = %v, want %v", c.path, got, c.want)
		}
	}
}

// TestBadInput: hostile or broken manifests are reported with file and
// line, neither hang nor crash, and the rest is read.
func TestBadInput(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// Billion laughs: 9 levels of 9 aliases expand to 9^9 values.
	var bomb strings.Builder
	bomb.WriteString("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: bomb}\ndata:\n  a0: &a0 [\"lol\"]\n")
	for i := 1; i <= 9; i++ {
		fmt.Fprintf(&bomb, "  a%d: &a%d [", i, i)
		for j := 0; j < 9; j++ {
			if j > 0 {
				bomb.WriteString(", ")
			}
			fmt.Fprintf(&bomb, "*a%d", i-1)
		}
		bomb.WriteString("]\n")
	}
	write("bomb.yaml", bomb.String()+"---\napiVersion: v1\nkind: Service\nmetadata: {name: after-bomb}\n")
	write("deep.yaml", "apiVersion: v1\nkind: Pod\nmetadata: {name: deep}\nspec: "+strings.Repeat("[", 5000)+strings.Repeat("]", 5000)+"\n")
	write("deepmap.yaml", "apiVersion: v1\nkind: Pod\nmetadata: {name: deepmap}\nspec:\n"+deepMap(300))
	write("scalar.yaml", "just a string\n")
	write("nokind.yaml", "apiVersion: v1\nmetadata: {name: x}\n")
	// A manifest of 50 MB: over the default limit, reported and not read.
	var big bytes.Buffer
	for i := 0; big.Len() < 50<<20; i++ {
		fmt.Fprintf(&big, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x%d}\ndata: {k: v}\n---\n", i)
	}
	write("big.yaml", big.String())
	write("ok.yaml", "apiVersion: v1\nkind: Service\nmetadata: {name: ok, namespace: a}\nspec: {type: NodePort}\n")

	start := time.Now()
	batches := readAll(t, dir, []string{"big.yaml", "bomb.yaml", "deep.yaml", "deepmap.yaml", "missing.yaml", "nokind.yaml", "ok.yaml", "scalar.yaml"}, Options{})
	if d := time.Since(start); d > 20*time.Second {
		t.Errorf("reading the bad input took %v", d)
	}
	problems := map[string]string{}
	ids := map[string]bool{}
	for _, b := range batches {
		for _, p := range b.Problems {
			problems[p.Path] += p.Error() + "\n"
		}
		for _, r := range b.Resources {
			ids[r.ID] = true
		}
	}
	for file, want := range map[string]string{
		"big.yaml":     "big.yaml: file is larger than 20 MiB; not read",
		"bomb.yaml":    "bomb.yaml:1: document expands to more than 1000000 values",
		"deep.yaml":    "deep.yaml:",
		"deepmap.yaml": "nested deeper than 200 levels",
		"missing.yaml": "missing.yaml: no such file or directory",
		"nokind.yaml":  "nokind.yaml:1: document has no apiVersion or kind",
		"scalar.yaml":  "scalar.yaml:1: document is not a mapping",
	} {
		if !strings.Contains(problems[file], want) {
			t.Errorf("%s: problems %q, want one containing %q", file, problems[file], want)
		}
	}
	if !ids["ok.yaml:Service/a/ok"] || !ids["bomb.yaml:Service//after-bomb"] {
		t.Errorf("the good objects were not all read: %v", ids)
	}
	// A larger limit reads the 50 MB file.
	if testing.Short() {
		return
	}
	start = time.Now()
	batches = readAll(t, dir, []string{"big.yaml"}, Options{MaxFileBytes: 64 << 20})
	t.Logf("50 MB manifest read in %v", time.Since(start))
	if len(batches) != 1 || len(batches[0].Problems) != 0 || len(batches[0].Unsupported) < 500_000 {
		t.Errorf("50 MB file with a larger limit: %d batches, %d problems, %d objects", len(batches), len(batches[0].Problems), len(batches[0].Unsupported))
	}
}

func deepMap(n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		b.WriteString(strings.Repeat(" ", i+2) + "k:\n")
	}
	b.WriteString(strings.Repeat(" ", n+2) + "v\n")
	return b.String()
}

func TestParseImage(t *testing.T) {
	for _, c := range []struct{ ref, reg, tag, digest string }{
		{"nginx", "docker.io", "", ""},
		{"nginx:1.27", "docker.io", "1.27", ""},
		{"library/nginx:latest", "docker.io", "latest", ""},
		{"ghcr.io/a/b:v1@sha256:00", "ghcr.io", "v1", "sha256:00"},
		{"registry.example.com:5000/tools/report", "registry.example.com:5000", "", ""},
		{"localhost/app:dev", "localhost", "dev", ""},
		{"quay.io/x@sha256:ff", "quay.io", "", "sha256:ff"},
	} {
		reg, tag, dg := ParseImage(c.ref)
		if reg != c.reg || tag != c.tag || dg != c.digest {
			t.Errorf("ParseImage(%s) = %s %s %s, want %s %s %s", c.ref, reg, tag, dg, c.reg, c.tag, c.digest)
		}
	}
}

func TestSplitDocuments(t *testing.T) {
	docs := SplitDocuments([]byte("a: 1\n---\nb: 2\n--- {c: 3}\n...\n"))
	var got []string
	for _, d := range docs {
		got = append(got, fmt.Sprintf("%d:%q", d.Line, d.Text))
	}
	want := []string{`1:"a: 1\n"`, `3:"b: 2\n"`, `4:"{c: 3}\n"`, `6:""`}
	if !slices.Equal(got, want) {
		t.Errorf("SplitDocuments = %v, want %v", got, want)
	}
}

// FuzzManifest feeds arbitrary manifests to the parser and the mapping:
// they must not panic, and every object they return is located in the file.
func FuzzManifest(f *testing.F) {
	for _, dir := range []string{filepath.Join("testdata", "manifests"), filepath.Join("testdata", "fuzz-seeds")} {
		files, _ := filepath.Glob(filepath.Join(dir, "*"))
		for _, p := range files {
			data, err := os.ReadFile(p)
			if err == nil {
				f.Add(data)
			}
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		lines := bytes.Count(data, []byte("\n")) + 1
		b := NewBuilder()
		var batch source.Batch
		b.AddFile("f.yaml", data, &batch)
		rs := append(batch.Resources, b.Namespaces()...)
		for _, r := range rs {
			if r.Location == nil || r.Location.StartLine < 1 || r.Location.EndLine < r.Location.StartLine || r.Location.EndLine > lines {
				t.Fatalf("%s: location %+v outside the %d lines", r.ID, r.Location, lines)
			}
		}
		for _, p := range batch.Problems {
			if p.Line > lines {
				t.Fatalf("problem %v beyond line %d", p, lines)
			}
		}
	})
}

// BenchmarkRead reads a generated tree of manifests (each file a
// Deployment, a Service and a Role).
func BenchmarkRead(b *testing.B) {
	dir := b.TempDir()
	good, err := os.ReadFile(filepath.Join("testdata", "manifests", "good.yaml"))
	if err != nil {
		b.Fatal(err)
	}
	var files []string
	var size int64
	for i := range 200 {
		name := fmt.Sprintf("app%03d.yaml", i)
		data := bytes.ReplaceAll(good, []byte("billing"), []byte(fmt.Sprintf("ns%d", i)))
		size += int64(len(data))
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			b.Fatal(err)
		}
		files = append(files, name)
	}
	b.SetBytes(size)
	b.ResetTimer()
	for b.Loop() {
		n := 0
		for _, bt := range readAll(b, dir, files, Options{}) {
			n += len(bt.Resources)
		}
		if n != 200*5 {
			b.Fatalf("%d resources", n)
		}
	}
	b.ReportMetric(float64(len(files)*b.N)/b.Elapsed().Seconds(), "files/s")
}
