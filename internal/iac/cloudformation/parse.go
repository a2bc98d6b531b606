package cloudformation

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// Limits on one template, so that hostile input (an alias bomb, deeply
// nested values or intrinsics) is reported rather than expanded.
const (
	// maxNodes bounds the values a template expands to, aliases counted at
	// every use.
	maxNodes = 1_000_000
	// maxDepth bounds the nesting of values and of intrinsic functions.
	maxDepth = 200
	// DefaultMaxFileBytes is the largest template read when
	// Options.MaxFileBytes is 0 (CloudFormation itself accepts 1 MB).
	DefaultMaxFileBytes = 20 << 20
)

// template is a parsed template: its sections as plain values (intrinsic
// tags turned into their long form), and its resources with their lines.
type template struct {
	file       string
	params     map[string]map[string]any
	mappings   map[string]any
	conditions map[string]any
	globals    map[string]any // SAM Globals
	// outputs are the Outputs section (read only through a parent stack's
	// Fn::GetAtt Stack.Outputs.Name; nil when absent or malformed).
	outputs   map[string]any
	resources []*rawResource
	loops     []*loop
	data      []byte
	conv      *converter
}

// rawResource is a resource as written, not yet evaluated.
type rawResource struct {
	id        string
	typ       string
	condition string
	props     map[string]any // nil when absent
	propLines map[string]int
	start     int
	end       int
	// bad says why the resource cannot be read ("" when it can).
	bad string
}

// parseError is a template that does not parse, at a line.
type parseError struct {
	line int
	msg  string
}

func (e *parseError) Error() string { return e.msg }

var lineRE = regexp.MustCompile(`^yaml: line (\d+): `)

// parse reads a template (YAML or JSON). A template that does not parse
// returns a *parseError with its line.
func parse(file string, data []byte) (*template, []*parseError) {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		msg, line := err.Error(), 0
		if m := lineRE.FindStringSubmatch(msg); m != nil {
			line, _ = strconv.Atoi(m[1])
			msg = "yaml: " + msg[len(m[0]):]
			if parserError(msg) {
				line++ // yaml.v3 reports a parser error's line 0-based
			}
		}
		return nil, []*parseError{{line: line, msg: msg}}
	}
	n := &root
	if n.Kind == yaml.DocumentNode {
		if len(n.Content) == 0 {
			return nil, []*parseError{{line: 1, msg: "the file is empty"}}
		}
		n = n.Content[0]
	}
	if n.Kind != yaml.MappingNode {
		return nil, []*parseError{{line: n.Line, msg: "the template is not a mapping"}}
	}
	c := &converter{}
	t := &template{file: file, data: data, conv: c}
	section := func(key string) (map[string]any, *yaml.Node, *parseError) {
		v := mapValue(n, key)
		if v == nil {
			return nil, nil, nil
		}
		val, err := c.value(v, 0)
		if err != nil {
			return nil, v, &parseError{line: v.Line, msg: key + ": " + err.Error()}
		}
		if val == nil {
			return nil, v, nil
		}
		m, ok := val.(map[string]any)
		if !ok {
			return nil, v, &parseError{line: v.Line, msg: key + " is not a mapping"}
		}
		return m, v, nil
	}
	var errs []*parseError
	if ps, _, err := section("Parameters"); err != nil {
		errs = append(errs, err)
	} else {
		t.params = map[string]map[string]any{}
		for k, v := range ps {
			p, _ := v.(map[string]any)
			t.params[k] = p
		}
	}
	var err *parseError
	if t.mappings, _, err = section("Mappings"); err != nil {
		errs = append(errs, err)
	}
	if t.conditions, _, err = section("Conditions"); err != nil {
		errs = append(errs, err)
	}
	if t.globals, _, err = section("Globals"); err != nil {
		errs = append(errs, err)
	}
	t.outputs, _, _ = section("Outputs") // a malformed one only leaves a parent's Fn::GetAtt unknown
	// Macros other than those vigil reads change the template at deploy
	// time: said, and the template read as written.
	if tn := mapValue(n, "Transform"); tn != nil {
		names := []*yaml.Node{tn}
		if tn.Kind == yaml.SequenceNode {
			names = tn.Content
		}
		for _, x := range names {
			x = deref(x)
			if x.Kind != yaml.ScalarNode {
				continue
			}
			switch x.Value {
			case "AWS::Serverless-2016-10-31", "AWS::LanguageExtensions":
			default:
				errs = append(errs, &parseError{line: x.Line, msg: fmt.Sprintf("Transform %s is a macro applied at deploy time: the template is read as written, without what it changes", x.Value)})
			}
		}
	}
	rs := mapValue(n, "Resources")
	if rs == nil {
		errs = append(errs, &parseError{line: n.Line, msg: "the template has no Resources section"})
		return t, errs
	}
	if rs.Kind != yaml.MappingNode {
		errs = append(errs, &parseError{line: rs.Line, msg: "Resources is not a mapping"})
		return t, errs
	}
	var starts []int
	seen := map[string]bool{}
	for i := 0; i+1 < len(rs.Content); i += 2 {
		k, v := rs.Content[i], deref(rs.Content[i+1])
		if seen[k.Value] {
			errs = append(errs, &parseError{line: k.Line, msg: fmt.Sprintf("resource %s is defined more than once; only the first is read", k.Value)})
			continue
		}
		seen[k.Value] = true
		if strings.HasPrefix(k.Value, "Fn::ForEach::") {
			l, err := c.loop(k, v, data, &starts, 0)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			t.loops = append(t.loops, l)
			continue
		}
		t.resources = append(t.resources, c.resource(k.Value, k, rs.Content[i+1], data, &starts))
	}
	return t, errs
}

