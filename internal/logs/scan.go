package logs

import (
	"bytes"

	"github.com/tidwall/gjson"
)

// The scanner below finds JSON value boundaries without decoding: strings are
// skipped with bytes.IndexByte, containers by depth counting. It does not
// validate; events are validated once with gjson before they are handed out.

var wsTable = [256]bool{' ': true, '\t': true, '\n': true, '\r': true}

func skipWS(b []byte, i int) int {
	for i < len(b) && wsTable[b[i]] {
		i++
	}
	return i
}

// stringEnd returns the index after the closing quote of the string starting
// at b[i] (b[i] == '"'), or -1.
func stringEnd(b []byte, i int) int {
	if i >= len(b) || b[i] != '"' {
		return -1
	}
	j := i + 1
	for {
		k := bytes.IndexByte(b[j:], '"')
		if k < 0 {
			return -1
		}
		q := j + k
		// Count the backslashes before the quote: odd means escaped.
		n := 0
		for p := q - 1; p > i && b[p] == '\\'; p-- {
			n++
		}
		if n&1 == 0 {
			return q + 1
		}
		j = q + 1
	}
}

// structural marks the bytes the container scanner must look at.
var structural = [256]bool{'"': true, '{': true, '}': true, '[': true, ']': true}

// valueEnd returns the index just past the JSON value starting at b[i], or -1
// when it is unterminated.
func valueEnd(b []byte, i int) int {
	if i >= len(b) {
		return -1
	}
	switch b[i] {
	case '"':
		return stringEnd(b, i)
	case '{', '[':
		depth := 0
		for j := i; j < len(b); j++ {
			c := b[j]
			if !structural[c] {
				continue
			}
			switch c {
			case '"':
				e := stringEnd(b, j)
				if e < 0 {
					return -1
				}
				j = e - 1
			case '{', '[':
				depth++
			default:
				depth--
				if depth == 0 {
					return j + 1
				}
			}
		}
		return -1
	default:
		j := i
		for j < len(b) {
			c := b[j]
			if wsTable[c] || c == ',' || c == ']' || c == '}' || c == ':' {
				break
			}
			j++
		}
		if j == i {
			return -1
		}
		return j
	}
}

// members calls f for each member of the (valid) object at b[0] with the raw
// key (without quotes, not unescaped) and the value's bounds; f returns false
// to stop.
func members(b []byte, f func(key []byte, vs, ve int) bool) {
	i := skipWS(b, 1)
	for i < len(b) && b[i] == '"' {
		ke := stringEnd(b, i)
		if ke < 0 {
			return
		}
		key := b[i+1 : ke-1]
		j := skipWS(b, ke)
		if j >= len(b) || b[j] != ':' {
			return
		}
		vs := skipWS(b, j+1)
		ve := valueEnd(b, vs)
		if ve < 0 {
			return
		}
		if !f(key, vs, ve) {
			return
		}
		i = skipWS(b, ve)
		if i >= len(b) || b[i] != ',' {
			return
		}
		i = skipWS(b, i+1)
	}
}

func unquote(v []byte) string {
	if len(v) >= 2 && v[0] == '"' {
		return string(v[1 : len(v)-1])
	}
	return ""
}

// Azure categories (diagnostic settings / Event Hub / storage export).
var azureCategories = map[string]Source{
	"SignInLogs":                          AzureSignIn,
	"NonInteractiveUserSignInLogs":        AzureSignIn,
	"ServicePrincipalSignInLogs":          AzureSignIn,
	"ManagedIdentitySignInLogs":           AzureSignIn,
	"MicrosoftServicePrincipalSignInLogs": AzureSignIn,
	"ADFSSignInLogs":                      AzureSignIn,
	"AuditLogs":                           AzureAudit,
	// Activity Log categories; Write/Delete/Action are the per-operation
	// categories older Activity Log exports carry for Administrative events.
	"Administrative": AzureActivity,
	"Security":       AzureActivity,
	"ServiceHealth":  AzureActivity,
	"ResourceHealth": AzureActivity,
	"Alert":          AzureActivity,
	"Autoscale":      AzureActivity,
	"Recommendation": AzureActivity,
	"Policy":         AzureActivity,
	"Action":         AzureActivity,
	"Write":          AzureActivity,
	"Delete":         AzureActivity,
}

