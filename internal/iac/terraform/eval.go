package terraform

import (
	"fmt"
	"math/big"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/typeexpr"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/vigil-sec/vigil/internal/iac/tfmap"
	"github.com/vigil-sec/vigil/internal/resource"
	"github.com/vigil-sec/vigil/internal/source"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
	"github.com/zclconf/go-cty/cty/function"
)

// Limits that keep hostile configurations from hanging a scan.
const (
	maxModuleDepth = 16
	maxInstances   = 10000 // count or for_each instances of one block
)

// evaluator evaluates the modules of one root module.
type evaluator struct {
	l        *loader
	rootDir  string
	funcs    map[string]function.Function
	insts    []tfmap.Instance
	problems []source.Problem
	// reached are the module directories evaluated, when not nil.
	reached map[string]bool
	// inst is the root module's manifest of installed modules, read on
	// the first call of a module that is not local.
	inst *installed
	// loaded are the modules evaluated, each with where in problems its
	// parse problems go: the first root module (in walkRoots' order) to
	// evaluate a module reports them (reportLoaded).
	loaded []loadedAt
	// mapped is the root module's batch when its instances were mapped
	// where it was evaluated (read), its evaluation's problems not yet in.
	mapped *source.Batch
}

// loadedAt is a module evaluated when problems held at entries.
type loadedAt struct {
	m  *module
	at int
}

// call is one instantiation of a module: its address prefix, input
// values and the call sites above it.
type call struct {
	prefix  string               // "" for the root, module.a["x"].module.b
	key     string               // the call names without keys: "a.b"
	inputs  map[string]cty.Value // nil for the root module
	calls   []resource.Location
	regions map[string]providerConf // provider config name (aws, aws.west) → its configuration
	stack   []string                // module dirs being evaluated, for cycles
	// supplied are the input variables whose value is not written in the
	// configuration's files (--var, --var-file, a module input read from
	// a resource): see written.
	supplied map[string]bool
}

// scope holds what a module's expressions may refer to.
type scope struct {
	m         *module
	c         *call
	vars      cty.Value
	locals    map[string]cty.Value
	modules   map[string]cty.Value
	resources map[string]map[string]cty.Value // type → name → value
	data      map[string]map[string]cty.Value
	// refAttrs are the attributes the module reads of each resource
	// ("aws_s3_bucket.b" → {"id", "arn"}), unknown when not configured.
	refAttrs map[string]map[string]bool
	// eachAttrs are the attributes read as each.value.X: a for_each over
	// a resource reads them from its instances.
	eachAttrs map[string]bool
	regions   map[string]providerConf
	// writtenLocals caches written for local values.
	writtenLocals map[string]bool
}

func (e *evaluator) problem(rng *hcl.Range, format string, args ...any) {
	p := source.Problem{Err: fmt.Sprintf(format, args...)}
	if rng != nil {
		p.Path, p.Line = rng.Filename, rng.Start.Line
	}
	e.problems = append(e.problems, p)
}

// item is a local, resource, data source or module call, evaluated in
// dependency order.
type item struct {
	key   string
	local *hcl.Attribute
	n     *node
	deps  map[string]bool
}

// evalModule evaluates module m as called by c and returns its outputs.
func (e *evaluator) evalModule(m *module, c *call) cty.Value {
	if e.reached != nil {
		e.reached[m.dir] = true
	}
	sh := m.shape()
	s := &scope{m: m, c: c, locals: map[string]cty.Value{}, modules: map[string]cty.Value{},
		resources: map[string]map[string]cty.Value{}, data: map[string]map[string]cty.Value{},
		refAttrs: sh.refAttrs, eachAttrs: sh.eachAttrs}
	s.vars = e.variables(m, c)
	s.regions = e.providerRegions(s, c)

	items := sh.items
	done := map[string]bool{}
	present := map[string]bool{}
	for _, it := range items {
		present[it.key] = true
	}
	// What a cycle leaves is evaluated with the values it lacks unknown.
	for remaining := items; len(remaining) > 0; {
		var next []*item
		progressed := false
		for _, it := range remaining {
			ready := true
			for d := range it.deps {
				if d != it.key && present[d] && !done[d] {
					ready = false
					break
				}
			}
			if !ready {
				next = append(next, it)
				continue
			}
			e.evalItem(s, it)
			done[it.key] = true
			progressed = true
		}
		if !progressed {
			it := next[0]
			var rng *hcl.Range
			if it.local != nil {
				rng = &it.local.Range
			} else {
				rng = &it.n.block.DefRange
			}
			e.problem(rng, "%s is part of a dependency cycle; values it depends on are unknown", it.key)
			e.evalItem(s, it)
			done[it.key] = true
			next = next[1:]
		}
		remaining = next
	}

	outs := map[string]cty.Value{}
	for _, o := range m.outputs {
		outs[o.Name] = e.eval(s, o.Expr, nil)
	}
	return cty.ObjectVal(outs)
}

func (e *evaluator) evalItem(s *scope, it *item) {
	switch {
	case it.local != nil:
		s.locals[it.local.Name] = e.eval(s, it.local.Expr, nil)
	case it.n.kind == "module":
		e.evalCall(s, it.n)
	default:
		e.evalResource(s, it.n)
	}
}

