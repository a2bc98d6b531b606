package tfmap

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/vigil-sec/vigil/internal/iam/awspolicy"
	"github.com/vigil-sec/vigil/internal/resource"
)

// state says what a lookup found.
type state int

const (
	absent    state = iota // not set (or null): the provider's default applies
	ok                     // a known value
	unknownSt              // a value known only after apply
	bad                    // a value of the wrong type (a problem was reported)
)

// maxDepth bounds the walks over attribute values.
const maxDepth = 64

// unknownOf returns the Unknown v is, if it is one.
func unknownOf(v any) (Unknown, bool) {
	switch t := v.(type) {
	case Unknown:
		return t, true
	case *Unknown:
		if t == nil {
			return Unknown{}, true
		}
		return *t, true
	}
	return Unknown{}, false
}

// look walks path through v: map keys, a nested block given as a list of
// one object (or as the object itself) taken as that object.
func look(v any, path ...string) (any, state) {
	cur := v
	for _, k := range path {
		cur = single(cur)
		switch t := cur.(type) {
		case nil:
			return nil, absent
		case map[string]any:
			cur = t[k]
		default:
			if _, isU := unknownOf(cur); isU {
				return cur, unknownSt
			}
			return cur, bad
		}
	}
	cur = single(cur)
	if cur == nil {
		return nil, absent
	}
	if _, isU := unknownOf(cur); isU {
		return cur, unknownSt
	}
	return cur, ok
}

// single takes the one object of a nested block list; an empty list is
// no block (nil).
func single(v any) any {
	if l, isList := v.([]any); isList {
		switch len(l) {
		case 0:
			return nil
		case 1:
			if _, isMap := l[0].(map[string]any); isMap {
				return l[0]
			}
			if _, isU := unknownOf(l[0]); isU {
				return l[0]
			}
		}
	}
	return v
}

// describe names a value's kind for problems.
func describe(v any) string {
	switch t := v.(type) {
	case nil:
		return "null"
	case string:
		return fmt.Sprintf("the string %q", trunc(t))
	case float64, int:
		return fmt.Sprintf("the number %v", t)
	case bool:
		return fmt.Sprintf("the boolean %v", t)
	case []any:
		return "a list"
	case map[string]any:
		return "an object"
	}
	if _, isU := unknownOf(v); isU {
		return "a value known only after apply"
	}
	return fmt.Sprintf("a %T", v)
}

func trunc(s string) string {
	if len(s) > 60 {
		return s[:60] + "..."
	}
	return s
}

// text renders a scalar as Terraform converts it to a string.
func text(v any) (string, bool) {
	switch t := v.(type) {
	case string:
		return t, true
	case float64:
		return strconv.FormatFloat(t, 'f', -1, 64), true
	case int:
		return strconv.Itoa(t), true
	case bool:
		return strconv.FormatBool(t), true
	}
	return "", false
}

// str reads a string (a number or boolean converts, as Terraform does).
func (m *mapper) str(p any, path ...string) (string, state) {
	v, st := look(p, path...)
	if st != ok {
		return "", st
	}
	s, isText := text(v)
	if !isText {
		m.problem(strings.Join(path, "."), "%s is %s, not a string", strings.Join(path, "."), describe(v))
		return "", bad
	}
	return s, ok
}

// s is the string at path, "" when absent, unknown or wrong.
func (m *mapper) s(p any, path ...string) string {
	s, _ := m.str(p, path...)
	return s
}

// boolean reads a boolean (the strings "true" and "false" convert); def
// when absent, nil when unknown or wrong.
func (m *mapper) boolean(p any, def *bool, path ...string) *bool {
	v, st := look(p, path...)
	switch st {
	case absent:
		return def
	case unknownSt, bad:
		if st == bad {
			m.problem(strings.Join(path, "."), "%s is %s, not a boolean", strings.Join(path, "."), describe(v))
		}
		return nil
	}
	switch t := v.(type) {
	case bool:
		return &t
	case string:
		if b, err := strconv.ParseBool(t); err == nil && (t == "true" || t == "false") {
			return &b
		}
	}
	m.problem(strings.Join(path, "."), "%s is %s, not a boolean", strings.Join(path, "."), describe(v))
	return nil
}

