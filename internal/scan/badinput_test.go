package scan

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vigil-sec/vigil/internal/finding"
	"github.com/vigil-sec/vigil/internal/importer"
	"github.com/vigil-sec/vigil/internal/policy"
	"github.com/vigil-sec/vigil/internal/resource"
	"github.com/vigil-sec/vigil/internal/rules"
)

// TestBadInputNeverPasses is the "bad input" property: changing the type of
// any one field of a resource in an export (object→string, array→object,
// string→number, number→string, bool→string, null→object) never moves a
// finding from FAIL to PASS. Every (rule, resource) that FAILs on the sample
// organization must still FAIL or be UNKNOWN after the change, or be absent
// because the resource became unreadable and the file is reported as an
// input error.
//
// The fields are those of examples/org's JSON exports. For every resource
// type, maxFieldsPerType of its field paths (all when it has fewer; half the
// shallowest, half drawn deterministically from the others) are changed,
// each once, on the resource of that type with the most FAIL findings; the
// resource itself (→ string) and each file's list of resources (→ object)
// are changed too. With -short, shortFieldsPerType per type;
// VIGIL_BADINPUT=every changes every (type, field path) once,
// VIGIL_BADINPUT=all every field of every resource (both slow).
//
// Each cloud account / subscription / project directory is scanned on its
// own (a change re-imports its own directory only), and the evaluation is
// skipped when the imported resources, Raw aside, are those of the
// baseline (rules see nothing else).
//
// A failure here is a bug in an importer (or in a rule that reads a fact
// the importer filled from a wrongly typed field): the field should be
// reported as an input problem and the facts that depend on it left
// unknown.
func TestBadInputNeverPasses(t *testing.T) {
	org := filepath.Join("..", "..", "examples", "org")
	exp := readExpected(t, org)
	ctx := context.Background()
	e, err := policy.New(ctx, []policy.Source{{FS: rules.FS(), Name: "builtin", Builtin: true}})
	if err != nil {
		t.Fatal(err)
	}
	files := readExports(t, org)

	// Each group of the org (a cloud account, subscription or project: the
	// first two directories) is scanned on its own, so that a mutation
	// re-imports only its own group. The baselines scan the files as the
	// mutations write them (re-encoded, keys sorted), so that only the
	// mutated field differs.
	base := newMirror(t, org, files)
	baselines := map[string]*scanResult{}
	fails := 0
	failIDs := map[string]int{}
	for _, f := range files {
		g := groupOf(f.rel)
		if baselines[g] != nil {
			continue
		}
		b, err := base.scan(e, exp.ScanTime, g, nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(b.errFiles) > 0 {
			t.Fatalf("the re-encoded sample org has input errors: %v", b.errorText)
		}
		for k, st := range b.status {
			if st == finding.Fail {
				fails++
				failIDs[k[1]]++
			}
		}
		baselines[g] = &b
	}
	if fails == 0 {
		t.Fatal("the sample organization has no FAIL finding")
	}

	mode := os.Getenv("VIGIL_BADINPUT")
	muts := mutations(files, failIDs, mode == "all")
	if os.Getenv("VIGIL_BADINPUT_COUNT") != "" {
		t.Skipf("%d (type, field) pairs; %d changed by default, %d with -short", len(muts),
			len(sampleMutations(muts, maxFieldsPerType)), len(sampleMutations(muts, shortFieldsPerType)))
	}
	if testing.Short() {
		muts = sampleMutations(muts, shortFieldsPerType)
	} else if mode != "all" && mode != "every" {
		muts = sampleMutations(muts, maxFieldsPerType)
	}

	workers := 2
	mirrors := []*mirror{base}
	for len(mirrors) < workers {
		mirrors = append(mirrors, newMirror(t, org, files))
	}
	type violation struct {
		m    *mutation
		what []string
	}
	var mu sync.Mutex
	var found []violation
	next := make(chan *mutation)
	var wg sync.WaitGroup
	for _, mr := range mirrors {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for m := range next {
				if err := mr.apply(m); err != nil {
					t.Error(err)
					continue
				}
				g := groupOf(m.file.rel)
				got, err := mr.scan(e, exp.ScanTime, g, baselines[g])
				if err := mr.restore(m); err != nil {
					t.Error(err)
				}
				if err != nil {
					t.Errorf("%s: %v", m, err)
					continue
				}
				if v := compareScans(*baselines[g], got, mr.abs(m.file.rel)); len(v) > 0 {
					mu.Lock()
					found = append(found, violation{m, v})
					mu.Unlock()
				}
			}
		}()
	}
	for _, m := range muts {
		next <- m
	}
	close(next)
	wg.Wait()

	n := 0
	for _, v := range found {
		n += len(v.what)
	}
	t.Logf("%d mutations of %d files (%d resource types; %d changed what rules see), %d FAIL findings in the baseline; %d violations from %d mutations",
		len(muts), len(files), countTypes(muts), evaluations.Load()-int64(len(baselines)), fails, n, len(found))
	sort.Slice(found, func(i, j int) bool { return found[i].m.String() < found[j].m.String() })
	for _, v := range found {
		const maxShown = 4
		what := v.what
		more := ""
		if len(what) > maxShown {
			more = fmt.Sprintf("; and %d more", len(what)-maxShown)
			what = what[:maxShown]
		}
		t.Errorf("%s:\n\t%s%s", v.m, strings.Join(what, "\n\t"), more)
	}
}

