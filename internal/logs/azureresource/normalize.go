package azureresource

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/valyala/fastjson"

	"github.com/vigil-sec/vigil/internal/logs/internal/norm"
	"github.com/vigil-sec/vigil/internal/ocsf"
)

// Normalize maps one Key Vault or Storage resource-log record (any of the
// shapes in the package documentation) to OCSF API Activity.
func Normalize(raw []byte) (ocsf.Event, error) {
	v, release, err := norm.Parse(raw)
	if err != nil {
		return nil, err
	}
	defer release()
	ts, err := norm.Time(norm.First(norm.Str(v, "time"), norm.Str(v, "TimeGenerated"), norm.Str(v, "Time")))
	if err != nil {
		return nil, fmt.Errorf("time: %w", err)
	}
	op := norm.First(norm.Str(v, "operationName"), norm.Str(v, "OperationName"))
	if op == "" {
		return nil, fmt.Errorf("%w: operationName", norm.ErrMissing)
	}
	cat := norm.First(norm.Str(v, "category"), norm.Str(v, "Category"))
	rid := norm.First(norm.Str(v, "resourceId"), norm.Str(v, "_ResourceId"), norm.Str(v, "ResourceId"))
	props := v.Get("properties")
	keyVault := cat == "AuditEvent" || norm.Str(v, "Type") == "AZKVAuditLogs" ||
		strings.Contains(norm.ASCIILower(rid), "/microsoft.keyvault/")
	sql := cat == sqlCategory || norm.Str(v, "Type") == sqlCategory

	var b ocsf.Base
	b.Time = ts
	b.Metadata = ocsf.Metadata{
		Version:        ocsf.Version,
		Product:        ocsf.Product{Name: "Azure resource logs", VendorName: "Microsoft", Version: norm.First(norm.Str(v, "operationVersion"), norm.Str(v, "OperationVersion"))},
		CorrelationUID: norm.First(norm.Str(v, "correlationId"), norm.Str(v, "CorrelationId")),
		LogName:        norm.First(cat, norm.Str(v, "Type")),
		LogProvider:    "Azure Monitor diagnostic settings",
		Profiles:       []string{"cloud"},
	}
	b.SetSeverity(ocsf.SeverityInformational)
	b.Cloud = &ocsf.Cloud{Provider: "Azure", Region: norm.First(norm.Str(v, "location"), norm.Str(v, "Location"))}
	if sub := norm.First(norm.ARMSubscription(rid), norm.Str(v, "_SubscriptionId"), norm.Str(v, "SubscriptionId")); sub != "" {
		b.Cloud.Account = &ocsf.Account{UID: sub, Type: "Azure Subscription", TypeID: 13}
	}
	b.API = &ocsf.API{Operation: op}
	b.SrcEndpoint = norm.Endpoint(norm.First(norm.Str(v, "callerIpAddress"), norm.Str(v, "CallerIpAddress"), norm.Str(v, "CallerIPAddress")))

	var target, ua string
	switch {
	case sql:
		sqlAudit(&b, v, props)
		target = norm.First(norm.Str(props, "database_name"), norm.Str(v, "DatabaseName"), norm.Str(v, "database_name_s"))
		ua = norm.First(norm.Str(props, "application_name"), norm.Str(v, "ApplicationName"), norm.Str(v, "application_name_s"))
	case keyVault:
		b.API.Service = &ocsf.Service{Name: "Microsoft.KeyVault"}
		keyVaultStatus(&b, v, props)
		b.Actor = keyVaultActor(v)
		target = norm.First(norm.Str(props, "id"), norm.Str(v, "Id"), norm.Str(v, "id_s"))
		ua = norm.First(norm.Str(props, "clientInfo"), norm.Str(v, "ClientInfo"), norm.Str(v, "clientInfo_s"))
	default:
		b.API.Service = &ocsf.Service{Name: "Microsoft.Storage"}
		storageStatus(&b, v)
		b.Actor = storageActor(v)
		target = norm.First(norm.Str(v, "uri"), norm.Str(v, "Uri"), norm.Str(props, "objectKey"), norm.Str(v, "ObjectKey"))
		ua = norm.First(norm.Str(props, "userAgentHeader"), norm.Str(v, "UserAgentHeader"))
	}
	if ua != "" {
		b.HTTPRequest = &ocsf.HTTPRequest{UserAgent: ua}
	}
	b.Message = op
	if b.Actor != nil && b.Actor.User != nil && b.Actor.User.Name != "" {
		b.Message = op + " by " + b.Actor.User.Name
	}

	a := &ocsf.APIActivity{Base: b}
	a.SetClass(ocsf.ClassAPIActivity, activity(b.API.Operation))
	if rid != "" {
		a.Resources = append(a.Resources, ocsf.ResourceDetails{UID: rid, Type: norm.ARMResourceType(rid)})
	}
	if target != "" {
		a.Resources = append(a.Resources, ocsf.ResourceDetails{UID: target, Type: objectType(op)})
	}
	return a, nil
}

