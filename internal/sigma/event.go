package sigma

import (
	"encoding/binary"
	"encoding/json"
	"iter"
	"strconv"
	"strings"
	"unicode/utf8"
	"unsafe"

	"github.com/tidwall/gjson"

	"github.com/vigil-sec/vigil/internal/logs/logsource"
)

// Kind is the JSON type of a Value.
type Kind uint8

const (
	KindNull Kind = iota
	KindString
	KindNumber
	KindBool
	KindObject
	KindArray
)

// Value is a field value read from an event. Str holds the text of strings,
// the JSON text of numbers, "true"/"false" for booleans and the raw JSON of
// objects. A field that resolves to several values (a path through an array
// of objects, or an array of scalars) has Kind KindArray and the values in
// Elems: Sigma matches it when any element matches.
type Value struct {
	Kind  Kind
	Str   string
	Num   float64
	Elems []Value
}

// Event is what a compiled rule is matched against. Field names are the
// event's own JSON paths (dotted, "userIdentity.arn"), i.e. the rule's field
// names after the FieldMap of the log source.
type Event interface {
	// Field returns the value at a dotted path. Missing fields return false;
	// a JSON null returns a KindNull value and true.
	Field(path string) (Value, bool)
	// Keywords yields the text of every scalar leaf of the event, for
	// Sigma keyword (full-text) searches.
	Keywords() iter.Seq[string]
}

// JSONEvent is an Event over the raw bytes of one JSON object. It does not
// decode the event into maps: on first use the top-level members are located
// with one skip-scan (no value decoding), and a path is resolved by scanning
// only the sub-objects on the way; strings with escapes are decoded with
// gjson. A JSONEvent may be reused with Reset to avoid allocations. The raw
// bytes must not be modified while the event is in use. Lookups are cached
// per event. Not safe for concurrent use.
type JSONEvent struct {
	raw    string
	top    []kv
	parsed bool
	// topDots is set when a top-level member name contains a dot (only
	// then can a dotted path name a top-level member whole).
	topDots bool
	// cache holds the answers of Field for this event, looked up by the
	// path string's identity (its bytes' address and length): the rule
	// sets share one string per path (see NewRuleSet), so the rules of
	// a set asking for one field find its answer in one probe. gen tells
	// the slots written for this event from those of earlier ones.
	cache *[cacheSlots]cached
	gen   uint32
	// objs holds the members of the sub-objects paths went through, so
	// that several paths below one object (userIdentity.type,
	// userIdentity.arn, ...) scan it once.
	objs []objMembers
}

type objMembers struct {
	raw  string // the object's raw JSON (a substring of the event)
	ms   []kv
	dots bool // a member name contains a dot
}

type kv struct {
	key string // raw key text (escapes not decoded)
	val string // raw JSON value
}

// cacheSlots is the number of slots of an event's field cache (a power
// of two); a path may sit in either of two neighbouring slots.
const cacheSlots = 64

type cached struct {
	p   *byte // the path's bytes (unsafe.StringData)
	n   int   // the path's length
	gen uint32
	ok  bool
	val Value
}

// slot returns the first of the two cache slots of a path: its address
// and length mixed (Fibonacci hashing), the slot pair's index.
func slot(p *byte, n int) int {
	h := (uint64(uintptr(unsafe.Pointer(p))) ^ uint64(n)<<48) * 0x9e3779b97f4a7c15
	return int(h>>(64-6)) &^ 1
}

// NewJSONEvent returns an Event reading raw, one JSON object.
func NewJSONEvent(raw []byte) *JSONEvent {
	e := &JSONEvent{}
	e.Reset(raw)
	return e
}

// Reset points the event at another raw JSON object, keeping its buffers.
func (e *JSONEvent) Reset(raw []byte) {
	e.raw = unsafe.String(unsafe.SliceData(raw), len(raw))
	e.top = e.top[:0]
	if e.gen++; e.gen == 0 { // wrapped: slots of 2^32 events ago would look current
		if e.cache != nil {
			*e.cache = [cacheSlots]cached{}
		}
		e.gen = 1
	}
	e.objs = e.objs[:0]
	e.parsed, e.topDots = false, false
}

// ResetMembers is Reset for an event whose top-level members the reader
// already located while validating it: mem holds four offsets into raw
// per member (the key's text inside its quotes, start and end; the raw
// value, start and end; see logs.Record.Members). The members are taken
// from them instead of scanning the event. Offsets out of raw's bounds
// (a caller's bug) are ignored: the event is then scanned as by Reset.
func (e *JSONEvent) ResetMembers(raw []byte, mem []int32) {
	e.resetMembers(raw, mem, false, false)
}