// variables returns the module's var object: inputs (or, for the root,
// tfvars and options), else defaults, else unknown.
func (e *evaluator) variables(m *module, c *call) cty.Value {
	vals := map[string]cty.Value{}
	for _, b := range m.vars {
		name := b.Labels[0]
		attrs, _ := b.Body.JustAttributes()
		ty := cty.DynamicPseudoType
		var defaults *typeexpr.Defaults
		if a, ok := attrs["type"]; ok {
			if t, d, diags := typeexpr.TypeConstraintWithDefaults(a.Expr); !diags.HasErrors() {
				ty, defaults = t, d
			}
		}
		v, given := c.inputs[name]
		if uv, _ := v.Unmark(); given && uv.IsKnown() && uv.IsNull() && !nullable(attrs) {
			given = false // nullable = false: a null input takes the default
		}
		if !given {
			if a, ok := attrs["default"]; ok {
				dv, diags := a.Expr.Value(nil)
				if diags.HasErrors() {
					e.problems = append(e.problems, diagProblems(diags)...)
					dv = cty.DynamicVal
				}
				v, given = dv, true
			}
		}
		if !given {
			v = cty.UnknownVal(ty)
		}
		if defaults != nil && v.IsWhollyKnown() && !v.IsNull() {
			v = defaults.Apply(v)
		}
		if ty != cty.DynamicPseudoType && v.IsKnown() && !v.IsNull() {
			if cv, err := convert.Convert(v, ty); err == nil {
				v = cv
			} else {
				e.problem(&b.DefRange, "variable %q: %v", name, err)
				v = cty.UnknownVal(ty)
			}
		}
		vals[name] = v
	}
	return cty.ObjectVal(vals)
}

// nullable is a variable's nullable argument (true when absent or not a
// known boolean).
func nullable(attrs hcl.Attributes) bool {
	a, ok := attrs["nullable"]
	if !ok {
		return true
	}
	v, diags := a.Expr.Value(nil)
	return diags.HasErrors() || !v.IsKnown() || v.IsNull() || v.Type() != cty.Bool || v.True()
}

// providerConf is what vigil reads of a provider configuration: the
// region its resources are in, the account they are deployed to (see
// providerAccount) and the tags (AWS default_tags) or labels (Google
// default_labels) it adds to every resource.
type providerConf struct {
	region      string
	account     string
	defaultTags map[string]any
}

// providerBlockSchema is the part of a provider block vigil reads.
var providerBlockSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{{Name: "alias"}, {Name: "region"}, {Name: "default_labels"},
		{Name: "allowed_account_ids"}, {Name: "project"}, {Name: "subscription_id"}},
	Blocks: []hcl.BlockHeaderSchema{{Type: "default_tags"}, {Type: "assume_role"}, {Type: "assume_role_with_web_identity"}},
}

// providerAccount is the account a provider configuration deploys to,
// "" when it does not say: AWS's one allowed_account_ids entry, else
// the account of the role it assumes (the last assume_role, as the
// provider chains them; a web identity role too), Azure's
// subscription_id, Google's project. The value is read as written (a
// variable without a value leaves it unknown).
func providerAccount(typ string, attr func(string) cty.Value, roleARNs []cty.Value) string {
	str := func(v cty.Value) string {
		if v, _ = v.UnmarkDeep(); knownString(v) {
			return v.AsString()
		}
		return ""
	}
	switch typ {
	case "aws":
		if ids, _ := attr("allowed_account_ids").UnmarkDeep(); ids.IsKnown() && !ids.IsNull() && ids.CanIterateElements() && ids.LengthInt() == 1 {
			for it := ids.ElementIterator(); it.Next(); {
				_, v := it.Element()
				if v.IsKnown() && !v.IsNull() && v.Type() == cty.Number {
					v, _ = convert.Convert(v, cty.String)
				}
				if a := str(v); a != "" {
					return a
				}
			}
		}
		for i := len(roleARNs) - 1; i >= 0; i-- {
			if p := strings.SplitN(str(roleARNs[i]), ":", 6); len(p) == 6 && p[0] == "arn" && p[4] != "" {
				return p[4]
			}
		}
	case "azurerm":
		return str(attr("subscription_id"))
	case "google", "google-beta":
		return strings.TrimPrefix(str(attr("project")), "projects/")
	}
	return ""
}

// providerRegions reads the region and default tags of each provider
// configuration of the module, inheriting the caller's.
func (e *evaluator) providerRegions(s *scope, c *call) map[string]providerConf {
	out := map[string]providerConf{}
	for k, v := range c.regions {
		out[k] = v
	}
	str := func(a *hcl.Attribute) string {
		if a != nil {
			if v := e.eval(s, a.Expr, nil); knownString(v) {
				return v.AsString()
			}
		}
		return ""
	}
	tagMap := func(a *hcl.Attribute) map[string]any {
		if a == nil {
			return nil
		}
		m, _ := toGo(e.eval(s, a.Expr, nil), nil).(map[string]any)
		return m
	}
	for _, b := range s.m.providers {
		content, _, _ := b.Body.PartialContent(providerBlockSchema)
		name := b.Labels[0]
		if alias := str(content.Attributes["alias"]); alias != "" {
			name += "." + alias
		}
		pc := providerConf{region: str(content.Attributes["region"]), defaultTags: tagMap(content.Attributes["default_labels"])}
		var roles []cty.Value
		for _, blk := range content.Blocks {
			attrs, _ := blk.Body.JustAttributes()
			if attrs == nil {
				continue
			}
			if blk.Type == "default_tags" {
				pc.defaultTags = tagMap(attrs["tags"])
			} else if a := attrs["role_arn"]; a != nil {
				roles = append(roles, e.eval(s, a.Expr, nil))
			}
		}
		pc.account = providerAccount(b.Labels[0], func(n string) cty.Value {
			if a := content.Attributes[n]; a != nil {
				return e.eval(s, a.Expr, nil)
			}
			return cty.NullVal(cty.DynamicPseudoType)
		}, roles)
		out[name] = pc
	}
	return out
}

