package gcp

import (
	"fmt"
	"strings"

	"github.com/valyala/fastjson"

	"github.com/vigil-sec/vigil/internal/logs/internal/norm"
	"github.com/vigil-sec/vigil/internal/ocsf"
)

// Normalize maps one LogEntry with an AuditLog payload to an OCSF event.
func Normalize(raw []byte) (ocsf.Event, error) {
	v, release, err := norm.Parse(raw)
	if err != nil {
		return nil, err
	}
	defer release()
	pp := v.Get("protoPayload")
	if pp == nil || pp.Type() != fastjson.TypeObject {
		return nil, fmt.Errorf("%w: protoPayload", norm.ErrMissing)
	}
	method := norm.Str(pp, "methodName")
	if method == "" {
		return nil, fmt.Errorf("%w: protoPayload.methodName", norm.ErrMissing)
	}
	ts, err := norm.Time(norm.First(norm.Str(v, "timestamp"), norm.Str(v, "receiveTimestamp")))
	if err != nil {
		return nil, fmt.Errorf("timestamp: %w", err)
	}
	svc := norm.Str(pp, "serviceName")
	var b ocsf.Base
	b.Time = ts
	b.SetSeverity(severity(norm.Str(v, "severity")))
	logName := norm.Str(v, "logName")
	b.Metadata = ocsf.Metadata{
		Version:        ocsf.Version,
		Product:        ocsf.Product{Name: "Cloud Audit Logs", VendorName: "Google"},
		UID:            norm.Str(v, "insertId"),
		CorrelationUID: norm.Str(v, "operation", "id"),
		LogName:        logName,
		LogProvider:    "Cloud Logging",
		Profiles:       []string{"cloud"},
	}
	if i := strings.Index(logName, "cloudaudit.googleapis.com%2F"); i >= 0 {
		b.Metadata.EventCode = logName[i+len("cloudaudit.googleapis.com%2F"):] // activity, data_access, system_event, policy
	}
	labels := v.Get("resource", "labels")
	project := norm.Str(labels, "project_id")
	if project == "" {
		// logName is projects/<id>/logs/...
		if rest, ok := strings.CutPrefix(logName, "projects/"); ok {
			project, _, _ = strings.Cut(rest, "/")
		}
	}
	b.Cloud = &ocsf.Cloud{Provider: "GCP", Region: region(v, labels, pp)}
	if project != "" {
		b.Cloud.Account = &ocsf.Account{UID: project, Type: "GCP Project", TypeID: 11}
	} else if rest, ok := strings.CutPrefix(logName, "organizations/"); ok {
		// Organization-level logs, e.g. Google Workspace audit logs shared
		// with Google Cloud.
		org, _, _ := strings.Cut(rest, "/")
		b.Cloud.Account = &ocsf.Account{UID: org, Type: "GCP Organization", TypeID: 99}
	}
	b.API = &ocsf.API{Operation: method}
	if svc != "" {
		b.API.Service = &ocsf.Service{Name: svc}
	}
	code, msg := norm.Str(pp, "status", "code"), norm.Str(pp, "status", "message")
	if code != "" && code != "0" {
		b.SetStatus(ocsf.StatusFailure, "")
		b.StatusCode, b.StatusDetail = code, msg
		b.API.Response = &ocsf.APIResponse{Error: code, Message: msg}
	} else {
		b.SetStatus(ocsf.StatusSuccess, "")
	}
	md := pp.Get("requestMetadata")
	b.SrcEndpoint = norm.Endpoint(norm.Str(md, "callerIp"))
	if ua := norm.Str(md, "callerSuppliedUserAgent"); ua != "" {
		b.HTTPRequest = &ocsf.HTTPRequest{UserAgent: ua}
	}
	b.Actor = actor(pp)
	b.Message = method
	if svc != "" {
		b.Message = svc + " " + method
	}
	resName := norm.Str(pp, "resourceName")

	if ac := accountChange(b, pp, svc, method, resName); ac != nil {
		return ac, nil
	}
	if au := workspaceLogin(b, svc, method); au != nil {
		return au, nil
	}
	a := &ocsf.APIActivity{Base: b}
	a.SetClass(ocsf.ClassAPIActivity, norm.Verb(method))
	if resName != "" {
		a.Resources = []ocsf.ResourceDetails{{UID: resName, Type: norm.Str(v, "resource", "type")}}
	}
	return a, nil
}

func severity(s string) int {
	switch s {
	case "WARNING":
		return ocsf.SeverityMedium
	case "ERROR":
		return ocsf.SeverityHigh
	case "CRITICAL", "ALERT", "EMERGENCY":
		return ocsf.SeverityCritical
	}
	return ocsf.SeverityInformational
}

