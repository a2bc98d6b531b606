package cloudformation

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
)

const (
	// maxString bounds a string an intrinsic function builds (Fn::Join,
	// Fn::Sub), so aliased repetition cannot exhaust memory.
	maxString = 1 << 20
	// maxSteps bounds the intrinsic-function work on one template.
	maxSteps = 5_000_000
)

// unknown is a value known only at deploy time: an attribute of a resource
// (Ref and Fn::GetAtt of resources), a parameter without a value, a pseudo
// parameter not given in the options, an import.
type unknown struct {
	// refs are the logical IDs of the template's resources the value comes
	// from: a BucketPolicy's Bucket: !Ref MyBucket has refs [MyBucket].
	refs []string
	// open is true when the value may be anything (it comes from outside
	// the template: a parameter, a pseudo parameter, an import); false
	// when it is an attribute of the template's own resources (an ID, an
	// ARN, a name), which is never, say, 0.0.0.0/0.
	open bool
	// text is how the template writes it ("${MyBucket.Arn}").
	text string
	// outer are the resource IDs (mapper.rid) of an enclosing stack's
	// resources the value comes from, in a nested stack's template: a
	// parameter given !Ref of the parent's log group.
	outer []string
}

// noValue is AWS::NoValue: the property is removed.
type noValue struct{}

type tri int

const (
	triUnknown tri = iota
	triFalse
	triTrue
)

func triOf(b bool) tri {
	if b {
		return triTrue
	}
	return triFalse
}

// evaluator resolves a template's intrinsic functions.
type evaluator struct {
	t         *template
	opts      Options
	resources map[string]string // logical ID -> type
	conds     map[string]tri
	active    []string // conditions being evaluated, for cycles
	steps     int
	probs     []string
	// given are the parameters a parent stack passes a nested stack's
	// template (nil: a template deployed alone, given Options.Parameters).
	given map[string]any
	// stacks evaluates the outputs of the nested stacks the template
	// deploys from files of the tree (nested.go); nil when none can be read.
	stacks *stackOutputs
}

func newEvaluator(t *template, opts Options) *evaluator {
	e := &evaluator{t: t, opts: opts, resources: map[string]string{}, conds: map[string]tri{}}
	for _, r := range t.resources {
		e.resources[r.id] = r.typ
	}
	return e
}

func (e *evaluator) problem(format string, args ...any) {
	if len(e.probs) < 20 {
		e.probs = append(e.probs, fmt.Sprintf(format, args...))
	}
}

// drain returns and forgets the problems found since the last call.
func (e *evaluator) drain() []string {
	p := e.probs
	e.probs = nil
	return p
}

func open(text string) *unknown { return &unknown{open: true, text: text} }

// combine is the unknown that depends on every unknown among vs.
func combine(text string, vs ...any) *unknown {
	u := &unknown{text: text}
	for _, v := range vs {
		walkUnknown(v, 0, func(x *unknown) {
			u.open = u.open || x.open
			for _, r := range x.refs {
				if !slices.Contains(u.refs, r) {
					u.refs = append(u.refs, r)
				}
			}
			for _, r := range x.outer {
				if !slices.Contains(u.outer, r) {
					u.outer = append(u.outer, r)
				}
			}
		})
	}
	return u
}

// walkUnknown calls f on every unknown in v.
func walkUnknown(v any, depth int, f func(*unknown)) {
	if depth > maxDepth {
		return
	}
	switch t := v.(type) {
	case *unknown:
		f(t)
	case map[string]any:
		for _, x := range t {
			walkUnknown(x, depth+1, f)
		}
	case []any:
		for _, x := range t {
			walkUnknown(x, depth+1, f)
		}
	}
}

func hasUnknown(v any) bool {
	found := false
	walkUnknown(v, 0, func(*unknown) { found = true })
	return found
}