func knownString(v cty.Value) bool {
	return v.IsKnown() && !v.IsNull() && v.Type() == cty.String
}

// shape is what evaluating a module reads of its text alone, worked out
// once per module (module.shape) however often it is called: its locals,
// resources, data sources and module calls with the items each depends
// on, and the attributes read of each resource. Shared by the evaluations
// of the module, it is never changed.
type shape struct {
	items []*item
	// refAttrs and eachAttrs are scope's.
	refAttrs  map[string]map[string]bool
	eachAttrs map[string]bool
}

// newShape reads each expression's traversals of m once.
func newShape(m *module) *shape {
	sh := &shape{refAttrs: map[string]map[string]bool{}, eachAttrs: map[string]bool{}}
	for _, a := range m.locals {
		ts := a.Expr.Variables()
		sh.addRefAttrs(ts)
		sh.items = append(sh.items, &item{key: "local." + a.Name, local: a, deps: traversalDeps(ts)})
	}
	for _, o := range m.outputs {
		sh.addRefAttrs(o.Expr.Variables())
	}
	for _, n := range m.blocks {
		key := n.typ + "." + n.name
		switch n.kind {
		case "data":
			key = "data." + key
		case "module":
			key = "module." + n.name
		}
		ts := bodyVariables(n.block.Body)
		sh.addRefAttrs(ts)
		sh.items = append(sh.items, &item{key: key, n: n, deps: traversalDeps(ts)})
	}
	return sh
}

// addRefAttrs notes, for each resource the traversals refer to, which of
// its attributes are read, so unconfigured ones can be given as unknown.
func (sh *shape) addRefAttrs(ts []hcl.Traversal) {
	for _, t := range ts {
		root := t.RootName()
		steps := t[1:]
		if root == "each" && len(steps) > 1 {
			// each.value.arn when for_each is a resource: every
			// resource object gets the attribute (unknown if unset).
			if a, ok := steps[0].(hcl.TraverseAttr); ok && a.Name == "value" {
				if b, ok := steps[1].(hcl.TraverseAttr); ok {
					sh.eachAttrs[b.Name] = true
				}
			}
			continue
		}
		if root == "data" && len(steps) > 0 {
			if a, ok := steps[0].(hcl.TraverseAttr); ok {
				root, steps = "data."+a.Name, steps[1:]
			}
		} else if isNamespace(root) {
			continue
		}
		if len(steps) == 0 {
			continue
		}
		nameStep, ok := steps[0].(hcl.TraverseAttr)
		if !ok {
			continue
		}
		key := root + "." + nameStep.Name
		set := sh.refAttrs[key]
		if set == nil {
			set = map[string]bool{"id": true}
			sh.refAttrs[key] = set
		}
		for _, st := range steps[1:] {
			if a, ok := st.(hcl.TraverseAttr); ok {
				set[a.Name] = true
				break
			}
		}
	}
}

// isNamespace reports whether a traversal root is not a resource type.
func isNamespace(root string) bool {
	switch root {
	case "var", "local", "module", "data", "each", "count", "path", "terraform", "self":
		return true
	}
	return false
}

// traversalDeps returns the module-level items traversals refer to.
func traversalDeps(ts []hcl.Traversal) map[string]bool {
	out := map[string]bool{}
	for _, t := range ts {
		root := t.RootName()
		var names []string
		for _, st := range t[1:] {
			a, ok := st.(hcl.TraverseAttr)
			if !ok || len(names) == 2 {
				break
			}
			names = append(names, a.Name)
		}
		switch {
		case root == "local" || root == "module":
			if len(names) > 0 {
				out[root+"."+names[0]] = true
			}
		case root == "data":
			if len(names) > 1 {
				out["data."+names[0]+"."+names[1]] = true
			}
		case !isNamespace(root):
			if len(names) > 0 {
				out[root+"."+names[0]] = true
			}
		}
	}
	return out
}

// bodyVariables returns every traversal in a block body, nested blocks included.
func bodyVariables(b hcl.Body) []hcl.Traversal {
	var out []hcl.Traversal
	if sb, ok := b.(*hclsyntax.Body); ok {
		for _, a := range sb.Attributes {
			out = append(out, a.Expr.Variables()...)
		}
		for _, nb := range sb.Blocks {
			out = append(out, bodyVariables(nb.Body)...)
		}
		return out
	}
	attrs, _ := b.JustAttributes()
	for _, a := range attrs {
		out = append(out, a.Expr.Variables()...)
	}
	return out
}

