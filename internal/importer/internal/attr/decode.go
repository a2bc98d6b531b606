package attr

import (
	"bytes"
	"encoding/binary"
	"hash/maphash"
	"math/bits"
	"slices"
	"strconv"
	"sync"
	"unicode/utf8"

	gojson "github.com/goccy/go-json"
)

// The exports' decoder. The normalizers read exports as generic trees
// (M, []any, string, float64, bool, nil), so the trees stay, but they are
// built here with fewer allocations than a general decoder makes: object
// keys and short repeated values (regions, accounts, types, states, small
// numbers) are interned through small per-decoder caches, so that a key or
// a value seen before costs no allocation and the decoded trees share one
// copy; maps and slices are allocated once at their final size.
//
// Any input this decoder does not take on the fast path — a syntax error,
// a string with escapes or invalid UTF-8 it cannot copy, a number out of
// range, deep nesting, a target other than a nil *any, *M or *[]any — is
// decoded again by goccy/go-json, so the result and the error (with its
// offset, which problems report) are that decoder's, byte for byte: the
// fast path only accepts what it decodes to the same tree.

// Decode unmarshals data into v. A syntax error reports its byte offset.
func Decode(data []byte, v any) error {
	switch p := v.(type) {
	case *any:
		if *p == nil {
			if val, ok := fastDecode(data); ok {
				*p = val
				return nil
			}
		}
	case *M:
		if *p == nil {
			if val, ok := fastDecode(data); ok {
				if m, isObj := val.(M); isObj {
					*p = m
					return nil
				}
			}
		}
	case *[]any:
		if *p == nil {
			if val, ok := fastDecode(data); ok {
				if a, isArr := val.([]any); isArr {
					*p = a
					return nil
				}
			}
		}
	}
	return gojson.Unmarshal(data, v)
}

// DecodeObjects decodes a JSON object as Decode does into a map, but the
// objects below it are Objects rather than maps (see Object) when the fast
// path takes the text; a text it does not take is decoded by Decode (maps
// throughout, or the error).
func DecodeObjects(data []byte) (M, error) {
	d := decoders.Get().(*decoder)
	v, ok := d.decodeMode(data, true)
	decoders.Put(d)
	if m, isObj := v.(M); ok && isObj {
		return m, nil
	}
	var m M
	err := Decode(data, &m)
	return m, err
}

// fastDecode decodes a whole JSON text into a generic tree; ok is false
// when the text is not one the fast path takes (see above).
func fastDecode(data []byte) (v any, ok bool) {
	d := decoders.Get().(*decoder)
	v, ok = d.decode(data)
	decoders.Put(d)
	return v, ok
}

// decode is fastDecode on d.
func (d *decoder) decode(data []byte) (v any, ok bool) {
	return d.decodeMode(data, false)
}

// decodeMode is decode, with the objects below the text's own decoded as
// Objects when objects is set.
func (d *decoder) decodeMode(data []byte, objects bool) (v any, ok bool) {
	d.buf, d.pos, d.objMode = data, 0, objects
	v, ok = d.value(0)
	if ok {
		d.skipSpace()
		ok = d.pos == len(d.buf)
	}
	d.buf, d.objMode = nil, false
	// The members and elements decoded are dropped from the buffers
	// without clearing them one object at a time: what this decoding used
	// of them is cleared here, so that a pooled decoder holds no decoded
	// tree (a decoding that failed left its open members and elements in
	// them).
	clear(d.entries[:max(d.entriesUsed, len(d.entries))])
	clear(d.items[:max(d.itemsUsed, len(d.items))])
	d.entries, d.items = d.entries[:0], d.items[:0]
	d.entriesUsed, d.itemsUsed = 0, 0
	if !ok {
		return nil, false
	}
	return v, true
}

// maxFastDepth is the nesting the fast path takes; deeper texts go to
// goccy/go-json (which has its own limit and error).
const maxFastDepth = 512

// internMax is the length of the longest value interned: identifiers
// (ARNs, resource IDs) are longer and mostly unique.
const internMax = 48

const (
	keySlots   = 1 << 12
	valueSlots = 1 << 13
	numSlots   = 1 << 10
	objSlots   = 1 << 12
	arrSlots   = 1 << 12
	seenSlots  = 1 << 14
	// prefixSlots holds how small objects began (see prefixHash).
	prefixSlots = 1 << 14
	// longSlots and longSeenSlots cache strings longer than internMax
	// (see internLong).
	longSlots     = 1 << 13
	longSeenSlots = 1 << 15
)