// eval resolves every intrinsic function in v.
func (e *evaluator) eval(v any, depth int) any {
	e.steps++
	if e.steps > maxSteps {
		if e.steps == maxSteps+1 {
			e.problem("the template's intrinsic functions take more than %d steps to resolve; the rest is unknown", maxSteps)
		}
		return open("")
	}
	if depth > maxDepth {
		e.problem("intrinsic functions or values nested more than %d levels deep; unknown", maxDepth)
		return open("")
	}
	switch t := v.(type) {
	case map[string]any:
		if len(t) == 1 {
			for k, a := range t {
				if _, isName := a.(string); k == "Ref" || (k == "Condition" && isName) || strings.HasPrefix(k, "Fn::") {
					return e.fn(k, a, depth+1)
				}
			}
		}
		out := make(map[string]any, len(t))
		for k, x := range t {
			y := e.eval(x, depth+1)
			if _, nv := y.(noValue); !nv {
				out[k] = y
			}
		}
		return out
	case []any:
		out := make([]any, 0, len(t))
		for _, x := range t {
			y := e.eval(x, depth+1)
			if _, nv := y.(noValue); !nv {
				out = append(out, y)
			}
		}
		return out
	}
	return v
}

func (e *evaluator) args(name string, a any, depth int, n ...int) ([]any, bool) {
	l, ok := e.rawArgs(name, a, depth, n...)
	if !ok {
		return nil, false
	}
	out := make([]any, len(l))
	for i, x := range l {
		out[i] = e.eval(x, depth+1)
	}
	return out, true
}

// rawArgs checks the argument list of a function without evaluating it
// (an argument that is a function call is evaluated to a list first).
func (e *evaluator) rawArgs(name string, a any, depth int, n ...int) ([]any, bool) {
	l, ok := a.([]any)
	if !ok {
		v := e.eval(a, depth)
		if _, isU := v.(*unknown); isU {
			return nil, false
		}
		if l, ok = v.([]any); !ok {
			e.problem("%s takes a list of %s arguments, not %s", name, counts(n), describe(v))
			return nil, false
		}
	}
	if !slices.Contains(n, len(l)) {
		e.problem("%s takes a list of %s arguments, not %s", name, counts(n), describe(l))
		return nil, false
	}
	return l, true
}

func counts(n []int) string {
	s := make([]string, len(n))
	for i, x := range n {
		s[i] = strconv.Itoa(x)
	}
	return strings.Join(s, " or ")
}

func describe(v any) string {
	switch t := v.(type) {
	case nil:
		return "null"
	case []any:
		return fmt.Sprintf("a list of %d", len(t))
	case map[string]any:
		return "a mapping"
	case string:
		return fmt.Sprintf("%q", t)
	}
	return fmt.Sprint(v)
}