// ctxFor builds the context to evaluate exprs, which read traversals ts,
// with each/count (and dynamic iterators) bound from iter.
func (e *evaluator) ctxFor(s *scope, ts []hcl.Traversal, iter map[string]cty.Value, exprs ...hcl.Expression) *hcl.EvalContext {
	vars := make(map[string]cty.Value, len(iter)+len(ts))
	for k, v := range iter {
		vars[k] = v
	}
	for _, t := range ts {
		root := t.RootName()
		if _, bound := iter[root]; bound {
			continue
		}
		switch root {
		case "var":
			vars["var"] = s.vars
		case "path":
			// As Terraform run in the root module's directory gives
			// them: path.module relative to it ("." for the root
			// module, "../modules/web" for a module), so that
			// file("${path.module}/policy.json") reads the file.
			mod := "."
			if r, err := filepath.Rel(filepath.FromSlash(e.rootDir), filepath.FromSlash(s.m.dir)); err == nil {
				mod = filepath.ToSlash(r)
			}
			vars["path"] = cty.ObjectVal(map[string]cty.Value{
				"module": cty.StringVal(mod), "root": cty.StringVal("."), "cwd": cty.StringVal(".")})
		case "terraform":
			vars["terraform"] = cty.ObjectVal(map[string]cty.Value{"workspace": cty.StringVal("default")})
		case "local":
			vars["local"] = mergeAttr(vars["local"], t, s.locals)
		case "module":
			vars["module"] = mergeAttr(vars["module"], t, s.modules)
		case "each", "count", "self":
			vars[root] = cty.DynamicVal
		case "data":
			if len(t) < 2 {
				continue
			}
			a, ok := t[1].(hcl.TraverseAttr)
			if !ok {
				continue
			}
			typ := map[string]cty.Value{}
			if cur, ok := vars["data"]; ok && cur.Type().IsObjectType() {
				for k, v := range cur.AsValueMap() {
					typ[k] = v
				}
			}
			typ[a.Name] = mergeAttr(typ[a.Name], t[1:], s.data[a.Name])
			vars["data"] = cty.ObjectVal(typ)
		default:
			vars[root] = mergeAttr(vars[root], t, s.resources[root])
		}
	}
	return &hcl.EvalContext{Variables: vars, Functions: funcsFor(e.funcs, exprs...)}
}

// mergeAttr returns cur (an object, or nothing yet) with the attribute
// t[1] names set from known (unknown when not evaluated).
func mergeAttr(cur cty.Value, t hcl.Traversal, known map[string]cty.Value) cty.Value {
	m := map[string]cty.Value{}
	if cur != cty.NilVal && cur.IsKnown() && cur.Type().IsObjectType() {
		for k, v := range cur.AsValueMap() {
			m[k] = v
		}
	}
	if len(t) > 1 {
		if a, ok := t[1].(hcl.TraverseAttr); ok {
			if v, ok := known[a.Name]; ok {
				m[a.Name] = v
			} else {
				m[a.Name] = cty.DynamicVal
			}
		}
	}
	return cty.ObjectVal(m)
}

// eval evaluates expr in s; an error is reported and makes the value unknown.
func (e *evaluator) eval(s *scope, expr hcl.Expression, iter map[string]cty.Value) cty.Value {
	ctx := e.ctxFor(s, expr.Variables(), iter, expr)
	v, diags := expr.Value(ctx)
	if diags.HasErrors() {
		e.problems = append(e.problems, diagProblems(diags)...)
		return cty.DynamicVal
	}
	return unknownMarksOnly(v)
}

// refMark marks a value known only after apply with the address of the
// resource instance whose computed attribute it is. cty carries marks
// through expressions, functions, locals, module inputs and outputs, so
// a value read through them still names its resource (toGo turns the
// marks into the Unknown's refs): a bucket ID passed to a module, or a
// module output given to a split resource, joins what it designates.
type refMark string

// unknownMarksOnly keeps the marks of v's unknown parts only: a known
// value (a length() of a list holding a marked unknown) is plain, so the
// evaluator reads it as any known value.
func unknownMarksOnly(v cty.Value) cty.Value {
	if !v.ContainsMarked() {
		return v
	}
	u, pvm := v.UnmarkDeepWithPaths()
	if u.IsWhollyKnown() {
		return u
	}
	var keep []cty.PathValueMarks
	for _, p := range pvm {
		if leaf, err := p.Path.Apply(u); err == nil && !leaf.IsKnown() {
			keep = append(keep, p)
		}
	}
	return u.MarkWithPaths(keep)
}

// evalAttr evaluates a resource argument. A jsonencode() of a document
// with values known only after apply (a policy naming its bucket's ARN) is
// unknown as a string; the argument is given as the document instead, its
// unknown leaves unknown, so the mapping can judge what is known.
func (e *evaluator) evalAttr(s *scope, expr hcl.Expression, iter map[string]cty.Value) cty.Value {
	v := e.eval(s, expr, iter)
	if v.IsWhollyKnown() {
		return v
	}
	call, ok := expr.(*hclsyntax.FunctionCallExpr)
	if !ok || call.Name != "jsonencode" || len(call.Args) != 1 {
		return v
	}
	doc := e.eval(s, call.Args[0], iter)
	if doc.IsKnown() && !doc.IsNull() && (doc.Type().IsObjectType() || doc.Type().IsMapType()) {
		return doc
	}
	return v
}

