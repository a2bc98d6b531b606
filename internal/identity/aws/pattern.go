package awsiam

import (
	"strings"
	"unicode/utf8"

	awsref "github.com/vigil-sec/vigil/internal/identity/refdata/aws"
)

// Wildcard tokens in a resolved pattern; any other token is a rune.
const (
	tokStar     = -1
	tokQuestion = -2
)

// hasVariable tells whether a policy value holds a policy variable.
func hasVariable(v string) bool { return strings.Contains(v, "${") }

// resolve substitutes the policy variables of v (${aws:username},
// ${aws:PrincipalTag/team}, ${*}, ${?}, ${$}, and defaults as in
// ${aws:username, 'nobody'}) from the request and returns the pattern as
// tokens: runes, with "*" and "?" of the policy text as wildcards and the
// substituted text literal. It returns tFalse when a variable's key is
// absent (the value then matches nothing, as AWS evaluates it), tCond when
// the context is incomplete and the key absent.
func (s *requestState) resolve(v string) ([]int32, truth) {
	toks := make([]int32, 0, len(v))
	res := tTrue
	for i := 0; i < len(v); {
		if strings.HasPrefix(v[i:], "${") {
			end := strings.IndexByte(v[i:], '}')
			if end > 0 {
				inner := v[i+2 : i+end]
				i += end + 1
				switch inner {
				case "*", "?", "$":
					toks = append(toks, int32(inner[0]))
					continue
				}
				key, def, hasDef := strings.Cut(inner, ",")
				key = strings.TrimSpace(key)
				vals, ok := s.lookup(key)
				var sub string
				switch {
				case ok == tTrue && len(vals) == 1:
					sub = vals[0]
				case hasDef && ok != tCond:
					sub = strings.Trim(strings.TrimSpace(def), "'")
				case ok == tCond:
					res = and(res, tCond)
					continue
				default:
					return nil, tFalse
				}
				for _, r := range sub {
					toks = append(toks, r)
				}
				continue
			}
		}
		r, n := utf8.DecodeRuneInString(v[i:])
		toks = appendToken(toks, r)
		i += n
	}
	return toks, res
}

// appendToken appends a rune of policy text: "*" and "?" as wildcards.
func appendToken(toks []int32, r rune) []int32 {
	switch r {
	case '*':
		return append(toks, tokStar)
	case '?':
		return append(toks, tokQuestion)
	}
	return append(toks, r)
}

// matchTokens reports whether s matches the token pattern; fold compares
// case-insensitively.
func matchTokens(pat []int32, s string, fold bool) bool {
	str := []rune(s)
	if fold {
		for i, r := range str {
			str[i] = toLowerRune(r)
		}
	}
	p, i := 0, 0
	star, mark := -1, 0
	for i < len(str) {
		switch {
		case p < len(pat) && (pat[p] == tokQuestion || (pat[p] >= 0 && eqRune(pat[p], str[i], fold))):
			p++
			i++
		case p < len(pat) && pat[p] == tokStar:
			star, mark = p, i
			p++
		case star >= 0:
			p = star + 1
			mark++
			i = mark
		default:
			return false
		}
	}
	for p < len(pat) && pat[p] == tokStar {
		p++
	}
	return p == len(pat)
}

func eqRune(p int32, r rune, fold bool) bool {
	if fold {
		return toLowerRune(rune(p)) == r
	}
	return rune(p) == r
}

func toLowerRune(r rune) rune {
	if r >= 'A' && r <= 'Z' {
		return r + 'a' - 'A'
	}
	if r < utf8.RuneSelf {
		return r
	}
	return []rune(strings.ToLower(string(r)))[0]
}

// like matches an IAM wildcard pattern (no variables) against s.
func like(pattern, s string, fold bool) bool {
	if fold {
		pattern, s = strings.ToLower(pattern), strings.ToLower(s)
	}
	if !isASCII(pattern) || !isASCII(s) {
		toks := make([]int32, 0, len(pattern))
		for _, r := range pattern {
			toks = appendToken(toks, r)
		}
		return matchTokens(toks, s, false)
	}
	return awsref.Wildcard(pattern, s)
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// arnPattern is a compiled Resource/NotResource value.
type arnPattern struct {
	raw string
	all bool // "*"
	// vars: the value holds policy variables and is resolved per request.
	vars bool
	// arn: the value is an ARN (6 fields, or fewer padded with "*"); seg
	// holds partition, service, region, account (lower-cased) and the
	// resource part.
	arn bool
	seg [5]string
}

func compileARN(v string, variables bool) arnPattern {
	p := arnPattern{raw: v, all: v == "*"}
	if p.all {
		return p
	}
	if variables && hasVariable(v) {
		p.vars = true
		return p
	}
	if parts := strings.SplitN(v, ":", 6); parts[0] == "arn" && len(parts) > 1 {
		for len(parts) < 6 {
			parts = append(parts, "*")
		}
		p.arn = true
		for i := 0; i < 4; i++ {
			p.seg[i] = strings.ToLower(parts[i+1])
		}
		p.seg[4] = parts[5]
	}
	return p
}

// match tests the request resource against the pattern.
func (p *arnPattern) match(s *requestState, res string) truth {
	if p.all {
		return tTrue
	}
	if p.vars {
		toks, ok := s.resolve(p.raw)
		if ok != tTrue {
			return ok
		}
		// Match the resolved pattern segment by segment like a static one,
		// keeping substituted text literal.
		return of(matchARNTokens(toks, res))
	}
	if !p.arn {
		return of(like(p.raw, res, false))
	}
	rp := strings.SplitN(res, ":", 6)
	if len(rp) != 6 || rp[0] != "arn" {
		return tFalse
	}
	for i := 0; i < 4; i++ {
		if !like(p.seg[i], strings.ToLower(rp[i+1]), false) {
			return tFalse
		}
	}
	return of(like(p.seg[4], rp[5], false))
}

// matchARNTokens matches a resolved pattern against an ARN, the first five
// fields each within its own field (case-insensitively), the resource part
// case-sensitively.
func matchARNTokens(toks []int32, res string) bool {
	// Split the tokens at the first five literal colons.
	var fields [][]int32
	start := 0
	for i, t := range toks {
		if t == ':' && len(fields) < 5 {
			fields = append(fields, toks[start:i])
			start = i + 1
		}
	}
	fields = append(fields, toks[start:])
	if len(fields) != 6 {
		return matchTokens(toks, res, false)
	}
	rp := strings.SplitN(res, ":", 6)
	if len(rp) != 6 {
		return false
	}
	for i := 0; i < 5; i++ {
		if !matchTokens(fields[i], rp[i], i > 0) {
			return false
		}
	}
	return matchTokens(fields[5], rp[5], false)
}
