package attr

import (
	"iter"
	"strings"
)

// Objects held as member lists. A Go map costs two allocations and at
// least 312 bytes whatever its size (a table of 8 slots and its header),
// and a hashed assignment per member: building the maps of the decoded
// trees was about a third of decoding an export, and most of them hold a
// few members the normalizers read once or twice. An Object holds an
// object's members in one slice, in the text's order (a key that appears
// twice once, with its last value, as in the map Decode gives), and is
// read by a linear scan that compares lengths first.
//
// The decoder builds Objects instead of maps only where the caller asked for
// them (DecodeShapedObjects: the payload below a typed item, whose readers
// are attr.Node and the helpers below), never in a tree that becomes a
// resource's Raw as it is: Plain makes the maps when a Raw is built from
// such a tree. Like every decoded tree an Object is read-only (the decoder
// hands out one Object for every copy of a small object).

// Object is a decoded JSON object held as its members.
type Object struct {
	ms []entry
}

// newObject is an Object of n members (to be set), made with its members
// in one allocation up to 16 of them.
func newObject(n int) *Object {
	var o *Object
	switch {
	case n <= 1:
		p := new(struct {
			o Object
			a [1]entry
		})
		p.o.ms = p.a[:]
		o = &p.o
	case n == 2:
		p := new(struct {
			o Object
			a [2]entry
		})
		p.o.ms = p.a[:]
		o = &p.o
	case n == 3:
		p := new(struct {
			o Object
			a [3]entry
		})
		p.o.ms = p.a[:]
		o = &p.o
	case n == 4:
		p := new(struct {
			o Object
			a [4]entry
		})
		p.o.ms = p.a[:]
		o = &p.o
	case n <= 6:
		p := new(struct {
			o Object
			a [6]entry
		})
		p.o.ms = p.a[:]
		o = &p.o
	case n <= 8:
		p := new(struct {
			o Object
			a [8]entry
		})
		p.o.ms = p.a[:]
		o = &p.o
	case n <= 12:
		p := new(struct {
			o Object
			a [12]entry
		})
		p.o.ms = p.a[:]
		o = &p.o
	case n <= 16:
		p := new(struct {
			o Object
			a [16]entry
		})
		p.o.ms = p.a[:]
		o = &p.o
	default:
		return &Object{ms: make([]entry, n)}
	}
	o.ms = o.ms[:n:n]
	return o
}

// emptyObj is every empty object decoded as an Object.
var emptyObj = &Object{}

// Len is the number of members.
func (o *Object) Len() int { return len(o.ms) }

// Exact is the member of exactly this key (m[key] of the object as a map).
func (o *Object) Exact(key string) (any, bool) {
	for i := range o.ms {
		if e := &o.ms[i]; len(e.k) == len(key) && e.k == key {
			return e.v, true
		}
	}
	return nil, false
}

// Get is attr.Get on the object: the member of the key, else of a key
// equal to it without regard to case.
func (o *Object) Get(key string) (any, bool) {
	if v, ok := o.Exact(key); ok {
		return v, true
	}
	for i := range o.ms {
		if e := &o.ms[i]; len(e.k) == len(key) && strings.EqualFold(e.k, key) {
			return e.v, true
		}
	}
	return nil, false
}

// All is the members in the text's order.
func (o *Object) All() iter.Seq2[string, any] {
	return func(yield func(string, any) bool) {
		for _, e := range o.ms {
			if !yield(e.k, e.v) {
				return
			}
		}
	}
}

// Map is the object as a map of the same members, made at each call: for
// ranging over the members or handing them to a reader of maps. The
// values are shared as they are (nested objects stay Objects): a tree that
// is kept (Raw) is made by Plain.
func (o *Object) Map() M {
	m := make(M, len(o.ms))
	for _, e := range o.ms {
		m[e.k] = e.v
	}
	return m
}

// Plain is v with every Object in it made the map Decode would have given
// (arrays holding one are copied; the rest is shared as it is): the tree
// of a Raw built from what DecodeShapedObjects decoded. A map is returned
// as it is (the decoder never puts an Object below a map).
func Plain(v any) any {
	p, _ := plain(v)
	return p
}

// PlainMap is m with Plain applied to its members: m itself when none
// holds an Object, else a copy.
func PlainMap(m M) M {
	var out M
	for k, v := range m {
		p, changed := plain(v)
		if changed && out == nil {
			out = make(M, len(m))
			for k2, v2 := range m {
				out[k2] = v2
			}
		}
		if out != nil {
			out[k] = p
		}
	}
	if out == nil {
		return m
	}
	return out
}

// plain is Plain, with whether anything changed.
func plain(v any) (any, bool) {
	switch t := v.(type) {
	case *Object:
		m := make(M, len(t.ms))
		for _, e := range t.ms {
			m[e.k], _ = plain(e.v)
		}
		return m, true
	case []any:
		var out []any
		for i, e := range t {
			p, changed := plain(e)
			if changed && out == nil {
				out = make([]any, len(t))
				copy(out, t[:i])
			}
			if out != nil {
				out[i] = p
			}
		}
		if out != nil {
			return out, true
		}
	}
	return v, false
}

// Member is attr.Get on v when it is an object (a map or an Object): the
// member of the key, else of a key equal to it without regard to case.
// A value that is not an object has no member.
func Member(v any, key string) (any, bool) {
	switch t := v.(type) {
	case M:
		return Get(t, key)
	case *Object:
		return t.Get(key)
	}
	return nil, false
}

// MemberStr is AsStr of the member of key (Member).
func MemberStr(v any, key string) string {
	m, _ := Member(v, key)
	return AsStr(m)
}

// Exact is the member of exactly this key of v when it is an object (a
// map or an Object), else nil.
func Exact(v any, key string) any {
	switch t := v.(type) {
	case M:
		return t[key]
	case *Object:
		m, _ := t.Exact(key)
		return m
	}
	return nil
}

// ObjIn is the object at the path from v (a map or an Object) as Obj
// finds it, but a nested Object is returned as it is, not made a map: a
// map, an Object, or nil.
func ObjIn(v any, keys ...string) any {
	v, _ = PathIn(v, keys...)
	if o, isObj := v.(*Object); isObj {
		return o
	}
	if m := AsObj(v); m != nil {
		return m
	}
	return nil
}

// IsObject reports whether v is a decoded object (a map or an Object).
func IsObject(v any) bool {
	switch v.(type) {
	case M, *Object:
		return true
	}
	return false
}