// groupOf is the group of a file: its first two directories (cloud and
// account, subscription or project).
func groupOf(rel string) string {
	parts := strings.SplitN(filepath.ToSlash(rel), "/", 3)
	if len(parts) < 3 {
		return parts[0]
	}
	return parts[0] + "/" + parts[1]
}

// maxFieldsPerType bounds the fields changed per resource type (a sample
// of them, for types with more), and shortFieldsPerType with -short (the
// shallowest), so the test stays near 15 s of a 2-core machine as the
// sample organization grows.
const (
	maxFieldsPerType   = 16
	shortFieldsPerType = 4
)

// scanResult is what the property compares: each (rule, resource)'s status
// and the files reported as input errors.
type scanResult struct {
	status    map[[2]string]finding.Status
	errFiles  map[string]bool
	errorText map[string]string
	// resources are the imported resources without Raw and Source: what
	// the rules see.
	resources map[string]resource.Resource
}

func compareScans(base, got scanResult, file string) []string {
	var out []string
	keys := make([][2]string, 0, len(base.status))
	for k, st := range base.status {
		if st == finding.Fail {
			keys = append(keys, k)
		}
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i][0]+keys[i][1] < keys[j][0]+keys[j][1] })
	for _, k := range keys {
		switch st, ok := got.status[k]; {
		case !ok && got.errFiles[file] && !base.errFiles[file]:
			// The resource became unreadable and the file is reported.
		case !ok:
			out = append(out, fmt.Sprintf("FAIL → absent, no input error: %s on %s", k[0], k[1]))
		case st == finding.Pass:
			out = append(out, fmt.Sprintf("FAIL → PASS: %s on %s", k[0], k[1]))
		}
	}
	return out
}

// exportFile is one JSON export of the sample org, decoded: one document,
// or one per line (NDJSON).
type exportFile struct {
	rel    string
	gz     bool
	ndjson bool
	docs   []any
	// data is the file as the mirror writes it without mutation.
	data []byte
}

// resourceListKeys name the array of resources in an export document.
var resourceListKeys = []string{"configurationItems", "baseConfigurationItems", "data", "value", "ConfigurationItems"}

