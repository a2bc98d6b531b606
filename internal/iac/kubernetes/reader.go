package kubernetes

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/vigil-sec/vigil/internal/iac/iacfile"
	"io/fs"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/vigil-sec/vigil/internal/resource"
	"github.com/vigil-sec/vigil/internal/source"
)

// Format is the batches' format name.
const Format = "kubernetes"

// Detect reports whether the file at path (relative to the scanned root,
// slash-separated), whose first bytes are head (at most 8 KiB), is a
// Kubernetes manifest: a .yaml, .yml or .json file with apiVersion at the
// top level of a document beside kind, metadata or items (kubectl get -o
// yaml sorts the keys, so a List's kind comes after its items); Chart.yaml,
// CloudFormation, ARM and Compose files have no such pair. Files of a Helm chart (a directory holding a
// Chart.yaml) are the Helm reader's: the caller leaves them out.
func Detect(p string, head []byte) bool {
	if isKustomization(p) {
		return true
	}
	switch strings.ToLower(path.Ext(p)) {
	case ".yaml", ".yml":
		return yamlTopLevel(head)
	case ".json":
		return jsonTopLevel(head)
	}
	return false
}

func yamlTopLevel(head []byte) bool {
	api, kind := false, false
	for line := range bytes.Lines(head) {
		switch {
		case bytes.HasPrefix(line, []byte("apiVersion:")):
			api = true
		case bytes.HasPrefix(line, []byte("kind:")), bytes.HasPrefix(line, []byte("metadata:")), bytes.HasPrefix(line, []byte("items:")):
			kind = true
		}
		if api && kind {
			return true
		}
	}
	return false
}

func jsonTopLevel(head []byte) bool {
	dec := json.NewDecoder(bytes.NewReader(head))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return false
	}
	api, kind := false, false
	for dec.More() && !(api && kind) {
		k, err := dec.Token()
		if err != nil {
			break
		}
		key, _ := k.(string)
		api = api || key == "apiVersion"
		kind = kind || key == "kind" || key == "metadata" || key == "items"
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			break
		}
	}
	return api && kind
}

// Options are the reader's options; the zero value is usable.
type Options struct {
	// Namespace is the namespace the manifests are applied to (kubectl
	// -n): namespaced objects that name none are read as in it. Empty:
	// unknown, and such objects have no namespace fact.
	Namespace string
	// MaxFileBytes: a larger file is reported and not read; 0 means
	// DefaultMaxFileBytes.
	MaxFileBytes int64
}

// New returns the source reading the manifests files (relative to root,
// slash-separated) under root. Each file is a batch; the namespaces,
// whose facts need every file, come with the last one. The source is a
// source.Finisher: a pod that leaves automountServiceAccountToken to its
// service account takes the setting of the ServiceAccount object of the
// scan.
func New(root string, files []string, opts Options) source.Source {
	return &reader{root: root, files: files, opts: opts, b: NewBuilder()}
}

type reader struct {
	root  string
	files []string
	opts  Options
	b     *Builder
}

// Finish applies what needs every file to the resources the reader read.
func (r *reader) Finish(_ context.Context, all []*resource.Resource) ([]*resource.Resource, []source.Problem) {
	r.b.Finish(all)
	return nil, nil
}

func (r *reader) Name() string { return "kubernetes" }

func (r *reader) Read(ctx context.Context, emit func(source.Batch) error) error {
	limit := r.opts.MaxFileBytes
	if limit <= 0 {
		limit = DefaultMaxFileBytes
	}
	r.b = NewBuilder()
	b := r.b
	b.DefaultNamespace = r.opts.Namespace
	load := func(f string) ([]byte, error) {
		data, err := iacfile.Read(filepath.Join(r.root, filepath.FromSlash(f)), limit)
		if pe := (*fs.PathError)(nil); errors.As(err, &pe) {
			err = pe.Err // the message names the file once, relative to the root
		}
		return data, err
	}
	var pending *source.Batch
	next := func(batch *source.Batch) error {
		if pending != nil {
			if err := emit(*pending); err != nil {
				return err
			}
		}
		pending = batch
		return nil
	}
	// Kustomizations first (kustomize.go): the files they read are not
	// read alone.
	k := &kustomizer{load: load, used: map[string]bool{}}
	roots := k.roots(r.files)
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		var dir string
		if len(roots) > 0 {
			dir, roots = roots[0], roots[1:]
		} else if dir = k.unbuilt(r.files); dir == "" {
			break
		}
		k.probs = nil
		objs := k.build(dir)
		batch := &source.Batch{Input: k.kustomizationFile(dir), Format: Format}
		batch.Problems = append(batch.Problems, k.probs...)
		for _, o := range objs {
			res, probs := b.add(o.file, dir+" > "+o.file, o.obj, batch)
			batch.Problems = append(batch.Problems, probs...)
			if res != nil {
				batch.Resources = append(batch.Resources, res)
			}
		}
		if err := next(batch); err != nil {
			return err
		}
	}
	for _, f := range r.files {
		if err := ctx.Err(); err != nil {
			return err
		}
		if k.used[f] || isKustomization(f) {
			continue
		}
		batch := source.Batch{Input: f, Format: Format}
		if data, err := load(f); err != nil {
			batch.Problems = append(batch.Problems, source.Problem{Path: f, Err: err.Error()})
		} else {
			b.AddFile(f, data, &batch)
		}
		if err := next(&batch); err != nil {
			return err
		}
	}
	if pending == nil {
		return nil
	}
	pending.Resources = append(pending.Resources, b.Namespaces()...)
	return emit(*pending)
}

