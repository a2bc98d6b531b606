package cloudformation

import (
	"path"
	"slices"
	"strings"

	"github.com/vigil-sec/vigil/internal/source"
)

// maxNesting bounds a chain of nested stacks.
const maxNesting = 8

// nest is a nested stack's template being read in its parent's batch: an
// AWS::CloudFormation::Stack (or SAM AWS::Serverless::Application) whose
// TemplateURL (Location) is a template of the scanned tree, as written
// before `aws cloudformation package` uploads it. Its resources are the
// parent's stack's, judged with the parameters the parent passes.
type nest struct {
	// id is the nested stack resource's ID in its parent; addr its address.
	id, addr string
	// values are the parameters passed, evaluated in the parent (a value
	// known only at deploy is unknown); written says, per parameter, whether
	// the parent writes its value (credentials.go).
	values  map[string]any
	written map[string][2]bool
	// chain holds the templates from the outermost stack to this one.
	chain []string
	// alarms collects the CIS metric filter and alarm inputs of every
	// template of the outermost stack (alarms.go), judged together.
	alarms *alarmInputs
}

// nestedTemplate is the template file (relative to the scanned root) that
// the nested stack resource r deploys, "" when r is not one or its template
// is not a local file (an S3 or HTTPS URL, a Serverless Application
// Repository application, a value known only at deploy).
func (m *mapper) nestedTemplate(r *res) string {
	var loc any
	switch r.typ() {
	case "AWS::CloudFormation::Stack":
		loc = r.p["TemplateURL"]
	case "AWS::Serverless::Application":
		loc = r.p["Location"]
	default:
		return ""
	}
	s, ok := loc.(string)
	if !ok || s == "" || strings.Contains(s, "://") || strings.Contains(s, ".amazonaws.com") {
		return ""
	}
	s = strings.TrimPrefix(s, "file://")
	if path.IsAbs(s) {
		return ""
	}
	p := path.Clean(path.Join(path.Dir(m.file), s))
	if p == ".." || strings.HasPrefix(p, "../") {
		return "" // outside the scanned tree
	}
	return p
}

// nested reads, in place, the template of the nested stack resource r (if
// it is one with a local template): its resources join batch under r's
// address ("Parent > Child"), located in their own file.
func (m *mapper) nested(r *res, batch *source.Batch) {
	file := m.nestedTemplate(r)
	if file == "" {
		return
	}
	var chain []string
	if m.nest != nil {
		chain = m.nest.chain
	} else {
		chain = []string{m.file}
	}
	m.cur = r
	defer func() { m.cur = nil }()
	if slices.Contains(chain, file) || len(chain) >= maxNesting {
		m.problem("TemplateURL", "nested stack template %s: a cycle or more than %d nested levels; not read", file, maxNesting)
		return
	}
	data, err := m.opts.load(file)
	if err != nil {
		m.problem("TemplateURL", "nested stack template %s: %v; its resources are not scanned", file, err)
		m.probs[len(m.probs)-1].Warning = true
		return
	}
	n := &nest{id: m.rid(r.id()), addr: m.addr(r.id()), values: map[string]any{}, written: map[string][2]bool{},
		chain: append(slices.Clip(chain), file), alarms: m.alarms}
	params, _ := r.p["Parameters"].(map[string]any)
	raw, _ := r.raw.props["Parameters"].(map[string]any)
	for k, v := range params {
		n.values[k] = m.foreign(v, 0)
		w, d := m.written(raw[k], 0)
		n.written[k] = [2]bool{w, d}
	}
	opts := m.opts
	opts.StackName = "" // the nested stack's name is made at deploy
	r.joined = true
	m.reached = append(append(m.reached, file), read(file, data, opts, n, batch)...)
}

// addr is the address of a logical ID of the template: after the nested
// stack resource's address and " > " in a nested stack.
func (m *mapper) addr(id string) string {
	if m.nest != nil {
		return m.nest.addr + " > " + id
	}
	return id
}

// foreign is a value of m's template as a nested template sees it: its
// unknowns name no resource of the nested template, and keep the
// resources they come from as outer resource IDs.
func (m *mapper) foreign(v any, depth int) any {
	if depth > maxDepth {
		return open("")
	}
	switch t := v.(type) {
	case *unknown:
		u := &unknown{open: t.open, text: t.text, outer: slices.Clone(t.outer)}
		for _, r := range t.refs {
			u.outer = append(u.outer, m.rid(r))
		}
		return u
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, x := range t {
			out[k] = m.foreign(x, depth+1)
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, x := range t {
			out[i] = m.foreign(x, depth+1)
		}
		return out
	}
	return v
}