func readExports(t *testing.T, org string) []*exportFile {
	t.Helper()
	var out []*exportFile
	err := filepath.WalkDir(org, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(org, p)
		name := filepath.Base(p)
		if strings.HasPrefix(name, "expected") || strings.Contains(rel, "CloudTrail-Digest") {
			return nil
		}
		gz := strings.HasSuffix(name, ".gz")
		if !strings.HasSuffix(strings.TrimSuffix(name, ".gz"), ".json") && !strings.HasSuffix(name, ".ndjson") {
			return nil
		}
		raw, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if gz {
			zr, err := gzip.NewReader(bytes.NewReader(raw))
			if err != nil {
				return err
			}
			if raw, err = io.ReadAll(zr); err != nil {
				return err
			}
		}
		f := &exportFile{rel: rel, gz: gz}
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.UseNumber()
		for {
			var v any
			if err := dec.Decode(&v); err == io.EOF {
				break
			} else if err != nil {
				return fmt.Errorf("%s: %w", rel, err)
			}
			f.docs = append(f.docs, v)
		}
		f.ndjson = len(f.docs) > 1
		if len(f.docs) == 0 {
			return nil
		}
		if f.data, err = f.encode(); err != nil {
			return err
		}
		out = append(out, f)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(out) == 0 {
		t.Fatal("no JSON exports in the sample org")
	}
	return out
}

// encode writes the file's documents (keys sorted, numbers as read).
func (f *exportFile) encode() ([]byte, error) {
	var buf bytes.Buffer
	var w io.Writer = &buf
	var zw *gzip.Writer
	if f.gz {
		zw = gzip.NewWriter(&buf)
		w = zw
	}
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	for _, d := range f.docs {
		if err := enc.Encode(d); err != nil {
			return nil, err
		}
	}
	if err := bw.Flush(); err != nil {
		return nil, err
	}
	if zw != nil {
		if err := zw.Close(); err != nil {
			return nil, err
		}
	}
	return buf.Bytes(), nil
}

// mutation changes the type of the value at path in one document.
type mutation struct {
	file    *exportFile
	doc     int
	path    []any // string keys and int indices
	resType string
	pattern string // the path with indices as [] (within the resource)
	from    string
	// score counts the FAIL findings on the resource in the baseline.
	score int
}

func (m *mutation) String() string {
	return fmt.Sprintf("%s: %s (%s) %s→%s", shortPath(m.file.rel), pathText(m.path), m.resType, m.from, mutatedKind(m.from))
}

// shortPath shortens the long AWS Config snapshot paths of the sample org
// to their account, region and file kind.
func shortPath(rel string) string {
	parts := strings.Split(filepath.ToSlash(rel), "/")
	if len(parts) > 4 && parts[2] == "AWSLogs" {
		return strings.Join(parts[:2], "/") + "/…/" + parts[5] + "/ConfigSnapshot"
	}
	return filepath.ToSlash(rel)
}

func pathText(p []any) string {
	var b strings.Builder
	for _, s := range p {
		switch s := s.(type) {
		case int:
			fmt.Fprintf(&b, "[%d]", s)
		default:
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			b.WriteString(s.(string))
		}
	}
	return b.String()
}

func kindOf(v any) string {
	switch v.(type) {
	case map[string]any:
		return "object"
	case []any:
		return "array"
	case string:
		return "string"
	case json.Number:
		return "number"
	case bool:
		return "bool"
	}
	return "null"
}

func mutatedKind(from string) string {
	switch from {
	case "object", "bool", "number":
		return "string"
	case "array", "null":
		return "object"
	case "string":
		return "number"
	}
	return "string"
}

// mutate returns v with its type changed.
func mutate(v any) any {
	switch v := v.(type) {
	case map[string]any:
		return "oops"
	case []any:
		return map[string]any{}
	case string:
		return json.Number("42")
	case json.Number:
		return string(v)
	case bool:
		return strconv.FormatBool(v)
	}
	return map[string]any{}
}

// mutations lists, for every (resource type, field path), one change on a
// resource of that type, plus each resource type's resource as a whole and
// each file's resource list.
func mutations(files []*exportFile, failIDs map[string]int, all bool) []*mutation {
	type key struct{ typ, pattern string }
	candidates := map[key][]*mutation{}
	var order []key
	add := func(m *mutation) {
		k := key{m.resType, m.pattern}
		if _, ok := candidates[k]; !ok {
			order = append(order, k)
		}
		candidates[k] = append(candidates[k], m)
	}
	for _, f := range files {
		for di, doc := range f.docs {
			resources, prefix := resourcesOf(doc)
			if prefix != nil && len(resources) > 0 {
				add(&mutation{file: f, doc: di, path: prefix, resType: "file " + fileKind(f), pattern: "(list)", from: "array"})
			}
			for ri, res := range resources {
				typ := resourceType(f, res)
				score := failScore(res, failIDs)
				rp := append(append([]any(nil), prefix...), ri)
				if prefix == nil {
					rp = nil
				}
				if rp != nil {
					add(&mutation{file: f, doc: di, path: rp, resType: typ, pattern: "(resource)", from: kindOf(res), score: score})
				}
				walkFields(res, rp, "", func(p []any, pattern string, v any) {
					add(&mutation{file: f, doc: di, path: p, resType: typ, pattern: pattern, from: kindOf(v), score: score})
				})
			}
		}
	}
	out := make([]*mutation, 0, len(order))
	for _, k := range order {
		c := candidates[k]
		if all {
			out = append(out, c...)
			continue
		}
		// The resource with the most FAIL findings (a change can only move
		// a FAIL), then any, deterministically.
		sort.Slice(c, func(i, j int) bool {
			if c[i].score != c[j].score {
				return c[i].score > c[j].score
			}
			return mutationHash(c[i]) < mutationHash(c[j])
		})
		out = append(out, c[0])
	}
	return out
}

// failScore counts the baseline FAIL findings on the resource res
// describes: those on a resource whose ID is one of res's string values
// (an ARN, an Azure resource ID, a Cloud Asset name).
func failScore(res any, failIDs map[string]int) int {
	n := 0
	seen := map[string]bool{}
	walkFields(res, nil, "", func(_ []any, _ string, v any) {
		if s, ok := v.(string); ok && !seen[s] {
			seen[s] = true
			n += failIDs[s]
		}
	})
	return n
}

func mutationHash(m *mutation) uint64 {
	h := fnv.New64a()
	fmt.Fprint(h, m.file.rel, m.doc, pathText(m.path))
	return h.Sum64()
}

// resourcesOf returns a document's resources and the path of their list
// (nil when the document is itself the resource).
func resourcesOf(doc any) ([]any, []any) {
	switch d := doc.(type) {
	case []any:
		return d, []any{}
	case map[string]any:
		for _, k := range resourceListKeys {
			if l, ok := d[k].([]any); ok {
				return l, []any{k}
			}
		}
	}
	return []any{doc}, nil
}

func resourceType(f *exportFile, res any) string {
	if m, ok := res.(map[string]any); ok {
		for _, k := range []string{"resourceType", "asset_type", "type"} {
			if s, ok := m[k].(string); ok {
				return strings.ToLower(s)
			}
		}
	}
	return "(document) " + fileKind(f)
}

// fileKind names a file's kind: its name without IDs, regions and dates.
func fileKind(f *exportFile) string {
	name := strings.TrimSuffix(strings.TrimSuffix(filepath.Base(f.rel), ".gz"), ".json")
	if strings.Contains(f.rel, "kms-key-rotation-status") {
		return "kms-key-rotation-status"
	}
	if strings.Contains(name, "_ConfigSnapshot_") {
		return "config-snapshot"
	}
	if i := strings.IndexAny(name, "._0123456789"); i > 0 {
		name = name[:i]
	}
	return strings.TrimRight(name, "-")
}

// walkFields calls fn for every value under v (not v itself), with its
// path and its pattern (indices as []).
func walkFields(v any, path []any, pattern string, fn func(p []any, pattern string, v any)) {
	switch v := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			p := append(append([]any(nil), path...), k)
			pat := pattern + "." + k
			fn(p, pat, v[k])
			walkFields(v[k], p, pat, fn)
		}
	case []any:
		for i, e := range v {
			p := append(append([]any(nil), path...), i)
			pat := pattern + "[]"
			fn(p, pat, e)
			walkFields(e, p, pat, fn)
		}
	}
}

