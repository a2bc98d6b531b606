package policy

import (
	"reflect"

	"github.com/open-policy-agent/opa/v1/ast"
)

// ownFilter returns the prefilter of a rule OPA evaluates: when every read
// of its own class in its module is `some x in input.resources.<class>`
// followed, in the same body, by conditions on x of the direct form (at
// least one), a resource that meets none of those leading conditions can
// be in no body's result: a body is a conjunction, and a condition on x
// alone is false for that x whatever the rest binds. The rule's input then
// holds only the resources that meet one, and only those are converted to
// Rego terms; the engine still judges every resource of the class (the
// others PASS or are UNKNOWN, as before, since they were in no set).
//
// It returns nil (no prefilter) when the module reads the class any other
// way (input, input.resources, a computed class, an element of the
// array), uses `with`, when a body walks the class without such a
// condition, or when a condition cannot be read on the Go fields. The
// caller also leaves out rules whose libraries or other rule packages read
// the class (readClasses' shared).
func ownFilter(m *ast.Module, class string, lib func(pkg string) *ast.Module) *direct {
	if m == nil {
		return nil
	}
	classTerm := ast.StringTerm(class)
	resources := ast.StringTerm("resources")
	// The rule's `message` is queried apart, over its failing resources
	// only (ruleMessages): its bodies do not read this input.
	var rules []*ast.Rule
	for _, r := range m.Rules {
		if ruleName(r) != "message" {
			rules = append(rules, r)
		}
	}
	bad := false
	reads := 0
	walkRefs := func(r ast.Ref) bool {
		if !r[0].Equal(ast.InputRootDocument) {
			return false
		}
		switch {
		case len(r) == 1 || !r[1].IsGround():
			bad = true
		case !r[1].Equal(resources):
		case len(r) == 2 || !r[2].IsGround():
			bad = true
		case r[2].Equal(classTerm):
			if len(r) != 3 {
				bad = true
			}
			reads++
		}
		return false
	}
	for _, r := range rules {
		ast.WalkRefs(r, walkRefs)
		ast.WalkExprs(r, func(e *ast.Expr) bool {
			if len(e.With) > 0 {
				bad = true
			}
			return bad
		})
	}
	if bad || reads == 0 {
		return nil
	}
	collection := ast.RefTerm(ast.InputRootDocument, resources, classTerm)
	helpers := newModCtx(m, lib, 0)
	d := &direct{}
	walks := 0
	walkBodies := func(b ast.Body) bool {
		for k, e := range b {
			x, ok := someIn(e, collection)
			if !ok {
				continue
			}
			walks++
			// The longest run of direct conditions on x after it.
			var conds []directCond
			for n := len(b) - k - 1; n >= 1 && conds == nil; n-- {
				sc := &scope{res: x, vars: map[ast.Var]uint8{}, helpers: helpers}
				if cs, ok := sc.conds(b[k+1:k+1+n], 0); ok && len(cs) > 0 {
					conds = cs
				}
			}
			if conds == nil {
				bad = true
				return true
			}
			setGoPaths(conds)
			d.bodies = append(d.bodies, conds)
		}
		return bad
	}
	for _, r := range rules {
		ast.WalkBodies(r, walkBodies)
	}
	if bad || walks != reads || len(d.bodies) == 0 {
		return nil
	}
	for _, b := range d.bodies {
		var types [maxLevels + 1]reflect.Type
		if !compileGoConds(b, &types) {
			return nil
		}
	}
	d.onGo = true
	return d
}

// someIn reads `some x in <collection>`.
func someIn(e *ast.Expr, collection *ast.Term) (ast.Var, bool) {
	sd, ok := e.Terms.(*ast.SomeDecl)
	if !ok || e.Negated || len(e.With) > 0 || len(sd.Symbols) != 1 {
		return "", false
	}
	call, ok := sd.Symbols[0].Value.(ast.Call)
	if !ok || len(call) != 3 || call[0].String() != ast.Member.Ref().String() || !call[2].Equal(collection) {
		return "", false
	}
	x, ok := call[1].Value.(ast.Var)
	if !ok || x.IsWildcard() {
		return "", false
	}
	return x, true
}
