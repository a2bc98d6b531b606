package cloudformation

import (
	"regexp"
	"strings"

	"github.com/vigil-sec/vigil/internal/resource"
)

// dbCredentials sets the database's credentials-in-source facts from the
// password properties of r, as the Terraform mapping does: true when one
// holds a value written in the template (a literal, a parameter's Default,
// a mapping), false when each present one comes from elsewhere (a dynamic
// reference {{resolve:secretsmanager:...}}, a --parameter value, another
// resource, a parameter without value) or none is set (ManageMasterUserPassword),
// nil when that cannot be told.
func (m *mapper) dbCredentials(d *resource.Database, r *res, props ...string) {
	var names []string
	undecided := false
	for _, k := range props {
		raw, given := r.raw.props[k]
		if !given {
			continue
		}
		if s, isStr := r.p[k].(string); isStr && s == "" {
			continue // no password
		}
		switch w, decided := m.written(raw, 0); {
		case !decided:
			undecided = true
		case w:
			names = append(names, k)
		}
	}
	switch {
	case len(names) > 0:
		d.CredentialsInSource, d.CredentialArguments = boolp(true), names
	case !undecided:
		d.CredentialsInSource = boolp(false)
	}
}

var subRefRE = regexp.MustCompile(`\$\{([^!}][^}]*)\}`)

// written reports whether the raw property value v is written in the
// template (see dbCredentials); decided is false when that cannot be told.
func (m *mapper) written(v any, depth int) (written, decided bool) {
	if depth > 32 {
		return false, false
	}
	all := func(xs []any) (bool, bool) {
		w, d := true, true
		for _, x := range xs {
			xw, xd := m.written(x, depth+1)
			if xd && !xw {
				return false, true
			}
			w, d = w && xw, d && xd
		}
		return w, d
	}
	switch t := v.(type) {
	case string:
		if strings.Contains(t, "{{resolve:") {
			return false, true // a dynamic reference to a secret store
		}
		return true, true
	case bool, float64, int, nil:
		return true, true
	case []any:
		return all(t)
	case map[string]any:
		if len(t) != 1 {
			return false, false
		}
		for fn, arg := range t {
			switch fn {
			case "Ref":
				name, _ := arg.(string)
				return m.refWritten(name)
			case "Fn::GetAtt", "Fn::ImportValue", "Fn::GetAZs", "Fn::Cidr":
				return false, true // another resource or stack
			case "Fn::FindInMap", "Fn::Join", "Fn::Select", "Fn::Split", "Fn::Base64", "Fn::If":
				l, isList := arg.([]any)
				if !isList {
					return m.written(arg, depth+1)
				}
				if fn == "Fn::If" && len(l) == 3 {
					l = l[1:] // the condition's name is no value
				}
				return all(l)
			case "Fn::Sub":
				var s string
				var vars map[string]any
				switch a := arg.(type) {
				case string:
					s = a
				case []any:
					if len(a) > 0 {
						s, _ = a[0].(string)
					}
					if len(a) > 1 {
						vars, _ = a[1].(map[string]any)
					}
				}
				if strings.Contains(s, "{{resolve:") {
					return false, true
				}
				w, d := true, true
				for _, mm := range subRefRE.FindAllStringSubmatch(s, -1) {
					name := mm[1]
					var xw, xd bool
					if x, local := vars[name]; local {
						xw, xd = m.written(x, depth+1)
					} else if strings.Contains(name, ".") {
						xw, xd = false, true // ${Resource.Attr}
					} else {
						xw, xd = m.refWritten(name)
					}
					if xd && !xw {
						return false, true
					}
					w, d = w && xw, d && xd
				}
				return w, d
			}
		}
	}
	return false, false
}

// refWritten: a parameter given at scan time is not written; one taken
// from its Default is; a pseudo parameter is the stack's; a resource is not.
func (m *mapper) refWritten(name string) (bool, bool) {
	if strings.HasPrefix(name, "AWS::") {
		return true, true
	}
	if m.nest != nil {
		if wd, given := m.nest.written[name]; given {
			return wd[0], wd[1] // as the parent stack writes it
		}
	} else if _, given := m.opts.Parameters[name]; given {
		return false, true
	}
	if p, ok := m.params[name]; ok {
		if d, def := p["Default"]; def {
			return m.written(d, 0) // a dynamic reference is not written
		}
		return false, true
	}
	return false, true // a resource
}
