package sigma

import (
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"regexp/syntax"
	"strconv"
	"strings"
	"testing"
)

// This file generates, for every rule, an event from the rule's own
// selections that must match and mutated events that must not. The
// generator works from the parsed rule (Items, modifiers, condition AST),
// not from the compiled matcher, which serves only as the oracle.

// searchRefs lists the search identifiers a condition refers to (patterns
// and "them" expanded), in detection order.
func searchRefs(d *Detection) []string {
	used := map[string]bool{}
	var walk func(c *Cond)
	walk = func(c *Cond) {
		switch c.Op {
		case CondRef:
			used[c.Ident] = true
		case CondOneOf, CondAllOf:
			for _, n := range d.Order {
				if c.Ident == "them" && !strings.HasPrefix(n, "_") || c.Ident != "them" && globMatch(c.Ident, n) {
					used[n] = true
				}
			}
		}
		for _, a := range c.Args {
			walk(a)
		}
	}
	walk(d.Condition)
	var out []string
	for _, n := range d.Order {
		if used[n] {
			out = append(out, n)
		}
	}
	return out
}

// evalBool evaluates a condition over a truth assignment of searches.
func evalBool(c *Cond, d *Detection, a map[string]bool) bool {
	switch c.Op {
	case CondRef:
		return a[c.Ident]
	case CondNot:
		return !evalBool(c.Args[0], d, a)
	case CondAnd:
		for _, x := range c.Args {
			if !evalBool(x, d, a) {
				return false
			}
		}
		return true
	case CondOr:
		for _, x := range c.Args {
			if evalBool(x, d, a) {
				return true
			}
		}
		return false
	case CondOneOf, CondAllOf:
		any, all := false, true
		for _, n := range d.Order {
			if c.Ident == "them" && !strings.HasPrefix(n, "_") || c.Ident != "them" && globMatch(c.Ident, n) {
				any = any || a[n]
				all = all && a[n]
			}
		}
		if c.Op == CondOneOf {
			return any
		}
		return all
	}
	panic("bad op")
}

// eventBuilder is a nested JSON object under construction.
type eventBuilder struct {
	m   map[string]any
	set map[string]bool // paths fixed by satisfied searches
	kw  int
	// pieces composes several startswith/contains/endswith constraints on
	// one field into one value.
	pieces map[string]*pieces
}

type pieces struct {
	prefix, suffix string
	mids           []string
}

func (p *pieces) value() string {
	return p.prefix + " " + strings.Join(p.mids, " ") + " " + p.suffix
}

func newBuilder() *eventBuilder {
	return &eventBuilder{m: map[string]any{}, set: map[string]bool{}, pieces: map[string]*pieces{}}
}

func (b *eventBuilder) clone() *eventBuilder {
	data, _ := json.Marshal(b.m)
	c := newBuilder()
	json.Unmarshal(data, &c.m)
	for k := range b.set {
		c.set[k] = true
	}
	c.kw = b.kw
	for k, v := range b.pieces {
		cp := *v
		cp.mids = append([]string(nil), v.mids...)
		c.pieces[k] = &cp
	}
	return c
}

func (b *eventBuilder) put(path string, v any) {
	parts := strings.Split(path, ".")
	m := b.m
	for _, p := range parts[:len(parts)-1] {
		m = childObject(m, p, true)
	}
	m[parts[len(parts)-1]] = v
}

// childObject returns the object at segment p of m (creating it when
// create): a plain key, or a key[field=value] selector, which the event
// carries as an array of name/value objects.
func childObject(m map[string]any, p string, create bool) map[string]any {
	if key, fk, fv, ok := selector(p); ok {
		arr, _ := m[key].([]any)
		for _, el := range arr {
			if o, ok := el.(map[string]any); ok && o[fk] == fv {
				return o
			}
		}
		if !create {
			return nil
		}
		o := map[string]any{fk: fv}
		m[key] = append(arr, o)
		return o
	}
	next, ok := m[p].(map[string]any)
	if !ok {
		if !create {
			return nil
		}
		next = map[string]any{}
		m[p] = next
	}
	return next
}