// Builder maps the objects of a set of manifests to resources, keeping IDs
// unique and what the namespaces' facts need (their NetworkPolicies and
// workloads); the Helm reader uses one per chart.
type Builder struct {
	// DefaultNamespace is the namespace of namespaced objects that name
	// none ("" unknown).
	DefaultNamespace string

	ids   map[string]int
	ns    map[string]*nsInfo
	order []string
	// accounts maps namespace/name of each ServiceAccount object that
	// sets automountServiceAccountToken to the setting; usesAccount maps
	// the ID of each workload that leaves it to its account to the
	// account's namespace/name.
	accounts    map[string]bool
	usesAccount map[string]string
}

type nsInfo struct {
	name        string
	declared    *resource.Resource
	first       *resource.Resource // first workload in it
	workloads   int
	policies    int
	denyIngress bool
	denyEgress  bool
}

// NewBuilder returns an empty builder.
func NewBuilder() *Builder {
	return &Builder{ids: map[string]int{}, ns: map[string]*nsInfo{}, accounts: map[string]bool{}, usesAccount: map[string]string{}}
}

// ClusterScoped reports whether a built-in kind has no namespace.
func ClusterScoped(kind string) bool { return clusterScoped[kind] }

var clusterScoped = map[string]bool{
	"Namespace": true, "Node": true, "PersistentVolume": true, "ClusterRole": true, "ClusterRoleBinding": true,
	"StorageClass": true, "CustomResourceDefinition": true, "PriorityClass": true, "IngressClass": true, "RuntimeClass": true,
	"CSIDriver": true, "CSINode": true, "APIService": true, "PodSecurityPolicy": true, "VolumeAttachment": true,
	"ValidatingWebhookConfiguration": true, "MutatingWebhookConfiguration": true, "ValidatingAdmissionPolicy": true,
	"ValidatingAdmissionPolicyBinding": true, "CertificateSigningRequest": true,
}

// Finish sets the automountServiceAccountToken fact of the workloads that
// leave it to a ServiceAccount object the builder read.
func (b *Builder) Finish(all []*resource.Resource) {
	if len(b.usesAccount) == 0 || len(b.accounts) == 0 {
		return
	}
	for _, r := range all {
		key, ok := b.usesAccount[r.ID]
		if !ok || r.Provider != resource.K8s || r.Facts.Workload == nil {
			continue
		}
		if v, set := b.accounts[key]; set {
			r.Facts.Workload.AutomountServiceAccountToken = resource.Bool(v)
		}
	}
}

// AddFile parses a manifest file's documents and adds their objects to
// batch: resources, unsupported kinds and problems.
func (b *Builder) AddFile(file string, data []byte, batch *source.Batch) {
	for _, doc := range SplitDocuments(data) {
		objs, probs := ParseDocument(file, doc)
		batch.Problems = append(batch.Problems, probs...)
		for _, o := range objs {
			r, probs := b.Add(file, o, batch)
			batch.Problems = append(batch.Problems, probs...)
			if r != nil {
				batch.Resources = append(batch.Resources, r)
			}
		}
	}
}

// Add maps one object of file. It returns the resource to emit (nil for an
// unsupported kind, listed in batch.Unsupported, and for a Namespace,
// which Namespaces returns).
func (b *Builder) Add(file string, o Object, batch *source.Batch) (*resource.Resource, []source.Problem) {
	return b.add(file, file, o, batch)
}