// integer reads a whole number (a numeric string converts); def when
// absent, nil when unknown or wrong.
func (m *mapper) integer(p any, def *int, path ...string) *int {
	v, st := look(p, path...)
	switch st {
	case absent:
		return def
	case unknownSt:
		return nil
	case bad:
		m.problem(strings.Join(path, "."), "%s is %s, not a number", strings.Join(path, "."), describe(v))
		return nil
	}
	var f float64
	switch t := v.(type) {
	case float64:
		f = t
	case int:
		f = float64(t)
	case string:
		x, err := strconv.ParseFloat(strings.TrimSpace(t), 64)
		if err != nil {
			m.problem(strings.Join(path, "."), "%s is %s, not a number", strings.Join(path, "."), describe(v))
			return nil
		}
		f = x
	default:
		m.problem(strings.Join(path, "."), "%s is %s, not a number", strings.Join(path, "."), describe(v))
		return nil
	}
	if f != math.Trunc(f) || f > 1<<31 || f < -(1<<31) {
		m.problem(strings.Join(path, "."), "%s is %s, not a whole number", strings.Join(path, "."), describe(v))
		return nil
	}
	i := int(f)
	return &i
}

// list reads a list (a set); a single scalar is not a list.
func (m *mapper) list(p any, path ...string) ([]any, state) {
	v, st := look1(p, path...)
	if st != ok {
		return nil, st
	}
	l, isList := v.([]any)
	if !isList {
		m.problem(strings.Join(path, "."), "%s is %s, not a list", strings.Join(path, "."), describe(v))
		return nil, bad
	}
	return l, ok
}

// look1 is look without taking the one object of a list at the end.
func look1(p any, path ...string) (any, state) {
	if len(path) == 0 {
		return look(p)
	}
	parent, st := look(p, path[:len(path)-1]...)
	if st != ok {
		return parent, st
	}
	o, isMap := parent.(map[string]any)
	if !isMap {
		return parent, bad
	}
	v := o[path[len(path)-1]]
	if v == nil {
		return nil, absent
	}
	if _, isU := unknownOf(v); isU {
		return v, unknownSt
	}
	return v, ok
}

// blocks reads the nested blocks at path: a list of objects, or one
// object (as plan JSON gives some).
func (m *mapper) blocks(p any, path ...string) ([]map[string]any, state) {
	v, st := look1(p, path...)
	if st != ok {
		return nil, st
	}
	var l []any
	switch t := v.(type) {
	case []any:
		l = t
	case map[string]any:
		return []map[string]any{t}, ok
	default:
		m.problem(strings.Join(path, "."), "%s is %s, not a block", strings.Join(path, "."), describe(v))
		return nil, bad
	}
	out := make([]map[string]any, 0, len(l))
	st = ok
	for _, e := range l {
		switch t := e.(type) {
		case map[string]any:
			out = append(out, t)
		default:
			if _, isU := unknownOf(e); isU {
				st = unknownSt
				continue
			}
			m.problem(strings.Join(path, "."), "a block of %s is %s, not an object", strings.Join(path, "."), describe(e))
			st = bad
		}
	}
	return out, st
}

// strings reads a list of strings; unknown elements are counted in open
// (no reference: may be anything) and refs (references to resources).
func (m *mapper) strs(p any, path ...string) (vals []string, unknowns []Unknown, st state) {
	l, st := m.list(p, path...)
	if st != ok {
		if st == absent {
			if v, _ := look1(p, path...); v == nil {
				return nil, nil, absent
			}
		}
		return nil, nil, st
	}
	for _, e := range l {
		if u, isU := unknownOf(e); isU {
			unknowns = append(unknowns, u)
			continue
		}
		s, isText := text(e)
		if !isText {
			m.problem(strings.Join(path, "."), "an element of %s is %s, not a string", strings.Join(path, "."), describe(e))
			return nil, nil, bad
		}
		vals = append(vals, s)
	}
	return vals, unknowns, ok
}

