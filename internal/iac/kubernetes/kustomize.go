package kubernetes

import (
	"fmt"
	"path"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/vigil-sec/vigil/internal/source"
)

// A kustomization directory (kustomization.yaml) is built the way
// `kustomize build` builds it, for the parts that decide what the rules
// judge: its resources (manifest files and other kustomization
// directories), strategic merge and JSON 6902 patches (in files or inline),
// namespace, namePrefix / nameSuffix, images, components (kind: Component,
// applied to the objects accumulated before them) and the ConfigMap and
// Secret generators (generate.go). Replacements, Helm charts and remote
// resources are not applied (a warning says so). Each kustomization no other one in the tree builds on
// (an overlay, or a base used alone) gives its objects, located at the
// object of the resource file each comes from; the files it reads are not
// read alone.

// kustomizationNames are the file names kustomize reads in a directory.
var kustomizationNames = []string{"kustomization.yaml", "kustomization.yml", "Kustomization"}

// isKustomization reports whether the file p is a kustomization file.
func isKustomization(p string) bool { return slices.Contains(kustomizationNames, path.Base(p)) }

// maxKustomizeDepth bounds a chain of kustomizations building on others.
const maxKustomizeDepth = 16

type kTarget struct {
	Kind string `yaml:"kind"`
	Name string `yaml:"name"`
}

type kPatch struct {
	Path   string   `yaml:"path"`
	Patch  string   `yaml:"patch"`
	Target *kTarget `yaml:"target"`
}

type kustomization struct {
	Namespace             string   `yaml:"namespace"`
	NamePrefix            string   `yaml:"namePrefix"`
	NameSuffix            string   `yaml:"nameSuffix"`
	Resources             []string `yaml:"resources"`
	Bases                 []string `yaml:"bases"`
	Components            []string `yaml:"components"`
	PatchesStrategicMerge []string `yaml:"patchesStrategicMerge"`
	PatchesJSON6902       []kPatch `yaml:"patchesJson6902"`
	Patches               []kPatch `yaml:"patches"`
	Images                []struct {
		Name    string `yaml:"name"`
		NewName string `yaml:"newName"`
		NewTag  string `yaml:"newTag"`
		Digest  string `yaml:"digest"`
	} `yaml:"images"`
	HelmCharts         []any       `yaml:"helmCharts"`
	ConfigMapGenerator []yaml.Node `yaml:"configMapGenerator"`
	SecretGenerator    []yaml.Node `yaml:"secretGenerator"`
	GeneratorOptions   *kGenOpts   `yaml:"generatorOptions"`
	Replacements       []any       `yaml:"replacements"`
}

// kObject is an object a kustomization builds and the file it comes from.
type kObject struct {
	file string
	obj  Object
	// hash: a generated ConfigMap or Secret whose name takes the hash of
	// its content when the outermost build ends (generate.go).
	hash bool
}

// kustomizer builds the tree's kustomizations.
type kustomizer struct {
	load func(file string) ([]byte, error)
	// used are the files a build read (resource files, patches,
	// kustomization files), which are not read alone.
	used  map[string]bool
	probs []source.Problem
}

// roots are the directories of the kustomization files among files that
// no other kustomization of the tree builds on, in the files' order (the
// rest, built by those, are used once built; see unbuilt).
func (k *kustomizer) roots(files []string) []string {
	var dirs []string
	referenced := map[string]bool{}
	for _, f := range files {
		if !isKustomization(f) {
			continue
		}
		dir := path.Dir(f)
		dirs = append(dirs, dir)
		kz, err := k.read(f)
		if err != nil {
			continue
		}
		for _, r := range slices.Concat(kz.Resources, kz.Bases, kz.Components) {
			referenced[path.Clean(path.Join(dir, r))] = true
		}
	}
	var out []string
	for _, d := range dirs {
		if !referenced[d] {
			out = append(out, d)
		}
	}
	return out
}

func (k *kustomizer) read(file string) (*kustomization, error) {
	data, err := k.load(file)
	if err != nil {
		return nil, err
	}
	var kz kustomization
	if err := yaml.Unmarshal(data, &kz); err != nil {
		return nil, err
	}
	return &kz, nil
}

func (k *kustomizer) problem(file, format string, args ...any) {
	k.probs = append(k.probs, source.Problem{Path: file, Err: fmt.Sprintf(format, args...)})
}

func (k *kustomizer) warn(file, format string, args ...any) {
	k.problem(file, format, args...)
	k.probs[len(k.probs)-1].Warning = true
}

// kustomizationFile is the kustomization file of dir, "" when none loads.
func (k *kustomizer) kustomizationFile(dir string) string {
	for _, name := range kustomizationNames {
		f := path.Join(dir, name)
		if _, err := k.load(f); err == nil {
			return f
		}
	}
	return ""
}

