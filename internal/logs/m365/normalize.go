package m365

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/valyala/fastjson"

	"github.com/vigil-sec/vigil/internal/logs/internal/norm"
	"github.com/vigil-sec/vigil/internal/ocsf"
)

// recordTypes names the AuditLogRecordType values of the Management Activity
// API common schema that vigil's mappings and samples use; others keep their
// number.
var recordTypes = map[int]string{
	1:  "ExchangeAdmin",
	2:  "ExchangeItem",
	3:  "ExchangeItemGroup",
	4:  "SharePoint",
	6:  "SharePointFileOperation",
	8:  "AzureActiveDirectory",
	9:  "AzureActiveDirectoryAccountLogon",
	14: "SharePointSharingOperation",
	15: "AzureActiveDirectoryStsLogon",
	18: "SecurityComplianceCenterEXOCmdlet",
	25: "MicrosoftTeams",
	28: "ThreatIntelligence",
	40: "SecurityComplianceAlerts",
	47: "ThreatIntelligenceAtpContent",
	50: "ExchangeItemAggregated",
	64: "AirInvestigation",
}

// Record types whose records are sign-ins.
const (
	rtAccountLogon = 9
	rtStsLogon     = 15
	rtAlerts       = 40
)

// userTypes are the common schema's UserType values.
var userTypes = map[int]string{
	0: "Regular", 1: "Reserved", 2: "Admin", 3: "DcAdmin", 4: "System",
	5: "Application", 6: "ServicePrincipal", 7: "CustomPolicy", 8: "SystemPolicy",
}

// Entra ID directory operations (as the unified audit log names them, with
// their trailing period) that change an account.
var accountOps = map[string]int{
	"add user.":                             ocsf.AccountCreate,
	"delete user.":                          ocsf.AccountDelete,
	"restore user.":                         ocsf.AccountEnable,
	"change user password.":                 ocsf.AccountPasswordChange,
	"reset user password.":                  ocsf.AccountPasswordReset,
	"set force change user password.":       ocsf.AccountPasswordReset,
	"add member to role.":                   ocsf.AccountAttachPolicy,
	"remove member from role.":              ocsf.AccountDetachPolicy,
	"add member to group.":                  ocsf.AccountAttachPolicy,
	"remove member from group.":             ocsf.AccountDetachPolicy,
	"disable strong authentication.":        ocsf.AccountMFADisable,
	"enable strong authentication.":         ocsf.AccountMFAFactorEnable,
	"update user.":                          ocsf.AccountOther,
	"set user manager.":                     ocsf.AccountOther,
	"add service principal credentials.":    ocsf.AccountOther,
	"remove service principal credentials.": ocsf.AccountOther,
}