func (b *eventBuilder) remove(path string) {
	parts := strings.Split(path, ".")
	m := b.m
	for _, p := range parts[:len(parts)-1] {
		if m = childObject(m, p, false); m == nil {
			return
		}
	}
	delete(m, parts[len(parts)-1])
}

func (b *eventBuilder) event(t testing.TB) *JSONEvent {
	data, err := json.Marshal(b.m)
	if err != nil {
		t.Fatal(err)
	}
	return NewJSONEvent(data)
}

func hasMod(it *Item, m string) bool {
	for _, x := range it.Modifiers {
		if x == m {
			return true
		}
	}
	return false
}

// genPath is where a generated event carries a rule field: where the cloud
// puts it (the mapped path, or the source's fallback prefix such as Azure's
// "properties."), so the field map's lookups are exercised.
func genPath(fm FieldMap, field string) string {
	if ps := fm.Fields[strings.ToLower(field)]; len(ps) > 0 {
		return ps[0]
	}
	paths := fm.Paths(field)
	if len(fm.Fallbacks) > 0 && paths[0] == field {
		return paths[len(paths)-1]
	}
	return paths[0]
}

// plainOf turns a Sigma value with wildcards into a string it matches.
func plainOf(s string) string {
	var sb strings.Builder
	for _, t := range parseGlob(s) {
		switch {
		case t.one:
			sb.WriteByte('x')
		case !t.star:
			sb.WriteString(t.lit)
		}
	}
	return sb.String()
}

// regexExample returns a string the regular expression matches.
func regexExample(re *syntax.Regexp) string {
	switch re.Op {
	case syntax.OpLiteral:
		return string(re.Rune)
	case syntax.OpCharClass:
		if len(re.Rune) == 0 {
			return ""
		}
		return string(re.Rune[0])
	case syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		return "a"
	case syntax.OpCapture, syntax.OpPlus:
		return regexExample(re.Sub[0])
	case syntax.OpRepeat:
		return strings.Repeat(regexExample(re.Sub[0]), re.Min)
	case syntax.OpConcat:
		var sb strings.Builder
		for _, s := range re.Sub {
			sb.WriteString(regexExample(s))
		}
		return sb.String()
	case syntax.OpAlternate:
		return regexExample(re.Sub[0])
	}
	return ""
}

// satisfy returns the JSON value (and extra fields to set) that makes one
// item true.
func satisfy(t testing.TB, it *Item, fm FieldMap) (any, map[string]any, bool) {
	extra := map[string]any{}
	vals := it.Values
	if hasMod(it, "exists") {
		if vals[0].S == "true" {
			return "present", extra, true
		}
		return nil, extra, false // absent
	}
	if vals[0].Kind == KindNull {
		return nil, extra, true // JSON null
	}
	if hasMod(it, "neq") {
		return "vigil-neq-value", extra, true
	}
	one := func(l Lit) any {
		switch {
		case hasMod(it, "fieldref"):
			extra[genPath(fm, l.S)] = "vigil-ref-value"
			return "vigil-ref-value"
		case hasMod(it, "re"):
			flags := syntax.Perl
			if hasMod(it, "i") {
				flags |= syntax.FoldCase
			}
			re, err := syntax.Parse(l.S, flags)
			if err != nil {
				t.Fatalf("regex %q: %v", l.S, err)
			}
			return regexExample(re.Simplify())
		case hasMod(it, "cidr"):
			p := netip.MustParsePrefix(l.S).Masked()
			return p.Addr().Next().String()
		case hasMod(it, "gt"):
			return l.N + 1
		case hasMod(it, "lt"):
			return l.N - 1
		case hasMod(it, "gte"), hasMod(it, "lte"):
			return l.N
		}
		s := plainOf(l.S)
		var raw []byte = []byte(s)
		switch {
		case hasMod(it, "utf16le"), hasMod(it, "wide"):
			raw = utf16Enc(s, binary.LittleEndian, false)
		case hasMod(it, "utf16be"):
			raw = utf16Enc(s, binary.BigEndian, false)
		case hasMod(it, "utf16"):
			raw = utf16Enc(s, binary.LittleEndian, true)
		}
		if hasMod(it, "base64") || hasMod(it, "base64offset") {
			return base64.StdEncoding.EncodeToString(raw)
		}
		if len(it.Modifiers) == 0 && l.Kind == KindString {
			// The source writes its own words for some values (FieldMap.Values).
			if raw := fm.Values[strings.ToLower(it.Field)][strings.ToLower(l.S)]; len(raw) > 0 {
				return raw[0]
			}
		}
		if len(it.Modifiers) == 0 {
			switch l.Kind {
			case KindNumber:
				return l.N
			case KindBool:
				return l.S == "true"
			}
		}
		s = string(raw)
		switch {
		case hasMod(it, "contains"):
			return "pre " + s + " post"
		case hasMod(it, "startswith"):
			return s + " post"
		case hasMod(it, "endswith"):
			return "pre " + s
		}
		return s
	}
	if hasMod(it, "all") && len(vals) > 1 {
		if hasMod(it, "contains") {
			var parts []string
			for _, l := range vals {
				parts = append(parts, fmt.Sprint(one(l)))
			}
			return strings.Join(parts, " "), extra, true
		}
		// Exact values cannot all hold for one scalar: use an array.
		var arr []any
		for _, l := range vals {
			arr = append(arr, one(l))
		}
		return arr, extra, true
	}
	return one(vals[0]), extra, true
}

