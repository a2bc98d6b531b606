package azure

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/importer/internal/attr"
	"github.com/vigil-sec/vigil/internal/resource"
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

// TestMCSBListingWithoutOwnAssignment: a subscription's policyresources.json
// (vigil collect's, in a directory named after the subscription) without
// any row still says its assignments were listed, so the MCSB assignment
// of the management group above it, in the tenant's file, decides; the
// same empty file elsewhere says nothing.
func TestMCSBListingWithoutOwnAssignment(t *testing.T) {
	const sub = "aaaaaaaa-0000-4000-8000-000000000001"
	decode := func(s string) any {
		var doc any
		if err := attr.Decode([]byte(s), &doc); err != nil {
			t.Fatal(err)
		}
		return doc
	}
	subRow := `[{"id":"/subscriptions/` + sub + `","name":"` + sub + `","type":"microsoft.resources/subscriptions","subscriptionId":"` + sub +
		`","properties":{"managementGroupAncestorsChain":[{"name":"mg-prod","displayName":"mg-prod"}]}}]`
	mgAssign := `{"count":1,"data":[{"id":"/providers/Microsoft.Management/managementGroups/mg-prod/providers/Microsoft.Authorization/policyAssignments/mcsb",` +
		`"name":"mcsb","type":"microsoft.authorization/policyassignments","subscriptionId":"","properties":{"scope":"/providers/Microsoft.Management/managementGroups/mg-prod",` +
		`"policyDefinitionId":"/providers/Microsoft.Authorization/policySetDefinitions/1f3afdf9-d0c9-4c3d-847f-89da613e70a8","parameters":{}}}]}`
	empty := `{"count":0,"data":[],"skip_token":null,"total_records":0}`
	for _, c := range []struct {
		dir, want string
	}{{"azure/" + sub, "true true"}, {"azure/exports", "unknown"}} {
		var all []*resource.Resource
		for _, f := range []struct{ path, doc string }{
			{"azure/" + sub + "/resourcecontainers.json", subRow},
			{"azure/tenant-t/policyresources.json", mgAssign},
			{c.dir + "/policyresources.json", empty},
		} {
			res := Parse(context.Background(), f.path, decode(f.doc))
			if len(res.Problems) > 0 {
				t.Fatalf("%s: %v", f.path, res.Problems)
			}
			all = append(all, res.Resources...)
		}
		added, problems := Finalize(all)
		if len(problems) > 0 {
			t.Errorf("%v", problems)
		}
		got := "unknown"
		for _, r := range append(all, added...) {
			if r.ID == "/subscriptions/"+sub && r.Facts.Account.CIS != nil && r.Facts.Account.CIS.MCSBAssigned != nil {
				got = fmt.Sprint(*r.Facts.Account.CIS.MCSBAssigned, " ", *r.Facts.Account.CIS.MCSBPoliciesEnabled)
			}
		}
		if got != c.want {
			t.Errorf("empty listing in %s: %s, want %s", c.dir, got, c.want)
		}
	}
}