func region(v, labels, pp *fastjson.Value) string {
	for _, k := range []string{"location", "region", "zone"} {
		if r := norm.Str(labels, k); r != "" && r != "global" {
			return r
		}
	}
	if locs := pp.GetArray("resourceLocation", "currentLocations"); len(locs) > 0 {
		if r := string(locs[0].GetStringBytes()); r != "global" {
			return r
		}
	}
	return ""
}

func actor(pp *fastjson.Value) *ocsf.Actor {
	ai := pp.Get("authenticationInfo")
	email := norm.Str(ai, "principalEmail")
	subject := norm.Str(ai, "principalSubject")
	if email == "" && subject == "" {
		return nil
	}
	u := &ocsf.User{
		UID:           norm.First(email, subject),
		Name:          email,
		EmailAddr:     email,
		CredentialUID: norm.Str(ai, "serviceAccountKeyName"),
		Type:          "User",
		TypeID:        1,
	}
	if subject != "" && subject != u.UID {
		u.UIDAlt = subject
	}
	if strings.HasSuffix(email, ".gserviceaccount.com") {
		u.Type, u.TypeID = "ServiceAccount", 99
	}
	a := &ocsf.Actor{User: u}
	// Impersonation: the first delegation is the original caller.
	if d := ai.GetArray("serviceAccountDelegationInfo"); len(d) > 0 {
		a.InvokedBy = norm.Str(d[0], "firstPartyPrincipal", "principalEmail")
		if a.InvokedBy == "" {
			a.InvokedBy = norm.Str(d[0], "principalSubject")
		}
	}
	return a
}

var accountOps = map[string]int{
	"CreateServiceAccount":     ocsf.AccountCreate,
	"DeleteServiceAccount":     ocsf.AccountDelete,
	"DisableServiceAccount":    ocsf.AccountDisable,
	"EnableServiceAccount":     ocsf.AccountEnable,
	"UndeleteServiceAccount":   ocsf.AccountEnable,
	"CreateServiceAccountKey":  ocsf.AccountOther,
	"DeleteServiceAccountKey":  ocsf.AccountOther,
	"DisableServiceAccountKey": ocsf.AccountOther,
	"UploadServiceAccountKey":  ocsf.AccountOther,
}

func accountChange(b ocsf.Base, pp *fastjson.Value, svc, method, resName string) *ocsf.AccountChange {
	if svc != "iam.googleapis.com" {
		return nil
	}
	op := method
	if i := strings.LastIndexByte(op, '.'); i >= 0 {
		op = op[i+1:]
	}
	act, ok := accountOps[op]
	if !ok {
		return nil
	}
	a := &ocsf.AccountChange{Base: b}
	a.SetClass(ocsf.ClassAccountChange, act)
	// resourceName is projects/-/serviceAccounts/<email or id>[/keys/<id>].
	sa := resName
	if n := norm.Str(pp, "request", "name"); strings.Contains(n, "/serviceAccounts/") {
		sa = n
	}
	if i := strings.Index(sa, "/serviceAccounts/"); i >= 0 {
		sa = sa[i+len("/serviceAccounts/"):]
		sa, _, _ = strings.Cut(sa, "/")
	}
	if email := norm.Str(pp, "response", "email"); email != "" {
		sa = email
	} else if id := norm.Str(pp, "request", "account_id"); id != "" && op == "CreateServiceAccount" {
		sa = id
	}
	if sa != "" {
		a.User = &ocsf.User{UID: sa, Name: sa, Type: "ServiceAccount", TypeID: 99}
		if strings.Contains(sa, "@") {
			a.User.EmailAddr = sa
		}
		if key := norm.Str(pp, "response", "name"); strings.Contains(key, "/keys/") {
			a.User.CredentialUID = key
		} else if strings.Contains(resName, "/keys/") {
			a.User.CredentialUID = resName
		}
	}
	return a
}

// workspaceLogin maps Google Workspace sign-ins shared with Cloud Logging
// (serviceName login.googleapis.com, methodName
// google.login.LoginService.loginSuccess / loginFailure / logout) to OCSF
// Authentication; the other login events (suspicious_login, ...) stay API
// Activity.
func workspaceLogin(b ocsf.Base, svc, method string) *ocsf.Authentication {
	if svc != "login.googleapis.com" {
		return nil
	}
	act := ocsf.AuthLogon
	switch method[strings.LastIndexByte(method, '.')+1:] {
	case "loginSuccess":
	case "loginFailure":
		b.SetStatus(ocsf.StatusFailure, "")
	case "logout":
		act = ocsf.AuthLogoff
	default:
		return nil
	}
	a := &ocsf.Authentication{Base: b, Service: &ocsf.Service{Name: "Google Workspace"}}
	if b.Actor != nil {
		a.User = b.Actor.User
	}
	a.SetClass(ocsf.ClassAuthentication, act)
	return a
}