// longMax is the length of the longest string internLong caches.
const longMax = 512

// objMax is the length of the longest object text shared (see objSlot).
const objMax = 512

// objSlot caches one small object: exports repeat the same small objects
// thousands of times (tags, {"enabled": true}, SKUs, logging settings),
// and a Go map costs two allocations and at least 336 bytes whatever its
// size, so an object whose text (its bytes from '{' to '}', at most
// objMax) was decoded before is the map decoded then, found before its
// text is decoded again. A text is kept only the second time its hash is
// seen (seen), so objects seen once (holding an ID) cost no copy and do
// not push out the repeated ones. The whole text's own object (depth 1)
// is never shared: the map Decode returns is the caller's. The objects
// and arrays inside it are read-only: whoever changes one (inventory's
// merge of Raw) copies it first.
//
// Small arrays are shared the same way, in their own cache (arrs):
// exports repeat them too (a Cloud Asset's ancestors in every asset of a
// project, protocol and port lists, members), and an array found there
// costs neither its decoding nor its slice and box.
type objSlot struct {
	lit string // the object's or array's text
	v   any    // the M (or *Object) or the boxed []any decoded from it
	// obj tells that v was decoded with objects as Objects (objMode): it is
	// handed out only to a decoding in the same mode.
	obj bool
}

// shareState is what lookShared found out about a small object or array
// before decoding it, for rememberShared after: ph its prefixHash, and h
// and slot its text's hash and cache slot when it was looked for (end:
// where it was found to end), else 0, nil and -1.
type shareState struct {
	ph, h uint64
	slot  *objSlot
	end   int
}

type valueSlot struct {
	s string
	v any
}

// decoder is one decoding's state; its caches outlive it (decoders are
// pooled), so the second file of an import finds the first one's keys.
type decoder struct {
	buf     []byte
	pos     int
	entries []entry // object members being decoded, innermost last
	items   []any   // array elements being decoded, innermost last
	// entriesUsed and itemsUsed are how much of entries and items this
	// decoding used (cleared once at its end).
	entriesUsed, itemsUsed int
	// objMode makes the objects decoded below the text's own object Objects
	// rather than maps (see Object); keyHash is the shortHash of the key
	// memberKey read last (0 when it did not hash it).
	objMode bool
	keyHash uint64
	// itemObjs: DecodeShapedObjects' items (objMode below their members).
	itemObjs bool
	keys     [keySlots]string
	strs     [valueSlots]valueSlot
	nums     [numSlots]valueSlot
	objs     [objSlots]objSlot
	arrs     [arrSlots]objSlot
	seen     [seenSlots]uint64
	// prefixes holds the prefixHash of small objects decoded (a slot
	// another prefix took only costs a missed sharing).
	prefixes [prefixSlots]uint64
	// prefixMiss counts, by prefix slot, the look-ups since the last one
	// that found the text cached (see lookShared).
	prefixMiss [prefixSlots]uint8
	// longs and longSeen are internLong's cache and the hashes of the
	// long strings seen once.
	longs    [longSlots]valueSlot
	longSeen [longSeenSlots]uint64
}

// emptyArray is every empty array decoded: one boxed empty slice (nothing
// can be stored in it) rather than a box allocated each time.
var emptyArray any = []any{}

// emptyObject is every empty object decoded below a text's own object
// (exports have one in most AWS Config items, "supplementaryConfiguration":
// {}, and in many tags): decoded trees are read-only (see objSlot), and a
// Go map costs an allocation even empty. TestEmptyObjectStaysEmpty
// (importer) checks that no import writes into it.
var emptyObject any = M{}

type entry struct {
	k string
	v any
}

var (
	decoders = sync.Pool{New: func() any { return new(decoder) }}
	seed     = maphash.MakeSeed()
)

func (d *decoder) skipSpace() {
	for d.pos < len(d.buf) {
		switch d.buf[d.pos] {
		case ' ', '\t', '\n', '\r':
			d.pos++
		default:
			return
		}
	}
}