// preciseRefs returns refs(s, expr.Variables()) where a reference indexed
// by an expression (aws_s3_bucket.b[count.index], aws_s3_bucket.b[each.key])
// names the instance the key evaluates to: a split resource with count
// then joins its own bucket, not every instance. A resource also referred
// to otherwise (a splat, no index) keeps its base address.
func (e *evaluator) preciseRefs(s *scope, expr hcl.Expression, iter map[string]cty.Value) []string {
	vars := expr.Variables()
	out := refs(s, vars)
	se, ok := expr.(hclsyntax.Expression)
	if !ok || len(out) == 0 {
		return out
	}
	precise := map[string][]string{}
	_ = hclsyntax.VisitAll(se, func(n hclsyntax.Node) hcl.Diagnostics {
		ix, ok := n.(*hclsyntax.IndexExpr)
		if !ok {
			return nil
		}
		col, ok := ix.Collection.(*hclsyntax.ScopeTraversalExpr)
		if !ok {
			return nil
		}
		base := refs(s, []hcl.Traversal{col.Traversal})
		if len(base) != 1 || strings.HasSuffix(base[0], "]") {
			return nil
		}
		k, diags := ix.Key.Value(e.ctxFor(s, ix.Key.Variables(), iter, ix.Key))
		if diags.HasErrors() || !k.IsKnown() || k.IsNull() || (k.Type() != cty.String && k.Type() != cty.Number) {
			return nil
		}
		precise[base[0]] = append(precise[base[0]], base[0]+indexKey(k))
		return nil
	})
	if len(precise) == 0 {
		return out
	}
	uses := map[string]int{}
	for _, t := range vars {
		if r := refs(s, []hcl.Traversal{t}); len(r) == 1 {
			uses[r[0]]++
		}
	}
	var refined []string
	seen := map[string]bool{}
	for _, a := range out {
		p := precise[a]
		if len(p) == 0 || len(p) < uses[a] {
			p = append([]string{a}, p...)
		}
		for _, x := range p {
			if !seen[x] {
				seen[x] = true
				refined = append(refined, x)
			}
		}
	}
	return refined
}

// refs returns the addresses of the resources (and module calls) ts refer to.
func refs(s *scope, ts []hcl.Traversal) []string {
	var out []string
	seen := map[string]bool{}
	for _, t := range ts {
		root := t.RootName()
		if (isNamespace(root) && root != "module" && root != "data") || len(t) < 2 {
			continue
		}
		a, ok := t[1].(hcl.TraverseAttr)
		if !ok {
			continue
		}
		addr, rest := root+"."+a.Name, t[2:]
		if root == "data" {
			if len(rest) == 0 {
				continue
			}
			b, ok := rest[0].(hcl.TraverseAttr)
			if !ok {
				continue
			}
			addr, rest = addr+"."+b.Name, rest[1:]
		}
		if len(rest) > 0 {
			if ix, ok := rest[0].(hcl.TraverseIndex); ok {
				addr += indexKey(ix.Key)
			}
		}
		if s.c.prefix != "" {
			addr = s.c.prefix + "." + addr
		}
		if !seen[addr] {
			seen[addr] = true
			out = append(out, addr)
		}
	}
	return out
}

// indexKey formats an instance key as Terraform writes it in addresses.
func indexKey(k cty.Value) string {
	if k == cty.NilVal || !k.IsKnown() || k.IsNull() {
		return ""
	}
	switch k.Type() {
	case cty.Number:
		if i, acc := k.AsBigFloat().Int64(); acc == big.Exact {
			return "[" + strconv.FormatInt(i, 10) + "]"
		}
	case cty.String:
		return "[" + strconv.Quote(k.AsString()) + "]"
	}
	return ""
}

// expansion is one instance of a block with count or for_each.
type expansion struct {
	key  cty.Value // cty.NilVal for a block with neither
	iter map[string]cty.Value
}

// expand evaluates count / for_each of a block body. ok is false when they
// cannot be known: the block then has no instances.
func (e *evaluator) expand(s *scope, body hcl.Body, what string) (out []expansion, keyed string, ok bool) {
	if a, has := metaAttr(body, "count"); has {
		v := e.eval(s, a.Expr, nil)
		if v.IsKnown() && !v.IsNull() {
			if n, err := convert.Convert(v, cty.Number); err == nil {
				v = n // count = "2" is 2, as in Terraform
			}
		}
		if !v.IsKnown() || v.IsNull() || v.Type() != cty.Number {
			e.problem(&a.Range, "%s: count is not known before apply; its instances are not scanned", what)
			return nil, "count", false
		}
		n, _ := v.AsBigFloat().Int64()
		if n > maxInstances {
			e.problem(&a.Range, "%s: count %d exceeds %d; the first %d instances are scanned", what, n, maxInstances, maxInstances)
			n = maxInstances
		}
		for i := int64(0); i < n; i++ {
			k := cty.NumberIntVal(i)
			out = append(out, expansion{key: k, iter: map[string]cty.Value{"count": cty.ObjectVal(map[string]cty.Value{"index": k})}})
		}
		return out, "count", true
	}
	if a, has := metaAttr(body, "for_each"); has {
		// Only the collection's own marks go: a map's values keep the
		// resource instances they come from (for_each = { a =
		// aws_s3_bucket.a.id } gives each.value naming that bucket).
		v, _ := e.eval(s, a.Expr, nil).Unmark()
		ty := v.Type()
		// A map's keys are what matter (for_each = aws_s3_bucket.b has
		// known keys and values known only after apply); a set's
		// elements are its keys.
		mapLike := ty.IsMapType() || ty.IsObjectType()
		if !v.IsKnown() || v.IsNull() || (!mapLike && !v.IsWhollyKnown()) {
			e.problem(&a.Range, "%s: for_each is not known before apply; its instances are not scanned", what)
			return nil, "for_each", false
		}
		switch {
		case mapLike:
			vals := v.AsValueMap()
			keys := make([]string, 0, len(vals))
			for k := range vals {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				out = append(out, eachExp(cty.StringVal(k), vals[k]))
			}
		case ty.IsSetType() || ty.IsListType() || ty.IsTupleType():
			v, _ = v.UnmarkDeep() // the elements are the keys
			for it := v.ElementIterator(); it.Next(); {
				_, el := it.Element()
				if el.IsNull() || el.Type() != cty.String {
					e.problem(&a.Range, "%s: for_each over a set must hold strings", what)
					return nil, "for_each", false
				}
				out = append(out, eachExp(el, el))
			}
		default:
			e.problem(&a.Range, "%s: for_each must be a map or a set of strings, not %s", what, ty.FriendlyName())
			return nil, "for_each", false
		}
		if len(out) > maxInstances {
			e.problem(&a.Range, "%s: for_each has %d instances; the first %d are scanned", what, len(out), maxInstances)
			out = out[:maxInstances]
		}
		return out, "for_each", true
	}
	return []expansion{{}}, "", true
}

