package policy

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"math/big"
	"net"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/gobwas/glob"
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
	// args, when eval is nil, reads the module's constants the predicate
	// is made of (false when they are not of the form it reads), and make
	// makes it from them: a rule's form built at build time (forms.go)
	// holds the constants and makes the predicate again.
	args func(mod *modCtx) ([][]string, bool)
	make func(args [][]string) func(string) bool
}

// A natCall is a native predicate as a condition holds it: its name, the
// module's constants it was made of and the predicate.
type natCall struct {
	name string
	args [][]string
	fn   func(string) bool
}

// newNatCall makes the native predicate name of constants args (nil when
// name is not one, or args are not what it reads).
func newNatCall(name string, args [][]string) *natCall {
	np, ok := nativePreds[name]
	switch {
	case !ok:
		return nil
	case np.eval != nil:
		if len(args) != 0 {
			return nil
		}
		return &natCall{name: name, fn: np.eval}
	}
	fn := np.make(args)
	if fn == nil {
		return nil
	}
	return &natCall{name: name, args: args, fn: fn}
}

// nativePreds are the known native predicates, by function name.
var nativePreds = map[string]nativePred{
	// weak_tls(v): a minimum TLS version below 1.2 ("1.0", "TLS1_1",
	// "TLSv1.1"...), as the load balancer, queue, CDN and API gateway
	// rules define it with regex.replace, regex.match and to_number.
	"weak_tls": {deps: []string{"weak_tls", "tls_number"}, fingerprint: "143edb068c21f57b29e96de47dfe47860f79df3b27bd0a4809a614840d03344c", eval: weakTLS},
	// escalating(a): the action a, lower-cased, is one of the module's set
	// escalation, or a pattern with * or ? that glob.match (no
	// delimiters) matches to one (iam-policy-privilege-escalation).
	"escalating": {deps: []string{"escalating", "wildcard"}, fingerprint: "d8187ea90dd6b47a645d6d029d87e4e05d76b0b253402301c52f27f8a508f8e1", args: setsArgs("escalation"), make: escalatingPred},
	// grants(p): the Azure operation pattern p (* wildcards,
	// case-insensitive) matches the module's constant azure_grant
	// (role-custom-iam-admin).
	"grants": {deps: []string{"grants"}, fingerprint: "2e6282e0a842a1c678548bacd08f8c107e6b0a869a60d73505dd95c0c33f74cd", args: grantsArgs, make: grantsPred},
	// confidential_type(mt): the machine type's family (before the first
	// "-") is one of the module's set confidential_families
	// (gcp-instance-confidential-computing-disabled).
	"confidential_type": {deps: []string{"confidential_type"}, fingerprint: "645cf330e5d5364f4c2f7cf202e99a99d33bc283e8f0c9d3919815ed09ac4c9b", args: setsArgs("confidential_families"), make: confidentialTypePred},
	// outside_google(s): an address or a range that none of the module's
	// sets google_ranges and private_ranges contains, as net.cidr_contains
	// reads them (gcp-firewall-not-google-sources-only).
	"outside_google": {deps: []string{"outside_google", "address", "within"}, fingerprint: "8da3b542494f6bc5d3d573fcf3d96a435280eba31545d59e557eadc853cd7707", args: setsArgs("google_ranges", "private_ranges"), make: outsideGooglePred},
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
func nativeFor(mod *modCtx, name string) *natCall {
	np, ok := nativePreds[name]
	if !ok || funcFingerprint(mod.funcs, np.deps) != np.fingerprint {
		return nil
	}
	if np.eval != nil {
		return newNatCall(name, nil)
	}
	args, ok := np.args(mod)
	if !ok {
		return nil
	}
	return newNatCall(name, args)
}

// setsArgs reads the module's constant sets of strings names, in order.
func setsArgs(names ...string) func(mod *modCtx) ([][]string, bool) {
	return func(mod *modCtx) ([][]string, bool) {
		out := make([][]string, len(names))
		for i, name := range names {
			vals, ok := mod.valueSets[name]
			if !ok {
				return nil, false
			}
			for _, v := range vals {
				s, ok := v.(ast.String)
				if !ok {
					return nil, false
				}
				out[i] = append(out[i], string(s))
			}
		}
		return out, true
	}
}

// grantsArgs reads the module's constant string azure_grant.
func grantsArgs(mod *modCtx) ([][]string, bool) {
	s, ok := mod.strs["azure_grant"]
	if !ok {
		return nil, false
	}
	return [][]string{{string(s)}}, true
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

// escalatingPred is
//
//	escalating(a) if lower(a) in escalation
//
//	escalating(a) if {
//		p := lower(a)
//		wildcard(p)
//		some e in escalation
//		glob.match(p, null, e)
//	}
//
//	wildcard(p) if contains(p, "*")
//
//	wildcard(p) if contains(p, "?")
//
// over the module's constant set of strings escalation: OPA's lower is
// strings.ToLower, and glob.match compiles the pattern with gobwas/glob
// and no delimiters (a pattern that does not compile is undefined).
func escalatingPred(args [][]string) func(string) bool {
	if len(args) != 1 {
		return nil
	}
	list := args[0]
	set := make(map[string]bool, len(list))
	for _, s := range list {
		set[s] = true
	}
	return func(a string) bool {
		p := strings.ToLower(a)
		if set[p] {
			return true
		}
		if !strings.Contains(p, "*") && !strings.Contains(p, "?") {
			return false
		}
		g, err := globs.compile(p)
		if err != nil {
			return false
		}
		for _, e := range list {
			if g.Match(e) {
				return true
			}
		}
		return false
	}
}

// grantsPred is
//
//	grants(p) if lower(p) == azure_grant
//
//	grants(p) if {
//		contains(p, "*")
//		regex.match(sprintf("^%s$", [replace(replace(lower(p), ".", "\\."), "*", ".*")]), azure_grant)
//	}
//
// over the module's constant string azure_grant: OPA's lower is
// strings.ToLower, replace strings.ReplaceAll, and regex.match compiles
// the pattern with Go's regexp (a pattern that does not compile is an
// error, so the link is undefined: false).
func grantsPred(args [][]string) func(string) bool {
	if len(args) != 1 || len(args[0]) != 1 {
		return nil
	}
	grant := args[0][0]
	return func(p string) bool {
		l := strings.ToLower(p)
		if l == grant {
			return true
		}
		if !strings.Contains(p, "*") {
			return false
		}
		re, err := regexps.compile("^" + strings.ReplaceAll(strings.ReplaceAll(l, ".", "\\."), "*", ".*") + "$")
		return err == nil && re.MatchString(grant)
	}
}

// confidentialTypePred is
//
//	confidential_type(mt) if split(mt, "-")[0] in confidential_families
//
// over the module's constant set of strings confidential_families: OPA's
// split is strings.Split, whose first element is what precedes the first
// "-" (the whole string without one).
func confidentialTypePred(args [][]string) func(string) bool {
	if len(args) != 1 {
		return nil
	}
	set := make(map[string]bool, len(args[0]))
	for _, s := range args[0] {
		set[s] = true
	}
	return func(mt string) bool {
		family, _, _ := strings.Cut(mt, "-")
		return set[family]
	}
}

// outsideGooglePred is
//
//	outside_google(s) if {
//		address(s)
//		not within(s, google_ranges)
//		not within(s, private_ranges)
//	}
//
//	address(s) if {
//		not contains(s, "@")
//		regex.match(`^[0-9A-Fa-f:.]+(/[0-9]{1,3})?$`, s)
//		contains(s, ".")
//	}
//
//	address(s) if {
//		not contains(s, "@")
//		regex.match(`^[0-9A-Fa-f:.]+(/[0-9]{1,3})?$`, s)
//		contains(s, ":")
//	}
//
//	within(s, ranges) if {
//		some c in ranges
//		net.cidr_contains(c, s)
//	}
//
// over the module's constant sets of strings google_ranges and
// private_ranges: a range that does not parse makes cidr_contains an error
// (undefined, so it contains nothing), as does a source that is neither an
// address nor a range (cidrContains).
func outsideGooglePred(args [][]string) func(string) bool {
	if len(args) != 2 {
		return nil
	}
	var ranges []*net.IPNet
	for _, set := range args {
		for _, s := range set {
			if _, n, err := net.ParseCIDR(s); err == nil {
				ranges = append(ranges, n)
			}
		}
	}
	return func(s string) bool {
		if strings.Contains(s, "@") || !sourceAddress.MatchString(s) || !strings.Contains(s, ".") && !strings.Contains(s, ":") {
			return false
		}
		in := cidrContainer(s)
		for _, a := range ranges {
			if in(a) {
				return false
			}
		}
		return true
	}
}

var sourceAddress = regexp.MustCompile(`^[0-9A-Fa-f:.]+(/[0-9]{1,3})?$`)

// cidrContainer returns whether net.cidr_contains(a, s) is true for a
// range a, as OPA computes it (topdown/cidr.go): s is an address when
// net.ParseIP reads it, else a range (net.ParseCIDR), else an error
// (false for every a); two IPv6 networks that are not IPv4-mapped compare
// by prefix; otherwise a contains s's first and last addresses.
func cidrContainer(s string) func(a *net.IPNet) bool {
	if ip := net.ParseIP(s); ip != nil {
		return func(a *net.IPNet) bool { return a.Contains(ip) }
	}
	_, b, err := net.ParseCIDR(s)
	if err != nil {
		return func(*net.IPNet) bool { return false }
	}
	last, lastErr := lastAddress(b)
	return func(a *net.IPNet) bool {
		if plainIPv6Net(a) && plainIPv6Net(b) {
			aOnes, _ := a.Mask.Size()
			bOnes, _ := b.Mask.Size()
			return aOnes <= bOnes && a.IP.Equal(b.IP.Mask(a.Mask))
		}
		return a.Contains(b.IP) && lastErr == nil && a.Contains(last)
	}
}

// plainIPv6Net is OPA's isPlainIPv6Net: an IPv6 network not IPv4-mapped.
func plainIPv6Net(n *net.IPNet) bool {
	return len(n.IP) == net.IPv6len && len(n.Mask) == net.IPv6len && n.IP.To4() == nil
}

// lastAddress is OPA's getLastIP: the network's last address, its first
// with every host bit set, as many bytes as the mask has bits.
func lastAddress(n *net.IPNet) (net.IP, error) {
	ones, bits := n.Mask.Size()
	if ones == 0 && bits == 0 {
		return nil, errors.New("CIDR mask is in non-standard format")
	}
	if ones == bits {
		return n.IP, nil
	}
	first := new(big.Int).SetBytes(n.IP)
	last := new(big.Int).Lsh(big.NewInt(1), uint(bits-ones))
	last.Sub(last, big.NewInt(1)).Or(last, first)
	b := last.Bytes()
	ip := make(net.IP, bits/8)
	b = b[max(0, len(b)-len(ip)):]
	copy(ip[len(ip)-len(b):], b)
	return ip, nil
}

// patternCache holds compiled patterns (glob.match's, regex.match's), as
// OPA caches them; cleared when it reaches patternCacheMax.
type patternCache[T any] struct {
	mu   sync.Mutex
	m    map[string]T
	comp func(string) (T, error)
}

const patternCacheMax = 1024

var (
	globs   = &patternCache[*glob.Pattern]{m: map[string]*glob.Pattern{}, comp: func(p string) (*glob.Pattern, error) { return glob.Compile(p) }}
	regexps = &patternCache[*regexp.Regexp]{m: map[string]*regexp.Regexp{}, comp: regexp.Compile}
)

func (c *patternCache[T]) compile(pattern string) (T, error) {
	c.mu.Lock()
	x, ok := c.m[pattern]
	c.mu.Unlock()
	if ok {
		return x, nil
	}
	x, err := c.comp(pattern)
	if err != nil {
		return x, err
	}
	c.mu.Lock()
	if len(c.m) >= patternCacheMax {
		clear(c.m)
	}
	c.m[pattern] = x
	c.mu.Unlock()
	return x, nil
}
