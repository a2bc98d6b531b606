package detect

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// Cases of vigil_pack_identity.yml: sign-in risk on the Microsoft 365, AWS
// console and Google Workspace shapes, and the SaaS attack operations.

// wsLoginAs is a Workspace login audit event of user from ip.
func wsLoginAs(min int, user, ip, method, name string, kv ...string) string {
	ev := wsLoginEvent(min, method, name, "login", kv...)
	ev = strings.Replace(ev, `"principalEmail":"gw-admin@example.org"`, fmt.Sprintf(`"principalEmail":%q`, user), 1)
	return strings.Replace(ev, `"callerIp":"203.0.113.88"`, fmt.Sprintf(`"callerIp":%q`, ip), 1)
}

// wsPasswordFailure and wsSecondFactorFailure are login_failure events of
// user from ip.
func wsPasswordFailure(min int, user, ip string) string {
	return wsLoginAs(min, user, ip, "loginFailure", "login_failure", "login_type", "google_password", "login_failure_type", "login_failure_invalid_password")
}

func wsSecondFactorFailure(min int, user, ip string) string {
	return wsLoginAs(min, user, ip, "loginFailure", "login_failure", "login_type", "google_password", "login_failure_type", "login_failure_invalid_second_factor")
}

// wsChallenge is a login_challenge event of user with the challenge
// method and status.
func wsChallenge(min int, user, method, status string) string {
	return wsLoginAs(min, user, "203.0.113.88", "loginChallenge", "login_challenge", "login_challenge_method", method, "login_challenge_status", status)
}

// consoleFrom is a console sign-in of IAM user name from ip.
func consoleFrom(min int, name, ip, result string) string {
	id := strings.ReplaceAll(iamUser, "jdoe", name)
	extra := ""
	if result == "Failure" {
		extra = `"errorMessage":"Failed authentication"`
	}
	return strings.Replace(consoleLogin(min, id, result, extra), `"sourceIPAddress":"198.51.100.23"`, fmt.Sprintf(`"sourceIPAddress":%q`, ip), 1)
}

// entraModified is an Entra ID audit record of op whose target carries
// the modified properties (name, new value pairs; values JSON-quoted as
// the audit log writes them).
func entraModified(op string, kv ...string) string {
	var props []string
	for i := 0; i+1 < len(kv); i += 2 {
		q, _ := json.Marshal(`"` + kv[i+1] + `"`)
		props = append(props, fmt.Sprintf(`{"displayName":%q,"oldValue":null,"newValue":%s}`, kv[i], q))
	}
	return strings.Replace(entraOp(op, "success"), `"type":"ServicePrincipal"`, `"type":"ServicePrincipal","modifiedProperties":[`+strings.Join(props, ",")+`]`, 1)
}

// m365Modified is a unified audit log record of the Azure AD workload with
// ModifiedProperties (name, new value pairs).
func m365Modified(min int, op string, kv ...string) string {
	var props []string
	for i := 0; i+1 < len(kv); i += 2 {
		props = append(props, fmt.Sprintf(`{"Name":%q,"NewValue":%q,"OldValue":""}`, kv[i], kv[i+1]))
	}
	return strings.Replace(m365AAD(min, op, "Success"), `"Actor":`, `"ModifiedProperties":[`+strings.Join(props, ",")+`],"Actor":`, 1)
}

// consentScopes is the ConsentAction.Permissions value of a consent to
// the Microsoft Graph scopes.
func consentScopes(scopes string) string {
	return "[] => [[Id: mqcR0aLHNkWx0z7b0sT0A9mVCAtSC_9MmGv5vC0nT1s, ClientId: 9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a, PrincipalId: d7e2a1b0-1c2d-4e3f-8a9b-0c1d2e3f4a5b, ResourceId: 0b8c7d6e-5f4a-4b3c-9d2e-1f0a9b8c7d6e, ConsentType: Principal, Scope:  " + scopes + ", CreatedDateTime: , LastModifiedDateTime ]]; "
}

