package terraform

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	tfjson "github.com/hashicorp/terraform-json"
	"github.com/vigil-sec/vigil/internal/iac/tfmap"
	"github.com/vigil-sec/vigil/internal/resource"
	"github.com/vigil-sec/vigil/internal/source"
	"github.com/zclconf/go-cty/cty"
)

// maxPlanBytes bounds a plan or state JSON file read into memory: plans
// of large configurations are much larger than any .tf file.
const maxPlanBytes = 200 << 20

// Formats of the batches read from JSON.
const (
	formatPlan  = "terraform-plan"
	formatState = "terraform-state"
)

// isPlanCandidate reports whether rel may be a plan or state file: a .json
// file that is neither configuration nor variables, or a .tfstate file (a
// state as Terraform writes it; a .tfstate.backup, the state before the
// last apply, is not one).
func isPlanCandidate(rel string) bool {
	return strings.HasSuffix(rel, ".tfstate") ||
		strings.HasSuffix(rel, ".json") && !strings.HasSuffix(rel, ".tf.json") && !strings.HasSuffix(rel, ".tfvars.json")
}

// isPlanJSON reports whether head, the first bytes of a JSON document, is
// a plan or a state as `terraform show -json` writes it: an object whose
// top-level keys hold format_version and planned_values, values,
// resource_changes or terraform_version (which the others may follow when
// the variables fill the head); or a state as Terraform writes it
// (terraform.tfstate): top-level version, a number, and terraform_version,
// with no format_version.
func isPlanJSON(head []byte) bool {
	head = bytes.TrimLeft(head, " \t\r\n\ufeff")
	if len(head) == 0 || head[0] != '{' {
		return false
	}
	dec := json.NewDecoder(bytes.NewReader(head))
	if _, err := dec.Token(); err != nil {
		return false
	}
	var format, content, version, tfVersion bool
	done := func() bool { return format && content || !format && version && tfVersion }
	depth := 0
	for {
		tok, err := dec.Token()
		if err != nil {
			break // the head ends inside the document
		}
		switch t := tok.(type) {
		case json.Delim:
			if t == '{' || t == '[' {
				depth++
			} else {
				depth--
			}
			if depth < 0 {
				return done()
			}
			continue
		case string:
			if depth != 0 {
				continue
			}
			switch t {
			case "format_version":
				format = true
			case "planned_values", "values", "resource_changes":
				content = true
			case "terraform_version":
				content, tfVersion = true, true
			}
			// Skip the value: a scalar is one token, a container is
			// counted by depth above.
			v, err := dec.Token()
			if err != nil {
				return format && content
			}
			if _, isNum := v.(float64); isNum && t == "version" {
				version = true
			}
			if d, ok := v.(json.Delim); ok && (d == '{' || d == '[') {
				depth++
			}
		}
		if format && content {
			return true
		}
	}
	return done()
}

// planDoc is a plan or state JSON document decoded.
type planDoc struct {
	rel    string // the file, relative to the scanned root
	format string
	plan   *tfjson.Plan
	state  *tfjson.State
}