func (e *evaluator) fn(name string, a any, depth int) any {
	switch name {
	case "Ref":
		s, ok := e.eval(a, depth).(string)
		if !ok {
			e.problem("Ref takes a name, not %s", describe(a))
			return open("")
		}
		return e.ref(s)
	case "Condition":
		s, ok := a.(string)
		if !ok {
			e.problem("Condition takes a condition name, not %s", describe(a))
			return open("")
		}
		return triValue(e.condition(s, depth))
	case "Fn::GetAtt":
		var l []any
		switch t := a.(type) {
		case string:
			res, att, _ := strings.Cut(t, ".")
			l = []any{res, att}
		default:
			var ok bool
			if l, ok = e.args(name, a, depth, 2); !ok {
				return open("")
			}
		}
		res, _ := l[0].(string)
		att, _ := e.eval(l[1], depth).(string)
		if _, ok := e.resources[res]; !ok {
			e.problem("Fn::GetAtt of %q, which is not a resource of the template", res)
			return open("")
		}
		return e.attribute(res, att, depth)
	case "Fn::Sub":
		return e.sub(a, depth)
	case "Fn::Join":
		l, ok := e.args(name, a, depth, 2)
		if !ok {
			return open("")
		}
		delim, ok := l[0].(string)
		if !ok {
			e.problem("Fn::Join: the delimiter is %s, not a string", describe(l[0]))
			return open("")
		}
		items, ok := l[1].([]any)
		if !ok {
			if _, isU := l[1].(*unknown); !isU {
				e.problem("Fn::Join: the values are %s, not a list", describe(l[1]))
			}
			return combine("", l[1])
		}
		parts := make([]string, 0, len(items))
		size := 0
		for _, it := range items {
			s, ok := text(it)
			if !ok {
				if hasUnknown(it) {
					return combine(joinText(items, delim), items...)
				}
				e.problem("Fn::Join: a value is %s, not a string", describe(it))
				return open("")
			}
			if size += len(s) + len(delim); size > maxString {
				e.problem("Fn::Join builds a string longer than %d bytes; unknown", maxString)
				return open("")
			}
			parts = append(parts, s)
		}
		return strings.Join(parts, delim)
	case "Fn::Select":
		l, ok := e.args(name, a, depth, 2)
		if !ok {
			return open("")
		}
		items, ok := l[1].([]any)
		if !ok {
			if _, isU := l[1].(*unknown); !isU {
				e.problem("Fn::Select: the values are %s, not a list", describe(l[1]))
			}
			return combine("", l[1])
		}
		is, ok := text(l[0])
		i, err := strconv.Atoi(is)
		if !ok || err != nil {
			if hasUnknown(l[0]) {
				return combine("", l[0], l[1])
			}
			e.problem("Fn::Select: the index is %s, not a number", describe(l[0]))
			return open("")
		}
		if i < 0 || i >= len(items) {
			e.problem("Fn::Select: index %d is out of the list of %d", i, len(items))
			return open("")
		}
		return items[i]
	case "Fn::Split":
		l, ok := e.args(name, a, depth, 2)
		if !ok {
			return open("")
		}
		delim, ok1 := l[0].(string)
		s, ok2 := text(l[1])
		if !ok1 || !ok2 || delim == "" {
			if hasUnknown(l[1]) {
				return combine("", l[1])
			}
			e.problem("Fn::Split takes a delimiter and a string")
			return open("")
		}
		var out []any
		for _, p := range strings.Split(s, delim) {
			out = append(out, p)
		}
		return out
	case "Fn::FindInMap":
		return e.findInMap(a, depth)
	case "Fn::If":
		l, ok := e.rawArgs(name, a, depth, 3)
		if !ok {
			return open("")
		}
		c, ok := l[0].(string)
		if !ok {
			e.problem("Fn::If: the condition is %s, not a condition name", describe(l[0]))
			return open("")
		}
		// Only the branch taken is evaluated, as CloudFormation does.
		switch e.condition(c, depth) {
		case triTrue:
			return e.eval(l[1], depth+1)
		case triFalse:
			return e.eval(l[2], depth+1)
		}
		l = []any{l[0], e.eval(l[1], depth+1), e.eval(l[2], depth+1)}
		if reflect.DeepEqual(l[1], l[2]) {
			return l[1]
		}
		u := combine("", l[1], l[2])
		u.open = true // either branch, whichever deploys
		return u
	case "Fn::Equals":
		l, ok := e.args(name, a, depth, 2)
		if !ok {
			return open("")
		}
		if hasUnknown(l[0]) || hasUnknown(l[1]) {
			if l[0] == "" && neverEmpty(l[1]) || l[1] == "" && neverEmpty(l[0]) {
				return false
			}
			return combine("", l[0], l[1])
		}
		return reflect.DeepEqual(normalize(l[0]), normalize(l[1]))
	case "Fn::And", "Fn::Or":
		v := e.eval(a, depth)
		l, ok := v.([]any)
		if !ok || len(l) < 1 {
			e.problem("%s takes a list of conditions, not %s", name, describe(v))
			return open("")
		}
		res := triOf(name == "Fn::And")
		for _, x := range l {
			switch c := e.condValue(x, depth); {
			case c == triUnknown:
				res = triUnknown
			case name == "Fn::And" && c == triFalse, name == "Fn::Or" && c == triTrue:
				return c == triTrue
			}
		}
		return triValue(res)
	case "Fn::Not":
		l, ok := e.args(name, a, depth, 1)
		if !ok {
			return open("")
		}
		switch e.condValue(l[0], depth) {
		case triTrue:
			return false
		case triFalse:
			return true
		}
		return open("")
	case "Fn::Base64":
		v := e.eval(a, depth)
		s, ok := text(v)
		if !ok {
			// The text of what is encoded, with its deploy-time
			// parts as written (a boot script's literal lines stay
			// readable).
			t := ""
			if u, isU := v.(*unknown); isU {
				t = u.text
			}
			return combine(t, v)
		}
		return base64.StdEncoding.EncodeToString([]byte(s))
	case "Fn::Length":
		v := e.eval(a, depth)
		if l, ok := v.([]any); ok {
			return int64(len(l))
		}
		return combine("", v)
	case "Fn::ToJsonString":
		v := e.eval(a, depth)
		if hasUnknown(v) {
			return combine("", v)
		}
		b, err := json.Marshal(v)
		if err != nil {
			return open("")
		}
		return string(b)
	case "Fn::GetAZs", "Fn::ImportValue", "Fn::Cidr", "Fn::Transform", "Fn::GetParam":
		e.eval(a, depth) // problems in the arguments are still reported
		return open("")
	}
	e.problem("%s is not a CloudFormation intrinsic function", name)
	return open("")
}

