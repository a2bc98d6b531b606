package sigma

import (
	"fmt"
	"strings"
)

// Source names, equal to internal/logs.Source values.
const (
	SourceAWSCloudTrail = "aws_cloudtrail"
	SourceAzureActivity = "azure_activitylogs"
	SourceAzureSignIn   = "azure_signinlogs"
	SourceAzureAudit    = "azure_auditlogs"
	SourceGCPAudit      = "gcp_audit"
	SourceM365Audit     = "m365_audit"
)

// FieldMap maps the field names Sigma rules use for one log source to JSON
// paths in the events as that cloud delivers them (pySigma pipelines do the
// same). A rule field is looked up case-insensitively: first in Fields, then
// rewritten by the longest matching Prefixes entry; the field name itself is
// always tried last. JSONEvent resolves every path segment exactly first and
// then case-insensitively.
type FieldMap struct {
	Name string
	// Fields maps a lower-cased rule field to candidate event paths, tried
	// in order; the first one present in the event is used.
	Fields map[string][]string
	// Prefixes rewrites a lower-cased rule field prefix ("data.protopayload.")
	// to an event path prefix ("protoPayload.").
	Prefixes map[string]string
	// Fallbacks are prefixes tried after the field itself when it is
	// absent, e.g. "properties." for Azure records.
	Fallbacks []string
	// Placeholders are the values for the expand modifier (%name% -> values).
	Placeholders map[string][]string
	// Values maps a lower-cased rule field and a lower-cased plain rule value
	// to the values the source writes (pySigma's value mapping), e.g.
	// status "success" -> ResultStatus "Succeeded", "Success", "True".
	Values map[string]map[string][]string
}

// Paths returns the event paths a rule field is read from, in order.
func (fm FieldMap) Paths(field string) []string {
	lf := strings.ToLower(field)
	var out []string
	add := func(p string) {
		for _, q := range out {
			if q == p {
				return
			}
		}
		out = append(out, p)
	}
	for _, p := range fm.Fields[lf] {
		add(p)
	}
	best := ""
	for pre := range fm.Prefixes {
		if strings.HasPrefix(lf, pre) && len(pre) > len(best) {
			best = pre
		}
	}
	if best != "" {
		add(fm.Prefixes[best] + field[len(best):])
	}
	add(field)
	for _, fb := range fm.Fallbacks {
		add(fb + field)
	}
	return out
}

