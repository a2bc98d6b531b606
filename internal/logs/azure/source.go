package azure

import (
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
// "time", Event Hub "Time", Log Analytics "TimeGenerated").
func azureTime() []string { return []string{"time", "Time", "TimeGenerated"} }

// Activity describes the Azure Activity Log.
func Activity() logsource.Descriptor {
	return logsource.Descriptor{
		Name:    ActivityName,
		Title:   "Azure Activity Log",
		Wrapper: "records",
		Recognise: recogniser(true,
			// Write/Delete/Action are the per-operation categories older
			// Activity Log exports carry for Administrative events.
			"Administrative", "Security", "ServiceHealth", "ResourceHealth", "Alert",
			"Autoscale", "Recommendation", "Policy", "Action", "Write", "Delete"),
		Normalize: NormalizeActivity,
		Time:      azureTime(),
		Actor:     []string{"caller", "identity.claims.appid", "properties.caller"},
		Operation: "operationName",
		Sigma: logsource.Sigma{
			LogSources: []logsource.LogSource{
				{Product: "azure", Service: "activitylogs", Coverage: "azure activity"},
				{Product: "azure", Service: "activitylog", Coverage: "azure activity"},
			},
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
		},
		LakeView: string(ActivityName),
	}
}

// SignIn describes the Entra ID sign-in logs (interactive, non-interactive,
// service principal and managed identity sign-ins).
func SignIn() logsource.Descriptor {
	return logsource.Descriptor{
		Name:    SignInName,
		Title:   "Entra ID sign-in logs",
		Wrapper: "records",
		Recognise: recogniser(false, "SignInLogs", "NonInteractiveUserSignInLogs", "ServicePrincipalSignInLogs",
			"ManagedIdentitySignInLogs", "MicrosoftServicePrincipalSignInLogs", "ADFSSignInLogs"),
		Normalize: NormalizeSignIn,
		Time:      azureTime(),
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
		},
		LakeView: string(SignInName),
	}
}

// Audit describes the Entra ID audit logs (directory changes).
func Audit() logsource.Descriptor {
	return logsource.Descriptor{
		Name:      AuditName,
		Title:     "Entra ID audit logs",
		Wrapper:   "records",
		Recognise: recogniser(false, "AuditLogs"),
		Normalize: NormalizeAudit,
		Time:      azureTime(),
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
		},
		LakeView: string(AuditName),
	}
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