// condValue reads a condition operand: a {Condition: name} already
// resolved to a boolean, a nested function, or a literal.
func (e *evaluator) condValue(x any, depth int) tri {
	switch v := e.eval(x, depth).(type) {
	case bool:
		return triOf(v)
	case string:
		// A bare condition name inside Fn::And / Fn::Or / Fn::Not.
		if _, ok := e.t.conditions[v]; ok {
			return e.condition(v, depth)
		}
		if b, err := strconv.ParseBool(v); err == nil {
			return triOf(b)
		}
		e.problem("%q is not a condition", v)
	case *unknown:
	default:
		e.problem("a condition is %s, not a boolean", describe(v))
	}
	return triUnknown
}

func triValue(t tri) any {
	switch t {
	case triTrue:
		return true
	case triFalse:
		return false
	}
	return open("")
}

// condition evaluates a named condition of the Conditions section (once).
func (e *evaluator) condition(name string, depth int) tri {
	if c, ok := e.conds[name]; ok {
		return c
	}
	def, ok := e.t.conditions[name]
	if !ok {
		e.problem("condition %q is not defined in Conditions", name)
		return triUnknown
	}
	if i := slices.Index(e.active, name); i >= 0 {
		e.problem("condition %q depends on itself (%s -> %s)", name, strings.Join(e.active[i:], " -> "), name)
		return triUnknown
	}
	e.active = append(e.active, name)
	c := e.condValue(def, depth+1)
	e.active = e.active[:len(e.active)-1]
	e.conds[name] = c
	return c
}

// normalize makes scalars comparable as CloudFormation compares them (as
// strings).
func normalize(v any) any {
	switch t := v.(type) {
	case []any:
		out := make([]any, len(t))
		for i, x := range t {
			out[i] = normalize(x)
		}
		return out
	case map[string]any:
		return t
	}
	s, _ := text(v)
	return s
}

// text is a scalar as a string.
func text(v any) (string, bool) {
	switch t := v.(type) {
	case string:
		return t, true
	case bool:
		return strconv.FormatBool(t), true
	case int64:
		return strconv.FormatInt(t, 10), true
	case float64:
		return strconv.FormatFloat(t, 'f', -1, 64), true
	}
	return "", false
}

var pseudo = map[string]bool{
	"AWS::AccountId": true, "AWS::Region": true, "AWS::StackName": true, "AWS::StackId": true,
	"AWS::Partition": true, "AWS::URLSuffix": true, "AWS::NotificationARNs": true, "AWS::NoValue": true,
}