// applyTrue makes a search true using alternative alt.
func (b *eventBuilder) applyTrue(t testing.TB, s *Search, alt int, fm FieldMap) {
	items := s.Alternatives[alt%len(s.Alternatives)]
	for _, it := range items {
		v, extra, present := satisfy(t, it, fm)
		if it.Field == "" {
			if hasMod(it, "all") {
				for i := range it.Values {
					b.kw++
					b.put(fmt.Sprintf("vigil_keyword_%d", b.kw), plainOf(it.Values[i].S))
				}
				continue
			}
			b.kw++
			b.put(fmt.Sprintf("vigil_keyword_%d", b.kw), v)
			continue
		}
		p := genPath(fm, it.Field)
		if ps, ok := pieceOf(it); ok {
			cur := b.pieces[p]
			if cur == nil {
				cur = &pieces{}
				b.pieces[p] = cur
			}
			switch {
			case hasMod(it, "startswith"):
				cur.prefix = ps
			case hasMod(it, "endswith"):
				cur.suffix = ps
			default:
				cur.mids = append(cur.mids, ps)
			}
			b.put(p, cur.value())
			b.set[p] = true
			continue
		}
		if present {
			b.put(p, v)
			b.set[p] = true
		} else {
			b.remove(p)
		}
		for k, x := range extra {
			b.put(k, x)
			b.set[k] = true
		}
	}
}

// pieceOf reports whether an item is a plain startswith/endswith/contains
// of one value (or contains|all) and returns the text it needs.
func pieceOf(it *Item) (string, bool) {
	if !(hasMod(it, "startswith") || hasMod(it, "endswith") || hasMod(it, "contains")) {
		return "", false
	}
	for _, m := range it.Modifiers {
		switch m {
		case "startswith", "endswith", "contains", "all", "cased":
		default:
			return "", false
		}
	}
	if hasMod(it, "all") {
		var parts []string
		for _, v := range it.Values {
			parts = append(parts, plainOf(v.S))
		}
		return strings.Join(parts, " "), true
	}
	return plainOf(it.Values[0].S), true
}

// applyFalse makes a search false: in every alternative one item misses,
// preferring fields no satisfied search fixed.
func (b *eventBuilder) applyFalse(s *Search, fm FieldMap) bool {
	for _, items := range s.Alternatives {
		done := false
		for _, it := range items {
			if it.Field == "" {
				for k := range b.m {
					if strings.HasPrefix(k, "vigil_keyword_") {
						delete(b.m, k)
					}
				}
				done = true
				break
			}
			paths := fm.Paths(it.Field)
			gp := genPath(fm, it.Field)
			if b.set[gp] {
				continue
			}
			switch {
			case hasMod(it, "exists") && it.Values[0].S == "false", it.Values[0].Kind == KindNull:
				b.put(gp, "vigil-miss")
			case hasMod(it, "neq"):
				b.put(gp, plainOf(it.Values[0].S))
			default:
				for _, p := range paths {
					b.remove(p)
				}
			}
			done = true
			break
		}
		if !done {
			return false
		}
	}
	return true
}

