package azureresource

import (
	"github.com/vigil-sec/vigil/internal/logs/internal/norm"
	"github.com/vigil-sec/vigil/internal/logs/logsource"
)

// Name is the source name of Azure resource logs.
const Name logsource.Source = "azure_resourcelogs"

// Categories are the diagnostic-setting categories read: Key Vault's audit
// log, Blob Storage's three (the Storage ones are also those of the
// queue, table and file services, read alike) and Azure SQL auditing's.
var Categories = []string{"AuditEvent", "StorageRead", "StorageWrite", "StorageDelete", "SQLSecurityAuditEvents"}

// Types are the Log Analytics tables whose rows are read ("Type" column).
var Types = []string{"AZKVAuditLogs", "StorageBlobLogs", "StorageQueueLogs", "StorageTableLogs", "StorageFileLogs", "SQLSecurityAuditEvents"}

// sqlCategory is Azure SQL auditing's category (and resource-specific
// table).
const sqlCategory = "SQLSecurityAuditEvents"

// Claim keys of a Key Vault caller's token (identity.claim).
const (
	claimUPN = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn"
	claimOID = "http://schemas.microsoft.com/identity/claims/objectidentifier"
)

// callerPaths are where the caller is, in every shape: a Key Vault token's
// object id, UPN and application (diagnostic records, AZKVAuditLogs'
// Identity, AzureDiagnostics' flattened columns), a storage request's OAuth
// requester (diagnostic records, StorageBlobLogs columns).
var callerPaths = []string{
	"identity.claim." + claimOID, "identity.claim.oid", "identity.claim." + claimUPN, "identity.claim.upn",
	"identity.claim.appid",
	"identity_claim_http_schemas_microsoft_com_identity_claims_objectidentifier_g", "identity_claim_oid_g",
	"identity_claim_upn_s", "identity_claim_appid_g",
	"identity.requester.objectId", "RequesterObjectId", "identity.requester.upn", "RequesterUpn",
	"identity.requester.appId", "RequesterAppId",
	// Account-key and SAS requests: the hash of the key or token.
	"identity.tokenHash", "AuthenticationHash",
	// Azure SQL auditing: the login (SQL login, Entra user or app).
	"properties.server_principal_name", "ServerPrincipalName", "server_principal_name_s",
}

// Descriptor describes Azure resource logs.
func Descriptor() logsource.Descriptor {
	return logsource.Descriptor{
		Name:      Name,
		Title:     "Azure resource logs (Key Vault, Storage, SQL auditing)",
		Wrapper:   "records",
		Recognise: Recognise,
		Normalize: Normalize,
		Time:      []string{"time", "TimeGenerated", "Time"},
		Actor: []string{
			"identity.claim." + claimUPN, "identity.claim.upn", "identity.claim.appid", "identity_claim_upn_s",
			"identity_claim_appid_g", "identity.requester.upn", "RequesterUpn", "identity.requester.appId", "RequesterAppId",
			"properties.server_principal_name", "ServerPrincipalName", "server_principal_name_s",
		},
		Operation:      "operationName",
		OperationPaths: []string{"operationName", "OperationName"},
		Sigma: logsource.Sigma{
			LogSources: []logsource.LogSource{
				{Product: "azure", Service: "resourcelogs", Coverage: "azure resource logs"},
				{Product: "azure", Service: "keyvault", Coverage: "azure resource logs"},
				{Product: "azure", Service: "storage", Coverage: "azure resource logs"},
				{Product: "azure", Service: "sql", Coverage: "azure resource logs"},
			},
			// Rule fields use the diagnostic records' names; the Log
			// Analytics columns of the same data are read when the
			// record is a table row (names that differ only by case need
			// no entry: field lookup falls back to case-insensitive).
			Fields: map[string][]string{
				"caller":                     callerPaths,
				"resourceid":                 {"resourceId", "_ResourceId", "ResourceId"},
				"calleripaddress":            {"callerIpAddress", "CallerIpAddress", "CallerIPAddress"},
				"resultsignature":            {"resultSignature", "ResultSignature"},
				"properties.id":              {"properties.id", "Id", "id_s"},
				"properties.clientinfo":      {"properties.clientInfo", "ClientInfo", "clientInfo_s"},
				"properties.requesturi":      {"properties.requestUri", "RequestUri", "requestUri_s"},
				"identity.type":              {"identity.type", "AuthenticationType"},
				"identity.requester.upn":     {"identity.requester.upn", "RequesterUpn"},
				"statustext":                 {"statusText", "StatusText"},
				"statuscode":                 {"statusCode", "StatusCode"},
				"uri":                        {"uri", "Uri"},
				"properties.accountname":     {"properties.accountName", "AccountName"},
				"properties.objectkey":       {"properties.objectKey", "ObjectKey"},
				"properties.useragentheader": {"properties.userAgentHeader", "UserAgentHeader"},
				"properties.httpstatuscode":  {"properties.httpStatusCode", "HttpStatusCode", "httpStatusCode_d"},
				"identity.tokenhash":         {"identity.tokenHash", "AuthenticationHash"},
				// Access policy changes (VaultPatch/VaultPut): AzureDiagnostics
				// flattens them to addedAccessPolicy_* columns.
				"properties.addedaccesspolicy.objectid":            {"properties.addedAccessPolicy.ObjectId", "addedAccessPolicy_ObjectId_g"},
				"properties.addedaccesspolicy.permissions.secrets": {"properties.addedAccessPolicy.Permissions.secrets", "addedAccessPolicy_Permissions_secrets_s"},
				"properties.addedaccesspolicy.permissions.keys":    {"properties.addedAccessPolicy.Permissions.keys", "addedAccessPolicy_Permissions_keys_s"},
				// Azure SQL auditing: the SQLSecurityAuditEvents table's
				// PascalCase columns, AzureDiagnostics' flattened ones.
				"properties.action_id":             {"properties.action_id", "ActionId", "action_id_s"},
				"properties.action_name":           {"properties.action_name", "ActionName", "action_name_s"},
				"properties.succeeded":             {"properties.succeeded", "Succeeded", "succeeded_s"},
				"properties.client_ip":             {"properties.client_ip", "ClientIp", "client_ip_s"},
				"properties.server_principal_name": {"properties.server_principal_name", "ServerPrincipalName", "server_principal_name_s"},
				"properties.statement":             {"properties.statement", "Statement", "statement_s"},
				"properties.database_name":         {"properties.database_name", "DatabaseName", "database_name_s"},
				"properties.application_name":      {"properties.application_name", "ApplicationName", "application_name_s"},
				"properties.response_rows":         {"properties.response_rows", "ResponseRows", "response_rows_d"},
			},
		},
		LakeView: string(Name),
	}
}

// Recognise knows a resource-log record by its category (with an
// operation name, as other Azure logs reuse category names) or a table row
// by its Type.
func Recognise(p logsource.Probe) ([]byte, bool) {
	if t, ok := p.Member("Type"); ok && norm.IsOneOf(t, Types) {
		return nil, true
	}
	c, ok := p.Member("category")
	if !ok {
		c, ok = p.Member("Category")
	}
	if !ok || !norm.IsOneOf(c, Categories) {
		return nil, false
	}
	for _, k := range []string{"operationName", "OperationName"} {
		if _, ok := p.Member(k); ok {
			return nil, true
		}
	}
	return nil, false
}