// ResetMembersDots is ResetMembers for a caller that knows whether a
// member's key holds a '.' (logs.Record.MemberDots, noted by the reader
// while the keys were in the cache): the keys are not searched for one.
// A wrong dots changes which member a dotted path may name.
func (e *JSONEvent) ResetMembersDots(raw []byte, mem []int32, dots bool) {
	e.resetMembers(raw, mem, true, dots)
}

func (e *JSONEvent) resetMembers(raw []byte, mem []int32, known, dots bool) {
	e.Reset(raw)
	if len(mem) == 0 || len(mem)%4 != 0 {
		return
	}
	n := int32(len(raw))
	for i := 0; i < len(mem); i += 4 {
		ks, ke, vs, ve := mem[i], mem[i+1], mem[i+2], mem[i+3]
		if ks < 0 || ks > ke || ke > vs || vs >= ve || ve > n {
			e.top = e.top[:0]
			e.topDots = false
			return
		}
		e.top = append(e.top, kv{key: e.raw[ks:ke], val: e.raw[vs:ve]})
		if !known {
			e.topDots = e.topDots || dotIn(e.raw, int(ks), int(ke))
		}
	}
	if known {
		e.topDots = dots
	}
	e.parsed = true
}

// hasDot reports whether s contains a '.'.
func hasDot(s string) bool { return dotIn(s, 0, len(s)) }

// dotIn reports whether s[i:j] contains a '.', eight bytes at a time (a
// member name is short: strings.IndexByte's call cost more than its scan,
// once per member of every event); the last word is read whole when s
// has the bytes (a name is followed by at least `":` and a value), its
// lanes past j masked.
func dotIn(s string, i, j int) bool {
	const ones, highs, dots = 0x0101010101010101, 0x8080808080808080, 0x2e2e2e2e2e2e2e2e
	word := func(k int) uint64 { return binary.LittleEndian.Uint64(unsafe.Slice(unsafe.StringData(s[k:]), 8)) }
	// A zero lane of w is a '.'; the classic has-zero-byte test answers
	// exactly whether there is one (lanes with the high bit set never
	// count, nor do lanes above them).
	for ; i+8 <= j; i += 8 {
		if w := word(i) ^ dots; (w-ones)&^w&highs != 0 {
			return true
		}
	}
	if i == j {
		return false
	}
	if i+8 <= len(s) {
		w := word(i) ^ dots | highs<<(8*uint(j-i)) // lanes past j: high bit set
		return (w-ones)&^w&highs != 0
	}
	for ; i < j; i++ {
		if s[i] == '.' {
			return true
		}
	}
	return false
}

// members returns the members of the raw object r (a substring of the
// event, scanned once per event) and whether a member name contains a
// dot.
func (e *JSONEvent) members(r string) ([]kv, bool) {
	for i := range e.objs {
		if o := &e.objs[i]; len(o.raw) == len(r) && unsafe.StringData(o.raw) == unsafe.StringData(r) {
			return o.ms, o.dots
		}
	}
	var ms []kv
	if n := len(e.objs); n < cap(e.objs) {
		ms = e.objs[:n+1][n].ms[:0] // reuse the array of an earlier event
	}
	dots := false
	members(r, func(k, v string) bool {
		ms = append(ms, kv{key: k, val: v})
		dots = dots || hasDot(k)
		return true
	})
	e.objs = append(e.objs, objMembers{raw: r, ms: ms, dots: dots})
	return ms, dots
}

func (e *JSONEvent) index() {
	e.parsed = true
	members(e.raw, func(k, v string) bool {
		e.top = append(e.top, kv{key: k, val: v})
		e.topDots = e.topDots || hasDot(k)
		return true
	})
}

// Field implements Event.
func (e *JSONEvent) Field(path string) (Value, bool) {
	if e.cache == nil {
		e.cache, e.gen = new([cacheSlots]cached), max(e.gen, 1)
	}
	p, n := unsafe.StringData(path), len(path)
	i := slot(p, n)
	c := &e.cache[i]
	if c.gen == e.gen && c.p == p && c.n == n {
		return c.val, c.ok
	}
	if d := &e.cache[i+1]; d.gen == e.gen && d.p == p && d.n == n {
		return d.val, d.ok
	}
	if !e.parsed {
		e.index()
	}
	v, ok := e.lookup(path)
	if c.gen == e.gen { // taken for this event: the second slot
		c = &e.cache[i+1]
	}
	*c = cached{p: p, n: n, gen: e.gen, ok: ok, val: v}
	return v, ok
}

