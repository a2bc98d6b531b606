package arm

import (
	"errors"
	"fmt"
	"strings"
)

// errBudget stops the evaluation of a template that takes too many steps.
var errBudget = errors.New("the template takes too many evaluation steps; the rest is unknown")

// maxSteps bounds the evaluation of one file (function calls and values).
const maxSteps = 5_000_000

// maxItems bounds the arrays and strings functions build, and copy counts.
const maxItems = 100_000

// lambda is a lambda(...) value: its parameters and body.
type lambda struct {
	params []string
	body   expr
	env    *scope
}

// scope is what an expression sees: its template, the copy loops it is in
// and the lambda variables or user function parameters bound.
type scope struct {
	t *template
	// copies maps a copy loop's lower-case name to its index; loop is the
	// loop copyIndex() without a name refers to.
	copies map[string]any
	loop   string
	// vars are lambda variables; fnParams the parameters of the user
	// function being evaluated (parameters() reads them).
	vars     map[string]any
	fnParams map[string]any
	depth    int
	// names evaluates a resource name or ID: what is unknown reads as a
	// {placeholder} so that names and IDs built from parameters still
	// identify the resource.
	names bool
}

// named returns the scope evaluating names.
func (s *scope) named() *scope {
	if s.names {
		return s
	}
	c := *s
	c.names = true
	return &c
}

// placeholder turns an unknown value into {what} in a name scope.
func (s *scope) placeholder(v any, what string) any {
	if s.names && isUnknown(v) {
		return "{" + what + "}"
	}
	return v
}

func (s *scope) withCopy(name string, i any) *scope {
	c := *s
	c.copies = make(map[string]any, len(s.copies)+1)
	for k, v := range s.copies {
		c.copies[k] = v
	}
	c.copies[strings.ToLower(name)] = i
	c.loop = strings.ToLower(name)
	return &c
}

func errorf(format string, args ...any) error { return fmt.Errorf(format, args...) }

// eval evaluates an expression.
func (s *scope) eval(e expr) (any, error) {
	f := s.t.f
	f.steps++
	if f.steps > maxSteps {
		return nil, errBudget
	}
	switch x := e.(type) {
	case *litExpr:
		return x.v, nil
	case *propExpr:
		o, err := s.eval(x.obj)
		if err != nil {
			return nil, err
		}
		v, err := property(o, x.key)
		return s.placeholder(v, x.key), err
	case *indexExpr:
		o, err := s.eval(x.obj)
		if err != nil {
			return nil, err
		}
		i, err := s.eval(x.idx)
		if err != nil {
			return nil, err
		}
		return index(o, i)
	case *callExpr:
		return s.call(x)
	}
	return nil, errorf("bad expression")
}

func property(o any, key string) (any, error) {
	switch t := o.(type) {
	case unknown:
		return unk, nil
	case map[string]any:
		if v, ok := lookup(t, key); ok {
			return v, nil
		}
		return nil, errorf("the object has no property %q", key)
	}
	return nil, errorf("property %q of a %s", key, typeName(o))
}

func index(o, i any) (any, error) {
	if isUnknown(o) || isUnknown(i) {
		return unk, nil
	}
	switch t := o.(type) {
	case []any:
		n, ok := toInt(i)
		if !ok {
			return nil, errorf("array index is a %s", typeName(i))
		}
		if n < 0 || n >= int64(len(t)) {
			return nil, errorf("index %d out of range (length %d)", n, len(t))
		}
		return t[n], nil
	case map[string]any:
		k, ok := i.(string)
		if !ok {
			return nil, errorf("object key is a %s", typeName(i))
		}
		return property(t, k)
	}
	return nil, errorf("index of a %s", typeName(o))
}

// lazy lists functions that evaluate their arguments themselves.
var lazy = map[string]bool{"if": true, "and": true, "or": true, "lambda": true, "coalesce": true}

func (s *scope) call(c *callExpr) (any, error) {
	if s.depth > maxExprDepth {
		return nil, errorf("calls nested deeper than %d levels", maxExprDepth)
	}
	if lazy[c.name] {
		return s.lazyCall(c)
	}
	args := make([]any, len(c.args))
	as := s
	if idFunctions[c.name] {
		as = s.named() // an ID built from unknown names still identifies its resource
	}
	for i, a := range c.args {
		v, err := as.eval(a)
		if err != nil {
			return nil, err
		}
		args[i] = v
	}
	if f := s.t.paramTarget().funcs[c.name]; f != nil {
		return s.userCall(f, args)
	}
	if strings.Contains(c.name, ".") {
		return nil, errorf("unknown function %s", c.name)
	}
	f, ok := builtins[c.name]
	if !ok {
		if strings.HasPrefix(c.name, "list") || deployTime[c.name] {
			return s.placeholder(unk, c.name), nil // known only at deploy time
		}
		return nil, errorf("unknown function %s", c.name)
	}
	if len(args) < f.min || f.max >= 0 && len(args) > f.max {
		return nil, errorf("%s takes %s, got %d", c.name, arity(f.min, f.max), len(args))
	}
	if !f.unknowns {
		for _, a := range args {
			if s.hasUnknown(a) {
				return s.placeholder(unk, c.name), nil
			}
		}
	}
	v, err := f.fn(s, args)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", c.name, err)
	}
	switch t := v.(type) { // what the function allocated counts against the budget
	case []any:
		s.t.f.steps += len(t)
	case map[string]any:
		s.t.f.steps += len(t)
	case string:
		s.t.f.steps += len(t) / 64
	}
	if s.t.f.steps > maxSteps {
		return nil, errBudget
	}
	return s.placeholder(v, c.name), nil
}

