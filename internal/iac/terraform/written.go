package terraform

import (
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
)

// credentialName reports whether an argument's name says it holds a
// credential (password, admin_password, administrator_login_password,
// master_password, root_password, auth_token, secret...): only those are
// given a provenance (tfmap.Instance.Written), which is all the mappings
// ask of it.
func credentialName(n string) bool {
	return strings.Contains(n, "password") || strings.Contains(n, "secret") || strings.HasSuffix(n, "token")
}

// written reports whether the value of expr comes only from what the
// configuration's own files say: literals, variable defaults and the
// tfvars Terraform loads by itself (terraform.tfvars, *.auto.tfvars), and
// locals and module inputs made of those. A value supplied at scan time
// (--var, --var-file), read from a resource, a data source or a module's
// output (a random_password, a secret manager's secret version) is not.
func (e *evaluator) written(s *scope, expr hcl.Expression) bool {
	return e.writtenTraversals(s, expr.Variables(), map[string]bool{})
}

func (e *evaluator) writtenTraversals(s *scope, ts []hcl.Traversal, seen map[string]bool) bool {
	for _, t := range ts {
		switch root := t.RootName(); root {
		case "each", "count", "path", "terraform", "self":
		case "var":
			if n := attrName(t); n == "" || s.c.supplied[n] {
				return false
			}
		case "local":
			n := attrName(t)
			if n == "" || !e.writtenLocal(s, n, seen) {
				return false
			}
		default:
			return false // a resource, data source or module output
		}
	}
	return true
}

// writtenLocal is written for the expression of the local value name; a
// local in a cycle is not written.
func (e *evaluator) writtenLocal(s *scope, name string, seen map[string]bool) bool {
	if w, ok := s.writtenLocals[name]; ok {
		return w
	}
	if seen[name] {
		return false
	}
	seen[name] = true
	w := false
	for _, a := range s.m.locals {
		if a.Name == name {
			w = e.writtenTraversals(s, a.Expr.Variables(), seen)
			break
		}
	}
	if s.writtenLocals == nil {
		s.writtenLocals = map[string]bool{}
	}
	s.writtenLocals[name] = w
	return w
}

// attrName is the name after the root of var.x or local.x.
func attrName(t hcl.Traversal) string {
	if len(t) < 2 {
		return ""
	}
	if a, ok := t[1].(hcl.TraverseAttr); ok {
		return a.Name
	}
	return ""
}

// writtenArgs returns, for the top-level arguments of body named like a
// credential whose evaluated value is a known string, whether it is
// written in the configuration (see written).
func (e *evaluator) writtenArgs(s *scope, body hcl.Body, vals map[string]cty.Value) map[string]bool {
	var out map[string]bool
	add := func(n string, expr hcl.Expression) {
		if !credentialName(n) {
			return
		}
		v, _ := vals[n].Unmark()
		if v == cty.NilVal || !v.IsKnown() || v.IsNull() || v.Type() != cty.String {
			return
		}
		if out == nil {
			out = map[string]bool{}
		}
		out[n] = e.written(s, expr)
	}
	if sb, ok := body.(*hclsyntax.Body); ok {
		for n, a := range sb.Attributes { // no map built per instance
			add(n, a.Expr)
		}
		return out
	}
	for n, a := range metaAttrs(body) {
		add(n, a.Expr)
	}
	return out
}

// scriptName reports whether an argument holds a boot script (user_data,
// user_data_base64, custom_data, metadata_startup_script): a template of
// one known in part is given as text (tfmap.Unknown.Text).
func scriptName(n string) bool {
	return strings.Contains(n, "user_data") || strings.Contains(n, "custom_data") || strings.Contains(n, "startup_script")
}

// partialText renders the string template of the top-level argument name
// of body with its known parts and ${...} for the others, "" when the
// argument is not a template.
func (e *evaluator) partialText(s *scope, body hcl.Body, name string, iter map[string]cty.Value) string {
	sb, ok := body.(*hclsyntax.Body)
	if !ok {
		return ""
	}
	a := sb.Attributes[name]
	if a == nil {
		return ""
	}
	t, ok := a.Expr.(*hclsyntax.TemplateExpr)
	if !ok {
		return ""
	}
	// The parts were evaluated with the whole: their problems are
	// reported once.
	defer func(n int) { e.problems = e.problems[:n] }(len(e.problems))
	var b strings.Builder
	for _, p := range t.Parts {
		v, _ := e.eval(s, p, iter).Unmark()
		if v.IsKnown() && !v.IsNull() {
			if sv, err := convert.Convert(v, cty.String); err == nil && sv.IsKnown() && !sv.IsNull() {
				b.WriteString(sv.AsString())
				continue
			}
		}
		b.WriteString("${...}")
	}
	return b.String()
}