func (d *decoder) value(depth int) (any, bool) {
	d.skipSpace()
	if d.pos >= len(d.buf) {
		return nil, false
	}
	switch c := d.buf[d.pos]; {
	case c == '{':
		return d.object(depth + 1)
	case c == '[':
		return d.array(depth + 1)
	case c == '"':
		lit, plain, ok := d.str()
		if !ok {
			return nil, false
		}
		if !plain {
			s, ok := unquote(lit)
			if !ok {
				return nil, false
			}
			return s, true
		}
		return d.internValue(lit), true
	case c == 't':
		if d.literal("true") {
			return true, true
		}
	case c == 'f':
		if d.literal("false") {
			return false, true
		}
	case c == 'n':
		if d.literal("null") {
			return nil, true
		}
	case c == '-' || (c >= '0' && c <= '9'):
		return d.number()
	}
	return nil, false
}

func (d *decoder) literal(lit string) bool {
	if len(d.buf)-d.pos >= len(lit) && string(d.buf[d.pos:d.pos+len(lit)]) == lit {
		d.pos += len(lit)
		return true
	}
	return false
}

func (d *decoder) object(depth int) (any, bool) {
	if depth > maxFastDepth {
		return nil, false
	}
	start := d.pos
	var st shareState
	share := depth > 1 && depth <= maxFastDepth-objMax/2
	if share {
		var v any
		if st, v = d.lookShared('}', d.objs[:]); v != nil {
			return v, true
		}
	}
	d.pos++ // '{'
	d.skipSpace()
	if d.pos < len(d.buf) && d.buf[d.pos] == '}' {
		d.pos++
		switch {
		case depth == 1:
			return M{}, true
		case d.objMode:
			return emptyObj, true
		}
		return emptyObject, true
	}
	base := len(d.entries)
	// keys has a bit per hash of the keys read so far (objMode), and
	// dup tells that one repeats: an Object holds each key once.
	var keys uint64
	dup := false
	for {
		k, ok := d.memberKey()
		if !ok {
			return nil, false
		}
		if d.objMode && !dup {
			bit := uint64(1) << (d.keyHash & 63)
			if d.keyHash == 0 || keys&bit != 0 {
				dup = slices.ContainsFunc(d.entries[base:], func(e entry) bool { return e.k == k })
			}
			keys |= bit
		}
		v, ok := d.value(depth)
		if !ok {
			return nil, false
		}
		d.entries = append(d.entries, entry{k, v})
		d.skipSpace()
		if d.pos >= len(d.buf) {
			return nil, false
		}
		switch d.buf[d.pos] {
		case ',':
			d.pos++
		case '}':
			d.pos++
			var m any
			if d.objMode && depth > 1 {
				m = d.objOf(base, dup)
			} else {
				m = d.mapOf(base)
			}
			if share {
				d.rememberShared(start, st, d.objs[:], m)
			}
			return m, true
		default:
			return nil, false
		}
	}
}

// memberKey reads an object member's key and the colon after it.
func (d *decoder) memberKey() (string, bool) {
	d.skipSpace()
	if d.pos >= len(d.buf) || d.buf[d.pos] != '"' {
		return "", false
	}
	lit, plain, ok := d.str()
	if !ok {
		return "", false
	}
	var k string
	d.keyHash = 0
	if plain {
		k = d.internKey(lit)
	} else if k, ok = unquote(lit); !ok {
		return "", false
	}
	d.skipSpace()
	if d.pos >= len(d.buf) || d.buf[d.pos] != ':' {
		return "", false
	}
	d.pos++
	return k, true
}

// mapOf makes the members decoded since entries[base] a map, and drops
// them from entries.
func (d *decoder) mapOf(base int) M {
	es := d.entries[base:]
	d.entriesUsed = max(d.entriesUsed, len(d.entries))
	m := make(M, len(es))
	for _, e := range es {
		m[e.k] = e.v
	}
	d.entries = d.entries[:base]
	return m
}

// objOf makes the members decoded since entries[base] an Object, and drops
// them from entries. dup: a key may appear twice (then the Object holds it
// once, with its last value, as a map would).
func (d *decoder) objOf(base int, dup bool) *Object {
	es := d.entries[base:]
	d.entriesUsed = max(d.entriesUsed, len(d.entries))
	o := newObject(len(es))
	copy(o.ms, es)
	if dup {
		o.ms = dedupe(o.ms)
	}
	d.entries = d.entries[:base]
	return o
}

