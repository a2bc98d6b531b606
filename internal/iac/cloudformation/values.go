package cloudformation

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/vigil-sec/vigil/internal/iam/awspolicy"
	"github.com/vigil-sec/vigil/internal/resource"
)

// state says what a property lookup found.
type state int

const (
	absent state = iota
	ok
	unknownSt // known only at deploy time
	bad       // of the wrong type
)

// look follows path through the evaluated properties p.
func look(p any, path ...string) (any, state) {
	v := p
	for _, k := range path {
		switch t := v.(type) {
		case map[string]any:
			x, found := t[k]
			if !found || x == nil {
				return nil, absent
			}
			v = x
		case *unknown:
			return v, unknownSt
		default:
			return v, bad
		}
	}
	if _, isU := v.(*unknown); isU {
		return v, unknownSt
	}
	return v, ok
}

// str reads a string (a number or boolean as written).
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

// s reads a string, "" unless known.
func (m *mapper) s(p any, path ...string) string {
	s, _ := m.str(p, path...)
	return s
}

// boolean reads a boolean (true/false, or the strings "true"/"false"):
// def when absent, nil when unknown or of the wrong type.
func (m *mapper) boolean(p any, def *bool, path ...string) *bool {
	v, st := look(p, path...)
	switch st {
	case absent:
		return def
	case ok:
		switch t := v.(type) {
		case bool:
			return &t
		case string:
			if b, err := strconv.ParseBool(strings.ToLower(t)); err == nil {
				return &b
			}
		}
		m.problem(strings.Join(path, "."), "%s is %s, not a boolean", strings.Join(path, "."), describe(v))
	}
	return nil
}

// integer reads a whole number (or a string holding one): def when
// absent, nil when unknown or of the wrong type.
func (m *mapper) integer(p any, def *int, path ...string) *int {
	v, st := look(p, path...)
	switch st {
	case absent:
		return def
	case ok:
		s, _ := text(v)
		if f, err := strconv.ParseFloat(s, 64); err == nil && f == float64(int(f)) {
			i := int(f)
			return &i
		}
		m.problem(strings.Join(path, "."), "%s is %s, not a number", strings.Join(path, "."), describe(v))
	}
	return nil
}