// Normalize maps one Management Activity API audit record to OCSF.
func Normalize(raw []byte) (ocsf.Event, error) {
	v, release, err := norm.Parse(raw)
	if err != nil {
		return nil, err
	}
	defer release()
	op := norm.Str(v, "Operation")
	if op == "" {
		return nil, fmt.Errorf("%w: Operation", norm.ErrMissing)
	}
	ts, err := norm.Time(norm.Str(v, "CreationTime"))
	if err != nil {
		return nil, fmt.Errorf("CreationTime: %w", err)
	}
	rt, _ := strconv.Atoi(norm.Str(v, "RecordType"))
	var b ocsf.Base
	b.Time = ts
	b.Metadata = ocsf.Metadata{
		Version:     ocsf.Version,
		Product:     ocsf.Product{Name: "Microsoft 365 unified audit log", VendorName: "Microsoft"},
		UID:         norm.Str(v, "Id"),
		LogName:     recordTypeName(rt, norm.Str(v, "RecordType")),
		LogProvider: "Office 365 Management Activity API",
		EventCode:   norm.Str(v, "RecordType"),
		Profiles:    []string{"cloud"},
	}
	b.SetSeverity(ocsf.SeverityInformational)
	org := norm.Str(v, "OrganizationId")
	b.Cloud = &ocsf.Cloud{Provider: "Microsoft 365"}
	if org != "" {
		b.Cloud.Account = &ocsf.Account{UID: org, Type: "Azure AD Account", TypeID: 6}
	}
	workload := norm.Str(v, "Workload")
	b.API = &ocsf.API{Operation: op}
	if workload != "" {
		b.API.Service = &ocsf.Service{Name: workload}
	}
	status(&b, norm.Str(v, "ResultStatus"))
	b.SrcEndpoint = norm.Endpoint(norm.First(norm.Str(v, "ClientIP"), norm.Str(v, "ActorIpAddress"), norm.Str(v, "ClientIPAddress"), norm.Str(v, "SenderIp")))
	ext := nameValues(v, "ExtendedProperties")
	if ua := ext["UserAgent"]; ua != "" {
		b.HTTPRequest = &ocsf.HTTPRequest{UserAgent: ua}
	}
	user := actorUser(v, org)
	if user != nil {
		b.Actor = &ocsf.Actor{User: user, AppUID: norm.First(norm.Str(v, "AppId"), norm.Str(v, "ClientAppId"))}
	}
	b.Message = op
	if user != nil && user.Name != "" {
		b.Message = op + " by " + user.Name
	}

	switch {
	case rt == rtStsLogon || rt == rtAccountLogon || op == "UserLoggedIn" || op == "UserLoginFailed":
		return signIn(v, b, ext, user)
	case rt == rtAlerts:
		return alert(v, b)
	}
	if act, ok := accountOps[strings.ToLower(op)]; ok {
		a := &ocsf.AccountChange{Base: b}
		a.SetClass(ocsf.ClassAccountChange, act)
		if t := norm.Str(v, "ObjectId"); t != "" {
			a.User = &ocsf.User{Name: t}
			if strings.Contains(t, "@") {
				a.User.EmailAddr = t
			}
		}
		return a, nil
	}
	a := &ocsf.APIActivity{Base: b}
	a.SetClass(ocsf.ClassAPIActivity, activity(op))
	if obj := norm.Str(v, "ObjectId"); obj != "" {
		a.Resources = []ocsf.ResourceDetails{{UID: obj, Type: norm.First(norm.Str(v, "ItemType"), workload)}}
	}
	return a, nil
}

func recordTypeName(rt int, text string) string {
	if n, ok := recordTypes[rt]; ok {
		return n
	}
	return text
}

// status maps ResultStatus: Entra ID records use Success/Failed, Exchange
// cmdlets True/False, most workloads Succeeded/PartiallySucceeded/Failed.
func status(b *ocsf.Base, s string) {
	switch strings.ToLower(s) {
	case "success", "succeeded", "true":
		b.SetStatus(ocsf.StatusSuccess, "")
	case "failed", "failure", "false":
		b.SetStatus(ocsf.StatusFailure, "")
	case "":
		b.SetStatus(ocsf.StatusUnknown, "")
	default:
		b.SetStatus(ocsf.StatusOther, s)
	}
}

// activity classifies an operation: cmdlets by their PowerShell verb
// ("New-InboxRule"), the rest by their leading verb.
func activity(op string) int {
	if i := strings.IndexByte(op, '-'); i > 0 {
		switch strings.ToLower(op[:i]) {
		case "new", "add", "enable":
			return ocsf.APICreate
		case "get", "search", "test", "export":
			return ocsf.APIRead
		case "set", "update", "disable", "start", "stop":
			return ocsf.APIUpdate
		case "remove":
			return ocsf.APIDelete
		}
	}
	// SharePoint/OneDrive file operations: FileDownloaded, FileDeleted, ...
	if rest, ok := strings.CutPrefix(op, "File"); ok {
		switch rest {
		case "Accessed", "AccessedExtended", "Downloaded", "Previewed", "SyncDownloadedFull":
			return ocsf.APIRead
		case "Uploaded", "Copied", "SyncUploadedFull":
			return ocsf.APICreate
		case "Modified", "ModifiedExtended", "Renamed", "Moved", "Restored":
			return ocsf.APIUpdate
		case "Deleted", "DeletedFirstStageRecycleBin", "DeletedSecondStageRecycleBin", "Recycled":
			return ocsf.APIDelete
		}
	}
	return norm.Verb(strings.TrimSuffix(op, "."))
}

