package sigma

import (
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"net/netip"
	"regexp"
	"regexp/syntax"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"
	"unicode/utf8"
)

// Matcher is a compiled rule: its condition is a tree of compiled nodes,
// values are lower-cased and regular expressions compiled once. A Matcher
// is safe for concurrent use.
type Matcher struct {
	rule   *Rule
	root   node
	paths  []string            // every event path the matcher may read
	req    map[string][]string // path -> literal values one of which is required (lower-cased)
	source string
	fm     FieldMap
}

// Compile compiles a rule (and its attached filters) for events of the log
// source fm describes. Errors name the search identifier and field.
func Compile(r *Rule, fm FieldMap) (*Matcher, error) {
	if r == nil || r.Detection == nil {
		return nil, fmt.Errorf("rule has no detection")
	}
	c := &compiler{fm: fm, paths: map[string]bool{}}
	root, err := c.detection(r.Detection)
	if err != nil {
		return nil, err
	}
	m := &Matcher{rule: r, root: root, source: fm.Name, fm: fm}
	m.req = required(root)
	for _, f := range r.Filters {
		fr, err := c.detection(f.Detection)
		if err != nil {
			return nil, fmt.Errorf("filter %q (%s): %w", f.Title, f.Path, err)
		}
		root = andNode{root, notNode{fr}}
	}
	m.root = root
	for p := range c.paths {
		m.paths = append(m.paths, p)
	}
	return m, nil
}

// Rule returns the compiled rule.
func (m *Matcher) Rule() *Rule { return m.rule }

// Paths returns the event paths the matcher may read.
func (m *Matcher) Paths() []string { return m.paths }

// Required returns, per index key (a field's candidate paths joined by
// NUL), the lower-cased literals one of which the field must equal for the
// matcher to match (see NewRuleSet).
func (m *Matcher) Required() map[string][]string { return m.req }

// FieldMap returns the field map the matcher was compiled with.
func (m *Matcher) FieldMap() FieldMap { return m.fm }

// Value returns the text of a field of ev, the field named as a rule would
// (mapped with the matcher's FieldMap) or as an event path; arrays give
// their JSON text. Use it to extract correlation group-by values and alert
// context.
func (m *Matcher) Value(ev Event, field string) (string, bool) {
	for _, p := range m.fm.Paths(field) {
		if v, ok := ev.Field(p); ok {
			switch {
			case v.Kind == KindNull:
				return "", true
			case v.Kind == KindArray && v.Str == "":
				parts := make([]string, len(v.Elems))
				for i, e := range v.Elems {
					parts[i] = e.Str
				}
				return strings.Join(parts, ","), true
			}
			return v.Str, true
		}
	}
	return "", false
}

// Match reports whether the event matches the rule.
func (m *Matcher) Match(ev Event) bool { return m.root.eval(ev) }

type compiler struct {
	fm    FieldMap
	paths map[string]bool
}

func (c *compiler) detection(d *Detection) (node, error) {
	if d.Condition == nil {
		return nil, fmt.Errorf("detection has no condition")
	}
	searches := map[string]node{}
	for _, name := range d.Order {
		n, err := c.search(d.Searches[name])
		if err != nil {
			return nil, fmt.Errorf("search %q: %w", name, err)
		}
		searches[name] = n
	}
	return c.cond(d.Condition, d, searches)
}

func (c *compiler) cond(x *Cond, d *Detection, searches map[string]node) (node, error) {
	switch x.Op {
	case CondRef:
		n, ok := searches[x.Ident]
		if !ok {
			return nil, fmt.Errorf("condition references unknown search identifier %q", x.Ident)
		}
		return n, nil
	case CondNot:
		n, err := c.cond(x.Args[0], d, searches)
		if err != nil {
			return nil, err
		}
		return notNode{n}, nil
	case CondAnd, CondOr:
		kids := make([]node, 0, len(x.Args))
		for _, a := range x.Args {
			n, err := c.cond(a, d, searches)
			if err != nil {
				return nil, err
			}
			kids = append(kids, n)
		}
		if x.Op == CondAnd {
			return andNode(kids), nil
		}
		return orNode(kids), nil
	case CondOneOf, CondAllOf:
		var kids []node
		for _, name := range d.Order {
			if x.Ident == "them" {
				if strings.HasPrefix(name, "_") {
					continue
				}
			} else if !globMatch(x.Ident, name) {
				continue
			}
			kids = append(kids, searches[name])
		}
		if len(kids) == 0 {
			return nil, fmt.Errorf("condition %q matches no search identifier", x.String())
		}
		if x.Op == CondAllOf {
			return andNode(kids), nil
		}
		return orNode(kids), nil
	}
	return nil, fmt.Errorf("bad condition node")
}

