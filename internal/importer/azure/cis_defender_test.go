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
			`{"servers":false,"servers_agentless_scanning":false,"servers_fim":false}`},
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
