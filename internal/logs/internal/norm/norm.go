// Package norm holds the small JSON and OCSF helpers the per-cloud
// normalizers share: pooled fastjson parsing, string extraction, timestamps
// and endpoints.
package norm

import (
	"errors"
	"fmt"
	"net/netip"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/valyala/fastjson"

	"github.com/vigil-sec/vigil/internal/ocsf"
)

var pool fastjson.ParserPool

// ErrMissing marks an event lacking a field normalization cannot do without.
var ErrMissing = errors.New("missing required field")

// Parse parses one event object. Call release when done with v.
func Parse(raw []byte) (v *fastjson.Value, release func(), err error) {
	p := pool.Get()
	v, err = p.ParseBytes(raw)
	if err != nil {
		pool.Put(p)
		return nil, nil, fmt.Errorf("parse event: %w", err)
	}
	if v.Type() != fastjson.TypeObject {
		pool.Put(p)
		return nil, nil, errors.New("parse event: not a JSON object")
	}
	return v, func() { pool.Put(p) }, nil
}

// Str returns the value at keys as a string: strings as is, numbers and
// booleans in their JSON text, anything else (absent, null, objects) "".
func Str(v *fastjson.Value, keys ...string) string {
	if v == nil {
		return ""
	}
	x := v.Get(keys...)
	if x == nil {
		return ""
	}
	switch x.Type() {
	case fastjson.TypeString:
		return string(x.GetStringBytes())
	case fastjson.TypeNumber:
		return x.String()
	case fastjson.TypeTrue:
		return "true"
	case fastjson.TypeFalse:
		return "false"
	}
	return ""
}

// First returns the first non-empty string.
func First(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}

// Time parses an RFC 3339 timestamp (any fractional precision, with or
// without zone offset) into Unix milliseconds.
func Time(s string) (int64, error) {
	t, err := ParseTime(s)
	if err != nil {
		return 0, err
	}
	return t.UnixMilli(), nil
}

// ParseTime parses an event time as every reader and normalizer does: RFC
// 3339 with any fractional precision, the zone optional (UTC when absent,
// as Microsoft 365 writes CreationTime), 'T' or a space between date and
// time.
func ParseTime(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, fmt.Errorf("%w: time", ErrMissing)
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02 15:04:05.999999999Z07:00", "2006-01-02 15:04:05.999999999"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("bad time %q", s)
}

// Endpoint builds a source endpoint from what a log gives as the caller
// address: an IP address (IPv4, IPv6, with or without port) or a host/service
// name (e.g. CloudTrail's "ec2.amazonaws.com").
func Endpoint(addr string) *ocsf.Endpoint {
	if addr == "" {
		return nil
	}
	if ip, err := netip.ParseAddr(addr); err == nil {
		return &ocsf.Endpoint{IP: ip.String()}
	}
	if ap, err := netip.ParseAddrPort(addr); err == nil {
		return &ocsf.Endpoint{IP: ap.Addr().String()}
	}
	return &ocsf.Endpoint{Domain: addr}
}

// Bool returns a pointer to a boolean parsed from s ("true"/"yes"/"false"/
// "no", any case), nil otherwise.
func Bool(s string) *bool {
	var b bool
	switch strings.ToLower(s) {
	case "true", "yes":
		b = true
	case "false", "no":
		b = false
	default:
		return nil
	}
	return &b
}

// Itoa formats an int.
func Itoa(i int) string { return strconv.Itoa(i) }

// Verb classifies an operation name by its leading verb into an API Activity
// activity_id (Create, Read, Update, Delete or Other).
func Verb(op string) int {
	// Strip a service/version prefix such as "v1.compute.instances." or
	// "google.iam.admin.v1.".
	if i := strings.LastIndexAny(op, "./"); i >= 0 {
		op = op[i+1:]
	}
	// An ASCII name is compared without lowering a copy of it (the
	// prefixes are ASCII; lowering other text can change its length).
	ascii := true
	for i := 0; i < len(op) && ascii; i++ {
		ascii = op[i] < utf8.RuneSelf
	}
	lower := ""
	if !ascii {
		lower = strings.ToLower(op)
	}
	for _, p := range verbPrefixes {
		if ascii && len(op) >= len(p.prefix) && strings.EqualFold(op[:len(p.prefix)], p.prefix) ||
			!ascii && strings.HasPrefix(lower, p.prefix) {
			return p.id
		}
	}
	return ocsf.APIOther
}