// dedupe keeps the first member of each key, with the value of its last.
func dedupe(ms []entry) []entry {
	n := 0
next:
	for _, e := range ms {
		for i := range ms[:n] {
			if ms[i].k == e.k {
				ms[i].v = e.v
				continue next
			}
		}
		ms[n] = e
		n++
	}
	clear(ms[n:])
	return ms[:n]
}

// missSkip is how many look-ups in a row (see lookShared) may miss for
// one beginning before the next ones are skipped, and missRetry-missSkip
// how many are skipped before one more is made: objects that begin alike
// but differ further on (an ID after a common first member) would
// otherwise cost a search for their end and a hash of their text each.
const (
	missSkip  = 4
	missRetry = 32
)

// prefixLen is how much of an object's text prefixHash reads.
const prefixLen = 32

// prefixHash hashes how the object (closer '}') or array (closer ']') at
// buf[start] begins: its first prefixLen bytes, or up to its first closer
// when that comes sooner (then it may be the value's end: the bytes hashed
// are always the value's own, so the same text has the same hash wherever
// it is). Never 0.
func (d *decoder) prefixHash(start int, closer byte) uint64 {
	p := d.buf[start:min(len(d.buf), start+prefixLen)]
	if i := bytes.IndexByte(p, closer); i >= 0 {
		p = p[:i+1]
	}
	return shortHash(p) | 1
}

// lookShared looks in cache for the object or array (closed by closer)
// at d.pos: where it ends is looked for (and its text hashed) only when a
// small one decoded before began the same way. v is the value cached for
// the same text (d.pos then past it), else nil, and st what rememberShared
// needs once it is decoded.
func (d *decoder) lookShared(closer byte, cache []objSlot) (st shareState, v any) {
	start := d.pos
	st.ph, st.end = d.prefixHash(start, closer), -1
	slot := st.ph & (prefixSlots - 1)
	if d.prefixes[slot] != st.ph {
		return st, nil
	}
	if m := &d.prefixMiss[slot]; *m >= missSkip {
		// This beginning kept leading to texts not cached: looked for
		// again once in missRetry-missSkip+1 times.
		if *m++; *m == missRetry {
			*m = missSkip - 1
		} else {
			return st, nil
		}
	}
	if st.end = objectEnd(d.buf, start); st.end > 0 {
		lit := d.buf[start:st.end]
		st.h = maphash.Bytes(seed, lit)
		st.slot = &cache[st.h&uint64(len(cache)-1)]
		if st.slot.v != nil && st.slot.obj == d.objMode && st.slot.lit == string(lit) {
			d.pos = st.end
			d.prefixMiss[slot] = 0
			return st, st.slot.v
		}
	}
	d.prefixMiss[slot]++
	return st, nil
}

// rememberShared notes the small object or array v just decoded from
// d.buf[start:d.pos] (st: what lookShared found before): its beginning,
// so that the next one beginning the same way is looked for in cache, and
// its text, cached the second time its hash is seen. A text longer than
// objMax is not shared.
func (d *decoder) rememberShared(start int, st shareState, cache []objSlot, v any) {
	if d.pos-start > objMax {
		return
	}
	if slot := st.ph & (prefixSlots - 1); d.prefixes[slot] != st.ph {
		d.prefixes[slot], d.prefixMiss[slot] = st.ph, 0
	}
	lit := d.buf[start:d.pos]
	h, slot := st.h, st.slot
	if d.pos != st.end {
		h = maphash.Bytes(seed, lit)
		slot = &cache[h&uint64(len(cache)-1)]
	}
	if seen := &d.seen[(h>>32)&(seenSlots-1)]; *seen == h {
		*slot = objSlot{lit: string(lit), v: v, obj: d.objMode}
	} else {
		*seen = h
	}
}