func eachExp(k, v cty.Value) expansion {
	return expansion{key: k, iter: map[string]cty.Value{"each": cty.ObjectVal(map[string]cty.Value{"key": k, "value": v})}}
}

// metaAttrs returns a block body's top-level attributes.
func metaAttrs(b hcl.Body) map[string]*hcl.Attribute {
	out := map[string]*hcl.Attribute{}
	if sb, ok := b.(*hclsyntax.Body); ok {
		for n, a := range sb.Attributes {
			out[n] = a.AsHCLAttribute()
		}
		return out
	}
	attrs, _ := b.JustAttributes()
	for n, a := range attrs {
		out[n] = a
	}
	return out
}

// metaAttr returns the top-level attribute name of a block body, without
// building metaAttrs' map (a resource's are looked up for each instance).
func metaAttr(b hcl.Body, name string) (*hcl.Attribute, bool) {
	if sb, ok := b.(*hclsyntax.Body); ok {
		if a, ok := sb.Attributes[name]; ok {
			return a.AsHCLAttribute(), true
		}
		return nil, false
	}
	a, ok := metaAttrs(b)[name]
	return a, ok
}

// collect is the value of a block's name: one object, a tuple (count) or
// an object by key (for_each).
func collect(keyed string, exps []expansion, vals []cty.Value) cty.Value {
	switch keyed {
	case "count":
		if len(vals) == 0 {
			return cty.EmptyTupleVal
		}
		return cty.TupleVal(vals)
	case "for_each":
		m := map[string]cty.Value{}
		for i, x := range exps {
			m[x.key.AsString()] = vals[i]
		}
		return cty.ObjectVal(m)
	}
	if len(vals) == 1 {
		return vals[0]
	}
	return cty.DynamicVal
}

var metaArgs = map[string]bool{"count": true, "for_each": true, "provider": true, "depends_on": true,
	"lifecycle": true, "provisioner": true, "connection": true}

func (e *evaluator) evalResource(s *scope, n *node) {
	addr := n.typ + "." + n.name
	if n.kind == "data" {
		addr = "data." + addr
	}
	full := addr
	if s.c.prefix != "" {
		full = s.c.prefix + "." + addr
	}
	store := s.resources
	if n.kind == "data" {
		store = s.data
	}
	if store[n.typ] == nil {
		store[n.typ] = map[string]cty.Value{}
	}
	exps, keyed, ok := e.expand(s, n.block.Body, full)
	if !ok {
		store[n.typ][n.name] = cty.DynamicVal
		return
	}
	var feRefs []string
	if a, ok := metaAttr(n.block.Body, "for_each"); ok {
		feRefs = refs(s, a.Expr.Variables())
	}
	prov := e.providerOf(s, n)
	loc := resource.Location{File: n.file, StartLine: n.block.DefRange.Start.Line, EndLine: n.block.DefRange.End.Line, Calls: s.c.calls}
	if sb, ok := n.block.Body.(*hclsyntax.Body); ok {
		loc.EndLine = sb.SrcRange.End.Line
	}
	mode := "managed"
	if n.kind == "data" {
		mode = "data"
	}
	vals := make([]cty.Value, len(exps))
	for i, x := range exps {
		attrs, refsOf := e.evalBody(s, n.block.Body, x.iter, true)
		// each.value of a for_each over resources stands for the resource
		// instance of the same key: an attribute read through it refers to it.
		if x.key != cty.NilVal && len(feRefs) > 0 {
			for k, rr := range eachReaders(n.block.Body) {
				if rr {
					for _, r := range feRefs {
						refsOf[k] = append(refsOf[k], r+indexKey(x.key))
					}
				}
			}
		}
		obj := make(map[string]cty.Value, len(attrs)+2)
		self := refMark(full + indexKey(x.key))
		for k, v := range attrs {
			if n.kind != "data" && !v.IsKnown() {
				// A configured argument known only at apply (a name
				// built from a random_integer) still designates this
				// instance where another resource reads it, as a
				// server_name joining its server.
				v = v.Mark(self)
			}
			obj[k] = v
		}
		computed := cty.DynamicVal
		if n.kind != "data" {
			computed = computed.Mark(self)
		}
		for _, set := range []map[string]bool{s.refAttrs[addr], s.eachAttrs} {
			for a := range set {
				if _, ok := obj[a]; !ok {
					obj[a] = computed
				}
			}
		}
		vals[i] = cty.ObjectVal(obj)
		l := loc
		l.Address = full + indexKey(x.key)
		goAttrs := make(map[string]any, len(attrs))
		for k, v := range attrs {
			goAttrs[k] = toGo(v, refsOf[k])
			if u, isU := goAttrs[k].(tfmap.Unknown); isU && scriptName(k) {
				u.Text = e.partialText(s, n.block.Body, k, x.iter)
				goAttrs[k] = u
			}
		}
		e.insts = append(e.insts, tfmap.Instance{Type: n.typ, Name: n.name, Address: l.Address, Mode: mode,
			Attrs: goAttrs, Region: prov.region, Account: prov.account, DefaultTags: prov.defaultTags, Location: l, Written: e.writtenArgs(s, n.block.Body, attrs)})
	}
	store[n.typ][n.name] = collect(keyed, exps, vals)
}

