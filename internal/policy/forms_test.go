package policy

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"os"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
	"unsafe"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/vigil-sec/vigil/internal/rules"
)

// formWriter encodes what formReader reads.
type formWriter struct {
	b   []byte
	err error
}

func (w *formWriter) fail(format string, args ...any) {
	if w.err == nil {
		w.err = fmt.Errorf(format, args...)
	}
}

func (w *formWriter) uint(x uint64) { w.b = binary.AppendUvarint(w.b, x) }
func (w *formWriter) int(x int64)   { w.b = binary.AppendVarint(w.b, x) }
func (w *formWriter) byte(x byte)   { w.b = append(w.b, x) }
func (w *formWriter) bool(x bool) {
	if x {
		w.byte(1)
	} else {
		w.byte(0)
	}
}
func (w *formWriter) str(s string) { w.uint(uint64(len(s))); w.b = append(w.b, s...) }
func (w *formWriter) strs(l []string) {
	w.uint(uint64(len(l)))
	for _, s := range l {
		w.str(s)
	}
}

func (w *formWriter) value(v ast.Value) {
	switch x := v.(type) {
	case nil:
		w.byte(scNone)
	case ast.Null:
		w.byte(scNull)
	case ast.Boolean:
		if x {
			w.byte(scTrue)
		} else {
			w.byte(scFalse)
		}
	case ast.Number:
		w.byte(scNumber)
		w.str(string(x))
	case ast.String:
		w.byte(scString)
		w.str(string(x))
	default:
		w.fail("constant %v is not a scalar", v)
	}
}

func (w *formWriter) terms(path []*ast.Term) {
	keys := make([]string, len(path))
	for i, t := range path {
		s, ok := t.Value.(ast.String)
		if !ok {
			w.fail("path %v: a key is not a string", path)
			return
		}
		keys[i] = string(s)
	}
	w.strs(keys)
}

// typeSteps finds t's steps from resource.Resource (gotype), breadth
// first through the fields the rules see and the elements of pointers,
// slices and maps.
func typeSteps(t reflect.Type) ([]string, bool) {
	type node struct {
		t     reflect.Type
		steps []string
	}
	seen := map[reflect.Type]bool{resourceType: true}
	queue := []node{{t: resourceType}}
	for len(queue) > 0 {
		n := queue[0]
		queue = queue[1:]
		if n.t == t {
			return n.steps, true
		}
		var next []node
		switch n.t.Kind() {
		case reflect.Pointer, reflect.Slice, reflect.Map:
			next = append(next, node{n.t.Elem(), append(slices.Clone(n.steps), "")})
		case reflect.Struct:
			for _, f := range structFields(n.t) {
				next = append(next, node{n.t.Field(f.index).Type, append(slices.Clone(n.steps), f.name)})
			}
		}
		for _, x := range next {
			if !seen[x.t] {
				seen[x.t] = true
				queue = append(queue, x)
			}
		}
	}
	return nil, false
}

func (w *formWriter) gotype(g *gtype) {
	if g == nil {
		w.bool(false)
		return
	}
	steps, ok := typeSteps(g.rt)
	if !ok {
		w.fail("type %v is not reached from resource.Resource", g.rt)
		return
	}
	w.bool(true)
	w.str(g.rt.String())
	w.strs(steps)
}

func (w *formWriter) nav(n *goNav) {
	if n == nil {
		w.bool(false)
		return
	}
	w.bool(true)
	w.gotype(n.from)
	w.strs(n.keys)
}

func (w *formWriter) conds(cs []directCond) {
	w.uint(uint64(len(cs)))
	for i := range cs {
		w.cond(&cs[i])
	}
}

func (w *formWriter) bodies(bs [][]directCond) {
	w.uint(uint64(len(bs)))
	for _, b := range bs {
		w.conds(b)
	}
}

