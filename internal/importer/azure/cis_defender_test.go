package azure

import (
	"context"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/importer/internal/attr"
	"github.com/vigil-sec/vigil/internal/resource"
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
			`{"servers":false,"servers_agentless_scanning":false,"servers_fim":false,"servers_endpoint_protection":false,"servers_vulnerability_assessment":false}`},
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
			`{"servers":false,"servers_agentless_scanning":false,"servers_fim":false,"servers_endpoint_protection":false,"servers_vulnerability_assessment":false}`},
		{"free, no settings", []string{pricing("Free")},
			`{"servers":false,"servers_agentless_scanning":false,"servers_fim":false,"servers_endpoint_protection":false,"servers_vulnerability_assessment":false}`},
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

// TestDefenderVulnerabilityAssessment: CIS Azure 6.0 8.1.3.2 from the
// subscription's serverVulnerabilityAssessmentsSettings, as GET
// .../providers/Microsoft.Security/serverVulnerabilityAssessmentsSettings
// lists them: on when an AzureServersSetting selects a provider; off on a
// Free Defender for Servers plan, or when the listing (an empty one read
// by its file name, azure/<subscription>/servervulnerabilityassessmentssettings.json)
// holds none; unknown without the listing, or with a row of the wrong
// type.
func TestDefenderVulnerabilityAssessment(t *testing.T) {
	const sub = "aaaaaaaa-0000-4000-8000-000000000001"
	subID := "/subscriptions/" + sub
	subRow := `{"id":"` + subID + `","name":"` + sub + `","type":"microsoft.resources/subscriptions","subscriptionId":"` + sub + `","properties":{}}`
	pricing := func(tier string) string {
		return `{"id":"` + subID + `/providers/Microsoft.Security/pricings/VirtualMachines","name":"VirtualMachines","type":"microsoft.security/pricings",` +
			`"subscriptionId":"` + sub + `","properties":{"pricingTier":"` + tier + `"}}`
	}
	setting := func(provider string) string {
		return `{"id":"` + subID + `/providers/Microsoft.Security/serverVulnerabilityAssessmentsSettings/azureServersSetting","name":"azureServersSetting",` +
			`"type":"Microsoft.Security/serverVulnerabilityAssessmentsSettings","kind":"AzureServersSetting","properties":{"selectedProvider":` + provider + `}}`
	}
	empty := `{"value":[]}`
	for _, tc := range []struct {
		name    string
		rows    []string
		listing string // the document of azure/<sub>/servervulnerabilityassessmentssettings.json, "" for none
		want    string
	}{
		{"standard, MdeTvm", []string{pricing("Standard"), setting(`"MdeTvm"`)}, "", `{"servers":true,"servers_vulnerability_assessment":true}`},
		{"standard, listed empty", []string{pricing("Standard")}, empty, `{"servers":true,"servers_vulnerability_assessment":false}`},
		{"standard, listed empty as az prints it", []string{pricing("Standard")}, `[]`, `{"servers":true,"servers_vulnerability_assessment":false}`},
		{"free, MdeTvm", []string{pricing("Free"), setting(`"MdeTvm"`)}, "",
			`{"servers":false,"servers_agentless_scanning":false,"servers_fim":false,"servers_endpoint_protection":false,"servers_vulnerability_assessment":false}`},
		{"standard, not listed", []string{pricing("Standard")}, "", `{"servers":true}`},
		{"no pricing, MdeTvm", []string{setting(`"MdeTvm"`)}, "", `{"servers_vulnerability_assessment":true}`},
		{"provider of the wrong type", []string{pricing("Standard"), setting(`["MdeTvm"]`)}, "", `{"servers":true}`},
	} {
		var all []*resource.Resource
		decode := func(s string) any {
			var doc any
			if err := attr.Decode([]byte(s), &doc); err != nil {
				t.Fatal(err)
			}
			return doc
		}
		res := Parse(context.Background(), "azure/"+sub+"/rows.json", decode(`{"value":[`+strings.Join(append([]string{subRow}, tc.rows...), ",")+`]}`))
		all = append(all, res.Resources...)
		if tc.listing != "" {
			path := "azure/" + sub + "/servervulnerabilityassessmentssettings.json"
			lr, why := ParseByName(context.Background(), path, "servervulnerabilityassessmentssettings.json", decode(tc.listing))
			if lr == nil || why != "" {
				t.Fatalf("%s: the empty listing was not read (%q)", tc.name, why)
			}
			all = append(all, lr.Resources...)
		}
		added, problems := Finalize(all)
		var acct *resource.Resource
		for _, r := range append(all, added...) {
			if r.ID == subID {
				acct = r
			}
		}
		if got := factsJSON(t, acct.Facts.Account.Defender); got != tc.want {
			t.Errorf("%s: defender = %s, want %s", tc.name, got, tc.want)
		}
		if wrong := strings.Contains(tc.name, "wrong type"); wrong != (len(problems) > 0) {
			t.Errorf("%s: problems %v", tc.name, problems)
		}
	}
	// The same empty listing outside a subscription's directory is skipped
	// with the reason.
	if res, why := ParseByName(context.Background(), "exports/servervulnerabilityassessmentssettings.json", "servervulnerabilityassessmentssettings.json", attr.M{"value": []any{}}); res != nil || !strings.Contains(why, "subscription") {
		t.Errorf("empty listing outside a subscription's directory: %v, %q", res, why)
	}
}
