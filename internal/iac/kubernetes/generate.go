package kubernetes

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"maps"
	"path"
	"strings"

	"gopkg.in/yaml.v3"
)

// A kustomization's configMapGenerator and secretGenerator entries are
// built as kustomize builds them: a ConfigMap (Secret) of the literals,
// files and env files named, in the kustomization's namespace, name prefix
// and suffix, with the generator options' labels and annotations;
// `behavior: merge` / `replace` change a generated object of a base. When
// the outermost build ends, a generated object's name takes the hash of
// its content (kustomize's: the first ten hex digits of a SHA-256 of its
// kind, name and data, a few digits replaced by letters) unless
// disableNameSuffixHash, and the workloads' references to it follow.

// kGenerator is a configMapGenerator or secretGenerator entry.
type kGenerator struct {
	Name      string    `yaml:"name"`
	Namespace string    `yaml:"namespace"`
	Behavior  string    `yaml:"behavior"`
	Literals  []string  `yaml:"literals"`
	Files     []string  `yaml:"files"`
	Envs      []string  `yaml:"envs"`
	Env       string    `yaml:"env"`
	Type      string    `yaml:"type"`
	Options   *kGenOpts `yaml:"options"`
}

// kGenOpts are generatorOptions (the kustomization's) or a generator's own
// options.
type kGenOpts struct {
	Labels                map[string]string `yaml:"labels"`
	Annotations           map[string]string `yaml:"annotations"`
	DisableNameSuffixHash bool              `yaml:"disableNameSuffixHash"`
	Immutable             bool              `yaml:"immutable"`
}

// generate adds the objects of the kustomization kz's generators (kf in
// dir) to objs, or merges them into a base's generated object.
func (k *kustomizer) generate(kf, dir string, kz *kustomization, objs []kObject) []kObject {
	for _, g := range []struct {
		kind  string
		nodes []yaml.Node
	}{{"ConfigMap", kz.ConfigMapGenerator}, {"Secret", kz.SecretGenerator}} {
		for i := range g.nodes {
			n := &g.nodes[i]
			var gen kGenerator
			if err := n.Decode(&gen); err != nil {
				k.problem(kf, "%s generator at line %d: %v", g.kind, n.Line, err)
				continue
			}
			if gen.Name == "" {
				k.problem(kf, "%s generator at line %d has no name; not generated", g.kind, n.Line)
				continue
			}
			data, ok := k.generatorData(kf, dir, &gen)
			if !ok {
				continue
			}
			objs = k.addGenerated(kf, g.kind, n, &gen, kz.GeneratorOptions, data, objs)
		}
	}
	return objs
}

// generatorData reads a generator's key-value pairs (literals, then files,
// then env files); ok is false when one cannot be read (reported).
func (k *kustomizer) generatorData(kf, dir string, gen *kGenerator) (map[string]string, bool) {
	data := map[string]string{}
	for _, l := range gen.Literals {
		key, val, found := strings.Cut(l, "=")
		if !found || key == "" {
			k.problem(kf, "generator %s: literal %q is not KEY=VALUE; not generated", gen.Name, l)
			return nil, false
		}
		data[key] = unquote(val)
	}
	read := func(f string) (string, bool) {
		p, ok := k.local(kf, dir, "generator file", f)
		if !ok {
			return "", false
		}
		b, err := k.load(p)
		if err != nil {
			k.problem(kf, "generator %s: %v; not generated", gen.Name, err)
			return "", false
		}
		k.used[p] = true
		return string(b), true
	}
	for _, f := range gen.Files {
		key, file, named := strings.Cut(f, "=")
		if !named {
			key, file = path.Base(f), f
		}
		text, ok := read(file)
		if !ok {
			return nil, false
		}
		data[key] = text
	}
	envs := gen.Envs
	if gen.Env != "" {
		envs = append(envs, gen.Env)
	}
	for _, f := range envs {
		text, ok := read(f)
		if !ok {
			return nil, false
		}
		for _, line := range strings.Split(text, "\n") {
			line = strings.TrimSpace(strings.TrimPrefix(line, "\ufeff"))
			if line == "" || strings.HasPrefix(line, "#") {
				continue
			}
			key, val, found := strings.Cut(line, "=")
			if !found {
				continue // a name alone takes its value from kustomize's environment
			}
			data[key] = unquote(val)
		}
	}
	return data, true
}

