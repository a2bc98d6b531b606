package detect

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Azure resource-log cases: Key Vault AuditEvent and Blob Storage records
// (vigil_pack_azure_resource.yml), in the diagnostic settings' shape and
// in the Log Analytics tables' (AZKVAuditLogs, AzureDiagnostics,
// StorageBlobLogs), each beside benign look-alikes.

const (
	kvResource = "/SUBSCRIPTIONS/6B3F0C2A-1D4E-4F5A-9B8C-7D6E5F4A3B2C/RESOURCEGROUPS/PROD-RG/PROVIDERS/MICROSOFT.KEYVAULT/VAULTS/KV-PROD"
	// mallory is a user's object id; appIdentity a web app's managed identity.
	mallory     = "d9da5048-2737-4770-bd64-1a2b3c4d5e6f"
	appIdentity = "0f9e8d7c-6b5a-4c3d-2e1f-0a9b8c7d6e5f"
	stResource  = "/subscriptions/6b3f0c2a-1d4e-4f5a-9b8c-7d6e5f4a3b2c/resourceGroups/prod-rg/providers/Microsoft.Storage/storageAccounts/acmefinance/blobServices/default"
)

// kvEvent is a Key Vault AuditEvent diagnostic record of op at second sec
// by the caller with object id oid, on object id (properties.id), answered
// with HTTP status code; extra is added to properties.
func kvEvent(sec int, op, oid, id string, code int, extra string) string {
	if extra != "" {
		extra = "," + extra
	}
	sig := "OK"
	if code >= 400 {
		sig = "Forbidden"
	}
	return fmt.Sprintf(`{"time":"2024-03-14T09:%02d:%02d.1234567Z","resourceId":%q,"operationName":%q,"operationVersion":"7.4","category":"AuditEvent","resultType":"Success","resultSignature":%q,"resultDescription":"","durationMs":"12","callerIpAddress":"203.0.113.45","correlationId":"7f1c2b3a-4d5e-4f6a-8b9c-0d1e2f3a4b5c","identity":{"claim":{"http://schemas.microsoft.com/identity/claims/objectidentifier":%q,"appid":"04b07795-8ddb-461a-bbee-02f9e1bf7b46"}},"properties":{"id":%q,"clientInfo":"azsdk-python-keyvault-secrets/4.7.0 Python/3.11.8","requestUri":"%s?api-version=7.4","httpStatusCode":%d%s}}`,
		30+sec/60, sec%60, kvResource, op, sig, oid, id, id, code, extra)
}

// kvTableRow is the same request as an AZKVAuditLogs row.
func kvTableRow(sec int, op, oid, id string) string {
	return fmt.Sprintf(`{"TenantId":"e1d2c3b4-a596-4877-8899-aabbccddeeff","TimeGenerated":"2024-03-14T09:%02d:%02d.0000000Z","OperationName":%q,"ResultType":"Success","ResultSignature":"OK","CallerIpAddress":"203.0.113.45","DurationMs":21,"Identity":{"claim":{"http://schemas.microsoft.com/identity/claims/objectidentifier":%q}},"Id":%q,"ClientInfo":"azsdk-python-keyvault-secrets/4.7.0","HttpStatusCode":200,"Category":"AuditEvent","_ResourceId":%q,"Type":"AZKVAuditLogs"}`,
		30+sec/60, sec%60, op, oid, id, strings.ToLower(kvResource))
}

// kvLegacyRow is the same request as an AzureDiagnostics row (columns
// flattened with their type suffix); extra adds columns.
func kvLegacyRow(sec int, op, oid, id, extra string) string {
	if extra != "" {
		extra = "," + extra
	}
	return fmt.Sprintf(`{"TenantId":"e1d2c3b4-a596-4877-8899-aabbccddeeff","TimeGenerated":"2024-03-14T09:%02d:%02d.0000000Z","ResourceId":%q,"Category":"AuditEvent","ResourceGroup":"PROD-RG","SubscriptionId":"6b3f0c2a-1d4e-4f5a-9b8c-7d6e5f4a3b2c","ResourceProvider":"MICROSOFT.KEYVAULT","Resource":"KV-PROD","ResourceType":"VAULTS","OperationName":%q,"ResultType":"Success","ResultSignature":"OK","CallerIPAddress":"203.0.113.45","identity_claim_http_schemas_microsoft_com_identity_claims_objectidentifier_g":%q,"id_s":%q,"clientInfo_s":"PowerShell/7.4.1 KeyVault/5.0.0","httpStatusCode_d":200,"Type":"AzureDiagnostics"%s}`,
		30+sec/60, sec%60, kvResource, op, oid, id, extra)
}