func arity(min, max int) string {
	switch {
	case max < 0:
		return fmt.Sprintf("at least %d arguments", min)
	case min == max:
		return fmt.Sprintf("%d arguments", min)
	}
	return fmt.Sprintf("%d to %d arguments", min, max)
}

func (s *scope) lazyCall(c *callExpr) (any, error) {
	switch c.name {
	case "if":
		if len(c.args) != 3 {
			return nil, errorf("if takes 3 arguments, got %d", len(c.args))
		}
		cond, err := s.eval(c.args[0])
		if err != nil {
			return nil, err
		}
		if isUnknown(cond) {
			// Either branch may be taken: the value is known when both
			// agree. A branch that fails may be the one never taken, so
			// its error is not reported.
			a, errA := s.eval(c.args[1])
			b, errB := s.eval(c.args[2])
			if errors.Is(errA, errBudget) || errors.Is(errB, errBudget) {
				return nil, errBudget
			}
			if errA == nil && errB == nil && !s.hasUnknown(a) && s.equal(a, b) {
				return a, nil
			}
			return s.placeholder(unk, "if"), nil
		}
		b, ok := cond.(bool)
		if !ok {
			return nil, errorf("if: the condition is a %s", typeName(cond))
		}
		if b {
			return s.eval(c.args[1])
		}
		return s.eval(c.args[2])
	case "and", "or":
		if len(c.args) < 1 {
			return nil, errorf("%s takes at least 1 argument", c.name)
		}
		stop := c.name == "or" // or stops at true, and at false
		unknownSeen := false
		for _, a := range c.args {
			v, err := s.eval(a)
			if err != nil {
				return nil, err
			}
			if isUnknown(v) {
				unknownSeen = true
				continue
			}
			b, ok := v.(bool)
			if !ok {
				return nil, errorf("%s: an argument is a %s", c.name, typeName(v))
			}
			if b == stop {
				return stop, nil
			}
		}
		if unknownSeen {
			return unk, nil
		}
		return !stop, nil
	case "coalesce":
		for _, a := range c.args {
			v, err := s.eval(a)
			if err != nil {
				return nil, err
			}
			if isUnknown(v) {
				return unk, nil
			}
			if v != nil {
				return v, nil
			}
		}
		return nil, nil
	case "lambda":
		if len(c.args) < 1 {
			return nil, errorf("lambda takes a body")
		}
		l := &lambda{body: c.args[len(c.args)-1], env: s}
		for _, a := range c.args[:len(c.args)-1] {
			lit, ok := a.(*litExpr)
			name, isStr := "", false
			if ok {
				name, isStr = lit.v.(string)
			}
			if !isStr {
				return nil, errorf("lambda parameter names are strings")
			}
			l.params = append(l.params, strings.ToLower(name))
		}
		return l, nil
	}
	return nil, errorf("unknown function %s", c.name)
}

// apply calls a lambda.
func (l *lambda) apply(args ...any) (any, error) {
	if len(args) < len(l.params) {
		return nil, errorf("the lambda takes %d arguments", len(l.params))
	}
	c := *l.env
	c.vars = make(map[string]any, len(l.env.vars)+len(l.params))
	for k, v := range l.env.vars {
		c.vars[k] = v
	}
	for i, p := range l.params {
		c.vars[p] = args[i]
	}
	c.depth++
	return c.eval(l.body)
}

// userFunc is a user-defined function of the template's functions section.
type userFunc struct {
	params []string
	out    *jnode
}

func (s *scope) userCall(f *userFunc, args []any) (any, error) {
	if len(args) != len(f.params) {
		return nil, errorf("the function takes %d arguments, got %d", len(f.params), len(args))
	}
	if s.depth > maxExprDepth {
		return nil, errorf("user function calls nested deeper than %d levels", maxExprDepth)
	}
	c := &scope{t: s.t, fnParams: map[string]any{}, depth: s.depth + 1}
	for i, p := range f.params {
		c.fnParams[p] = args[i]
	}
	return c.value(f.out, "", "functions", false), nil
}
