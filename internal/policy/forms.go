package policy

import (
	"crypto/sha256"
	_ "embed"
	"errors"
	"reflect"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/vigil-sec/vigil/internal/resource"
)

//go:generate go test -run TestBuiltinForms -update

// builtinFormData holds the forms of the built-in rules the engine judges
// itself (their direct form and Go message, read from their Rego at build
// time): forms_gen.bin, written by TestBuiltinForms -update from the
// built-in pack. A lazy engine decodes the form of a rule it prepares from
// it instead of parsing the rule's module with OPA's parser and reading
// the form from the syntax tree (terragoat: 215 rules, about 13 MB
// allocated, 5 of them the parser's backtracking, and the parser's code
// pages). A rule not in the table, or whose form depends on a library
// whose text changed since, is parsed as before: a stale table costs time,
// never a wrong rule, and TestBuiltinForms fails while it is stale. Rules
// OPA evaluates (or whose message OPA computes, when it does) are parsed
// when OPA needs them, as before.
//
// Layout: "VGF1", the number of forms (4 bytes, little-endian), then per
// form, sorted by key, its key (formKey, 32 bytes), the offset and the
// length of its encoding (4 bytes each); then the encodings (see
// decodeForm).
//
//go:embed forms_gen.bin
var builtinFormData string

const (
	formMagic  = "VGF1"
	formRecord = sha256.Size + 8
)

// formKey identifies what a rule's form is read from: its class and its
// module's text after the package line (bodyKey); the libraries it calls
// are checked apart (a form's deps).
func formKey(class resource.Class, body [sha256.Size]byte) [sha256.Size]byte {
	buf := make([]byte, 0, sha256.Size+len(class))
	return sha256.Sum256(append(append(buf, body[:]...), class...))
}

// formTable is an encoded table of forms (builtinFormData).
type formTable string

// lookup returns the encoding of the form of key, or false.
func (t formTable) lookup(key [sha256.Size]byte) (string, bool) {
	s := string(t)
	if len(s) < 8 || s[:4] != formMagic {
		return "", false
	}
	n := le32(s[4:])
	if len(s) < 8+n*formRecord {
		return "", false
	}
	k := string(key[:])
	lo, hi := 0, n
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		rec := s[8+m*formRecord:]
		switch c := strings.Compare(rec[:sha256.Size], k); {
		case c == 0:
			off, ln := le32(rec[sha256.Size:]), le32(rec[sha256.Size+4:])
			if off < 0 || ln < 0 || off+ln > len(s) {
				return "", false
			}
			return s[off : off+ln], true
		case c < 0:
			lo = m + 1
		default:
			hi = m
		}
	}
	return "", false
}

// le32 reads a little-endian uint32 at the start of s.
func le32(s string) int {
	return int(uint32(s[0]) | uint32(s[1])<<8 | uint32(s[2])<<16 | uint32(s[3])<<24)
}

// A ruleForm is a rule's form decoded: the names its module defines, its
// direct form, and its Go message (nil: none, or OPA's).
type ruleForm struct {
	names map[string]bool
	d     *direct
	msg   *msgExpr
}

// A formDep is a library package a form was read with: the body (bodyKey)
// of its one file, or none (has false: the package was not one file).
type formDep struct {
	pkg  string
	has  bool
	body [sha256.Size]byte
}

var errForm = errors.New("malformed rule form")

// formReader reads an encoding; the first error sticks.
type formReader struct {
	s   string
	i   int
	err error
}

func (r *formReader) fail() {
	if r.err == nil {
		r.err = errForm
	}
}

func (r *formReader) uint() uint64 {
	var x uint64
	var shift uint
	for r.err == nil {
		if r.i >= len(r.s) || shift > 63 {
			r.fail()
			return 0
		}
		b := r.s[r.i]
		r.i++
		x |= uint64(b&0x7f) << shift
		if b < 0x80 {
			return x
		}
		shift += 7
	}
	return 0
}

// n reads a count, bounded by what is left to read (every element takes a
// byte at least).
func (r *formReader) n() int {
	n := r.uint()
	if n > uint64(len(r.s)-r.i) {
		r.fail()
		return 0
	}
	return int(n)
}

