package helm

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/vigil-sec/vigil/internal/source"
)

// TestSubchartAliases: a chart using one vendored subchart twice under
// two aliases (dependencies[].alias), each configured by the parent's
// values under its alias and by global values, and a third dependency
// switched off by its condition. Each alias's objects are located in the
// subchart's own template file at the template's lines, with the values
// the parent gives that alias; the disabled one renders nothing.
func TestSubchartAliases(t *testing.T) {
	dir := t.TempDir()
	for name, text := range map[string]string{
		"app/Chart.yaml": `apiVersion: v2
name: app
version: 1.0.0
dependencies:
  - name: web
    version: 0.1.0
    alias: frontend
  - name: web
    version: 0.1.0
    alias: backend
  - name: extra
    version: 0.1.0
    condition: extra.enabled
`,
		"app/values.yaml": `global:
  registry: registry.acme.example
frontend:
  privileged: true
backend:
  privileged: false
extra:
  enabled: false
`,
		"app/charts/web-dir/Chart.yaml":  "apiVersion: v2\nname: web\nversion: 0.1.0\n",
		"app/charts/web-dir/values.yaml": "privileged: false\n",
		"app/charts/web-dir/templates/deployment.yaml": `# the web tier
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}-{{ .Chart.Name }}
spec:
  selector:
    matchLabels: {app: {{ .Chart.Name }}}
  template:
    metadata:
      labels: {app: {{ .Chart.Name }}}
    spec:
      containers:
        - name: web
          image: {{ .Values.global.registry }}/web:1.0
          securityContext:
            privileged: {{ .Values.privileged }}
`,
		"app/charts/extra/Chart.yaml":         "apiVersion: v2\nname: extra\nversion: 0.1.0\n",
		"app/charts/extra/templates/pod.yaml": "apiVersion: v1\nkind: Pod\nmetadata:\n  name: extra\nspec:\n  containers:\n    - name: c\n      image: busybox:1.36\n",
	} {
		writeChartFile(t, dir, name, text)
	}
	var bs []source.Batch
	if err := New(dir, []string{"app/Chart.yaml"}, Options{}).Read(context.Background(), func(b source.Batch) error {
		bs = append(bs, b)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(bs) != 1 || len(bs[0].Problems) > 0 {
		t.Fatalf("batches %d, problems %v", len(bs), bs[0].Problems)
	}
	rs := byID(bs)
	const file = "app/charts/web-dir/templates/deployment.yaml"
	for name, privileged := range map[string]bool{"release-frontend": true, "release-backend": false} {
		d := rs[file+":Deployment//"+name]
		if d == nil {
			t.Errorf("%s not read from %s (IDs %v)", name, file, keys(rs))
			continue
		}
		if d.Location == nil || d.Location.File != file || d.Location.StartLine != 2 || d.Location.EndLine != 17 {
			t.Errorf("%s: location %+v, want %s:2-17", name, d.Location, file)
		}
		w := d.Facts.Workload
		if w == nil || len(w.Containers) != 1 || (len(w.Privileged) == 1) != privileged ||
			w.Containers[0].Image != "registry.acme.example/web:1.0" {
			t.Errorf("%s: workload %+v, want privileged %v from the parent's values", name, w, privileged)
		}
	}
	for id := range rs {
		if filepath.Base(filepath.Dir(filepath.Dir(id))) == "extra" {
			t.Errorf("%s rendered though its condition is false", id)
		}
	}
}

// writeChartFile writes a file of a test chart tree under dir.
func writeChartFile(t *testing.T, dir, name, text string) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}
