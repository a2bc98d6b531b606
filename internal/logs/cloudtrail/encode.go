package cloudtrail

import (
	"net/netip"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/vigil-sec/vigil/internal/logs/internal/norm"
	"github.com/vigil-sec/vigil/internal/ocsf"
)

// Fields are the attributes of an encoded event that the lake keeps in
// columns of their own. Strings may share the raw event's memory.
type Fields struct {
	Time                                       int64 // milliseconds since the epoch
	ClassUID, ActivityID, SeverityID, StatusID int
	ClassName, ActivityName, Severity, Status  string
	Region, AccountUID                         string // cloud.provider is "AWS"
	UserUID, UserName, UserType                string
	SrcIP, UserAgent                           string
	Service, Operation                         string
	UID                                        string // metadata.uid
	ResourceUIDs                               []string
}

// event holds the raw values of the top-level members the encoder reads.
type event struct {
	name, time, source, version, id, category, typ, recipient, region,
	apiVersion, requestID, errorCode, errorMessage, sourceIP, userAgent,
	identity, response, resources []byte
}

// AppendOCSF appends to dst the OCSF event of the CloudTrail event raw, as
// json.Marshal of Normalize's event writes it with raw_data set to rawData,
// and returns its column fields; it reads only the members it maps, in
// place, and builds no event. It handles API Activity events and reports
// ok false for the rest (sign-in events, IAM account changes, what
// Normalize rejects, and values it does not decode: see norm.RawStr), which
// the caller then normalizes with Normalize. raw must be a valid JSON object
// (a logs.Record's Raw is) and must not change while the Fields are used;
// members, when not nil, locates raw's top-level members (a Record's
// Members: see norm.MembersAt), so that raw is not scanned again.
// TestAppendOCSFMatchesNormalize and FuzzAppendOCSF hold it to Normalize.
func AppendOCSF(dst, raw []byte, members []int32, rawData string) (out []byte, f Fields, ok bool) {
	var e event
	if !norm.MembersAt(raw, members, func(k string, v []byte) bool {
		var p *[]byte
		switch k {
		case "eventName":
			p = &e.name
		case "eventTime":
			p = &e.time
		case "eventSource":
			p = &e.source
		case "eventVersion":
			p = &e.version
		case "eventID":
			p = &e.id
		case "eventCategory":
			p = &e.category
		case "eventType":
			p = &e.typ
		case "recipientAccountId":
			p = &e.recipient
		case "awsRegion":
			p = &e.region
		case "apiVersion":
			p = &e.apiVersion
		case "requestID":
			p = &e.requestID
		case "errorCode":
			p = &e.errorCode
		case "errorMessage":
			p = &e.errorMessage
		case "sourceIPAddress":
			p = &e.sourceIP
		case "userAgent":
			p = &e.userAgent
		case "userIdentity":
			p = &e.identity
		case "responseElements":
			p = &e.response
		case "resources":
			p = &e.resources
		default:
			return true
		}
		if *p == nil { // the first of duplicate keys, as fastjson
			*p = v
		}
		return true
	}) {
		return dst, f, false
	}
	s := strs{ok: true}
	name, svc := s.str(e.name), s.str(e.source)
	if name == "" || svc == "signin.amazonaws.com" {
		return dst, f, false
	}
	if _, acct := accountOps[name]; acct && svc == "iam.amazonaws.com" {
		return dst, f, false
	}
	ts, err := norm.Time(s.str(e.time))
	if err != nil {
		return dst, f, false
	}
	version, uid, logName, code := s.str(e.version), s.str(e.id), s.str(e.category), s.str(e.typ)
	region, apiVersion, requestID := s.str(e.region), s.str(e.apiVersion), s.str(e.requestID)
	errCode, errMsg := s.str(e.errorCode), s.str(e.errorMessage)
	ua := s.str(e.userAgent)
	var id identity
	if e.identity != nil {
		id = s.identity(e.identity)
	}
	account := s.str(e.recipient)
	if account == "" {
		account = id.account
	}
	consoleFailure := false
	if e.response != nil {
		login, ok := norm.Member(e.response, "ConsoleLogin")
		s.check(ok)
		consoleFailure = strings.EqualFold(s.str(login), "Failure")
	}
	var resources []resource
	if e.resources != nil && e.resources[0] == '[' {
		s.check(norm.Elements(e.resources, func(v []byte) bool {
			var arn, typ, acct []byte
			if v[0] == '{' {
				s.check(norm.Members(v, func(k string, v []byte) bool {
					switch k {
					case "ARN":
						arn = first(arn, v)
					case "type":
						typ = first(typ, v)
					case "accountId":
						acct = first(acct, v)
					}
					return true
				}))
			}
			resources = append(resources, resource{arn: s.str(arn), typ: s.str(typ), account: s.str(acct)})
			return true
		}))
	}
	srcIP, srcDomain := endpoint(s.str(e.sourceIP))
	if !s.ok {
		return dst, f, false
	}

	f = Fields{
		Time: ts, ClassUID: ocsf.ClassAPIActivity, ClassName: "API Activity",
		SeverityID: ocsf.SeverityInformational, Severity: "Informational",
		StatusID: ocsf.StatusSuccess, Status: "Success",
		Region: region, AccountUID: account,
		UserUID: id.uid, UserName: id.name, UserType: id.typ,
		SrcIP: srcIP, UserAgent: ua, Service: svc, Operation: name, UID: uid,
	}
	if errCode != "" || consoleFailure {
		f.StatusID, f.Status = ocsf.StatusFailure, "Failure"
	}
	f.ActivityID = norm.Verb(name)
	f.ActivityName = apiActivityName(f.ActivityID)

	b := dst
	b = append(b, `{"activity_id":`...)
	b = strconv.AppendInt(b, int64(f.ActivityID), 10)
	b = append(b, `,"activity_name":`...)
	b = appendString(b, f.ActivityName)
	b = append(b, `,"category_uid":6,"category_name":"Application Activity","class_uid":6003,"class_name":"API Activity","type_uid":`...)
	b = strconv.AppendInt(b, int64(ocsf.ClassAPIActivity*100+f.ActivityID), 10)
	b = append(b, `,"type_name":"API Activity: `...)
	b = append(b, f.ActivityName...)
	b = append(b, `","time":`...)
	b = strconv.AppendInt(b, ts, 10)
	b = append(b, `,"severity_id":1,"severity":"Informational","status_id":`...)
	b = strconv.AppendInt(b, int64(f.StatusID), 10)
	b = append(b, `,"status":"`...)
	b = append(b, f.Status...)
	b = append(b, '"')
	if errCode != "" {
		b = appendField(b, "status_code", errCode)
	}
	if errCode != "" || consoleFailure {
		b = appendField(b, "status_detail", errMsg)
	}
	b = append(b, `,"message":"`...)
	if svc != "" {
		b = append(appendStringText(b, svc), ' ')
	}
	b = append(appendStringText(b, name), '"')
	b = append(b, `,"metadata":{"version":"`+ocsf.Version+`","product":{"name":"CloudTrail","vendor_name":"AWS"`...)
	b = appendField(b, "version", version)
	b = append(b, '}')
	b = appendField(b, "uid", uid)
	b = appendField(b, "log_name", logName)
	b = append(b, `,"log_provider":"CloudTrail"`...)
	b = appendField(b, "event_code", code)
	b = append(b, `,"profiles":["cloud"]},"cloud":{"provider":"AWS"`...)
	b = appendField(b, "region", region)
	if account != "" {
		b = append(b, `,"account":{"uid":`...)
		b = appendString(b, account)
		b = append(b, `,"type":"AWS Account","type_id":10}`...)
	}
	b = append(b, `},"api":{"operation":`...)
	b = appendString(b, name)
	if svc != "" {
		b = append(b, `,"service":{"name":`...)
		b = appendString(b, svc)
		b = append(b, '}')
	}
	b = appendField(b, "version", apiVersion)
	if requestID != "" {
		b = append(b, `,"request":{"uid":`...)
		b = appendString(b, requestID)
		b = append(b, '}')
	}
	if errCode != "" || errMsg != "" {
		b = append(b, `,"response":{`...)
		b = appendFields(b, "error", errCode, "message", errMsg)
		b = append(b, '}')
	}
	b = append(b, '}')
	if e.identity != nil {
		b = id.appendActor(b)
	}
	if srcIP != "" || srcDomain != "" {
		b = append(b, `,"src_endpoint":{`...)
		b = appendFields(b, "ip", srcIP, "domain", srcDomain)
		b = append(b, '}')
	}
	if ua != "" {
		b = append(b, `,"http_request":{"user_agent":`...)
		b = appendString(b, ua)
		b = append(b, '}')
	}
	b = appendField(b, "raw_data", rawData)
	if len(resources) > 0 {
		b = append(b, `,"resources":[`...)
		for i, r := range resources {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, '{')
			n := len(b)
			b = appendFields(b, "uid", r.arn, "type", r.typ)
			if r.account != "" {
				b = appendComma(b, n)
				b = append(b, `"owner":{"account":{"uid":`...)
				b = appendString(b, r.account)
				b = append(b, `,"type":"AWS Account","type_id":10}}`...)
			}
			b = append(b, '}')
			if r.arn != "" {
				f.ResourceUIDs = append(f.ResourceUIDs, r.arn)
			}
		}
		b = append(b, ']')
	}
	b = append(b, '}')
	return b, f, true
}

