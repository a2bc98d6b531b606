package awspolicy

import (
	"slices"
	"sort"
	"strings"

	"github.com/vigil-sec/vigil/internal/resource"
)

// parseTyped reads a policy document's JSON text straight into a
// resource.PolicyDocument, without the generic tree decodeJSON builds and
// parser then walks (a map for the document, each statement, principal
// and condition block, a boxed string for every value). It takes only
// what it reads exactly as that path does: valid JSON whose strings are
// printable ASCII without escapes, each known key once per object,
// nesting below maxFastDepth, and a document that parses without error
// within the bounds. Anything else (an error to report, a duplicate key
// whose last value would win, an escape) gives ok false, and ParseText
// takes the generic path, whose result and error stay the reference:
// FuzzParseTyped holds the two equal.
func parseTyped(text string) (d *resource.PolicyDocument, ok bool) {
	sc := scanner{s: text}
	sc.ws()
	d, ok = sc.document()
	if !ok {
		return nil, false
	}
	sc.ws()
	return d, sc.i == len(sc.s)
}

// scanner reads a document's text; n counts the values read against
// MaxValues, as parser does.
type scanner struct {
	s     string
	i     int
	depth int
	n     int
}

func (sc *scanner) ws() {
	for sc.i < len(sc.s) {
		switch sc.s[sc.i] {
		case ' ', '\t', '\n', '\r':
			sc.i++
		default:
			return
		}
	}
}

// peek is the next byte after white space, 0 at the end.
func (sc *scanner) peek() byte {
	sc.ws()
	if sc.i >= len(sc.s) {
		return 0
	}
	return sc.s[sc.i]
}

// eat consumes c, the next byte after white space.
func (sc *scanner) eat(c byte) bool {
	if sc.peek() != c {
		return false
	}
	sc.i++
	return true
}

// str reads a string of printable ASCII without escapes; the result is a
// part of the text.
func (sc *scanner) str() (string, bool) {
	if !sc.eat('"') {
		return "", false
	}
	start := sc.i
	for sc.i < len(sc.s) {
		switch c := sc.s[sc.i]; {
		case c == '"':
			sc.i++
			return sc.s[start : sc.i-1], true
		case c < 0x20 || c >= 0x7f || c == '\\':
			return "", false
		}
		sc.i++
	}
	return "", false
}

// null consumes a null.
func (sc *scanner) null() bool {
	if sc.peek() == 'n' && strings.HasPrefix(sc.s[sc.i:], "null") {
		sc.i += 4
		return true
	}
	return false
}