// secretID is the id of secret n of the vault.
func secretID(n int) string {
	return fmt.Sprintf("https://kv-prod.vault.azure.net/secrets/app-secret-%02d", n)
}

// blobEvent is a Blob Storage diagnostic record of op in category at
// second sec on blob name, authenticated as identity (the record's
// "identity" object), answered with statusText and HTTP code.
func blobEvent(sec int, category, op, name, statusText string, code int, identity string) string {
	return fmt.Sprintf(`{"time":"2024-03-14T10:%02d:%02d.7712316Z","resourceId":%q,"category":%q,"operationName":%q,"operationVersion":"2021-08-06","schemaVersion":"1.0","statusCode":%d,"statusText":%q,"durationMs":9,"callerIpAddress":"185.220.101.4:%d","correlationId":"ad881411-201e-004e-1c99-cfd67d%06d","location":"westeurope","uri":"https://acmefinance.blob.core.windows.net/reports/%s","protocol":"HTTPS","identity":%s,"properties":{"accountName":"acmefinance","userAgentHeader":"azsdk-python-storage-blob/12.19.0 Python/3.11.8","serviceType":"blob","objectKey":"/acmefinance/reports/%s","serverLatencyMs":6,"tlsVersion":"TLS 1.2"}}`,
		sec/60, sec%60, stResource, category, op, code, statusText, 40000+sec, sec, name, identity, name)
}

// blobTableRow is a StorageBlobLogs row.
func blobTableRow(sec int, category, op, name, auth, statusText, hash string) string {
	return fmt.Sprintf(`{"TenantId":"e1d2c3b4-a596-4877-8899-aabbccddeeff","TimeGenerated":"2024-03-14T10:%02d:%02d.0000000Z","AccountName":"acmefinance","Location":"westeurope","Protocol":"HTTPS","OperationName":%q,"AuthenticationType":%q,"StatusCode":"200","StatusText":%q,"DurationMs":7,"Uri":"https://acmefinance.blob.core.windows.net/reports/%s","CallerIpAddress":"198.51.100.77:%d","AuthenticationHash":%q,"UserAgentHeader":"AzCopy/10.23.0 Linux","ObjectKey":"/acmefinance/reports/%s","Category":%q,"_ResourceId":%q,"Type":"StorageBlobLogs"}`,
		sec/60, sec%60, op, auth, statusText, name, 40000+sec, hash, name, category, strings.ToLower(stResource))
}

const (
	oauthIdentity = `{"type":"OAuth","tokenHash":"B3CC9D5C64B3351573D806751312317FE4E910877E7CBAFA9D95E0BE923DD25C","requester":{"appId":"04b07795-8ddb-461a-bbee-02f9e1bf7b46","audience":"https://storage.azure.com/","objectId":"` + mallory + `","tenantId":"4b2d7c1e-9f3a-4e8b-a6d5-0c1f2e3d4a5b","upn":"mallory@contoso.example"}}`
	anonIdentity  = `{"type":"Anonymous"}`
	sasHash       = "key1(0A0XE8AADA354H19722ED12342443F0DC8FAF3E6GF8C8AD805DE6D563E0E5F8A),SasSignature(04D64C2B3A704145C9F1664F201123467A74D72DA72751A9137DDAA732FA03CF)"
)

// sqlAudit is an Azure SQL auditing diagnostic record (category
// SQLSecurityAuditEvents, properties in snake_case as the diagnostic
// setting writes them) of action at second sec, by login from ip, with the
// statement text; succeeded is the string the record carries.
func sqlAudit(sec int, actionID, actionName, login, ip, statement string, succeeded bool) string {
	return fmt.Sprintf(`{"properties":{"is_server_level_audit":"false","data_sensitivity_information":"","application_name":"Microsoft SQL Server Management Studio - Query","user_defined_information":"","additional_information":"","statement":%q,"object_name":"payroll","schema_name":"","database_name":"payroll","affected_rows":0,"response_rows":0,"duration_milliseconds":0,"transaction_id":0,"user_defined_event_id":0,"object_id":5,"target_database_principal_id":0,"target_server_principal_id":0,"audit_schema_version":1,"event_time":"2024-03-14T11:%02d:%02d.734Z","sequence_number":1,"succeeded":"%t","is_column_permission":"false","session_id":%d,"server_principal_id":0,"database_principal_id":1,"action_id":%q,"action_name":%q,"class_type":"DB","class_type_description":"DATABASE","securable_class_type":"DATABASE","client_ip":%q,"permission_bitmask":"0x00000000000000000000000000000000","sequence_group_id":"3D7C524F-6658-42C4-8C5C-EF6CDE657481","session_server_principal_name":%q,"server_principal_name":%q,"server_principal_sid":"0x0106000000000164000000000000000071DB52980FE6574ABF82FA2619C6464E","database_principal_name":"dbo","target_server_principal_name":"","target_server_principal_sid":"","target_database_principal_name":"","server_instance_name":"acme-sql-prod"},"operationName":"AuditEvent","category":"SQLSecurityAuditEvents","resourceId":"/SUBSCRIPTIONS/6B3F0C2A-1D4E-4F5A-9B8C-7D6E5F4A3B2C/RESOURCEGROUPS/PROD-RG/PROVIDERS/MICROSOFT.SQL/SERVERS/ACME-SQL-PROD/DATABASES/PAYROLL","time":"2024-03-14T11:%02d:%02d.844Z","ResourceGroup":"prod-rg","SubscriptionId":"6b3f0c2a-1d4e-4f5a-9b8c-7d6e5f4a3b2c","LogicalServerName":"acme-sql-prod"}`,
		statement, sec/60, sec%60, succeeded, 100+sec, actionID, actionName, ip, login, login, sec/60, sec%60)
}