// sqlAudit fills an Azure SQL audit record's operation (the audit action's
// name, e.g. "DATABASE AUTHENTICATION FAILED", "BATCH COMPLETED"; else the
// record's operation name), outcome ("succeeded": for statements the
// permission check), login and client address, from the diagnostic
// record's properties, the SQLSecurityAuditEvents table's columns or
// AzureDiagnostics' flattened ones.
func sqlAudit(b *ocsf.Base, v, props *fastjson.Value) {
	b.API.Service = &ocsf.Service{Name: "Microsoft.Sql"}
	if name := norm.First(norm.Str(props, "action_name"), norm.Str(v, "ActionName"), norm.Str(v, "action_name_s")); name != "" {
		b.API.Operation = name
	}
	switch strings.ToLower(norm.First(norm.Str(props, "succeeded"), norm.Str(v, "Succeeded"), norm.Str(v, "succeeded_s"))) {
	case "true", "1":
		b.SetStatus(ocsf.StatusSuccess, "")
	case "false", "0":
		b.SetStatus(ocsf.StatusFailure, "")
		b.StatusDetail = norm.First(norm.Str(props, "additional_information"), norm.Str(v, "AdditionalInformation"), norm.Str(v, "additional_information_s"))
	default:
		b.SetStatus(ocsf.StatusUnknown, "")
	}
	if ip := norm.First(norm.Str(props, "client_ip"), norm.Str(v, "ClientIp"), norm.Str(v, "client_ip_s")); ip != "" {
		b.SrcEndpoint = norm.Endpoint(ip)
	}
	if name := norm.First(norm.Str(props, "server_principal_name"), norm.Str(v, "ServerPrincipalName"), norm.Str(v, "server_principal_name_s")); name != "" {
		u := &ocsf.User{Name: name}
		if strings.Contains(name, "@") {
			u.EmailAddr = name
		}
		b.Actor = &ocsf.Actor{User: u}
	}
}

// keyVaultStatus: resultType "Success" succeeded; any other result, or an
// HTTP status of 400 or more, failed.
func keyVaultStatus(b *ocsf.Base, v, props *fastjson.Value) {
	result := norm.First(norm.Str(v, "resultType"), norm.Str(v, "ResultType"))
	code := norm.First(norm.Str(props, "httpStatusCode"), norm.Str(v, "HttpStatusCode"), norm.Str(v, "httpStatusCode_d"))
	b.StatusCode = norm.First(norm.Str(v, "resultSignature"), norm.Str(v, "ResultSignature"), code)
	n, _ := strconv.ParseFloat(code, 64)
	switch {
	case strings.EqualFold(result, "success") && n < 400:
		b.SetStatus(ocsf.StatusSuccess, "")
	case result == "" && code == "":
		b.SetStatus(ocsf.StatusUnknown, "")
	case result == "" && n < 400:
		b.SetStatus(ocsf.StatusSuccess, "")
	default:
		b.SetStatus(ocsf.StatusFailure, "")
		b.StatusDetail = norm.First(norm.Str(v, "resultDescription"), norm.Str(v, "ResultDescription"), norm.Str(v, "resultSignature"), norm.Str(v, "ResultSignature"), result)
	}
}

// storageStatus: a status text ending in Success (Success, SASSuccess,
// AnonymousSuccess) or an HTTP status below 400 succeeded; the rest failed
// (AuthorizationFailure, SASAuthorizationError, ClientOtherError, ...).
func storageStatus(b *ocsf.Base, v *fastjson.Value) {
	text := norm.First(norm.Str(v, "statusText"), norm.Str(v, "StatusText"))
	code := norm.First(norm.Str(v, "statusCode"), norm.Str(v, "StatusCode"))
	b.StatusCode = code
	n, err := strconv.ParseFloat(code, 64)
	switch {
	case strings.HasSuffix(text, "Success"):
		b.SetStatus(ocsf.StatusSuccess, "")
	case text == "" && code == "":
		b.SetStatus(ocsf.StatusUnknown, "")
	case text == "" && err == nil && n < 400:
		b.SetStatus(ocsf.StatusSuccess, "")
	default:
		b.SetStatus(ocsf.StatusFailure, "")
		b.StatusDetail = text
	}
}