func (e *JSONEvent) lookup(path string) (Value, bool) {
	if path == RawPath {
		return Value{Kind: KindString, Str: e.raw}, true
	}
	head, rest, hasRest := cutPath(path)
	// A top-level key may itself contain dots: try the whole path first.
	if !hasRest || e.topDots {
		if r, ok := findKey(e.top, path); ok {
			return rawValue(r), true
		}
	}
	if key, fk, fv, ok := selector(head); ok {
		r, ok := findKey(e.top, key)
		if !ok {
			return Value{}, false
		}
		return resolveSelected(r, fk, fv, rest)
	}
	if !hasRest {
		return Value{}, false
	}
	// Longest top-level key prefix made of several segments ("a.b" key).
	for {
		if r, ok := findKey(e.top, head); ok {
			if v, ok := e.resolve(r, rest); ok {
				return v, true
			}
		}
		if !e.topDots {
			return Value{}, false // the longer prefixes contain dots
		}
		var seg string
		seg, rest, hasRest = cutPath(rest)
		if !hasRest {
			return Value{}, false
		}
		head = path[:len(head)+1+len(seg)]
	}
}

// findKey returns the value of key among top: the member named key
// exactly, else the first whose name equals key case-insensitively.
func findKey(top []kv, key string) (string, bool) {
	lo, up, every := foldFirst(key)
	fold := -1
	for i := range top {
		k := top[i].key
		if k == key {
			return top[i].val, true
		}
		if fold < 0 && mayFold(k, lo, up, every) && maySecond(k, key) && strings.EqualFold(k, key) {
			fold = i
		}
	}
	if fold >= 0 {
		return top[fold].val, true
	}
	return "", false
}

// foldFirst returns the two cases of key's first byte, for mayFold; every
// is set when that byte is not ASCII (or key is empty): then any name may
// fold to key.
func foldFirst(key string) (lo, up byte, every bool) {
	if len(key) == 0 || key[0] >= utf8.RuneSelf {
		return 0, 0, true
	}
	lo, up = key[0], key[0]
	switch {
	case 'A' <= lo && lo <= 'Z':
		lo += 'a' - 'A'
	case 'a' <= up && up <= 'z':
		up -= 'a' - 'A'
	}
	return lo, up, false
}

// maySecond reports whether name k can equal key under case folding as
// far as their second bytes tell, when both first two bytes are ASCII
// (then the second bytes face each other): equal once bit 0x20 is set,
// which every ASCII case pair is (other pairs it joins go on to
// strings.EqualFold). Most names a key is looked for among share its
// first letter ("eventName", "errorCode").
func maySecond(k, key string) bool {
	if len(k) < 2 || len(key) < 2 || k[0]|k[1]|key[0]|key[1] >= utf8.RuneSelf {
		return true
	}
	return k[1]|0x20 == key[1]|0x20
}

// mayFold reports whether name k can equal a key whose first byte's cases
// are lo and up under case folding: its first byte is one of them, or not
// ASCII (a multi-byte rune such as the Kelvin sign folds to an ASCII
// letter). It spares strings.EqualFold for most names.
func mayFold(k string, lo, up byte, every bool) bool {
	return every || len(k) == 0 || k[0] == lo || k[0] == up || k[0] >= utf8.RuneSelf
}

// childKey finds key in the raw object r: exact first, then case-insensitively.
func childKey(r, key string) (string, bool) {
	var found, fold string
	var ok, okFold bool
	lo, up, every := foldFirst(key)
	members(r, func(k, v string) bool {
		if k == key {
			found, ok = v, true
			return false
		}
		if !okFold && mayFold(k, lo, up, every) && strings.EqualFold(k, key) {
			fold, okFold = v, true
		}
		return true
	})
	if ok {
		return found, true
	}
	return fold, okFold
}