func (c *compiler) search(s *Search) (node, error) {
	var alts []node
	for _, alt := range s.Alternatives {
		var items []node
		for _, it := range alt {
			n, err := c.item(it)
			if err != nil {
				if it.Field != "" {
					return nil, fmt.Errorf("line %d: field %q: %w", it.Line, it.Field, err)
				}
				return nil, fmt.Errorf("line %d: %w", it.Line, err)
			}
			items = append(items, n)
		}
		if len(items) == 1 {
			alts = append(alts, items[0])
		} else {
			alts = append(alts, andNode(items))
		}
	}
	if len(alts) == 0 {
		// An empty map: matches every event (no constraint).
		return andNode(nil), nil
	}
	if len(alts) == 1 {
		return alts[0], nil
	}
	return orNode(alts), nil
}

// --- nodes ---

type node interface{ eval(Event) bool }

type andNode []node

func (a andNode) eval(ev Event) bool {
	for _, n := range a {
		if !n.eval(ev) {
			return false
		}
	}
	return true
}

type orNode []node

func (o orNode) eval(ev Event) bool {
	for _, n := range o {
		if n.eval(ev) {
			return true
		}
	}
	return false
}

type notNode struct{ n node }

func (n notNode) eval(ev Event) bool { return !n.n.eval(ev) }

// fieldNode matches one field against values.
type fieldNode struct {
	paths  []string
	vals   []*vmatch
	all    bool // every value must match (|all)
	neq    bool // none of the values may match (|neq)
	exists int  // 0: not an exists test; 1: must exist; -1: must not exist
	// eq holds, for a field compared with many plain values, the
	// lower-cased ASCII values of its case-insensitive equality matchers
	// (one lookup for an ASCII string rather than a comparison per value);
	// other are its remaining matchers. Nil for other fields.
	eq    map[string]struct{}
	other []*vmatch
}

// minEqSet is the number of plain values from which a field's equality
// matchers are looked up in a set.
const minEqSet = 4

// newFieldNode returns a field node matching any (or, with all, every) of
// vals, with the set of plain values (eq) made when it pays.
func newFieldNode(paths []string, vals []*vmatch, all, neq bool) *fieldNode {
	f := &fieldNode{paths: paths, vals: vals, all: all, neq: neq}
	if all {
		return f
	}
	n := 0
	for _, m := range vals {
		if m.plainEq() {
			n++
		}
	}
	if n < minEqSet {
		return f
	}
	f.eq = make(map[string]struct{}, n)
	for _, m := range vals {
		if m.plainEq() {
			f.eq[m.s] = struct{}{}
		} else {
			f.other = append(f.other, m)
		}
	}
	return f
}

// plainEq reports whether m is a case-insensitive string equality with an
// ASCII value (a string of the event matches it when its ASCII lower case
// is m.s).
func (m *vmatch) plainEq() bool {
	return m.kind == vStr && m.op == opEq && !m.cased && isASCII(m.s)
}

// anyEq reports, for an ASCII string s, whether it is in f.eq: decided is
// false when s is not ASCII or too long (the matchers then compare one by
// one).
func (f *fieldNode) anyEq(s string) (found, decided bool) {
	var lb [128]byte
	if len(s) > len(lb) {
		return false, false
	}
	b := lb[:len(s)]
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			return false, false
		}
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		b[i] = c
	}
	_, found = f.eq[string(b)]
	return found, true
}

func (f *fieldNode) get(ev Event) (Value, bool) {
	for _, p := range f.paths {
		if v, ok := ev.Field(p); ok {
			return v, true
		}
	}
	return Value{}, false
}

func (f *fieldNode) eval(ev Event) bool {
	v, ok := f.get(ev)
	if f.exists != 0 {
		return ok == (f.exists > 0)
	}
	if f.eq != nil && ok && v.Kind == KindString {
		// Any value matches (without neq; with neq, none may): the set,
		// then the other matchers.
		if found, decided := f.anyEq(v.Str); decided {
			for _, m := range f.other {
				if found {
					break
				}
				found = m.match(ev, v, true)
			}
			return found != f.neq
		}
	}
	if f.neq {
		if !ok {
			return false
		}
		for _, m := range f.vals {
			if m.match(ev, v, true) {
				return false
			}
		}
		return true
	}
	if f.all {
		for _, m := range f.vals {
			if !m.match(ev, v, ok) {
				return false
			}
		}
		return true
	}
	for _, m := range f.vals {
		if m.match(ev, v, ok) {
			return true
		}
	}
	return false
}

// keywordNode is a full-text search over every scalar of the event.
type keywordNode struct {
	vals []*vmatch
	all  bool
}

