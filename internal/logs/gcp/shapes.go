package gcp

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/vigil-sec/vigil/internal/logs/internal/norm"
	"github.com/vigil-sec/vigil/internal/logs/logsource"
)

// ReportsActivity is the shape of Google Workspace audit events as the
// Admin SDK Reports API returns them (activities.list items, kind
// admin#reports#activity): converted to the LogEntry Cloud Logging writes
// for the same event when Workspace shares its audit logs with Google
// Cloud (serviceName admin.googleapis.com / login.googleapis.com,
// methodName google.admin.AdminService.changeApplicationSetting, the
// activity in protoPayload.metadata with its event[] name/value
// parameters), so the Workspace rules read either.
func ReportsActivity() logsource.Shape {
	return logsource.Shape{
		Name:      "Admin SDK Reports API activity",
		Recognise: recogniseReports,
		Convert:   convertReports,
	}
}

func recogniseReports(p logsource.Probe) bool {
	if k, ok := p.Member("kind"); ok {
		return string(k) == `"admin#reports#activity"`
	}
	id, ok := p.Member("id")
	if !ok || len(id) == 0 || id[0] != '{' {
		return false
	}
	_, ev := p.Member("events")
	app := false
	p.Members(id, func(k, _ []byte) bool {
		app = string(k) == "applicationName"
		return !app
	})
	return ev && app
}

// workspaceServices are the Reports API applications whose audit logs
// Workspace shares with Cloud Logging, with the service and method prefix
// Cloud Logging gives them; other applications get
// <applicationName>.googleapis.com and google.<applicationName>.
var workspaceServices = map[string][2]string{
	"admin":             {"admin.googleapis.com", "google.admin.AdminService."},
	"login":             {"login.googleapis.com", "google.login.LoginService."},
	"groups_enterprise": {"cloudidentity.googleapis.com", "google.apps.cloudidentity.groups.v1.GroupsService."},
}

func convertReports(raw []byte) ([]byte, error) {
	a, err := norm.DecodeObject(raw)
	if err != nil {
		return nil, err
	}
	id, _ := a["id"].(map[string]any)
	app, _ := id["applicationName"].(string)
	if app == "" {
		return nil, fmt.Errorf("%w: id.applicationName", norm.ErrMissing)
	}
	ts, err := norm.RFC3339(id["time"])
	if err != nil {
		return nil, fmt.Errorf("id.time: %w", err)
	}
	// events is a list; some collectors write one event per activity as
	// an object.
	var events []any
	switch e := a["events"].(type) {
	case []any:
		events = e
	case map[string]any:
		events = []any{e}
	}
	if len(events) == 0 {
		return nil, fmt.Errorf("%w: events", norm.ErrMissing)
	}
	svc, ok := workspaceServices[app]
	if !ok {
		svc = [2]string{app + ".googleapis.com", "google." + app + "."}
	}
	var first string
	ev := make([]any, 0, len(events))
	for _, x := range events {
		e, _ := x.(map[string]any)
		if e == nil {
			continue
		}
		name, _ := e["name"].(string)
		if first == "" {
			first = name
		}
		o := map[string]any{"eventName": name}
		if t, ok := e["type"]; ok {
			o["eventType"] = t
		}
		if ps, ok := e["parameters"]; ok {
			o["parameter"] = ps
		}
		ev = append(ev, o)
	}
	if first == "" {
		return nil, fmt.Errorf("%w: events[].name", norm.ErrMissing)
	}
	method := svc[1] + camel(first)
	actor, _ := a["actor"].(map[string]any)
	auth := map[string]any{}
	if e, ok := actor["email"]; ok {
		auth["principalEmail"] = e
	}
	req := map[string]any{}
	if ip, ok := a["ipAddress"]; ok {
		req["callerIp"] = ip
	}
	meta := map[string]any{
		"@type": "type.googleapis.com/ccc_hosted_reporting.ActivityProto",
		"event": ev,
	}
	if q, ok := id["uniqueQualifier"]; ok {
		meta["activityId"] = map[string]any{"uniqQualifier": fmt.Sprint(q)}
	}
	entry := map[string]any{
		"protoPayload": map[string]any{
			"@type":              auditLogType,
			"serviceName":        svc[0],
			"methodName":         method,
			"authenticationInfo": auth,
			"requestMetadata":    req,
			"metadata":           meta,
		},
		"resource":  map[string]any{"type": "audited_resource", "labels": map[string]any{"service": svc[0], "method": method}},
		"timestamp": ts,
		"severity":  "NOTICE",
	}
	if q, ok := id["uniqueQualifier"]; ok {
		entry["insertId"] = fmt.Sprint(q)
	}
	if c, ok := id["customerId"].(string); ok && c != "" {
		entry["labels"] = map[string]any{"customer_id": c}
	}
	return norm.Encode(entry)
}

