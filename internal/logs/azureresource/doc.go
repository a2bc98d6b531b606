// Package azureresource reads Azure resource logs (the data-plane logs of
// Azure resources, as diagnostic settings write them and as Log Analytics
// keeps them): Key Vault's AuditEvent (secret, key and certificate reads and
// changes, vault and access-policy changes) and Blob Storage's
// StorageRead / StorageWrite / StorageDelete, and Azure SQL auditing's
// SQLSecurityAuditEvents (logins, statements, permission and role
// changes; "properties" in snake_case, the SQLSecurityAuditEvents table in
// PascalCase, AzureDiagnostics rows flattened with type suffixes). It
// normalizes them to OCSF 1.8.0 API Activity.
//
// Three shapes of the same records are read:
//
//   - diagnostic settings (storage account, Event Hub): {"records":[...]}
//     of records with "time", "resourceId", "operationName", "category",
//     "resultType" (Key Vault) or "statusCode"/"statusText" (Storage),
//     "callerIpAddress", "identity" (Key Vault: "identity.claim", the
//     caller's token claims; Storage: "identity.type" the authentication
//     type, "identity.requester" the OAuth caller) and "properties";
//   - the Log Analytics resource-specific tables AZKVAuditLogs and
//     StorageBlobLogs (one object per row: "TimeGenerated", "OperationName",
//     "Category", "ResultType", "CallerIpAddress", "Identity", "Id";
//     "AuthenticationType", "StatusText", "RequesterUpn", "Uri", "Type");
//   - the legacy AzureDiagnostics table rows of Key Vault ("ResourceProvider"
//     MICROSOFT.KEYVAULT, "Category" AuditEvent, flattened columns such as
//     "id_s", "identity_claim_upn_s", "clientInfo_s", "httpStatusCode_d").
package azureresource