// sampleMutations keeps, per resource type, the resource and list changes
// and at most n field changes: half of them the shallowest fields (a whole
// configuration object turned into a string says most about how an
// importer reads absent data), the rest drawn from the others in a
// deterministic pseudo-random order.
func sampleMutations(ms []*mutation, n int) []*mutation {
	byType := map[string][]*mutation{}
	var types []string
	for _, m := range ms {
		if _, ok := byType[m.resType]; !ok {
			types = append(types, m.resType)
		}
		byType[m.resType] = append(byType[m.resType], m)
	}
	depth := func(m *mutation) int { return strings.Count(m.pattern, ".") + strings.Count(m.pattern, "[]") }
	var out []*mutation
	for _, typ := range types {
		var fields []*mutation
		for _, m := range byType[typ] {
			if strings.HasPrefix(m.pattern, "(") {
				out = append(out, m)
			} else {
				fields = append(fields, m)
			}
		}
		if len(fields) <= n {
			out = append(out, fields...)
			continue
		}
		sort.SliceStable(fields, func(i, j int) bool {
			if di, dj := depth(fields[i]), depth(fields[j]); di != dj {
				return di < dj
			}
			return mutationHash(fields[i]) < mutationHash(fields[j])
		})
		out = append(out, fields[:n/2]...)
		rest := fields[n/2:]
		sort.Slice(rest, func(i, j int) bool { return mutationHash(rest[i]) < mutationHash(rest[j]) })
		out = append(out, rest[:n-n/2]...)
	}
	return out
}