func (r *formReader) int() int64 {
	u := r.uint()
	return int64(u>>1) ^ -int64(u&1)
}

func (r *formReader) byte() byte {
	if r.err != nil || r.i >= len(r.s) {
		r.fail()
		return 0
	}
	b := r.s[r.i]
	r.i++
	return b
}

func (r *formReader) bool() bool { return r.byte() == 1 }

// str reads a string: a slice of the table's text, not a copy.
func (r *formReader) str() string {
	n := r.n()
	if r.err != nil {
		return ""
	}
	s := r.s[r.i : r.i+n]
	r.i += n
	return s
}

func (r *formReader) strs() []string {
	n := r.n()
	if n == 0 {
		return nil
	}
	out := make([]string, n)
	for i := range out {
		out[i] = r.str()
	}
	return out
}

// Tags of a scalar constant.
const (
	scNone byte = iota
	scNull
	scFalse
	scTrue
	scNumber
	scString
)

func (r *formReader) value() ast.Value {
	switch r.byte() {
	case scNone:
		return nil
	case scNull:
		return ast.Null{}
	case scFalse:
		return ast.Boolean(false)
	case scTrue:
		return ast.Boolean(true)
	case scNumber:
		return ast.Number(r.str())
	case scString:
		return ast.String(r.str())
	}
	r.fail()
	return nil
}

// terms reads a path of string keys as terms.
func (r *formReader) terms() []*ast.Term {
	keys := r.strs()
	if keys == nil {
		return nil
	}
	out := make([]*ast.Term, len(keys))
	for i, k := range keys {
		out[i] = ast.StringTerm(k)
	}
	return out
}

// gotype reads a Go type of the resource model: nil (the resource view),
// or its steps from resource.Resource (a field's key, or "" for the
// element of a pointer, slice or map), checked against its name.
func (r *formReader) gotype() reflect.Type {
	if !r.bool() {
		return nil
	}
	name := r.str()
	t := resourceType
	for _, step := range r.strs() {
		if r.err != nil {
			return nil
		}
		if step == "" {
			switch t.Kind() {
			case reflect.Pointer, reflect.Slice, reflect.Map:
				t = t.Elem()
				continue
			}
			r.fail()
			return nil
		}
		if t.Kind() != reflect.Struct {
			r.fail()
			return nil
		}
		var next reflect.Type
		for _, f := range structFields(t) {
			if f.name == step {
				next = t.Field(f.index).Type
				break
			}
		}
		if next == nil {
			r.fail()
			return nil
		}
		t = next
	}
	if r.err == nil && t.String() != name {
		r.fail() // the resource model changed: parse the rule
	}
	return t
}

func (r *formReader) nav() *goNav {
	if !r.bool() {
		return nil
	}
	from := r.gotype()
	keys := r.strs()
	if r.err != nil {
		return nil
	}
	n, ok := compileNavKeys(from, keys)
	if !ok {
		r.fail()
	}
	return n
}

func (r *formReader) conds() []directCond {
	n := r.n()
	if n == 0 || r.err != nil {
		return nil
	}
	out := make([]directCond, n)
	for i := range out {
		r.cond(&out[i])
	}
	return out
}

func (r *formReader) bodies() [][]directCond {
	n := r.n()
	if n == 0 {
		return nil
	}
	out := make([][]directCond, n)
	for i := range out {
		out[i] = r.conds()
	}
	return out
}