// decodePlan decodes the plan or state JSON file rel. A document that is
// neither is an error naming the file.
func decodePlan(src []byte, rel string) (*planDoc, error) {
	var probe struct {
		FormatVersion   string          `json:"format_version"`
		Values          json.RawMessage `json:"values"`
		PlannedValues   json.RawMessage `json:"planned_values"`
		ResourceChanges json.RawMessage `json:"resource_changes"`
		// A state as Terraform writes it (terraform.tfstate).
		Version          *json.Number `json:"version"`
		TerraformVersion string       `json:"terraform_version"`
	}
	// The probe keeps only the raw bytes of three members; a second pass
	// decodes the document with terraform-json, which checks the format
	// version.
	if err := json.Unmarshal(src, &probe); err != nil {
		return nil, err
	}
	d := &planDoc{rel: rel}
	if probe.FormatVersion == "" && probe.Version != nil && probe.TerraformVersion != "" {
		if probe.Version.String() != "4" {
			return nil, fmt.Errorf("terraform state format version %s is not read (Terraform 0.12 and later write version 4; "+
				"terraform show -json writes any state as JSON)", probe.Version)
		}
		st, err := decodeRawState(src)
		if err != nil {
			return nil, fmt.Errorf("terraform state: %w", err)
		}
		d.format, d.state = formatState, st
		return d, nil
	}
	if probe.FormatVersion == "" {
		return nil, errors.New("not a Terraform plan or state: no format_version")
	}
	switch {
	case probe.PlannedValues != nil || probe.ResourceChanges != nil:
		d.format = formatPlan
		d.plan = &tfjson.Plan{}
		if err := json.Unmarshal(src, d.plan); err != nil {
			return nil, fmt.Errorf("terraform plan: %w", err)
		}
	case probe.Values != nil:
		d.format = formatState
		d.state = &tfjson.State{}
		if err := json.Unmarshal(src, d.state); err != nil {
			return nil, fmt.Errorf("terraform state: %w", err)
		}
	default:
		return nil, errors.New("not a Terraform plan or state: neither planned_values, resource_changes nor values")
	}
	return d, nil
}

// jsonErrProblem locates a JSON decoding error in src.
func jsonErrProblem(rel string, src []byte, err error) source.Problem {
	p := source.Problem{Path: rel, Err: err.Error()}
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		p.Offset = se.Offset
	case errors.As(err, &te):
		p.Offset = te.Offset
		p.Field = te.Field
	}
	if p.Offset > 0 && p.Offset <= int64(len(src)) {
		p.Line = bytes.Count(src[:p.Offset], []byte{'\n'}) + 1
	}
	return p
}

// readPlan reads the plan or state JSON file rel (relative to root) into one
// batch: its resources mapped by tfmap, located at their blocks in the .tf
// files beside the file (the plan's root module) when those files declare
// them, else at the JSON file. A file that is not a plan or state after
// all is a problem of a batch without format.
//
// known are the instances of the same root module evaluated from HCL, by
// address (nil when there are none): a value the plan has as wholly
// unknown takes what HCL knows of it.
func readPlan(ctx context.Context, root, rel string, known map[string]*tfmap.Instance) source.Batch {
	b := source.Batch{Input: rel}
	src, err := readPlanFile(root, rel)
	if err != nil {
		b.Problems = append(b.Problems, source.Problem{Path: rel, Err: err.Error()})
		return b
	}
	if !isPlanJSON(src[:min(len(src), 8<<10)]) {
		b.Skipped = "not a Terraform plan or state (terraform show -json)"
		return b
	}
	d, err := decodePlan(src, rel)
	if err != nil {
		b.Problems = append(b.Problems, jsonErrProblem(rel, src, err))
		return b
	}
	insts := d.instances(newLoader(root))
	if len(known) > 0 {
		fillFromHCL(insts, known)
	}
	rs, unsupported, problems := tfmap.Map(ctx, insts)
	b.Format, b.Resources, b.Unsupported, b.Problems = d.format, rs, unsupported, problems
	return b
}