// resource is the text of a resources element.
type resource struct{ arn, typ, account string }

func first(have, v []byte) []byte {
	if have != nil {
		return have
	}
	return v
}

// strs reads raw values as text, remembering whether any could not be
// read.
type strs struct{ ok bool }

func (s *strs) str(v []byte) string {
	t, ok := norm.RawStr(v)
	s.check(ok)
	return t
}

func (s *strs) check(ok bool) {
	if !ok {
		s.ok = false
	}
}

// identity is what actor maps from userIdentity.
type identity struct {
	uid, uidAlt, name, typ, credential, account, invokedBy, idp string
	typeID                                                      int
	issuer                                                      string
	mfa, hasMFA                                                 bool
	created                                                     int64
	session                                                     bool
}

// identity reads userIdentity as actor does.
func (s *strs) identity(v []byte) identity {
	var raw struct{ typ, arn, principal, key, user, invokedBy, account, idp, session []byte }
	if v[0] == '{' {
		s.check(norm.Members(v, func(k string, v []byte) bool {
			switch k {
			case "type":
				raw.typ = first(raw.typ, v)
			case "arn":
				raw.arn = first(raw.arn, v)
			case "principalId":
				raw.principal = first(raw.principal, v)
			case "accessKeyId":
				raw.key = first(raw.key, v)
			case "userName":
				raw.user = first(raw.user, v)
			case "invokedBy":
				raw.invokedBy = first(raw.invokedBy, v)
			case "accountId":
				raw.account = first(raw.account, v)
			case "identityProvider":
				raw.idp = first(raw.idp, v)
			case "sessionContext":
				raw.session = first(raw.session, v)
			}
			return true
		}))
	}
	t, arn, principal := s.str(raw.typ), s.str(raw.arn), s.str(raw.principal)
	id := identity{typ: t, typeID: userTypeID(t), uid: norm.First(arn, principal), uidAlt: principal,
		credential: s.str(raw.key), account: s.str(raw.account), invokedBy: s.str(raw.invokedBy), idp: s.str(raw.idp)}
	if id.uidAlt == id.uid {
		id.uidAlt = ""
	}
	switch t {
	case "AssumedRole":
		if i := strings.Index(arn, ":assumed-role/"); i >= 0 {
			id.name = arn[i+len(":assumed-role/"):]
		}
	case "Root":
		id.name = norm.First(s.str(raw.user), "root")
	case "AWSService":
		id.name = id.invokedBy
	default:
		id.name = s.str(raw.user)
		if id.name == "" {
			if i := strings.LastIndexByte(arn, '/'); i >= 0 {
				id.name = arn[i+1:]
			}
		}
	}
	if raw.session != nil && raw.session[0] == '{' {
		var issuer, attrs []byte
		s.check(norm.Members(raw.session, func(k string, v []byte) bool {
			switch k {
			case "sessionIssuer":
				issuer = first(issuer, v)
			case "attributes":
				attrs = first(attrs, v)
			}
			return true
		}))
		arn, ok := norm.Member(issuer, "arn")
		s.check(ok)
		id.issuer = s.str(arn)
		var mfa, created []byte
		if len(attrs) > 0 && attrs[0] == '{' {
			s.check(norm.Members(attrs, func(k string, v []byte) bool {
				switch k {
				case "mfaAuthenticated":
					mfa = first(mfa, v)
				case "creationDate":
					created = first(created, v)
				}
				return true
			}))
		}
		if b := norm.Bool(s.str(mfa)); b != nil {
			id.mfa, id.hasMFA = *b, true
		}
		if c := s.str(created); c != "" {
			if ms, err := norm.Time(c); err == nil {
				id.created = ms
			}
		}
		id.session = id.issuer != "" || id.hasMFA || id.created != 0
	}
	return id
}

