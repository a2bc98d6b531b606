package policy

import (
	"fmt"
	"reflect"
	"strings"
	"sync"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/vigil-sec/vigil/internal/resource"
)

// toTerm converts a Go value to a Rego term directly, following the same
// rules as encoding/json (json tags, omitempty, nil pointers omitted) without
// the JSON round trip ast.InterfaceToValue makes for structs. It handles the
// kinds the resource model uses: structs, pointers, slices, string maps,
// strings, bools and integers.
func toTerm(v reflect.Value) (*ast.Term, error) {
	var c converter
	return c.term(v)
}

// A converter converts Go values to Rego terms (toTerm), reusing one
// scratch stack for the key-value pairs of the objects it builds:
// ast.NewObject copies the pairs into the object, so each object's pairs
// are pushed, handed over and popped. A struct's pairs were a slice of
// their own sized for every field (the Facts struct has about 45, of
// which one to three are set): about a fifth of the bytes the rule input
// allocated. A converter is used by one goroutine at a time.
type converter struct {
	pairs [][2]*ast.Term
	// strs interns the string terms of the values resources repeat
	// (provider, account, region, type, class, relationship types, tag
	// keys and values; see view): terms are immutable, and one term per
	// distinct value saves two allocations per use.
	strs map[string]*ast.Term
}

// str returns the interned term of s.
func (c *converter) str(s string) *ast.Term {
	if t, ok := c.strs[s]; ok {
		return t
	}
	if c.strs == nil {
		c.strs = map[string]*ast.Term{}
	}
	t := ast.StringTerm(s)
	c.strs[s] = t
	return t
}

// viewKeys are the keys of a resource's object in the rule input, in the
// order of ruleView's fields (the reflective conversion's order).
var viewKeys = struct {
	provider, account, region, typ, id, name, tags, relationships, class, facts, relType, relTarget *ast.Term
}{
	ast.StringTerm("provider"), ast.StringTerm("account"), ast.StringTerm("region"), ast.StringTerm("type"),
	ast.StringTerm("id"), ast.StringTerm("name"), ast.StringTerm("tags"), ast.StringTerm("relationships"),
	ast.StringTerm("class"), ast.StringTerm("facts"), ast.StringTerm("type"), ast.StringTerm("target_id"),
}

// view converts the part of a resource rules see (ruleView) as the
// reflective conversion of a ruleView does, with the values resources
// repeat interned (TestViewMatchesReflection compares them).
func (c *converter) view(r *resource.Resource) (*ast.Term, error) {
	facts, err := c.term(reflect.ValueOf(r.Facts))
	if err != nil {
		return nil, fmt.Errorf("facts: %w", err)
	}
	var tags, rels *ast.Term
	if len(r.Tags) > 0 {
		base := len(c.pairs)
		for k, v := range r.Tags {
			c.pairs = append(c.pairs, [2]*ast.Term{c.str(k), c.str(v)})
		}
		tags = c.object(base)
	}
	if len(r.Relationships) > 0 {
		terms := make([]*ast.Term, len(r.Relationships))
		for i, rel := range r.Relationships {
			terms[i] = ast.ObjectTerm([2]*ast.Term{viewKeys.relType, c.str(rel.Type)}, [2]*ast.Term{viewKeys.relTarget, ast.StringTerm(rel.TargetID)})
		}
		rels = ast.ArrayTerm(terms...)
	}
	base := len(c.pairs)
	c.pairs = append(c.pairs,
		[2]*ast.Term{viewKeys.provider, c.str(string(r.Provider))},
		[2]*ast.Term{viewKeys.account, c.str(r.Account)},
		[2]*ast.Term{viewKeys.region, c.str(r.Region)},
		[2]*ast.Term{viewKeys.typ, c.str(r.Type)},
		[2]*ast.Term{viewKeys.id, ast.StringTerm(r.ID)},
		[2]*ast.Term{viewKeys.name, ast.StringTerm(r.Name)},
	)
	if tags != nil {
		c.pairs = append(c.pairs, [2]*ast.Term{viewKeys.tags, tags})
	}
	if rels != nil {
		c.pairs = append(c.pairs, [2]*ast.Term{viewKeys.relationships, rels})
	}
	c.pairs = append(c.pairs,
		[2]*ast.Term{viewKeys.class, c.str(string(r.Class))},
		[2]*ast.Term{viewKeys.facts, facts},
	)
	return c.object(base), nil
}