// instances returns the resource instances the document describes.
func (d *planDoc) instances(l *loader) []tfmap.Instance {
	w := &planWalk{d: d, l: l, dir: path.Dir(d.rel), seen: map[string]bool{}, changes: map[string]*tfjson.ResourceChange{}}
	switch {
	case d.plan != nil:
		p := d.plan
		w.config = p.Config
		for _, rc := range p.ResourceChanges {
			if rc != nil && rc.DeposedKey == "" && rc.Change != nil {
				w.changes[rc.Address] = rc
			}
		}
		if p.PlannedValues != nil && p.PlannedValues.RootModule != nil {
			w.module(p.PlannedValues.RootModule)
		} else {
			for _, rc := range p.ResourceChanges {
				if rc == nil || rc.DeposedKey != "" || rc.Change == nil || rc.Change.Actions.Delete() {
					continue
				}
				after, _ := rc.Change.After.(map[string]any)
				w.add(moduleOf(rc.Address, rc.ModuleAddress), &tfjson.StateResource{Address: rc.Address, Mode: rc.Mode,
					Type: rc.Type, Name: rc.Name, Index: rc.Index, ProviderName: rc.ProviderName, AttributeValues: after})
			}
		}
		// Data sources read while planning are in the prior state only.
		if p.PriorState != nil && p.PriorState.Values != nil && p.PriorState.Values.RootModule != nil {
			w.dataOnly = true
			w.module(p.PriorState.Values.RootModule)
		}
	case d.state != nil && d.state.Values != nil && d.state.Values.RootModule != nil:
		w.module(d.state.Values.RootModule)
	}
	return w.out
}

// moduleOf returns the module instance address of a resource change
// (module_address, which is absent in some versions' output).
func moduleOf(addr, module string) string {
	if module != "" || !strings.HasPrefix(addr, "module.") {
		return module
	}
	segs := splitAddr(addr)
	var mods []string
	for i := 0; i+1 < len(segs) && segs[i] == "module"; i += 2 {
		mods = append(mods, segs[i], segs[i+1])
	}
	return strings.Join(mods, ".")
}

// planWalk walks the modules of a plan or state.
type planWalk struct {
	d        *planDoc
	l        *loader
	dir      string // the root module's directory (the JSON file's)
	config   *tfjson.Config
	changes  map[string]*tfjson.ResourceChange
	seen     map[string]bool
	dataOnly bool
	out      []tfmap.Instance
	inst     *installed // the root module's installed modules, read when needed
}

func (w *planWalk) module(m *tfjson.StateModule) {
	for _, r := range m.Resources {
		if r != nil && r.DeposedKey == "" && (!w.dataOnly || r.Mode == tfjson.DataResourceMode) {
			w.add(m.Address, r)
		}
	}
	for _, c := range m.ChildModules {
		if c != nil {
			w.module(c)
		}
	}
}

// add appends the instance of r, in the module instance modAddr.
func (w *planWalk) add(modAddr string, r *tfjson.StateResource) {
	if r.Address == "" || w.seen[r.Address] {
		return
	}
	w.seen[r.Address] = true
	attrs := make(map[string]any, len(r.AttributeValues))
	for k, v := range r.AttributeValues {
		attrs[k] = v
	}
	cm, callNames := w.configModule(modAddr)
	var cr *tfjson.ConfigResource
	if cm != nil {
		for _, c := range cm.Resources {
			if c != nil && c.Mode == r.Mode && c.Type == r.Type && c.Name == r.Name {
				cr = c
				break
			}
		}
	}
	if rc := w.changes[r.Address]; rc != nil && rc.Change.AfterUnknown != nil {
		unk, _ := rc.Change.AfterUnknown.(map[string]any)
		for k, u := range unk {
			if cr != nil && cr.Expressions[k] == nil && attrs[k] == nil && u == true {
				// Computed by the provider and not set in the
				// configuration (an id, an arn, aws_s3_bucket's
				// versioning): absent, as in the .tf files, so the
				// provider's default for an absent argument applies,
				// as for the same configuration read from HCL.
				delete(attrs, k)
				continue
			}
			var rs []string
			if cr != nil {
				rs = exprRefs(modAddr, cr.Expressions[k])
			}
			attrs[k] = overlayUnknown(attrs[k], u, rs)
		}
	}
	mode := string(r.Mode)
	if mode == "" {
		mode = "managed"
	}
	in := tfmap.Instance{Type: r.Type, Name: r.Name, Address: r.Address, Mode: mode, Attrs: attrs,
		Location: w.locate(r, callNames, modAddr), Written: w.written(cr, attrs, modAddr)}
	if cr != nil {
		in.Region = w.providerRegion(cr.ProviderConfigKey)
		in.Account = w.providerAccountOf(cr.ProviderConfigKey)
	}
	if in.Region == "" {
		in.Region = attrRegion(attrs)
	}
	w.out = append(w.out, in)
}

