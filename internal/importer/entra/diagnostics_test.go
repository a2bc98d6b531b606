package entra

import (
	"fmt"
	"strings"
	"testing"
)

// TestDiagnosticSettings: CIS Azure 6.0 6.1.1.7/6.1.1.8 from the tenant's
// diagnostic settings (the ARM listing kept under its path, with the
// management endpoint and api-version as collected): audit and sign-in
// logs and Graph activity logs each count when a setting with a
// destination enables them (or allLogs); an empty listing is a tenant
// without settings; absent, denied or unreadable, the facts stay unknown.
func TestDiagnosticSettings(t *testing.T) {
	key := `"https://management.azure.com/providers/microsoft.aadiam/diagnosticSettings?api-version=2017-04-01"`
	setting := func(name, dest, logs string) string {
		return `{"id":"/providers/microsoft.aadiam/diagnosticSettings/` + name + `","type":"microsoft.aadiam/diagnosticSettings","name":"` + name +
			`","properties":{` + dest + `"logs":[` + logs + `]}}`
	}
	law := `"workspaceId":"/subscriptions/s/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/law",`
	log := func(cat string, on bool) string { return fmt.Sprintf(`{"category":%q,"enabled":%t}`, cat, on) }
	tests := []struct {
		name, responses, want, problem string
	}{
		{"audit and sign-ins to a workspace, graph disabled", key + ":" + coll(setting("to-law", law, log("AuditLogs", true)+","+log("SignInLogs", true)+","+log("MicrosoftGraphActivityLogs", false))),
			"true false [MicrosoftGraphActivityLogs]", ""},
		{"split over two settings, storage and event hub", key + ":" + coll(
			setting("archive", `"storageAccountId":"/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/arch",`, log("AuditLogs", true)),
			setting("siem", `"eventHubAuthorizationRuleId":"/subscriptions/s/x/authorizationRules/send","eventHubName":"entra",`, log("SignInLogs", true)+","+log("MicrosoftGraphActivityLogs", true))),
			"true true []", ""},
		{"allLogs", key + ":" + coll(setting("all", law, `{"categoryGroup":"allLogs","enabled":true}`)), "true true []", ""},
		{"no destination", key + ":" + coll(setting("nowhere", "", log("AuditLogs", true)+","+log("SignInLogs", true))),
			"false false [AuditLogs SignInLogs MicrosoftGraphActivityLogs]", ""},
		{"sign-ins only", key + ":" + coll(setting("signins", law, log("SignInLogs", true))), "false false [AuditLogs MicrosoftGraphActivityLogs]", ""},
		{"empty listing", `"/providers/microsoft.aadiam/diagnosticSettings":{"value":[]}`, "false false [AuditLogs SignInLogs MicrosoftGraphActivityLogs]", ""},
		{"absent", `"/policies/deviceRegistrationPolicy":{"multiFactorAuthConfiguration":"required"}`, "unknown unknown []", ""},
		{"denied", key + `:{"error":{"code":"AuthorizationFailed","message":"no access"}}`, "unknown unknown []", "AuthorizationFailed"},
		{"a setting not read", key + ":" + coll(setting("to-law", law, log("AuditLogs", true)+","+log("SignInLogs", true)), setting("bad", law, `{"category":"MicrosoftGraphActivityLogs","enabled":"yes"}`)),
			"true unknown []", "enabled: want boolean"},
	}
	for _, tc := range tests {
		tn, probs := tenantOf(t, tc.responses)
		if tn == nil {
			t.Fatalf("%s: no tenant", tc.name)
		}
		got := fmt.Sprintf("%s %s %v", show(tn.ActivityLogsExported), show(tn.GraphActivityLogsExported), tn.MissingActivityLogs)
		if got != tc.want {
			t.Errorf("%s: %s, want %s", tc.name, got, tc.want)
		}
		if (tc.problem == "") != (probs == "") || !strings.Contains(probs, tc.problem) {
			t.Errorf("%s: problems %q, want %q", tc.name, probs, tc.problem)
		}
	}
}

func show(b *bool) string {
	if b == nil {
		return "unknown"
	}
	return fmt.Sprint(*b)
}
