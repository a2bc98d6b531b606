package kubernetes

import (
	"encoding/base64"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestNameHash: the hashes kustomize's own tests give (api/hasher) for
// ConfigMaps and Secrets with no name.
func TestNameHash(t *testing.T) {
	for _, c := range []struct {
		obj  map[string]any
		want string
	}{
		{map[string]any{"kind": "ConfigMap"}, "6ct58987ht"},
		{map[string]any{"kind": "ConfigMap", "data": map[string]any{"one": ""}}, "9g67k2htb6"},
		{map[string]any{"kind": "ConfigMap", "binaryData": map[string]any{"one": ""}}, "6mtk2m274t"},
		{map[string]any{"kind": "ConfigMap", "data": map[string]any{"one": ""}, "binaryData": map[string]any{"two": ""}}, "698h7c7t9m"},
		{map[string]any{"kind": "Secret", "type": "my-type"}, "5gmgkf8578"},
		{map[string]any{"kind": "Secret", "type": "my-type", "data": map[string]any{"one": ""}}, "74bd68bm66"},
		{map[string]any{"kind": "Secret", "type": "my-type", "data": map[string]any{"one": ""}, "stringData": map[string]any{"two": 2}}, "c4h4264gdb"},
	} {
		if got := nameHash(c.obj); got != c.want {
			t.Errorf("nameHash(%v) = %q, want %q", c.obj, got, c.want)
		}
	}
}

// TestKustomizeGenerators: configMapGenerator and secretGenerator (literals,
// files, env files, generatorOptions, a base's generated ConfigMap merged by
// an overlay) and a component are built: the generated objects take the
// overlay's namespace and prefix and a hash of their content, the
// workload's references follow, the component's patch applies to the
// objects accumulated before it, and nothing is reported as not applied.
func TestKustomizeGenerators(t *testing.T) {
	root := t.TempDir()
	files := map[string]string{
		"base/kustomization.yaml": `resources: [app.yaml]
generatorOptions:
  labels: {team: web}
configMapGenerator:
  - name: app-config
    literals: [LOG_LEVEL=info, "GREETING='hello world'"]
    files: [settings.yaml, motd=banner.txt]
secretGenerator:
  - name: app-creds
    envs: [creds.env]
  - name: registry
    type: kubernetes.io/dockerconfigjson
    files: [.dockerconfigjson=docker.json]
    options: {disableNameSuffixHash: true}
`,
		"base/app.yaml": `apiVersion: apps/v1
kind: Deployment
metadata: {name: app}
spec:
  template:
    spec:
      imagePullSecrets: [{name: registry}]
      containers:
        - name: app
          image: example.com/app:1.0
          envFrom: [{configMapRef: {name: app-config}}]
          env:
            - name: DB_PASSWORD
              valueFrom: {secretKeyRef: {name: app-creds, key: password}}
      volumes:
        - {name: settings, configMap: {name: app-config}}
        - {name: creds, secret: {secretName: app-creds}}
        - name: both
          projected:
            sources: [{configMap: {name: app-config}}, {secret: {name: other}}]
`,
		"base/settings.yaml": "apiVersion: example.com/v1\nkind: Settings\nmetadata: {name: not-a-manifest-here}\n",
		"base/banner.txt":    "welcome\n",
		"base/creds.env":     "# database\nusername=app\npassword=\"s3cret\"\nFROM_ENV\n",
		"base/docker.json":   "{}",
		"prod/kustomization.yaml": `namespace: prod
namePrefix: p-
resources: [../base]
components: [../hardening]
configMapGenerator:
  - name: app-config
    behavior: merge
    literals: [LOG_LEVEL=warn]
`,
		"hardening/kustomization.yaml": `apiVersion: kustomize.config.k8s.io/v1alpha1
kind: Component
patches:
  - target: {kind: Deployment}
    patch: |-
      - {op: add, path: /spec/template/spec/containers/0/securityContext, value: {privileged: true}}
`,
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
		names = append(names, name)
	}
	slices.Sort(names)
	k := &kustomizer{used: map[string]bool{}, load: func(f string) ([]byte, error) {
		return os.ReadFile(filepath.Join(root, filepath.FromSlash(f)))
	}}
	if roots := k.roots(names); !slices.Equal(roots, []string{"prod"}) {
		t.Fatalf("roots %v, want [prod] (the component and the base are built by it)", roots)
	}
	objs := k.build("prod")
	for _, p := range k.probs {
		t.Errorf("problem: %+v", p)
	}
	for _, f := range []string{"base/settings.yaml", "base/banner.txt", "base/creds.env", "base/docker.json", "hardening/kustomization.yaml"} {
		if !k.used[f] {
			t.Errorf("%s is not marked read by the build (it would be read alone)", f)
		}
	}
	byKind := map[string][]kObject{}
	for _, o := range objs {
		byKind[o.obj.Kind()] = append(byKind[o.obj.Kind()], o)
	}
	if len(byKind["ConfigMap"]) != 1 || len(byKind["Secret"]) != 2 || len(byKind["Deployment"]) != 1 {
		t.Fatalf("objects %v", byKind)
	}
	cm := byKind["ConfigMap"][0]
	data, _ := cm.obj.Fields["data"].(map[string]any)
	want := map[string]any{"LOG_LEVEL": "warn", "GREETING": "hello world", "settings.yaml": files["base/settings.yaml"], "motd": "welcome\n"}
	if len(data) != len(want) {
		t.Errorf("ConfigMap data %v, want %v", data, want)
	}
	for k, v := range want {
		if data[k] != v {
			t.Errorf("ConfigMap data[%s] = %v, want %v", k, data[k], v)
		}
	}
	cmName := cm.obj.Name()
	if h := nameHash(map[string]any{"kind": "ConfigMap", "metadata": map[string]any{"name": "p-app-config"}, "data": data}); cmName != "p-app-config-"+h || cm.obj.Namespace() != "prod" {
		t.Errorf("ConfigMap %s/%s, want prod/p-app-config-%s (prefixed, then hashed)", cm.obj.Namespace(), cmName, h)
	}
	if cm.file != "base/kustomization.yaml" || cm.obj.StartLine != 5 {
		t.Errorf("ConfigMap located at %s:%d, want its generator at base/kustomization.yaml:5", cm.file, cm.obj.StartLine)
	}
	if md, _ := cm.obj.Fields["metadata"].(map[string]any); md["labels"].(map[string]any)["team"] != "web" {
		t.Errorf("ConfigMap metadata %v: want generatorOptions' labels", md)
	}
	secrets := map[string]kObject{}
	for _, s := range byKind["Secret"] {
		secrets[strings.SplitN(s.obj.Name(), "-", 3)[1]] = s
	}
	creds, registry := secrets["app"], secrets["registry"]
	cd, _ := creds.obj.Fields["data"].(map[string]any)
	if cd["password"] != base64.StdEncoding.EncodeToString([]byte("s3cret")) || cd["username"] != base64.StdEncoding.EncodeToString([]byte("app")) || len(cd) != 2 {
		t.Errorf("Secret data %v: want the env file's pairs, base64", cd)
	}
	if !strings.HasPrefix(creds.obj.Name(), "p-app-creds-") || len(creds.obj.Name()) != len("p-app-creds-")+10 || creds.obj.Fields["type"] != "Opaque" {
		t.Errorf("Secret %s of type %v", creds.obj.Name(), creds.obj.Fields["type"])
	}
	if registry.obj.Name() != "p-registry" || registry.obj.Fields["type"] != "kubernetes.io/dockerconfigjson" {
		t.Errorf("Secret %s of type %v: want p-registry (no hash suffix)", registry.obj.Name(), registry.obj.Fields["type"])
	}
	d := byKind["Deployment"][0].obj
	spec := d.Fields["spec"].(map[string]any)["template"].(map[string]any)["spec"].(map[string]any)
	c := spec["containers"].([]any)[0].(map[string]any)
	refs := []string{
		c["envFrom"].([]any)[0].(map[string]any)["configMapRef"].(map[string]any)["name"].(string),
		spec["volumes"].([]any)[0].(map[string]any)["configMap"].(map[string]any)["name"].(string),
		spec["volumes"].([]any)[2].(map[string]any)["projected"].(map[string]any)["sources"].([]any)[0].(map[string]any)["configMap"].(map[string]any)["name"].(string),
		c["env"].([]any)[0].(map[string]any)["valueFrom"].(map[string]any)["secretKeyRef"].(map[string]any)["name"].(string),
		spec["volumes"].([]any)[1].(map[string]any)["secret"].(map[string]any)["secretName"].(string),
		spec["volumes"].([]any)[2].(map[string]any)["projected"].(map[string]any)["sources"].([]any)[1].(map[string]any)["secret"].(map[string]any)["name"].(string),
		spec["imagePullSecrets"].([]any)[0].(map[string]any)["name"].(string),
	}
	if wantRefs := []string{cmName, cmName, cmName, creds.obj.Name(), creds.obj.Name(), "other", "p-registry"}; !slices.Equal(refs, wantRefs) {
		t.Errorf("references %v, want %v", refs, wantRefs)
	}
	if sc, _ := c["securityContext"].(map[string]any); sc["privileged"] != true {
		t.Errorf("the component's patch is not applied: %v", c)
	}
}