func (k *keywordNode) eval(ev Event) bool {
	if k.all {
		for _, m := range k.vals {
			if !k.one(ev, m) {
				return false
			}
		}
		return true
	}
	for _, m := range k.vals {
		if k.one(ev, m) {
			return true
		}
	}
	return false
}

func (k *keywordNode) one(ev Event, m *vmatch) bool {
	for s := range ev.Keywords() {
		if m.matchScalar(ev, Value{Kind: KindString, Str: s}) {
			return true
		}
	}
	return false
}

// --- value matchers ---

type vkind uint8

const (
	vStr vkind = iota
	vNull
	vRegex
	vCIDR
	vCmp
	vFieldRef
)

type strOp uint8

const (
	opEq strOp = iota
	opPrefix
	opSuffix
	opContains
	opAny // "*"
	opGlob
)

type vmatch struct {
	kind  vkind
	op    strOp
	s     string // lower-cased unless cased
	cased bool
	re    *regexp.Regexp
	pfx   netip.Prefix
	cmp   string // gt, gte, lt, lte
	num   float64
	isNum bool // literal was a YAML number: also equal numerically
	ref   []string
	must  []string // literals a regex match must contain (prefilter)
	// timePart: minute, hour, day, week, month or year of a date value
	// compared with num (cmp "" = equal).
	timePart string
}

// match matches a field value (ok=false: field absent).
func (m *vmatch) match(ev Event, v Value, ok bool) bool {
	if m.kind == vNull {
		return !ok || v.Kind == KindNull
	}
	if !ok {
		return false
	}
	if v.Kind == KindArray && len(v.Elems) > 0 {
		for _, e := range v.Elems {
			if m.matchScalar(ev, e) {
				return true
			}
		}
		return false
	}
	return m.matchScalar(ev, v)
}

func (m *vmatch) matchScalar(ev Event, v Value) bool {
	switch m.kind {
	case vNull:
		return v.Kind == KindNull
	case vStr:
		if v.Kind == KindNull {
			return false
		}
		if m.isNum && v.Kind == KindNumber {
			return v.Num == m.num
		}
		return m.matchString(v.Str)
	case vRegex:
		if v.Kind == KindNull {
			return false
		}
		for _, l := range m.must {
			if !strings.Contains(v.Str, l) {
				return false
			}
		}
		return m.re.MatchString(v.Str)
	case vCIDR:
		a, err := netip.ParseAddr(v.Str)
		if err != nil {
			return false
		}
		return m.pfx.Contains(a.Unmap())
	case vCmp:
		var n float64
		switch {
		case m.timePart != "":
			tp, ok := timePart(v.Str, m.timePart)
			if !ok {
				return false
			}
			n = float64(tp)
		case v.Kind == KindNumber:
			n = v.Num
		case v.Kind == KindString:
			f, err := strconv.ParseFloat(strings.TrimSpace(v.Str), 64)
			if err != nil {
				return false
			}
			n = f
		default:
			return false
		}
		switch m.cmp {
		case "gt":
			return n > m.num
		case "gte":
			return n >= m.num
		case "lt":
			return n < m.num
		case "lte":
			return n <= m.num
		default:
			return n == m.num
		}
	case vFieldRef:
		for _, p := range m.ref {
			if o, ok := ev.Field(p); ok {
				return o.Kind == v.Kind && (m.cased && o.Str == v.Str || !m.cased && strings.EqualFold(o.Str, v.Str))
			}
		}
		return false
	}
	return false
}

func (m *vmatch) matchString(s string) bool {
	if m.cased {
		switch m.op {
		case opEq:
			return s == m.s
		case opPrefix:
			return strings.HasPrefix(s, m.s)
		case opSuffix:
			return strings.HasSuffix(s, m.s)
		case opContains:
			return strings.Contains(s, m.s)
		case opAny:
			return true
		}
		return m.re.MatchString(s)
	}
	switch m.op {
	case opEq:
		if len(s) != len(m.s) && asciiDiffer(s, m.s) {
			return false
		}
		return len(s) == len(m.s) && equalFoldLower(s, m.s) || len(s) != len(m.s) && !isASCII(s) && strings.EqualFold(s, m.s)
	case opPrefix:
		if match, decided := prefixFoldASCII(s, m.s); decided {
			return match
		}
		return len(s) >= len(m.s) && equalFoldLower(s[:len(m.s)], m.s) || !isASCII(s) && strings.HasPrefix(strings.ToLower(s), m.s)
	case opSuffix:
		if match, decided := suffixFoldASCII(s, m.s); decided {
			return match
		}
		return len(s) >= len(m.s) && equalFoldLower(s[len(s)-len(m.s):], m.s) || !isASCII(s) && strings.HasSuffix(strings.ToLower(s), m.s)
	case opContains:
		if found, ascii := containsFoldASCII(s, m.s); ascii {
			return found
		}
		return strings.Contains(strings.ToLower(s), m.s)
	case opAny:
		return true
	}
	return m.re.MatchString(s)
}

