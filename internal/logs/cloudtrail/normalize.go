package cloudtrail

import (
	"fmt"
	"strings"

	"github.com/valyala/fastjson"

	"github.com/vigil-sec/vigil/internal/logs/internal/norm"
	"github.com/vigil-sec/vigil/internal/ocsf"
)

// Normalize maps one CloudTrail event (its JSON object) to an OCSF event.
// It fails only when the input is not a JSON object or lacks eventTime or
// eventName; other missing fields are left out of the result.
func Normalize(raw []byte) (ocsf.Event, error) {
	v, release, err := norm.Parse(raw)
	if err != nil {
		return nil, err
	}
	defer release()

	name := norm.Str(v, "eventName")
	if name == "" {
		return nil, fmt.Errorf("%w: eventName", norm.ErrMissing)
	}
	ts, err := norm.Time(norm.Str(v, "eventTime"))
	if err != nil {
		return nil, fmt.Errorf("eventTime: %w", err)
	}
	svc := norm.Str(v, "eventSource")

	var b ocsf.Base
	b.Time = ts
	b.SetSeverity(ocsf.SeverityInformational)
	b.Metadata = ocsf.Metadata{
		Version:     ocsf.Version,
		Product:     ocsf.Product{Name: "CloudTrail", VendorName: "AWS", Version: norm.Str(v, "eventVersion")},
		UID:         norm.Str(v, "eventID"),
		LogName:     norm.Str(v, "eventCategory"),
		LogProvider: "CloudTrail",
		EventCode:   norm.Str(v, "eventType"),
		Profiles:    []string{"cloud"},
	}
	account := norm.First(norm.Str(v, "recipientAccountId"), norm.Str(v, "userIdentity", "accountId"))
	b.Cloud = &ocsf.Cloud{Provider: "AWS", Region: norm.Str(v, "awsRegion")}
	if account != "" {
		b.Cloud.Account = &ocsf.Account{UID: account, Type: "AWS Account", TypeID: 10}
	}
	b.API = &ocsf.API{
		Operation: name,
		Version:   norm.Str(v, "apiVersion"),
	}
	if svc != "" {
		b.API.Service = &ocsf.Service{Name: svc}
	}
	if id := norm.Str(v, "requestID"); id != "" {
		b.API.Request = &ocsf.APIRequest{UID: id}
	}
	errCode, errMsg := norm.Str(v, "errorCode"), norm.Str(v, "errorMessage")
	if errCode != "" || errMsg != "" {
		b.API.Response = &ocsf.APIResponse{Error: errCode, Message: errMsg}
	}
	b.Actor = actor(v)
	b.SrcEndpoint = norm.Endpoint(norm.Str(v, "sourceIPAddress"))
	if ua := norm.Str(v, "userAgent"); ua != "" {
		b.HTTPRequest = &ocsf.HTTPRequest{UserAgent: ua}
	}

	// Status: errorCode, or for sign-in events responseElements.ConsoleLogin.
	switch {
	case errCode != "":
		b.SetStatus(ocsf.StatusFailure, "")
		b.StatusCode, b.StatusDetail = errCode, errMsg
	case strings.EqualFold(norm.Str(v, "responseElements", "ConsoleLogin"), "Failure"):
		b.SetStatus(ocsf.StatusFailure, "")
		b.StatusDetail = errMsg
	default:
		b.SetStatus(ocsf.StatusSuccess, "")
	}
	b.Message = name
	if svc != "" {
		b.Message = svc + " " + name
	}

	if svc == "signin.amazonaws.com" {
		return authentication(b, v, name), nil
	}
	if ac := accountChange(b, v, svc, name); ac != nil {
		return ac, nil
	}
	a := &ocsf.APIActivity{Base: b}
	a.SetClass(ocsf.ClassAPIActivity, norm.Verb(name))
	for _, r := range v.GetArray("resources") {
		rd := ocsf.ResourceDetails{UID: norm.Str(r, "ARN"), Type: norm.Str(r, "type")}
		if acct := norm.Str(r, "accountId"); acct != "" {
			rd.Owner = &ocsf.User{Account: &ocsf.Account{UID: acct, Type: "AWS Account", TypeID: 10}}
		}
		a.Resources = append(a.Resources, rd)
	}
	return a, nil
}