// camel turns a Reports API event name (CHANGE_APPLICATION_SETTING,
// 2sv_disable) into Cloud Logging's method name part
// (changeApplicationSetting, 2svDisable).
func camel(name string) string {
	var b strings.Builder
	up := false
	for i, r := range strings.ToLower(name) {
		switch {
		case r == '_':
			up = i > 0
		case up && 'a' <= r && r <= 'z':
			b.WriteRune(r - 'a' + 'A')
			up = false
		default:
			b.WriteRune(r)
			up = false
		}
	}
	return b.String()
}

// BigQueryRow is the shape of Cloud Audit Logs routed by a log sink to
// BigQuery, as its tables' rows come out (a JSON export, bq query
// --format=json, the API's rows): protoPayload is the column
// protopayload_auditlog, its request, response, metadata and service data
// are JSON text (requestJson, responseJson, metadataJson,
// serviceDataJson), times are BigQuery TIMESTAMPs
// ("2024-05-07 09:00:11.912345 UTC" or Unix seconds); flattened exports
// write nested columns as dotted names (protopayload_auditlog.methodName).
func BigQueryRow() logsource.Shape {
	return logsource.Shape{
		Name:      "BigQuery audit log row",
		Recognise: recogniseBigQuery,
		Convert:   convertBigQuery,
	}
}

const bqPayload = "protopayload_auditlog"

func recogniseBigQuery(p logsource.Probe) bool {
	if _, ok := p.Member(bqPayload); ok {
		return true
	}
	found := false
	p.Members(p.Raw(), func(k, _ []byte) bool {
		found = strings.HasPrefix(string(k), bqPayload+".")
		return !found
	})
	return found
}

// bqJSON are the payload's columns of JSON text and the AuditLog fields
// they are.
var bqJSON = map[string]string{
	"requestJson":     "request",
	"responseJson":    "response",
	"metadataJson":    "metadata",
	"serviceDataJson": "serviceData",
}

func convertBigQuery(raw []byte) ([]byte, error) {
	row, err := norm.DecodeObject(raw)
	if err != nil {
		return nil, err
	}
	row = nest(row)
	pp, _ := row[bqPayload].(map[string]any)
	if pp == nil {
		return nil, errors.New(bqPayload + " is not a record")
	}
	payload := make(map[string]any, len(pp)+1)
	payload["@type"] = auditLogType
	for k, v := range pp {
		if v == nil {
			continue
		}
		if to, ok := bqJSON[k]; ok {
			if e := norm.Embedded(v); e != nil {
				if _, isRaw := e.(json.RawMessage); isRaw {
					payload[to] = e
				}
			}
			continue
		}
		if strings.HasPrefix(k, "servicedata_") {
			continue // typed service data columns: serviceDataJson carries the same
		}
		payload[k] = v
	}
	if s, _ := payload["methodName"].(string); s == "" {
		return nil, fmt.Errorf("%w: %s.methodName", norm.ErrMissing, bqPayload)
	}
	entry := make(map[string]any, len(row))
	for k, v := range row {
		if k == bqPayload || v == nil {
			continue
		}
		entry[k] = v
	}
	entry["protoPayload"] = payload
	for _, k := range []string{"timestamp", "receiveTimestamp", "receivetimestamp"} {
		if v, ok := entry[k]; ok {
			t, err := norm.RFC3339(v)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", k, err)
			}
			delete(entry, k)
			entry[strings.Replace(k, "receivetimestamp", "receiveTimestamp", 1)] = t
		}
	}
	if _, ok := entry["timestamp"]; !ok {
		if _, ok := entry["receiveTimestamp"]; !ok {
			return nil, fmt.Errorf("%w: timestamp", norm.ErrMissing)
		}
	}
	return norm.Encode(entry)
}

// nest turns dotted column names (protopayload_auditlog.methodName) into
// nested objects.
func nest(row map[string]any) map[string]any {
	dotted := false
	for k := range row {
		if strings.IndexByte(k, '.') >= 0 {
			dotted = true
			break
		}
	}
	if !dotted {
		return row
	}
	out := make(map[string]any, len(row))
	for k, v := range row {
		parts := strings.Split(k, ".")
		m := out
		for _, p := range parts[:len(parts)-1] {
			sub, ok := m[p].(map[string]any)
			if !ok {
				sub = map[string]any{}
				m[p] = sub
			}
			m = sub
		}
		m[parts[len(parts)-1]] = v
	}
	return out
}