// objectEnd is the offset just past the '}' that closes the object
// starting at buf[start], or -1 when it is not within objMax bytes. It
// only finds where the object would end: a cached text is used only when
// the bytes up to there are the same (then they decode to the same
// object, whatever follows), so a text that does not parse is never
// taken for one that did.
func objectEnd(buf []byte, start int) int {
	limit := min(len(buf), start+objMax)
	depth := 0
	for i := start; i < limit; i++ {
		switch buf[i] {
		case '"':
			// The closing quote: the next one not escaped (preceded by
			// an even number of backslashes).
			for {
				j := bytes.IndexByte(buf[i+1:limit], '"')
				if j < 0 {
					return -1
				}
				i += 1 + j
				k := i - 1
				for buf[k] == '\\' {
					k--
				}
				if (i-1-k)%2 == 0 {
					break
				}
			}
		case '{', '[':
			depth++
		case '}', ']':
			if depth--; depth == 0 {
				return i + 1
			}
		}
	}
	return -1
}

func (d *decoder) array(depth int) (any, bool) {
	if depth > maxFastDepth {
		return nil, false
	}
	start := d.pos
	var st shareState
	share := depth > 1 && depth <= maxFastDepth-objMax/2
	if share {
		var v any
		if st, v = d.lookShared(']', d.arrs[:]); v != nil {
			return v, true
		}
	}
	d.pos++ // '['
	d.skipSpace()
	if d.pos < len(d.buf) && d.buf[d.pos] == ']' {
		d.pos++
		return emptyArray, true
	}
	base := len(d.items)
	for {
		v, ok := d.value(depth)
		if !ok {
			return nil, false
		}
		d.items = append(d.items, v)
		d.skipSpace()
		if d.pos >= len(d.buf) {
			return nil, false
		}
		switch d.buf[d.pos] {
		case ',':
			d.pos++
		case ']':
			d.pos++
			a := make([]any, len(d.items)-base)
			copy(a, d.items[base:])
			d.itemsUsed = max(d.itemsUsed, len(d.items))
			d.items = d.items[:base]
			var v any = a
			if share {
				d.rememberShared(start, st, d.arrs[:], v)
			}
			return v, true
		default:
			return nil, false
		}
	}
}