var verbPrefixes = []struct {
	prefix string
	id     int
}{
	{"batchget", ocsf.APIRead}, {"get", ocsf.APIRead}, {"list", ocsf.APIRead}, {"describe", ocsf.APIRead},
	{"head", ocsf.APIRead}, {"lookup", ocsf.APIRead}, {"search", ocsf.APIRead}, {"select", ocsf.APIRead},
	{"query", ocsf.APIRead}, {"scan", ocsf.APIRead}, {"read", ocsf.APIRead}, {"aggregatedlist", ocsf.APIRead},
	{"testiampermissions", ocsf.APIRead}, {"download", ocsf.APIRead}, {"filter", ocsf.APIRead},
	{"create", ocsf.APICreate}, {"run", ocsf.APICreate}, {"insert", ocsf.APICreate}, {"add", ocsf.APICreate},
	{"allocate", ocsf.APICreate}, {"import", ocsf.APICreate}, {"register", ocsf.APICreate}, {"copy", ocsf.APICreate},
	{"issue", ocsf.APICreate}, {"request", ocsf.APICreate}, {"generate", ocsf.APICreate}, {"upload", ocsf.APICreate},
	{"delete", ocsf.APIDelete}, {"remove", ocsf.APIDelete}, {"terminate", ocsf.APIDelete}, {"deregister", ocsf.APIDelete},
	{"revoke", ocsf.APIDelete}, {"release", ocsf.APIDelete}, {"destroy", ocsf.APIDelete}, {"purge", ocsf.APIDelete},
	{"update", ocsf.APIUpdate}, {"modify", ocsf.APIUpdate}, {"put", ocsf.APIUpdate}, {"set", ocsf.APIUpdate},
	{"patch", ocsf.APIUpdate}, {"change", ocsf.APIUpdate}, {"enable", ocsf.APIUpdate}, {"disable", ocsf.APIUpdate},
	{"attach", ocsf.APIUpdate}, {"detach", ocsf.APIUpdate}, {"associate", ocsf.APIUpdate}, {"disassociate", ocsf.APIUpdate},
	{"tag", ocsf.APIUpdate}, {"untag", ocsf.APIUpdate}, {"reset", ocsf.APIUpdate}, {"replace", ocsf.APIUpdate},
	{"start", ocsf.APIUpdate}, {"stop", ocsf.APIUpdate}, {"reboot", ocsf.APIUpdate}, {"apply", ocsf.APIUpdate},
	{"write", ocsf.APIUpdate}, {"resize", ocsf.APIUpdate}, {"restore", ocsf.APIUpdate}, {"authorize", ocsf.APIUpdate},
}

// ASCIILower lowercases ASCII letters only, so byte offsets in the result
// are offsets in s (strings.ToLower may change the length of invalid UTF-8).
func ASCIILower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// ARMSubscription extracts the subscription id (lower-cased) from an ARM
// resource id.
func ARMSubscription(resourceID string) string {
	l := ASCIILower(resourceID)
	const p = "/subscriptions/"
	i := strings.Index(l, p)
	if i < 0 {
		return ""
	}
	rest := l[i+len(p):]
	if j := strings.IndexByte(rest, '/'); j >= 0 {
		rest = rest[:j]
	}
	return rest
}

// ARMResourceType returns "Microsoft.Storage/storageAccounts" for an ARM
// id, in the id's own case.
func ARMResourceType(rid string) string {
	l := ASCIILower(rid)
	i := strings.LastIndex(l, "/providers/")
	if i < 0 {
		return ""
	}
	parts := strings.Split(rid[i+len("/providers/"):], "/")
	t := parts[0]
	for k := 1; k < len(parts); k += 2 {
		t += "/" + parts[k]
	}
	return t
}