// resource reads the resource id whose key node is k and value node vn.
func (c *converter) resource(id string, k, vn *yaml.Node, data []byte, starts *[]int) *rawResource {
	v := deref(vn)
	r := &rawResource{id: id, start: k.Line, end: lastLine(vn, 0)}
	if v.Style&yaml.FlowStyle != 0 && v.Kind == yaml.MappingNode && vn.Kind != yaml.AliasNode {
		// JSON (or a flow mapping): the block ends at its closing brace.
		if *starts == nil {
			*starts = lineStarts(data)
		}
		if l := closingLine(data, *starts, v.Line, v.Column); l > r.end {
			r.end = l
		}
	}
	if v.Kind != yaml.MappingNode {
		r.bad = "the resource is not a mapping"
		return r
	}
	if tn := mapValue(v, "Type"); tn != nil && tn.Kind == yaml.ScalarNode {
		r.typ = tn.Value
	}
	if r.typ == "" {
		r.bad = "the resource has no Type"
		return r
	}
	if cn := mapValue(v, "Condition"); cn != nil && cn.Kind == yaml.ScalarNode {
		r.condition = cn.Value
	}
	pn := mapValue(v, "Properties")
	if pn == nil {
		return r
	}
	val, err := c.value(pn, 0)
	if err != nil {
		r.bad = "Properties: " + err.Error()
		return r
	}
	if val == nil {
		return r
	}
	m, ok := val.(map[string]any)
	if !ok {
		r.bad = "Properties is not a mapping"
		return r
	}
	r.props = m
	r.propLines = map[string]int{}
	for j := 0; j+1 < len(pn.Content); j += 2 {
		r.propLines[pn.Content[j].Value] = pn.Content[j].Line
	}
	return r
}

// loop is an Fn::ForEach of the Resources section (the
// AWS::LanguageExtensions transform): for each value of the collection,
// the fragment's resources with the identifier replaced by the value.
type loop struct {
	name       string
	line       int
	ident      string
	collection any
	// fragment: the output keys and their resources (or nested loops).
	keys  []*yaml.Node
	vals  []*yaml.Node
	inner []*loop // nested loops, by position in keys (nil elsewhere)
}

func (c *converter) loop(k, v *yaml.Node, data []byte, starts *[]int, depth int) (*loop, *parseError) {
	bad := func(msg string) (*loop, *parseError) {
		return nil, &parseError{line: k.Line, msg: k.Value + ": " + msg}
	}
	if depth > 5 {
		return bad("Fn::ForEach nested more than 5 levels deep; not read")
	}
	if v.Kind != yaml.SequenceNode || len(v.Content) != 3 || deref(v.Content[0]).Kind != yaml.ScalarNode ||
		deref(v.Content[2]).Kind != yaml.MappingNode {
		return bad("Fn::ForEach takes an identifier, a collection and a mapping of output keys to resources")
	}
	coll, err := c.value(v.Content[1], 0)
	if err != nil {
		return bad(err.Error())
	}
	l := &loop{name: strings.TrimPrefix(k.Value, "Fn::ForEach::"), line: k.Line, ident: deref(v.Content[0]).Value, collection: coll}
	frag := deref(v.Content[2])
	for i := 0; i+1 < len(frag.Content); i += 2 {
		fk, fv := frag.Content[i], frag.Content[i+1]
		var inner *loop
		if strings.HasPrefix(fk.Value, "Fn::ForEach::") {
			var perr *parseError
			if inner, perr = c.loop(fk, deref(fv), data, starts, depth+1); perr != nil {
				return nil, perr
			}
		}
		l.keys = append(l.keys, fk)
		l.vals = append(l.vals, fv)
		l.inner = append(l.inner, inner)
	}
	return l, nil
}