// resolve is the free resolve below, looking members of objects up in
// the event's member lists (see members) rather than scanning the object
// again for each key.
func (e *JSONEvent) resolve(r, path string) (Value, bool) {
	if path == "" || len(r) == 0 || r[0] != '{' {
		return resolve(r, path)
	}
	ms, dots := e.members(r)
	head, rest, dotted := cutPath(path)
	if !dotted || dots {
		if c, ok := findKey(ms, path); ok { // key containing dots
			return rawValue(c), true
		}
	}
	if key, fk, fv, ok := selector(head); ok {
		c, ok := findKey(ms, key)
		if !ok {
			return Value{}, false
		}
		return resolveSelected(c, fk, fv, rest)
	}
	for {
		if c, ok := findKey(ms, head); ok {
			if v, ok := e.resolve(c, rest); ok {
				return v, true
			}
		}
		if rest == "" || !dots {
			return Value{}, false
		}
		var seg string
		seg, rest, _ = cutPath(rest)
		head = path[:len(head)+1+len(seg)] // head "." seg, without a copy
	}
}

// resolve walks a dotted path below the raw value r; arrays on the way are
// flattened.
func resolve(r, path string) (Value, bool) {
	if path == "" {
		return rawValue(r), true
	}
	if len(r) > 0 && r[0] == '[' {
		var out []Value
		elements(r, func(el string) bool {
			if v, ok := resolve(el, path); ok {
				out = appendFlat(out, v)
			}
			return true
		})
		if len(out) == 0 {
			return Value{}, false
		}
		return Value{Kind: KindArray, Elems: out}, true
	}
	if len(r) == 0 || r[0] != '{' {
		return Value{}, false
	}
	if c, ok := childKey(r, path); ok { // key containing dots
		return rawValue(c), true
	}
	head, rest, _ := cutPath(path)
	if key, fk, fv, ok := selector(head); ok {
		c, ok := childKey(r, key)
		if !ok {
			return Value{}, false
		}
		return resolveSelected(c, fk, fv, rest)
	}
	for {
		if c, ok := childKey(r, head); ok {
			if v, ok := resolve(c, rest); ok {
				return v, true
			}
		}
		if rest == "" {
			return Value{}, false
		}
		var seg string
		seg, rest, _ = cutPath(rest)
		head = path[:len(head)+1+len(seg)] // head "." seg, without a copy
	}
}

// cutPath is strings.Cut(path, ".") for event paths, whose selector
// segments may hold dots in their value
// (ModifiedProperties[Name=ConsentAction.Permissions].NewValue): a dot
// between a segment's '[' and its ']' does not end the segment.
func cutPath(path string) (head, rest string, found bool) {
	i := strings.IndexByte(path, '.')
	if i < 0 {
		return path, "", false
	}
	if strings.IndexByte(path[:i], '[') < 0 {
		return path[:i], path[i+1:], true
	}
	in := false
	for j := 0; j < len(path); j++ {
		switch path[j] {
		case '[':
			in = true
		case ']':
			in = false
		case '.':
			if !in {
				return path[:j], path[j+1:], true
			}
		}
	}
	return path, "", false
}

// RawPath is the event path of the whole event's JSON text, for rule
// fields that stand for the raw event (e.g. "Payload").
const RawPath = logsource.RawPath

// selector parses a path segment of the form key[field=value]: the elements
// of the array key whose member field equals value (case-insensitively),
// e.g. ExtendedProperties[Name=RequestType].Value or
// parameter[name=SETTING_NAME].value for name/value lists.
func selector(seg string) (key, field, value string, ok bool) {
	i := strings.IndexByte(seg, '[')
	if i <= 0 || !strings.HasSuffix(seg, "]") {
		return "", "", "", false
	}
	field, value, ok = strings.Cut(seg[i+1:len(seg)-1], "=")
	if !ok || field == "" {
		return "", "", "", false
	}
	return seg[:i], field, value, true
}

// resolveSelected resolves rest below the elements of the raw array (or
// single object) r whose member field equals value.
func resolveSelected(r, field, value, rest string) (Value, bool) {
	var out []Value
	one := func(el string) {
		if len(el) == 0 || el[0] != '{' {
			return
		}
		c, ok := childKey(el, field)
		if !ok {
			return
		}
		if k := rawValue(c); k.Kind != KindString || !strings.EqualFold(k.Str, value) {
			return
		}
		if v, ok := resolve(el, rest); ok {
			out = appendFlat(out, v)
		}
	}
	switch {
	case len(r) > 0 && r[0] == '[':
		elements(r, func(el string) bool { one(el); return true })
	default:
		one(r)
	}
	switch len(out) {
	case 0:
		return Value{}, false
	case 1:
		return out[0], true
	}
	return Value{Kind: KindArray, Elems: out}, true
}

func appendFlat(out []Value, v Value) []Value {
	if v.Kind == KindArray {
		return append(out, v.Elems...)
	}
	return append(out, v)
}

