package azure

import (
	"slices"
	"strings"

	"github.com/vigil-sec/vigil/internal/logs/logsource"
)

// Source names of the Azure diagnostic records: the Activity Log and the
// Entra ID sign-in and audit logs. They share one record shape (the
// diagnostic settings' {"records":[...]} files, Event Hub and storage
// exports, Log Analytics columns), told apart by category, so the three
// live side by side in this folder.
const (
	ActivityName logsource.Source = "azure_activitylogs"
	SignInName   logsource.Source = "azure_signinlogs"
	AuditName    logsource.Source = "azure_auditlogs"
)

// azureTime is where Azure records keep the event time (diagnostic records
// "time", Event Hub "Time", Log Analytics "TimeGenerated", the Activity
// Log REST API and `az monitor activity-log list` "eventTimestamp").
func azureTime() []string { return []string{"time", "Time", "TimeGenerated", "eventTimestamp"} }

// The Activity Log comes in three shapes, each read as the same events:
//
//   - diagnostic settings (storage, Event Hub): {"records":[...]} of
//     records with "operationName", "resultType", "category" strings and
//     the caller's token in "identity.claims";
//   - the Log Analytics AzureActivity table (query results, data export):
//     one object per row with its columns, "OperationNameValue" (the
//     operation; "OperationName" is its display name), "ActivityStatusValue",
//     "CategoryValue", "Caller", "CallerIpAddress", "Claims_d",
//     "Authorization_d", "Properties_d", "TimeGenerated", "Type":
//     "AzureActivity";
//   - the REST API's EventData (Activity Logs - List, its {"value":[...]}
//     pages, and `az monitor activity-log list`, an array of them):
//     "operationName", "status", "category", "resourceProviderName" are
//     {"value", "localizedValue"} objects, the time is "eventTimestamp",
//     the token "claims", the caller's address "httpRequest.clientIpAddress".
//
// activityOperation lists where each keeps the operation, the shape that
// names it most exactly first.
var activityOperation = []string{"OperationNameValue", "operationName.value", "operationName"}

// Activity describes the Azure Activity Log.
func Activity() logsource.Descriptor {
	return logsource.Descriptor{
		Name:        ActivityName,
		Title:       "Azure Activity Log",
		Wrapper:     "records",
		AltWrappers: []string{"value"},
		Recognise: activityRecogniser(
			// Write/Delete/Action are the per-operation categories older
			// Activity Log exports carry for Administrative events.
			"Administrative", "Security", "ServiceHealth", "ResourceHealth", "Alert",
			"Autoscale", "Recommendation", "Policy", "Action", "Write", "Delete"),
		Normalize:      NormalizeActivity,
		Time:           azureTime(),
		Actor:          []string{"caller", "identity.claims.appid", "properties.caller", "claims.appid", "Claims_d.appid"},
		Operation:      "operationName",
		OperationPaths: activityOperation,
		Sigma: logsource.Sigma{
			LogSources: []logsource.LogSource{
				{Product: "azure", Service: "activitylogs", Coverage: "azure activity"},
				{Product: "azure", Service: "activitylog", Coverage: "azure activity"},
			},
			// Rule fields in any of the three shapes' names, read from
			// whichever shape the event has (see activityOperation).
			Fields: map[string][]string{
				"operationnamevalue":        append(slices.Clone(activityOperation), "properties.operationName"),
				"operationname":             append(slices.Clone(activityOperation), "properties.operationName"),
				"categoryvalue":             {"CategoryValue", "category.value", "category"},
				"category":                  {"CategoryValue", "category.value", "category"},
				"resourceprovidervalue":     {"ResourceProviderValue", "resourceProviderName.value", "resourceProviderName", "properties.resourceProviderValue"},
				"resourceid":                {"resourceId", "_ResourceId", "properties.resource"},
				"properties.message":        {"properties.message", "Properties_d.message", "properties.statusMessage", "Properties_d.statusMessage"},
				"activitystatusvalue":       {"ActivityStatusValue", "resultType", "status.value"},
				"resulttype":                {"resultType", "ActivityStatusValue", "status.value"},
				"caller":                    {"identity.claims.name", "caller"},
				"calleripaddress":           {"callerIpAddress", "httpRequest.clientIpAddress"},
				"eventdataid":               {"properties.eventDataId", "eventDataId"},
				"identity.claims.xms_mirid": {"identity.claims.xms_mirid", "claims.xms_mirid", "Claims_d.xms_mirid"},
				"identity.claims.appid":     {"identity.claims.appid", "claims.appid", "Claims_d.appid"},
			},
			// properties.X of a diagnostic record or of EventData is
			// Properties_d.X of an AzureActivity row ("Properties" holds
			// the same as a JSON string).
			Prefixes:  map[string]string{"properties.": "Properties_d."},
			Fallbacks: []string{"properties."},
		},
		LakeView: string(ActivityName),
	}
}

