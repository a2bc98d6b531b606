package detect

import (
	"encoding"
	"encoding/json"
	"iter"
	"reflect"
	"strconv"
	"strings"
	"sync"

	"github.com/vigil-sec/vigil/internal/ocsf"
	"github.com/vigil-sec/vigil/internal/sigma"
)

// ocsfEvent is the OCSF form of an event as OCSF rules and correlation
// "ocsf." fields read it: the fields its JSON would hold (with vigil's
// extension, see withVigil), read from the normalized struct along the
// JSON names, without encoding it. What cannot be read that way (arrays,
// maps, objects as values, keyword searches) is read from the JSON, made
// on first need, so every field reads as it would from the JSON.
type ocsfEvent struct {
	e     *Engine
	ev    ocsf.Event
	raw   []byte
	jsonB json.RawMessage
	made  bool
	jev   *sigma.JSONEvent
}

// reset points the view at ev, the OCSF form of the event raw (valid
// until the next reset).
func (o *ocsfEvent) reset(ev ocsf.Event, raw []byte) {
	o.ev, o.raw, o.jsonB, o.made = ev, raw, nil, false
}

// rawMissing reports whether raw_data is left for the engine to fill in
// (Engine.lazyRaw) and still empty.
func (o *ocsfEvent) rawMissing() bool {
	return o.e.lazyRaw && o.ev != nil && o.ev.Common().RawData == "" && len(o.raw) > 0
}

// JSON returns the event's OCSF JSON with vigil's extension (made once).
func (o *ocsfEvent) JSON() json.RawMessage {
	if !o.made {
		o.made = true
		if o.rawMissing() {
			// As logs.Normalize sets it (a copy: raw may be a read
			// buffer's).
			o.ev.Common().RawData = string(o.raw)
		}
		o.jsonB = o.e.ocsfJSON(o.ev)
		if o.jev == nil {
			o.jev = sigma.NewJSONEvent(nil)
		}
		o.jev.Reset(o.jsonB)
	}
	return o.jsonB
}

// Field implements sigma.Event.
func (o *ocsfEvent) Field(path string) (sigma.Value, bool) {
	if v, ok, handled := o.scalar(path); handled {
		return v, ok
	}
	if o.JSON() == nil {
		return sigma.Value{}, false
	}
	return o.jev.Field(path)
}

// scalar reads path from the struct when it ends on a scalar there (see
// structField); handled is false when only the JSON can tell.
func (o *ocsfEvent) scalar(path string) (v sigma.Value, ok, handled bool) {
	if o.ev == nil {
		return sigma.Value{}, false, true
	}
	switch path {
	case "vigil.identity":
		v, ok = strValue(identityOf(o.ev))
		return v, ok, true
	case "vigil.key_id":
		v, ok = strValue(keyIDOf(o.ev))
		return v, ok, true
	case "raw_data":
		if o.rawMissing() {
			return sigma.Value{Kind: sigma.KindString, Str: string(o.raw)}, true, true
		}
	}
	return structField(o.ev, path)
}

// Keywords implements sigma.Event (from the JSON).
func (o *ocsfEvent) Keywords() iter.Seq[string] {
	if o.JSON() == nil {
		return func(func(string) bool) {}
	}
	return o.jev.Keywords()
}

// strValue is a string field as the JSON holds it: withVigil leaves out
// empty values.
func strValue(s string) (sigma.Value, bool) {
	if s == "" {
		return sigma.Value{}, false
	}
	return sigma.Value{Kind: sigma.KindString, Str: s}, true
}

// jsonField is a struct field as encoding/json (and go-json) encode it.
type jsonField struct {
	index     []int
	omitempty bool
}

// jsonFields returns the fields of struct type t by JSON name (embedded
// structs' fields promoted as encoding/json does); names that two fields
// at the same depth claim are left out (encoding/json drops them too, and
// the lookup then goes to the JSON).
func jsonFields(t reflect.Type) map[string]jsonField {
	if f, ok := fieldCache.Load(t); ok {
		return f.(map[string]jsonField)
	}
	out := map[string]jsonField{}
	ambiguous := map[string]bool{}
	for _, f := range reflect.VisibleFields(t) {
		if !f.IsExported() {
			continue
		}
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" {
			continue // promoted: its fields are listed by VisibleFields
		}
		if name == "" {
			name = f.Name
		}
		if opts != "" && opts != "omitempty" {
			ambiguous[name] = true // an option this reader does not follow
			continue
		}
		// A field of an embedded struct that is itself inside another
		// named field's path is not promoted (VisibleFields lists only
		// promoted ones); the shallower of two names wins.
		if prev, ok := out[name]; ok {
			if len(prev.index) == len(f.Index) {
				ambiguous[name] = true
			}
			if len(prev.index) <= len(f.Index) {
				continue
			}
		}
		out[name] = jsonField{index: f.Index, omitempty: opts == "omitempty"}
	}
	for name := range ambiguous {
		delete(out, name)
	}
	fieldCache.Store(t, out)
	return out
}

