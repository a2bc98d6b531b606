package arm

import (
	"strings"

	"github.com/vigil-sec/vigil/internal/resource"
)

// adminPasswordTypes are the types (lower-case) whose properties take an
// administrator password (administratorLoginPassword).
var adminPasswordTypes = map[string]bool{
	"microsoft.sql/servers":                     true,
	"microsoft.dbforpostgresql/servers":         true,
	"microsoft.dbforpostgresql/flexibleservers": true,
	"microsoft.dbformysql/servers":              true,
	"microsoft.dbformysql/flexibleservers":      true,
	"microsoft.dbformariadb/servers":            true,
}

// dbCredentials sets the database's credentials-in-source facts, as the
// Terraform and CloudFormation mappings do: true when the administrator
// password is written in the template (a literal, a parameter's
// defaultValue, a variable made of those), false when it comes from
// elsewhere (a parameters file or --parameter, a Key Vault reference, a
// secure parameter without default, reference() or list*()) or is not
// set, nil when that cannot be told (a parameter a nested deployment is
// given).
func dbCredentials(d *resource.Database, in *instance) {
	pw := in.n.get("properties").get("administratorLoginPassword")
	if pw == nil {
		d.CredentialsInSource = resource.Bool(false)
		return
	}
	if pw.kind == jString && pw.str == "" {
		d.CredentialsInSource = resource.Bool(false)
		return
	}
	switch w, decided := nodeWritten(in.t, pw, 0); {
	case !decided:
	case w:
		d.CredentialsInSource, d.CredentialArguments = resource.Bool(true), []string{"administratorLoginPassword"}
	default:
		d.CredentialsInSource = resource.Bool(false)
	}
}

// nodeWritten reports whether a template value is written in the template.
func nodeWritten(t *template, n *jnode, depth int) (written, decided bool) {
	if n == nil || depth > maxNesting {
		return false, false
	}
	switch n.kind {
	case jString:
		if !isExpression(n.str) {
			return true, true
		}
		e, err := parseExpr(n.str)
		if err != nil {
			return false, false
		}
		return exprWritten(t, e, depth+1)
	case jObject, jArray:
		w, d := true, true
		for _, v := range n.vals {
			vw, vd := nodeWritten(t, v, depth+1)
			if vd && !vw {
				return false, true
			}
			w, d = w && vw, d && vd
		}
		return w, d
	}
	return true, true
}

func exprWritten(t *template, e expr, depth int) (written, decided bool) {
	if depth > maxNesting {
		return false, false
	}
	switch x := e.(type) {
	case *litExpr:
		return true, true
	case *propExpr:
		return exprWritten(t, x.obj, depth+1)
	case *indexExpr:
		w, d := exprWritten(t, x.obj, depth+1)
		if d && !w {
			return false, true
		}
		iw, id := exprWritten(t, x.idx, depth+1)
		return w && iw, d && id
	case *callExpr:
		name := x.name
		switch {
		case name == "parameters" || name == "variables":
			if len(x.args) != 1 {
				return false, false
			}
			l, ok := x.args[0].(*litExpr)
			key, isStr := "", false
			if ok {
				key, isStr = l.v.(string)
			}
			if !isStr {
				return false, false
			}
			key = strings.ToLower(key)
			if name == "variables" {
				return nodeWritten(t, t.vars[key], depth+1)
			}
			pt := t.paramTarget()
			if _, given := pt.params[key]; given {
				if len(pt.calls) > 0 {
					return false, false // a nested deployment's parameter
				}
				return false, true // a parameters file, --parameter, a Key Vault reference
			}
			decl := pt.pdecl[key]
			if d := decl.get("defaultValue"); d != nil {
				return nodeWritten(pt, d, depth+1)
			}
			return false, true // no value before deployment
		case name == "reference" || strings.HasPrefix(name, "list"):
			return false, true // read from a deployed resource
		}
		w, d := true, true
		for _, a := range x.args {
			aw, ad := exprWritten(t, a, depth+1)
			if ad && !aw {
				return false, true
			}
			w, d = w && aw, d && ad
		}
		return w, d
	}
	return false, false
}