// equalFoldLower compares s with lower-cased ASCII-or-not p, folding s.
func equalFoldLower(s, p string) bool {
	if len(s) != len(p) {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != p[i] {
			if c >= utf8.RuneSelf || p[i] >= utf8.RuneSelf {
				return strings.EqualFold(s, p)
			}
			return false
		}
	}
	return true
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// asciiDiffer reports whether s and lower-cased p, whose lengths differ,
// cannot be equal under case folding as their first bytes tell: both
// ASCII and different once s's is lower-cased (strings of other lengths
// fold equal only through a multi-byte rune, which is not ASCII). It
// spares the scan of s for a non-ASCII byte that most values would pass.
func asciiDiffer(s, p string) bool {
	if len(s) == 0 || len(p) == 0 {
		return false
	}
	c := s[0]
	if c >= utf8.RuneSelf || p[0] >= utf8.RuneSelf {
		return false
	}
	if c >= 'A' && c <= 'Z' {
		c += 'a' - 'A'
	}
	return c != p[0]
}

// prefixFoldASCII tells whether strings.ToLower(s) starts with p (lower
// case) when the answer is decided by ASCII bytes alone: decided is false
// when a non-ASCII byte of s or p comes before the answer (the caller then
// folds s whole). Lower-casing maps an ASCII byte to one ASCII byte, so an
// ASCII start of s is an ASCII start of its lower case.
func prefixFoldASCII(s, p string) (match, decided bool) {
	n := min(len(s), len(p))
	for i := 0; i < n; i++ {
		c := s[i]
		if c >= utf8.RuneSelf || p[i] >= utf8.RuneSelf {
			return false, false
		}
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != p[i] {
			return false, true
		}
	}
	if len(s) >= len(p) {
		return true, true
	}
	// s, all ASCII, is shorter than p: so is its lower case.
	return false, true
}

// suffixFoldASCII is prefixFoldASCII for strings.ToLower(s) ending with p,
// comparing from the ends (an ASCII byte is a whole rune, so s's ASCII
// end is its lower case's end).
func suffixFoldASCII(s, p string) (match, decided bool) {
	n := min(len(s), len(p))
	for i := 1; i <= n; i++ {
		c := s[len(s)-i]
		if c >= utf8.RuneSelf || p[len(p)-i] >= utf8.RuneSelf {
			return false, false
		}
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != p[len(p)-i] {
			return false, true
		}
	}
	if len(s) >= len(p) {
		return true, true
	}
	return false, true
}

// containsFoldASCII reports whether strings.ToLower(s) contains p (lower
// case) when ASCII bytes decide it: a match in an ASCII start of s, or no
// match in an ASCII s (ascii false: a non-ASCII byte came first, found is
// meaningless). One pass: the ASCII test is made on the bytes the search
// reads.
func containsFoldASCII(s, p string) (found, ascii bool) {
	if len(p) == 0 {
		return true, true
	}
	first := p[0]
	up := first
	if first >= 'a' && first <= 'z' {
		up = first - ('a' - 'A')
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			return false, false
		}
		if c != first && c != up || i+len(p) > len(s) {
			continue
		}
		if equalFoldLower(s[i:i+len(p)], p) {
			// s[:i] is ASCII: when the match is too, lower-casing s
			// keeps it in place, whatever follows; otherwise
			// equalFoldLower folded runes, which the caller decides.
			if isASCII(s[i : i+len(p)]) {
				return true, true
			}
			return false, false
		}
	}
	return false, true
}

// --- item compilation ---

var knownModifiers = map[string]bool{
	"contains": true, "startswith": true, "endswith": true, "all": true, "re": true, "i": true, "m": true, "s": true,
	"cidr": true, "base64": true, "base64offset": true, "utf16": true, "utf16le": true, "utf16be": true, "wide": true,
	"windash": true, "exists": true, "cased": true, "gt": true, "gte": true, "lt": true, "lte": true, "neq": true,
	"expand": true, "fieldref": true,
	"minute": true, "hour": true, "day": true, "week": true, "month": true, "year": true,
}

var timeParts = []string{"minute", "hour", "day", "week", "month", "year"}

