package kubernetes

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/source"
)

// TestKustomize builds kustomizations: an overlay's patches (a strategic
// merge patch merging containers by name, JSON 6902 add and remove on a
// list), namespace, name prefix and images; the files read by a build are
// not read alone; a kustomization building on itself and a remote resource
// are reported.
func TestKustomize(t *testing.T) {
	root := t.TempDir()
	files := map[string]string{
		"base/kustomization.yaml": "resources: [app.yaml]\n",
		"base/app.yaml": `apiVersion: apps/v1
kind: Deployment
metadata: {name: app}
spec:
  template:
    spec:
      containers:
        - {name: app, image: example.com/app:1.0, ports: [{containerPort: 80}]}
        - {name: side, image: example.com/side:2.0}
      volumes:
        - {name: data, emptyDir: {}}
`,
		"overlay/kustomization.yaml": `namespace: team
namePrefix: x-
resources: [../base, https://github.com/example/remote//deploy]
images:
  - {name: example.com/app, newName: mirror.example.com/app, digest: "sha256:0123"}
patchesStrategicMerge: [patch.yaml]
patches:
  - target: {kind: Deployment, name: app}
    patch: |-
      - {op: add, path: /spec/template/spec/volumes/-, value: {name: sock, hostPath: {path: /var/run/docker.sock}}}
      - {op: remove, path: /spec/template/spec/volumes/0}
`,
		"overlay/patch.yaml": `apiVersion: apps/v1
kind: Deployment
metadata: {name: app}
spec:
  template:
    spec:
      hostPID: true
      containers:
        - {name: side, securityContext: {privileged: true}}
`,
		"loop/kustomization.yaml":  "resources: [../loop2]\n",
		"loop2/kustomization.yaml": "resources: [../loop]\n",
		"lone.yaml":                "apiVersion: v1\nkind: Pod\nmetadata: {name: lone}\nspec: {containers: [{name: c, image: a:1}]}\n",
	}
	var names []string
	for name, text := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		if Detect(name, []byte(text)) {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	if len(names) != len(files) {
		t.Fatalf("detected %v, want every file (kustomization files without apiVersion too)", names)
	}
	batches := readAll(t, root, names, Options{})
	var ids []string
	var probs []string
	for _, b := range batches {
		for _, r := range b.Resources {
			if r.Type != "Namespace" {
				ids = append(ids, r.ID)
			}
			if r.ID != "overlay > base/app.yaml:Deployment/team/x-app" {
				continue
			}
			w := r.Facts.Workload
			if w == nil || w.HostPID == nil || !*w.HostPID || !slices.Equal(w.Privileged, []string{"side"}) {
				t.Errorf("overlay's app: %+v, want hostPID and side privileged (merged by name)", w)
			}
			var images []string
			for _, c := range w.Containers {
				images = append(images, c.Image)
			}
			if !slices.Equal(images, []string{"mirror.example.com/app@sha256:0123", "example.com/side:2.0"}) {
				t.Errorf("overlay's images %v", images)
			}
			if !slices.Equal(w.HostPaths, []string{"/var/run/docker.sock"}) || !slices.Equal(w.VolumeTypes, []string{"hostPath"}) {
				t.Errorf("volumes %v %v, want the one JSON 6902 added, the first removed", w.HostPaths, w.VolumeTypes)
			}
			if r.Location.File != "base/app.yaml" || r.Location.StartLine != 1 {
				t.Errorf("located at %+v, want the base object", r.Location)
			}
		}
		for _, p := range b.Problems {
			probs = append(probs, p.Error())
		}
	}
	slices.Sort(ids)
	want := []string{"lone.yaml:Pod//lone", "overlay > base/app.yaml:Deployment/team/x-app"}
	if !slices.Equal(ids, want) {
		t.Errorf("resources %v, want %v (the base built by its overlay only, the patch not alone)", ids, want)
	}
	all := strings.Join(probs, "\n")
	for _, w := range []string{"builds on itself", "https://github.com/example/remote//deploy is not in the scanned tree"} {
		if !strings.Contains(all, w) {
			t.Errorf("problems lack %q:\n%s", w, all)
		}
	}
}

// FuzzKustomize builds a kustomization of arbitrary text over an arbitrary
// manifest and patch (strategic merge or JSON 6902): it must not panic nor
// hang, and every object it gives comes from the manifest (or is a
// ConfigMap or Secret of the kustomization's generators).
func FuzzKustomize(f *testing.F) {
	f.Add([]byte("namespace: n\nnamePrefix: p-\nresources: [m.yaml]\npatches:\n  - path: p.yaml\n    target: {kind: Pod}\nimages: [{name: a, newTag: '2'}]\n"),
		[]byte("apiVersion: v1\nkind: Pod\nmetadata: {name: x}\nspec: {containers: [{name: c, image: a:1}], volumes: [{name: v}]}\n"),
		[]byte("- {op: add, path: /spec/volumes/-, value: {name: w}}\n- {op: remove, path: /spec/volumes/0}\n- {op: replace, path: /spec/containers/0/image, value: b}\n"))
	f.Add([]byte("resources: [m.yaml]\npatchesStrategicMerge: [p.yaml]\n"),
		[]byte("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec: {template: {spec: {containers: [{name: c, image: i}]}}}\n"),
		[]byte("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec: {template: {spec: {hostPID: true, containers: [{name: c, securityContext: null}, {name: e}]}}}\n"))
	f.Fuzz(func(t *testing.T, kz, manifest, patch []byte) {
		files := map[string][]byte{"kustomization.yaml": kz, "m.yaml": manifest, "p.yaml": patch}
		k := &kustomizer{used: map[string]bool{}, load: func(f string) ([]byte, error) {
			if d, ok := files[f]; ok {
				return d, nil
			}
			return nil, os.ErrNotExist
		}}
		for _, o := range k.build(".") {
			if o.file != "m.yaml" && !(o.file == "kustomization.yaml" && (o.obj.Kind() == "ConfigMap" || o.obj.Kind() == "Secret")) {
				t.Fatalf("object from %s", o.file)
			}
			b := NewBuilder()
			var batch source.Batch
			b.add(o.file, ". > "+o.file, o.obj, &batch)
		}
	})
}