// eachReaders says which top-level attributes and block types of a body
// read each.value.
func eachReaders(b hcl.Body) map[string]bool {
	out := map[string]bool{}
	reads := func(ts []hcl.Traversal) bool {
		for _, t := range ts {
			if t.RootName() == "each" {
				return true
			}
		}
		return false
	}
	if sb, ok := b.(*hclsyntax.Body); ok {
		for n, a := range sb.Attributes {
			out[n] = reads(a.Expr.Variables())
		}
		for _, nb := range sb.Blocks {
			typ := nb.Type
			if typ == "dynamic" && len(nb.Labels) == 1 {
				typ = nb.Labels[0]
			}
			out[typ] = out[typ] || reads(bodyVariables(nb.Body))
		}
		return out
	}
	attrs, _ := b.JustAttributes()
	for n, a := range attrs {
		out[n] = reads(a.Expr.Variables())
	}
	return out
}

// passedProviders are the provider configurations a module call hands
// its module: the caller's, with a providers map's entries (aws =
// aws.west, aws.east = aws) naming, in the module, one of the caller's.
func passedProviders(caller map[string]providerConf, providers *hcl.Attribute) map[string]providerConf {
	if providers == nil {
		return caller
	}
	pairs, diags := hcl.ExprMap(providers.Expr)
	if diags.HasErrors() || len(pairs) == 0 {
		return caller
	}
	out := make(map[string]providerConf, len(caller)+len(pairs))
	for k, v := range caller {
		out[k] = v
	}
	for _, p := range pairs {
		inner, okInner := providerName(p.Key)
		outer, okOuter := providerName(p.Value)
		if okInner && okOuter {
			out[inner] = caller[outer]
		}
	}
	return out
}

// providerName reads a provider configuration reference (aws, aws.west).
func providerName(x hcl.Expression) (string, bool) {
	t, diags := hcl.AbsTraversalForExpr(x)
	if diags.HasErrors() || len(t) == 0 {
		return "", false
	}
	name := t.RootName()
	if len(t) > 1 {
		at, ok := t[1].(hcl.TraverseAttr)
		if !ok {
			return "", false
		}
		name += "." + at.Name
	}
	return name, true
}

// providerOf returns the provider configuration managing n.
func (e *evaluator) providerOf(s *scope, n *node) providerConf {
	name := n.typ
	if i := strings.IndexByte(name, '_'); i > 0 {
		name = name[:i]
	}
	if a, ok := metaAttr(n.block.Body, "provider"); ok {
		if pn, ok := providerName(a.Expr); ok {
			name = pn
		}
	}
	return s.regions[name]
}

// evalBody evaluates a block body's attributes and nested blocks (each
// nested block type a tuple of objects), expanding dynamic blocks. refsOf
// gives, per attribute or block type, the resources its expressions refer to.
func (e *evaluator) evalBody(s *scope, b hcl.Body, iter map[string]cty.Value, top bool) (map[string]cty.Value, map[string][]string) {
	out := map[string]cty.Value{}
	refsOf := map[string][]string{}
	sb, ok := b.(*hclsyntax.Body)
	if !ok {
		attrs, diags := b.JustAttributes()
		e.problems = append(e.problems, diagProblems(diags)...)
		for n, a := range attrs {
			if top && metaArgs[n] {
				continue
			}
			out[n] = e.evalAttr(s, a.Expr, iter)
			refsOf[n] = refs(s, a.Expr.Variables())
		}
		return out, refsOf
	}
	for n, a := range sb.Attributes {
		if top && metaArgs[n] {
			continue
		}
		out[n] = e.evalAttr(s, a.Expr, iter)
		refsOf[n] = e.preciseRefs(s, a.Expr, iter)
	}
	blocks := map[string][]cty.Value{}
	var order []string
	add := func(typ string, v cty.Value) {
		if _, seen := blocks[typ]; !seen {
			order = append(order, typ)
		}
		blocks[typ] = append(blocks[typ], v)
	}
	for _, nb := range sb.Blocks {
		if top && metaArgs[nb.Type] {
			continue
		}
		typ := nb.Type
		if nb.Type == "dynamic" && len(nb.Labels) == 1 {
			typ = nb.Labels[0]
			e.evalDynamic(s, nb, iter, add)
		} else {
			v, _ := e.evalBody(s, nb.Body, iter, false)
			add(typ, cty.ObjectVal(v))
		}
		refsOf[typ] = append(refsOf[typ], refs(s, bodyVariables(nb.Body))...)
	}
	for _, typ := range order {
		out[typ] = cty.TupleVal(blocks[typ])
	}
	return out, refsOf
}