func (c *compiler) item(it *Item) (node, error) {
	mods := map[string]bool{}
	for _, m := range it.Modifiers {
		if !knownModifiers[m] {
			switch m {
			}
			return nil, fmt.Errorf("unknown modifier %q", m)
		}
		mods[m] = true
	}
	if (mods["i"] || mods["m"] || mods["s"]) && !mods["re"] {
		return nil, fmt.Errorf("modifiers i/m/s apply only with re")
	}
	if mods["all"] && len(it.Values) < 2 && it.Field != "" {
		// The spec forbids |all on a single value; it means the same as without.
		delete(mods, "all")
	}
	values := c.mapValues(it, mods)
	if mods["expand"] {
		var err error
		values, err = c.expand(values)
		if err != nil {
			return nil, err
		}
	}
	if mods["exists"] {
		if it.Field == "" || len(values) != 1 || values[0].Kind != KindBool && values[0].Kind != KindString {
			return nil, fmt.Errorf("exists takes one boolean")
		}
		b, err := strconv.ParseBool(values[0].S)
		if err != nil {
			return nil, fmt.Errorf("exists takes a boolean, got %q", values[0].S)
		}
		f := &fieldNode{paths: c.fieldPaths(it.Field), exists: -1}
		if b {
			f.exists = 1
		}
		return f, nil
	}
	if it.Field == "" && !mods["startswith"] && !mods["endswith"] && !mods["re"] && !mods["cidr"] {
		// Keywords are full-text: a keyword matches anywhere in a value.
		mods["contains"] = true
	}
	var vms []*vmatch
	for _, v := range values {
		ms, err := c.value(it, v, mods)
		if err != nil {
			return nil, err
		}
		vms = append(vms, ms...)
	}
	if it.Field == "" {
		if mods["fieldref"] || mods["exists"] || mods["neq"] {
			return nil, fmt.Errorf("keyword search cannot use %v", it.Modifiers)
		}
		for _, v := range values {
			if v.Kind == KindNull {
				return nil, fmt.Errorf("keyword search cannot be null")
			}
		}
		return &keywordNode{vals: vms, all: mods["all"]}, nil
	}
	all := mods["all"]
	if all && len(vms) != len(values) {
		// Encodings produced several variants per value: |all over the
		// variants would be wrong, group variants per value instead.
		return c.allGrouped(it, values, mods)
	}
	return newFieldNode(c.fieldPaths(it.Field), vms, all, mods["neq"]), nil
}

func (c *compiler) allGrouped(it *Item, values []Lit, mods map[string]bool) (node, error) {
	var and andNode
	paths := c.fieldPaths(it.Field)
	for _, v := range values {
		ms, err := c.value(it, v, mods)
		if err != nil {
			return nil, err
		}
		and = append(and, newFieldNode(paths, ms, false, mods["neq"]))
	}
	return and, nil
}

// mapValues applies the field map's value mapping (FieldMap.Values) to the
// plain (modifier-less) string values of a field item: a rule's "success"
// becomes the raw words the source writes ("Succeeded", "True", ...).
func (c *compiler) mapValues(it *Item, mods map[string]bool) []Lit {
	vm := c.fm.Values[strings.ToLower(it.Field)]
	if it.Field == "" || vm == nil || len(mods) > 0 {
		return it.Values
	}
	var out []Lit
	for _, v := range it.Values {
		if raw, ok := vm[strings.ToLower(v.S)]; ok && v.Kind == KindString {
			for _, r := range raw {
				out = append(out, Lit{Kind: KindString, S: r})
			}
			continue
		}
		out = append(out, v)
	}
	return out
}

func (c *compiler) fieldPaths(field string) []string {
	ps := c.fm.Paths(field)
	for _, p := range ps {
		c.paths[p] = true
	}
	return ps
}

var placeholderRe = regexp.MustCompile(`%[A-Za-z0-9_.-]+%`)

func (c *compiler) expand(values []Lit) ([]Lit, error) {
	var out []Lit
	for _, v := range values {
		ph := placeholderRe.FindAllString(v.S, -1)
		if len(ph) == 0 {
			out = append(out, v)
			continue
		}
		if len(ph) > 1 || ph[0] != v.S {
			return nil, fmt.Errorf("expand: only whole-value placeholders are supported, got %q", v.S)
		}
		name := strings.Trim(ph[0], "%")
		vals, ok := c.fm.Placeholders[name]
		if !ok {
			return nil, fmt.Errorf("expand: placeholder %s has no value (configure it in the field map's placeholders)", ph[0])
		}
		for _, s := range vals {
			out = append(out, Lit{Kind: KindString, S: s})
		}
	}
	return out, nil
}

