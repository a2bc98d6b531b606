package arm

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/vigil-sec/vigil/internal/importer/azure"
	"github.com/vigil-sec/vigil/internal/resource"
	"github.com/vigil-sec/vigil/internal/source"
)

// instance is one resource a template deploys (a copy loop gives several).
type instance struct {
	t     *template
	s     *scope
	n     *jnode
	typ   string
	name  string
	api   string
	addr  string
	start int
	end   int
	// maybe: the condition could not be decided.
	maybe bool
	armID string
	// extScope is the scope (relative to the deployment's) of an extension
	// resource written in the older nested form, "" otherwise.
	extScope string
}

// maxNested bounds nested deployments inside nested deployments.
const maxNested = 20

// collector gathers the instances of a file's templates.
type collector struct {
	f     *fileState
	out   []*instance
	ctx   context.Context
	depth int
}

// collect reads a resources section: an array, or (languageVersion 2.0)
// an object keyed by symbolic name.
func (c *collector) collect(t *template, s *scope, list *jnode, parent *instance) {
	if list == nil {
		return
	}
	switch list.kind {
	case jArray:
		for _, rn := range list.vals {
			c.resource(t, s, "", rn, parent)
		}
	case jObject:
		for i, k := range list.keys {
			c.resource(t, s, k, list.vals[i], parent)
		}
	default:
		c.f.problem(c.f.ls.line(list.start), "", "resources", "resources is not an array or an object")
	}
}

func (c *collector) resource(t *template, s *scope, sym string, rn *jnode, parent *instance) {
	if c.ctx.Err() != nil {
		return
	}
	f := c.f
	if rn.kind != jObject {
		f.problem(f.ls.line(rn.start), sym, "", "the resource is not an object")
		return
	}
	if ex := rn.get("existing"); ex != nil && ex.kind == jBool && ex.b {
		return // a reference to a resource deployed elsewhere
	}
	cp := rn.get("copy")
	if cp == nil {
		c.instance(t, s, sym, rn, parent, -1)
		return
	}
	if cp.kind != jObject {
		f.problem(f.ls.line(cp.start), sym, "copy", "copy is not an object")
		return
	}
	name := ""
	if nn := cp.get("name"); nn != nil && nn.kind == jString {
		name = nn.str
	}
	n := s.copyCount(cp, sym, "copy")
	if n < 0 {
		c.instance(t, s.withCopy(name, unk), sym, rn, parent, -2)
		return
	}
	for i := 0; i < n; i++ {
		if c.f.steps > maxSteps {
			c.f.overBudget(rn, sym, "copy")
			return
		}
		c.instance(t, s.withCopy(name, int64(i)), sym, rn, parent, i)
	}
}

// instance reads one instance of a resource; idx is its copy index, -1
// outside a copy loop, -2 for a loop of unknown count.
func (c *collector) instance(t *template, s *scope, sym string, rn *jnode, parent *instance, idx int) {
	f := c.f
	label := sym
	if nn := rn.get("name"); label == "" && nn != nil && nn.kind == jString {
		label = nn.str
	}
	in := &instance{t: t, s: s, n: rn, start: f.ls.line(rn.start), end: f.ls.line(rn.end)}
	if cn := rn.get("condition"); cn != nil {
		switch v := s.value(cn, label, "condition", false).(type) {
		case bool:
			if !v {
				return // not deployed
			}
		case unknown:
			in.maybe = true
		default:
			f.problem(f.ls.line(cn.start), label, "condition", fmt.Sprintf("the condition is a %s, not a bool", typeName(v)))
			in.maybe = true
		}
	}
	tn := rn.get("type")
	typ, _ := s.value(orNull(tn), label, "type", false).(string)
	if typ == "" {
		f.problem(in.start, label, "type", "the resource has no type (a string)")
		return
	}
	nn := rn.get("name")
	name := ""
	if nn != nil {
		switch v := s.named().value(nn, label, "name", false).(type) {
		case string:
			name = v
		default:
			f.problem(f.ls.line(nn.start), label, "name", fmt.Sprintf("the name is a %s, not a string", typeName(v)))
			name = "{name}"
		}
	}
	if parent != nil && !strings.Contains(strings.SplitN(typ, "/", 2)[0], ".") {
		// A nested child resource: type and name relative to the parent.
		typ = parent.typ + "/" + typ
		name = parent.name + "/" + name
	}
	written := typ + "/" + name
	if i := strings.Index(strings.ToLower(typ), "/providers/"); i > 0 {
		// The older form of an extension resource (a role assignment or
		// diagnostic setting of a resource): Parent/type/providers/ext
		// named parent/Namespace.Name/ext.
		parentType, ext := typ[:i], typ[i+len("/providers/"):]
		segs := splitName(name)
		np := strings.Count(parentType, "/")
		if len(segs) == np+1+strings.Count(ext, "/")+1 {
			in.extScope = "/providers/" + resourcePath(parentType, segs[:np])
			typ, name = segs[np]+"/"+ext, strings.Join(segs[np+1:], "/")
		}
	}
	in.typ, in.name = azure.CanonicalType(typ), name
	if strings.EqualFold(typ, "Microsoft.Resources/resourceGroups") {
		in.typ = azure.TypeResourceGroup // as Resource Graph names it
	}
	if av := rn.get("apiVersion"); av != nil {
		in.api, _ = s.value(av, label, "apiVersion", false).(string) // unknown: ""
	}
	switch {
	case sym != "":
		in.addr = sym
		if idx >= 0 {
			in.addr += "[" + strconv.Itoa(idx) + "]"
		}
	case in.extScope != "":
		in.addr = written
	default:
		in.addr = in.typ + "/" + name
		if idx >= 0 && strings.Contains(name, "{") {
			in.addr += "[" + strconv.Itoa(idx) + "]" // a name not known before deployment
		}
	}
	if t.prefix != "" {
		in.addr = t.prefix + " > " + in.addr
	}
	if strings.EqualFold(in.typ, "Microsoft.Resources/deployments") {
		c.nested(t, s, in, label)
		return
	}
	c.out = append(c.out, in)
	if ch := rn.get("resources"); ch != nil {
		c.collect(t, s, ch, in)
	}
}