// sqlTableRow is the same record as a SQLSecurityAuditEvents table row.
func sqlTableRow(sec int, actionID, actionName, login, ip, statement string, succeeded bool) string {
	return fmt.Sprintf(`{"TenantId":"e1d2c3b4-a596-4877-8899-aabbccddeeff","TimeGenerated":"2024-03-14T11:%02d:%02d.0000000Z","EventTime":"2024-03-14T11:%02d:%02d.0000000Z","Category":"SQLSecurityAuditEvents","OperationName":"AuditEvent","ActionId":%q,"ActionName":%q,"Succeeded":%t,"ClientIp":%q,"ServerPrincipalName":%q,"Statement":%q,"DatabaseName":"payroll","ApplicationName":"sqlcmd","LogicalServerName":"acme-sql-prod","ResponseRows":0,"AffectedRows":0,"_ResourceId":"/subscriptions/6b3f0c2a-1d4e-4f5a-9b8c-7d6e5f4a3b2c/resourcegroups/prod-rg/providers/microsoft.sql/servers/acme-sql-prod/databases/payroll","Type":"SQLSecurityAuditEvents"}`,
		sec/60, sec%60, sec/60, sec%60, actionID, actionName, succeeded, ip, login, statement)
}

// sasIdentity is the identity of a request signed with SAS token n.
func sasIdentity(n int) string {
	return fmt.Sprintf(`{"type":"SAS","tokenHash":"key1(0A0XE8AADA354H19722ED12342443F0DC8FAF3E6GF8C8AD805DE6D563E0E5F8A),SasSignature(%064X)"}`, n)
}

// accessPolicy is a VaultPatch's properties.addedAccessPolicy granting
// secrets and keys permissions.
func accessPolicy(secrets, keys string) string {
	return fmt.Sprintf(`"addedAccessPolicy":{"ObjectId":%q,"TenantId":"4b2d7c1e-9f3a-4e8b-a6d5-0c1f2e3d4a5b","Permissions":{"keys":[%s],"secrets":[%s],"certificates":[]}}`, mallory, keys, secrets)
}

