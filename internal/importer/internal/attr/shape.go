package attr

import "strings"

// Typed items. An export's hot shape is a document holding a list of
// objects whose members are nearly always the same keys (an AWS Config
// snapshot's configuration items, 18 members each): decoded into a Go map,
// such an object costs a map of more than 8 entries (a table: four
// allocations and about 1.2 KB) and a hashed assignment per member, and
// the importer then hashes the keys again to read them. DecodeShaped
// decodes the list's objects into Items instead: the members of the keys
// a Shape names go to fixed slots (one array, no hashing), the others to a
// map kept only when there are any. The values are the generic trees the
// decoder gives everywhere else, and Item.Map gives the object as Decode
// would, for the callers that keep it (Raw).

// maxShapeKeys is the most keys a Shape names (the bits of Item.has).
const maxShapeKeys = 24

// Shape names the members of an object decoded into an Item's slots.
type Shape struct {
	keys []string
	// byLen lists the slots of the keys of each length, for slot.
	byLen [][]int
}

// NewShape is the shape of the given keys (at most maxShapeKeys, each
// once). It panics otherwise: shapes are package-level declarations.
func NewShape(keys ...string) *Shape {
	if len(keys) > maxShapeKeys {
		panic("attr.NewShape: too many keys")
	}
	s := &Shape{keys: keys}
	for i, k := range keys {
		if s.slot(k) >= 0 {
			panic("attr.NewShape: key " + k + " twice")
		}
		for len(s.byLen) <= len(k) {
			s.byLen = append(s.byLen, nil)
		}
		s.byLen[len(k)] = append(s.byLen[len(k)], i)
	}
	return s
}

// slot is the slot of key, -1 when the shape does not name it.
func (s *Shape) slot(key string) int {
	if len(key) >= len(s.byLen) {
		return -1
	}
	for _, i := range s.byLen[len(key)] {
		if s.keys[i] == key {
			return i
		}
	}
	return -1
}

// Item is an object decoded along a Shape: read-only, like every decoded
// tree.
type Item struct {
	shape *Shape
	has   uint32 // the slots present
	vals  [maxShapeKeys]any
	rest  M // members of keys the shape does not name; nil when none
}

// Exact is the member of exactly this key (m[key] of the object as a map).
func (it *Item) Exact(key string) (any, bool) {
	if i := it.shape.slot(key); i >= 0 {
		return it.vals[i], it.has&(1<<i) != 0
	}
	v, ok := it.rest[key]
	return v, ok
}

// Get is attr.Get on the object: the member of the key, else of a key
// equal to it without regard to case.
func (it *Item) Get(key string) (any, bool) {
	if v, ok := it.Exact(key); ok {
		return v, true
	}
	for i, k := range it.shape.keys {
		if it.has&(1<<i) != 0 && len(k) == len(key) && strings.EqualFold(k, key) {
			return it.vals[i], true
		}
	}
	for k, v := range it.rest {
		if len(k) == len(key) && strings.EqualFold(k, key) {
			return v, true
		}
	}
	return nil, false
}

// Str is attr.Str(m, key) on the object.
func (it *Item) Str(key string) string {
	v, _ := it.Get(key)
	return AsStr(v)
}

// Len is the number of members of the object.
func (it *Item) Len() int {
	n := len(it.rest)
	for h := it.has; h != 0; h &= h - 1 {
		n++
	}
	return n
}

// MapOf is PlainMap of the members whose key keep accepts.
func (it *Item) MapOf(keep func(key string) bool) M {
	m := M{}
	for i, k := range it.shape.keys {
		if it.has&(1<<i) != 0 && keep(k) {
			m[k] = Plain(it.vals[i])
		}
	}
	for k, v := range it.rest {
		if keep(k) {
			m[k] = Plain(v)
		}
	}
	return m
}

// PlainMap is Map with every Object below it made a map (Plain): the object
// as Decode gives it, for a Raw.
func (it *Item) PlainMap() M {
	m := make(M, it.Len())
	for i, k := range it.shape.keys {
		if it.has&(1<<i) != 0 {
			m[k] = Plain(it.vals[i])
		}
	}
	for k, v := range it.rest {
		m[k] = Plain(v)
	}
	return m
}

// Map is the object as Decode gives it: a new map of the same members
// (the values are shared, read-only).
func (it *Item) Map() M {
	m := make(M, it.Len())
	for i, k := range it.shape.keys {
		if it.has&(1<<i) != 0 {
			m[k] = it.vals[i]
		}
	}
	for k, v := range it.rest {
		m[k] = v
	}
	return m
}

// itemBlock is how many Items DecodeShaped allocates at once.
const itemBlock = 256