// written tells, from the configuration section, where the values of the
// credential arguments come from (tfmap.Instance.Written): a constant is
// written in the configuration; an expression reading a resource, data
// source or module output is not; one reading only root variables whose
// planned value is their default is. Anything else (a tfvars or -var
// value, a module input, a local) is left undecided.
func (w *planWalk) written(cr *tfjson.ConfigResource, attrs map[string]any, modAddr string) map[string]bool {
	if cr == nil {
		return nil
	}
	var out map[string]bool
	for k, e := range cr.Expressions {
		if e == nil || !credentialName(k) {
			continue
		}
		if s, ok := attrs[k].(string); !ok || s == "" {
			continue
		}
		v, decided := w.exprWritten(e, modAddr)
		if !decided {
			continue
		}
		if out == nil {
			out = map[string]bool{}
		}
		out[k] = v
	}
	return out
}

func (w *planWalk) exprWritten(e *tfjson.Expression, modAddr string) (written, decided bool) {
	if e.ConstantValue != nil && len(e.References) == 0 {
		return true, true
	}
	if len(e.References) == 0 {
		return false, false
	}
	allDefaults := modAddr == "" && w.d.plan != nil && w.config != nil && w.config.RootModule != nil
	for _, ref := range e.References {
		root, rest, _ := strings.Cut(ref, ".")
		switch root {
		case "var":
			name, _, _ := strings.Cut(rest, ".")
			if !allDefaults {
				continue
			}
			cv := w.config.RootModule.Variables[name]
			pv := w.d.plan.Variables[name]
			if cv == nil || cv.Default == nil || pv == nil || !jsonEqual(cv.Default, pv.Value) {
				allDefaults = false
			}
		case "each", "count", "path", "terraform", "self":
		case "local": // the plan has no local values
			allDefaults = false
		default:
			return false, true // a resource, data source or module output
		}
	}
	return allDefaults, allDefaults
}

// jsonEqual compares two decoded JSON values.
func jsonEqual(a, b any) bool {
	x, err1 := json.Marshal(a)
	y, err2 := json.Marshal(b)
	return err1 == nil && err2 == nil && bytes.Equal(x, y)
}

// configModule returns the configuration of the module instance modAddr
// (module.a["x"].module.b) and the call names leading to it.
func (w *planWalk) configModule(modAddr string) (*tfjson.ConfigModule, []string) {
	names := moduleNames(modAddr)
	if w.config == nil {
		return nil, names
	}
	m := w.config.RootModule
	for _, n := range names {
		if m == nil {
			return nil, names
		}
		c := m.ModuleCalls[n]
		if c == nil {
			return nil, names
		}
		m = c.Module
	}
	return m, names
}

// moduleNames returns the call names of a module instance address:
// module.a["x"].module.b[0] → [a b].
func moduleNames(modAddr string) []string {
	var out []string
	segs := splitAddr(modAddr)
	for i := 0; i+1 < len(segs); i += 2 {
		if segs[i] != "module" {
			break
		}
		out = append(out, baseName(segs[i+1]))
	}
	return out
}

// splitAddr splits an address at the dots outside index brackets and
// quoted keys: module.a["x.y"].aws_s3_bucket.b → module, a["x.y"], aws_s3_bucket, b.
func splitAddr(a string) []string {
	var out []string
	start, depth, inStr := 0, 0, false
	for i := 0; i < len(a); i++ {
		switch c := a[i]; {
		case inStr:
			if c == '\\' {
				i++
			} else if c == '"' {
				inStr = false
			}
		case c == '"':
			inStr = true
		case c == '[':
			depth++
		case c == ']':
			depth--
		case c == '.' && depth == 0:
			out = append(out, a[start:i])
			start = i + 1
		}
	}
	if start < len(a) {
		out = append(out, a[start:])
	}
	return out
}