// value compiles one literal into one or more value matchers (encodings and
// windash produce variants).
func (c *compiler) value(it *Item, v Lit, mods map[string]bool) ([]*vmatch, error) {
	cased := mods["cased"]
	if v.Kind == KindNull {
		if len(it.Modifiers) > 0 {
			return nil, fmt.Errorf("null cannot take modifiers")
		}
		return []*vmatch{{kind: vNull}}, nil
	}
	switch {
	case mods["fieldref"]:
		if v.Kind != KindString || v.S == "" {
			return nil, fmt.Errorf("fieldref takes a field name")
		}
		return []*vmatch{{kind: vFieldRef, ref: c.fieldPaths(v.S), cased: cased}}, nil
	case mods["re"]:
		flags := ""
		if mods["i"] {
			flags += "i"
		}
		if mods["m"] {
			flags += "m"
		}
		if mods["s"] {
			flags += "s"
		}
		pat := v.S
		if flags != "" {
			pat = "(?" + flags + ")" + pat
		}
		re, err := regexp.Compile(pat)
		if err != nil {
			return nil, fmt.Errorf("re: %w", err)
		}
		return []*vmatch{{kind: vRegex, re: re, must: requiredLiterals(pat)}}, nil
	case mods["cidr"]:
		p, err := netip.ParsePrefix(strings.TrimSpace(v.S))
		if err != nil {
			return nil, fmt.Errorf("cidr: %w", err)
		}
		return []*vmatch{{kind: vCIDR, pfx: p.Masked()}}, nil
	case mods["minute"] || mods["hour"] || mods["day"] || mods["week"] || mods["month"] || mods["year"]:
		part := ""
		for _, p := range timeParts {
			if mods[p] {
				if part != "" {
					return nil, fmt.Errorf("only one time modifier per field")
				}
				part = p
			}
		}
		op := ""
		for _, k := range []string{"gt", "gte", "lt", "lte"} {
			if mods[k] {
				op = k
			}
		}
		f, err := strconv.ParseFloat(v.S, 64)
		if err != nil {
			return nil, fmt.Errorf("%s needs a number, got %q", part, v.S)
		}
		return []*vmatch{{kind: vCmp, cmp: op, num: f, timePart: part}}, nil
	case mods["gt"] || mods["gte"] || mods["lt"] || mods["lte"]:
		n := 0
		op := ""
		for _, k := range []string{"gt", "gte", "lt", "lte"} {
			if mods[k] {
				n++
				op = k
			}
		}
		if n > 1 {
			return nil, fmt.Errorf("only one of gt/gte/lt/lte per field")
		}
		f, err := strconv.ParseFloat(v.S, 64)
		if err != nil {
			return nil, fmt.Errorf("%s needs a number, got %q", op, v.S)
		}
		return []*vmatch{{kind: vCmp, cmp: op, num: f}}, nil
	}

	// String matching. Encoding modifiers work on the plain value; the
	// result is a literal (no wildcards).
	var variants [][]globTok
	enc := mods["base64"] || mods["base64offset"] || mods["utf16"] || mods["utf16le"] || mods["utf16be"] || mods["wide"]
	if enc {
		plain := unescapePlain(v.S)
		var bs [][]byte
		switch {
		case mods["utf16le"] || mods["wide"]:
			bs = [][]byte{utf16Enc(plain, binary.LittleEndian, false)}
		case mods["utf16be"]:
			bs = [][]byte{utf16Enc(plain, binary.BigEndian, false)}
		case mods["utf16"]:
			bs = [][]byte{utf16Enc(plain, binary.LittleEndian, true)}
		default:
			bs = [][]byte{[]byte(plain)}
		}
		var strs []string
		switch {
		case mods["base64offset"]:
			for _, b := range bs {
				strs = append(strs, base64Offsets(b)...)
			}
		case mods["base64"]:
			for _, b := range bs {
				strs = append(strs, base64.StdEncoding.EncodeToString(b))
			}
		default:
			if !mods["base64"] {
				// utf16 without base64: compare the decoded bytes as a string.
				for _, b := range bs {
					strs = append(strs, string(b))
				}
			}
		}
		for _, s := range strs {
			variants = append(variants, []globTok{{lit: s}})
		}
		if mods["base64offset"] && !mods["contains"] {
			return nil, fmt.Errorf("base64offset needs contains")
		}
		// Base64 is case-sensitive by nature.
		cased = cased || mods["base64"] || mods["base64offset"]
	} else {
		s := v.S
		if mods["windash"] {
			for _, w := range windash(s) {
				variants = append(variants, parseGlob(w))
			}
		} else {
			variants = [][]globTok{parseGlob(s)}
		}
	}
	var out []*vmatch
	for _, toks := range variants {
		if mods["contains"] || mods["endswith"] {
			toks = append([]globTok{{star: true}}, toks...)
		}
		if mods["contains"] || mods["startswith"] {
			toks = append(toks, globTok{star: true})
		}
		m := &vmatch{kind: vStr, cased: cased}
		if v.Kind == KindNumber && len(it.Modifiers) == 0 {
			m.isNum, m.num = true, v.N
		}
		if err := m.setPattern(toks); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, nil
}

// globTok is a literal run, '*' (star) or '?' (one).
type globTok struct {
	lit  string
	star bool
	one  bool
}

// parseGlob splits a Sigma value into literals and wildcards, honouring the
// escapes of the specification: \* and \? are literal, \\ before a wildcard
// is one backslash, a backslash before anything else is itself.
func parseGlob(s string) []globTok {
	var toks []globTok
	var b strings.Builder
	flush := func() {
		if b.Len() > 0 {
			toks = append(toks, globTok{lit: b.String()})
			b.Reset()
		}
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case '\\':
			if i+1 < len(s) && (s[i+1] == '*' || s[i+1] == '?') {
				b.WriteByte(s[i+1])
				i++
			} else if i+1 < len(s) && s[i+1] == '\\' {
				b.WriteByte('\\')
				i++
			} else {
				b.WriteByte('\\')
			}
		case '*':
			flush()
			if len(toks) == 0 || !toks[len(toks)-1].star {
				toks = append(toks, globTok{star: true})
			}
		case '?':
			flush()
			toks = append(toks, globTok{one: true})
		default:
			b.WriteByte(c)
		}
	}
	flush()
	return toks
}

