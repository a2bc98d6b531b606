package policy

import (
	"math"
	"math/big"
	"regexp"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"
)

// lib/time's functions on the Go fields. The time rules call the library's
// valid(ts), older_than(ts, days), within(ts, days) and reached(ts); when
// the library's Rego text of them (with ns_per_day, now_ns and age_days)
// is the one below, a call of one on a reference (and, for older_than and
// within, a number constant) is a condition of the direct form, computed
// as OPA computes it:
//
//	valid(ts) if {
//		is_string(ts)
//		regex.match(`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$`, ts)
//	}
//	now_ns := time.parse_rfc3339_ns(input.now)
//	age_days(ts) := floor((now_ns - time.parse_rfc3339_ns(ts)) / ns_per_day) if valid(ts)
//	older_than(ts, days) if age_days(ts) > days
//	within(ts, days) if age_days(ts) <= days
//	reached(ts) if {
//		valid(ts)
//		time.parse_rfc3339_ns(ts) <= now_ns
//	}
//
// time.parse_rfc3339_ns is Go's time.Parse with OPA's range check, and
// OPA's arithmetic is exact on the integers, then divides as big.Float of
// 64 bits rounding to nearest (the quotient, rounded, is what floor sees:
// ageDays). A message may use age_days(<ref>) as a number in sprintf.
// TestTimeNativesMatchOPA compares both over many timestamps, and
// TestNativeLibFingerprints fails when lib/time's text moves away.

// Time functions of lib/time computed in Go (directCond.tfn).
const (
	tfValid uint8 = iota + 1
	tfOlder
	tfWithin
	tfReached
)

var timeFns = map[string]uint8{"valid": tfValid, "older_than": tfOlder, "within": tfWithin, "reached": tfReached}

// timeLibRules are the rules of lib/time the Go functions follow,
// fingerprinted together (timeLibFingerprint).
var timeLibRules = []string{"ns_per_day", "valid", "now_ns", "age_days", "older_than", "within", "reached"}

const timeLibFingerprint = "d6e9a4cd92085298c872a034666fa26e4802993835891e703c1a2fa66ecb2854"

// timeFnFor returns the Go time function a call of the function name of
// the library module mod is, or 0.
func timeFnFor(mod *modCtx, name string) uint8 {
	tf := timeFns[name]
	if tf == 0 || mod.module == nil || !mod.isTimeLib() {
		return 0
	}
	return tf
}

// isTimeLib reports whether the module's text of timeLibRules is the one
// the Go functions follow.
func (mc *modCtx) isTimeLib() bool {
	if mc.timeLib == 0 {
		mc.timeLib = 2
		if libFingerprint(mc.module, timeLibRules) == timeLibFingerprint {
			mc.timeLib = 1
		}
	}
	return mc.timeLib == 1
}

// goNow is input.now as time.parse_rfc3339_ns reads it (ok: defined).
type goNow struct {
	ns int64
	ok bool
}

func newGoNow(now *ast.Term) goNow {
	s, ok := now.Value.(ast.String)
	if !ok {
		return goNow{}
	}
	ns, ok := parseRFC3339NS(string(s))
	return goNow{ns: ns, ok: ok}
}

var (
	timestampShape = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$`)
	minNSTime      = time.Unix(0, math.MinInt64)
	maxNSTime      = time.Unix(0, math.MaxInt64)
)

// parseRFC3339NS is OPA's time.parse_rfc3339_ns; ok is false where it is
// undefined (a parse error, a time out of the int64 nanosecond range).
func parseRFC3339NS(s string) (int64, bool) {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil || t.Before(minNSTime) || t.After(maxNSTime) {
		return 0, false
	}
	return t.UnixNano(), true
}

// validNS is valid(ts) and then time.parse_rfc3339_ns(ts).
func validNS(ts string) (int64, bool) {
	if !timestampShape.MatchString(ts) {
		return 0, false
	}
	return parseRFC3339NS(ts)
}

const nsPerDay = 24 * 60 * 60 * 1_000_000_000

// ageDays is age_days(ts); ok is false where it is undefined.
func ageDays(now goNow, ts string) (int64, bool) {
	if !now.ok {
		return 0, false
	}
	ns, ok := validNS(ts)
	if !ok {
		return 0, false
	}
	return floorDays(now.ns, ns), true
}

// floorDays is floor((now - ts) / ns_per_day) as OPA computes it: the
// difference exactly, the quotient a big.Float of 64 bits (rounded to
// nearest even), then floored as OPA's floor does: the quotient truncated
// toward zero, less one when that is negative and not the quotient (so a
// quotient between -1 and 0, a time less than a day ahead, floors to 0).
// Below 2^16 days the rounding cannot carry a quotient across an integer
// (1/ns_per_day is more than half a unit in the last place there), so
// integer division gives the same result.
func floorDays(now, ts int64) int64 {
	const lim, near = 1 << 62, (1 << 16) * nsPerDay
	if now > -lim && now < lim && ts > -lim && ts < lim {
		if d := now - ts; d > -near && d < near {
			q := d / nsPerDay // truncated toward zero
			if q < 0 && d%nsPerDay != 0 {
				q--
			}
			return q
		}
	}
	x := new(big.Int).Sub(big.NewInt(now), big.NewInt(ts))
	xf := new(big.Float).SetPrec(64).SetInt(x)
	yf := new(big.Float).SetPrec(64).SetInt64(nsPerDay)
	q := new(big.Float).Quo(xf, yf)
	i, _ := q.Int(nil) // truncated toward zero
	if i.Sign() < 0 && q.Cmp(new(big.Float).SetInt(i)) != 0 {
		i.Sub(i, big.NewInt(1))
	}
	return i.Int64()
}

// timeHolds is the time function tf of the string ts (k: the number of
// days of older_than and within).
func timeHolds(tf uint8, ts string, k *constant, now goNow) bool {
	switch tf {
	case tfValid:
		return timestampShape.MatchString(ts)
	case tfReached:
		ns, ok := validNS(ts)
		return ok && now.ok && ns <= now.ns
	}
	age, ok := ageDays(now, ts)
	if !ok {
		return false
	}
	c := k.compare(scalar{kind: 2, i: age}) // age compared with days
	if tf == tfOlder {
		return c > 0
	}
	return c <= 0
}