// applyFalseValue makes search s false while keeping every field: in each
// alternative, the value of one pinned field (not an exists, neq, null or
// fieldref item) is changed to one that no pattern of the rule pins. It
// reports false when some alternative has no such field.
func (b *eventBuilder) applyFalseValue(s *Search, fm FieldMap) bool {
	for _, items := range s.Alternatives {
		done := false
		for _, it := range items {
			if it.Field == "" || len(it.Values) == 0 || it.Values[0].Kind == KindNull ||
				hasMod(it, "exists") || hasMod(it, "neq") || hasMod(it, "fieldref") {
				continue
			}
			gp := genPath(fm, it.Field)
			if b.set[gp] {
				continue
			}
			for _, p := range fm.Paths(it.Field) {
				if p != gp {
					b.remove(p)
				}
			}
			b.put(gp, "vigil-other-value")
			done = true
			break
		}
		if !done {
			return false
		}
	}
	return true
}

// build constructs an event for a truth assignment.
func build(t testing.TB, d *Detection, refs []string, a map[string]bool, alt int, fm FieldMap) (*eventBuilder, bool) {
	b := newBuilder()
	for _, n := range refs {
		if a[n] {
			b.applyTrue(t, d.Searches[n], alt, fm)
		}
	}
	for _, n := range refs {
		if !a[n] && !b.applyFalse(d.Searches[n], fm) {
			return nil, false
		}
	}
	return b, true
}

// mutate starts from a matching event and makes the searches in flip false
// (or true), keeping the rest.
func mutate(t testing.TB, base *eventBuilder, d *Detection, from, to map[string]bool, fm FieldMap) (*eventBuilder, bool) {
	return mutateWith(t, base, d, from, to, fm, (*eventBuilder).applyFalse)
}

func mutateWith(t testing.TB, base *eventBuilder, d *Detection, from, to map[string]bool, fm FieldMap, falsify func(*eventBuilder, *Search, FieldMap) bool) (*eventBuilder, bool) {
	b := base.clone()
	b.set = map[string]bool{}
	// Fields of searches that stay true are fixed.
	for n, v := range to {
		if v && from[n] {
			for _, alt := range d.Searches[n].Alternatives[:1] {
				for _, it := range alt {
					if it.Field != "" {
						b.set[genPath(fm, it.Field)] = true
					}
				}
			}
		}
	}
	for n, v := range to {
		if v && !from[n] {
			b.applyTrue(t, d.Searches[n], 0, fm)
		}
	}
	for n, v := range to {
		if !v && from[n] && !falsify(b, d.Searches[n], fm) {
			return nil, false
		}
	}
	return b, true
}

// mutateValue is mutate with pinned values changed instead of fields removed.
func mutateValue(t testing.TB, base *eventBuilder, d *Detection, from, to map[string]bool, fm FieldMap) (*eventBuilder, bool) {
	return mutateWith(t, base, d, from, to, fm, (*eventBuilder).applyFalseValue)
}

type genResult struct {
	pos, neg string
	// valueNeg keeps every field of pos but changes pinned values ("" when
	// no such mutation exists for the rule).
	valueNeg string
	err      string
}