func (r *formReader) cond(c *directCond) {
	c.path = r.terms()
	c.op = cmpOp(r.byte())
	c.value = r.value()
	c.negated = r.bool()
	if r.bool() {
		if len(c.path) == 0 {
			r.fail()
			return
		}
		keys := make([]string, len(c.path))
		for i, t := range c.path {
			keys[i] = string(t.Value.(ast.String))
		}
		if c.g = compileGoKeys(keys, c.op == opDefined || c.op == opExists); c.g == nil {
			r.fail()
		}
	}
	if v := r.value(); v != nil {
		c.k = newConstant(v)
	}
	if n := r.n(); n > 0 {
		c.set = make([]constant, n)
		for i := range c.set {
			c.set[i] = newConstant(r.value())
		}
	}
	c.root, c.level = r.byte(), r.byte()
	c.alts = r.bodies()
	c.cnt, c.xf = r.bool(), r.byte()
	c.sub = r.conds()
	c.rhs = r.terms()
	c.rhsRoot, c.hasRHS = r.byte(), r.bool()
	c.nav, c.rnav = r.nav(), r.nav()
	c.set0, c.tuple = int(r.uint()), r.bool()
	if r.bool() {
		name := r.str()
		var args [][]string
		if n := r.n(); n > 0 {
			args = make([][]string, n)
			for i := range args {
				args[i] = r.strs()
			}
		}
		if r.err == nil {
			if c.nat = newNatCall(name, args); c.nat == nil {
				r.fail()
			}
		}
	}
	c.tfn, c.cop = r.byte(), cmpOp(r.byte())
}

func (r *formReader) direct() *direct {
	if !r.bool() {
		return nil
	}
	d := &direct{bodies: r.bodies(), skips: r.bodies()}
	d.message, d.hasMessage, d.onGo = r.str(), r.bool(), r.bool()
	if n := r.n(); n > 0 {
		d.derived = make([]derivedSet, n)
		for i := range d.derived {
			ds := &d.derived[i]
			for _, c := range r.strs() {
				ds.classes = append(ds.classes, resource.Class(c))
			}
			ds.bodies = r.bodies()
		}
	}
	return d
}

func (r *formReader) expr() *msgExpr {
	if !r.bool() || r.err != nil {
		return nil
	}
	e := &msgExpr{kind: msgKind(r.byte()), s: r.str(), nav: r.nav()}
	if n := r.n(); n > 0 {
		e.args = make([]*msgExpr, n)
		for i := range e.args {
			e.args[i] = r.expr()
		}
	}
	if name := r.str(); name != "" {
		for _, nl := range nativeLibs {
			if h, ok := nl.helpers[name]; ok {
				e.native = h
			}
		}
		if e.native == nil {
			r.fail()
		}
	}
	if n := r.n(); n > 0 {
		e.ports = make([]int64, n)
		for i := range e.ports {
			e.ports[i] = r.int()
		}
	}
	e.key, e.def, e.portsOf = r.nav(), r.expr(), r.expr()
	if n := r.n(); n > 0 {
		e.portConds = make([][]directCond, n)
		for i := range e.portConds {
			e.portConds[i] = r.conds()
		}
	}
	if n := r.n(); n > 0 {
		e.choices = make([]msgLink, n)
		for i := range e.choices {
			e.choices[i] = msgLink{conds: r.conds(), text: r.expr()}
		}
	}
	e.n, e.length = r.int(), r.int()
	if n := r.n(); n > 0 {
		e.table = make(map[string]int64, n)
		for range n {
			k := r.str()
			e.table[k] = r.int()
		}
	}
	e.body = r.conds()
	e.lvl, e.level, e.each = r.byte(), r.byte(), r.bool()
	return e
}

// decodeForm decodes a form: the libraries it was read with, which dep
// must confirm (false: the form is stale), then the names its module
// defines, its direct form and its Go message.
func decodeForm(s string, dep func(formDep) bool) (ruleForm, error) {
	r := &formReader{s: s}
	for range r.n() {
		d := formDep{pkg: r.str(), has: r.bool()}
		if d.has {
			if r.err != nil || len(r.s)-r.i < sha256.Size {
				return ruleForm{}, errForm
			}
			copy(d.body[:], r.s[r.i:])
			r.i += sha256.Size
		}
		if r.err != nil {
			return ruleForm{}, r.err
		}
		if !dep(d) {
			return ruleForm{}, errStaleForm
		}
	}
	var f ruleForm
	names := r.strs()
	f.names = make(map[string]bool, len(names))
	for _, n := range names {
		f.names[n] = true
	}
	f.d = r.direct()
	f.msg = r.expr()
	if r.err == nil && r.i != len(r.s) {
		r.fail()
	}
	if r.err != nil {
		return ruleForm{}, r.err
	}
	if f.d == nil {
		return ruleForm{}, errForm
	}
	return f, nil
}

var errStaleForm = errors.New("rule form read with another library")