// build builds the kustomization of dir, as the outermost build: the
// generated objects' names take their hashes and the references to them
// follow.
func (k *kustomizer) build(dir string) []kObject {
	objs := k.accumulate(dir, nil, nil)
	hashNames(objs)
	return objs
}

// accumulate builds the kustomization of dir onto objs (the objects a
// kustomization accumulated before its component dir; nil for a resource);
// chain holds the directories being built, outermost first.
func (k *kustomizer) accumulate(dir string, chain []string, objs []kObject) []kObject {
	if slices.Contains(chain, dir) || len(chain) >= maxKustomizeDepth {
		k.problem(dir, "kustomization %s builds on itself or more than %d levels deep; not built", dir, maxKustomizeDepth)
		return objs
	}
	chain = append(slices.Clip(chain), dir)
	kf := k.kustomizationFile(dir)
	if kf == "" {
		k.problem(dir, "no kustomization file in %s", dir)
		return objs
	}
	k.used[kf] = true
	kz, err := k.read(kf)
	if err != nil {
		k.problem(kf, "%v", err)
		return objs
	}
	for what, n := range map[string]int{"helmCharts": len(kz.HelmCharts), "replacements": len(kz.Replacements)} {
		if n > 0 {
			k.warn(kf, "kustomization %s: %s not applied; the objects are judged without them", what, what)
		}
	}
	for _, r := range slices.Concat(kz.Resources, kz.Bases) {
		p, ok := k.local(kf, dir, "resource", r)
		if !ok {
			continue
		}
		if data, err := k.load(p); err == nil {
			k.used[p] = true
			objs = append(objs, k.objects(p, data)...)
			continue
		}
		objs = append(objs, k.accumulate(p, chain, nil)...)
	}
	for _, c := range kz.Components {
		p, ok := k.local(kf, dir, "component", c)
		if ok {
			objs = k.accumulate(p, chain, objs)
		}
	}
	objs = k.generate(kf, dir, kz, objs) // generate.go
	for _, p := range kz.PatchesStrategicMerge {
		k.patch(kf, dir, kPatch{Path: p, Patch: p}, objs)
	}
	for _, p := range slices.Concat(kz.PatchesJSON6902, kz.Patches) {
		k.patch(kf, dir, p, objs)
	}
	renamed := map[refKey]string{}
	for i := range objs {
		o := objs[i].obj
		md, _ := o.Fields["metadata"].(map[string]any)
		if md == nil {
			continue
		}
		if kz.Namespace != "" && !clusterScoped[o.Kind()] {
			md["namespace"] = kz.Namespace
		}
		if n, ok := md["name"].(string); ok && o.Kind() != "Namespace" && (kz.NamePrefix != "" || kz.NameSuffix != "") {
			md["name"] = kz.NamePrefix + n + kz.NameSuffix
			if o.Kind() == "ConfigMap" || o.Kind() == "Secret" {
				renamed[refKey{o.Kind(), o.Namespace(), n}] = kz.NamePrefix + n + kz.NameSuffix
			}
		}
		for _, img := range kz.Images {
			setImages(o.Fields, img.Name, img.NewName, img.NewTag, img.Digest, 0)
		}
	}
	followRenames(objs, renamed)
	return objs
}

// local is the path of the resource or component r of the kustomization kf
// in dir; ok is false (and a warning said) when it is remote or outside the
// scanned tree.
func (k *kustomizer) local(kf, dir, what, r string) (string, bool) {
	if strings.Contains(r, "://") || strings.HasPrefix(r, "github.com/") || path.IsAbs(r) {
		k.warn(kf, "kustomization %s %s is not in the scanned tree; not read", what, r)
		return "", false
	}
	p := path.Clean(path.Join(dir, r))
	if p == ".." || strings.HasPrefix(p, "../") {
		k.warn(kf, "kustomization %s %s is outside the scanned tree; not read", what, r)
		return "", false
	}
	return p, true
}

// objects parses the manifest file's objects (its problems are the
// reader's when it reads the file; here they are left out).
func (k *kustomizer) objects(file string, data []byte) []kObject {
	var out []kObject
	for _, doc := range SplitDocuments(data) {
		objs, probs := ParseDocument(file, doc)
		k.probs = append(k.probs, probs...)
		for _, o := range objs {
			out = append(out, kObject{file: file, obj: o})
		}
	}
	return out
}