// rawValue converts one raw JSON value.
func rawValue(r string) Value {
	if r == "" {
		return Value{Kind: KindNull}
	}
	switch r[0] {
	case '"':
		if strings.IndexByte(r, '\\') < 0 {
			return Value{Kind: KindString, Str: r[1 : len(r)-1]}
		}
		return Value{Kind: KindString, Str: gjson.Parse(r).Str}
	case '{':
		return Value{Kind: KindObject, Str: r}
	case '[':
		var out []Value
		elements(r, func(el string) bool {
			out = append(out, rawValue(el))
			return true
		})
		// An empty array still exists; its text form is "[]".
		return Value{Kind: KindArray, Elems: out, Str: r}
	case 't':
		return Value{Kind: KindBool, Str: "true", Num: 1}
	case 'f':
		return Value{Kind: KindBool, Str: "false"}
	case 'n':
		return Value{Kind: KindNull}
	}
	f, _ := strconv.ParseFloat(r, 64)
	return Value{Kind: KindNumber, Str: r, Num: f}
}

// Keywords implements Event: every scalar leaf (strings, numbers, booleans).
func (e *JSONEvent) Keywords() iter.Seq[string] {
	return func(yield func(string) bool) {
		walkLeaves(gjson.Parse(e.raw), yield)
	}
}

func walkLeaves(r gjson.Result, yield func(string) bool) bool {
	switch {
	case r.IsObject() || r.IsArray():
		cont := true
		r.ForEach(func(_, v gjson.Result) bool {
			cont = walkLeaves(v, yield)
			return cont
		})
		return cont
	case r.Type == gjson.String:
		return yield(r.Str)
	case r.Type == gjson.Null:
		return true
	default:
		return yield(r.Raw)
	}
}

// --- a skip-scanner over JSON text: finds value bounds without decoding.
// Input that is not valid JSON yields fewer members, never a panic.

func skipWS(s string, i int) int {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r') {
		i++
	}
	return i
}

// stringEnd returns the index after the closing quote of the string at s[i].
func stringEnd(s string, i int) int {
	j := i + 1
	for {
		k := strings.IndexByte(s[j:], '"')
		if k < 0 {
			return -1
		}
		q := j + k
		n := 0
		for p := q - 1; p > i && s[p] == '\\'; p-- {
			n++
		}
		if n&1 == 0 {
			return q + 1
		}
		j = q + 1
	}
}

// structural marks the bytes valueEnd must look at inside a container.
var structural = [256]bool{'"': true, '{': true, '}': true, '[': true, ']': true}

// valueEnd returns the index just past the JSON value starting at s[i].
func valueEnd(s string, i int) int {
	if i >= len(s) {
		return -1
	}
	switch s[i] {
	case '"':
		return stringEnd(s, i)
	case '{', '[':
		depth := 0
		for j := i; j < len(s); j++ {
			if !structural[s[j]] {
				continue
			}
			switch s[j] {
			case '"':
				e := stringEnd(s, j)
				if e < 0 {
					return -1
				}
				j = e - 1
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return j + 1
				}
			}
		}
		return -1
	}
	j := i
	for j < len(s) {
		c := s[j]
		if c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ',' || c == ']' || c == '}' || c == ':' {
			break
		}
		j++
	}
	if j == i {
		return -1
	}
	return j
}

// members calls f with the raw key (no quotes) and raw value of each member
// of the object s.
func members(s string, f func(k, v string) bool) {
	i := skipWS(s, 0)
	if i >= len(s) || s[i] != '{' {
		return
	}
	i = skipWS(s, i+1)
	for i < len(s) && s[i] == '"' {
		ke := stringEnd(s, i)
		if ke < 0 {
			return
		}
		key := s[i+1 : ke-1]
		j := skipWS(s, ke)
		if j >= len(s) || s[j] != ':' {
			return
		}
		vs := skipWS(s, j+1)
		ve := valueEnd(s, vs)
		if ve < 0 {
			return
		}
		if !f(key, s[vs:ve]) {
			return
		}
		i = skipWS(s, ve)
		if i >= len(s) || s[i] != ',' {
			return
		}
		i = skipWS(s, i+1)
	}
}

// elements calls f with each raw element of the array s.
func elements(s string, f func(v string) bool) {
	i := skipWS(s, 0)
	if i >= len(s) || s[i] != '[' {
		return
	}
	i = skipWS(s, i+1)
	for i < len(s) && s[i] != ']' {
		ve := valueEnd(s, i)
		if ve < 0 {
			return
		}
		if !f(s[i:ve]) {
			return
		}
		i = skipWS(s, ve)
		if i >= len(s) || s[i] != ',' {
			return
		}
		i = skipWS(s, i+1)
	}
}