// DecodeShaped decodes a JSON object whose member list is an array of
// objects: doc is the object without that member, items the array's
// objects decoded along shape. ok is false when the text is not such an
// object (not an object, no member list, an element that is not an object)
// or not one the fast path takes (see Decode): the caller then decodes it
// with Decode, which gives the generic tree or the error. When the member
// appears twice, the last one is the list (as Decode keeps the last).
func DecodeShaped(data []byte, list string, shape *Shape) (doc M, items []*Item, ok bool) {
	d := decoders.Get().(*decoder)
	doc, items, ok = d.shaped(data, list, shape, false)
	decoders.Put(d)
	return doc, items, ok
}

// DecodeShapedObjects is DecodeShaped, but the objects below the items'
// members are Objects rather than maps (see Object): for readers that read them
// only through Node (and Member, Plain), with the items' Raw built by
// PlainMap or MapOf.
func DecodeShapedObjects(data []byte, list string, shape *Shape) (doc M, items []*Item, ok bool) {
	d := decoders.Get().(*decoder)
	doc, items, ok = d.shaped(data, list, shape, true)
	decoders.Put(d)
	return doc, items, ok
}

func (d *decoder) shaped(data []byte, list string, shape *Shape, objects bool) (doc M, items []*Item, ok bool) {
	d.buf, d.pos, d.objMode, d.itemObjs = data, 0, false, objects
	found := false
	doc, ok = d.shapedDoc(list, shape, &items, &found)
	if ok {
		d.skipSpace()
		ok = d.pos == len(d.buf) && found
	}
	d.buf, d.objMode, d.itemObjs = nil, false, false
	clear(d.entries[:max(d.entriesUsed, len(d.entries))])
	clear(d.items[:max(d.itemsUsed, len(d.items))])
	d.entries, d.items = d.entries[:0], d.items[:0]
	d.entriesUsed, d.itemsUsed = 0, 0
	if !ok {
		return nil, nil, false
	}
	return doc, items, true
}

// shapedDoc is object(1) but for the member list, decoded by shapedList.
func (d *decoder) shapedDoc(list string, shape *Shape, items *[]*Item, found *bool) (M, bool) {
	d.skipSpace()
	if d.pos >= len(d.buf) || d.buf[d.pos] != '{' {
		return nil, false
	}
	base := len(d.entries)
	ok := d.members(func(k string) bool {
		if k == list {
			var ok bool
			d.skipSpace()
			*items, ok = d.shapedList(shape)
			*found = true
			return ok
		}
		v, ok := d.value(1)
		d.entries = append(d.entries, entry{k, v})
		return ok
	})
	if !ok {
		return nil, false
	}
	return d.mapOf(base), true
}

// members decodes the members of the object at d.pos: member decodes the
// value of the key it is given, at d.pos.
func (d *decoder) members(member func(k string) bool) bool {
	d.pos++ // '{'
	d.skipSpace()
	if d.pos < len(d.buf) && d.buf[d.pos] == '}' {
		d.pos++
		return true
	}
	for {
		k, ok := d.memberKey()
		if !ok || !member(k) {
			return false
		}
		d.skipSpace()
		if d.pos >= len(d.buf) {
			return false
		}
		switch d.buf[d.pos] {
		case ',':
			d.pos++
		case '}':
			d.pos++
			return true
		default:
			return false
		}
	}
}

// shapedList decodes the array at d.pos (depth 2) whose elements must all
// be objects, into Items.
func (d *decoder) shapedList(shape *Shape) ([]*Item, bool) {
	if d.pos >= len(d.buf) || d.buf[d.pos] != '[' {
		return nil, false
	}
	d.pos++
	d.skipSpace()
	if d.pos < len(d.buf) && d.buf[d.pos] == ']' {
		d.pos++
		return []*Item{}, true
	}
	var out []*Item
	var block []Item
	for {
		d.skipSpace()
		if d.pos >= len(d.buf) || d.buf[d.pos] != '{' {
			return nil, false
		}
		if len(block) == 0 {
			block = make([]Item, itemBlock)
		}
		it := &block[0]
		block = block[1:]
		it.shape = shape
		if !d.members(func(k string) bool { return d.shapedMember(it, k) }) {
			return nil, false
		}
		out = append(out, it)
		d.skipSpace()
		if d.pos >= len(d.buf) {
			return nil, false
		}
		switch d.buf[d.pos] {
		case ',':
			d.pos++
		case ']':
			d.pos++
			return out, true
		default:
			return nil, false
		}
	}
}

// shapedMember decodes the value of an item's member k (at depth 3).
func (d *decoder) shapedMember(it *Item, k string) bool {
	d.objMode = d.itemObjs
	v, ok := d.value(3)
	d.objMode = false
	if !ok {
		return false
	}
	if i := it.shape.slot(k); i >= 0 {
		it.vals[i] = v
		it.has |= 1 << i
	} else {
		if it.rest == nil {
			it.rest = M{}
		}
		it.rest[k] = v
	}
	return true
}
