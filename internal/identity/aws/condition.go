package awsiam

import (
	"encoding/base64"
	"math/big"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/vigil-sec/vigil/internal/resource"
)

// opKind is the base comparison of a condition operator.
type opKind uint8

const (
	opUnknown opKind = iota
	opStringEquals
	opStringEqualsIgnoreCase
	opStringLike
	opNumericEquals
	opNumericLessThan
	opNumericLessThanEquals
	opNumericGreaterThan
	opNumericGreaterThanEquals
	opDateEquals
	opDateLessThan
	opDateLessThanEquals
	opDateGreaterThan
	opDateGreaterThanEquals
	opBool
	opBinaryEquals
	opIPAddress
	opArnEquals // ArnEquals and ArnLike behave the same
	opNull
)

// baseOps maps a lower-cased base operator to its comparison and whether
// it is negated (StringNotEquals is "not StringEquals").
var baseOps = map[string]struct {
	kind opKind
	neg  bool
}{
	"stringequals": {opStringEquals, false}, "stringnotequals": {opStringEquals, true},
	"stringequalsignorecase": {opStringEqualsIgnoreCase, false}, "stringnotequalsignorecase": {opStringEqualsIgnoreCase, true},
	"stringlike": {opStringLike, false}, "stringnotlike": {opStringLike, true},
	"numericequals": {opNumericEquals, false}, "numericnotequals": {opNumericEquals, true},
	"numericlessthan": {opNumericLessThan, false}, "numericlessthanequals": {opNumericLessThanEquals, false},
	"numericgreaterthan": {opNumericGreaterThan, false}, "numericgreaterthanequals": {opNumericGreaterThanEquals, false},
	"dateequals": {opDateEquals, false}, "datenotequals": {opDateEquals, true},
	"datelessthan": {opDateLessThan, false}, "datelessthanequals": {opDateLessThanEquals, false},
	"dategreaterthan": {opDateGreaterThan, false}, "dategreaterthanequals": {opDateGreaterThanEquals, false},
	"bool": {opBool, false}, "binaryequals": {opBinaryEquals, false},
	"ipaddress": {opIPAddress, false}, "notipaddress": {opIPAddress, true},
	"arnequals": {opArnEquals, false}, "arnlike": {opArnEquals, false},
	"arnnotequals": {opArnEquals, true}, "arnnotlike": {opArnEquals, true},
	"null": {opNull, false},
}

// cond is a compiled condition test.
type cond struct {
	src      resource.Condition
	kind     opKind
	neg      bool
	ifExists bool
	set      uint8 // 0 none, 1 ForAnyValue, 2 ForAllValues
	vars     bool  // values hold policy variables
}

const (
	setNone uint8 = iota
	setAny
	setAll
)

// compileCond reads the operator of a condition; ok is false for an
// operator AWS does not document.
func compileCond(c resource.Condition, variables bool) (cond, bool) {
	cc := cond{src: c}
	op := c.Operator
	lower := strings.ToLower(op)
	switch {
	case strings.HasPrefix(lower, "foranyvalue:"):
		cc.set, lower = setAny, lower[len("foranyvalue:"):]
	case strings.HasPrefix(lower, "forallvalues:"):
		cc.set, lower = setAll, lower[len("forallvalues:"):]
	}
	if strings.HasSuffix(lower, "ifexists") && lower != "null" {
		cc.ifExists, lower = true, strings.TrimSuffix(lower, "ifexists")
	}
	b, ok := baseOps[lower]
	if !ok || (b.kind == opNull && (cc.ifExists || cc.set != setNone)) {
		return cc, false
	}
	cc.kind, cc.neg = b.kind, b.neg
	if variables {
		for _, v := range c.Values {
			if hasVariable(v) {
				cc.vars = true
			}
		}
	}
	return cc, true
}

// eval decides the condition for the request.
func (c *cond) eval(s *requestState) truth {
	vals, present := s.lookup(c.src.Key)
	if c.kind == opNull {
		// Null: "true" requires the key absent, "false" present.
		if present == tCond {
			return tCond
		}
		want := "false"
		if present == tFalse {
			want = "true"
		}
		for _, v := range c.src.Values {
			if strings.EqualFold(v, want) {
				return tTrue
			}
		}
		return tFalse
	}
	if present == tCond {
		return tCond
	}
	// With a set operator IfExists changes nothing: ForAnyValue on an
	// absent key is false, ForAllValues true (as the oracle evaluates it).
	switch c.set {
	case setAny:
		if present == tFalse || len(vals) == 0 {
			return tFalse
		}
		res := tFalse
		for _, rv := range vals {
			res = or(res, c.one(s, rv))
		}
		return res
	case setAll:
		if present == tFalse || len(vals) == 0 {
			return tTrue
		}
		res := tTrue
		for _, rv := range vals {
			res = and(res, c.one(s, rv))
		}
		return res
	}
	if present == tFalse {
		// A missing key fails a test, except with IfExists and for the
		// negated operators.
		return of(c.ifExists || c.neg)
	}
	if len(vals) != 1 {
		// A multivalued key needs a set operator.
		return tFalse
	}
	return c.one(s, vals[0])
}

