package k8saudit

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/vigil-sec/vigil/internal/logs/internal/norm"
	"github.com/vigil-sec/vigil/internal/logs/logsource"
)

// Other shapes the managed clusters deliver audit Events in; each is
// converted to the Event itself (the record's Raw), byte for byte where
// the shape holds the Event's text.

// CloudWatchLogsEvent is the shape of a CloudWatch Logs log event of an
// EKS cluster's kube-apiserver-audit stream: {"timestamp":...,
// "message":"<the Event's JSON text>",...}, in filter-log-events /
// get-log-events output ({"events":[...]}) or a subscription filter's
// record ({"messageType":"DATA_MESSAGE",...,"logEvents":[...]}). Log
// events of the cluster's other streams (kube-apiserver, authenticator,
// scheduler) are not recognised: they are counted as events of an unknown
// kind.
func CloudWatchLogsEvent() logsource.Shape {
	return logsource.Shape{
		Name: "EKS audit log event (CloudWatch Logs)",
		Recognise: func(p logsource.Probe) bool {
			if _, ok := p.Member("timestamp"); !ok {
				return false
			}
			v, ok := p.Member("message")
			return ok && isAuditText(v)
		},
		Convert: func(raw []byte) ([]byte, error) { return embedded(raw, "message", "message") },
	}
}

// aksCategories are AKS's diagnostic categories of API server audit
// events: every request (kube-audit) or those that change something
// (kube-audit-admin: no get or list).
var aksCategories = []string{"kube-audit", "kube-audit-admin"}

// AKSRecord is the shape of an AKS resource log record of the kube-audit
// and kube-audit-admin categories: {"category":"kube-audit",
// "operationName":"Microsoft.ContainerService/managedClusters/diagnosticLogs/Read",
// "resourceId":"/SUBSCRIPTIONS/.../MANAGEDCLUSTERS/<name>","time":...,
// "properties":{"log":"<the Event's JSON text>","stream":"stdout",
// "pod":"kube-apiserver-..."}} as diagnostic settings write them to a
// storage account or an event hub; and the AzureDiagnostics table's rows
// of those categories, the text in the log_s column.
func AKSRecord() logsource.Shape {
	return logsource.Shape{
		Name: "AKS kube-audit resource log record",
		Recognise: func(p logsource.Probe) bool {
			c, ok := p.Member("category")
			if !ok {
				c, ok = p.Member("Category")
			}
			if !ok || !norm.IsOneOf(c, aksCategories) {
				return false
			}
			if props, ok := p.Member("properties"); ok && len(props) > 0 && props[0] == '{' {
				return true
			}
			_, ok = p.Member("log_s")
			return ok
		},
		Convert: func(raw []byte) ([]byte, error) {
			ev, err := aksEvent(raw)
			if err != nil {
				return nil, err
			}
			return withResourceID(ev, raw)
		},
	}
}

// aksEvent returns the Event an AKS record or AzureDiagnostics row holds.
func aksEvent(raw []byte) ([]byte, error) {
	if props, ok := norm.Member(raw, "properties"); ok && len(props) > 0 && props[0] == '{' {
		log, ok := norm.Member(props, "log")
		if !ok || log == nil {
			return nil, fmt.Errorf("properties.log: %w", norm.ErrMissing)
		}
		if log[0] == '{' {
			// Some pipelines write the Event as an object.
			return checkEvent(bytes.Clone(log), "properties.log")
		}
		return embedded(props, "log", "properties.log")
	}
	return embedded(raw, "log_s", "log_s")
}

// ResourceIDAnnotation is the annotation vigil adds to an Event read from
// an AKS record or table row: the cluster's Azure resource id, which the
// record holds and the Event does not (annotations are the Event's
// key-value map for what the serving chain adds).
const ResourceIDAnnotation = "vigil-sec/azure-resource-id"

// resourceIDPaths are where a record or row holds the cluster's id.
var resourceIDPaths = []string{"resourceId", "ResourceId", "_ResourceId"}

// withResourceID returns ev with the cluster's resource id of the record
// raw among its annotations (ev itself when raw names none).
func withResourceID(ev, raw []byte) ([]byte, error) {
	id := ""
	for _, k := range resourceIDPaths {
		if v, ok := norm.Member(raw, k); ok && v != nil {
			if s, ok := norm.RawStr(v); ok && s != "" {
				id = s
				break
			}
		}
	}
	if id == "" {
		return ev, nil
	}
	m, err := norm.DecodeObject(ev)
	if err != nil {
		return nil, err
	}
	return encodeWithResourceID(m, id)
}

