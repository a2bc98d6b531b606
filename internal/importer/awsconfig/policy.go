package awsconfig

import (
	"net/url"
	"strings"

	"github.com/vigil-sec/vigil/internal/importer/internal/attr"
)

// policyDoc decodes an IAM policy document given as an object, a JSON string
// or a URL-encoded JSON string (as AWS Config writes IAM policy documents).
// It returns the statements, or nil when v is not a policy.
func policyDoc(v any) []attr.M {
	doc := attr.AsObj(v)
	if doc == nil {
		if s, ok := v.(string); ok && strings.HasPrefix(strings.TrimSpace(s), "%7B") {
			if dec, err := url.PathUnescape(s); err == nil {
				doc = attr.AsObj(dec)
			}
		}
	}
	if doc == nil {
		return nil
	}
	st, ok := attr.Get(doc, "Statement")
	if !ok {
		return []attr.M{}
	}
	if o := attr.AsObj(st); o != nil {
		return []attr.M{o}
	}
	return attr.Objs(doc, "Statement")
}

func effect(s attr.M) string { return strings.ToLower(attr.Str(s, "Effect")) }

func hasCondition(s attr.M) bool {
	c := attr.Obj(s, "Condition")
	return len(c) > 0
}

// strOrList reads a string-or-array field.
func strOrList(s attr.M, key string) []string { return attr.Strs(s, key) }

// grantsAdmin reports whether a policy has an Allow statement with action
// "*" on resource "*".
func grantsAdmin(stmts []attr.M) bool {
	for _, s := range stmts {
		if effect(s) != "allow" {
			continue
		}
		if contains(strOrList(s, "Action"), "*", "*:*") && contains(strOrList(s, "Resource"), "*") {
			return true
		}
	}
	return false
}

// principals returns the principal values of a statement: "*" for a bare
// "*" principal, else the AWS/Federated/Service values.
func principals(s attr.M, kinds ...string) []string {
	v, ok := attr.Get(s, "Principal")
	if !ok {
		return nil
	}
	if str, ok := v.(string); ok {
		return []string{str}
	}
	o := attr.AsObj(v)
	var out []string
	for _, k := range kinds {
		out = append(out, attr.Strs(o, k)...)
	}
	return out
}

// publicStatement reports whether the policy allows anyone ("*" principal)
// without a condition.
func publicPolicy(stmts []attr.M) bool {
	for _, s := range stmts {
		if effect(s) != "allow" || hasCondition(s) {
			continue
		}
		if contains(principals(s, "AWS", "CanonicalUser"), "*") {
			return true
		}
	}
	return false
}

// denyInsecureTransport reports whether the policy denies requests with
// aws:SecureTransport false.
func denyInsecureTransport(stmts []attr.M) bool {
	for _, s := range stmts {
		if effect(s) != "deny" {
			continue
		}
		for _, op := range []string{"Bool", "BoolIfExists"} {
			v := attr.Str(attr.Obj(s, "Condition", op), "aws:SecureTransport")
			if strings.EqualFold(v, "false") {
				return true
			}
			if vs := attr.Strs(attr.Obj(s, "Condition", op), "aws:SecureTransport"); contains(vs, "false") {
				return true
			}
		}
	}
	return false
}

// externalTrust lists the principals of a trust policy outside account acct:
// "*" and other accounts' ARNs or IDs.
func externalTrust(stmts []attr.M, acct string) []string {
	var out []string
	for _, s := range stmts {
		if effect(s) != "allow" {
			continue
		}
		for _, p := range principals(s, "AWS") {
			if p == "*" {
				out = append(out, p)
				continue
			}
			if a := accountOf(p); a != "" && a != acct {
				out = append(out, p)
			}
		}
	}
	return out
}

// accountOf returns the account of an ARN or a bare 12-digit account ID.
func accountOf(s string) string {
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

func contains(list []string, vals ...string) bool {
	for _, s := range list {
		for _, v := range vals {
			if s == v {
				return true
			}
		}
	}
	return false
}