func azureResourceCases() []accCase {
	var bulk, bulkTable, bulkLegacy, oneSecret, fewSecrets, refused []string
	for i := range 12 {
		bulk = append(bulk, kvEvent(i*20, "SecretGet", mallory, secretID(i), 200, ""))
		bulkTable = append(bulkTable, kvTableRow(i*20, "SecretGet", mallory, secretID(i)))
		bulkLegacy = append(bulkLegacy, kvLegacyRow(i*20, "SecretGet", mallory, secretID(i), ""))
		// A web app's managed identity re-reading its one secret, and
		// nine different secrets at a restart; twelve reads refused.
		oneSecret = append(oneSecret, kvEvent(i*20, "SecretGet", appIdentity, secretID(1), 200, ""))
		if i < 9 {
			fewSecrets = append(fewSecrets, kvEvent(i, "SecretGet", appIdentity, secretID(i), 200, ""))
		}
		refused = append(refused, kvEvent(i*20, "SecretGet", mallory, secretID(i), 403, ""))
	}
	// The AKS Secrets Store CSI driver's provider polling a
	// SecretProviderClass of twelve secrets every two minutes.
	var csiPolls []string
	for poll := range 4 {
		for i := range 12 {
			csiPolls = append(csiPolls, kvEvent(poll*120+i, "SecretGet", appIdentity, secretID(i), 200, ""))
		}
	}
	for i := range csiPolls {
		csiPolls[i] = strings.Replace(csiPolls[i], `"clientInfo":"azsdk-python-keyvault-secrets/4.7.0 Python/3.11.8"`, `"clientInfo":"csi-secrets-store/v1.4.2 (linux/amd64) 2c9bd52/2024-02-13-19:30 azsdk-go-azsecrets/v1.1.0 (go1.21.6; linux)"`, 1)
	}
	// Twelve secrets read by twelve different identities.
	var manyCallers []string
	for i := range 12 {
		manyCallers = append(manyCallers, kvEvent(i*20, "SecretGet", fmt.Sprintf("0f9e8d7c-6b5a-4c3d-2e1f-%012d", i), secretID(i), 200, ""))
	}
	var wipe, wipeTable, fewDeletes, spread, anonReads, lifecycle []string
	for i := range 40 {
		name := fmt.Sprintf("q%03d.xlsx", i)
		// Deletions with no caller's credential in the record: the
		// service's own (lifecycle management expiring blobs).
		lifecycle = append(lifecycle, blobEvent(i, "StorageDelete", "DeleteBlob", name, "Success", 202, "{}"))
		wipe = append(wipe, blobEvent(i*10, "StorageDelete", "DeleteBlob", name, "Success", 202, oauthIdentity))
		wipeTable = append(wipeTable, strings.Replace(blobTableRow(i*10, "StorageDelete", "DeleteBlob", name, "AccountKey", "Success", "key1(5RTE343A6FEB12342672AFD40072B70D4A91BGH5CDF797EC56BF82B2C3635CE)"), `"StatusCode":"200"`, `"StatusCode":"202"`, 1))
		if i < 20 {
			fewDeletes = append(fewDeletes, blobEvent(i*10, "StorageDelete", "DeleteBlob", name, "Success", 202, oauthIdentity))
		}
		// Forty deletions spread over forty minutes (a retention job).
		spread = append(spread, blobEvent(i*60, "StorageDelete", "DeleteBlob", name, "Success", 202, oauthIdentity))
		// A public site's visitors reading its assets by name.
		anonReads = append(anonReads, blobEvent(i, "StorageRead", "GetBlob", name, "AnonymousSuccess", 200, anonIdentity))
	}
	var sasBulk, sasBulkTable, sasOne, sasMany []string
	for i := range 120 {
		name := fmt.Sprintf("export/part-%04d.parquet", i)
		sasBulk = append(sasBulk, blobEvent(i*4, "StorageRead", "GetBlob", name, "SASSuccess", 200, sasIdentity(1)))
		sasBulkTable = append(sasBulkTable, blobTableRow(i*4, "StorageRead", "GetBlob", name, "SAS", "SASSuccess", sasHash))
		// One SAS URL for one report fetched again and again; 120 files
		// read with 120 different SAS tokens (one per user download).
		sasOne = append(sasOne, blobEvent(i*4, "StorageRead", "GetBlob", "q1.xlsx", "SASSuccess", 200, sasIdentity(2)))
		sasMany = append(sasMany, blobEvent(i*4, "StorageRead", "GetBlob", name, "SASSuccess", 200, sasIdentity(100+i)))
	}
	// The encryption scope written through the Activity Log by mallory (her
	// token's object id), and by someone else.
	scope := strings.Replace(azureOp("MICROSOFT.STORAGE/STORAGEACCOUNTS/ENCRYPTIONSCOPES/WRITE", "Success"),
		`"name":"admin@contoso.example"}`, `"name":"admin@contoso.example","http://schemas.microsoft.com/identity/claims/objectidentifier":"`+mallory+`"}`, 1)
	otherScope := strings.Replace(scope, mallory, appIdentity, 1)
	keyDelete := func(sec int, oid string) string {
		return kvEvent(sec, "KeyDelete", oid, "https://kv-prod.vault.azure.net/keys/blob-encryption-key", 200, "")
	}
	const authFailed = "DATABASE AUTHENTICATION FAILED"
	var spray, sprayTable, brute, fewLogins, retries, sqlSpread []string
	for i := range 30 {
		login := []string{"sa", "admin", "sqladmin", "administrator", "dbadmin", "root", "test", "backup"}[i%8]
		spray = append(spray, sqlAudit(i*5, "DBAF", authFailed, login, "45.155.205.233", "", false))
		sprayTable = append(sprayTable, sqlTableRow(i*5, "DBAF", authFailed, login, "45.155.205.233", "", false))
		brute = append(brute, sqlAudit(i*5, "DBAF", authFailed, "sa", "45.155.205.233", "", false))
		// An application with an expired password retrying its one login
		// 25 times, four users mistyping from one office address, thirty
		// failures spread over thirty addresses.
		if i < 25 {
			retries = append(retries, sqlAudit(i*20, "DBAF", authFailed, "app-payroll", "10.24.1.7", "", false))
		}
		if i < 4 {
			fewLogins = append(fewLogins, sqlAudit(i, "DBAF", authFailed, fmt.Sprintf("user%d@contoso.example", i), "203.0.113.45", "", false))
		}
		sqlSpread = append(sqlSpread, sqlAudit(i*5, "DBAF", authFailed, "sa", fmt.Sprintf("198.51.100.%d", i), "", false))
	}
	// Successful logins of the same accounts from the same address.
	var succeeded []string
	for i := range 8 {
		succeeded = append(succeeded, sqlAudit(i, "DBAS", "DATABASE AUTHENTICATION SUCCEEDED", fmt.Sprintf("user%d", i), "45.155.205.233", "", true))
	}
	// Statements in BATCH COMPLETED records (the default audit policy) by
	// an intruder and by a database administrator.
	const batch = "BATCH COMPLETED"
	mal := func(sec int, stmt string, ok bool) string {
		return sqlAudit(sec, "BCM", batch, "mallory@contoso.example", "185.220.101.4", stmt, ok)
	}
	dba := func(sec int, stmt string) string {
		return sqlAudit(sec, "BCM", batch, "dba@contoso.example", "10.24.1.7", stmt, true)
	}
	return []accCase{
		{
			title: "Azure SQL Password Spray From One Address", level: LevelHigh,
			sequence: spray, benignSequence: append(append(append(append([]string{}, fewLogins...), retries...), sqlSpread...), succeeded...),
		},
		{
			title: "Azure SQL Password Spray From One Address", level: LevelHigh,
			sequence: sprayTable, benignSequence: brute,
		},
		{
			title: "Azure SQL Brute Force On One Login", level: LevelMedium,
			sequence: brute, benignSequence: append(append(append([]string{}, retries...), sqlSpread...), spray...),
		},
		{
			title: "Azure SQL Privileged Role Member Added", level: LevelMedium,
			attack: []string{
				mal(1, "ALTER ROLE db_owner ADD MEMBER [backdoor];", true),
				mal(2, "alter server role [##MS_ServerStateManager##] add member backdoor", true),
				mal(3, "EXEC sp_addrolemember 'db_securityadmin', 'backdoor'", true),
				sqlTableRow(4, "BCM", batch, "mallory@contoso.example", "185.220.101.4", "ALTER ROLE dbmanager ADD MEMBER backdoor", true),
			},
			benign: []string{
				// A read-only role; a member dropped; a select naming the
				// role; the grant refused.
				dba(1, "ALTER ROLE db_datareader ADD MEMBER [reporting];"),
				dba(2, "ALTER ROLE db_owner DROP MEMBER [olduser];"),
				dba(3, "SELECT name FROM sys.database_principals WHERE name = 'db_owner'"),
				mal(4, "ALTER ROLE db_owner ADD MEMBER [backdoor];", false),
			},
		},
		{
			title: "Azure SQL Auditing Disabled", level: LevelHigh,
			attack: []string{
				azureBody("MICROSOFT.SQL/SERVERS/AUDITINGSETTINGS/WRITE", "Start", "requestbody", `{"properties":{"state":"Disabled","isAzureMonitorTargetEnabled":false}}`),
				azureBody("MICROSOFT.SQL/SERVERS/DATABASES/EXTENDEDAUDITINGSETTINGS/WRITE", "Success", "responseBody", `{"properties":{"retentionDays":0,"state": "Disabled"}}`),
			},
			// Auditing turned on; a retention change; the write refused.
			benign: []string{
				azureBody("MICROSOFT.SQL/SERVERS/AUDITINGSETTINGS/WRITE", "Start", "requestbody", `{"properties":{"state":"Enabled","isAzureMonitorTargetEnabled":true,"auditActionsAndGroups":["BATCH_COMPLETED_GROUP"]}}`),
				azureBody("MICROSOFT.SQL/SERVERS/AUDITINGSETTINGS/WRITE", "Start", "requestbody", `{"properties":{"state":"Enabled","retentionDays":30}}`),
				azureBody("MICROSOFT.SQL/SERVERS/AUDITINGSETTINGS/WRITE", "Failure", "requestbody", `{"properties":{"state":"Disabled"}}`),
			},
		},
		{
			title: "Azure SQL Login Or User Created With A Password", level: LevelLow,
			attack: []string{
				mal(1, "CREATE USER [svc_sync] WITH PASSWORD = '******'", true),
				sqlTableRow(2, "BCM", batch, "mallory@contoso.example", "185.220.101.4", "create login backdoor with password='******'", true),
			},
			benign: []string{
				// An Entra ID user; a user without login; a password change.
				dba(1, "CREATE USER [alice@contoso.example] FROM EXTERNAL PROVIDER"),
				dba(2, "CREATE USER reports WITHOUT LOGIN"),
				dba(3, "ALTER LOGIN app_payroll WITH PASSWORD = '******'"),
			},
		},
		{
			title: "Azure Storage Encryption Scope Created Then Its Key Deleted", level: LevelHigh,
			sequence: []string{scope, keyDelete(600, mallory)},
			// The key deleted before the scope is written, the scope by
			// one identity and a key deleted by another, a deletion
			// refused, one four hours later.
			benignSequence: []string{scope, strings.Replace(keyDelete(0, mallory), "09:30:00", "09:20:00", 1), otherScope, keyDelete(900, "7c6b5a49-3827-4160-9f8e-7d6c5b4a3928"),
				kvEvent(901, "KeyDelete", mallory, "https://kv-prod.vault.azure.net/keys/k2", 403, ""),
				strings.Replace(keyDelete(0, mallory), "2024-03-14T09:", "2024-03-14T13:", 1)},
		},
		{
			title: "Azure Key Vault Secret Reads Refused In Bulk", level: LevelMedium,
			sequence: refused,
			// One secret refused again and again; nine refused; twelve
			// secrets read.
			benignSequence: append(append(append([]string{}, refused[:9]...), bulk...),
				kvEvent(5, "SecretGet", appIdentity, secretID(1), 403, ""), kvEvent(6, "SecretGet", appIdentity, secretID(1), 403, ""),
				kvEvent(7, "SecretGet", appIdentity, secretID(1), 401, "")),
		},
		{
			title: "Azure Key Vault Secrets Read In Bulk", level: LevelHigh,
			sequence: bulk,
			benignSequence: append(append(append(append(append(oneSecret, fewSecrets...), refused...), manyCallers...), csiPolls...),
				kvEvent(600, "SecretList", mallory, "https://kv-prod.vault.azure.net/secrets", 200, "")),
		},
		{
			title: "Azure Key Vault Secrets Read In Bulk", level: LevelHigh,
			sequence: bulkTable, benignSequence: oneSecret,
		},
		{
			title: "Azure Key Vault Secrets Read In Bulk", level: LevelHigh,
			sequence: bulkLegacy, benignSequence: fewSecrets,
		},
		{
			title: "Azure Key Vault Secret, Key Or Certificate Purged", level: LevelHigh,
			attack: []string{
				kvEvent(1, "KeyPurge", mallory, "https://kv-prod.vault.azure.net/deletedkeys/blob-encryption-key", 200, ""),
				kvEvent(2, "SecretPurge", mallory, "https://kv-prod.vault.azure.net/deletedsecrets/db-password", 200, ""),
				kvTableRow(3, "CertificatePurge", mallory, "https://kv-prod.vault.azure.net/deletedcertificates/tls"),
			},
			benign: []string{
				kvEvent(1, "KeyPurge", mallory, "https://kv-prod.vault.azure.net/deletedkeys/blob-encryption-key", 403, ""),
				kvEvent(2, "KeyDelete", mallory, "https://kv-prod.vault.azure.net/keys/blob-encryption-key", 200, ""),
				kvEvent(3, "SecretRecover", mallory, "https://kv-prod.vault.azure.net/deletedsecrets/db-password", 200, ""),
			},
		},
		{
			title: "Azure Key Vault Key Or Certificate Deleted", level: LevelMedium,
			attack: []string{
				kvEvent(1, "KeyDelete", mallory, "https://kv-prod.vault.azure.net/keys/blob-encryption-key", 200, ""),
				kvLegacyRow(2, "CertificateDelete", mallory, "https://kv-prod.vault.azure.net/certificates/tls", ""),
			},
			benign: []string{
				kvEvent(1, "KeyDelete", mallory, "https://kv-prod.vault.azure.net/keys/blob-encryption-key", 403, ""),
				kvEvent(2, "KeyRotate", mallory, "https://kv-prod.vault.azure.net/keys/blob-encryption-key", 200, ""),
				kvEvent(3, "SecretDelete", mallory, "https://kv-prod.vault.azure.net/secrets/old-token", 200, ""),
			},
		},
		{
			title: "Azure Key Vault Access Policy Grants Secret Or Key Use", level: LevelMedium,
			attack: []string{
				kvEvent(1, "VaultPatch", mallory, "https://kv-prod.vault.azure.net/", 200, accessPolicy(`"get","list"`, "")),
				kvEvent(2, "VaultPut", mallory, "https://kv-prod.vault.azure.net/", 200, accessPolicy(`"all"`, "")),
				kvEvent(3, "VaultPatch", mallory, "https://kv-prod.vault.azure.net/", 200, accessPolicy("", `"Get","Decrypt"`)),
				kvLegacyRow(4, "VaultPatch", mallory, "https://kv-prod.vault.azure.net/", `"addedAccessPolicy_ObjectId_g":"`+mallory+`","addedAccessPolicy_Permissions_secrets_s":"Get, List","addedAccessPolicy_Permissions_keys_s":""`),
			},
			benign: []string{
				// A storage account's customer-managed key; a write-only
				// grant; a tag change; the grant refused.
				kvEvent(1, "VaultPatch", mallory, "https://kv-prod.vault.azure.net/", 200, accessPolicy("", `"get","wrapKey","unwrapKey"`)),
				kvEvent(2, "VaultPatch", mallory, "https://kv-prod.vault.azure.net/", 200, accessPolicy(`"set"`, "")),
				kvEvent(3, "VaultPatch", mallory, "https://kv-prod.vault.azure.net/", 200, ""),
				kvEvent(4, "VaultPatch", mallory, "https://kv-prod.vault.azure.net/", 403, accessPolicy(`"get","list"`, "")),
				kvLegacyRow(5, "VaultPatch", mallory, "https://kv-prod.vault.azure.net/", `"addedAccessPolicy_ObjectId_g":"`+mallory+`","addedAccessPolicy_Permissions_keys_s":"Get, WrapKey, UnwrapKey"`),
			},
		},
		{
			title: "Azure Storage Container Listed Anonymously", level: LevelMedium,
			attack: []string{
				blobEvent(1, "StorageRead", "ListBlobs", "", "AnonymousSuccess", 200, anonIdentity),
				blobTableRow(2, "StorageRead", "ListBlobs", "", "Anonymous", "AnonymousSuccess", ""),
			},
			benign: append([]string{
				blobEvent(1, "StorageRead", "ListBlobs", "", "Success", 200, oauthIdentity),
				blobEvent(2, "StorageRead", "ListBlobs", "", "SASSuccess", 200, sasIdentity(3)),
				blobEvent(3, "StorageRead", "ListBlobs", "", "AnonymousClientOtherError", 404, anonIdentity),
			}, anonReads[:3]...),
		},
		{
			title: "Azure Storage Mass Blob Deletion", level: LevelMedium,
			sequence:       wipe,
			benignSequence: append(append(append([]string{}, fewDeletes...), spread[30:]...), strings.ReplaceAll(strings.Join(wipe[:35], "\n"), `"statusText":"Success","durationMs"`, `"statusText":"AuthorizationFailure","durationMs"`)),
		},
		{
			title: "Azure Storage Mass Blob Deletion", level: LevelMedium,
			sequence: wipeTable, benignSequence: append(append([]string{}, spread...), lifecycle...),
		},
		{
			title: "Azure Storage Blobs Read In Bulk With One SAS", level: LevelMedium,
			sequence: sasBulk, benignSequence: append(append(append([]string{}, sasOne...), sasMany...), anonReads...),
		},
		{
			title: "Azure Storage Blobs Read In Bulk With One SAS", level: LevelMedium,
			sequence: sasBulkTable, benignSequence: sasMany,
		},
	}
}