func unescapePlain(s string) string {
	var b strings.Builder
	for _, t := range parseGlob(s) {
		switch {
		case t.star:
			b.WriteByte('*')
		case t.one:
			b.WriteByte('?')
		default:
			b.WriteString(t.lit)
		}
	}
	return b.String()
}

func (m *vmatch) setPattern(toks []globTok) error {
	// Collapse adjacent stars (contains on a value that already has them).
	var t2 []globTok
	for _, t := range toks {
		if t.star && len(t2) > 0 && t2[len(t2)-1].star {
			continue
		}
		t2 = append(t2, t)
	}
	toks = t2
	low := func(s string) string {
		if m.cased {
			return s
		}
		return strings.ToLower(s)
	}
	hasOne := false
	nLit := 0
	for _, t := range toks {
		if t.one {
			hasOne = true
		}
		if !t.star && !t.one {
			nLit++
		}
	}
	switch {
	case len(toks) == 0:
		m.op, m.s = opEq, ""
		return nil
	case !hasOne && len(toks) == 1 && toks[0].star:
		m.op = opAny
		return nil
	case !hasOne && nLit == 1 && len(toks) == 1:
		m.op, m.s = opEq, low(toks[0].lit)
		return nil
	case !hasOne && nLit == 1 && len(toks) == 2 && toks[1].star:
		m.op, m.s = opPrefix, low(toks[0].lit)
		return nil
	case !hasOne && nLit == 1 && len(toks) == 2 && toks[0].star:
		m.op, m.s = opSuffix, low(toks[1].lit)
		return nil
	case !hasOne && nLit == 1 && len(toks) == 3 && toks[0].star && toks[2].star:
		m.op, m.s = opContains, low(toks[1].lit)
		return nil
	}
	var b strings.Builder
	b.WriteString("(?s")
	if !m.cased {
		b.WriteString("i")
	}
	b.WriteString(")^")
	for _, t := range toks {
		switch {
		case t.star:
			b.WriteString(".*")
		case t.one:
			b.WriteString(".")
		default:
			b.WriteString(regexp.QuoteMeta(t.lit))
		}
	}
	b.WriteString("$")
	re, err := regexp.Compile(b.String())
	if err != nil {
		return err
	}
	m.op, m.re = opGlob, re
	return nil
}

func utf16Enc(s string, order binary.AppendByteOrder, bom bool) []byte {
	u := utf16.Encode([]rune(s))
	var out []byte
	if bom {
		if order == binary.AppendByteOrder(binary.LittleEndian) {
			out = append(out, 0xFF, 0xFE)
		} else {
			out = append(out, 0xFE, 0xFF)
		}
	}
	for _, c := range u {
		out = order.AppendUint16(out, c)
	}
	return out
}

// base64Offsets returns the three encodings of b as it appears at offsets 0,
// 1 and 2 within a larger base64-encoded text, as pySigma does: the stable
// middle part of each.
func base64Offsets(b []byte) []string {
	start := []int{0, 2, 3}
	end := []int{0, 3, 2}
	var out []string
	for i := 0; i < 3; i++ {
		padded := append(make([]byte, i), b...)
		enc := base64.StdEncoding.EncodeToString(padded)
		e := len(enc) - end[(len(b)+i)%3]
		s := start[i]
		if s > e {
			continue
		}
		out = append(out, enc[s:e])
	}
	return out
}