// unquote removes the quotes around a literal's value, as kustomize does.
func unquote(v string) string {
	if len(v) >= 2 && (v[0] == '"' || v[0] == '\'') && v[len(v)-1] == v[0] {
		return v[1 : len(v)-1]
	}
	return v
}

// addGenerated adds (or merges into a base's) the object of the generator
// gen of kind, whose entry is n in kf.
func (k *kustomizer) addGenerated(kf, kind string, n *yaml.Node, gen *kGenerator, global *kGenOpts, data map[string]string, objs []kObject) []kObject {
	opts := kGenOpts{Labels: map[string]string{}, Annotations: map[string]string{}}
	for _, o := range []*kGenOpts{global, gen.Options} {
		if o != nil {
			maps.Copy(opts.Labels, o.Labels)
			maps.Copy(opts.Annotations, o.Annotations)
			opts.DisableNameSuffixHash = opts.DisableNameSuffixHash || o.DisableNameSuffixHash
			opts.Immutable = opts.Immutable || o.Immutable
		}
	}
	values := map[string]any{}
	for key, v := range data {
		if kind == "Secret" {
			v = base64.StdEncoding.EncodeToString([]byte(v))
		}
		values[key] = v
	}
	existing := -1
	for i, o := range objs {
		if o.obj.Kind() == kind && o.obj.Name() == gen.Name && (gen.Namespace == "" || o.obj.Namespace() == gen.Namespace) {
			existing = i
		}
	}
	switch gen.Behavior {
	case "merge", "replace":
		if existing < 0 {
			k.problem(kf, "generator %s: behavior %s, but no %s %s among the kustomization's resources", gen.Name, gen.Behavior, kind, gen.Name)
			return objs
		}
		f := objs[existing].obj.Fields
		old, _ := f["data"].(map[string]any)
		if gen.Behavior == "merge" && old != nil {
			merged := maps.Clone(old)
			maps.Copy(merged, values)
			values = merged
		}
		if len(values) > 0 {
			f["data"] = values
		} else {
			delete(f, "data")
		}
		md, _ := f["metadata"].(map[string]any)
		for key, set := range map[string]map[string]string{"labels": opts.Labels, "annotations": opts.Annotations} {
			if len(set) == 0 || md == nil {
				continue
			}
			m, _ := md[key].(map[string]any)
			if m == nil {
				m = map[string]any{}
			}
			for a, b := range set {
				m[a] = b
			}
			md[key] = m
		}
		return objs
	case "", "create":
	default:
		k.problem(kf, "generator %s: behavior %q is not create, merge or replace; not generated", gen.Name, gen.Behavior)
		return objs
	}
	if existing >= 0 {
		k.problem(kf, "generator %s: a %s of that name is already among the kustomization's resources (behavior merge or replace changes it); not generated", gen.Name, kind)
		return objs
	}
	md := map[string]any{"name": gen.Name}
	if gen.Namespace != "" {
		md["namespace"] = gen.Namespace
	}
	for key, set := range map[string]map[string]string{"labels": opts.Labels, "annotations": opts.Annotations} {
		if len(set) > 0 {
			m := map[string]any{}
			for a, b := range set {
				m[a] = b
			}
			md[key] = m
		}
	}
	f := map[string]any{"apiVersion": "v1", "kind": kind, "metadata": md}
	if len(values) > 0 {
		f["data"] = values
	}
	if kind == "Secret" {
		f["type"] = orString(gen.Type, "Opaque")
	}
	if opts.Immutable {
		f["immutable"] = true
	}
	return append(objs, kObject{file: kf, obj: Object{Fields: f, StartLine: n.Line, EndLine: lastLine(n, 0)}, hash: !opts.DisableNameSuffixHash})
}

