package awspolicy

import (
	"strings"

	"github.com/vigil-sec/vigil/internal/resource"
)

// usable reports whether d is a document questions can be answered from.
func usable(d *resource.PolicyDocument) bool { return d != nil && d.Error == "" }

// Admin reports whether the document grants full administrator access: an
// Allow statement with Action "*" (or "*:*") on Resource "*", not written
// with NotAction or NotResource, that no unconditional Deny of "*" on "*"
// takes back. Conditions on the Allow do not change the answer (an admin
// grant behind MFA is still an admin grant). Nil when d is nil or did not
// parse.
func Admin(d *resource.PolicyDocument) *bool {
	if !usable(d) {
		return nil
	}
	allow, deny := false, false
	for _, s := range d.Statements {
		if !has(s.Actions, "*", "*:*") || !has(s.Resources, "*") {
			continue
		}
		switch s.Effect {
		case "Allow":
			allow = true
		case "Deny":
			if len(s.Conditions) == 0 {
				deny = true
			}
		}
	}
	return resource.Bool(allow && !deny)
}

// AnyAdmin combines Admin over several documents: true when one grants
// admin, nil when none does but one is unknown, false otherwise.
func AnyAdmin(docs ...*resource.PolicyDocument) *bool {
	unknown := false
	for _, d := range docs {
		a := Admin(d)
		switch {
		case a == nil:
			unknown = true
		case *a:
			return resource.Bool(true)
		}
	}
	if unknown {
		return nil
	}
	return resource.Bool(false)
}

// IsAnyone reports whether a principal is everyone: "*" or {"AWS": "*"}
// (or a CanonicalUser "*").
func IsAnyone(p resource.Principal) bool {
	return p.ID == "*" && (p.Type == "*" || p.Type == "AWS" || p.Type == "CanonicalUser")
}

// Public reports whether a resource policy allows anyone ("*" principal)
// some action without a condition. A statement with a condition (source
// account, VPC endpoint, organization ID) is not counted. Nil when d is
// nil or did not parse.
func Public(d *resource.PolicyDocument) *bool {
	if !usable(d) {
		return nil
	}
	for _, s := range d.Statements {
		if s.Effect != "Allow" || len(s.Conditions) > 0 {
			continue
		}
		for _, p := range s.Principals {
			if IsAnyone(p) {
				return resource.Bool(true)
			}
		}
		// NotPrincipal with Allow grants everyone but the listed principals.
		if len(s.NotPrincipals) > 0 {
			return resource.Bool(true)
		}
	}
	return resource.Bool(false)
}

// DeniesInsecureTransport reports whether the document denies requests
// made without TLS (a Deny with Bool / BoolIfExists aws:SecureTransport
// false). Nil when d is nil or did not parse.
func DeniesInsecureTransport(d *resource.PolicyDocument) *bool {
	if !usable(d) {
		return nil
	}
	for _, s := range d.Statements {
		if s.Effect != "Deny" {
			continue
		}
		for _, c := range s.Conditions {
			if (c.Operator == "Bool" || c.Operator == "BoolIfExists") && strings.EqualFold(c.Key, "aws:SecureTransport") {
				for _, v := range c.Values {
					if strings.EqualFold(v, "false") {
						return resource.Bool(true)
					}
				}
			}
		}
	}
	return resource.Bool(false)
}

// ExternalPrincipals lists the AWS principals an Allow statement names
// outside account acct: "*" and other accounts' ARNs or IDs. Services and
// federated providers are not listed.
func ExternalPrincipals(d *resource.PolicyDocument, acct string) []string {
	if !usable(d) {
		return nil
	}
	var out []string
	for _, s := range d.Statements {
		if s.Effect != "Allow" {
			continue
		}
		for _, p := range s.Principals {
			if p.Type != "AWS" && p.Type != "*" {
				continue
			}
			if p.ID == "*" {
				out = append(out, p.ID)
				continue
			}
			if a := AccountOf(p.ID); a != "" && a != acct {
				out = append(out, p.ID)
			}
		}
	}
	return out
}

// AccountOf returns the account of an ARN or a bare 12-digit account ID.
func AccountOf(s string) string {
	if isAccountID(s) {
		return s
	}
	parts := strings.SplitN(s, ":", 6)
	if len(parts) == 6 && parts[0] == "arn" && isAccountID(parts[4]) {
		return parts[4]
	}
	return ""
}

func isAccountID(s string) bool {
	if len(s) != 12 {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

func has(list []string, vals ...string) bool {
	for _, s := range list {
		for _, v := range vals {
			if s == v {
				return true
			}
		}
	}
	return false
}