// appendActor appends the actor member as actor builds it.
func (id *identity) appendActor(b []byte) []byte {
	b = append(b, `,"actor":{"user":{`...)
	n := len(b)
	b = appendFieldsAfter(b, n, "uid", id.uid, "uid_alt", id.uidAlt)
	b = appendFieldsAfter(b, n, "name", id.name, "type", id.typ)
	if id.typeID != 0 {
		b = appendComma(b, n)
		b = append(b, `"type_id":`...)
		b = strconv.AppendInt(b, int64(id.typeID), 10)
	}
	b = appendFieldsAfter(b, n, "credential_uid", id.credential, "", "")
	if id.account != "" {
		b = appendComma(b, n)
		b = append(b, `"account":{"uid":`...)
		b = appendString(b, id.account)
		b = append(b, `,"type":"AWS Account","type_id":10}`...)
	}
	b = append(b, '}')
	if id.session {
		b = append(b, `,"session":{`...)
		n := len(b)
		b = appendFields(b, "issuer", id.issuer, "", "")
		if id.hasMFA {
			b = appendComma(b, n)
			b = strconv.AppendBool(append(b, `"is_mfa":`...), id.mfa)
		}
		if id.created != 0 {
			b = appendComma(b, n)
			b = strconv.AppendInt(append(b, `"created_time":`...), id.created, 10)
		}
		b = append(b, '}')
	}
	b = appendField(b, "invoked_by", id.invokedBy)
	if id.idp != "" {
		b = append(b, `,"idp":{"name":`...)
		b = appendString(b, id.idp)
		b = append(b, '}')
	}
	return append(b, '}')
}