// baseName strips an index key: b["k"] → b.
func baseName(s string) string {
	if i := strings.IndexByte(s, '['); i >= 0 {
		return s[:i]
	}
	return s
}

// locate returns where r is declared: its block in the .tf files of its
// module's directory (reached from the JSON file's directory through the
// local sources of the module calls), with the call blocks outermost
// first; else the JSON file.
func (w *planWalk) locate(r *tfjson.StateResource, callNames []string, modAddr string) resource.Location {
	fallback := resource.Location{File: w.d.rel, Address: r.Address}
	dir := w.dir
	var calls []resource.Location
	var cm *tfjson.ConfigModule
	if w.config != nil {
		cm = w.config.RootModule
	}
	segs := splitAddr(modAddr)
	for i, name := range callNames {
		n := w.findBlock(dir, "module", "", name)
		if n == nil {
			return fallback
		}
		src := ""
		if cm != nil && cm.ModuleCalls[name] != nil {
			src = cm.ModuleCalls[name].Source
			cm = cm.ModuleCalls[name].Module
		} else {
			src = literalSource(n)
		}
		next := path.Join(dir, src)
		if !isLocalSource(src) {
			// A registry or git module where terraform init put it.
			if w.inst == nil {
				w.inst = readInstalled(w.l.root, w.dir)
			}
			if next, _ = w.inst.dir(strings.Join(callNames[:i+1], "."), src); next == "" {
				return fallback
			}
		}
		cl := blockLocation(n)
		cl.Address = strings.Join(segs[:2*(i+1)], ".")
		calls = append(calls, cl)
		dir = next
	}
	kind := "resource"
	if r.Mode == tfjson.DataResourceMode {
		kind = "data"
	}
	n := w.findBlock(dir, kind, r.Type, r.Name)
	if n == nil {
		return fallback
	}
	loc := blockLocation(n)
	loc.Address, loc.Calls = r.Address, calls
	return loc
}

// findBlock returns the block kind typ name declared in dir, nil when
// the directory does not declare it.
func (w *planWalk) findBlock(dir, kind, typ, name string) *node {
	if strings.HasPrefix(dir, "../") || dir == ".." {
		return nil // outside the scanned root
	}
	for _, n := range w.l.load(dir).blocks {
		if n.kind == kind && n.typ == typ && n.name == name {
			return n
		}
	}
	return nil
}

// literalSource returns a module call's source when it is a literal string.
func literalSource(n *node) string {
	a, ok := metaAttr(n.block.Body, "source")
	if !ok {
		return ""
	}
	v, diags := a.Expr.Value(nil)
	if diags.HasErrors() || !knownString(v) {
		return ""
	}
	return v.AsString()
}

// blockLocation is the location of a block: its file and first and last lines.
func blockLocation(n *node) resource.Location {
	loc := resource.Location{File: n.file, StartLine: n.block.DefRange.Start.Line, EndLine: n.block.DefRange.End.Line}
	if sb, ok := n.block.Body.(*hclsyntax.Body); ok {
		loc.EndLine = sb.SrcRange.End.Line
	}
	return loc
}

// exprRefs returns the resources an expression of the configuration
// section refers to (nested blocks included), as addresses in the module
// instance modAddr: the most precise reference to each resource (with its
// index when the expression names one).
func exprRefs(modAddr string, e *tfjson.Expression) []string {
	if e == nil {
		return nil
	}
	var raw []string
	var collect func(e *tfjson.Expression)
	collect = func(e *tfjson.Expression) {
		if e == nil {
			return
		}
		raw = append(raw, e.References...)
		for _, nb := range e.NestedBlocks {
			keys := make([]string, 0, len(nb))
			for k := range nb {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				collect(nb[k])
			}
		}
	}
	collect(e)
	seen := map[string]bool{}
	var out []string
	for _, s := range raw {
		a := refResource(s)
		if a == "" {
			continue
		}
		if modAddr != "" {
			a = modAddr + "." + a
		}
		if !seen[a] {
			seen[a] = true
			out = append(out, a)
		}
	}
	// Terraform lists aws_s3_bucket.b[0] and aws_s3_bucket.b: keep the
	// instance, which is what the expression designates.
	kept := out[:0]
	for _, a := range out {
		indexed := false
		for _, o := range out {
			if o != a && strings.HasPrefix(o, a+"[") {
				indexed = true
				break
			}
		}
		if !indexed {
			kept = append(kept, a)
		}
	}
	return kept
}