// add is Add, the resource's ID made of idFile (a kustomization's object:
// the kustomization's directory and the file it comes from).
func (b *Builder) add(file, idFile string, o Object, batch *source.Batch) (*resource.Resource, []source.Problem) {
	if o.Kind() == "" || o.APIVersion() == "" {
		return nil, []source.Problem{{Path: file, Line: o.StartLine, Err: "document has no apiVersion or kind: not a Kubernetes object"}}
	}
	if md, ok := o.Fields["metadata"].(map[string]any); ok && b.DefaultNamespace != "" && o.Namespace() == "" && !clusterScoped[o.Kind()] {
		md["namespace"] = b.DefaultNamespace
	}
	r, probs := Map(file, o)
	id := idFile + ":" + Address(o)
	base := id
	if n := b.ids[base]; n > 0 {
		probs = append(probs, source.Problem{Path: file, Line: o.StartLine, Resource: Address(o), Err: fmt.Sprintf("%s is defined more than once in the file", Address(o))})
		id = fmt.Sprintf("%s#%d", base, n+1)
	}
	b.ids[base]++
	typ := TypeName(o.APIVersion(), o.Kind())
	switch typ {
	case "NetworkPolicy.networking.k8s.io":
		b.networkPolicy(o)
	case "ServiceAccount":
		if v, ok := o.Fields["automountServiceAccountToken"].(bool); ok {
			b.accounts[o.Namespace()+"/"+o.Name()] = v
		}
	}
	if r == nil {
		if batch.Unsupported == nil {
			batch.Unsupported = map[string]string{}
		}
		batch.Unsupported[id] = typ
		return nil, probs
	}
	r.ID = id
	switch r.Class {
	case resource.ClassKubernetesNamespace:
		ns := b.namespace(o.Name())
		if ns.declared == nil {
			ns.declared = r
		}
		return nil, probs
	case resource.ClassKubernetesWorkload:
		if w := r.Facts.Workload; w.AutomountServiceAccountToken != nil {
			if spec, _, _ := (&mapper{obj: o}).podSpec(); spec["automountServiceAccountToken"] == nil {
				b.usesAccount[id] = o.Namespace() + "/" + w.ServiceAccount
			}
		}
		ns := b.namespace(o.Namespace())
		ns.workloads++
		if ns.first == nil {
			ns.first = r
		}
	}
	return r, probs
}

func (b *Builder) namespace(name string) *nsInfo {
	ns := b.ns[name]
	if ns == nil {
		ns = &nsInfo{name: name}
		b.ns[name] = ns
		b.order = append(b.order, name)
	}
	return ns
}

// networkPolicy records a NetworkPolicy: whether it denies all ingress or
// egress of its namespace (it selects every pod, has the direction among
// its policy types and allows nothing in it).
func (b *Builder) networkPolicy(o Object) {
	ns := b.namespace(o.Namespace())
	ns.policies++
	spec, _ := o.Fields["spec"].(map[string]any)
	sel, _ := spec["podSelector"].(map[string]any)
	if len(sel) > 0 {
		if ml, _ := sel["matchLabels"].(map[string]any); len(ml) > 0 {
			return
		}
		if me, _ := sel["matchExpressions"].([]any); len(me) > 0 {
			return
		}
	}
	types, ok := strings_(spec["policyTypes"])
	if !ok {
		return
	}
	if types == nil {
		// Without policyTypes: Ingress, plus Egress when it has egress rules.
		types = []string{"Ingress"}
		if spec["egress"] != nil {
			types = append(types, "Egress")
		}
	}
	empty := func(k string) bool { l, _ := spec[k].([]any); return len(l) == 0 }
	if slices.Contains(types, "Ingress") && empty("ingress") {
		ns.denyIngress = true
	}
	if slices.Contains(types, "Egress") && empty("egress") {
		ns.denyEgress = true
	}
}

// Namespaces returns the namespaces seen so far: each Namespace object and
// each namespace a workload runs in, with their NetworkPolicy facts. An
// undeclared namespace is located at its first workload. The namespace of
// objects that name none, when no default is given (kubectl's or Helm's
// -n, decided at install), is no resource: which namespace it is, and so
// what else it holds, is unknown.
func (b *Builder) Namespaces() []*resource.Resource {
	var out []*resource.Resource
	for _, name := range b.order {
		ns := b.ns[name]
		r := ns.declared
		if r == nil {
			if ns.first == nil || name == "" {
				continue
			}
			loc := *ns.first.Location
			loc.Address = "Namespace//" + name
			loc.Calls = nil
			r = &resource.Resource{
				Provider: resource.K8s, Type: "Namespace", ID: loc.File + ":" + loc.Address, Name: name,
				Source: ns.first.Source, Location: &loc, Class: resource.ClassKubernetesNamespace,
				Facts: resource.Facts{Namespace: &resource.KubernetesNamespace{Declared: resource.Bool(false)}},
			}
		}
		f := r.Facts.Namespace
		f.DefaultDenyIngress = resource.Bool(ns.denyIngress)
		f.DefaultDenyEgress = resource.Bool(ns.denyEgress)
		f.NetworkPolicies = resource.Int(ns.policies)
		f.Workloads = resource.Int(ns.workloads)
		out = append(out, r)
	}
	return out
}