// ref resolves a Ref: a parameter's value, a pseudo parameter, or an
// unknown attribute of a resource.
// attribute is Fn::GetAtt res.att of a resource of the template: known
// only at deploy, an attribute of res, unless res is a nested stack whose
// template is a file of the tree and att one of its outputs (the output as
// that template gives it). The output of a stack not read may be anything.
func (e *evaluator) attribute(res, att string, depth int) any {
	text := "${" + res + "." + att + "}"
	if name, isOutput := strings.CutPrefix(att, "Outputs."); isOutput && stackTypes[e.resources[res]] {
		if e.stacks != nil {
			if v, ok := e.stacks.output(res, name, depth); ok {
				return v
			}
		}
		return &unknown{refs: []string{res}, open: true, text: text}
	}
	return &unknown{refs: []string{res}, text: text}
}

// neverEmpty is true for a value known only at deploy that is an attribute
// of resources the configuration creates (an ID, a name, an ARN), so never
// the empty string: a condition comparing it with "" is false.
func neverEmpty(v any) bool {
	u, ok := v.(*unknown)
	return ok && !u.open && (len(u.refs) > 0 || len(u.outer) > 0)
}

func (e *evaluator) ref(name string) any {
	if pseudo[name] {
		var v string
		switch name {
		case "AWS::NoValue":
			return noValue{}
		case "AWS::AccountId":
			v = e.opts.AccountID
		case "AWS::Region":
			v = e.opts.Region
		case "AWS::StackName":
			v = e.opts.StackName
		case "AWS::Partition":
			v = e.opts.Partition
		case "AWS::URLSuffix":
			switch {
			case e.opts.Partition == "aws-cn":
				v = "amazonaws.com.cn"
			case e.opts.Partition != "":
				v = "amazonaws.com"
			}
		}
		if v == "" {
			return open("${" + name + "}")
		}
		return v
	}
	if p, ok := e.t.params[name]; ok || e.given == nil && e.opts.Parameters[name] != "" {
		return e.param(name, p)
	}
	if _, ok := e.resources[name]; ok {
		return &unknown{refs: []string{name}, text: "${" + name + "}"}
	}
	e.problem("Ref to %q, which is neither a parameter nor a resource of the template", name)
	return open("${" + name + "}")
}

func (e *evaluator) param(name string, p map[string]any) any {
	typ, _ := p["Type"].(string)
	if strings.HasPrefix(typ, "AWS::SSM::Parameter::Value") {
		return open("${" + name + "}") // read from SSM at deploy time
	}
	var s string
	if v, ok := e.given[name]; ok {
		switch t := v.(type) {
		case []any, *unknown:
			return v
		default:
			if s, ok = text(t); !ok {
				return open("${" + name + "}")
			}
		}
	} else if v, ok := e.opts.Parameters[name]; ok && e.given == nil {
		s = v
	} else if d, ok := p["Default"]; ok {
		if l, isList := d.([]any); isList {
			var parts []string
			for _, x := range l {
				t, _ := text(x)
				parts = append(parts, t)
			}
			s = strings.Join(parts, ",")
		} else if t, isText := text(d); isText {
			s = t
		} else {
			return open("${" + name + "}")
		}
	} else {
		return open("${" + name + "}")
	}
	if strings.HasPrefix(typ, "List<") || typ == "CommaDelimitedList" {
		var out []any
		if s == "" {
			return []any{}
		}
		for _, x := range strings.Split(s, ",") {
			out = append(out, strings.TrimSpace(x))
		}
		return out
	}
	return s
}