// encodeWithResourceID adds the annotation to the decoded Event m and
// encodes it.
func encodeWithResourceID(m map[string]any, id string) ([]byte, error) {
	ann, _ := m["annotations"].(map[string]any)
	if ann == nil {
		ann = map[string]any{}
	}
	ann[ResourceIDAnnotation] = id
	m["annotations"] = ann
	return norm.Encode(m)
}

// aksTables are the resource-specific Log Analytics tables of AKS audit
// events.
var aksTables = []string{"AKSAudit", "AKSAuditAdmin"}

// aksColumns maps the AKSAudit table's columns to the Event's members.
var aksColumns = map[string]string{
	"Level":               "level",
	"AuditId":             "auditID",
	"Stage":               "stage",
	"RequestUri":          "requestURI",
	"Verb":                "verb",
	"User":                "user",
	"ImpersonatedUser":    "impersonatedUser",
	"SourceIps":           "sourceIPs",
	"UserAgent":           "userAgent",
	"ObjectRef":           "objectRef",
	"ResponseStatus":      "responseStatus",
	"RequestObject":       "requestObject",
	"ResponseObject":      "responseObject",
	"RequestReceivedTime": "requestReceivedTimestamp",
	"StageReceivedTime":   "stageTimestamp",
	"StageTimestamp":      "stageTimestamp",
	"Annotations":         "annotations",
}

// AKSTableRow is the shape of a row of the AKSAudit and AKSAuditAdmin
// tables (a Log Analytics workspace in resource-specific mode: query
// results, data export), converted to the Event: the columns renamed,
// dynamic columns written as JSON text decoded, the times in RFC 3339,
// TimeGenerated the time when the row has no request time.
func AKSTableRow() logsource.Shape {
	return logsource.Shape{
		Name: "Log Analytics AKSAudit row",
		Recognise: func(p logsource.Probe) bool {
			t, ok := p.Member("Type")
			if !ok || !norm.IsOneOf(t, aksTables) {
				return false
			}
			_, ok = p.Member("AuditId")
			return ok
		},
		Convert: convertRow,
	}
}

func convertRow(raw []byte) ([]byte, error) {
	row, err := norm.DecodeObject(raw)
	if err != nil {
		return nil, err
	}
	ev := map[string]any{"kind": "Event", "apiVersion": "audit.k8s.io/v1"}
	for col, member := range aksColumns {
		v, ok := row[col]
		if !ok || v == nil || v == "" {
			continue
		}
		switch member {
		case "requestReceivedTimestamp", "stageTimestamp":
			t, err := norm.RFC3339(v)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", col, err)
			}
			v = t
		default:
			v = norm.Embedded(v)
		}
		ev[member] = v
	}
	if _, ok := ev["requestReceivedTimestamp"]; !ok {
		if tg, ok := row["TimeGenerated"]; ok {
			t, err := norm.RFC3339(tg)
			if err != nil {
				return nil, fmt.Errorf("TimeGenerated: %w", err)
			}
			ev["requestReceivedTimestamp"] = t
		}
	}
	for _, k := range []string{"auditID", "verb"} {
		if s, ok := ev[k].(string); !ok || s == "" {
			return nil, fmt.Errorf("%w: %s", norm.ErrMissing, k)
		}
	}
	if id, ok := row["_ResourceId"].(string); ok && id != "" {
		if _, ok := ev["annotations"].(map[string]any); !ok {
			delete(ev, "annotations") // JSON text that is no object
		}
		return encodeWithResourceID(ev, id)
	}
	return norm.Encode(ev)
}

// errNotEvent marks a text that is not an audit Event.
var errNotEvent = errors.New("does not hold a Kubernetes audit event")

// embedded returns the Event held as JSON text in member key of the object
// raw (a new buffer); from names the member in errors.
func embedded(raw []byte, key, from string) ([]byte, error) {
	v, ok := norm.Member(raw, key)
	if !ok || v == nil {
		return nil, fmt.Errorf("%s: %w", from, norm.ErrMissing)
	}
	var s string
	if err := json.Unmarshal(v, &s); err != nil {
		return nil, fmt.Errorf("%s: %w", from, err)
	}
	return checkEvent(bytes.TrimSpace([]byte(s)), from)
}

// checkEvent returns ev when it is one audit Event object, else an error
// naming where it came from.
func checkEvent(ev []byte, from string) ([]byte, error) {
	if !json.Valid(ev) || len(ev) == 0 || ev[0] != '{' {
		return nil, fmt.Errorf("%s: %w (not a JSON object)", from, errNotEvent)
	}
	for _, k := range []string{"auditID", "verb"} {
		v, ok := norm.Member(ev, k)
		if !ok || len(v) < 2 || v[0] != '"' {
			return nil, fmt.Errorf("%s: %w (no %s)", from, errNotEvent, k)
		}
	}
	return ev, nil
}
