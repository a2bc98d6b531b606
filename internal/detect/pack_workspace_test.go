package detect

import (
	"fmt"
	"io/fs"
	"strings"
	"testing"
)

// wsEvent is a Google Workspace audit event as Cloud Logging delivers it
// (Cloud Audit Logs shape; admin.googleapis.com activity or
// login.googleapis.com data access), with the Workspace event name, type and
// parameters (a JSON array of {name, value}).
func wsEvent(min int, service, method, name, typ, params string) string {
	log := "activity"
	if service == "login.googleapis.com" {
		log = "data_access"
	}
	return fmt.Sprintf(`{"protoPayload":{"@type":"type.googleapis.com/google.cloud.audit.AuditLog","authenticationInfo":{"principalEmail":"gw-admin@example.org"},"requestMetadata":{"callerIp":"203.0.113.88","requestAttributes":{},"destinationAttributes":{}},"serviceName":%q,"methodName":%q,"resourceName":"organizations/684915227091","metadata":{"@type":"type.googleapis.com/ccc_hosted_reporting.ActivityProto","activityId":{"timeUsec":"1715000061000000","uniqQualifier":"-86146419864368773%02d"},"event":[{"eventName":%q,"eventType":%q,"parameter":%s}]}},"insertId":"-7ruq01e2nd%02d","resource":{"type":"audited_resource","labels":{"service":%q,"method":%q}},"timestamp":"2024-05-07T09:%02d:11Z","severity":"NOTICE","logName":"organizations/684915227091/logs/cloudaudit.googleapis.com%%2F%s","receiveTimestamp":"2024-05-07T09:%02d:11.912345678Z"}`,
		service, method, min, name, typ, params, min, service, method, min, log, min)
}