// userTypeID maps userIdentity.type to the OCSF user type_id.
func userTypeID(t string) int {
	switch t {
	case "IAMUser", "AssumedRole", "FederatedUser", "SAMLUser", "WebIdentityUser", "IdentityCenterUser", "Unknown":
		return 1 // User
	case "Root":
		return 2 // Admin
	case "AWSService", "AWSAccount":
		return 3 // System
	case "":
		return 0
	}
	return 99
}

func actor(v *fastjson.Value) *ocsf.Actor {
	id := v.Get("userIdentity")
	if id == nil {
		return nil
	}
	t := norm.Str(id, "type")
	arn := norm.Str(id, "arn")
	u := &ocsf.User{
		UID:           norm.First(arn, norm.Str(id, "principalId")),
		UIDAlt:        norm.Str(id, "principalId"),
		Type:          t,
		TypeID:        userTypeID(t),
		CredentialUID: norm.Str(id, "accessKeyId"),
	}
	if u.UIDAlt == u.UID {
		u.UIDAlt = ""
	}
	switch t {
	case "AssumedRole":
		// arn:aws:sts::123:assumed-role/Role/Session: name is Role/Session.
		if i := strings.Index(arn, ":assumed-role/"); i >= 0 {
			u.Name = arn[i+len(":assumed-role/"):]
		}
	case "Root":
		u.Name = norm.First(norm.Str(id, "userName"), "root")
	case "AWSService":
		u.Name = norm.Str(id, "invokedBy")
	default:
		u.Name = norm.Str(id, "userName")
		if u.Name == "" {
			if i := strings.LastIndexByte(arn, '/'); i >= 0 {
				u.Name = arn[i+1:]
			}
		}
	}
	if acct := norm.Str(id, "accountId"); acct != "" {
		u.Account = &ocsf.Account{UID: acct, Type: "AWS Account", TypeID: 10}
	}
	a := &ocsf.Actor{User: u, InvokedBy: norm.Str(id, "invokedBy")}
	if sc := id.Get("sessionContext"); sc != nil {
		s := &ocsf.Session{
			Issuer: norm.Str(sc, "sessionIssuer", "arn"),
			IsMFA:  norm.Bool(norm.Str(sc, "attributes", "mfaAuthenticated")),
		}
		if c := norm.Str(sc, "attributes", "creationDate"); c != "" {
			if ms, err := norm.Time(c); err == nil {
				s.CreatedTime = ms
			}
		}
		if s.Issuer != "" || s.IsMFA != nil || s.CreatedTime != 0 {
			a.Session = s
		}
	}
	if p := norm.Str(id, "identityProvider"); p != "" {
		a.IDP = &ocsf.IDP{Name: p}
	}
	return a
}

func authentication(b ocsf.Base, v *fastjson.Value, name string) *ocsf.Authentication {
	a := &ocsf.Authentication{Base: b}
	act := ocsf.AuthOther
	switch name {
	case "ConsoleLogin":
		act = ocsf.AuthLogon
	case "ExitRole", "SwitchRole":
		act = ocsf.AuthOther
	case "GetSigninToken":
		act = ocsf.AuthTicket
	}
	a.SetClass(ocsf.ClassAuthentication, act)
	if b.Actor != nil {
		a.User = b.Actor.User
		a.Session = b.Actor.Session
	}
	a.IsMFA = norm.Bool(norm.Str(v, "additionalEventData", "MFAUsed"))
	if login := norm.Str(v, "additionalEventData", "LoginTo"); login != "" {
		a.Service = &ocsf.Service{Name: "AWS Management Console", UID: login}
	}
	if saml := norm.Str(v, "additionalEventData", "SamlProviderArn"); saml != "" {
		a.AuthProtocol = "SAML"
	}
	return a
}