func (e *evaluator) findInMap(a any, depth int) any {
	v := e.eval(a, depth)
	l, ok := v.([]any)
	if !ok || len(l) < 3 || len(l) > 4 {
		if !hasUnknown(v) {
			e.problem("Fn::FindInMap takes a map name and two keys, not %s", describe(v))
		}
		return combine("", v)
	}
	var def any
	hasDef := false
	if len(l) == 4 {
		if m, ok := l[3].(map[string]any); ok {
			def, hasDef = m["DefaultValue"]
		}
	}
	keys := make([]string, 3)
	for i := range 3 {
		s, ok := text(l[i])
		if !ok {
			return combine("", l[i])
		}
		keys[i] = s
	}
	m, _ := e.t.mappings[keys[0]].(map[string]any)
	top, _ := m[keys[1]].(map[string]any)
	val, ok := top[keys[2]]
	if !ok {
		if hasDef {
			return def
		}
		e.problem("Fn::FindInMap: %s has no %s/%s", keys[0], keys[1], keys[2])
		return open("")
	}
	return val
}

// sub resolves Fn::Sub: "${Name}", "${Resource.Attribute}" and the
// variables of its second argument; "${!Literal}" is written "${Literal}".
func (e *evaluator) sub(a any, depth int) any {
	var tmpl string
	vars := map[string]any{}
	switch t := a.(type) {
	case string:
		tmpl = t
	default:
		l, ok := e.args("Fn::Sub", a, depth, 1, 2)
		if !ok {
			return open("")
		}
		s, ok := l[0].(string)
		if !ok {
			e.problem("Fn::Sub: the template is %s, not a string", describe(l[0]))
			return open("")
		}
		tmpl = s
		if len(l) == 2 {
			m, ok := l[1].(map[string]any)
			if !ok {
				e.problem("Fn::Sub: the variables are %s, not a mapping", describe(l[1]))
				return open("")
			}
			vars = m
		}
	}
	var b strings.Builder
	var unknowns []any
	rest := tmpl
	for {
		i := strings.Index(rest, "${")
		if i < 0 {
			b.WriteString(rest)
			break
		}
		b.WriteString(rest[:i])
		rest = rest[i+2:]
		j := strings.IndexByte(rest, '}')
		if j < 0 {
			b.WriteString("${" + rest)
			break
		}
		name := rest[:j]
		rest = rest[j+1:]
		if strings.HasPrefix(name, "!") {
			b.WriteString("${" + name[1:] + "}")
			continue
		}
		name = strings.TrimSpace(name)
		var v any
		if x, ok := vars[name]; ok {
			v = x
		} else if res, att, dotted := strings.Cut(name, "."); dotted && e.resources[res] != "" {
			v = e.attribute(res, att, depth)
		} else {
			v = e.ref(name)
		}
		s, ok := text(v)
		if !ok {
			if !hasUnknown(v) {
				e.problem("Fn::Sub: ${%s} is %s, not a string", name, describe(v))
				v = open("")
			}
			unknowns = append(unknowns, v)
			b.WriteString("${" + name + "}")
			continue
		}
		if b.Len()+len(s) > maxString {
			e.problem("Fn::Sub builds a string longer than %d bytes; unknown", maxString)
			return open("")
		}
		b.WriteString(s)
	}
	if len(unknowns) > 0 {
		return combine(b.String(), unknowns...)
	}
	return b.String()
}

// refsOf lists the resources v refers to, sorted.
func refsOf(v any) []string {
	var out []string
	walkUnknown(v, 0, func(u *unknown) {
		for _, r := range u.refs {
			if !slices.Contains(out, r) {
				out = append(out, r)
			}
		}
	})
	sort.Strings(out)
	return out
}

// joinText is how Fn::Join's result reads with its unknown parts written
// as their template text ("" when a part has none).
func joinText(items []any, delim string) string {
	parts := make([]string, 0, len(items))
	size := 0
	for _, it := range items {
		s, ok := text(it)
		if !ok {
			u, isU := it.(*unknown)
			if !isU || u.text == "" {
				return ""
			}
			s = u.text
		}
		if size += len(s) + len(delim); size > maxString {
			return ""
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, delim)
}