// substitute replaces a loop identifier by its value: "${x}" and "&{x}"
// (the value without its non-alphanumeric characters) in logical IDs and
// Fn::Sub strings, and Ref x.
func substitute(v any, ident, val string, depth int) any {
	if depth > maxDepth {
		return v
	}
	switch t := v.(type) {
	case map[string]any:
		if len(t) == 1 {
			if r, ok := t["Ref"].(string); ok && r == ident {
				return val
			}
			if sub, ok := t["Fn::Sub"]; ok {
				switch st := sub.(type) {
				case string:
					return map[string]any{"Fn::Sub": replaceIdent(st, ident, val)}
				case []any:
					if len(st) > 0 {
						out := append([]any{}, st...)
						if s, ok := st[0].(string); ok {
							out[0] = replaceIdent(s, ident, val)
						}
						for i := 1; i < len(out); i++ {
							out[i] = substitute(out[i], ident, val, depth+1)
						}
						return map[string]any{"Fn::Sub": out}
					}
				}
			}
		}
		out := make(map[string]any, len(t))
		for k, x := range t {
			out[replaceIdent(k, ident, val)] = substitute(x, ident, val, depth+1)
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, x := range t {
			out[i] = substitute(x, ident, val, depth+1)
		}
		return out
	}
	return v
}

func replaceIdent(s, ident, val string) string {
	if !strings.Contains(s, "{") {
		return s
	}
	alnum := strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, val)
	return strings.ReplaceAll(strings.ReplaceAll(s, "${"+ident+"}", val), "&{"+ident+"}", alnum)
}

func deref(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && i < 100; i++ {
		n = n.Alias
	}
	return n
}

// mapValue returns the value node of key in a mapping node (aliases followed).
func mapValue(n *yaml.Node, key string) *yaml.Node {
	n = deref(n)
	if n == nil {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return deref(n.Content[i+1])
		}
	}
	return nil
}

// lastLine is the last line a node's text occupies (aliases are not
// followed: their target's text is elsewhere).
func lastLine(n *yaml.Node, depth int) int {
	l := n.Line
	if n.Kind == yaml.ScalarNode && (n.Style == yaml.LiteralStyle || n.Style == yaml.FoldedStyle) {
		l += strings.Count(strings.TrimRight(n.Value, "\n"), "\n") + 1
	}
	if depth > maxDepth || len(n.Content) == 0 {
		return l
	}
	// The last child ends last: mappings and sequences are in order.
	if cl := lastLine(n.Content[len(n.Content)-1], depth+1); cl > l {
		l = cl
	}
	return l
}

var errTooManyNodes = fmt.Errorf("the template expands to more than %d values (a YAML alias bomb?); not read", maxNodes)

// converter turns a node tree into plain values (map[string]any, []any,
// string, bool, int64, float64, nil), the short-form intrinsic tags into
// their long form ({"Ref": x}, {"Fn::Sub": x}, ...), counting every value
// it produces against maxNodes.
type converter struct{ nodes int }

