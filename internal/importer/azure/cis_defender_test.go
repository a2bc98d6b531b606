package azure

import (
	"strings"
	"testing"
)

// TestDefenderServerExtensions: the Defender for Servers plan's agentless
// scanning and file integrity monitoring from its pricing row's
// extensions; off on a Free plan, unknown on a Standard one whose row
// lists no extensions or one of the wrong type.
func TestDefenderServerExtensions(t *testing.T) {
	for _, tc := range []struct{ name, props, want string }{
		{"standard with extensions", `{"pricingTier":"Standard","extensions":[{"name":"AgentlessVmScanning","isEnabled":"True"},` +
			`{"name":"FileIntegrityMonitoring","isEnabled":"False"},{"name":"MdeDesignatedSubscription","isEnabled":"False"}]}`,
			`{"servers":true,"servers_agentless_scanning":true,"servers_fim":false}`},
		{"standard, FIM only (agentless not listed)", `{"pricingTier":"Standard","extensions":[{"name":"FileIntegrityMonitoring","isEnabled":true}]}`,
			`{"servers":true,"servers_agentless_scanning":false,"servers_fim":true}`},
		{"free", `{"pricingTier":"Free","extensions":[{"name":"AgentlessVmScanning","isEnabled":"True"}]}`,
			`{"servers":false,"servers_agentless_scanning":false,"servers_fim":false,"servers_endpoint_protection":false}`},
		{"standard without extensions", `{"pricingTier":"Standard"}`, `{"servers":true}`},
		{"an extension of the wrong type", `{"pricingTier":"Standard","extensions":[{"name":"AgentlessVmScanning","isEnabled":"sometimes"}]}`, `{"servers":true}`},
	} {
		rows := "[" + strings.Join([]string{
			`{"id":"` + cisSub + `","name":"s1","type":"microsoft.resources/subscriptions","subscriptionId":"s1","properties":{}}`,
			cisRow(cisSub+"/providers/Microsoft.Security/pricings/VirtualMachines", "microsoft.security/pricings", tc.props),
		}, ",") + "]"
		m, _ := loadRows(t, rows)
		if got := factsJSON(t, m[cisSub].Facts.Account.Defender); got != tc.want {
			t.Errorf("%s: defender = %s, want %s", tc.name, got, tc.want)
		}
	}
}

// TestDefenderEndpointProtection: CIS Azure 6.0 8.1.3.3 from the
// subscription's WDATP setting, read from the ARM settings list as
// GET .../providers/Microsoft.Security/settings returns it (no
// subscriptionId on the rows): off on a Free Defender for Servers plan
// whatever the setting says, unknown without the setting (or with one of
// the wrong type) unless the plan is Free.
func TestDefenderEndpointProtection(t *testing.T) {
	setting := func(name, kind, enabled string) string {
		return `{"id":"` + cisSub + `/providers/Microsoft.Security/settings/` + name + `","name":"` + name +
			`","kind":"` + kind + `","type":"Microsoft.Security/settings","properties":{"enabled":` + enabled + `}}`
	}
	mcas, sentinel := setting("MCAS", "DataExportSettings", "true"), setting("Sentinel", "AlertSyncSettings", "true")
	pricing := func(tier string) string {
		return cisRow(cisSub+"/providers/Microsoft.Security/pricings/VirtualMachines", "microsoft.security/pricings",
			`{"pricingTier":"`+tier+`"}`)
	}
	for _, tc := range []struct {
		name string
		rows []string
		want string
	}{
		{"standard, WDATP on", []string{pricing("Standard"), mcas, setting("WDATP", "DataExportSettings", "true"), sentinel},
			`{"servers":true,"servers_endpoint_protection":true}`},
		{"standard, WDATP off", []string{pricing("Standard"), mcas, setting("WDATP", "DataExportSettings", "false")},
			`{"servers":true,"servers_endpoint_protection":false}`},
		{"free, WDATP on", []string{pricing("Free"), setting("WDATP", "DataExportSettings", "true")},
			`{"servers":false,"servers_agentless_scanning":false,"servers_fim":false,"servers_endpoint_protection":false}`},
		{"free, no settings", []string{pricing("Free")},
			`{"servers":false,"servers_agentless_scanning":false,"servers_fim":false,"servers_endpoint_protection":false}`},
		{"standard, no WDATP row", []string{pricing("Standard"), mcas, sentinel}, `{"servers":true}`},
		{"no pricing, WDATP on", []string{setting("WDATP", "DataExportSettings", "true")}, `{"servers_endpoint_protection":true}`},
		{"WDATP enabled of the wrong type", []string{pricing("Standard"), setting("WDATP", "DataExportSettings", `"yes"`)},
			`{"servers":true}`},
		{"the linux exclusion is not WDATP", []string{pricing("Standard"), setting("WDATP_EXCLUDE_LINUX_PUBLIC_PREVIEW", "DataExportSettings", "true")},
			`{"servers":true}`},
	} {
		rows := append([]string{`{"id":"` + cisSub + `","name":"s1","type":"microsoft.resources/subscriptions","subscriptionId":"s1","properties":{}}`}, tc.rows...)
		m, problems := loadRows(t, `{"value":[`+strings.Join(rows, ",")+`]}`)
		if got := factsJSON(t, m[cisSub].Facts.Account.Defender); got != tc.want {
			t.Errorf("%s: defender = %s, want %s", tc.name, got, tc.want)
		}
		if wrong := strings.Contains(tc.name, "wrong type"); wrong != (len(problems) > 0) {
			t.Errorf("%s: problems %v", tc.name, problems)
		}
	}
}

// TestDefenderEndpointProtectionCLI: az security setting list prints a bare
// array of settings with their properties flattened ("enabled" beside
// "kind"); the WDATP row decides as the ARM list's does.
func TestDefenderEndpointProtectionCLI(t *testing.T) {
	for _, enabled := range []string{"true", "false"} {
		rows := `[{"id":"` + cisSub + `","name":"s1","type":"microsoft.resources/subscriptions","subscriptionId":"s1","properties":{}},` +
			`{"enabled":` + enabled + `,"id":"` + cisSub + `/providers/Microsoft.Security/settings/WDATP","kind":"DataExportSettings",` +
			`"name":"WDATP","type":"Microsoft.Security/settings"}]`
		m, problems := loadRows(t, rows)
		if got, want := factsJSON(t, m[cisSub].Facts.Account.Defender), `{"servers_endpoint_protection":`+enabled+`}`; got != want || len(problems) > 0 {
			t.Errorf("enabled %s: defender = %s (problems %v), want %s", enabled, got, problems, want)
		}
	}
}