// plainByte tells the bytes a string literal holds as they are: printable
// ASCII but the quote and the backslash.
var plainByte = func() (t [256]bool) {
	for c := 0x20; c < 0x80; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// hasSpecialByte reports whether one of the 8 bytes of w is not plain
// (plainByte): a control byte, a byte beyond ASCII, a quote or a
// backslash. A borrow may also flag a byte above one that is not plain,
// never a word of plain bytes only.
func hasSpecialByte(w uint64) bool {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	quote, backslash := w^(ones*'"'), w^(ones*'\\')
	return ((w-ones*0x20)&^w|(quote-ones)&^quote|(backslash-ones)&^backslash|w)&highs != 0
}

// str reads a string literal at d.pos. lit is its content without the
// quotes when plain (printable ASCII only), else the whole literal with
// its quotes, for unquote.
func (d *decoder) str() (lit []byte, plain bool, ok bool) {
	start := d.pos + 1
	i := start
	buf := d.buf
	for i+8 <= len(buf) && !hasSpecialByte(binary.LittleEndian.Uint64(buf[i:])) {
		i += 8
	}
	for i < len(buf) && plainByte[buf[i]] {
		i++
	}
	if i < len(buf) && buf[i] == '"' {
		d.pos = i + 1
		return buf[start:i], true, true
	}
	for i < len(buf) {
		switch c := buf[i]; {
		case c == '"':
			d.pos = i + 1
			return buf[start-1 : i+1], false, true
		case c == '\\':
			i += 2
		case c < 0x20:
			return nil, false, false
		default:
			i++
		}
	}
	return nil, false, false
}

// unquote decodes a string literal (with its quotes) holding escapes or
// bytes beyond ASCII: valid UTF-8 without escapes is copied; anything else
// is decoded by goccy/go-json (escapes, invalid UTF-8 replaced).
func unquote(lit []byte) (string, bool) {
	body := lit[1 : len(lit)-1]
	escaped := false
	for _, c := range body {
		if c == '\\' {
			escaped = true
			break
		}
	}
	if !escaped && utf8.Valid(body) {
		return string(body), true
	}
	var s string
	if gojson.Unmarshal(lit, &s) != nil {
		return "", false
	}
	return s, true
}

func (d *decoder) number() (any, bool) {
	buf := d.buf
	start := d.pos
	i := start
	if buf[i] == '-' {
		i++
	}
	switch {
	case i < len(buf) && buf[i] == '0':
		i++
	case i < len(buf) && buf[i] >= '1' && buf[i] <= '9':
		for i < len(buf) && buf[i] >= '0' && buf[i] <= '9' {
			i++
		}
	default:
		return nil, false
	}
	if i < len(buf) && buf[i] == '.' {
		i++
		j := i
		for i < len(buf) && buf[i] >= '0' && buf[i] <= '9' {
			i++
		}
		if i == j {
			return nil, false
		}
	}
	if i < len(buf) && (buf[i] == 'e' || buf[i] == 'E') {
		i++
		if i < len(buf) && (buf[i] == '+' || buf[i] == '-') {
			i++
		}
		j := i
		for i < len(buf) && buf[i] >= '0' && buf[i] <= '9' {
			i++
		}
		if i == j {
			return nil, false
		}
	}
	d.pos = i
	lit := buf[start:i]
	if len(lit) <= internMax {
		slot := &d.nums[shortHash(lit)&(numSlots-1)]
		if slot.v != nil && slot.s == string(lit) {
			return slot.v, true
		}
		f, err := strconv.ParseFloat(string(lit), 64)
		if err != nil {
			return nil, false
		}
		slot.s, slot.v = string(lit), f
		return slot.v, true
	}
	f, err := strconv.ParseFloat(string(lit), 64)
	if err != nil {
		return nil, false
	}
	return f, true
}

// shortSeed seeds shortHash.
var shortSeed = maphash.Bytes(seed, []byte("short"))

// shortHash hashes a key, a number or a value of at most internMax bytes
// for the caches' slots, in a few multiplications where maphash.Bytes
// costs a call and a round of AES: the caches compare the text of a slot,
// so two texts of one hash only cost a miss.
func shortHash(b []byte) uint64 {
	const m1, m2 = 0xa0761d6478bd642f, 0xe7037ed1a0b428db
	h := shortSeed ^ uint64(len(b))*m1
	for len(b) >= 8 {
		h = mix(h^binary.LittleEndian.Uint64(b), m2)
		b = b[8:]
	}
	switch n := len(b); {
	case n >= 4:
		h = mix(h^(uint64(binary.LittleEndian.Uint32(b))|uint64(binary.LittleEndian.Uint32(b[n-4:]))<<32), m2)
	case n > 0:
		h = mix(h^(uint64(b[0])|uint64(b[n/2])<<8|uint64(b[n-1])<<16), m2)
	}
	return mix(h, m1)
}

func mix(a, b uint64) uint64 {
	hi, lo := bits.Mul64(a, b)
	return hi ^ lo
}

// internKey returns the key as a string, the cached copy when the cache
// has it.
func (d *decoder) internKey(b []byte) string {
	if len(b) > internMax {
		return string(b)
	}
	h := shortHash(b)
	d.keyHash = h
	slot := &d.keys[h&(keySlots-1)]
	if *slot == string(b) {
		return *slot
	}
	s := string(b)
	*slot = s
	return s
}

// internValue returns the string as a boxed value, the cached box when
// the cache has it.
func (d *decoder) internValue(b []byte) any {
	if len(b) > internMax {
		return d.internLong(b)
	}
	slot := &d.strs[shortHash(b)&(valueSlots-1)]
	if slot.v != nil && slot.s == string(b) {
		return slot.v
	}
	slot.v = boxString(b)
	slot.s = slot.v.(string)
	return slot.v
}

// internLong returns a string longer than internMax as a boxed value, the
// cached box when the cache has it. Most of them are identifiers, each
// seen once (its own ID), but references repeat: parents, ancestors,
// scopes, role definitions, subnets, discovery URLs, policy texts (about
// 70% of the long strings of the synthetic inventories are copies). A
// string is cached the second time its hash is seen, so the identifiers
// seen once cost a hash and no copy and do not push out the repeated ones.
func (d *decoder) internLong(b []byte) any {
	if len(b) > longMax {
		return boxString(b)
	}
	h := shortHash(b)
	slot := &d.longs[h&(longSlots-1)]
	if slot.v != nil && slot.s == string(b) {
		return slot.v
	}
	v := boxString(b)
	if seen := &d.longSeen[(h>>32)&(longSeenSlots-1)]; *seen == h {
		slot.v = v
		slot.s = v.(string)
	} else {
		*seen = h
	}
	return v
}