var fieldCache sync.Map // reflect.Type -> map[string]jsonField

var (
	jsonMarshaler = reflect.TypeFor[json.Marshaler]()
	textMarshaler = reflect.TypeFor[encoding.TextMarshaler]()
)

// customJSON reports whether t (or *t) has its own JSON or text encoding,
// worked out once per type (reflect's Implements scans the method set:
// once per step of every OCSF field read, it was a tenth of OCSF rule
// matching).
func customJSON(t reflect.Type) bool {
	if c, ok := customCache.Load(t); ok {
		return c.(bool)
	}
	c := t.Implements(jsonMarshaler) || t.Implements(textMarshaler) ||
		reflect.PointerTo(t).Implements(jsonMarshaler) || reflect.PointerTo(t).Implements(textMarshaler)
	customCache.Store(t, c)
	return c
}

var customCache sync.Map // reflect.Type -> bool

// structField reads path from the OCSF struct ev as its JSON would hold
// it. handled is false when the struct cannot tell (the path ends on an
// object, an array or a map, goes through one, or meets a type with its
// own JSON encoding): the caller then reads the JSON.
func structField(ev ocsf.Event, path string) (v sigma.Value, ok, handled bool) {
	if ev == nil {
		return sigma.Value{}, false, true
	}
	rv := reflect.ValueOf(ev)
	for {
		if rv.Kind() == reflect.Pointer {
			if rv.IsNil() {
				// JSON null: the path below it does not exist, the null
				// itself does.
				if path == "" {
					return sigma.Value{Kind: sigma.KindNull}, true, true
				}
				return sigma.Value{}, false, true
			}
			rv = rv.Elem()
		}
		t := rv.Type()
		if customJSON(t) {
			return sigma.Value{}, false, false
		}
		if path == "" {
			return scalarValue(rv)
		}
		if rv.Kind() != reflect.Struct {
			return sigma.Value{}, false, false
		}
		head, rest, _ := strings.Cut(path, ".")
		f, found := jsonFields(t)[head]
		if !found {
			// No such name here (the extension "vigil", a key with dots, a
			// name left out as ambiguous): the JSON decides.
			return sigma.Value{}, false, false
		}
		fv, err := rv.FieldByIndexErr(f.index)
		if err != nil {
			return sigma.Value{}, false, true // through a nil embedded pointer: absent
		}
		if f.omitempty && fv.IsZero() && omittable(fv) {
			return sigma.Value{}, false, true
		}
		rv, path = fv, rest
	}
}

// omittable reports whether omitempty drops a zero value of v's kind
// (encoding/json: false, 0, "", nil pointer or interface, empty array,
// slice, map; never a struct).
func omittable(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Struct:
		return false
	}
	return true
}

// scalarValue is a leaf read from the struct; handled is false for what
// only the JSON tells exactly (objects, arrays, maps, interfaces, floats).
func scalarValue(rv reflect.Value) (sigma.Value, bool, bool) {
	switch rv.Kind() {
	case reflect.String:
		return sigma.Value{Kind: sigma.KindString, Str: rv.String()}, true, true
	case reflect.Bool:
		if rv.Bool() {
			return sigma.Value{Kind: sigma.KindBool, Str: "true", Num: 1}, true, true
		}
		return sigma.Value{Kind: sigma.KindBool, Str: "false"}, true, true
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n := rv.Int()
		return sigma.Value{Kind: sigma.KindNumber, Str: strconv.FormatInt(n, 10), Num: float64(n)}, true, true
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		n := rv.Uint()
		return sigma.Value{Kind: sigma.KindNumber, Str: strconv.FormatUint(n, 10), Num: float64(n)}, true, true
	}
	return sigma.Value{}, false, false
}