// one tests a single request value against the policy values: for a
// positive operator, does any policy value match; for a negated one, does
// none.
func (c *cond) one(s *requestState, rv string) truth {
	res := tFalse
	for _, pv := range c.src.Values {
		var m truth
		if c.vars && hasVariable(pv) {
			toks, ok := s.resolve(pv)
			if ok != tTrue {
				m = ok
			} else {
				m = of(c.matchTokens(toks, rv))
			}
		} else {
			m = c.compare(rv, pv)
		}
		res = or(res, m)
		if res == tTrue {
			break
		}
	}
	if c.neg {
		return not(res)
	}
	return res
}

// matchTokens compares a request value with a policy value whose
// variables were substituted: wildcards only count for the Like operators.
func (c *cond) matchTokens(toks []int32, rv string) bool {
	switch c.kind {
	case opStringLike:
		return matchTokens(toks, rv, false)
	case opArnEquals:
		return matchARNTokens(toks, rv)
	}
	var b strings.Builder
	for _, t := range toks {
		switch t {
		case tokStar:
			b.WriteByte('*')
		case tokQuestion:
			b.WriteByte('?')
		default:
			b.WriteRune(t)
		}
	}
	return c.compare(rv, b.String()) == tTrue
}

// compare applies the base comparison to one request value and one policy
// value. A value that does not parse as the operator's type does not match.
func (c *cond) compare(rv, pv string) truth {
	switch c.kind {
	case opStringEquals:
		return of(rv == pv)
	case opStringEqualsIgnoreCase:
		return of(strings.EqualFold(rv, pv))
	case opStringLike:
		return of(like(pv, rv, false))
	case opNumericEquals, opNumericLessThan, opNumericLessThanEquals, opNumericGreaterThan, opNumericGreaterThanEquals:
		a, ok1 := new(big.Float).SetString(strings.TrimSpace(rv))
		b, ok2 := new(big.Float).SetString(strings.TrimSpace(pv))
		if !ok1 || !ok2 {
			return tFalse
		}
		return of(ordered(c.kind-opNumericEquals, a.Cmp(b)))
	case opDateEquals, opDateLessThan, opDateLessThanEquals, opDateGreaterThan, opDateGreaterThanEquals:
		a, ok1 := parseDate(rv)
		b, ok2 := parseDate(pv)
		if !ok1 || !ok2 {
			return tFalse
		}
		return of(ordered(c.kind-opDateEquals, a.Compare(b)))
	case opBool:
		return of(strings.EqualFold(rv, pv))
	case opBinaryEquals:
		a, err1 := base64.StdEncoding.DecodeString(rv)
		b, err2 := base64.StdEncoding.DecodeString(pv)
		return of(err1 == nil && err2 == nil && string(a) == string(b))
	case opIPAddress:
		return of(ipIn(rv, pv))
	case opArnEquals:
		if strings.Count(rv, ":") < 5 {
			return tFalse
		}
		p := compileARN(pv, false)
		return p.match(nil, rv)
	}
	return tUnc
}

// ordered maps a comparison result to the operator: 0 equals, 1 less
// than, 2 less or equal, 3 greater, 4 greater or equal.
func ordered(rel opKind, cmp int) bool {
	switch rel {
	case 0:
		return cmp == 0
	case 1:
		return cmp < 0
	case 2:
		return cmp <= 0
	case 3:
		return cmp > 0
	case 4:
		return cmp >= 0
	}
	return false
}

// parseDate reads the date forms AWS accepts: ISO 8601 (with or without
// time and zone) and epoch seconds.
func parseDate(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return time.Unix(n, 0).UTC(), true
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05Z0700", "2006-01-02T15:04:05", "2006-01-02T15:04Z07:00", "2006-01-02T15:04", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// ipIn tells whether the request address is in the policy's address or
// CIDR block.
func ipIn(rv, pv string) bool {
	addr, err := netip.ParseAddr(strings.TrimSpace(rv))
	if err != nil {
		if p, perr := netip.ParsePrefix(strings.TrimSpace(rv)); perr == nil && p.IsSingleIP() {
			addr = p.Addr()
		} else {
			return false
		}
	}
	pv = strings.TrimSpace(pv)
	if !strings.Contains(pv, "/") {
		a, err := netip.ParseAddr(pv)
		return err == nil && a.Unmap() == addr.Unmap()
	}
	p, err := netip.ParsePrefix(pv)
	if err != nil {
		return false
	}
	return p.Masked().Contains(addr.Unmap()) || p.Contains(addr)
}