// evalDynamic expands a dynamic block: one block per element of for_each,
// with the iterator (the block's label unless iterator names another).
func (e *evaluator) evalDynamic(s *scope, nb *hclsyntax.Block, iter map[string]cty.Value, add func(string, cty.Value)) {
	label := nb.Labels[0]
	fe, ok := nb.Body.Attributes["for_each"]
	if !ok {
		e.problem(&nb.TypeRange, "dynamic %q block without for_each", label)
		return
	}
	name := label
	if it, ok := nb.Body.Attributes["iterator"]; ok {
		if t, diags := hcl.AbsTraversalForExpr(it.Expr); !diags.HasErrors() {
			name = t.RootName()
		}
	}
	var content *hclsyntax.Block
	for _, c := range nb.Body.Blocks {
		if c.Type == "content" {
			content = c
		}
	}
	if content == nil {
		e.problem(&nb.TypeRange, "dynamic %q block without a content block", label)
		return
	}
	coll := e.eval(s, fe.Expr, iter)
	// A list, tuple or map of known length makes that many blocks, their
	// values known or not; a set with an unknown element may hold fewer.
	known := coll.IsKnown()
	if ty := coll.Type(); ty.IsSetType() || ty == cty.DynamicPseudoType {
		known = coll.IsWhollyKnown()
	}
	if !known || coll.IsNull() || !coll.CanIterateElements() {
		// As many blocks as an unknown collection has: unknown.
		add(label, cty.DynamicVal)
		return
	}
	coll, _ = coll.Unmark() // the elements keep their instances
	n := 0
	for it := coll.ElementIterator(); it.Next(); n++ {
		if n >= maxInstances {
			e.problem(&nb.TypeRange, "dynamic %q: more than %d blocks; the rest are not scanned", label, maxInstances)
			break
		}
		k, v := it.Element()
		sub := make(map[string]cty.Value, len(iter)+1)
		for a, b := range iter {
			sub[a] = b
		}
		sub[name] = cty.ObjectVal(map[string]cty.Value{"key": k, "value": v})
		body, _ := e.evalBody(s, content.Body, sub, false)
		add(label, cty.ObjectVal(body))
	}
}

// evalCall evaluates a module call: each instance of a local module is
// evaluated with its inputs; other sources are reported as unresolved.
func (e *evaluator) evalCall(s *scope, n *node) {
	full := "module." + n.name
	if s.c.prefix != "" {
		full = s.c.prefix + "." + full
	}
	attrs := metaAttrs(n.block.Body)
	src := ""
	if a, ok := attrs["source"]; ok {
		if v, diags := a.Expr.Value(nil); !diags.HasErrors() && knownString(v) {
			src = v.AsString()
		}
	}
	key := n.name
	if s.c.key != "" {
		key = s.c.key + "." + n.name
	}
	var dir string
	if isLocalSource(src) {
		dir = path.Join(s.m.dir, src)
	} else {
		// A registry or git module is read where `terraform init`
		// installed it; it is never fetched.
		var why string
		if dir, why = e.installedDir(key, src); dir == "" {
			e.problem(&n.block.DefRange, "%s: module source %q is not a local path and %s; registry and git modules are not fetched, so its resources are not scanned", full, src, why)
			e.problems[len(e.problems)-1].Warning = true // reported, not an input error
			s.modules[n.name] = cty.DynamicVal
			return
		}
	}
	for _, d := range s.c.stack {
		if d == dir {
			e.problem(&n.block.DefRange, "%s: module %q calls itself (cycle through %s); not evaluated again", full, src, strings.Join(s.c.stack, " -> "))
			s.modules[n.name] = cty.DynamicVal
			return
		}
	}
	if len(s.c.stack) >= maxModuleDepth {
		e.problem(&n.block.DefRange, "%s: modules nested more than %d deep; not evaluated", full, maxModuleDepth)
		s.modules[n.name] = cty.DynamicVal
		return
	}
	exps, keyed, ok := e.expand(s, n.block.Body, full)
	if !ok {
		s.modules[n.name] = cty.DynamicVal
		return
	}
	child := e.l.load(dir)
	e.loaded = append(e.loaded, loadedAt{child, len(e.problems)})
	callLoc := resource.Location{File: n.file, StartLine: n.block.DefRange.Start.Line, EndLine: n.block.DefRange.End.Line}
	if sb, ok := n.block.Body.(*hclsyntax.Body); ok {
		callLoc.EndLine = sb.SrcRange.End.Line
	}
	outs := make([]cty.Value, len(exps))
	for i, x := range exps {
		inputs := map[string]cty.Value{}
		supplied := map[string]bool{}
		for name, a := range attrs {
			switch name {
			case "source", "version", "count", "for_each", "providers", "depends_on":
				continue
			}
			inputs[name] = e.eval(s, a.Expr, x.iter)
			if !e.written(s, a.Expr) {
				supplied[name] = true
			}
		}
		prefix := full + indexKey(x.key)
		cl := callLoc
		cl.Address = prefix
		calls := append(append([]resource.Location(nil), s.c.calls...), cl)
		outs[i] = e.evalModule(child, &call{prefix: prefix, key: key, inputs: inputs, supplied: supplied, calls: calls, regions: passedProviders(s.regions, attrs["providers"]),
			stack: append(append([]string(nil), s.c.stack...), dir)})
	}
	s.modules[n.name] = collect(keyed, exps, outs)
}