// SignIn describes the Entra ID sign-in logs (interactive, non-interactive,
// service principal and managed identity sign-ins).
func SignIn() logsource.Descriptor {
	return logsource.Descriptor{
		Name:        SignInName,
		Title:       "Entra ID sign-in logs",
		Wrapper:     "records",
		AltWrappers: []string{"value"},
		Recognise: graphOr(recogniser(false, "SignInLogs", "NonInteractiveUserSignInLogs", "ServicePrincipalSignInLogs",
			"ManagedIdentitySignInLogs", "MicrosoftServicePrincipalSignInLogs", "ADFSSignInLogs"), graphSignIn),
		Normalize: NormalizeSignIn,
		Shapes:    []logsource.Shape{GraphPowerShellSignIn(), PortalSignInCSV()},
		Time:      append(azureTime(), "createdDateTime"),
		Actor:     []string{"properties.userPrincipalName", "properties.appId", "userPrincipalName", "appId"},
		Operation: "operationName",
		Sigma: logsource.Sigma{
			LogSources: []logsource.LogSource{
				{Product: "azure", Service: "signinlogs", Coverage: "entra signin"},
				{Product: "azure", Service: "signinlog", Coverage: "entra signin"},
				{Product: "azure", Service: "riskdetection", Coverage: "entra signin"},
			},
			Unsupported: []logsource.LogSource{{Product: "azure", Service: "pim",
				Reason: "unsupported log source product=azure service=pim: the rules match riskEventType values that are Microsoft Graph PIM alert incident types (unifiedRoleManagementAlertIncident, beta API /identityGovernance/roleManagementAlerts), which no Azure diagnostic setting, Entra ID log category or export delivers; vigil reads delivered logs only"}},
			Fields: withGraph(map[string][]string{
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
			}),
			Prefixes:  graphPrefixes(),
			Fallbacks: []string{"properties."},
		},
		LakeView: string(SignInName),
	}
}

// Audit describes the Entra ID audit logs (directory changes).
func Audit() logsource.Descriptor {
	return logsource.Descriptor{
		Name:        AuditName,
		Title:       "Entra ID audit logs",
		Wrapper:     "records",
		AltWrappers: []string{"value"},
		Recognise:   graphOr(recogniser(false, "AuditLogs"), graphDirectoryAudit),
		Normalize:   NormalizeAudit,
		Shapes:      []logsource.Shape{GraphPowerShellAudit(), PortalAuditCSV()},
		Time:        append(azureTime(), "activityDateTime"),
		Actor: []string{
			"properties.initiatedBy.user.userPrincipalName",
			"properties.initiatedBy.app.displayName",
			"properties.initiatedBy.app.servicePrincipalId",
			"initiatedBy.user.userPrincipalName",
			"initiatedBy.app.displayName",
		},
		Operation: "operationName",
		Sigma: logsource.Sigma{
			LogSources: []logsource.LogSource{
				{Product: "azure", Service: "auditlogs", Coverage: "entra audit"},
				{Product: "azure", Service: "auditlog", Coverage: "entra audit"},
			},
			Fields: withGraph(map[string][]string{
				"category":                         {"properties.category", "category"},
				"operationname":                    {"operationName", "properties.activityDisplayName", "activityDisplayName"},
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
				// A bare directoryAudit's own category (the diagnostic
				// record's top-level category is "AuditLogs").
				"properties.category": {"properties.category", "category"},
			}),
			Prefixes:  graphPrefixes(),
			Fallbacks: []string{"properties."},
		},
		LakeView: string(AuditName),
	}
}

// activityRecogniser knows an Activity Log event in any of its shapes
// (see activityOperation): a diagnostic record by its category (with an
// operation name or resource id); an AzureActivity row by its Type, or by
// CategoryValue with OperationNameValue; an EventData by its category's
// value, or by an operationName object with a string value next to an
// eventTimestamp (older EventData carry no category).
func activityRecogniser(categories ...string) func(logsource.Probe) ([]byte, bool) {
	diag := recogniser(true, categories...)
	isCategory := func(c []byte) bool {
		if len(c) < 2 || c[0] != '"' {
			return false
		}
		return slices.Contains(categories, string(c[1:len(c)-1]))
	}
	// value returns the raw "value" member of the object obj.
	value := func(p logsource.Probe, obj []byte) []byte {
		var v []byte
		if len(obj) > 0 && obj[0] == '{' {
			p.Members(obj, func(k, val []byte) bool {
				if string(k) == "value" {
					v = val
					return false
				}
				return true
			})
		}
		return v
	}
	return func(p logsource.Probe) ([]byte, bool) {
		if _, ok := diag(p); ok {
			return nil, true
		}
		if t, ok := p.Member("Type"); ok && string(t) == `"AzureActivity"` {
			return nil, true
		}
		if c, ok := p.Member("CategoryValue"); ok && isCategory(c) {
			if _, ok := p.Member("OperationNameValue"); ok {
				return nil, true
			}
		}
		op, hasOp := p.Member("operationName")
		opValue := value(p, op)
		if c, ok := p.Member("category"); ok && isCategory(value(p, c)) && (hasOp || hasMember(p, "resourceId")) {
			return nil, true
		}
		if len(opValue) > 1 && opValue[0] == '"' && hasMember(p, "eventTimestamp") {
			return nil, true
		}
		return nil, false
	}
}

