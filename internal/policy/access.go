package policy

import (
	"fmt"
	"reflect"
	"sort"
	"strings"
	"unsafe"

	"github.com/vigil-sec/vigil/internal/resource"
)

// A factCheck tells whether one fact (a path such as
// facts.storage.public_access) is present on a resource's Go facts. It is
// compiled once per path when the rules load, from the same JSON names the
// Rego input uses (structFields); checking a resource then follows field
// offsets and pointers only, with no reflection and no allocation, so the
// engine's UNKNOWN decision costs a few nanoseconds per resource and rule.
//
// Present means what the Rego input would show: a nil pointer, an empty
// string, a nil list or map, or a nil interface is absent; a non-nil pointer
// is present whatever it points to (resource.Bool(false) is a known false);
// a non-nil empty list is present (the source said "none"); booleans,
// numbers and structs held by value are always present.
type factCheck struct {
	path  string
	steps []accessStep
	leaf  leafKind
	// elem is the kind of the value reached (after a last pointer).
	elem reflect.Kind
}

// accessStep moves to the field at off in the current struct and, when
// deref is set, follows the pointer stored there (nil: the fact is absent).
type accessStep struct {
	off   uintptr
	deref bool
}

type leafKind uint8

const (
	leafAlways leafKind = iota // held by value or a followed pointer: present once reached
	leafString                 // present when not ""
	leafWord                   // slice, map, interface: present when its first word (data, map, type) is not nil
)

var factsType = reflect.TypeFor[resource.Facts]()

// present reports whether the fact is present on f.
func (c *factCheck) present(f *resource.Facts) bool {
	p := unsafe.Pointer(f)
	for _, s := range c.steps {
		p = unsafe.Add(p, s.off)
		if s.deref {
			p = *(*unsafe.Pointer)(p)
			if p == nil {
				return false
			}
		}
	}
	switch c.leaf {
	case leafString:
		return len(*(*string)(p)) > 0
	case leafWord:
		return *(*unsafe.Pointer)(p) != nil
	}
	return true
}

// str returns the value of a string fact (string or *string), "" when
// absent. Only call it on a check whose elem is reflect.String.
func (c *factCheck) str(f *resource.Facts) string {
	p := unsafe.Pointer(f)
	for _, s := range c.steps {
		p = unsafe.Add(p, s.off)
		if s.deref {
			p = *(*unsafe.Pointer)(p)
			if p == nil {
				return ""
			}
		}
	}
	return *(*string)(p)
}

// text returns the value of a string or boolean fact as text: the string,
// "true" or "false"; "" when absent. Only call it on a check whose elem is
// reflect.String or reflect.Bool.
func (c *factCheck) text(f *resource.Facts) string {
	p := unsafe.Pointer(f)
	for _, s := range c.steps {
		p = unsafe.Add(p, s.off)
		if s.deref {
			p = *(*unsafe.Pointer)(p)
			if p == nil {
				return ""
			}
		}
	}
	if c.elem == reflect.Bool {
		if *(*bool)(p) {
			return "true"
		}
		return "false"
	}
	return *(*string)(p)
}

// compileFactPath compiles a fact path of the form facts.<key>.<field>...
// (JSON names, as in internal/resource) against resource.Facts. A path may
// descend through structs and pointers to structs, not into lists or maps.
func compileFactPath(path string) (*factCheck, error) {
	parts := strings.Split(path, ".")
	if len(parts) < 2 || parts[0] != "facts" {
		return nil, fmt.Errorf("%q is not a fact path (want facts.<facts key>.<field>, e.g. facts.storage.public_access)", path)
	}
	c := &factCheck{path: path}
	t := factsType
	for i, name := range parts[1:] {
		if t.Kind() != reflect.Struct {
			return nil, fmt.Errorf("%q: %s is a %s, which a fact path cannot descend into", path, strings.Join(parts[:i+1], "."), kindName(t))
		}
		var sf *reflect.StructField
		for _, fi := range structFields(t) {
			if fi.name == name {
				f := t.Field(fi.index)
				sf = &f
				break
			}
		}
		if sf == nil {
			return nil, fmt.Errorf("%q: %s has no field %q (it has: %s)", path, strings.Join(parts[:i+1], "."), name, strings.Join(fieldNames(t), ", "))
		}
		ft := sf.Type
		step := accessStep{off: sf.Offset}
		last := i == len(parts)-2
		switch ft.Kind() {
		case reflect.Pointer:
			step.deref = true
			ft = ft.Elem()
			c.leaf = leafAlways
		case reflect.String:
			c.leaf = leafString
		case reflect.Slice, reflect.Map, reflect.Interface:
			c.leaf = leafWord
		default:
			c.leaf = leafAlways
		}
		if !last && ft.Kind() != reflect.Struct {
			return nil, fmt.Errorf("%q: %s is a %s, which a fact path cannot descend into", path, strings.Join(parts[:i+2], "."), kindName(sf.Type))
		}
		c.steps = append(c.steps, step)
		c.elem = ft.Kind()
		t = ft
	}
	return c, nil
}

func kindName(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Slice, reflect.Array:
		return "list"
	case reflect.Map:
		return "map"
	case reflect.Pointer:
		return kindName(t.Elem())
	case reflect.Struct:
		return "object"
	}
	return t.Kind().String()
}

// fieldNames lists a struct type's JSON field names, sorted.
func fieldNames(t reflect.Type) []string {
	var out []string
	for _, fi := range structFields(t) {
		out = append(out, fi.name)
	}
	sort.Strings(out)
	return out
}

// FactPaths lists every fact path a rule may require, sorted: each field of
// each facts key, and the fields of nested objects.
func FactPaths() []string {
	var out []string
	onPath := map[reflect.Type]bool{} // a recursive type is listed once
	var walk func(t reflect.Type, prefix string)
	walk = func(t reflect.Type, prefix string) {
		onPath[t] = true
		defer delete(onPath, t)
		for _, fi := range structFields(t) {
			p := prefix + "." + fi.name
			out = append(out, p)
			ft := t.Field(fi.index).Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct && !onPath[ft] {
				walk(ft, p)
			}
		}
	}
	walk(factsType, "facts")
	sort.Strings(out)
	return out
}