func orNull(n *jnode) *jnode {
	if n == nil {
		return &jnode{}
	}
	return n
}

// nested reads a nested deployment's inline template.
func (c *collector) nested(t *template, s *scope, in *instance, label string) {
	f := c.f
	props := in.n.get("properties")
	tmpl := props.get("template")
	if tmpl == nil {
		if link := props.get("templateLink"); link != nil {
			f.problem(in.start, label, "properties.templateLink", "the linked template is not read: its resources are not scanned")
		}
		return
	}
	if tmpl.kind != jObject {
		f.problem(f.ls.line(tmpl.start), label, "properties.template", "the nested template is not an object")
		return
	}
	if c.depth >= maxNested {
		f.problem(in.start, label, "properties.template", fmt.Sprintf("nested deployments deeper than %d are not read", maxNested))
		return
	}
	ctx := *t.ctx
	if rg := in.n.get("resourceGroup"); rg != nil {
		v, _ := s.named().value(rg, label, "resourceGroup", false).(string)
		ctx.rg, ctx.level = v, scopeResourceGroup
	}
	if sub := in.n.get("subscriptionId"); sub != nil {
		v, _ := s.named().value(sub, label, "subscriptionId", false).(string)
		ctx.sub = v
		if in.n.get("resourceGroup") == nil {
			ctx.level = scopeSubscription
		}
	}
	if sch := tmpl.get("$schema"); sch != nil && sch.kind == jString {
		if l := levelOf(sch.str); l != scopeResourceGroup {
			ctx.level = l
		}
	}
	inner := false
	if sc := props.get("expressionEvaluationOptions").get("scope"); sc != nil && sc.kind == jString {
		inner = strings.EqualFold(sc.str, "inner")
	}
	nt := newTemplate(f, tmpl, &ctx)
	nt.calls = append(append([]resource.Location{}, t.calls...),
		resource.Location{File: f.file, StartLine: in.start, EndLine: in.end, Address: in.addr})
	nt.prefix = in.addr
	ns := nt.scope()
	if inner {
		if props.get("parametersLink") != nil {
			// Values from a linked parameters file are not read: unknown.
			for k := range nt.pdecl {
				nt.setParameter(k, unk)
			}
		}
		if ps := props.get("parameters"); ps != nil && ps.kind == jObject {
			for i, k := range ps.keys {
				p := ps.vals[i]
				if v := p.get("value"); v != nil {
					nt.setParameter(k, s.value(v, label, "properties.parameters."+k, false))
				} else {
					nt.setParameter(k, unk) // a Key Vault reference: a secret
				}
			}
		}
	} else {
		nt.outer = t.paramTarget()
		ns.copies, ns.loop = s.copies, s.loop
	}
	c.depth++
	c.collect(nt, ns, tmpl.get("resources"), nil)
	c.depth--
}

// Read parses the template data of file (relative to the scanned root),
// with the parameter values of params (in order, later ones winning) and
// the options, and adds its resources, unsupported types and problems to
// batch.
func Read(ctx context.Context, file string, data []byte, opts Options, params []ParamFile, batch *source.Batch) {
	f := &fileState{file: file, ls: newLines(data), exprs: map[string]expr{}}
	root, err := decode(data)
	if err != nil {
		var se *syntaxError
		line := 0
		msg := err.Error()
		if errors.As(err, &se) {
			line = f.ls.line(se.offset)
			if se.offset >= len(data) && len(data) > 0 {
				line = f.ls.line(len(data) - 1)
			}
		}
		batch.Problems = append(batch.Problems, source.Problem{Path: file, Line: line, Err: msg})
		return
	}
	if root.kind != jObject {
		batch.Problems = append(batch.Problems, source.Problem{Path: file, Line: 1, Err: "the template is not a JSON object"})
		return
	}
	dc := &deployCtx{sub: strings.ToLower(opts.SubscriptionID), rg: opts.ResourceGroup, loc: opts.Location, tenantID: opts.TenantID}
	if sch := root.get("$schema"); sch != nil && sch.kind == jString {
		dc.level = levelOf(sch.str)
	}
	t := newTemplate(f, root, dc)
	for _, pf := range params {
		for k, v := range pf.Values {
			if _, declared := t.pdecl[strings.ToLower(k)]; declared {
				t.setParameter(k, v)
			}
		}
	}
	for k, text := range opts.Parameters {
		if _, declared := t.pdecl[strings.ToLower(k)]; !declared {
			continue
		}
		v, err := t.textParameter(k, text)
		if err != nil {
			f.problem(0, "", "parameters."+k, err.Error())
			continue
		}
		t.setParameter(k, v)
	}
	rs := root.get("resources")
	if rs == nil {
		f.problem(1, "", "resources", "the template has no resources section")
	}
	c := &collector{f: f, ctx: ctx}
	c.collect(t, t.scope(), rs, nil)
	m := &mapper{f: f, opts: opts, batch: batch}
	m.mapAll(c.out)
	batch.Problems = append(batch.Problems, f.probs...)
}