// MapEvent is an Event over decoded JSON (map[string]any, []any, string,
// float64, bool, nil), used by tests and callers that already hold maps.
type MapEvent map[string]any

// Field implements Event.
func (m MapEvent) Field(path string) (Value, bool) {
	if path == RawPath {
		data, err := json.Marshal(map[string]any(m))
		if err != nil {
			return Value{}, false
		}
		return Value{Kind: KindString, Str: string(data)}, true
	}
	return resolveAny(map[string]any(m), path)
}

func resolveAny(x any, path string) (Value, bool) {
	if path == "" {
		return anyValue(x), true
	}
	if head, rest, _ := cutPath(path); strings.HasSuffix(head, "]") {
		if key, fk, fv, ok := selector(head); ok {
			if t, isMap := x.(map[string]any); isMap {
				if c, ok := mapKey(t, key); ok {
					return resolveAnySelected(c, fk, fv, rest)
				}
				return Value{}, false
			}
		}
	}
	switch t := x.(type) {
	case []any:
		var out []Value
		for _, el := range t {
			if v, ok := resolveAny(el, path); ok {
				out = appendFlat(out, v)
			}
		}
		if len(out) == 0 {
			return Value{}, false
		}
		return Value{Kind: KindArray, Elems: out}, true
	case map[string]any:
		if c, ok := mapKey(t, path); ok {
			return anyValue(c), true
		}
		head, rest, _ := cutPath(path)
		for {
			if c, ok := mapKey(t, head); ok {
				if v, ok := resolveAny(c, rest); ok {
					return v, true
				}
			}
			if rest == "" {
				return Value{}, false
			}
			var seg string
			seg, rest, _ = cutPath(rest)
			head = path[:len(head)+1+len(seg)] // head "." seg, without a copy
		}
	}
	return Value{}, false
}

func resolveAnySelected(c any, field, value, rest string) (Value, bool) {
	els, isArr := c.([]any)
	if !isArr {
		els = []any{c}
	}
	var out []Value
	for _, el := range els {
		o, isMap := el.(map[string]any)
		if !isMap {
			continue
		}
		f, ok := mapKey(o, field)
		if s, isStr := f.(string); !ok || !isStr || !strings.EqualFold(s, value) {
			continue
		}
		if v, ok := resolveAny(o, rest); ok {
			out = appendFlat(out, v)
		}
	}
	switch len(out) {
	case 0:
		return Value{}, false
	case 1:
		return out[0], true
	}
	return Value{Kind: KindArray, Elems: out}, true
}

func mapKey(m map[string]any, key string) (any, bool) {
	if v, ok := m[key]; ok {
		return v, true
	}
	for k, v := range m {
		if strings.EqualFold(k, key) {
			return v, true
		}
	}
	return nil, false
}

func anyValue(x any) Value {
	switch t := x.(type) {
	case nil:
		return Value{Kind: KindNull}
	case string:
		return Value{Kind: KindString, Str: t}
	case float64:
		return Value{Kind: KindNumber, Str: strconv.FormatFloat(t, 'f', -1, 64), Num: t}
	case int:
		return Value{Kind: KindNumber, Str: strconv.Itoa(t), Num: float64(t)}
	case bool:
		if t {
			return Value{Kind: KindBool, Str: "true", Num: 1}
		}
		return Value{Kind: KindBool, Str: "false"}
	case []any:
		out := make([]Value, 0, len(t))
		for _, el := range t {
			out = append(out, anyValue(el))
		}
		b, _ := json.Marshal(t)
		return Value{Kind: KindArray, Elems: out, Str: string(b)}
	default:
		b, _ := json.Marshal(t)
		return Value{Kind: KindObject, Str: string(b)}
	}
}

// Keywords implements Event.
func (m MapEvent) Keywords() iter.Seq[string] {
	return func(yield func(string) bool) { walkAny(map[string]any(m), yield) }
}

func walkAny(x any, yield func(string) bool) bool {
	switch t := x.(type) {
	case map[string]any:
		for _, v := range t {
			if !walkAny(v, yield) {
				return false
			}
		}
	case []any:
		for _, v := range t {
			if !walkAny(v, yield) {
				return false
			}
		}
	case nil:
	default:
		return yield(anyValue(t).Str)
	}
	return true
}

func itoa(i int) string { return strconv.Itoa(i) }
