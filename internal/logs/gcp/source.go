package gcp

import (
	"bytes"

	"github.com/tidwall/gjson"

	"github.com/vigil-sec/vigil/internal/logs/logsource"
)

// Name is the source name of Cloud Audit Logs entries.
const Name logsource.Source = "gcp_audit"

const auditLogType = "type.googleapis.com/google.cloud.audit.AuditLog"

// Descriptor describes GCP Cloud Audit Logs (LogEntry with an AuditLog
// protoPayload), Google Workspace audit logs shared with Cloud Logging
// included.
func Descriptor() logsource.Descriptor {
	return logsource.Descriptor{
		Name:      Name,
		Title:     "GCP Cloud Audit Logs",
		Recognise: Recognise,
		Normalize: Normalize,
		Time:      []string{"timestamp", "receiveTimestamp"},
		Actor: []string{
			"protoPayload.authenticationInfo.principalEmail",
			"protoPayload.authenticationInfo.principalSubject",
		},
		UserAgent: []string{"protoPayload.requestMetadata.callerSuppliedUserAgent"},
		Operation: "protoPayload.methodName",
		// The Reports API's activities.list pages hold activities in
		// items (after kind and etag).
		// subscriptions.pull responses hold pulled messages in
		// receivedMessages.
		AltWrappers: []string{"items", "receivedMessages"},
		Shapes:      []logsource.Shape{ReportsActivity(), BigQueryRow(), PubSubMessage()},
		Sigma: logsource.Sigma{
			LogSources: []logsource.LogSource{
				{Product: "gcp", Service: "gcp.audit", Coverage: "gcp audit"},
				// Workspace audit logs shared with Google Cloud are Cloud
				// Audit Logs entries (AuditLog protoPayload).
				{Product: "gcp", Service: "google_workspace.admin", Coverage: "google workspace"},
				{Product: "gcp", Service: "google_workspace.login", Coverage: "google workspace"},
			},
			Fields: map[string][]string{
				// Elastic ECS names used by some SigmaHQ rules.
				"gcp.audit.method_name":                         {"protoPayload.methodName"},
				"gcp.audit.service_name":                        {"protoPayload.serviceName"},
				"gcp.audit.resource_name":                       {"protoPayload.resourceName"},
				"gcp.audit.authentication_info.principal_email": {"protoPayload.authenticationInfo.principalEmail"},
				"gcp.audit.type":                                {"protoPayload.@type"},
				"data.protopayload.logname":                     {"logName"},
				"data.protopayload.resource.type":               {"resource.type"},
				// Google Workspace audit logs shared with Cloud Logging
				// (serviceName admin.googleapis.com, login.googleapis.com):
				// the Reports API activity is in protoPayload.metadata, its
				// events in event[] with name/value parameter lists. The
				// rule names are those of the Reports API / OpenSearch's
				// gworkspace mapping.
				"eventservice": {"protoPayload.serviceName"},
				"eventname":    {"protoPayload.metadata.event.eventName"},
				"eventtype":    {"protoPayload.metadata.event.eventType"},
				"setting_name": {"protoPayload.metadata.event.parameter[name=SETTING_NAME].value"},
				"new_value":    {"protoPayload.metadata.event.parameter[name=NEW_VALUE].value"},
				"old_value":    {"protoPayload.metadata.event.parameter[name=OLD_VALUE].value"},
			},
			Prefixes: map[string]string{
				"data.protopayload.": "protoPayload.",
				"data.":              "",
			},
			Fallbacks: []string{"protoPayload."},
		},
		LakeView: string(Name),
	}
}

// Recognise knows an AuditLog entry by its protoPayload: by its @type, by
// an audit logName, or (exports that drop both) by the serviceName and
// methodName every AuditLog carries.
func Recognise(p logsource.Probe) ([]byte, bool) {
	pp, ok := p.Member("protoPayload")
	if !ok || len(pp) == 0 || pp[0] != '{' {
		return nil, false
	}
	t := gjson.GetBytes(pp, "@type").Str
	logName, _ := p.Member("logName")
	if t == auditLogType || (len(logName) > 0 && logName[0] == '"' && bytes.Contains(logName, []byte("cloudaudit.googleapis.com"))) {
		return nil, true
	}
	if t == "" {
		r := gjson.GetManyBytes(pp, "serviceName", "methodName")
		if r[0].Type == gjson.String && r[0].Str != "" && r[1].Type == gjson.String && r[1].Str != "" {
			return nil, true
		}
	}
	return nil, false
}