// patch applies one patch of the kustomization kf (in dir) to objs: a
// strategic merge patch (an object, or several documents) merged into the
// object of its kind and name, or a JSON 6902 patch (a list of operations)
// applied to its target's objects.
func (k *kustomizer) patch(kf, dir string, p kPatch, objs []kObject) {
	text := p.Patch
	if p.Path != "" && !strings.Contains(p.Path, "\n") {
		f := path.Clean(path.Join(dir, p.Path))
		data, err := k.load(f)
		if err != nil {
			k.problem(kf, "patch %s: %v", p.Path, err)
			return
		}
		k.used[f] = true
		text = string(data)
	}
	if strings.TrimSpace(text) == "" {
		return
	}
	for _, doc := range SplitDocuments([]byte(text)) {
		var v any
		if err := yaml.Unmarshal(doc.Text, &v); err != nil {
			k.problem(kf, "patch %s: %v", p.Path, err)
			return
		}
		switch t := normalizeYAML(v, 0).(type) {
		case []any: // JSON 6902 operations
			if p.Target == nil {
				k.problem(kf, "patch %s: JSON 6902 operations without a target", p.Path)
				return
			}
			for i, o := range objs {
				if matches(o.obj, p.Target.Kind, p.Target.Name) {
					// Operations by list index: the fields' lines in the
					// resource file no longer follow the paths.
					objs[i].obj.node = nil
					for _, op := range t {
						if err := jsonPatch(o.obj.Fields, op); err != nil {
							k.problem(kf, "patch %s: %v", p.Path, err)
						}
					}
				}
			}
		case map[string]any:
			kind, _ := t["kind"].(string)
			md, _ := t["metadata"].(map[string]any)
			name, _ := md["name"].(string)
			if p.Target != nil {
				kind, name = orString(p.Target.Kind, kind), orString(p.Target.Name, name)
			}
			found := false
			for _, o := range objs {
				if matches(o.obj, kind, name) {
					found = true
					merged, _ := mergePatch(o.obj.Fields, t, "", 0).(map[string]any)
					for key := range o.obj.Fields {
						if _, kept := merged[key]; !kept {
							delete(o.obj.Fields, key)
						}
					}
					for key, val := range merged {
						o.obj.Fields[key] = val
					}
				}
			}
			if !found {
				k.problem(kf, "patch %s: no %s named %s among the kustomization's resources", p.Path, kind, name)
			}
		}
	}
}