// list reads a list.
func (m *mapper) listAt(p any, path ...string) ([]any, state) {
	v, st := look(p, path...)
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

// objs reads a list of mappings; st is unknownSt when the list or one of
// its elements is not known before deploy.
func (m *mapper) objs(p any, path ...string) ([]map[string]any, state) {
	l, st := m.listAt(p, path...)
	if st != ok {
		return nil, st
	}
	out := make([]map[string]any, 0, len(l))
	for _, e := range l {
		switch t := e.(type) {
		case map[string]any:
			out = append(out, t)
		case *unknown:
			st = unknownSt
		default:
			m.problem(strings.Join(path, "."), "an element of %s is %s, not a mapping", strings.Join(path, "."), describe(e))
			st = bad
		}
	}
	return out, st
}

func boolp(b bool) *bool { return &b }

// not, and3 and or3 combine facts that may be unknown (nil).
func not(b *bool) *bool { return resource.Not(b) }

func and3(bs ...*bool) *bool { return resource.And(bs...) }

func or3(bs ...*bool) *bool { return resource.Or(bs...) }

// maybe makes a contribution of an attachment unknown when the attachment
// may not be deployed (its Condition could not be decided), unless it is
// what its absence would give.
func maybe(a *res, v, without *bool) *bool {
	if !a.maybe || (v != nil && without != nil && *v == *without) {
		return v
	}
	return nil
}

// keyManager tells an AWS-managed key (alias/aws/...) from a customer's: a
// key of the template, any other literal key, alias or ARN is the
// customer's; a parameter may name either ("").
func keyManager(v any) string {
	switch t := v.(type) {
	case string:
		switch {
		case t == "":
			return ""
		case strings.Contains(t, "alias/aws/"):
			return "provider"
		}
		return "customer"
	case *unknown:
		if !t.open && len(t.refs)+len(t.outer) > 0 {
			return "customer" // a key (or alias) the stack creates
		}
	}
	return ""
}

// policy is a parsed policy document whose values may be known only at
// deploy time.
type policy = awspolicy.Partial

// onlyDoc is the resource policy of a resource the template gives exactly
// one, surely deployed; nil with none, several (which applies is unknown),
// or one whose resource's Condition is undecided (maybe).
func onlyDoc(pols []*policy, maybe bool) *resource.PolicyDocument {
	if len(pols) != 1 || pols[0] == nil || maybe {
		return nil
	}
	return pols[0].Doc
}

// policyAt parses the policy document at path of p (an object or JSON
// text); nil when absent. Values known only at deploy time are kept as
// their template text, and the questions they could change answer unknown.
func (m *mapper) policyAt(p any, path ...string) *policy {
	v, st := look(p, path...)
	switch st {
	case absent:
		return nil
	case unknownSt:
		return m.policyText(v.(*unknown))
	}
	pol := &policy{}
	if s, isStr := v.(string); isStr {
		pol.Doc = awspolicy.ParseText(s)
	} else {
		if stmts, _ := look(v, "Statement"); stmts != nil {
			var list []any
			switch t := stmts.(type) {
			case []any:
				list = t
			case map[string]any:
				list = []any{t}
			case *unknown:
				return &policy{WhoUnknown: true, WhatUnknown: true}
			}
			for _, s := range list {
				sm, _ := s.(map[string]any)
				if _, isU := s.(*unknown); isU {
					pol.WhoUnknown, pol.WhatUnknown = true, true
				}
				for k, x := range sm {
					if k == "Condition" || k == "Sid" || !anyOpen(x) {
						continue // a condition's values do not change who or what it grants
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
		}
		plain, _ := placeholders(v, 0).(map[string]any)
		if plain == nil {
			m.problem(strings.Join(path, "."), "%s is %s, not a policy document", strings.Join(path, "."), describe(v))
			return &policy{WhoUnknown: true, WhatUnknown: true}
		}
		pol.Doc = awspolicy.Parse(plain)
	}
	if pol.Doc != nil && pol.Doc.Error != "" {
		m.problem(strings.Join(path, "."), "the policy document does not parse: %s", pol.Doc.Error)
	}
	return pol
}

// placeholders replaces unknown values by their template text and scalars
// by strings, as a JSON policy document writes them.
func placeholders(v any, depth int) any {
	if depth > maxDepth {
		return nil
	}
	switch t := v.(type) {
	case *unknown:
		if t.text != "" {
			return t.text
		}
		return "${unknown}"
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
	s, _ := text(v)
	return s
}

// anyOpen reports whether v holds a value that may be anything, "*"
// included: a parameter or import standing for the whole value. An
// attribute of the template's resources (an ARN) or a value with text
// around the unknown part ("arn:${AWS::Partition}:s3:::b/*") is never "*".
func anyOpen(v any) bool {
	found := false
	walkUnknown(v, 0, func(u *unknown) {
		if u.open && (u.text == "" || wholeRE.MatchString(u.text)) {
			found = true
		}
	})
	return found
}

var wholeRE = regexp.MustCompile(`^\$\{[^}]*\}$`)

// policyText reads a policy document written as JSON text with values
// known only at deploy time in it (Fn::Sub, Fn::Join of JSON text): the
// document with those values as their template text. A value standing for
// a whole principal, action or resource leaves what it decides unknown;
// text that does not parse as a document leaves everything unknown.
func (m *mapper) policyText(u *unknown) *policy {
	if !strings.HasPrefix(strings.TrimSpace(u.text), "{") {
		return &policy{WhoUnknown: true, WhatUnknown: true}
	}
	doc := awspolicy.ParseText(u.text)
	if doc == nil || doc.Error != "" {
		return &policy{WhoUnknown: true, WhatUnknown: true}
	}
	pol := &policy{Doc: doc}
	if !u.open {
		return pol // only the template's own resources' IDs and ARNs
	}
	whole := func(l []string) bool {
		for _, s := range l {
			if wholeRE.MatchString(s) {
				return true
			}
		}
		return false
	}
	for _, st := range doc.Statements {
		for _, pr := range append(append([]resource.Principal{}, st.Principals...), st.NotPrincipals...) {
			if wholeRE.MatchString(pr.ID) {
				pol.WhoUnknown = true
			}
		}
		if whole(st.Actions) || whole(st.NotActions) || whole(st.Resources) || whole(st.NotResources) {
			pol.WhatUnknown = true
		}
	}
	return pol
}