// refResource returns the resource (or module call) a reference of the
// configuration section names, "" for variables, locals and the like:
// aws_s3_bucket.b[0].id → aws_s3_bucket.b[0]; data.x.y.json → data.x.y.
func refResource(ref string) string {
	t, diags := hclsyntax.ParseTraversalAbs([]byte(ref), "", hcl.InitialPos)
	if diags.HasErrors() || len(t) < 2 {
		return ""
	}
	root := t.RootName()
	if isNamespace(root) && root != "module" && root != "data" {
		return ""
	}
	a, ok := t[1].(hcl.TraverseAttr)
	if !ok {
		return ""
	}
	addr, rest := root+"."+a.Name, t[2:]
	if root == "data" {
		if len(rest) == 0 {
			return ""
		}
		b, ok := rest[0].(hcl.TraverseAttr)
		if !ok {
			return ""
		}
		addr, rest = addr+"."+b.Name, rest[1:]
	}
	if len(rest) > 0 {
		if ix, ok := rest[0].(hcl.TraverseIndex); ok {
			addr += indexKey(ix.Key)
		}
	}
	return addr
}

// overlayUnknown marks the parts of v that after_unknown says are unknown
// (true) as tfmap.Unknown with refs; after_unknown mirrors the value's
// shape, and an unknown member is absent from the value.
func overlayUnknown(v, unk any, refs []string) any {
	switch u := unk.(type) {
	case bool:
		if u {
			return tfmap.Unknown{Refs: refs}
		}
	case map[string]any:
		m, _ := v.(map[string]any)
		if m == nil {
			if v != nil {
				return v
			}
			m = make(map[string]any, len(u))
		}
		for k, x := range u {
			m[k] = overlayUnknown(m[k], x, refs)
		}
		return m
	case []any:
		l, _ := v.([]any)
		if l == nil && v != nil {
			return v
		}
		for len(l) < len(u) {
			l = append(l, nil)
		}
		for i, x := range u {
			l[i] = overlayUnknown(l[i], x, refs)
		}
		return l
	}
	return v
}

// providerConfig returns the provider configuration of key (aws,
// aws.west, module.m:aws), nil when the configuration section lacks it.
func (w *planWalk) providerConfig(key string) *tfjson.ProviderConfig {
	if w.config == nil || key == "" {
		return nil
	}
	pc := w.config.ProviderConfigs[key]
	if pc == nil {
		if i := strings.LastIndexByte(key, ':'); i >= 0 {
			pc = w.config.ProviderConfigs[key[i+1:]]
		}
	}
	return pc
}

// providerValue is the value of a provider configuration's expression
// when it is a constant or a root variable whose value the plan has
// (a null cty value otherwise).
func (w *planWalk) providerValue(pc *tfjson.ProviderConfig, e *tfjson.Expression) cty.Value {
	none := cty.NullVal(cty.DynamicPseudoType)
	if e == nil {
		return none
	}
	v := e.ConstantValue
	if len(e.References) > 0 {
		v = nil
		if pc.ModuleAddress == "" && w.d.plan != nil && strings.HasPrefix(e.References[0], "var.") {
			if pv := w.d.plan.Variables[strings.TrimPrefix(e.References[0], "var.")]; pv != nil {
				v = pv.Value
			}
		}
	}
	switch x := v.(type) {
	case string:
		return cty.StringVal(x)
	case []any:
		if len(x) == 1 {
			if s, ok := x[0].(string); ok {
				return cty.ListVal([]cty.Value{cty.StringVal(s)})
			}
		}
		return cty.DynamicVal // more than one, or not text: not one account
	}
	return none
}