// windash returns the variants of s in which every dash-like character
// (- / – — ―) that starts a word (preceded by start or a non-word character,
// followed by a word character), as pySigma's windash modifier picks them,
// is replaced by each of them; at most four positions vary (5^4 variants).
func windash(s string) []string {
	dashes := []string{"-", "/", "–", "—", "―"}
	isDash := func(r rune) bool { return r == '-' || r == '/' || r == '–' || r == '—' || r == '―' }
	isWord := func(r rune) bool {
		return r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= utf8.RuneSelf
	}
	rs := []rune(s)
	out := []string{""}
	n := 0
	for i, r := range rs {
		flag := isDash(r) && (i == 0 || !isWord(rs[i-1])) && i+1 < len(rs) && isWord(rs[i+1])
		if flag && n < 4 {
			n++
			var next []string
			for _, o := range out {
				for _, d := range dashes {
					next = append(next, o+d)
				}
			}
			out = next
			continue
		}
		for j := range out {
			out[j] += string(r)
		}
	}
	return out
}

// required derives, from a compiled node, literal values one of which some
// field must equal (exact, case-insensitive) for the node to match: path ->
// values; the key is the field's candidate paths joined by NUL. Only exact
// string matches with no wildcard are used.
func required(n node) map[string][]string {
	switch t := n.(type) {
	case andNode:
		out := map[string][]string{}
		for _, k := range t {
			for p, vs := range required(k) {
				if _, ok := out[p]; !ok || len(vs) < len(out[p]) {
					out[p] = vs
				}
			}
		}
		return out
	case orNode:
		var acc map[string][]string
		for i, k := range t {
			r := required(k)
			if i == 0 {
				acc = r
				continue
			}
			next := map[string][]string{}
			for p, vs := range acc {
				if ws, ok := r[p]; ok {
					next[p] = append(append([]string(nil), vs...), ws...)
				}
			}
			acc = next
		}
		return acc
	case *fieldNode:
		if t.exists != 0 || t.neq {
			return nil
		}
		key := strings.Join(t.paths, "\x00")
		var vs []string
		if t.all {
			// Every value must match: any one of them is required.
			for _, m := range t.vals {
				if m.kind == vStr && m.op == opEq && !m.cased && !m.isNum {
					return map[string][]string{key: {m.s}}
				}
			}
			return nil
		}
		for _, m := range t.vals {
			if m.kind != vStr || m.op != opEq || m.cased || m.isNum {
				return nil
			}
			vs = append(vs, m.s)
		}
		if len(vs) == 0 {
			return nil
		}
		return map[string][]string{key: vs}
	}
	return nil
}

// requiredLiterals returns case-sensitive literals every match of the
// regular expression contains (those concatenated at its top level).
func requiredLiterals(pat string) []string {
	re, err := syntax.Parse(pat, syntax.Perl)
	if err != nil {
		return nil
	}
	for re.Op == syntax.OpCapture {
		re = re.Sub[0]
	}
	var subs []*syntax.Regexp
	switch re.Op {
	case syntax.OpConcat:
		subs = re.Sub
	case syntax.OpLiteral:
		subs = []*syntax.Regexp{re}
	}
	var out []string
	for _, s := range subs {
		if s.Op == syntax.OpLiteral && s.Flags&syntax.FoldCase == 0 && len(s.Rune) > 1 {
			out = append(out, string(s.Rune))
		}
	}
	return out
}

// timeLayouts are the date formats the time modifiers read (the clouds'
// event times are RFC 3339).
var timeLayouts = []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02 15:04:05.999999999Z07:00", "2006-01-02 15:04:05", "2006-01-02"}

// timePart extracts a component of a date, as the time modifiers define it
// (no time zone conversion).
func timePart(s, part string) (int, bool) {
	var t time.Time
	ok := false
	for _, l := range timeLayouts {
		if x, err := time.Parse(l, strings.TrimSpace(s)); err == nil {
			t, ok = x, true
			break
		}
	}
	if !ok {
		return 0, false
	}
	switch part {
	case "minute":
		return t.Minute(), true
	case "hour":
		return t.Hour(), true
	case "day":
		return t.Day(), true
	case "week":
		_, w := t.ISOWeek()
		return w, true
	case "month":
		return int(t.Month()), true
	}
	return t.Year(), true
}

func lower(s string) string { return strings.ToLower(s) }
