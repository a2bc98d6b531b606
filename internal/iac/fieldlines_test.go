package iac

import (
	"context"
	"testing"

	"github.com/vigil-sec/vigil/internal/finding"
	"github.com/vigil-sec/vigil/internal/scan"
)

// TestFieldLines: a failing finding about one field of a Kubernetes object
// points at that field's line (resource.Location.Line): in a manifest, and
// in a Helm template at the template line the field was rendered from (a
// value substituted in the line, or a block written by toYaml), while the
// resource keeps its block's lines; a kustomization's object changed by
// JSON 6902 operations (list indexes) points at its block only.
func TestFieldLines(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"pod.yaml": `apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  hostPID: true
  containers:
    - name: ok
      image: a:1
    - name: bad
      image: a:1
      securityContext:
        privileged: true
      ports:
        - containerPort: 80
          hostPort: 8080
`,
		"chart/Chart.yaml":  "apiVersion: v2\nname: c\nversion: 0.1.0\n",
		"chart/values.yaml": "hostNetwork: true\nsecurityContext:\n  privileged: true\n  capabilities: {add: [NET_ADMIN]}\n",
		"chart/templates/deploy.yaml": `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}-web
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      hostNetwork: {{ .Values.hostNetwork }}
      containers:
        - name: web
          image: example.com/web:1.0
          securityContext:
            {{- toYaml .Values.securityContext | nindent 12 }}
          ports:
            - containerPort: 8080
`,
		"k/kustomization.yaml": "resources: [app.yaml]\npatches:\n  - target: {kind: Pod}\n    patch: |-\n      - {op: add, path: /spec/containers/0/securityContext, value: {privileged: true}}\n",
		"k/app.yaml":           "apiVersion: v1\nkind: Pod\nmetadata: {name: k}\nspec:\n  containers:\n    - name: c\n      image: a:1\n",
	})
	res, err := Scan(context.Background(), builtinEngine(t), Options{Paths: []string{dir}, Scan: scan.Options{Now: testNow,
		Filter: finding.Filter{Rules: []string{"k8s-privileged-container", "k8s-host-pid", "k8s-host-network", "k8s-host-ports", "k8s-capabilities-added"}}}})
	if err != nil {
		t.Fatal(err)
	}
	type at struct{ start, line int }
	got := map[string]at{}
	for _, f := range res.Report.Findings {
		if f.Status == finding.Fail {
			got[f.RuleID+" "+f.Resource.Location.File] = at{f.Resource.Location.StartLine, f.Resource.Location.Line}
		}
	}
	want := map[string]at{
		"k8s-host-pid pod.yaml":                                {1, 5},
		"k8s-privileged-container pod.yaml":                    {1, 12},
		"k8s-host-ports pod.yaml":                              {1, 15},
		"k8s-host-network chart/templates/deploy.yaml":         {1, 10},
		"k8s-privileged-container chart/templates/deploy.yaml": {1, 15},
		"k8s-capabilities-added chart/templates/deploy.yaml":   {1, 15},
		"k8s-privileged-container k/app.yaml":                  {1, 0},
	}
	for k, w := range want {
		if g, ok := got[k]; !ok || g != w {
			t.Errorf("%s: at %+v (found %v), want block line %d, field line %d", k, g, ok, w.start, w.line)
		}
	}
	for _, r := range res.Inventory.Resources {
		if r.Location != nil && r.Location.Line != 0 {
			t.Errorf("resource %s has a field line: only findings' copies do", r.ID)
		}
	}
}