func (c *converter) value(n *yaml.Node, depth int) (any, error) {
	if depth > maxDepth {
		return nil, fmt.Errorf("line %d: values nested more than %d levels deep; not read", n.Line, maxDepth)
	}
	c.nodes++
	if c.nodes > maxNodes {
		return nil, errTooManyNodes
	}
	switch n.Kind {
	case yaml.AliasNode:
		if n.Alias == nil {
			return nil, nil
		}
		return c.value(n.Alias, depth+1)
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return nil, nil
		}
		return c.value(n.Content[0], depth+1)
	}
	if strings.HasPrefix(n.Tag, "!") && !strings.HasPrefix(n.Tag, "!!") {
		return c.intrinsic(n, depth)
	}
	switch n.Kind {
	case yaml.MappingNode:
		m := make(map[string]any, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := deref(n.Content[i])
			if k.Kind == yaml.ScalarNode && k.Value == "<<" && k.Tag == "!!merge" {
				v, err := c.value(n.Content[i+1], depth+1)
				if err != nil {
					return nil, err
				}
				mergeInto(m, v)
				continue
			}
			v, err := c.value(n.Content[i+1], depth+1)
			if err != nil {
				return nil, err
			}
			m[k.Value] = v
		}
		return m, nil
	case yaml.SequenceNode:
		a := make([]any, 0, len(n.Content))
		for _, e := range n.Content {
			v, err := c.value(e, depth+1)
			if err != nil {
				return nil, err
			}
			a = append(a, v)
		}
		return a, nil
	case yaml.ScalarNode:
		return scalar(n), nil
	}
	return nil, nil
}

func mergeInto(m map[string]any, v any) {
	switch t := v.(type) {
	case map[string]any:
		for k, x := range t {
			if _, ok := m[k]; !ok {
				m[k] = x
			}
		}
	case []any:
		for _, e := range t {
			mergeInto(m, e)
		}
	}
}

// intrinsic turns a tagged node into the long form of the function.
func (c *converter) intrinsic(n *yaml.Node, depth int) (any, error) {
	name := strings.TrimPrefix(n.Tag, "!")
	var arg any
	if n.Kind == yaml.ScalarNode {
		arg = n.Value // a tagged scalar is a string, whatever it looks like
	} else {
		n2 := *n
		n2.Tag = ""
		v, err := c.value(&n2, depth+1)
		if err != nil {
			return nil, err
		}
		arg = v
	}
	switch name {
	case "Ref":
		return map[string]any{"Ref": arg}, nil
	case "Condition":
		return map[string]any{"Condition": arg}, nil
	case "GetAtt":
		if s, ok := arg.(string); ok {
			res, att, _ := strings.Cut(s, ".")
			arg = []any{res, att}
		}
	}
	return map[string]any{"Fn::" + name: arg}, nil
}

func scalar(n *yaml.Node) any {
	switch n.Tag {
	case "!!null":
		return nil
	case "!!bool":
		b, err := strconv.ParseBool(strings.ToLower(n.Value))
		if err == nil {
			return b
		}
	case "!!int":
		if i, err := strconv.ParseInt(strings.ReplaceAll(n.Value, "_", ""), 0, 64); err == nil {
			return i
		}
	case "!!float":
		if f, err := strconv.ParseFloat(n.Value, 64); err == nil && !math.IsInf(f, 0) && !math.IsNaN(f) {
			return f
		}
	}
	return n.Value
}

// parserError tells yaml.v3's parser errors, whose line it reports
// 0-based, from its scanner errors (1-based).
func parserError(msg string) bool {
	switch strings.TrimPrefix(msg, "yaml: ") {
	case "did not find expected <document start>", "did not find expected node content", "did not find expected key",
		"did not find expected '-' indicator", "did not find expected ',' or ']'", "did not find expected ',' or '}'":
		return true
	}
	return false
}

// closingLine is the 1-based line of the brace closing the flow mapping
// that opens at line and column (1-based), 0 when not found.
func closingLine(data []byte, starts []int, line, col int) int {
	if line < 1 || line > len(starts) {
		return 0
	}
	l := line
	i := starts[line-1] + col - 1
	if i >= len(data) || data[i] != '{' {
		return 0
	}
	depth, inStr := 0, byte(0)
	for ; i < len(data); i++ {
		c := data[i]
		switch {
		case c == '\n':
			l++
		case inStr != 0:
			if c == '\\' && inStr == '"' {
				i++
			} else if c == inStr {
				inStr = 0
			}
		case c == '"' || c == '\'':
			inStr = c
		case c == '{' || c == '[':
			depth++
		case c == '}' || c == ']':
			depth--
			if depth == 0 {
				return l
			}
		}
	}
	return 0
}

// lineStarts are the byte offsets at which data's lines start.
func lineStarts(data []byte) []int {
	starts := []int{0}
	for i, c := range data {
		if c == '\n' {
			starts = append(starts, i+1)
		}
	}
	return starts
}