// FieldMapFor returns vigil's field map for a source (one of the Source*
// constants). An unknown source gets an identity map.
func FieldMapFor(source string) FieldMap {
	switch source {
	case SourceAWSCloudTrail:
		// SigmaHQ's CloudTrail rules use the record's own field names.
		return FieldMap{Name: source}
	case SourceAzureActivity:
		return FieldMap{
			Name: source,
			Fields: map[string][]string{
				// Log Analytics AzureActivity column names -> diagnostic record.
				"operationnamevalue":    {"operationName", "properties.operationName"},
				"operationname":         {"operationName", "properties.operationName"},
				"categoryvalue":         {"category"},
				"resourceprovidervalue": {"resourceProviderName.value", "resourceProviderName", "properties.resourceProviderValue"},
				"resourceid":            {"resourceId", "properties.resource"},
				"properties.message":    {"properties.message", "properties.statusMessage"},
				"activitystatusvalue":   {"resultType", "status.value"},
				"caller":                {"identity.claims.name", "caller"},
			},
			Fallbacks: []string{"properties."},
		}
	case SourceAzureSignIn:
		return FieldMap{
			Name: source,
			Fields: map[string][]string{
				"resulttype":                {"resultType", "properties.status.errorCode"},
				"resultdescription":         {"resultDescription", "properties.status.failureReason"},
				"status":                    {"properties.status.additionalDetails", "resultSignature"},
				"username":                  {"properties.userPrincipalName"},
				"userprincipalname":         {"properties.userPrincipalName"},
				"clientapp":                 {"properties.clientAppUsed"},
				"ipaddress":                 {"callerIpAddress", "properties.ipAddress"},
				"properties.message":        {"properties.authenticationProtocol", "properties.message"},
				"appdisplayname":            {"properties.appDisplayName"},
				"resourcedisplayname":       {"properties.resourceDisplayName"},
				"authenticationrequirement": {"properties.authenticationRequirement"},
				"activitydetails":           {"operationName"},
				// Identity Protection risk detections: sign-in records carry
				// riskEventTypes_v2; UserRiskEvents records riskEventType.
				"riskeventtype": {"properties.riskEventType", "properties.riskEventTypes_v2", "properties.riskEventTypes"},
			},
			Fallbacks: []string{"properties."},
		}
	case SourceAzureAudit:
		return FieldMap{
			Name: source,
			Fields: map[string][]string{
				"category":                         {"properties.category", "category"},
				"operationname":                    {"operationName", "properties.activityDisplayName"},
				"activitydisplayname":              {"properties.activityDisplayName", "operationName"},
				"activitytype":                     {"properties.activityDisplayName", "operationName"},
				"properties.message":               {"properties.activityDisplayName", "operationName"},
				"status":                           {"properties.result", "resultType"},
				"loggedbyservice":                  {"properties.loggedByService"},
				"initiatedby":                      {"properties.initiatedBy.user.userPrincipalName", "properties.initiatedBy.app.displayName"},
				"target":                           {"properties.targetResources.userPrincipalName", "properties.targetResources.displayName"},
				"failure_status_reason":            {"properties.resultReason", "resultDescription"},
				"additionaldetails.additionalinfo": {"properties.additionalDetails.value"},
				"consentcontext.isadminconsent":    {"properties.targetResources.modifiedProperties.newValue"},
			},
			Fallbacks: []string{"properties."},
		}
	case SourceGCPAudit:
		return FieldMap{
			Name: source,
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
		}
	case SourceM365Audit:
		// Office 365 Management Activity API records: the "audit" rules use
		// the records' own names; the exchange, threat_management and
		// threat_detection rules use eventSource/eventName/status (the
		// Workload, the alert name of SecurityComplianceAlerts records or
		// else the Operation, and the outcome).
		return FieldMap{
			Name: source,
			Fields: map[string][]string{
				"eventsource": {"Workload"},
				"eventname":   {"Name", "Operation"},
				"status":      {"ResultStatus"},
				// Entra ID sign-in records carry RequestType, UserAgent etc.
				// in ExtendedProperties name/value pairs.
				"requesttype": {"ExtendedProperties[Name=RequestType].Value"},
				"useragent":   {"ExtendedProperties[Name=UserAgent].Value"},
				// Payload is the raw event text (as in QRadar): cmdlet name
				// and parameters of Security & Compliance cmdlet records.
				"payload": {RawPath},
			},
			Values: map[string]map[string][]string{
				"status": {
					"success": {"Succeeded", "Success", "True"},
					"failure": {"Failed", "Failure", "False"},
				},
			},
		}
	}
	return FieldMap{Name: source}
}

// Source maps the rule's logsource to a vigil log source name, or explains
// why no vigil reader produces its events.
func (r *Rule) Source() (string, error) {
	return MapLogSource(r.LogSource)
}

// MapLogSource maps a Sigma logsource to a vigil source (see Rule.Source).
func MapLogSource(ls LogSource) (string, error) {
	switch ls.Product {
	case "aws":
		if ls.Service == "cloudtrail" {
			return SourceAWSCloudTrail, nil
		}
	case "azure":
		switch ls.Service {
		case "activitylogs", "activitylog":
			return SourceAzureActivity, nil
		case "signinlogs", "signinlog", "riskdetection":
			return SourceAzureSignIn, nil
		case "auditlogs", "auditlog":
			return SourceAzureAudit, nil
		}
	case "gcp":
		switch ls.Service {
		case "gcp.audit":
			return SourceGCPAudit, nil
		case "google_workspace.admin", "google_workspace.login":
			// Workspace audit logs shared with Google Cloud are Cloud Audit
			// Logs entries (AuditLog protoPayload), read as gcp_audit.
			return SourceGCPAudit, nil
		}
	case "m365":
		switch ls.Service {
		case "audit", "exchange", "threat_management", "threat_detection":
			return SourceM365Audit, nil
		}
	}
	if ls.Product == "azure" && ls.Service == "pim" {
		return "", fmt.Errorf("unsupported log source product=azure service=pim: the rules match riskEventType values that are Microsoft Graph PIM alert incident types (unifiedRoleManagementAlertIncident, beta API /identityGovernance/roleManagementAlerts), which no Azure diagnostic setting, Entra ID log category or export delivers; vigil reads delivered logs only")
	}
	return "", fmt.Errorf("unsupported log source product=%s service=%s category=%s: no vigil reader produces these events", ls.Product, ls.Service, ls.Category)
}