// sharing is a SharePoint sharing record of op for a target of type typ.
func sharing(min int, op, typ string) string {
	return strings.Replace(m365Obj(min, op, `[]`, "Succeeded", "Q4-board-pack.pptx"), `"Parameters":[]`,
		fmt.Sprintf(`"Parameters":[],"TargetUserOrGroupType":%q,"TargetUserOrGroupName":"j.smith_fabrikam.example#ext#@contoso.onmicrosoft.com","EventSource":"SharePoint","ItemType":"File"`, typ), 1)
}

// purview is a Security & Compliance Center record of operation op.
func purview(min int, op string) string {
	ev := m365Obj(min, op, `[]`, "Succeeded", "board-investigation")
	ev = strings.Replace(ev, `"RecordType":1,`, `"RecordType":18,`, 1)
	return strings.Replace(ev, `"Workload":"Exchange"`, `"Workload":"SecurityComplianceCenter"`, 1)
}

// tiMail is a Defender for Office 365 TIMailData record of a message with
// the verdict, delivery action and direction.
func tiMail(min int, verdict, action, direction string) string {
	return fmt.Sprintf(`{"CreationTime":"2024-03-14T11:%02d:05","Id":"3c4d5e6f-7a8b-4c9d-8e0f-%012d","Operation":"TIMailData","OrganizationId":"4b2d7c1e-9f3a-4e8b-a6d5-0c1f2e3d4a5b","RecordType":28,"UserKey":"ThreatIntel","UserType":4,"Version":1,"Workload":"ThreatIntelligence","ObjectId":"<CAB1x2@mail.example>","UserId":"ThreatIntel","AttachmentData":[],"DetectionMethod":"URL malicious reputation","DetectionType":"Inline","InternetMessageId":"<CAB1x2@mail.example>","NetworkMessageId":"9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d","P1Sender":"billing@fabrikam-pay.example","P2Sender":"billing@fabrikam-pay.example","Recipients":["cfo@contoso.example"],"SenderIp":"198.51.100.9","Subject":"Invoice 4471 overdue","Verdict":%q,"DeliveryAction":%q,"Directionality":%q,"LatestDeliveryLocation":"Inbox"}`,
		min%60, min, verdict, action, direction)
}

// withFields adds top-level members (JSON text) to a unified audit log
// record after its Parameters.
func withFields(ev, fields string) string {
	i := strings.Index(ev, `"Parameters":`)
	return ev[:i] + fields + "," + ev[i:]
}