// endpoint is norm.Endpoint's ip or domain.
func endpoint(addr string) (ip, domain string) {
	if addr == "" {
		return "", ""
	}
	var buf [64]byte
	var a netip.Addr
	if x, err := netip.ParseAddr(addr); err == nil {
		a = x
	} else if ap, err := netip.ParseAddrPort(addr); err == nil {
		a = ap.Addr()
	} else {
		return "", addr
	}
	t := a.AppendTo(buf[:0])
	if string(t) == addr {
		return addr, ""
	}
	return string(t), ""
}

func apiActivityName(id int) string {
	switch id {
	case ocsf.APICreate:
		return "Create"
	case ocsf.APIRead:
		return "Read"
	case ocsf.APIUpdate:
		return "Update"
	case ocsf.APIDelete:
		return "Delete"
	}
	return "Other"
}

// appendField appends ,"key":value when value is not empty (omitempty
// after a member).
func appendField(b []byte, key, value string) []byte {
	if value == "" {
		return b
	}
	b = append(b, ',', '"')
	b = append(b, key...)
	b = append(b, '"', ':')
	return appendString(b, value)
}

// appendFields appends the non-empty of two members at the start of an
// object ('{' last in b) or after one.
func appendFields(b []byte, k1, v1, k2, v2 string) []byte {
	return appendFieldsAfter(b, len(b), k1, v1, k2, v2)
}

// appendFieldsAfter is appendFields in an object whose members start at
// b[start:].
func appendFieldsAfter(b []byte, start int, k1, v1, k2, v2 string) []byte {
	for _, kv := range [2][2]string{{k1, v1}, {k2, v2}} {
		if kv[1] == "" {
			continue
		}
		b = appendComma(b, start)
		b = append(b, '"')
		b = append(b, kv[0]...)
		b = append(b, '"', ':')
		b = appendString(b, kv[1])
	}
	return b
}

// appendComma appends a comma when an object's members, which start at
// b[start:], are not empty.
func appendComma(b []byte, start int) []byte {
	if len(b) > start {
		return append(b, ',')
	}
	return b
}

const hexDigits = "0123456789abcdef"

// appendString appends s as a JSON string as encoding/json (and
// goccy/go-json) write it: HTML characters, U+2028 and U+2029 escaped,
// invalid UTF-8 as U+FFFD.
func appendString(b []byte, s string) []byte {
	return append(appendStringText(append(b, '"'), s), '"')
}

// appendStringText is appendString without the quotes.
func appendStringText(b []byte, s string) []byte {
	start := 0
	for i := 0; i < len(s); {
		// Runs of plain bytes 8 at a time, tested as one word (SWAR): a
		// lane at or above 0x80, below 0x20, or equal to '"', '\\', '<',
		// '>' or '&' sets its high bit (and maybe those of the lanes
		// above it, which only ends the run early); no lane is set
		// otherwise. Strings are mostly plain: the byte-by-byte table
		// loop alone was 3-4% of ingest's CPU time.
		for i+8 <= len(s) {
			x := uint64(s[i]) | uint64(s[i+1])<<8 | uint64(s[i+2])<<16 | uint64(s[i+3])<<24 |
				uint64(s[i+4])<<32 | uint64(s[i+5])<<40 | uint64(s[i+6])<<48 | uint64(s[i+7])<<56
			q, bs := x^(ones*'"'), x^(ones*'\\')
			lt, gt, amp := x^(ones*'<'), x^(ones*'>'), x^(ones*'&')
			if (x|(x-ones*0x20)|(q-ones)&^q|(bs-ones)&^bs|(lt-ones)&^lt|(gt-ones)&^gt|(amp-ones)&^amp)&highs != 0 {
				break
			}
			i += 8
		}
		if i >= len(s) {
			break
		}
		c := s[i]
		if plain[c] {
			i++
			continue
		}
		if c < utf8.RuneSelf {
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i++
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	return append(b, s[start:]...)
}

// ones and highs are the byte lanes' 1 and high bit in a uint64.
const (
	ones  = 0x0101010101010101
	highs = 0x8080808080808080
)

// plain marks the bytes a JSON string holds as they are: ASCII but for
// control characters, quote, backslash and the HTML characters.
var plain = func() (t [256]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\' && c != '<' && c != '>' && c != '&'
	}
	return t
}()
