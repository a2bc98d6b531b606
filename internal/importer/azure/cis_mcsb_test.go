package azure

import (
	"fmt"
	"strings"
	"testing"
)

// TestMCSBPolicies: CIS Azure 6.0 8.1.11 from the PolicyResources rows of
// the subscriptions' policy assignments: the MCSB assignment with no
// effect parameter Disabled passes; a parameter or a policyEffect override
// set to Disabled fails naming it; an MCSB assignment on a management
// group above the subscription counts, one on a resource group does not;
// a subscription whose assignments are listed without the MCSB one fails
// as unassigned; without any assignment row of the subscription it is
// unknown.
func TestMCSBPolicies(t *testing.T) {
	mcsbDef := "/providers/Microsoft.Authorization/policySetDefinitions/1f3afdf9-d0c9-4c3d-847f-89da613e70a8"
	sub := func(id, mg string) string {
		chain := ""
		if mg != "" {
			chain = `"managementGroupAncestorsChain":[{"displayName":"` + mg + `","name":"` + mg + `"}]`
		}
		return `{"id":"/subscriptions/` + id + `","name":"` + id + `","type":"microsoft.resources/subscriptions","subscriptionId":"` + id + `","properties":{` + chain + `}}`
	}
	mg := `{"id":"/providers/Microsoft.Management/managementGroups/mg-prod","name":"mg-prod","type":"microsoft.management/managementgroups","properties":{"displayName":"mg-prod","details":{"parent":{"id":"/providers/Microsoft.Management/managementGroups/root"}}}}`
	assign := func(scope, name, def, params, overrides string) string {
		sid := SubscriptionOf(scope)
		return `{"id":"` + scope + `/providers/Microsoft.Authorization/policyAssignments/` + name + `","name":"` + name +
			`","type":"microsoft.authorization/policyassignments","subscriptionId":"` + sid + `","location":"","properties":{"displayName":"` + name +
			`","scope":"` + scope + `","policyDefinitionId":"` + def + `","enforcementMode":"Default","notScopes":[],"parameters":` + params +
			`,"overrides":` + overrides + `}}`
	}
	other := "/providers/Microsoft.Authorization/policyDefinitions/0a914e76-4921-4c19-b460-a2d36003525a"
	ok := `{"systemUpdatesMonitoringEffect":{"value":"AuditIfNotExists"}}`
	for _, c := range []struct {
		name string
		rows []string
		want string
	}{
		{"enabled", []string{sub("s1", ""), assign("/subscriptions/s1", "SecurityCenterBuiltIn", mcsbDef, ok, "null")}, "true true []"},
		{"parameter disabled", []string{sub("s1", ""), assign("/subscriptions/s1", "SecurityCenterBuiltIn", mcsbDef,
			`{"systemUpdatesMonitoringEffect":{"value":"Disabled"},"identityEnableMFAForOwnerPermissionsMonitoringEffect":{"value":"disabled"},"x":{"value":["Disabled"]}}`, "null")},
			"true false [identityEnableMFAForOwnerPermissionsMonitoringEffect systemUpdatesMonitoringEffect]"},
		{"override disabled", []string{sub("s1", ""), assign("/subscriptions/s1", "SecurityCenterBuiltIn", mcsbDef, ok,
			`[{"kind":"policyEffect","value":"Disabled","selectors":[{"kind":"policyDefinitionReferenceId","in":["diskEncryptionMonitoring"]}]}]`)},
			"true false [override: diskEncryptionMonitoring]"},
		{"from a management group", []string{sub("s1", "mg-prod"), mg, assign("/subscriptions/s1", "allowed-locations", other, "{}", "null"),
			assign("/providers/Microsoft.Management/managementGroups/mg-prod", "mcsb", mcsbDef, ok, "null")}, "true true []"},
		{"resource group only", []string{sub("s1", ""), assign("/subscriptions/s1/resourceGroups/rg", "mcsb", mcsbDef, ok, "null")}, "false false []"},
		{"not assigned", []string{sub("s1", ""), assign("/subscriptions/s1", "allowed-locations", other, "{}", "null")}, "false false []"},
		{"not listed", []string{sub("s1", ""), sub("s2", ""), assign("/subscriptions/s2", "SecurityCenterBuiltIn", mcsbDef, ok, "null")}, "unknown"},
	} {
		m, problems := loadRows(t, "["+strings.Join(c.rows, ",")+"]")
		if len(problems) > 0 {
			t.Errorf("%s: problems %v", c.name, problems)
		}
		got := "unknown"
		if r := m["/subscriptions/s1"]; r != nil && r.Facts.Account.CIS != nil && r.Facts.Account.CIS.MCSBPoliciesEnabled != nil {
			cis := r.Facts.Account.CIS
			got = fmt.Sprint(*cis.MCSBAssigned, " ", *cis.MCSBPoliciesEnabled, " ", cis.MCSBDisabledPolicies)
		}
		if got != c.want {
			t.Errorf("%s: s1 %s, want %s", c.name, got, c.want)
		}
	}
}