// TestAzureResourcePack: every rule of vigil_pack_azure_resource.yml has
// a case and every case holds (checkAccCase).
func TestAzureResourcePack(t *testing.T) {
	checkPackFile(t, "vigil_pack_azure_resource.yml", azureResourceCases(), 19)
}

// TestAzureResourceRoutineServiceActivity: the routine service activity
// the pack's rules cannot tell from an attack by the events alone is
// settled by tuning, and the tuning silences only that: an App Service
// with twelve Key Vault references restarting (its managed identity's
// application id allowed), a retention job deleting forty blobs with its
// managed identity (allowed), and a partner's bulk transfer with a SAS (a
// Sigma filter on the partner's address for the SAS read rule). In each,
// the same burst by anyone else, or the same SAS used from elsewhere,
// still alerts.
func TestAzureResourceRoutineServiceActivity(t *testing.T) {
	const (
		webAppID   = "6f1c9a4e-2b7d-4c3a-9e8f-5d0b1a2c3e4f"
		retainerID = "8a7b6c5d-4e3f-4a1b-9c8d-7e6f5a4b3c2d"
	)
	tuning, err := ParseTuning("routine.yml", []byte("extends: default\nallow_identities:\n  - "+webAppID+"\n  - "+retainerID+"\n"))
	if err != nil {
		t.Fatal(err)
	}
	var restart, dump, retention, wipe []string
	for i := range 12 {
		ev := kvEvent(i, "SecretGet", appIdentity, secretID(i), 200, "")
		restart = append(restart, strings.Replace(ev, `"appid":"04b07795-8ddb-461a-bbee-02f9e1bf7b46"`, `"appid":"`+webAppID+`"`, 1))
		dump = append(dump, kvEvent(300+i, "SecretGet", mallory, secretID(i), 200, ""))
	}
	retainer := strings.Replace(oauthIdentity, `"appId":"04b07795-8ddb-461a-bbee-02f9e1bf7b46"`, `"appId":"`+retainerID+`"`, 1)
	retainer = strings.Replace(retainer, mallory, appIdentity, 1)
	retainer = strings.Replace(retainer, `,"upn":"mallory@contoso.example"`, "", 1)
	for i := range 40 {
		retention = append(retention, blobEvent(i, "StorageDelete", "DeleteBlob", fmt.Sprintf("logs/2023/%03d.json", i), "Success", 202, retainer))
		wipe = append(wipe, blobEvent(60+i, "StorageDelete", "DeleteBlob", fmt.Sprintf("q%03d.xlsx", i), "Success", 202, oauthIdentity))
	}
	for _, tc := range []struct {
		title          string
		routine, other []string
	}{
		{"Azure Key Vault Secrets Read In Bulk", restart, dump},
		{"Azure Storage Mass Blob Deletion", retention, wipe},
	} {
		if n := len(alertsOf(runWithTuning(t, DefaultTuning(), tc.routine), tc.title)); n == 0 {
			t.Errorf("%s: the routine burst raised no alert without its tuning entry (the test would prove nothing)", tc.title)
		}
		if n := len(alertsOf(runWithTuning(t, tuning, tc.routine), tc.title)); n != 0 {
			t.Errorf("%s: the allowed routine burst raised %d alerts", tc.title, n)
		}
		if n := len(alertsOf(runWithTuning(t, tuning, append(append([]string{}, tc.routine...), tc.other...)), tc.title)); n != 1 {
			t.Errorf("%s: the same burst by another caller beside the routine one raised %d alerts, want 1", tc.title, n)
		}
	}

	// The partner reads 120 exported files with its SAS from its own
	// addresses; a user filter on the SAS read rule leaves them out. The
	// same SAS replayed from another address still alerts.
	dir := t.TempDir()
	filter := `title: Partner Transfers With A SAS
id: 0d6f1b2a-3c4e-4f5a-8b9c-1d2e3f4a5b6c
logsource:
    product: azure
    service: storage
filter:
    rules:
        - vigil_azure_storage_sas_read
    partner:
        properties.accountName: acmefinance
        callerIpAddress|startswith: '198.51.100.'
    condition: partner
`
	if err := os.WriteFile(filepath.Join(dir, "partner.yml"), []byte(filter), 0o600); err != nil {
		t.Fatal(err)
	}
	var partner, replay []string
	for i := range 120 {
		ev := blobEvent(i*4, "StorageRead", "GetBlob", fmt.Sprintf("export/part-%04d.parquet", i), "SASSuccess", 200, sasIdentity(7))
		partner = append(partner, strings.Replace(ev, `"callerIpAddress":"185.220.101.4:`, `"callerIpAddress":"198.51.100.20:`, 1))
		replay = append(replay, strings.Replace(ev, "2024-03-14T10:", "2024-03-14T11:", 1))
	}
	const sasTitle = "Azure Storage Blobs Read In Bulk With One SAS"
	if n := len(alertsOf(runWith(t, nil, partner), sasTitle)); n == 0 {
		t.Errorf("the partner's transfer raised no alert without the filter (the test would prove nothing)")
	}
	if n := len(alertsOf(runWith(t, []string{dir}, partner), sasTitle)); n != 0 {
		t.Errorf("the filtered partner transfer raised %d alerts", n)
	}
	if n := len(alertsOf(runWith(t, []string{dir}, append(append([]string{}, partner...), replay...)), sasTitle)); n != 1 {
		t.Errorf("the SAS replayed from another address raised %d alerts beside the filtered transfer, want 1", n)
	}
}