// IAM operations that change an account (user or role), by activity.
var accountOps = map[string]int{
	"CreateUser": ocsf.AccountCreate, "CreateRole": ocsf.AccountCreate,
	"DeleteUser": ocsf.AccountDelete, "DeleteRole": ocsf.AccountDelete,
	"CreateLoginProfile": ocsf.AccountPasswordChange, "UpdateLoginProfile": ocsf.AccountPasswordChange,
	"ChangePassword": ocsf.AccountPasswordChange, "DeleteLoginProfile": ocsf.AccountDisable,
	"AttachUserPolicy": ocsf.AccountAttachPolicy, "AttachRolePolicy": ocsf.AccountAttachPolicy,
	"PutUserPolicy": ocsf.AccountAttachPolicy, "PutRolePolicy": ocsf.AccountAttachPolicy,
	"AddUserToGroup":                  ocsf.AccountAttachPolicy,
	"DetachUserPolicy":                ocsf.AccountDetachPolicy,
	"DetachRolePolicy":                ocsf.AccountDetachPolicy,
	"DeleteUserPolicy":                ocsf.AccountDetachPolicy,
	"DeleteRolePolicy":                ocsf.AccountDetachPolicy,
	"RemoveUserFromGroup":             ocsf.AccountDetachPolicy,
	"EnableMFADevice":                 ocsf.AccountMFAFactorEnable,
	"DeactivateMFADevice":             ocsf.AccountMFADisable,
	"CreateAccessKey":                 ocsf.AccountOther,
	"UpdateAccessKey":                 ocsf.AccountOther,
	"DeleteAccessKey":                 ocsf.AccountOther,
	"UpdateAssumeRolePolicy":          ocsf.AccountOther,
	"CreateServiceSpecificCredential": ocsf.AccountOther,
	"UploadSSHPublicKey":              ocsf.AccountOther,
}

func accountChange(b ocsf.Base, v *fastjson.Value, svc, name string) *ocsf.AccountChange {
	if svc != "iam.amazonaws.com" {
		return nil
	}
	act, ok := accountOps[name]
	if !ok {
		return nil
	}
	a := &ocsf.AccountChange{Base: b}
	a.SetClass(ocsf.ClassAccountChange, act)
	req := v.Get("requestParameters")
	switch {
	case norm.Str(req, "userName") != "":
		a.User = &ocsf.User{Name: norm.Str(req, "userName"), Type: "IAMUser", TypeID: 1}
	case norm.Str(req, "roleName") != "":
		a.User = &ocsf.User{Name: norm.Str(req, "roleName"), Type: "Role", TypeID: 99}
	case name == "ChangePassword" || name == "CreateAccessKey" || name == "DeleteAccessKey" || name == "UpdateAccessKey" || name == "EnableMFADevice":
		// Without userName the caller acts on itself.
		if b.Actor != nil && b.Actor.User != nil {
			u := *b.Actor.User
			a.User = &u
		}
	}
	// The response names the created user/role with its ARN.
	for _, k := range []string{"user", "role"} {
		if arn := norm.Str(v, "responseElements", k, "arn"); arn != "" && a.User != nil {
			a.User.UID = arn
		}
	}
	if key := norm.Str(v, "responseElements", "accessKey", "accessKeyId"); key != "" && a.User != nil {
		a.User.CredentialUID = key
	} else if key := norm.Str(req, "accessKeyId"); key != "" && a.User != nil {
		a.User.CredentialUID = key
	}
	if arn := norm.Str(req, "policyArn"); arn != "" {
		name := arn
		if i := strings.LastIndexByte(arn, '/'); i >= 0 {
			name = arn[i+1:]
		}
		a.Policy = &ocsf.Policy{UID: arn, Name: name}
	} else if pn := norm.Str(req, "policyName"); pn != "" {
		a.Policy = &ocsf.Policy{Name: pn}
	} else if g := norm.Str(req, "groupName"); g != "" {
		a.Policy = &ocsf.Policy{Name: g, Desc: "IAM group"}
	}
	return a
}