func identityCases() []accCase {
	var m365Fatigue, m365Interrupts, m365Spread, m365FewThenOK []string
	for i := range 6 {
		m365Fatigue = append(m365Fatigue, m365Login(i*2, "ceo@contoso.example", "203.0.113.99", "AuthenticationFailed", "500121"))
		// MFA required (the interrupt before each prompt) is no denial.
		m365Interrupts = append(m365Interrupts, m365Login(i*2, "ceo@contoso.example", "203.0.113.99", "UserStrongAuthClientAuthNRequired", "50074"))
		m365Spread = append(m365Spread, m365Login(i*2, fmt.Sprintf("user%d@contoso.example", i), "203.0.113.99", "AuthenticationFailed", "500121"))
	}
	m365FewThenOK = append(append([]string{}, m365Fatigue[:4]...), m365Login(20, "ceo@contoso.example", "203.0.113.99", "", ""))
	var m365Brute, m365NineThenOK, m365OtherUser, m365OKFirst []string
	for i := range 10 {
		ev := m365Login(i, "cfo@contoso.example", fmt.Sprintf("198.51.100.%d", 10+i), "InvalidUserNameOrPassword", "50126")
		m365Brute = append(m365Brute, ev)
		if i < 9 {
			m365NineThenOK = append(m365NineThenOK, ev)
		}
		m365OtherUser = append(m365OtherUser, ev)
		m365OKFirst = append(m365OKFirst, ev)
	}
	m365OKFirst = append([]string{m365Login(0, "cfo@contoso.example", "198.51.100.77", "", "")}, m365OKFirst[1:]...)
	m365Brute = append(m365Brute, m365Login(25, "cfo@contoso.example", "198.51.100.77", "", ""))
	m365NineThenOK = append(m365NineThenOK, m365Login(25, "cfo@contoso.example", "198.51.100.77", "", ""))
	m365OtherUser = append(m365OtherUser, m365Login(25, "ceo@contoso.example", "198.51.100.77", "", ""))

	var awsBrute, awsNineThenOK, awsOtherAddr, awsOKFirst []string
	for i := range 10 {
		ev := consoleFrom(i, "jdoe", "198.51.100.23", "Failure")
		awsBrute = append(awsBrute, ev)
		awsOtherAddr = append(awsOtherAddr, ev)
		if i < 9 {
			awsNineThenOK = append(awsNineThenOK, ev)
		}
		awsOKFirst = append(awsOKFirst, consoleFrom(i+1, "jdoe", "198.51.100.23", "Failure"))
	}
	awsBrute = append(awsBrute, consoleFrom(20, "jdoe", "198.51.100.23", "Success"))
	awsNineThenOK = append(awsNineThenOK, consoleFrom(20, "jdoe", "198.51.100.23", "Success"))
	awsOtherAddr = append(awsOtherAddr, consoleFrom(20, "jdoe", "192.0.2.44", "Success"))
	awsOKFirst = append([]string{consoleFrom(0, "jdoe", "198.51.100.23", "Success")}, awsOKFirst...)
	var awsSpray, awsHidden, awsSpreadSpray []string
	for i := range 5 {
		awsSpray = append(awsSpray, consoleFrom(i*3, fmt.Sprintf("dev%d", i), "198.51.100.23", "Failure"))
		// Unknown user names all read HIDDEN_DUE_TO_SECURITY_REASONS; the
		// same five users from five addresses.
		awsHidden = append(awsHidden, consoleFrom(i*3, "HIDDEN_DUE_TO_SECURITY_REASONS", "198.51.100.23", "Failure"))
		awsSpreadSpray = append(awsSpreadSpray, consoleFrom(i*3, fmt.Sprintf("dev%d", i), fmt.Sprintf("192.0.2.%d", 10+i), "Failure"))
	}
	awsHidden = append(awsHidden, awsSpray[:3]...)

	var wsSpray, wsOneUser, wsNineUsers, wsSecondFactors []string
	for i := range 10 {
		wsSpray = append(wsSpray, wsPasswordFailure(i, fmt.Sprintf("user%02d@example.org", i), "198.51.100.200"))
		wsOneUser = append(wsOneUser, wsPasswordFailure(i, "cfo@example.org", fmt.Sprintf("198.51.100.%d", 10+i)))
		if i < 9 {
			wsNineUsers = append(wsNineUsers, wsSpray[i])
		}
		wsSecondFactors = append(wsSecondFactors, wsSecondFactorFailure(i, fmt.Sprintf("user%02d@example.org", i), "198.51.100.200"))
	}
	wsBruteThenOK := append(append([]string{}, wsOneUser...), wsLoginAs(25, "cfo@example.org", "198.51.100.77", "loginSuccess", "login_success", "login_type", "google_password"))
	wsOtherOK := append(append([]string{}, wsOneUser...), wsLoginAs(25, "ceo@example.org", "198.51.100.77", "loginSuccess", "login_success", "login_type", "google_password"))
	wsNineThenOK := append(append([]string{}, wsOneUser[:9]...), wsLoginAs(25, "cfo@example.org", "198.51.100.77", "loginSuccess", "login_success", "login_type", "google_password"))
	var wsFatigue, wsPrompts, wsPasswordChallenges, wsFatigueSpread []string
	for i := range 5 {
		wsFatigue = append(wsFatigue, wsSecondFactorFailure(i*2, "ceo@example.org", "203.0.113.88"))
		wsPrompts = append(wsPrompts, wsChallenge(i*2, "ceo@example.org", "internal_two_factor", "Challenge Failed"))
		wsPasswordChallenges = append(wsPasswordChallenges, wsChallenge(i*2, "ceo@example.org", "password", "Challenge Failed"))
		wsFatigueSpread = append(wsFatigueSpread, wsSecondFactorFailure(i*2, fmt.Sprintf("user%02d@example.org", i), "203.0.113.88"))
	}
	wsPasswordChallenges = append(wsPasswordChallenges, wsFatigue[:4]...)

	const broadConsent = "openid profile offline_access User.Read Mail.Read"
	return []accCase{
		{
			title: "M365 MFA Fatigue", level: LevelHigh,
			sequence:       m365Fatigue,
			benignSequence: append(append(append([]string{}, m365Interrupts...), m365Spread...), m365FewThenOK...),
		},
		// Nine failures then the success; ten failures then another
		// user's success; the success first.
		{title: "M365 Brute Force Followed By Successful Sign-In", level: LevelHigh, sequence: m365Brute, benignSequence: m365NineThenOK},
		{title: "M365 Brute Force Followed By Successful Sign-In", level: LevelHigh, sequence: m365Brute, benignSequence: m365OtherUser},
		{title: "M365 Brute Force Followed By Successful Sign-In", level: LevelHigh, sequence: m365Brute, benignSequence: m365OKFirst},
		{
			title: "M365 Successful Sign-In", level: LevelInformational,
			attack: []string{m365Brute[10]},
			benign: []string{m365Brute[0], m365Fatigue[0]},
		},
		{title: "AWS Console Login Brute Force Followed By Success", level: LevelHigh, sequence: awsBrute, benignSequence: awsNineThenOK},
		{title: "AWS Console Login Brute Force Followed By Success", level: LevelHigh, sequence: awsBrute, benignSequence: awsOtherAddr},
		{title: "AWS Console Login Brute Force Followed By Success", level: LevelHigh, sequence: awsBrute, benignSequence: awsOKFirst},
		{
			title: "AWS Console Login Succeeded", level: LevelInformational,
			attack: []string{awsBrute[10]},
			benign: []string{awsBrute[0]},
		},
		{title: "AWS Console Password Spray From One Address", level: LevelHigh, sequence: awsSpray, benignSequence: awsHidden},
		{title: "AWS Console Password Spray From One Address", level: LevelHigh, sequence: awsSpray, benignSequence: awsSpreadSpray},
		{title: "Google Workspace Password Spray From One Address", level: LevelHigh, sequence: wsSpray, benignSequence: append(append(append([]string{}, wsOneUser...), wsNineUsers...), wsSecondFactors...)},
		{title: "Google Workspace Brute Force Against One Account", level: LevelMedium, sequence: wsOneUser, benignSequence: append(append([]string{}, wsSpray...), wsOneUser[:9]...)},
		{title: "Google Workspace Brute Force Followed By Successful Sign-In", level: LevelHigh, sequence: wsBruteThenOK, benignSequence: wsOtherOK},
		{title: "Google Workspace Brute Force Followed By Successful Sign-In", level: LevelHigh, sequence: wsBruteThenOK, benignSequence: wsNineThenOK},
		{
			title: "Google Workspace Successful Sign-In", level: LevelInformational,
			attack: []string{wsBruteThenOK[10]},
			benign: []string{wsSpray[0], wsChallenge(1, "ceo@example.org", "internal_two_factor", "Challenge Passed")},
		},
		{title: "Google Workspace MFA Fatigue", level: LevelHigh, sequence: wsFatigue, benignSequence: append(append([]string{}, wsPasswordChallenges...), wsFatigueSpread...)},
		{title: "Google Workspace MFA Fatigue", level: LevelHigh, sequence: wsPrompts, benignSequence: wsPrompts[:4]},
		{
			title: "Google Workspace 2-Step Verification Turned Off By A User", level: LevelMedium,
			attack: []string{wsLoginEvent(7, "2svDisable", "2sv_disable", "2sv_change")},
			benign: []string{wsLoginEvent(7, "2svEnroll", "2sv_enroll", "2sv_change"), wsLoginEvent(7, "passwordEdit", "password_edit", "password_change")},
		},
		{
			title: "Google Workspace Account Disabled For A Leaked Password", level: LevelMedium,
			attack: []string{wsLoginEvent(8, "accountDisabledPasswordLeak", "account_disabled_password_leak", "account_warning", "affected_email_address", "j.doe@example.org")},
			benign: []string{wsLoginEvent(8, "passwordEdit", "password_edit", "password_change"), wsLoginEvent(8, "suspiciousLogin", "suspicious_login", "account_warning")},
		},
		{
			title: "Entra ID Consent Or App Role Granting Mail, File Or Directory Access", level: LevelHigh,
			attack: []string{
				entraModified("Consent to application", "ConsentContext.IsAdminConsent", "False", "ConsentAction.Permissions", consentScopes(broadConsent)),
				entraModified("Consent to application", "ConsentContext.IsAdminConsent", "True", "ConsentAction.Permissions", consentScopes("Files.ReadWrite.All Sites.Read.All")),
				entraModified("Add app role assignment to service principal", "AppRole.Id", "810c84a8-4a9e-49e6-bf7d-12d183f40d01", "AppRole.Value", "Mail.Read", "ServicePrincipal.DisplayName", "Microsoft Graph"),
				// A grant written through Graph (oauth2PermissionGrants), no
				// consent record.
				entraModified("Add delegated permission grant", "DelegatedPermissionGrant.Scope", " Mail.ReadWrite Mail.Send offline_access", "DelegatedPermissionGrant.ConsentType", "AllPrincipals"),
			},
			// Sign-in and profile only; the basic mail scope (no message
			// bodies); the user's own files; a read-only directory app
			// role.
			benign: []string{
				entraModified("Consent to application", "ConsentContext.IsAdminConsent", "False", "ConsentAction.Permissions", consentScopes("openid profile offline_access User.Read")),
				entraModified("Consent to application", "ConsentContext.IsAdminConsent", "False", "ConsentAction.Permissions", consentScopes("Mail.ReadBasic User.Read")),
				entraModified("Consent to application", "ConsentContext.IsAdminConsent", "False", "ConsentAction.Permissions", consentScopes("Files.Read Calendars.Read")),
				entraModified("Add app role assignment to service principal", "AppRole.Value", "User.Read.All", "ServicePrincipal.DisplayName", "Microsoft Graph"),
				entraModified("Add delegated permission grant", "DelegatedPermissionGrant.Scope", " User.Read openid profile", "DelegatedPermissionGrant.ConsentType", "Principal"),
			},
		},
		{
			title: "M365 Consent Granting Mail, File Or Directory Access", level: LevelHigh,
			attack: []string{
				m365Modified(1, "Consent to application.", "ConsentContext.IsAdminConsent", "False", "ConsentAction.Permissions", consentScopes(broadConsent)),
				m365Modified(2, "Add app role assignment to service principal.", "AppRole.Value", "full_access_as_app", "ServicePrincipal.DisplayName", "Office 365 Exchange Online"),
				m365Modified(3, "Add delegated permission grant.", "DelegatedPermissionGrant.Scope", " Files.ReadWrite.All offline_access", "DelegatedPermissionGrant.ConsentType", "AllPrincipals"),
			},
			benign: []string{
				m365Modified(1, "Consent to application.", "ConsentContext.IsAdminConsent", "False", "ConsentAction.Permissions", consentScopes("openid profile User.Read")),
				m365Modified(2, "Add app role assignment to service principal.", "AppRole.Value", "User.Read.All"),
				m365Modified(3, "Add delegated permission grant.", "DelegatedPermissionGrant.Scope", " User.Read"),
				// A scope named in another property than the grant.
				m365Modified(3, "Update application.", "ConsentAction.Permissions", consentScopes(broadConsent)),
				// The scope named in another property of the consent (an
				// application whose service principal names hold it), the
				// grant itself basic.
				m365Modified(4, "Consent to application.", "ConsentContext.IsAdminConsent", "False", "ConsentAction.Permissions", consentScopes("openid User.Read"), "TargetId.ServicePrincipalNames", "api://mail-archiver;Mail.Send relay"),
				m365Modified(5, "Add app role assignment to service principal.", "AppRole.Value", "User.Read.All", "AppRole.DisplayName", "Read all users' full profiles (not Mail.Read)"),
			},
		},
		{
			title: "Entra ID MFA Method Changed For A User", level: LevelLow,
			attack: []string{
				entraModified("Update user", "StrongAuthenticationPhoneAppDetail", `[{"DeviceName":"Pixel 8","DeviceToken":"x"}]`, "Included Updated Properties", "StrongAuthenticationPhoneAppDetail"),
				entraModified("Admin registered security info"),
			},
			// Another property; a user's own registration (the everyday
			// case); a method removed (the older rule's).
			benign: []string{
				entraModified("Update user", "Department", "Finance", "Included Updated Properties", "Department"),
				entraModified("User registered security info"),
				entraModified("Update group", "StrongAuthenticationMethod", "x"),
			},
		},
		{
			title: "M365 MFA Method Changed For A User", level: LevelLow,
			attack: []string{m365Modified(4, "Update user.", "StrongAuthenticationMethod", `[{"MethodType":6,"Default":true}]`, "Included Updated Properties", "StrongAuthenticationMethod")},
			benign: []string{
				m365Modified(4, "Update user.", "Department", "Finance", "Included Updated Properties", "Department"),
				m365Modified(4, "Update group.", "StrongAuthenticationMethod", "x"),
			},
		},
		{
			title: "M365 File Or Folder Shared With A Guest", level: LevelLow,
			attack: []string{sharing(5, "SharingInvitationCreated", "Guest"), sharing(5, "AddedToSecureLink", "Guest")},
			benign: []string{sharing(5, "SharingInvitationCreated", "Member"), sharing(5, "CompanyLinkCreated", "Guest"), sharing(5, "SharingRevoked", "Guest")},
		},
		{
			title: "M365 Member Added To A Privileged Exchange Or Purview Role Group", level: LevelMedium,
			attack: []string{
				m365Op(6, "Add-RoleGroupMember", `[{"Name":"Identity","Value":"Organization Management"},{"Name":"Member","Value":"mallory"}]`, "True"),
				m365Op(6, "Add-RoleGroupMember", `[{"Name":"Identity","Value":"eDiscoveryManager"},{"Name":"Member","Value":"mallory@contoso.example"}]`, "True"),
			},
			benign: []string{
				m365Op(6, "Add-RoleGroupMember", `[{"Name":"Identity","Value":"Help Desk"},{"Name":"Member","Value":"mallory"}]`, "True"),
				m365Op(6, "Remove-RoleGroupMember", `[{"Name":"Identity","Value":"Organization Management"},{"Name":"Member","Value":"mallory"}]`, "True"),
				m365Op(6, "Add-DistributionGroupMember", `[{"Name":"Identity","Value":"Organization Management"},{"Name":"Member","Value":"mallory"}]`, "True"),
			},
		},
		{
			title: "M365 Phishing Or Malware Delivered To A Mailbox", level: LevelMedium,
			attack: []string{tiMail(1, "Phish", "Delivered", "Inbound"), tiMail(2, "Malware", "Delivered", "Inbound")},
			benign: []string{tiMail(3, "Phish", "Blocked", "Inbound"), tiMail(4, "Spam", "Delivered", "Inbound"), tiMail(5, "Phish", "Junked", "Inbound")},
		},
		{
			title: "M365 Phishing Or Malware Sent From Inside The Organization", level: LevelHigh,
			attack: []string{tiMail(6, "Phish", "Blocked", "IntraOrg"), tiMail(7, "Malware", "Delivered", "IntraOrg")},
			benign: []string{tiMail(8, "Spam", "Delivered", "IntraOrg"), tiMail(9, "Phish", "Blocked", "Inbound")},
		},
		{
			title: "M365 Message Sent As Another Mailbox", level: LevelLow,
			attack: []string{withFields(m365Op(10, "SendAs", `[]`, "Succeeded"), `"LogonType":1,"MailboxOwnerUPN":"ceo@contoso.example","SendAsUserSmtp":"ceo@contoso.example"`)},
			benign: []string{
				withFields(m365Op(10, "Send", `[]`, "Succeeded"), `"LogonType":0,"MailboxOwnerUPN":"mallory@contoso.example"`),
				withFields(m365Op(10, "MailItemsAccessed", `[]`, "Succeeded"), `"LogonType":1,"MailboxOwnerUPN":"ceo@contoso.example"`),
			},
		},
		{
			title: "M365 Executable Or Script Uploaded To SharePoint Or OneDrive", level: LevelLow,
			attack: []string{
				withFields(m365Obj(11, "FileUploaded", `[]`, "Succeeded", "Payroll-update.exe"), `"SourceFileExtension":"exe","SourceFileName":"Payroll-update.exe"`),
				withFields(m365Obj(11, "FileUploaded", `[]`, "Succeeded", "Q4 report.lnk"), `"SourceFileExtension":"lnk","SourceFileName":"Q4 report.lnk"`),
			},
			benign: []string{
				withFields(m365Obj(11, "FileUploaded", `[]`, "Succeeded", "Q4 report.docx"), `"SourceFileExtension":"docx","SourceFileName":"Q4 report.docx"`),
				withFields(m365Obj(11, "FileDownloaded", `[]`, "Succeeded", "Payroll-update.exe"), `"SourceFileExtension":"exe","SourceFileName":"Payroll-update.exe"`),
			},
		},
		{
			title: "M365 Outlook Add-In Installed", level: LevelLow,
			attack: []string{m365Op(12, "New-App", `[{"Name":"Url","Value":"https://addin.fabrikam-pay.example/manifest.xml"},{"Name":"OrganizationApp","Value":"True"}]`, "True")},
			benign: []string{
				m365Op(12, "Remove-App", `[{"Name":"Identity","Value":"fabrikam-addin"}]`, "True"),
				m365Op(12, "Get-App", `[]`, "True"),
			},
		},
		{
			title: "Entra ID Sign-In With An Anomalous Or Replayed Token", level: LevelMedium,
			attack: []string{anomalousToken(signIn(30, "cfo@contoso.example", "185.220.101.4", 0), "anomalousToken", "atRisk")},
			// Another risk type; the risk remediated; the token refused.
			benign: []string{
				risky(signIn(31, "cfo@contoso.example", "185.220.101.4", 0), "medium", "atRisk"),
				anomalousToken(signIn(32, "cfo@contoso.example", "185.220.101.4", 0), "tokenIssuerAnomaly", "remediated"),
				anomalousToken(signIn(33, "cfo@contoso.example", "185.220.101.4", 50126), "anomalousToken", "atRisk"),
			},
		},
		{
			title: "M365 External User Invited", level: LevelLow,
			attack: []string{m365Modified(13, "Invite external user.", "UserType", "Guest", "Mail", "drop.box.8812@gmail.com")},
			// An employee account created; a guest removed.
			benign: []string{m365Modified(13, "Add user.", "UserType", "Member"), m365Modified(13, "Delete user.", "UserType", "Guest")},
		},
		{
			title: "M365 Compliance Search Created Or Exported", level: LevelMedium,
			attack: []string{purview(7, "SearchCreated"), purview(7, "SearchExportDownloaded")},
			benign: []string{purview(7, "SearchViewed"), purview(7, "CaseViewed")},
		},
	}
}

// anomalousToken flags a sign-in record for riskType with riskState.
func anomalousToken(ev, riskType, state string) string {
	return strings.Replace(risky(ev, "medium", state), `"anonymizedIPAddress"`, fmt.Sprintf("%q", riskType), 1)
}

// TestIdentityPack: every rule of vigil_pack_identity.yml has a case and
// every case holds (checkAccCase).
func TestIdentityPack(t *testing.T) {
	checkPackFile(t, "vigil_pack_identity.yml", identityCases(), 29)
}