// number reads a JSON number's text (json.Number's text under UseNumber).
func (sc *scanner) number() (string, bool) {
	sc.ws()
	s, start := sc.s, sc.i
	i := start
	if i < len(s) && s[i] == '-' {
		i++
	}
	digits := func() int {
		j := i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		return i - j
	}
	switch {
	case i < len(s) && s[i] == '0':
		i++
	case digits() == 0:
		return "", false
	}
	if i < len(s) && s[i] == '.' {
		i++
		if digits() == 0 {
			return "", false
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if digits() == 0 {
			return "", false
		}
	}
	sc.i = i
	return s[start:i], true
}

// members reads an object's members, calling member with each key (the
// scanner then at its value), which reads the value. A key read twice
// gives false when member says it is one it reads (dup).
func (sc *scanner) members(member func(key string) bool) bool {
	if !sc.eat('{') {
		return false
	}
	if sc.depth++; sc.depth > maxFastDepth {
		return false
	}
	if sc.eat('}') {
		sc.depth--
		return true
	}
	for {
		k, ok := sc.str()
		if !ok || !sc.eat(':') || !member(k) {
			return false
		}
		if sc.eat(',') {
			continue
		}
		if !sc.eat('}') {
			return false
		}
		sc.depth--
		return true
	}
}

// elements reads an array's elements, calling element with each index.
func (sc *scanner) elements(element func(i int) bool) bool {
	if !sc.eat('[') {
		return false
	}
	if sc.depth++; sc.depth > maxFastDepth {
		return false
	}
	if sc.eat(']') {
		sc.depth--
		return true
	}
	for i := 0; ; i++ {
		if !element(i) {
			return false
		}
		if sc.eat(',') {
			continue
		}
		if !sc.eat(']') {
			return false
		}
		sc.depth--
		return true
	}
}

// skip reads a value no field is taken from.
func (sc *scanner) skip() bool {
	switch c := sc.peek(); {
	case c == '{':
		return sc.members(func(string) bool { return sc.skip() })
	case c == '[':
		return sc.elements(func(int) bool { return sc.skip() })
	case c == '"':
		_, ok := sc.str()
		return ok
	case c == 't', c == 'f', c == 'n':
		_, ok := sc.literal()
		return ok
	default:
		_, ok := sc.number()
		return ok
	}
}

// literal reads true, false or null as its text.
func (sc *scanner) literal() (string, bool) {
	for _, lit := range []string{"true", "false", "null"} {
		if strings.HasPrefix(sc.s[sc.i:], lit) {
			sc.i += len(lit)
			return lit, true
		}
	}
	return "", false
}

// optString reads a string or null ("").
func (sc *scanner) optString() (string, bool) {
	if sc.null() {
		return "", true
	}
	return sc.str()
}

func (sc *scanner) count(n int) bool {
	sc.n += n
	return sc.n <= MaxValues
}

// once marks a known key read; false when it was read before.
func once(seen *uint16, bit uint16) bool {
	if *seen&bit != 0 {
		return false
	}
	*seen |= bit
	return true
}

func (sc *scanner) document() (*resource.PolicyDocument, bool) {
	d := &resource.PolicyDocument{}
	var seen uint16
	hasStatement := false
	ok := sc.members(func(k string) bool {
		switch k {
		case "Version":
			var ok bool
			d.Version, ok = sc.optString()
			return ok && once(&seen, 1)
		case "Id":
			var ok bool
			d.ID, ok = sc.optString()
			return ok && once(&seen, 2)
		case "Statement":
			if !once(&seen, 4) {
				return false
			}
			hasStatement = true
			switch sc.peek() {
			case '{':
				st, ok := sc.statement()
				d.Statements = []resource.Statement{st}
				return ok
			case '[':
				d.Statements = []resource.Statement{}
				return sc.elements(func(i int) bool {
					if i >= MaxStatements || sc.peek() != '{' {
						return false
					}
					st, ok := sc.statement()
					d.Statements = append(d.Statements, st)
					return ok
				})
			}
			return false
		}
		return sc.skip()
	})
	if !ok || !hasStatement {
		return nil, false
	}
	return d, true
}

// statementKeys are the keys of a statement the parser reads.
var statementKeys = []string{"Sid", "Effect", "Action", "NotAction", "Resource", "NotResource", "Principal", "NotPrincipal", "Condition"}

func (sc *scanner) statement() (resource.Statement, bool) {
	var s resource.Statement
	var seen uint16
	var effect string
	ok := sc.members(func(k string) bool {
		i := slices.Index(statementKeys, k)
		if i < 0 {
			return sc.skip()
		}
		if !once(&seen, 1<<i) {
			return false
		}
		var ok bool
		switch k {
		case "Sid":
			s.Sid, ok = sc.optString()
		case "Effect":
			effect, ok = sc.optString()
		case "Action":
			s.Actions, ok = sc.list()
		case "NotAction":
			s.NotActions, ok = sc.list()
		case "Resource":
			s.Resources, ok = sc.list()
		case "NotResource":
			s.NotResources, ok = sc.list()
		case "Principal":
			s.Principals, ok = sc.principals()
		case "NotPrincipal":
			s.NotPrincipals, ok = sc.principals()
		case "Condition":
			s.Conditions, ok = sc.conditions()
		}
		return ok
	})
	switch {
	case !ok:
		return s, false
	case strings.EqualFold(effect, "Allow"):
		s.Effect = "Allow"
	case strings.EqualFold(effect, "Deny"):
		s.Effect = "Deny"
	default:
		return s, false
	}
	if (s.Actions != nil && s.NotActions != nil) || (s.Resources != nil && s.NotResources != nil) {
		return s, false
	}
	return s, true
}

// list reads a string-or-array element as parser.list does: null is nil,
// a string a one-element list, an array of strings a list (empty, not
// nil, for []).
func (sc *scanner) list() ([]string, bool) {
	switch sc.peek() {
	case 'n':
		return nil, sc.null()
	case '"':
		s, ok := sc.str()
		return []string{s}, ok && sc.count(1)
	}
	return sc.strings()
}

// strings reads an array of strings.
func (sc *scanner) strings() ([]string, bool) {
	out := []string{}
	ok := sc.elements(func(int) bool {
		s, ok := sc.str()
		out = append(out, s)
		return ok
	})
	return out, ok && sc.count(len(out))
}

func (sc *scanner) principals() ([]resource.Principal, bool) {
	switch sc.peek() {
	case 'n':
		return nil, sc.null()
	case '"':
		s, ok := sc.str()
		return []resource.Principal{{Type: "*", ID: "*"}}, ok && s == "*" && sc.count(1)
	}
	type group struct {
		typ string
		ids []string
	}
	var groups []group
	ok := sc.members(func(k string) bool {
		if !principalTypes[k] {
			return false
		}
		for _, g := range groups {
			if g.typ == k {
				return false
			}
		}
		ids, ok := sc.list()
		groups = append(groups, group{k, ids})
		return ok && ids != nil
	})
	if !ok {
		return nil, false
	}
	sort.Slice(groups, func(i, j int) bool { return groups[i].typ < groups[j].typ })
	out := []resource.Principal{}
	for _, g := range groups {
		for _, id := range g.ids {
			out = append(out, resource.Principal{Type: g.typ, ID: id})
		}
	}
	return out, true
}

// conditions reads a Condition block as parser.conditions does: operators
// and keys sorted, values kept as text.
func (sc *scanner) conditions() ([]resource.Condition, bool) {
	if sc.null() {
		return nil, true
	}
	var out []resource.Condition
	var ops []string
	ok := sc.members(func(op string) bool {
		if op == "" || slices.Contains(ops, op) {
			return false
		}
		ops = append(ops, op)
		var keys []string
		return sc.members(func(k string) bool {
			if slices.Contains(keys, k) {
				return false
			}
			keys = append(keys, k)
			vals, ok := sc.conditionValues()
			out = append(out, resource.Condition{Operator: op, Key: k, Values: vals})
			return ok
		})
	})
	if !ok {
		return nil, false
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Operator != out[j].Operator {
			return out[i].Operator < out[j].Operator
		}
		return out[i].Key < out[j].Key
	})
	return out, true
}

// conditionValues reads a scalar or an array of scalars (strings,
// numbers, booleans) as text.
func (sc *scanner) conditionValues() ([]string, bool) {
	if sc.peek() == '[' {
		out := []string{}
		ok := sc.elements(func(int) bool {
			s, ok := sc.scalar()
			out = append(out, s)
			return ok
		})
		return out, ok && sc.count(len(out))
	}
	s, ok := sc.scalar()
	return []string{s}, ok && sc.count(1)
}

// scalar reads a string, a number or a boolean as text.
func (sc *scanner) scalar() (string, bool) {
	switch c := sc.peek(); {
	case c == '"':
		return sc.str()
	case c == 't', c == 'f':
		s, ok := sc.literal()
		return s, ok && s != "null"
	}
	return sc.number()
}
