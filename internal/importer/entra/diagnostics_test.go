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

// TestIntuneDiagnosticSettings: CIS Azure 6.0 6.1.1.9 from Intune's
// diagnostic settings (the ARM listing at the tenant's root, under
// microsoft.intune): AuditLogs, OperationalLogs, DeviceComplianceOrg and
// Devices each count only when a setting sends them to a Log Analytics
// workspace (a storage account or an event hub is not Log Analytics).
func TestIntuneDiagnosticSettings(t *testing.T) {
	key := `"https://management.azure.com/providers/microsoft.intune/diagnosticSettings?api-version=2017-04-01-preview"`
	setting := func(name, dest, logs string) string {
		return `{"id":"/providers/microsoft.intune/diagnosticSettings/` + name + `","type":"microsoft.intune/diagnosticSettings","name":"` + name +
			`","properties":{` + dest + `"logs":[` + logs + `]}}`
	}
	law := `"workspaceId":"/subscriptions/s/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/law",`
	storage := `"storageAccountId":"/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/arch",`
	log := func(cat string, on bool) string { return fmt.Sprintf(`{"category":%q,"enabled":%t}`, cat, on) }
	four := log("AuditLogs", true) + "," + log("OperationalLogs", true) + "," + log("DeviceComplianceOrg", true) + "," + log("Devices", true)
	tests := []struct {
		name, responses, want, problem string
	}{
		{"all four to a workspace", key + ":" + coll(setting("to-law", law, four)), "true []", ""},
		{"all four to storage only", key + ":" + coll(setting("archive", storage, four)), "false [AuditLogs OperationalLogs DeviceComplianceOrg Devices]", ""},
		{"audit only", key + ":" + coll(setting("audit", law, log("AuditLogs", true)+","+log("Devices", false))),
			"false [OperationalLogs DeviceComplianceOrg Devices]", ""},
		{"allLogs", key + ":" + coll(setting("all", law, `{"categoryGroup":"allLogs","enabled":true}`)), "true []", ""},
		{"empty listing", `"/providers/microsoft.intune/diagnosticSettings":{"value":[]}`, "false [AuditLogs OperationalLogs DeviceComplianceOrg Devices]", ""},
		{"absent", `"/policies/deviceRegistrationPolicy":{"multiFactorAuthConfiguration":"required"}`, "unknown []", ""},
		{"denied", key + `:{"error":{"code":"AuthorizationFailed","message":"no access"}}`, "unknown []", "AuthorizationFailed"},
		{"a setting not read", key + ":" + coll(setting("audit", law, log("AuditLogs", true)), setting("bad", law, `{"category":"Devices","enabled":"yes"}`)),
			"unknown []", "enabled: want boolean"},
	}
	for _, tc := range tests {
		tn, probs := tenantOf(t, tc.responses)
		if tn == nil {
			t.Fatalf("%s: no tenant", tc.name)
		}
		got := fmt.Sprintf("%s %v", show(tn.IntuneLogsExported), tn.MissingIntuneLogs)
		if got != tc.want {
			t.Errorf("%s: %s, want %s", tc.name, got, tc.want)
		}
		if tn.ActivityLogsExported != nil {
			t.Errorf("%s: Intune's settings answered the Entra activity logs: %v", tc.name, *tn.ActivityLogsExported)
		}
		if (tc.problem == "") != (probs == "") || !strings.Contains(probs, tc.problem) {
			t.Errorf("%s: problems %q, want %q", tc.name, probs, tc.problem)
		}
	}
}