func orString(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// matches: kind and name ("" matches any) of the object.
func matches(o Object, kind, name string) bool {
	return (kind == "" || o.Kind() == kind) && (name == "" || o.Name() == name)
}

// mergeKeys are the list fields a strategic merge patch merges element by
// element (by the key named), as Kubernetes' patchMergeKey tags say; other
// lists are replaced.
var mergeKeys = map[string]string{
	"containers": "name", "initContainers": "name", "ephemeralContainers": "name", "volumes": "name",
	"env": "name", "imagePullSecrets": "name", "volumeMounts": "mountPath", "ports": "containerPort",
}

// mergePatch merges the strategic merge patch p into v (field is v's key
// in its parent): maps key by key (null deletes), merge-keyed lists
// element by element, anything else replaced.
func mergePatch(v, p any, field string, depth int) any {
	if depth > maxDepth {
		return p
	}
	switch pt := p.(type) {
	case map[string]any:
		vt, ok := v.(map[string]any)
		if !ok {
			vt = map[string]any{}
		}
		out := make(map[string]any, len(vt)+len(pt))
		for key, x := range vt {
			out[key] = x
		}
		for key, x := range pt {
			if x == nil {
				delete(out, key)
				continue
			}
			if strings.HasPrefix(key, "$") {
				continue // a directive ($patch, $setElementOrder...)
			}
			out[key] = mergePatch(out[key], x, key, depth+1)
		}
		return out
	case []any:
		vt, ok := v.([]any)
		mk := mergeKeys[field]
		if !ok || mk == "" {
			return pt
		}
		out := slices.Clone(vt)
		for _, x := range pt {
			xm, _ := x.(map[string]any)
			i := slices.IndexFunc(out, func(e any) bool {
				em, _ := e.(map[string]any)
				return xm != nil && em != nil && fmt.Sprint(em[mk]) == fmt.Sprint(xm[mk])
			})
			if i < 0 {
				out = append(out, x)
				continue
			}
			out[i] = mergePatch(out[i], x, "", depth+1)
		}
		return out
	}
	return p
}

// jsonPatch applies one JSON 6902 operation (add, replace, remove) to obj.
func jsonPatch(obj map[string]any, op any) error {
	m, _ := op.(map[string]any)
	verb, _ := m["op"].(string)
	ptr, _ := m["path"].(string)
	if !strings.HasPrefix(ptr, "/") {
		return fmt.Errorf("operation %q: path %q is not a JSON pointer", verb, ptr)
	}
	segs := strings.Split(ptr[1:], "/")
	for i, s := range segs {
		segs[i] = strings.ReplaceAll(strings.ReplaceAll(s, "~1", "/"), "~0", "~")
	}
	var parent any = obj
	for _, s := range segs[:len(segs)-1] {
		switch t := parent.(type) {
		case map[string]any:
			parent = t[s]
		case []any:
			i, err := strconv.Atoi(s)
			if err != nil || i < 0 || i >= len(t) {
				return fmt.Errorf("operation %q: %s: no element %s", verb, ptr, s)
			}
			parent = t[i]
		default:
			return fmt.Errorf("operation %q: %s: no such path", verb, ptr)
		}
	}
	last, value := segs[len(segs)-1], m["value"]
	switch t := parent.(type) {
	case map[string]any:
		switch verb {
		case "add", "replace":
			t[last] = value
		case "remove":
			delete(t, last)
		default:
			return fmt.Errorf("operation %q is not applied", verb)
		}
	case []any:
		// A list is changed in place only by replace; add and remove change
		// its length, so the list is set again in its parent.
		i, err := strconv.Atoi(last)
		if last == "-" {
			i, err = len(t), nil
		}
		if err != nil || i < 0 || i > len(t) || i == len(t) && verb != "add" {
			return fmt.Errorf("operation %q: %s: no element %s", verb, ptr, last)
		}
		var nl []any
		switch verb {
		case "replace":
			t[i] = value
			return nil
		case "add":
			nl = slices.Insert(slices.Clone(t), i, value)
		case "remove":
			nl = slices.Delete(slices.Clone(t), i, i+1)
		default:
			return fmt.Errorf("operation %q is not applied", verb)
		}
		return jsonPatch(obj, map[string]any{"op": "replace", "path": "/" + strings.Join(escapePointer(segs[:len(segs)-1]), "/"), "value": nl})
	default:
		return fmt.Errorf("operation %q: %s: no such path", verb, ptr)
	}
	return nil
}

func escapePointer(segs []string) []string {
	out := make([]string, len(segs))
	for i, s := range segs {
		out[i] = strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
	}
	return out
}

// setImages rewrites the images named name (the reference without tag or
// digest) of every container under v, as kustomize's images field does.
func setImages(v any, name, newName, newTag, digest string, depth int) {
	if depth > maxDepth || name == "" {
		return
	}
	switch t := v.(type) {
	case map[string]any:
		for key, x := range t {
			if (key == "containers" || key == "initContainers" || key == "ephemeralContainers") && x != nil {
				l, _ := x.([]any)
				for _, c := range l {
					cm, _ := c.(map[string]any)
					img, _ := cm["image"].(string)
					if img == "" || imageName(img) != name {
						continue
					}
					ref := orString(newName, name)
					switch {
					case digest != "":
						ref += "@" + digest
					case newTag != "":
						ref += ":" + newTag
					default:
						ref += strings.TrimPrefix(img, imageName(img))
					}
					cm["image"] = ref
				}
				continue
			}
			setImages(x, name, newName, newTag, digest, depth+1)
		}
	case []any:
		for _, x := range t {
			setImages(x, name, newName, newTag, digest, depth+1)
		}
	}
}

// imageName is an image reference without its tag and digest.
func imageName(ref string) string {
	if i := strings.Index(ref, "@"); i >= 0 {
		ref = ref[:i]
	}
	if i := strings.LastIndex(ref, ":"); i > strings.LastIndex(ref, "/") {
		ref = ref[:i]
	}
	return ref
}

// normalizeYAML turns yaml.v3's decoded values into the reader's JSON-like
// tree (map[string]any with string keys, int64 numbers).
func normalizeYAML(v any, depth int) any {
	if depth > maxDepth {
		return nil
	}
	switch t := v.(type) {
	case map[string]any:
		for k, x := range t {
			t[k] = normalizeYAML(x, depth+1)
		}
		return t
	case map[any]any:
		out := make(map[string]any, len(t))
		for k, x := range t {
			out[fmt.Sprint(k)] = normalizeYAML(x, depth+1)
		}
		return out
	case []any:
		for i, x := range t {
			t[i] = normalizeYAML(x, depth+1)
		}
		return t
	case int:
		return int64(t)
	}
	return v
}

// unbuilt is the directory of the first kustomization file among files no
// build has read (kustomizations building on each other in a cycle), ""
// when there is none.
func (k *kustomizer) unbuilt(files []string) string {
	for _, f := range files {
		if isKustomization(f) && !k.used[f] {
			k.used[f] = true // even if the build reads another name of its directory
			return path.Dir(f)
		}
	}
	return ""
}