func boolp(b bool) *bool { return &b }

// not, and3 and or3 combine facts that may be unknown (nil).
func not(b *bool) *bool { return resource.Not(b) }

func and3(bs ...*bool) *bool { return resource.And(bs...) }

func or3(bs ...*bool) *bool { return resource.Or(bs...) }

// present: true when set, false when absent, nil when unknown or wrong.
func present(p any, path ...string) *bool {
	switch _, st := look(p, path...); st {
	case ok:
		return boolp(true)
	case absent:
		return boolp(false)
	}
	return nil
}

// set: true when set (to a value or to a reference to a resource of the
// configuration), false when absent, nil when a variable may leave it null.
func set(p any, path ...string) *bool {
	v, st := look(p, path...)
	switch st {
	case ok:
		return boolp(true)
	case absent:
		return boolp(false)
	case unknownSt:
		if u, _ := unknownOf(v); !open(u) {
			return boolp(true)
		}
	}
	return nil
}

// keyManager tells a provider-managed key (alias/aws/...) from a
// customer's: a key the configuration creates, or any other literal key,
// alias or ARN, is the customer's; a variable may name either ("").
func keyManager(v any) string {
	switch t := v.(type) {
	case string:
		switch {
		case t == "":
			return "provider"
		case strings.Contains(t, "alias/aws/"):
			return "provider"
		}
		return "customer"
	default:
		if u, isU := unknownOf(v); isU {
			for _, r := range u.Refs {
				if !IsDataAddr(r) {
					return "customer"
				}
			}
		}
	}
	return ""
}

// policy is a parsed policy document whose values may be known only at
// deploy time.
type policy = awspolicy.Partial

// policyAt parses the policy document at path: JSON text (jsonencode's
// result, a heredoc, a data source's json) or an object (the value given
// to jsonencode, when the reader keeps it); nil when absent. A document
// that does not parse is reported and answers unknown.
func (m *mapper) policyAt(p any, path ...string) *policy {
	v, st := look1(p, path...)
	switch st {
	case absent:
		return nil
	case unknownSt:
		u, _ := unknownOf(v)
		for _, ref := range u.Refs {
			if d := m.data[strings.TrimSuffix(ref, ".json")]; d != nil && d.Type == "aws_iam_policy_document" {
				if doc := m.policyDocument(d); doc != nil {
					v = doc
					break
				}
			}
		}
		if _, isMap := v.(map[string]any); !isMap {
			return &policy{WhoUnknown: true, WhatUnknown: true}
		}
	case bad:
		m.problem(strings.Join(path, "."), "%s is %s, not a policy document", strings.Join(path, "."), describe(v))
		return &policy{WhoUnknown: true, WhatUnknown: true}
	}
	pol := &policy{}
	switch t := v.(type) {
	case string:
		if strings.TrimSpace(t) == "" {
			return nil
		}
		pol.Doc = awspolicy.ParseText(t)
	case map[string]any:
		stmts := t["Statement"]
		if _, isMap := stmts.(map[string]any); isMap {
			stmts = []any{stmts}
		}
		if _, isU := unknownOf(stmts); isU {
			return &policy{WhoUnknown: true, WhatUnknown: true}
		}
		list, _ := stmts.([]any)
		for _, s := range list {
			sm, _ := s.(map[string]any)
			if _, isU := unknownOf(s); isU {
				pol.WhoUnknown, pol.WhatUnknown = true, true
			}
			for k, x := range sm {
				if k == "Condition" || k == "Sid" || !anyOpen(x, 0) {
					continue
				}
				switch k {
				case "Principal", "NotPrincipal":
					pol.WhoUnknown = true
				case "Effect":
					pol.WhoUnknown, pol.WhatUnknown = true, true
				default:
					pol.WhatUnknown = true
				}
			}
		}
		plain, _ := placeholders(t, 0).(map[string]any)
		pol.Doc = awspolicy.Parse(plain)
	default:
		m.problem(strings.Join(path, "."), "%s is %s, not a policy document", strings.Join(path, "."), describe(v))
		return &policy{WhoUnknown: true, WhatUnknown: true}
	}
	if pol.Doc != nil && pol.Doc.Error != "" {
		m.problem(strings.Join(path, "."), "the policy document does not parse: %s", pol.Doc.Error)
	}
	return pol
}

