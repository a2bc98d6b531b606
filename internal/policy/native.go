package policy

import (
	"crypto/sha256"
	"encoding/hex"
	"regexp"
	"strconv"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
)

// Native predicates: a function of a rule module (or of a library it
// imports) whose Rego text, fingerprinted with the functions it calls, is
// one the engine knows is computed in Go. A call of it on a reference,
// `f(<ref>)` or `not f(<ref>)`, is then a condition of the direct form: as
// in OPA, the call is undefined (even under not) when the reference is,
// and the function is false for a value that is not a string (its body
// starts with is_string). When a module's text differs (a rule rewrote
// its helper), the call is not in the direct form and OPA evaluates the
// rule, as before; TestNativePredicatesMatchOPA compares both over many
// spellings, TestNativePredicateFingerprints fails when the built-in
// rules' text moves away from the known one.

// A nativePred is a Rego function of one string computed in Go.
type nativePred struct {
	// deps are the functions whose definitions the fingerprint covers
	// (the function itself first).
	deps        []string
	fingerprint string
	eval        func(string) bool
}

// nativePreds are the known native predicates, by function name.
var nativePreds = map[string]nativePred{
	// weak_tls(v): a minimum TLS version below 1.2 ("1.0", "TLS1_1",
	// "TLSv1.1"...), as the load balancer, queue, CDN and API gateway
	// rules define it with regex.replace, regex.match and to_number.
	"weak_tls": {deps: []string{"weak_tls", "tls_number"}, fingerprint: "143edb068c21f57b29e96de47dfe47860f79df3b27bd0a4809a614840d03344c", eval: weakTLS},
}

// funcFingerprint is the fingerprint of the Rego text of the definitions
// of the functions names of a module (funcs: its functions by name).
func funcFingerprint(funcs map[string][]*ast.Rule, names []string) string {
	h := sha256.New()
	for _, name := range names {
		for _, r := range funcs[name] {
			if r.Location == nil {
				return ""
			}
			h.Write(r.Location.Text)
			h.Write([]byte{0})
		}
		h.Write([]byte{1})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// nativeFor returns the native predicate the function name of mod is, if
// any.
func nativeFor(mod *modCtx, name string) func(string) bool {
	np, ok := nativePreds[name]
	if !ok || funcFingerprint(mod.funcs, np.deps) != np.fingerprint {
		return nil
	}
	return np.eval
}

var (
	tlsPrefix     = regexp.MustCompile(`^(TLS)?V?_?`)
	tlsDecimal    = regexp.MustCompile(`^[0-9]+(\.[0-9]+)?$`)
	tlsUnderscore = regexp.MustCompile(`^[0-9]+_[0-9]+$`)
)

// weakTLS is
//
//	weak_tls(v) if {
//		is_string(v)
//		n := tls_number(v)
//		n < 1.2
//	}
//
//	tls_number(v) := to_number(m) if {
//		m := regex.replace(upper(v), `^(TLS)?V?_?`, "")
//		regex.match(`^[0-9]+(\.[0-9]+)?$`, m)
//	} else := to_number(concat(".", split(m, "_"))) if {
//		m := regex.replace(upper(v), `^(TLS)?V?_?`, "")
//		regex.match(`^[0-9]+_[0-9]+$`, m)
//	}
//
// on a string: OPA's regex built-ins are Go's regexp, to_number fails (the
// link is undefined, so is the next) where strconv.ParseFloat does, and
// numbers compare as ast.NumberCompare compares them.
func weakTLS(v string) bool {
	m := tlsPrefix.ReplaceAllString(strings.ToUpper(v), "")
	var num string
	switch {
	case tlsDecimal.MatchString(m):
		num = m
	case tlsUnderscore.MatchString(m):
		num = strings.Join(strings.Split(m, "_"), ".")
	default:
		return false
	}
	if _, err := strconv.ParseFloat(num, 64); err != nil {
		return false
	}
	if _, err := ast.NumberChecked(num); err != nil {
		return false
	}
	return ast.NumberCompare(ast.Number(num), ast.Number("1.2")) < 0
}