const gcpAuditType = "type.googleapis.com/google.cloud.audit.AuditLog"

// classify decides the source of one valid event object. For an EventBridge
// envelope it returns the inner CloudTrail event and its offset in ev.
func classify(ev []byte, k kind) (src Source, inner []byte, innerOff int) {
	if k == kindCloudTrail {
		return AWSCloudTrail, nil, 0
	}
	var (
		ctVersion, ctSource, ctName bool
		notCT                       bool
		detailType                  bool
		detailS, detailE            int
		protoS, protoE              int
		logName                     string
		category                    string
		azOp, azRes                 bool
		m365Time, m365Op, m365Type  bool
		m365Org                     bool
	)
	members(ev, func(key []byte, vs, ve int) bool {
		switch string(key) {
		case "eventVersion":
			ctVersion = true
		case "eventSource":
			// CloudTrail sources are service hosts (iam.amazonaws.com); S3,
			// SQS and SNS event notifications, which share the Records
			// wrapper and eventVersion, use "aws:s3" and the like.
			ctSource = !bytes.HasPrefix(ev[vs:ve], []byte(`"aws:`))
			notCT = !ctSource
		case "eventName":
			ctName = true
		case "detail-type":
			detailType = true
		case "detail":
			detailS, detailE = vs, ve
		case "protoPayload":
			protoS, protoE = vs, ve
		case "logName":
			logName = unquote(ev[vs:ve])
		case "category", "Category":
			category = unquote(ev[vs:ve])
		case "operationName", "OperationName", "OperationNameValue":
			azOp = true
		case "resourceId", "ResourceId", "_ResourceId":
			azRes = true
		// Office 365 Management Activity API common schema.
		case "CreationTime":
			m365Time = true
		case "Operation":
			m365Op = true
		case "RecordType":
			m365Type = true
		case "Workload", "OrganizationId":
			m365Org = true
		}
		// Stop early once a CloudTrail event is certain.
		return !(ctVersion && ctSource && k == kindAny)
	})
	if k != kindAzure {
		if ctVersion && (ctSource || ctName) && !notCT {
			return AWSCloudTrail, nil, 0
		}
		if detailType && detailE > detailS && ev[detailS] == '{' {
			d := ev[detailS:detailE]
			var v, s bool
			members(d, func(key []byte, _, _ int) bool {
				switch string(key) {
				case "eventVersion":
					v = true
				case "eventSource", "eventName":
					s = true
				}
				return !(v && s)
			})
			if v && s {
				return AWSCloudTrail, d, detailS
			}
		}
		if protoE > protoS && ev[protoS] == '{' {
			// An AuditLog is known by its @type, by an audit logName, or
			// (exports that drop both) by the serviceName and methodName
			// every AuditLog carries.
			pp := ev[protoS:protoE]
			t := gjson.GetBytes(pp, "@type").Str
			if t == gcpAuditType || bytes.Contains([]byte(logName), []byte("cloudaudit.googleapis.com")) {
				return GCPAudit, nil, 0
			}
			if t == "" {
				r := gjson.GetManyBytes(pp, "serviceName", "methodName")
				if r[0].Type == gjson.String && r[0].Str != "" && r[1].Type == gjson.String && r[1].Str != "" {
					return GCPAudit, nil, 0
				}
			}
		}
	}
	if k == kindAny && m365Time && m365Op && m365Type && m365Org {
		return M365Audit, nil, 0
	}
	if category != "" {
		if s, ok := azureCategories[category]; ok {
			if s != AzureActivity || azOp || azRes {
				return s, nil, 0
			}
		}
	}
	return "", nil, 0
}