// keyVaultActor is the caller's token: identity.claim of a diagnostic
// record or AZKVAuditLogs row, the flattened identity_claim_* columns of
// an AzureDiagnostics row.
func keyVaultActor(v *fastjson.Value) *ocsf.Actor {
	claim := v.Get("identity", "claim")
	if claim == nil {
		claim = v.Get("Identity", "claim")
	}
	u := &ocsf.User{
		UID:  norm.First(norm.Str(claim, claimOID), norm.Str(claim, "oid"), norm.Str(v, "identity_claim_http_schemas_microsoft_com_identity_claims_objectidentifier_g"), norm.Str(v, "identity_claim_oid_g")),
		Name: norm.First(norm.Str(claim, claimUPN), norm.Str(claim, "upn"), norm.Str(v, "identity_claim_http_schemas_xmlsoap_org_ws_2005_05_identity_claims_upn_s"), norm.Str(v, "identity_claim_upn_s")),
	}
	if strings.Contains(u.Name, "@") {
		u.EmailAddr = u.Name
	}
	a := &ocsf.Actor{AppUID: norm.First(norm.Str(claim, "appid"), norm.Str(v, "identity_claim_appid_g"))}
	if u.UID != "" || u.Name != "" {
		a.User = u
	}
	if a.User == nil && a.AppUID == "" {
		return nil
	}
	return a
}

// storageActor is a storage request's OAuth requester (identity.requester
// or the Requester* columns); account-key, SAS and anonymous requests have
// none, their authentication type is kept as the user type.
func storageActor(v *fastjson.Value) *ocsf.Actor {
	req := v.Get("identity", "requester")
	u := &ocsf.User{
		UID:  norm.First(norm.Str(req, "objectId"), norm.Str(v, "RequesterObjectId")),
		Name: norm.First(norm.Str(req, "upn"), norm.Str(v, "RequesterUpn")),
		Type: norm.First(norm.Str(v, "identity", "type"), norm.Str(v, "AuthenticationType")),
	}
	if strings.Contains(u.Name, "@") {
		u.EmailAddr = u.Name
	}
	if u.Type != "" {
		u.TypeID = 99
	}
	a := &ocsf.Actor{AppUID: norm.First(norm.Str(req, "appId"), norm.Str(v, "RequesterAppId"))}
	if u.UID != "" || u.Name != "" || u.Type != "" {
		a.User = u
	}
	if a.User == nil && a.AppUID == "" {
		return nil
	}
	return a
}

// activity classifies Key Vault's noun-verb operations (SecretGet,
// KeyPurge, VaultPatch) and Storage's verb-noun ones (GetBlob, DeleteBlob,
// PutBlob).
func activity(op string) int {
	l := strings.ToLower(op)
	for _, noun := range []string{"secret", "key", "certificate", "vault", "managedhsm", "storage"} {
		if rest, ok := strings.CutPrefix(l, noun); ok && rest != "" {
			switch {
			case strings.HasPrefix(rest, "get"), strings.HasPrefix(rest, "list"), rest == "backup":
				return ocsf.APIRead
			case rest == "set", rest == "create", rest == "import", rest == "put", rest == "restore":
				return ocsf.APICreate
			case rest == "delete", rest == "purge":
				return ocsf.APIDelete
			case rest == "patch", rest == "update", rest == "recover", rest == "rotate", strings.HasPrefix(rest, "access"):
				return ocsf.APIUpdate
			}
		}
	}
	switch {
	case strings.HasPrefix(l, "put"), strings.HasPrefix(l, "append"):
		return ocsf.APICreate
	case strings.HasPrefix(l, "set"), strings.HasPrefix(l, "undelete"):
		return ocsf.APIUpdate
	}
	return norm.Verb(op)
}

// objectType names what an operation acts on.
func objectType(op string) string {
	l := strings.ToLower(op)
	for _, t := range []string{"secret", "key", "certificate", "vault", "blob", "container", "queue", "table", "file"} {
		if strings.Contains(l, t) {
			return t
		}
	}
	return ""
}