// TestMCSBDeprecatedPolicies: CIS Azure 6.0 8.1.11 asks that the
// non-deprecated policies of the MCSB are not Disabled: an effect
// parameter or override of a policy the initiative has deprecated is
// named apart and does not fail the subscription. Without the
// initiative's definition in the input the importer's list of deprecated
// parameters decides; with it (a PolicyResources row, as Resource Graph
// and `az policy set-definition show` give it), its parameters' metadata
// and policy references do.
func TestMCSBDeprecatedPolicies(t *testing.T) {
	const mcsbDef = "/providers/Microsoft.Authorization/policySetDefinitions/1f3afdf9-d0c9-4c3d-847f-89da613e70a8"
	sub := `{"id":"/subscriptions/s1","name":"s1","type":"microsoft.resources/subscriptions","subscriptionId":"s1","properties":{}}`
	assign := func(params, overrides string) string {
		return `{"id":"/subscriptions/s1/providers/Microsoft.Authorization/policyAssignments/SecurityCenterBuiltIn","name":"SecurityCenterBuiltIn",` +
			`"type":"microsoft.authorization/policyassignments","subscriptionId":"s1","properties":{"scope":"/subscriptions/s1",` +
			`"policyDefinitionId":"` + mcsbDef + `","parameters":` + params + `,"overrides":` + overrides + `}}`
	}
	// The initiative's definition as Resource Graph lists a built-in one:
	// here systemUpdatesMonitoringEffect is deprecated and
	// sqlAuditingMonitoringEffect (deprecated in the built-in list) is not.
	definition := `{"id":"` + mcsbDef + `","name":"1f3afdf9-d0c9-4c3d-847f-89da613e70a8","type":"microsoft.authorization/policysetdefinitions",` +
		`"subscriptionId":"","properties":{"displayName":"Microsoft cloud security benchmark","policyType":"BuiltIn","parameters":{` +
		`"systemUpdatesMonitoringEffect":{"type":"string","defaultValue":"AuditIfNotExists","metadata":{"displayName":"System updates","deprecated":true}},` +
		`"sqlAuditingMonitoringEffect":{"type":"string","defaultValue":"AuditIfNotExists","metadata":{"displayName":"SQL auditing"}}},` +
		`"policyDefinitions":[{"policyDefinitionId":"/providers/Microsoft.Authorization/policyDefinitions/86b3d65f-7626-441e-b690-81a8b71cff60",` +
		`"policyDefinitionReferenceId":"systemUpdatesMonitoring","parameters":{"effect":{"value":"[parameters('systemUpdatesMonitoringEffect')]"}}},` +
		`{"policyDefinitionId":"/providers/Microsoft.Authorization/policyDefinitions/a6fb4358-5bf4-4ad7-ba82-2cd2f41ce5e9",` +
		`"policyDefinitionReferenceId":"sqlAuditing","parameters":{"effect":{"value":"[parameters('sqlAuditingMonitoringEffect')]"}}}]}}`
	for _, c := range []struct {
		name string
		rows []string
		want string
	}{
		{"deprecated parameter only", []string{sub, assign(`{"sqlAuditingMonitoringEffect":{"value":"Disabled"},"networkSecurityGroupsMonitoringEffect":{"value":"Disabled"}}`, "null")},
			"true [] [networkSecurityGroupsMonitoringEffect sqlAuditingMonitoringEffect]"},
		{"deprecated and live", []string{sub, assign(`{"sqlAuditingMonitoringEffect":{"value":"Disabled"},"systemUpdatesMonitoringEffect":{"value":"Disabled"}}`, "null")},
			"false [systemUpdatesMonitoringEffect] [sqlAuditingMonitoringEffect]"},
		{"deprecated override", []string{sub, assign(`{}`,
			`[{"kind":"policyEffect","value":"Disabled","selectors":[{"kind":"policyDefinitionReferenceId","in":["sqlAuditingMonitoring","diskEncryptionMonitoring"]}]}]`)},
			"false [override: diskEncryptionMonitoring] [override: sqlAuditingMonitoring]"},
		{"the input's definition decides", []string{sub, definition, assign(`{"sqlAuditingMonitoringEffect":{"value":"Disabled"},"systemUpdatesMonitoringEffect":{"value":"Disabled"}}`,
			`[{"kind":"policyEffect","value":"Disabled","selectors":[{"kind":"policyDefinitionReferenceId","in":["systemUpdatesMonitoring"]}]}]`)},
			"false [sqlAuditingMonitoringEffect] [override: systemUpdatesMonitoring systemUpdatesMonitoringEffect]"},
	} {
		m, problems := loadRows(t, "["+strings.Join(c.rows, ",")+"]")
		if len(problems) > 0 {
			t.Errorf("%s: problems %v", c.name, problems)
		}
		got := "unknown"
		if r := m["/subscriptions/s1"]; r != nil && r.Facts.Account.CIS != nil && r.Facts.Account.CIS.MCSBPoliciesEnabled != nil {
			cis := r.Facts.Account.CIS
			got = fmt.Sprint(*cis.MCSBPoliciesEnabled, " ", cis.MCSBDisabledPolicies, " ", cis.MCSBDisabledDeprecated)
		}
		if got != c.want {
			t.Errorf("%s: s1 %s, want %s", c.name, got, c.want)
		}
	}
}