func wsParams(kv ...string) string {
	var b strings.Builder
	b.WriteByte('[')
	for i := 0; i+1 < len(kv); i += 2 {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"name":%q,"value":%q,"type":"TYPE_STRING","label":"LABEL_OPTIONAL"}`, kv[i], kv[i+1])
	}
	b.WriteByte(']')
	return b.String()
}

const (
	wsAdmin = "admin.googleapis.com"
	wsLogin = "login.googleapis.com"
)

func wsAdminEvent(min int, method, name, typ string, kv ...string) string {
	return wsEvent(min, wsAdmin, "google.admin.AdminService."+method, name, typ, wsParams(kv...))
}

func wsLoginEvent(min int, method, name, typ string, kv ...string) string {
	return wsEvent(min, wsLogin, "google.login.LoginService."+method, name, typ, wsParams(kv...))
}

func workspaceCases() []broadCase {
	twoSV := func(old, new string) string {
		return wsAdminEvent(3, "enforceStrongAuthentication", "ENFORCE_STRONG_AUTHENTICATION", "SECURITY_SETTINGS", "ORG_UNIT_NAME", "/Sales", "OLD_VALUE", old, "NEW_VALUE", new)
	}
	return []broadCase{
		{"vigil_workspace_admin_role_assigned", "Google Workspace Admin Role Assigned", LevelHigh,
			wsAdminEvent(1, "assignRole", "GRANT_ADMIN_PRIVILEGE", "USER_SETTINGS", "USER_EMAIL", "contractor@example.org"),
			[]string{
				wsAdminEvent(1, "addGroupMember", "ADD_GROUP_MEMBER", "GROUP_SETTINGS", "USER_EMAIL", "contractor@example.org", "GROUP_EMAIL", "admins@example.org"),
				gcpFailed(strings.Replace(wsAdminEvent(1, "assignRole", "GRANT_ADMIN_PRIVILEGE", "USER_SETTINGS", "USER_EMAIL", "contractor@example.org"), `"authenticationInfo"`, `"status":{},"authenticationInfo"`, 1)),
			}},
		{"vigil_workspace_domain_wide_delegation", "Google Workspace API Client Granted Domain-Wide Delegation", LevelHigh,
			wsAdminEvent(2, "authorizeApiClientAccess", "AUTHORIZE_API_CLIENT_ACCESS", "DOMAIN_SETTINGS", "API_CLIENT_NAME", "104937282146572639915", "API_SCOPES", "https://mail.google.com/"),
			[]string{wsAdminEvent(2, "removeApiClientAccess", "REMOVE_API_CLIENT_ACCESS", "DOMAIN_SETTINGS", "API_CLIENT_NAME", "104937282146572639915")}},
		{"vigil_workspace_2sv_enforcement_off", "Google Workspace 2-Step Verification Enforcement Turned Off", LevelHigh,
			twoSV("true", "false"),
			// Turned on: OLD_VALUE false, NEW_VALUE true (a rule reading
			// any parameter's value would match it).
			[]string{twoSV("false", "true")}},
		{"vigil_workspace_forwarding_out_of_domain", "Google Workspace Mail Forwarded Out Of The Domain", LevelMedium,
			wsLoginEvent(4, "emailForwardingOutOfDomain", "email_forwarding_out_of_domain", "account_warning", "email_forwarding_destination_address", "drop.box.8812@protonmail.com", "affected_email_address", "j.doe@example.org"),
			[]string{wsLoginEvent(4, "loginSuccess", "login_success", "login", "login_type", "google_password")}},
		{"vigil_workspace_suspicious_login", "Google Workspace Suspicious Or Government-Backed Attack Login Warning", LevelMedium,
			wsLoginEvent(5, "suspiciousLogin", "suspicious_login", "account_warning", "affected_email_address", "j.doe@example.org"),
			[]string{
				wsLoginEvent(5, "loginSuccess", "login_success", "login", "login_type", "google_password"),
				wsLoginEvent(5, "loginFailure", "login_failure", "login", "login_type", "google_password"),
			}},
		{"vigil_workspace_email_monitor", "Google Workspace Email Monitor Created", LevelHigh,
			wsAdminEvent(7, "createEmailMonitor", "CREATE_EMAIL_MONITOR", "EMAIL_SETTINGS", "USER_EMAIL", "cfo@example.org", "EMAIL_MONITOR_DEST_EMAIL", "archive.7731@example.org"),
			[]string{
				wsAdminEvent(7, "deleteEmailMonitor", "DELETE_EMAIL_MONITOR", "EMAIL_SETTINGS", "USER_EMAIL", "cfo@example.org"),
				gcpFailed(strings.Replace(wsAdminEvent(7, "createEmailMonitor", "CREATE_EMAIL_MONITOR", "EMAIL_SETTINGS", "USER_EMAIL", "cfo@example.org"), `"authenticationInfo"`, `"status":{},"authenticationInfo"`, 1)),
			}},
		{"vigil_workspace_oauth_trusted", "Google Workspace OAuth App Trusted Or Third-Party API Access Unblocked", LevelMedium,
			wsAdminEvent(8, "addToTrustedOauth2Apps", "ADD_TO_TRUSTED_OAUTH2_APPS", "DOMAIN_SETTINGS", "OAUTH2_APP_ID", "901234567890-abc.apps.googleusercontent.com", "OAUTH2_APP_NAME", "Mail Backup Pro"),
			[]string{
				wsAdminEvent(8, "removeFromTrustedOauth2Apps", "REMOVE_FROM_TRUSTED_OAUTH2_APPS", "DOMAIN_SETTINGS", "OAUTH2_APP_ID", "901234567890-abc.apps.googleusercontent.com"),
				wsAdminEvent(8, "blockAllThirdPartyApiAccess", "BLOCK_ALL_THIRD_PARTY_API_ACCESS", "DOMAIN_SETTINGS"),
			}},
		{"vigil_workspace_admin_password_change", "Google Workspace User Password Changed By An Administrator", LevelLow,
			wsAdminEvent(9, "changePassword", "CHANGE_PASSWORD", "USER_SETTINGS", "USER_EMAIL", "cfo@example.org"),
			[]string{
				wsAdminEvent(9, "changeUserOrganizationUnit", "MOVE_USER_TO_ORG_UNIT", "USER_SETTINGS", "USER_EMAIL", "cfo@example.org"),
				// The user's own change is a login audit event.
				wsLoginEvent(9, "passwordEdit", "password_edit", "password_change"),
			}},
		{"vigil_workspace_admin_privilege_removed", "Google Workspace Admin Privileges Or Role Removed", LevelLow,
			wsAdminEvent(6, "deleteRole", "DELETE_ROLE", "DELEGATED_ADMIN_SETTINGS", "ROLE_NAME", "Helpdesk Admin"),
			[]string{wsAdminEvent(6, "createRole", "CREATE_ROLE", "DELEGATED_ADMIN_SETTINGS", "ROLE_NAME", "Helpdesk Admin")}},
	}
}

// TestWorkspacePack: every rule of the Google Workspace pack raises its
// alert, at its level, on a matching event written from the documented
// Workspace audit shapes, and not on its benign look-alikes.
func TestWorkspacePack(t *testing.T) {
	data, err := fs.ReadFile(BuiltinFS(), "vigil_pack_workspace.yml")
	if err != nil {
		t.Fatal(err)
	}
	cases := workspaceCases()
	if n := strings.Count(string(data), "\nname: vigil_"); n != len(cases) {
		t.Fatalf("vigil_pack_workspace.yml has %d rules, %d test cases", n, len(cases))
	}
	for _, c := range cases {
		if !strings.Contains(string(data), "\nname: "+c.name+"\n") {
			t.Errorf("%s: no such rule", c.name)
		}
		t.Run(c.name, func(t *testing.T) {
			got := alertsOf(runDefault(t, []string{c.match}), c.title)
			if len(got) != 1 {
				t.Fatalf("%d alerts on the matching event, want 1: %s", len(got), c.match)
			}
			if got[0].Level != c.level {
				t.Errorf("level %v, want %v", got[0].Level, c.level)
			}
			if len(c.benign) == 0 {
				t.Errorf("no benign look-alike")
			}
			for i, ev := range c.benign {
				if n := len(alertsOf(runWithTuning(t, NoTuning(), []string{ev}), c.title)); n != 0 {
					t.Errorf("benign event %d raised %d alerts: %s", i, n, ev)
				}
			}
		})
	}
}