func (c *converter) term(v reflect.Value) (*ast.Term, error) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return ast.InternedNullTerm, nil
		}
		return c.term(v.Elem())
	case reflect.String:
		return ast.StringTerm(v.String()), nil
	case reflect.Bool:
		// Terms are immutable: OPA's own interned booleans, null and
		// small integers are shared by every resource (two allocations
		// fewer each).
		return ast.InternedTerm(v.Bool()), nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return ast.InternedTerm(int(v.Int())), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return ast.UIntNumberTerm(v.Uint()), nil
	case reflect.Float32, reflect.Float64:
		return ast.FloatNumberTerm(v.Float()), nil
	case reflect.Slice, reflect.Array:
		if v.Kind() == reflect.Slice && v.IsNil() {
			return ast.InternedNullTerm, nil
		}
		// The array keeps this slice: it is its own.
		terms := make([]*ast.Term, v.Len())
		for i := range terms {
			t, err := c.term(v.Index(i))
			if err != nil {
				return nil, err
			}
			terms[i] = t
		}
		return ast.ArrayTerm(terms...), nil
	case reflect.Map:
		if v.IsNil() {
			return ast.InternedNullTerm, nil
		}
		if v.Type().Key().Kind() != reflect.String {
			return nil, fmt.Errorf("map key %s is not a string", v.Type().Key())
		}
		base := len(c.pairs)
		it := v.MapRange()
		for it.Next() {
			t, err := c.term(it.Value())
			if err != nil {
				c.pairs = c.pairs[:base]
				return nil, err
			}
			c.pairs = append(c.pairs, [2]*ast.Term{c.str(it.Key().String()), t})
		}
		return c.object(base), nil
	case reflect.Struct:
		fields := structFields(v.Type())
		base := len(c.pairs)
		for _, f := range fields {
			fv := v.Field(f.index)
			if f.omitEmpty && isEmptyValue(fv) {
				continue
			}
			t, err := c.term(fv)
			if err != nil {
				c.pairs = c.pairs[:base]
				return nil, fmt.Errorf("%s: %w", f.name, err)
			}
			c.pairs = append(c.pairs, [2]*ast.Term{f.key, t})
		}
		return c.object(base), nil
	}
	return nil, fmt.Errorf("cannot convert %s to Rego", v.Type())
}

// object builds the object of the pairs pushed since base and pops them.
func (c *converter) object(base int) *ast.Term {
	t := ast.ObjectTerm(c.pairs[base:]...)
	clear(c.pairs[base:]) // no term kept alive by the scratch
	c.pairs = c.pairs[:base]
	return t
}

type fieldInfo struct {
	name      string
	key       *ast.Term // shared by every object of the type: terms are immutable
	index     int
	omitEmpty bool
}

var fieldCache sync.Map // reflect.Type -> []fieldInfo; a cache of immutable type facts

func structFields(t reflect.Type) []fieldInfo {
	if f, ok := fieldCache.Load(t); ok {
		return f.([]fieldInfo)
	}
	var out []fieldInfo
	for i := range t.NumField() {
		sf := t.Field(i)
		if !sf.IsExported() {
			continue
		}
		tag := sf.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if name == "" {
			name = sf.Name
		}
		out = append(out, fieldInfo{name: name, key: ast.StringTerm(name), index: i, omitEmpty: strings.Contains(opts, "omitempty")})
	}
	fieldCache.Store(t, out)
	return out
}

// fieldNamed is the field of struct type t whose key is name
// (structFields), or nil; it points into structFields' cached list.
func fieldNamed(t reflect.Type, name string) *fieldInfo {
	fs := structFields(t)
	for k := range fs {
		if fs[k].name == name {
			return &fs[k]
		}
	}
	return nil
}

// isEmptyValue is encoding/json's notion of empty for omitempty.
func isEmptyValue(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Array, reflect.Map, reflect.Slice, reflect.String:
		return v.Len() == 0
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64, reflect.Interface, reflect.Pointer:
		return v.IsZero()
	}
	return false
}