// nameValues turns a [{"Name":..,"Value":..}] array (ExtendedProperties,
// Parameters) into a map.
func nameValues(v *fastjson.Value, key string) map[string]string {
	arr := v.GetArray(key)
	if len(arr) == 0 {
		return nil
	}
	m := make(map[string]string, len(arr))
	for _, e := range arr {
		if n := norm.Str(e, "Name"); n != "" {
			m[n] = norm.Str(e, "Value")
		}
	}
	return m
}

func actorUser(v *fastjson.Value, org string) *ocsf.User {
	u := &ocsf.User{
		Name: norm.Str(v, "UserId"),
		UID:  norm.Str(v, "UserKey"),
	}
	if u.Name == "" && u.UID == "" {
		return nil
	}
	if strings.Contains(u.Name, "@") {
		u.EmailAddr = u.Name
	}
	if t := norm.Str(v, "UserType"); t != "" {
		n, err := strconv.Atoi(t)
		switch name, ok := userTypes[n]; {
		case err == nil && ok:
			u.Type = name
		default:
			u.Type = t
		}
		if err == nil && (n == 0 || n == 2) {
			u.TypeID = 1 // User
		} else if err == nil && n == 3 {
			u.TypeID = 2 // Admin
		} else {
			u.TypeID = 99
		}
	}
	if org != "" {
		u.Account = &ocsf.Account{UID: org, Type: "Azure AD Account", TypeID: 6}
	}
	return u
}

// signIn maps an Entra ID sign-in record (AzureActiveDirectoryStsLogon) to
// OCSF Authentication.
func signIn(v *fastjson.Value, b ocsf.Base, ext map[string]string, user *ocsf.User) (ocsf.Event, error) {
	if b.StatusID == ocsf.StatusFailure {
		b.StatusCode = norm.Str(v, "ErrorNumber")
		b.StatusDetail = norm.Str(v, "LogonError")
	}
	a := &ocsf.Authentication{Base: b, User: user}
	a.SetClass(ocsf.ClassAuthentication, ocsf.AuthLogon)
	if app := norm.Str(v, "ApplicationId"); app != "" {
		a.Service = &ocsf.Service{UID: app, Name: norm.Str(v, "ApplicationDisplayName")}
		if a.Actor != nil {
			a.Actor.AppUID = app
		}
	}
	if rt := ext["RequestType"]; rt != "" {
		a.AuthProtocol = rt
	}
	if ext["KeepMeSignedIn"] != "" || ext["UserAuthenticationMethod"] != "" {
		a.LogonType = "Interactive"
	}
	if sid := norm.Str(v, "InterSystemsId"); sid != "" {
		a.Session = &ocsf.Session{UID: sid}
	}
	return a, nil
}

// alert maps a SecurityComplianceAlerts record (alert policies of Microsoft
// Defender for Office 365, Purview and Defender for Cloud Apps) to API
// Activity carrying the alert name and severity.
func alert(v *fastjson.Value, b ocsf.Base) (ocsf.Event, error) {
	switch strings.ToLower(norm.Str(v, "Severity")) {
	case "high":
		b.SetSeverity(ocsf.SeverityHigh)
	case "medium":
		b.SetSeverity(ocsf.SeverityMedium)
	case "low":
		b.SetSeverity(ocsf.SeverityLow)
	}
	if name := norm.Str(v, "Name"); name != "" {
		b.Message = name
	}
	a := &ocsf.APIActivity{Base: b}
	a.SetClass(ocsf.ClassAPIActivity, ocsf.APICreate)
	if id := norm.Str(v, "AlertId"); id != "" {
		a.Resources = []ocsf.ResourceDetails{{UID: id, Name: norm.Str(v, "Name"), Type: "Alert"}}
	}
	return a, nil
}