// providerRegion returns the region of the provider configuration key
// when the configuration sets it to a constant or to a root variable
// whose value the plan has.
func (w *planWalk) providerRegion(key string) string {
	pc := w.providerConfig(key)
	if pc == nil {
		return ""
	}
	for _, attr := range []string{"region", "location"} {
		if v := w.providerValue(pc, pc.Expressions[attr]); knownString(v) {
			return v.AsString()
		}
	}
	return ""
}

// providerAccountOf returns the account the provider configuration key
// deploys to (providerAccount), read as providerRegion reads the region.
func (w *planWalk) providerAccountOf(key string) string {
	pc := w.providerConfig(key)
	if pc == nil {
		return ""
	}
	var roles []cty.Value
	for _, b := range []string{"assume_role", "assume_role_with_web_identity"} {
		if e := pc.Expressions[b]; e != nil {
			for _, nb := range e.NestedBlocks {
				roles = append(roles, w.providerValue(pc, nb["role_arn"]))
			}
		}
	}
	return providerAccount(pc.Name, func(n string) cty.Value { return w.providerValue(pc, pc.Expressions[n]) }, roles)
}

// attrRegion returns a region the resource's own values say: a region or
// location attribute, else the region part of its ARN.
func attrRegion(attrs map[string]any) string {
	for _, k := range []string{"region", "location"} {
		if s, ok := attrs[k].(string); ok && s != "" {
			return s
		}
	}
	if s, ok := attrs["arn"].(string); ok {
		if p := strings.SplitN(s, ":", 5); len(p) == 5 && p[0] == "arn" {
			return p[3]
		}
	}
	return ""
}

// readPlanFile reads a plan or state JSON file under root, refusing one
// larger than maxPlanBytes.
func readPlanFile(root, rel string) ([]byte, error) {
	f, err := os.Open(filepath.Join(root, filepath.FromSlash(rel)))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	src, err := io.ReadAll(io.LimitReader(f, maxPlanBytes+1))
	if err != nil {
		return nil, err
	}
	if len(src) > maxPlanBytes {
		return nil, fmt.Errorf("file larger than %d MiB, not read", maxPlanBytes>>20)
	}
	return src, nil
}

// fillFromHCL replaces the attributes the plan has as wholly unknown with
// the partly known values HCL evaluated for the same instance, or its more
// precise references, and takes the provenance of the credential arguments
// whose value the plan and HCL agree on (tfmap.Instance.Written).
func fillFromHCL(insts []tfmap.Instance, known map[string]*tfmap.Instance) {
	for i := range insts {
		h := known[insts[i].Address]
		if h == nil {
			continue
		}
		// Where the plan has the value HCL evaluated for a credential
		// argument, HCL knows where it comes from.
		for k, w := range h.Written {
			if hv, ok := h.Attrs[k].(string); ok && insts[i].Attrs[k] == hv {
				if insts[i].Written == nil {
					insts[i].Written = map[string]bool{}
				}
				insts[i].Written[k] = w
			}
		}
		for k, v := range insts[i].Attrs {
			if _, unknown := v.(tfmap.Unknown); !unknown {
				continue
			}
			switch hv := h.Attrs[k].(type) {
			case map[string]any, []any:
				insts[i].Attrs[k] = hv
			case tfmap.Unknown:
				// HCL's references name instances (aws_s3_bucket.b[1]
				// for b[count.index]) where the plan's configuration
				// section names only aws_s3_bucket.b.
				if len(hv.Refs) > 0 {
					insts[i].Attrs[k] = hv
				}
			}
		}
	}
}
