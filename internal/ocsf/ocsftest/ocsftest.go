// Package ocsftest validates OCSF events against the OCSF schema source
// tree in ../shared/corpus/ocsf-schema (the tests of every package that
// writes OCSF use it). It is test code: nothing in vigil's binary imports it.
package ocsftest

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// Schema is an OCSF schema source tree (github.com/ocsf/ocsf-schema) with
// inheritance (extends), $include and profiles resolved on demand.
type Schema struct {
	// Strict also checks the classes' and objects' constraints
	// (at_least_one, just_one).
	Strict bool

	root    string
	dict    map[string]map[string]any // dictionary attributes
	types   map[string]map[string]any // dictionary types
	classes map[string]map[string]any // by name
	objects map[string]map[string]any // by name
	cats    map[string]int
}

// attr is one resolved attribute of a class or object.
type attr struct {
	typ      string // base type (string_t, ...) or object name
	object   bool
	array    bool
	required bool
	profile  string
	enum     map[string]bool
}

// Load reads the schema tree, found in shared/corpus/ocsf-schema of the
// first directory up from the working directory that has it; the test is
// skipped when there is none.
func Load(t testing.TB) *Schema {
	t.Helper()
	root := ""
	if dir, err := os.Getwd(); err == nil {
		for ; ; dir = filepath.Dir(dir) {
			if _, err := os.Stat(filepath.Join(dir, "shared", "corpus", "ocsf-schema", "dictionary.json")); err == nil {
				root = filepath.Join(dir, "shared", "corpus", "ocsf-schema")
				break
			}
			if filepath.Dir(dir) == dir {
				break
			}
		}
	}
	if root == "" {
		t.Skip("OCSF schema tree shared/corpus/ocsf-schema not found in any parent directory (../shared absent)")
	}
	s := &Schema{root: root, classes: map[string]map[string]any{}, objects: map[string]map[string]any{}, cats: map[string]int{}}
	var dict struct {
		Attributes map[string]map[string]any `json:"attributes"`
		Types      struct {
			Attributes map[string]map[string]any `json:"attributes"`
		} `json:"types"`
	}
	readJSON(t, filepath.Join(root, "dictionary.json"), &dict)
	s.dict, s.types = dict.Attributes, dict.Types.Attributes
	var cats struct {
		Attributes map[string]struct{ UID int } `json:"attributes"`
	}
	readJSON(t, filepath.Join(root, "categories.json"), &cats)
	for k, v := range cats.Attributes {
		s.cats[k] = v.UID
	}
	for dir, into := range map[string]map[string]map[string]any{"events": s.classes, "objects": s.objects} {
		err := filepath.WalkDir(filepath.Join(root, dir), func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(p, ".json") {
				return err
			}
			var m map[string]any
			readJSON(t, p, &m)
			if n, _ := m["name"].(string); n != "" {
				into[n] = m
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return s
}

func readJSON(t testing.TB, p string, v any) {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", p, err)
	}
}

// attrsOf merges the attributes of def and its ancestors (from pool),
// expanding $include (profiles are marked with their name).
func (s *Schema) attrsOf(t testing.TB, def map[string]any, pool map[string]map[string]any) map[string]map[string]any {
	out := map[string]map[string]any{}
	if ext, _ := def["extends"].(string); ext != "" {
		if p := pool[ext]; p != nil {
			for k, v := range s.attrsOf(t, p, pool) {
				out[k] = v
			}
		}
	}
	attrs, _ := def["attributes"].(map[string]any)
	merge := func(k string, v map[string]any, profile string) {
		m := map[string]any{}
		for kk, vv := range out[k] {
			m[kk] = vv
		}
		for kk, vv := range v {
			m[kk] = vv
		}
		if profile != "" {
			if _, set := v["profile"]; !set {
				m["profile"] = profile
			}
		}
		out[k] = m
	}
	if inc, ok := attrs["$include"]; ok {
		var files []string
		switch x := inc.(type) {
		case string:
			files = []string{x}
		case []any:
			for _, f := range x {
				files = append(files, f.(string))
			}
		}
		for _, f := range files {
			var m map[string]any
			readJSON(t, filepath.Join(s.root, f), &m)
			profile := ""
			if strings.HasPrefix(f, "profiles/") {
				profile, _ = m["name"].(string)
			}
			ia, _ := m["attributes"].(map[string]any)
			for k, v := range ia {
				if vm, ok := v.(map[string]any); ok {
					merge(k, vm, profile)
				}
			}
		}
	}
	for k, v := range attrs {
		if vm, ok := v.(map[string]any); ok && k != "$include" {
			merge(k, vm, "")
		}
	}
	return out
}

func (s *Schema) resolve(name string, a map[string]any) attr {
	d := s.dict[name]
	r := attr{}
	typ, _ := d["type"].(string)
	if ot, ok := d["object_type"].(string); ok && ot != "" {
		typ = ot
	}
	if v, ok := a["type"].(string); ok {
		typ = v
	}
	if v, ok := a["object_type"].(string); ok {
		typ = v
	}
	for typ != "" {
		tdef, ok := s.types[typ]
		if !ok {
			break
		}
		base, _ := tdef["type"].(string)
		if base == "" {
			break
		}
		typ = base
	}
	r.typ = typ
	_, r.object = s.objects[typ]
	r.array, _ = d["is_array"].(bool)
	if v, ok := a["is_array"].(bool); ok {
		r.array = v
	}
	r.required = a["requirement"] == "required"
	r.profile, _ = a["profile"].(string)
	// class_uid, category_uid and type_uid enums are generated by the
	// schema compiler (checked in Validate); other enums are the
	// dictionary's (0 Unknown, 99 Other) plus the class's own.
	if name != "class_uid" && name != "category_uid" && name != "type_uid" {
		for _, src := range []map[string]any{d, a} {
			if enum, ok := src["enum"].(map[string]any); ok {
				if r.enum == nil {
					r.enum = map[string]bool{}
				}
				for k := range enum {
					r.enum[k] = true
				}
			}
		}
	}
	return r
}

// validate checks v (an object of the given attributes) and returns the
// violations with their paths.
func (s *Schema) validate(t testing.TB, path string, v map[string]any, attrs map[string]map[string]any, profiles map[string]bool) []string {
	var errs []string
	for name, a := range attrs {
		r := s.resolve(name, a)
		if _, ok := v[name]; !ok && r.required && (r.profile == "" || profiles[r.profile]) {
			errs = append(errs, fmt.Sprintf("%s%s: required attribute missing", path, name))
		}
	}
	for name, val := range v {
		a, ok := attrs[name]
		if !ok {
			errs = append(errs, fmt.Sprintf("%s%s: not an attribute here", path, name))
			continue
		}
		r := s.resolve(name, a)
		if r.profile != "" && !profiles[r.profile] {
			errs = append(errs, fmt.Sprintf("%s%s: attribute of profile %q, which metadata.profiles does not name", path, name, r.profile))
		}
		vals := []any{val}
		if r.array {
			arr, ok := val.([]any)
			if !ok {
				errs = append(errs, fmt.Sprintf("%s%s: want an array", path, name))
				continue
			}
			vals = arr
		}
		for i, x := range vals {
			p := path + name
			if r.array {
				p += "[" + strconv.Itoa(i) + "]"
			}
			errs = append(errs, s.checkValue(t, p, x, r, profiles)...)
		}
	}
	return errs
}

func (s *Schema) checkValue(t testing.TB, p string, x any, r attr, profiles map[string]bool) []string {
	bad := func(want string) []string { return []string{fmt.Sprintf("%s: %v is not %s", p, x, want)} }
	if r.object {
		m, ok := x.(map[string]any)
		if !ok {
			return bad("an object")
		}
		if r.typ == "object" { // the generic object (unmapped): any members
			return nil
		}
		errs := s.validate(t, p+".", m, s.attrsOf(t, s.objects[r.typ], s.objects), profiles)
		if s.Strict {
			errs = append(errs, constraints(p, m, s.objects[r.typ], s.objects)...)
		}
		return errs
	}
	switch r.typ {
	case "string_t":
		if _, ok := x.(string); !ok {
			return bad("a string")
		}
	case "integer_t", "long_t":
		f, ok := x.(float64)
		if !ok || f != float64(int64(f)) {
			return bad("an integer")
		}
		if r.enum != nil && !r.enum[strconv.FormatInt(int64(f), 10)] {
			return bad("in the enum")
		}
	case "float_t":
		if _, ok := x.(float64); !ok {
			return bad("a number")
		}
	case "boolean_t":
		if _, ok := x.(bool); !ok {
			return bad("a boolean")
		}
	case "json_t", "object_t":
	default:
		return []string{fmt.Sprintf("%s: unknown type %q", p, r.typ)}
	}
	return nil
}

// Validate validates one OCSF event (JSON) against its class (class_uid 0
// is the Base Event) and returns the violations, sorted, each with its
// attribute path.
func (s *Schema) Validate(t testing.TB, raw []byte) []string {
	var v map[string]any
	if err := json.Unmarshal(raw, &v); err != nil {
		return []string{err.Error()}
	}
	uid, _ := v["class_uid"].(float64)
	var class map[string]any
	if _, set := v["class_uid"]; set && uid == 0 {
		class = s.classes["base_event"]
		if cat, _ := v["category_uid"].(float64); cat != 0 {
			return []string{fmt.Sprintf("category_uid: %v, want 0 (Uncategorized) for the Base Event", cat)}
		}
	}
	for _, c := range s.classes {
		cu, _ := c["uid"].(float64)
		cat, _ := c["category"].(string)
		for p := c; cat == ""; {
			ext, _ := p["extends"].(string)
			if p = s.classes[ext]; p == nil {
				break
			}
			cat, _ = p["category"].(string)
		}
		if cu > 0 && float64(s.cats[cat]*1000)+cu == uid {
			class = c
		}
	}
	if class == nil {
		return []string{fmt.Sprintf("class_uid %v: no such class", uid)}
	}
	profiles := map[string]bool{}
	if md, ok := v["metadata"].(map[string]any); ok {
		if ps, ok := md["profiles"].([]any); ok {
			for _, p := range ps {
				if ps, ok := p.(string); ok {
					profiles[ps] = true
				}
			}
		}
	}
	errs := s.validate(t, "", v, s.attrsOf(t, class, s.classes), profiles)
	if s.Strict {
		errs = append(errs, constraints("", v, class, s.classes)...)
	}
	if act, ok := v["activity_id"].(float64); ok {
		if tu, _ := v["type_uid"].(float64); tu != uid*100+act {
			errs = append(errs, fmt.Sprintf("type_uid: %v, want class_uid*100+activity_id = %v", tu, uid*100+act))
		}
	}
	sort.Strings(errs)
	return errs
}

// constraints checks the at_least_one and just_one constraints of def (or
// of its nearest ancestor that has some) on v.
func constraints(path string, v map[string]any, def map[string]any, pool map[string]map[string]any) []string {
	for def != nil {
		if c, ok := def["constraints"].(map[string]any); ok {
			var errs []string
			for kind, names := range c {
				list, _ := names.([]any)
				var want []string
				n := 0
				for _, x := range list {
					name, _ := x.(string)
					want = append(want, name)
					if _, set := v[name]; set {
						n++
					}
				}
				switch {
				case kind == "at_least_one" && n == 0:
					errs = append(errs, fmt.Sprintf("%s: at least one of %s is required", strings.TrimSuffix(path, "."), strings.Join(want, ", ")))
				case kind == "just_one" && n != 1:
					errs = append(errs, fmt.Sprintf("%s: just one of %s is required, %d set", strings.TrimSuffix(path, "."), strings.Join(want, ", "), n))
				}
			}
			return errs
		}
		ext, _ := def["extends"].(string)
		def = pool[ext]
	}
	return nil
}