func (w *formWriter) constant(k constant) {
	if k.v == nil && k != (constant{}) {
		w.fail("constant %+v has no value", k)
	}
	if k.v != nil && !reflect.DeepEqual(newConstant(k.v), k) {
		w.fail("constant %+v is not its value's", k)
	}
	w.value(k.v)
}

func (w *formWriter) cond(c *directCond) {
	w.terms(c.path)
	w.byte(byte(c.op))
	w.value(c.value)
	w.bool(c.negated)
	w.bool(c.g != nil)
	w.constant(c.k)
	w.uint(uint64(len(c.set)))
	for _, k := range c.set {
		if k.v == nil {
			w.fail("a set's constant has no value")
		}
		w.constant(k)
	}
	w.byte(c.root)
	w.byte(c.level)
	w.bodies(c.alts)
	w.bool(c.cnt)
	w.byte(c.xf)
	w.conds(c.sub)
	w.terms(c.rhs)
	w.byte(c.rhsRoot)
	w.bool(c.hasRHS)
	w.nav(c.nav)
	w.nav(c.rnav)
	w.uint(uint64(c.set0))
	w.bool(c.tuple)
	w.bool(c.nat != nil)
	if c.nat != nil {
		w.str(c.nat.name)
		w.uint(uint64(len(c.nat.args)))
		for _, a := range c.nat.args {
			w.strs(a)
		}
	}
	w.byte(c.tfn)
	w.byte(byte(c.cop))
}

func (w *formWriter) direct(d *direct) {
	if d == nil {
		w.bool(false)
		return
	}
	w.bool(true)
	w.bodies(d.bodies)
	w.bodies(d.skips)
	w.str(d.message)
	w.bool(d.hasMessage)
	w.bool(d.onGo)
	w.uint(uint64(len(d.derived)))
	for _, ds := range d.derived {
		classes := make([]string, len(ds.classes))
		for i, c := range ds.classes {
			classes[i] = string(c)
		}
		w.strs(classes)
		w.bodies(ds.bodies)
	}
}

// helperName is the name of a native message helper (nativeLibs).
func helperName(h nativeHelper) (string, bool) {
	p := reflect.ValueOf(h).Pointer()
	for _, nl := range nativeLibs {
		for name, x := range nl.helpers {
			if reflect.ValueOf(x).Pointer() == p {
				return name, true
			}
		}
	}
	return "", false
}