func hasMember(p logsource.Probe, k string) bool {
	_, ok := p.Member(k)
	return ok
}

// recogniser knows a record by its category (diagnostic settings, Event
// Hub and storage exports; either casing of the key);
// Activity Log categories also need an operation name or resource id, as
// other Azure logs reuse names such as "Security" or "Policy".
func recogniser(needOp bool, categories ...string) func(logsource.Probe) ([]byte, bool) {
	return func(p logsource.Probe) ([]byte, bool) {
		c, ok := p.Member("category")
		if !ok {
			c, ok = p.Member("Category")
		}
		if !ok || len(c) < 2 || c[0] != '"' {
			return nil, false
		}
		cat := string(c[1 : len(c)-1])
		found := false
		for _, k := range categories {
			if k == cat {
				found = true
				break
			}
		}
		if !found {
			return nil, false
		}
		if !needOp {
			return nil, true
		}
		for _, k := range []string{"operationName", "OperationName", "OperationNameValue", "resourceId", "ResourceId", "_ResourceId"} {
			if _, ok := p.Member(k); ok {
				return nil, true
			}
		}
		return nil, false
	}
}

// Bare Microsoft Graph objects: GET /auditLogs/signIns and
// /auditLogs/directoryAudits return the signIn and directoryAudit
// resources in {"value":[...]} pages, the fields a diagnostic record keeps
// under "properties" at the top level, with no category, operation name or
// envelope time. The normalizers read them as the records' properties
// (see props); rules written for the records read them through
// graphPrefixes and withGraph.

// graphSignIn knows a Graph signIn: its creation time, its status object
// and a user or service principal with the application signed in to.
func graphSignIn(p logsource.Probe) bool {
	st, ok := p.Member("status")
	return ok && len(st) > 0 && st[0] == '{' && hasMember(p, "createdDateTime") && hasMember(p, "appId") &&
		(hasMember(p, "userPrincipalName") || hasMember(p, "servicePrincipalId"))
}

// graphDirectoryAudit knows a Graph directoryAudit by its activity's
// name and time and the service that logged it.
// A Log Analytics AuditLogs row (its Category is the directory category)
// is known by its Type.
func graphDirectoryAudit(p logsource.Probe) bool {
	if t, ok := p.Member("Type"); ok && string(t) == `"AuditLogs"` {
		return true
	}
	return hasMember(p, "activityDisplayName") && hasMember(p, "activityDateTime") &&
		(hasMember(p, "loggedByService") || hasMember(p, "initiatedBy"))
}

// graphOr recognises a diagnostic record by rec, else a bare Graph object
// by graph (only when the object has no category: a diagnostic record of
// another category is not a Graph object).
func graphOr(rec func(logsource.Probe) ([]byte, bool), graph func(logsource.Probe) bool) func(logsource.Probe) ([]byte, bool) {
	return func(p logsource.Probe) ([]byte, bool) {
		if inner, ok := rec(p); ok {
			return inner, true
		}
		if hasMember(p, "category") && !hasMember(p, "activityDisplayName") || hasMember(p, "properties") {
			return nil, false
		}
		return nil, graph(p)
	}
}

// graphPrefixes reads a rule's properties.X field from a bare Graph
// object's top-level X. On a diagnostic record X is not at the top level,
// so the field itself is read next (the one top-level name both share
// with a different meaning, category, is mapped explicitly).
func graphPrefixes() map[string]string { return map[string]string{"properties.": ""} }

// withGraph adds to each candidate path properties.X its bare Graph form X,
// tried after the candidates.
func withGraph(fields map[string][]string) map[string][]string {
	for k, paths := range fields {
		for _, p := range paths {
			if rest, ok := strings.CutPrefix(p, "properties."); ok && !slices.Contains(paths, rest) {
				paths = append(paths, rest)
			}
		}
		fields[k] = paths
	}
	return fields
}