func countTypes(ms []*mutation) int {
	seen := map[string]bool{}
	for _, m := range ms {
		seen[m.resType] = true
	}
	return len(seen)
}

// mirror is a copy of the sample org whose exports are re-encoded, one of
// which a mutation rewrites at a time.
type mirror struct {
	dir string
}

func newMirror(t *testing.T, org string, files []*exportFile) *mirror {
	t.Helper()
	m := &mirror{dir: t.TempDir()}
	err := filepath.WalkDir(org, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(org, p)
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return m.write(rel, data)
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if err := m.write(f.rel, f.data); err != nil {
			t.Fatal(err)
		}
	}
	return m
}

func (m *mirror) abs(rel string) string { return filepath.Join(m.dir, rel) }

func (m *mirror) write(rel string, data []byte) error {
	p := m.abs(rel)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	return os.WriteFile(p, data, 0o644)
}

// apply writes the mutated file.
func (m *mirror) apply(mu *mutation) error {
	f := mu.file
	docs := append([]any(nil), f.docs...)
	doc, err := setPath(docs[mu.doc], mu.path, mutate)
	if err != nil {
		return fmt.Errorf("%s: %w", mu, err)
	}
	docs[mu.doc] = doc
	mf := *f
	mf.docs = docs
	data, err := mf.encode()
	if err != nil {
		return err
	}
	return m.write(f.rel, data)
}

func (m *mirror) restore(mu *mutation) error { return m.write(mu.file.rel, mu.file.data) }

// setPath returns a copy of v with the value at path replaced by fn(value);
// the containers along the path are copied, v is not modified.
func setPath(v any, path []any, fn func(any) any) (any, error) {
	if len(path) == 0 {
		return fn(v), nil
	}
	switch c := v.(type) {
	case map[string]any:
		k, ok := path[0].(string)
		if !ok {
			return nil, fmt.Errorf("index %v into an object", path[0])
		}
		n := make(map[string]any, len(c))
		for kk, vv := range c {
			n[kk] = vv
		}
		nv, err := setPath(c[k], path[1:], fn)
		if err != nil {
			return nil, err
		}
		n[k] = nv
		return n, nil
	case []any:
		i, ok := path[0].(int)
		if !ok || i >= len(c) {
			return nil, fmt.Errorf("key %v into an array", path[0])
		}
		n := append([]any(nil), c...)
		nv, err := setPath(c[i], path[1:], fn)
		if err != nil {
			return nil, err
		}
		n[i] = nv
		return n, nil
	}
	return nil, fmt.Errorf("path %v goes through a %s", path, kindOf(v))
}

// evaluations counts the scans that evaluated (what rules see changed).
var evaluations atomic.Int64

// scan imports one group of the mirror and, unless what rules see is the same as in
// base (then the findings are too), evaluates the built-in pack.
func (m *mirror) scan(e *policy.Engine, now time.Time, group string, base *scanResult) (scanResult, error) {
	ctx := context.Background()
	inv, err := importer.Load(ctx, []string{m.abs(group)})
	if err != nil {
		return scanResult{}, err
	}
	out := scanResult{errFiles: map[string]bool{}, errorText: map[string]string{}, resources: map[string]resource.Resource{}}
	for _, ie := range inv.Errors {
		out.errFiles[ie.Path] = true
		out.errorText[ie.Path] = ie.Err
	}
	for _, r := range inv.Resources {
		v := *r
		v.Raw, v.Source = nil, "" // rules see neither
		out.resources[r.ID] = v
	}
	if base != nil && len(out.errFiles) == 0 && reflect.DeepEqual(out.resources, base.resources) {
		out.status = base.status
		return out, nil
	}
	evaluations.Add(1)
	fs, err := e.Evaluate(ctx, inv.Resources, now)
	if err != nil {
		return scanResult{}, err
	}
	out.status = make(map[[2]string]finding.Status, len(fs))
	for _, f := range fs {
		out.status[[2]string{f.RuleID, f.Resource.ID}] = f.Status
	}
	return out, nil
}