// policyDocument renders an aws_iam_policy_document data source of the
// configuration as the document its json attribute holds; nil when it
// merges other documents (source_policy_documents, override_...).
func (m *mapper) policyDocument(d *Instance) map[string]any {
	for _, k := range []string{"source_policy_documents", "override_policy_documents", "source_json", "override_json"} {
		if d.Attrs[k] != nil {
			return nil
		}
	}
	stmts, st := m.blocks(d.Attrs, "statement")
	if st != ok && st != absent {
		return nil
	}
	version := any("2012-10-17")
	if v := d.Attrs["version"]; v != nil {
		version = v
	}
	list := make([]any, 0, len(stmts))
	for _, b := range stmts {
		s := map[string]any{"Effect": "Allow"}
		if e := b["effect"]; e != nil {
			s["Effect"] = e
		}
		if sid := b["sid"]; sid != nil {
			s["Sid"] = sid
		}
		for k, j := range map[string]string{"actions": "Action", "not_actions": "NotAction", "resources": "Resource", "not_resources": "NotResource"} {
			if v := b[k]; v != nil {
				s[j] = v
			}
		}
		for k, j := range map[string]string{"principals": "Principal", "not_principals": "NotPrincipal"} {
			ps, _ := m.blocks(b, k)
			if len(ps) == 0 {
				continue
			}
			pm := map[string]any{}
			for _, p := range ps {
				typ, _ := p["type"].(string)
				ids, _ := p["identifiers"].([]any)
				if typ == "*" {
					s[j] = "*"
					continue
				}
				if typ == "" {
					return nil
				}
				if have, _ := pm[typ].([]any); have != nil {
					ids = append(append([]any{}, have...), ids...)
				}
				pm[typ] = ids
			}
			if _, star := s[j].(string); !star {
				s[j] = pm
			}
		}
		cs, _ := m.blocks(b, "condition")
		if len(cs) > 0 {
			cond := map[string]any{}
			for _, c := range cs {
				test, _ := c["test"].(string)
				variable, _ := c["variable"].(string)
				if test == "" || variable == "" {
					return nil
				}
				ops, _ := cond[test].(map[string]any)
				if ops == nil {
					ops = map[string]any{}
					cond[test] = ops
				}
				ops[variable] = c["values"]
			}
			s["Condition"] = cond
		}
		list = append(list, s)
	}
	return map[string]any{"Version": version, "Statement": list}
}

// placeholders replaces values known only after apply by a placeholder
// naming what they refer to, and scalars by their text, as a JSON policy
// document writes them.
func placeholders(v any, depth int) any {
	if depth > maxDepth {
		return nil
	}
	switch t := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, x := range t {
			out[k] = placeholders(x, depth+1)
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, x := range t {
			out[i] = placeholders(x, depth+1)
		}
		return out
	case nil:
		return nil
	}
	if u, isU := unknownOf(v); isU {
		return "${" + strings.Join(u.Refs, ",") + "}"
	}
	s, _ := text(v)
	return s
}

// anyOpen reports whether v holds a value that may be anything ("*"
// included): an unknown that refers to no resource (a variable).
func anyOpen(v any, depth int) bool {
	if depth > maxDepth {
		return true
	}
	switch t := v.(type) {
	case map[string]any:
		for _, x := range t {
			if anyOpen(x, depth+1) {
				return true
			}
		}
	case []any:
		for _, x := range t {
			if anyOpen(x, depth+1) {
				return true
			}
		}
	default:
		if u, isU := unknownOf(v); isU {
			return open(u)
		}
	}
	return false
}

// open reports whether an unknown may be anything: it refers to no
// managed resource (a variable, a data source).
func open(u Unknown) bool {
	for _, r := range u.Refs {
		if !IsDataAddr(r) && !strings.HasPrefix(r, "var.") {
			return false
		}
	}
	return true
}