// generate runs the generator for one rule and checks the matcher.
func generate(t testing.TB, r *Rule, fm FieldMap) genResult {
	m, err := Compile(r, fm)
	if err != nil {
		return genResult{err: "compile: " + err.Error()}
	}
	d := r.Detection
	refs := searchRefs(d)
	if len(refs) > 12 {
		return genResult{err: "too many search identifiers"}
	}
	var trueAssign, falseAssign []map[string]bool
	for mask := 0; mask < 1<<len(refs); mask++ {
		a := map[string]bool{}
		for i, n := range refs {
			a[n] = mask&(1<<i) != 0
		}
		if evalBool(d.Condition, d, a) {
			trueAssign = append(trueAssign, a)
		} else {
			falseAssign = append(falseAssign, a)
		}
	}
	if len(trueAssign) == 0 {
		return genResult{err: "condition is unsatisfiable"}
	}
	var pos *eventBuilder
	var posA map[string]bool
	for alt := 0; alt < 3 && pos == nil; alt++ {
		for _, a := range trueAssign {
			b, ok := build(t, d, refs, a, alt, fm)
			if ok && m.Match(b.event(t)) {
				pos, posA = b, a
				break
			}
		}
	}
	if pos == nil {
		b, _ := build(t, d, refs, trueAssign[0], 0, fm)
		js := ""
		if b != nil {
			data, _ := json.Marshal(b.m)
			js = string(data)
		}
		return genResult{err: "no generated event matches; first candidate: " + js}
	}
	pj, _ := json.Marshal(pos.m)
	res := genResult{pos: string(pj)}
	if len(falseAssign) == 0 {
		return res // tautology (e.g. "not x or x"): nothing can miss
	}
	// Mutations: the closest false assignments first.
	dist := func(a map[string]bool) int {
		n := 0
		for _, r := range refs {
			if a[r] != posA[r] {
				n++
			}
		}
		return n
	}
	for k := 1; k <= len(refs) && res.neg == ""; k++ {
		for _, a := range falseAssign {
			if dist(a) != k {
				continue
			}
			b, ok := mutate(t, pos, d, posA, a, fm)
			if !ok {
				continue
			}
			if m.Match(b.event(t)) {
				nj, _ := json.Marshal(b.m)
				return genResult{pos: res.pos, err: "mutated event still matches: " + string(nj)}
			}
			nj, _ := json.Marshal(b.m)
			res.neg = string(nj)
			break
		}
	}
	for k := 1; k <= len(refs) && res.valueNeg == ""; k++ {
		for _, a := range falseAssign {
			if dist(a) != k {
				continue
			}
			b, ok := mutateValue(t, pos, d, posA, a, fm)
			if !ok {
				continue
			}
			nj, _ := json.Marshal(b.m)
			if m.Match(b.event(t)) {
				return genResult{pos: res.pos, err: "event with changed values still matches: " + string(nj)}
			}
			res.valueNeg = string(nj)
			break
		}
	}
	if res.neg == "" {
		return genResult{pos: res.pos, err: "could not build a mutated event"}
	}
	return res
}

// TestGeneratedEvents: for each SigmaHQ cloud rule, an event derived from
// its own selections matches and a mutation of it does not. Rules of a vigil
// source use that source's field map (so the events have the clouds' own
// shapes); the others use the identity map.
func TestGeneratedEvents(t *testing.T) {
	dir := cloudRulesDir(t)
	var files []string
	filepath.WalkDir(dir, func(p string, de os.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(p, ".yml") {
			files = append(files, p)
		}
		return nil
	})
	n, nv := 0, 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		rules, err := ParseRule(data)
		if err != nil {
			t.Errorf("%s: %v", f, err)
			continue
		}
		for _, r := range rules {
			fm := FieldMap{}
			if src, err := r.Source(); err == nil {
				fm = FieldMapFor(src)
			}
			res := generate(t, r, fm)
			if res.err != "" {
				t.Errorf("%s (%s): %s", filepath.Base(f), r.Detection.ConditionText, res.err)
				continue
			}
			n++
			if res.valueNeg != "" {
				nv++
			}
			if testing.Verbose() && os.Getenv("SIGMA_GEN_SHOW") != "" {
				t.Logf("%s\n  + %s\n  - %s\n  ~ %s", filepath.Base(f), res.pos, res.neg, res.valueNeg)
			}
		}
	}
	t.Logf("generated matching and mutated events for %d rules, value-changed negatives for %d", n, nv)
	if n < minGenerated || nv < minValueNegatives {
		t.Errorf("generated %d rules (want >= %d), value-changed negatives %d (want >= %d)", n, minGenerated, nv, minValueNegatives)
	}
}

var _ = strconv.Itoa

// The SigmaHQ cloud rules in ../shared/corpus/sigma-cloud that the
// generator must cover (measured when written; a drop means the generator
// or the matcher lost rules).
const minGenerated, minValueNegatives = 225, 222