// nameHash is kustomize's hash of a ConfigMap or Secret (api/hasher): over
// the JSON of its kind, name and data (and a Secret's type; binaryData and
// stringData when they are maps), the first ten hex digits of its SHA-256
// with 0, 1, 3, a and e replaced by g, h, k, m and t.
func nameHash(f map[string]any) string {
	md, _ := f["metadata"].(map[string]any)
	field := func(v any) any {
		if v == nil {
			return ""
		}
		return v
	}
	kind, _ := f["kind"].(string)
	m := map[string]any{"kind": kind, "name": field(md["name"]), "data": field(f["data"])}
	extra := "binaryData"
	if kind == "Secret" {
		m["type"] = field(f["type"])
		extra = "stringData"
	}
	if x, ok := f[extra].(map[string]any); ok {
		m[extra] = x
	}
	b, err := json.Marshal(m)
	if err != nil {
		return ""
	}
	sum := sha256.Sum256(b)
	enc := []byte(hex.EncodeToString(sum[:])[:10])
	for i, c := range enc {
		switch c {
		case '0':
			enc[i] = 'g'
		case '1':
			enc[i] = 'h'
		case '3':
			enc[i] = 'k'
		case 'a':
			enc[i] = 'm'
		case 'e':
			enc[i] = 't'
		}
	}
	return string(enc)
}

// hashNames gives the generated objects among objs their hashed names and
// points the references to them (volumes, env, envFrom, projected sources,
// image pull secrets of the same namespace) at the new names.
func hashNames(objs []kObject) {
	renamed := map[refKey]string{}
	for _, o := range objs {
		if !o.hash {
			continue
		}
		md, _ := o.obj.Fields["metadata"].(map[string]any)
		name, _ := md["name"].(string)
		if md == nil || name == "" {
			continue
		}
		h := nameHash(o.obj.Fields)
		if h == "" {
			continue
		}
		md["name"] = name + "-" + h
		renamed[refKey{o.obj.Kind(), o.obj.Namespace(), name}] = name + "-" + h
	}
	followRenames(objs, renamed)
}

// refKey names a ConfigMap or Secret: kind, namespace, name.
type refKey struct{ kind, ns, name string }

// followRenames points the references of objs' pod specs to the ConfigMaps
// and Secrets renamed (old key -> new name), as kustomize's name reference
// transformer does after a prefix, suffix or hash.
func followRenames(objs []kObject, renamed map[refKey]string) {
	if len(renamed) == 0 {
		return
	}
	for _, o := range objs {
		if o.obj.Kind() == "ConfigMap" || o.obj.Kind() == "Secret" {
			continue
		}
		ns := o.obj.Namespace()
		renameRefs(o.obj.Fields, "", func(kind, name string) string {
			if n, ok := renamed[refKey{kind, ns, name}]; ok {
				return n
			}
			return name
		}, 0)
	}
}

// renameRefs rewrites, under v (field is its key in its parent), the names
// of the ConfigMaps and Secrets that pod specs refer to.
func renameRefs(v any, field string, rename func(kind, name string) string, depth int) {
	if depth > maxDepth {
		return
	}
	switch t := v.(type) {
	case map[string]any:
		set := func(kind, key string) {
			if s, ok := t[key].(string); ok && s != "" {
				t[key] = rename(kind, s)
			}
		}
		switch field {
		case "configMap", "configMapRef", "configMapKeyRef":
			set("ConfigMap", "name")
		case "secret":
			set("Secret", "secretName") // a volume
			set("Secret", "name")       // a projected source
		case "secretRef", "secretKeyRef":
			set("Secret", "name")
		}
		for key, x := range t {
			renameRefs(x, key, rename, depth+1)
		}
	case []any:
		for _, x := range t {
			if m, ok := x.(map[string]any); ok && field == "imagePullSecrets" {
				if s, ok := m["name"].(string); ok {
					m["name"] = rename("Secret", s)
				}
				continue
			}
			renameRefs(x, field, rename, depth+1)
		}
	}
}