func (w *formWriter) expr(e *msgExpr) {
	if e == nil {
		w.bool(false)
		return
	}
	w.bool(true)
	w.byte(byte(e.kind))
	w.str(e.s)
	w.nav(e.nav)
	w.uint(uint64(len(e.args)))
	for _, a := range e.args {
		w.expr(a)
	}
	name := ""
	if e.native != nil {
		var ok bool
		if name, ok = helperName(e.native); !ok || name == "" {
			w.fail("a native helper not in nativeLibs")
		}
	}
	w.str(name)
	w.uint(uint64(len(e.ports)))
	for _, p := range e.ports {
		w.int(p)
	}
	w.nav(e.key)
	w.expr(e.def)
	w.expr(e.portsOf)
	w.uint(uint64(len(e.portConds)))
	for _, cs := range e.portConds {
		w.conds(cs)
	}
	w.uint(uint64(len(e.choices)))
	for _, l := range e.choices {
		w.conds(l.conds)
		w.expr(l.text)
	}
	w.int(e.n)
	w.int(e.length)
	keys := make([]string, 0, len(e.table))
	for k := range e.table {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	w.uint(uint64(len(keys)))
	for _, k := range keys {
		w.str(k)
		w.int(e.table[k])
	}
	w.conds(e.body)
	w.byte(e.lvl)
	w.byte(e.level)
	w.bool(e.each)
}

// encodeForm encodes a rule's form (decodeForm reads it).
func encodeForm(deps []formDep, f ruleForm) ([]byte, error) {
	w := &formWriter{}
	w.uint(uint64(len(deps)))
	for _, d := range deps {
		w.str(d.pkg)
		w.bool(d.has)
		if d.has {
			w.b = append(w.b, d.body[:]...)
		}
	}
	names := make([]string, 0, len(f.names))
	for n := range f.names {
		names = append(names, n)
	}
	sort.Strings(names)
	w.strs(names)
	w.direct(f.d)
	w.expr(f.msg)
	return w.b, w.err
}

// parsedForm is a built-in rule's form as the engine reads it from the
// rule's parsed module (prepareDirect), with the libraries it consulted.
type parsedForm struct {
	rule *Rule
	key  [sha256.Size]byte
	deps []formDep
	form ruleForm
}

// parsedForms reads the form of every built-in rule (opt-in sets too)
// whose package is one file and that has a direct form, as a lazy
// engine's prepareDirect does.
func parsedForms(t testing.TB) []parsedForm {
	t.Helper()
	e, err := New(context.Background(), []Source{{FS: rules.FS(), Name: "builtin", Builtin: true}}, AllOptIn())
	if err != nil {
		t.Fatal(err)
	}
	libFiles := map[string]int{}
	for k, f := range e.files {
		if !f.test && e.pkgFiles[f.pkg] == 1 {
			libFiles[f.pkg] = k
		}
	}
	var out []parsedForm
	for _, r := range e.rules {
		if e.pkgFiles[r.Package] != 1 {
			continue
		}
		k, ok := e.fileIndex(r.File)
		if !ok {
			t.Fatalf("%s: no file", r.ID)
		}
		m, err := parseFile(e.files[k])
		if err != nil {
			t.Fatal(err)
		}
		var deps []formDep
		libs := func(pkg string) *ast.Module {
			dep := formDep{pkg: pkg}
			var m *ast.Module
			if k, ok := libFiles[pkg]; ok {
				dep.has, dep.body = true, e.files[k].body
				var err error
				if m, err = e.moduleOf(e.files[k].name); err != nil {
					t.Fatal(err)
				}
			}
			if !slices.Contains(deps, dep) {
				deps = append(deps, dep)
			}
			return m
		}
		names, err := checkedNames(r.File, r.ID, m)
		if err != nil {
			t.Fatal(err)
		}
		d := directRule(m, string(r.Class), libs)
		if d == nil {
			continue
		}
		var msg *msgExpr
		if names["message"] && !d.hasMessage {
			msg = goMessage(m, string(r.Class), libs)
		}
		sort.Slice(deps, func(i, j int) bool { return deps[i].pkg < deps[j].pkg })
		out = append(out, parsedForm{rule: r, key: formKey(r.Class, e.bodies[r.ID]), deps: deps, form: ruleForm{names: names, d: d, msg: msg}})
	}
	return out
}

// buildFormTable encodes forms into a table (builtinFormData's layout);
// a form that does not encode is left out (its rule is parsed).
func buildFormTable(t testing.TB, forms []parsedForm) ([]byte, int) {
	type entry struct {
		key [sha256.Size]byte
		enc []byte
	}
	var entries []entry
	seen := map[[sha256.Size]byte]bool{}
	for _, f := range forms {
		if seen[f.key] {
			continue
		}
		enc, err := encodeForm(f.deps, f.form)
		if err != nil {
			t.Logf("%s: left out of the table: %v", f.rule.ID, err)
			continue
		}
		seen[f.key] = true
		entries = append(entries, entry{f.key, enc})
	}
	sort.Slice(entries, func(i, j int) bool { return bytes.Compare(entries[i].key[:], entries[j].key[:]) < 0 })
	out := []byte(formMagic)
	out = binary.LittleEndian.AppendUint32(out, uint32(len(entries)))
	off := len(out) + len(entries)*formRecord
	for _, en := range entries {
		out = append(out, en.key[:]...)
		out = binary.LittleEndian.AppendUint32(out, uint32(off))
		out = binary.LittleEndian.AppendUint32(out, uint32(len(en.enc)))
		off += len(en.enc)
	}
	for _, en := range entries {
		out = append(out, en.enc...)
	}
	return out, len(entries)
}

// TestBuiltinForms checks forms_gen.bin against the forms the built-in
// pack's modules give when parsed (-update rewrites it: `go generate
// ./internal/policy`), and that every form decodes to what parsing gives:
// the same conditions, paths, constants, compiled Go paths, native
// predicates and messages (formDump compares every field).
func TestBuiltinForms(t *testing.T) {
	forms := parsedForms(t)
	table, n := buildFormTable(t, forms)
	if *update {
		if err := os.WriteFile("forms_gen.bin", table, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("forms_gen.bin: %d forms, %d bytes", n, len(table))
		return
	}
	if string(table) != builtinFormData {
		t.Fatalf("forms_gen.bin is stale (a rule's or library's Rego, or the engine's reading of it, changed): go generate ./internal/policy")
	}
	onGo := 0
	for _, f := range forms {
		enc, ok := formTable(builtinFormData).lookup(f.key)
		if !ok {
			t.Errorf("%s: no form in the table", f.rule.ID)
			continue
		}
		got, err := decodeForm(enc, func(d formDep) bool { return slices.Contains(f.deps, d) })
		if err != nil {
			t.Errorf("%s: %v", f.rule.ID, err)
			continue
		}
		if g, w := formDump(got), formDump(f.form); g != w {
			t.Errorf("%s: the decoded form differs from the parsed one:\n%s", f.rule.ID, firstDiff(g, w))
		}
		if f.form.d.onGo {
			onGo++
		}
		// A library whose text changed makes the form stale.
		if len(f.deps) > 0 {
			if _, err := decodeForm(enc, func(formDep) bool { return false }); err != errStaleForm {
				t.Errorf("%s: a changed library gives %v, want errStaleForm", f.rule.ID, err)
			}
		}
	}
	if onGo < 250 {
		t.Errorf("%d forms judged on the Go fields, want the pack's (more than 250)", onGo)
	}
	t.Logf("%d forms (%d on the Go fields), %d bytes", n, onGo, len(builtinFormData))
}

// TestFormsMalformed: a truncated or altered encoding is an error (the
// rule is then parsed), never a panic.
func TestFormsMalformed(t *testing.T) {
	forms := parsedForms(t)
	ok := func(formDep) bool { return true }
	for _, f := range forms[:min(len(forms), 40)] {
		enc, err := encodeForm(f.deps, f.form)
		if err != nil {
			continue
		}
		for cut := range len(enc) {
			if _, err := decodeForm(string(enc[:cut]), ok); err == nil {
				t.Fatalf("%s: the encoding cut at %d of %d decodes", f.rule.ID, cut, len(enc))
			}
		}
		for i := range enc {
			b := slices.Clone(enc)
			b[i] ^= 0xff
			_, _ = decodeForm(string(b), ok) // no panic
		}
	}
	if _, ok := formTable("VGF1\xff\xff\xff\x7f").lookup([sha256.Size]byte{}); ok {
		t.Fatal("a table shorter than its count finds a form")
	}
}

// firstDiff shows where two dumps first differ.
func firstDiff(a, b string) string {
	la, lb := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := range max(len(la), len(lb)) {
		var x, y string
		if i < len(la) {
			x = la[i]
		}
		if i < len(lb) {
			y = lb[i]
		}
		if x != y {
			return fmt.Sprintf("line %d:\n decoded: %s\n  parsed: %s", i+1, x, y)
		}
	}
	return ""
}

// formDump prints every field of a form, reflectively (a field added to
// the forms' types is compared without changing this): types by name,
// terms and values by their Rego text, functions by their code, maps
// sorted, shared pointers printed again, a nil slice as an empty one (the
// engine reads their length).
func formDump(f ruleForm) string {
	var b strings.Builder
	names := make([]string, 0, len(f.names))
	for n := range f.names {
		names = append(names, n)
	}
	sort.Strings(names)
	fmt.Fprintf(&b, "names %v\n", names)
	dumpValue(&b, reflect.ValueOf(f.d), 0)
	dumpValue(&b, reflect.ValueOf(f.msg), 0)
	return b.String()
}

var (
	astValueType = reflect.TypeFor[ast.Value]()
	termPtrType  = reflect.TypeFor[*ast.Term]()
	gtypePtrType = reflect.TypeFor[*gtype]()
	rtypeType    = reflect.TypeFor[reflect.Type]()
	rvalueType   = reflect.TypeFor[reflect.Value]()
)

// exported is v readable through Interface (v read from an unexported
// field is not).
func exported(v reflect.Value) reflect.Value {
	if v.CanInterface() || !v.CanAddr() {
		return v
	}
	return reflect.NewAt(v.Type(), unsafe.Pointer(v.UnsafeAddr())).Elem()
}

func dumpValue(b *strings.Builder, v reflect.Value, depth int) {
	v = exported(v)
	ind := strings.Repeat(" ", depth)
	if depth > 60 {
		fmt.Fprintf(b, "%s(too deep)\n", ind)
		return
	}
	switch {
	case v.Type() == astValueType || v.Type() == termPtrType:
		if v.IsNil() {
			fmt.Fprintf(b, "%snil\n", ind)
		} else {
			fmt.Fprintf(b, "%s%T %v\n", ind, v.Interface(), v.Interface())
		}
		return
	case v.Type() == gtypePtrType:
		if v.IsNil() {
			fmt.Fprintf(b, "%sgtype nil\n", ind)
		} else {
			fmt.Fprintf(b, "%sgtype %v\n", ind, v.Interface().(*gtype).rt)
		}
		return
	case v.Type() == rtypeType:
		fmt.Fprintf(b, "%stype %v\n", ind, v.Interface())
		return
	case v.Type() == rvalueType:
		rv := v.Interface().(reflect.Value)
		if !rv.IsValid() {
			fmt.Fprintf(b, "%svalue invalid\n", ind)
		} else {
			fmt.Fprintf(b, "%svalue %v %q\n", ind, rv.Type(), rv.String())
		}
		return
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			fmt.Fprintf(b, "%snil\n", ind)
			return
		}
		dumpValue(b, v.Elem(), depth)
	case reflect.Struct:
		fmt.Fprintf(b, "%s%v{\n", ind, v.Type())
		for i := range v.NumField() {
			fmt.Fprintf(b, "%s %s:\n", ind, v.Type().Field(i).Name)
			dumpValue(b, v.Field(i), depth+2)
		}
		fmt.Fprintf(b, "%s}\n", ind)
	case reflect.Slice, reflect.Array:
		fmt.Fprintf(b, "%s[%d]\n", ind, v.Len())
		for i := range v.Len() {
			dumpValue(b, v.Index(i), depth+1)
		}
	case reflect.Map:
		keys := v.MapKeys()
		sort.Slice(keys, func(i, j int) bool { return fmt.Sprint(keys[i]) < fmt.Sprint(keys[j]) })
		fmt.Fprintf(b, "%smap[%d]\n", ind, len(keys))
		for _, k := range keys {
			fmt.Fprintf(b, "%s %v:\n", ind, k)
			dumpValue(b, v.MapIndex(k), depth+2)
		}
	case reflect.Func:
		fmt.Fprintf(b, "%sfunc nil=%v %x\n", ind, v.IsNil(), v.Pointer())
	case reflect.Bool:
		fmt.Fprintf(b, "%s%v\n", ind, v.Bool())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		fmt.Fprintf(b, "%s%d\n", ind, v.Int())
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		fmt.Fprintf(b, "%s%d\n", ind, v.Uint())
	case reflect.String:
		fmt.Fprintf(b, "%s%q\n", ind, v.String())
	default:
		fmt.Fprintf(b, "%s(%v)\n", ind, v.Kind())
	}
}
