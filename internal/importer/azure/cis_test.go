package azure

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/importer/internal/attr"
	"github.com/vigil-sec/vigil/internal/resource"
)

// loadRows parses Resource Graph rows and finalizes them, keyed by lower-case ID.
func loadRows(t *testing.T, data string) (map[string]*resource.Resource, []attr.Problem) {
	t.Helper()
	var doc any
	if err := attr.Decode([]byte(data), &doc); err != nil {
		t.Fatal(err)
	}
	res := Parse(context.Background(), "rows.json", doc)
	added, problems := Finalize(res.Resources)
	problems = append(res.Problems, problems...)
	m := map[string]*resource.Resource{}
	for _, r := range append(res.Resources, added...) {
		m[strings.ToLower(r.ID)] = r
	}
	return m, problems
}

func factsJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

const cisSub = "/subscriptions/s1"

func cisRow(id, typ, props string) string {
	return `{"id":"` + id + `","name":"` + id[strings.LastIndexByte(id, '/')+1:] + `","type":"` + typ +
		`","subscriptionId":"s1","properties":` + props + `}`
}

// TestSubscriptionCISFacts: Defender plans from pricings, notifications
// from the security contact, activity log alerts (enabled, at subscription
// scope, on the operation) and subscription-scope Owners.
func TestSubscriptionCISFacts(t *testing.T) {
	owner := "/providers/Microsoft.Authorization/roleDefinitions/" + ownerRoleGUID
	alert := func(name, scope, enabled, cond string) string {
		return cisRow(cisSub+"/resourceGroups/rg/providers/microsoft.insights/activityLogAlerts/"+name,
			"microsoft.insights/activitylogalerts",
			`{"scopes":["`+scope+`"],"enabled":`+enabled+`,"condition":{"allOf":`+cond+`}}`)
	}
	op := func(o string) string {
		return `[{"field":"category","equals":"Administrative"},{"field":"operationName","equals":"` + o + `"}]`
	}
	rows := "[" + strings.Join([]string{
		`{"id":"` + cisSub + `","name":"s1","type":"microsoft.resources/subscriptions","subscriptionId":"s1","properties":{}}`,
		cisRow(cisSub+"/providers/Microsoft.Security/pricings/VirtualMachines", "microsoft.security/pricings", `{"pricingTier":"Standard"}`),
		cisRow(cisSub+"/providers/Microsoft.Security/pricings/Arm", "microsoft.security/pricings", `{"pricingTier":"Free"}`),
		cisRow(cisSub+"/providers/Microsoft.Security/securityContacts/default", "microsoft.security/securitycontacts",
			`{"emails":"sec@example.com","isEnabled":true,"notificationsByRole":{"state":"On","roles":["Owner","AccountAdmin"]},`+
				`"notificationsSources":[{"sourceType":"Alert","minimalSeverity":"High"}]}`),
		alert("nsg", cisSub, "true", op("Microsoft.Network/networkSecurityGroups/write")),
		alert("nsg-delete-off", cisSub, "false", op("Microsoft.Network/networkSecurityGroups/delete")),
		alert("pip-rg", cisSub+"/resourceGroups/rg", "true", op("Microsoft.Network/publicIPAddresses/write")),
		alert("health", cisSub, "true", `[{"field":"category","equals":"ServiceHealth"}]`),
		alert("policy", cisSub, "true", `[{"field":"category","equals":"Administrative"},{"anyOf":[`+
			`{"field":"operationName","equals":"microsoft.authorization/policyassignments/write"},`+
			`{"field":"operationName","equals":"Microsoft.Authorization/policyAssignments/delete"}]}]`),
		alert("security-category", cisSub, "true", `[{"field":"category","equals":"Security"},{"field":"operationName","equals":"Microsoft.Sql/servers/firewallRules/write"}]`),
		cisRow(cisSub+"/providers/Microsoft.Authorization/roleAssignments/a1", "microsoft.authorization/roleassignments",
			`{"roleDefinitionId":"`+cisSub+owner+`","principalId":"p1","principalType":"User","scope":"`+cisSub+`"}`),
		cisRow(cisSub+"/resourceGroups/rg/providers/Microsoft.Authorization/roleAssignments/a2", "microsoft.authorization/roleassignments",
			`{"roleDefinitionId":"`+cisSub+owner+`","principalId":"p2","principalType":"User","scope":"`+cisSub+`/resourceGroups/rg"}`),
	}, ",\n") + "]"
	m, problems := loadRows(t, rows)
	if len(problems) > 0 {
		t.Fatalf("problems: %+v", problems)
	}
	acct := m[cisSub].Facts.Account
	if got, want := factsJSON(t, acct.Defender), `{"servers":true,"resource_manager":false}`; got != want {
		t.Errorf("defender = %s, want %s", got, want)
	}
	if got, want := factsJSON(t, acct.Notifications), `{"owner_notified":true,"alert_notifications":true,"attack_path_notifications":false}`; got != want {
		t.Errorf("notifications = %s, want %s", got, want)
	}
	want := `{"policy_assignment_write":true,"policy_assignment_delete":true,"nsg_write":true,"nsg_delete":false,` +
		`"security_solution_write":false,"security_solution_delete":false,"sql_firewall_rule_write":false,` +
		`"sql_firewall_rule_delete":false,"public_ip_write":false,"public_ip_delete":false,"service_health":true}`
	if got := factsJSON(t, acct.ActivityAlerts); got != want {
		t.Errorf("activity alerts = %s\nwant %s", got, want)
	}
	if acct.Owners == nil || *acct.Owners != 1 {
		t.Errorf("owners = %v, want 1 (the resource-group Owner does not count)", acct.Owners)
	}
}

// TestSubscriptionCISFactsUnknown: without the rows, the facts are absent;
// a contact of the wrong type leaves notifications unknown; a disabled
// contact notifies no one.
func TestSubscriptionCISFactsUnknown(t *testing.T) {
	m, _ := loadRows(t, "["+`{"id":"`+cisSub+`","name":"s1","type":"microsoft.resources/subscriptions","subscriptionId":"s1","properties":{}}`+"]")
	acct := m[cisSub].Facts.Account
	if acct.Defender != nil || acct.Notifications != nil || acct.ActivityAlerts != nil || acct.Owners != nil {
		t.Errorf("facts without rows: %s", factsJSON(t, acct))
	}
	contact := func(props string) *resource.Account {
		m, _ := loadRows(t, "["+cisRow(cisSub+"/providers/Microsoft.Security/securityContacts/default",
			"microsoft.security/securitycontacts", props)+"]")
		return m[cisSub].Facts.Account
	}
	if a := contact(`{"emails":"a@b.c","notificationsByRole":{"state":"On","roles":"Owner"}}`); a.Notifications != nil {
		t.Errorf("roles of the wrong type: %s, want unknown", factsJSON(t, a.Notifications))
	}
	a := contact(`{"emails":"a@b.c","isEnabled":false,"notificationsByRole":{"state":"On","roles":["Owner"]},` +
		`"notificationsSources":[{"sourceType":"Alert","minimalSeverity":"Low"},{"sourceType":"AttackPath","minimalRiskLevel":"Critical"}]}`)
	if got, want := factsJSON(t, a.Notifications), `{"owner_notified":false,"alert_notifications":false,"attack_path_notifications":false}`; got != want {
		t.Errorf("disabled contact = %s, want %s", got, want)
	}
	// 2020-01-01-preview shape
	a = contact(`{"emails":"a@b.c","alertNotifications":{"state":"On","minimalSeverity":"High"},"notificationsByRole":{"state":"Off","roles":["Owner"]}}`)
	if got, want := factsJSON(t, a.Notifications), `{"owner_notified":false,"alert_notifications":true,"attack_path_notifications":false}`; got != want {
		t.Errorf("2020 contact = %s, want %s", got, want)
	}
}

// TestStorageVaultVNetCISFacts: the storage account settings of CIS 9.3
// with their documented defaults, private endpoints, and VNet DDoS.
func TestStorageVaultVNetCISFacts(t *testing.T) {
	const rg = cisSub + "/resourceGroups/rg/providers/"
	pec := func(status string) string {
		return `[{"id":"x","properties":{"privateLinkServiceConnectionState":{"status":"` + status + `"}}}]`
	}
	rows := "[" + strings.Join([]string{
		cisRow(rg+"Microsoft.Storage/storageAccounts/good", "microsoft.storage/storageaccounts",
			`{"allowSharedKeyAccess":false,"publicNetworkAccess":"Disabled","allowCrossTenantReplication":false,`+
				`"defaultToOAuthAuthentication":true,"networkAcls":{"bypass":"Logging, AzureServices","defaultAction":"Deny"},`+
				`"privateEndpointConnections":`+pec("Approved")+`,"keyPolicy":{"keyExpirationPeriodInDays":90},`+
				`"keyCreationTime":{"key1":"2026-10-02T06:00:00.0000000Z","key2":"2026-09-20T06:00:00.0000000Z"}}`),
		cisRow(rg+"Microsoft.Storage/storageAccounts/defaults", "microsoft.storage/storageaccounts",
			`{"publicNetworkAccess":"Enabled","networkAcls":{"bypass":"None","defaultAction":"Allow"},"privateEndpointConnections":`+pec("Pending")+`}`),
		cisRow(rg+"Microsoft.KeyVault/vaults/kv", "microsoft.keyvault/vaults", `{"privateEndpointConnections":[]}`),
		cisRow(rg+"Microsoft.KeyVault/vaults/kv2", "microsoft.keyvault/vaults", `{"enableSoftDelete":true}`),
		cisRow(rg+"Microsoft.Network/virtualNetworks/v1", "microsoft.network/virtualnetworks", `{"enableDdosProtection":false}`),
	}, ",\n") + "]"
	m, problems := loadRows(t, rows)
	if len(problems) > 0 {
		t.Fatalf("problems: %+v", problems)
	}
	check := func(id, want string, v any) {
		t.Helper()
		if got := factsJSON(t, v); got != want {
			t.Errorf("%s: %s\nwant %s", id, got, want)
		}
	}
	good := m[strings.ToLower(rg+"Microsoft.Storage/storageAccounts/good")].Facts.Storage
	check("good", `[false,false,true,true,false,true]`,
		[]any{good.SharedKeyAccess, good.PublicNetwork, good.PrivateEndpoint, good.TrustedServicesBypass, good.CrossTenantReplication, good.DefaultOAuth})
	check("good keys", `[true,"2026-09-20T06:00:00Z"]`, []any{good.KeyExpirationPolicy, good.KeysCreated})
	def := m[strings.ToLower(rg+"Microsoft.Storage/storageAccounts/defaults")].Facts.Storage
	// allowSharedKeyAccess null means allowed, defaultToOAuthAuthentication null means false;
	// allowCrossTenantReplication's default depends on the account's age: unknown
	check("defaults", `[true,true,false,false,null,false]`,
		[]any{def.SharedKeyAccess, def.PublicNetwork, def.PrivateEndpoint, def.TrustedServicesBypass, def.CrossTenantReplication, def.DefaultOAuth})
	check("defaults keys", `[false,""]`, []any{def.KeyExpirationPolicy, def.KeysCreated})
	check("kv", `false`, m[strings.ToLower(rg+"Microsoft.KeyVault/vaults/kv")].Facts.KeyVault.PrivateEndpoint)
	check("kv2", `null`, m[strings.ToLower(rg+"Microsoft.KeyVault/vaults/kv2")].Facts.KeyVault.PrivateEndpoint)
	check("vnet", `false`, m[strings.ToLower(rg+"Microsoft.Network/virtualNetworks/v1")].Facts.Network.DDoSProtection)
}

// TestNetworkWatcherRegions: the regions holding resources of the
// subscription without a network watcher; unknown without watcher rows.
func TestNetworkWatcherRegions(t *testing.T) {
	const rg = cisSub + "/resourceGroups/rg/providers/"
	row := func(id, typ, loc string) string {
		return `{"id":"` + id + `","name":"x","type":"` + typ + `","location":"` + loc + `","subscriptionId":"s1","properties":{}}`
	}
	sa := row(rg+"Microsoft.Storage/storageAccounts/eu", "microsoft.storage/storageaccounts", "westeurope")
	vm := row(rg+"Microsoft.Compute/virtualMachines/us", "microsoft.compute/virtualmachines", "eastus")
	nw := row(cisSub+"/resourceGroups/NetworkWatcherRG/providers/Microsoft.Network/networkWatchers/NetworkWatcher_eastus",
		"microsoft.network/networkwatchers", "eastus")
	m, problems := loadRows(t, "["+sa+","+vm+","+nw+"]")
	if len(problems) > 0 {
		t.Fatalf("problems: %+v", problems)
	}
	a := m[cisSub].Facts.Account
	if got := factsJSON(t, []any{a.NetworkWatcherEveryRegion, a.NetworkWatcherMissing}); got != `[false,["westeurope"]]` {
		t.Errorf("network watcher facts = %s", got)
	}
	m, _ = loadRows(t, "["+vm+","+nw+"]")
	if a := m[cisSub].Facts.Account; a.NetworkWatcherEveryRegion == nil || !*a.NetworkWatcherEveryRegion {
		t.Errorf("every region covered: %s", factsJSON(t, a))
	}
	m, _ = loadRows(t, "["+sa+","+vm+"]")
	if a := m[cisSub].Facts.Account; a.NetworkWatcherEveryRegion != nil {
		t.Errorf("no watcher rows: %s, want unknown", factsJSON(t, a))
	}
}

// TestAppGatewayCISFacts: HTTP/2 from the gateway; request body inspection
// and bot protection from its WAF policy (joined by ID), or from the
// gateway's own WAF configuration, which has no bot protection.
func TestAppGatewayCISFacts(t *testing.T) {
	const rg = cisSub + "/resourceGroups/rg/providers/"
	pol := rg + "Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies/wafp"
	rows := "[" + strings.Join([]string{
		cisRow(rg+"Microsoft.Network/applicationGateways/withpolicy", "microsoft.network/applicationgateways",
			`{"enableHttp2":true,"firewallPolicy":{"id":"`+strings.ToLower(pol)+`"}}`),
		cisRow(pol, "microsoft.network/applicationgatewaywebapplicationfirewallpolicies",
			`{"policySettings":{"state":"Enabled","requestBodyCheck":true},"managedRules":{"managedRuleSets":[`+
				`{"ruleSetType":"OWASP","ruleSetVersion":"3.2"},{"ruleSetType":"Microsoft_BotManagerRuleSet","ruleSetVersion":"1.0"}]}}`),
		cisRow(rg+"Microsoft.Network/applicationGateways/config", "microsoft.network/applicationgateways",
			`{"enableHttp2":false,"webApplicationFirewallConfiguration":{"enabled":true,"requestBodyCheck":false}}`),
		cisRow(rg+"Microsoft.Network/applicationGateways/missingpolicy", "microsoft.network/applicationgateways",
			`{"firewallPolicy":{"id":"`+pol+`-gone"}}`),
	}, ",\n") + "]"
	m, problems := loadRows(t, rows)
	if len(problems) > 0 {
		t.Fatalf("problems: %+v", problems)
	}
	for name, want := range map[string]string{
		"withpolicy":    `[true,true,true]`,
		"config":        `[false,false,false]`,
		"missingpolicy": `[null,null,null]`,
	} {
		lb := m[strings.ToLower(rg+"Microsoft.Network/applicationGateways/"+name)].Facts.LoadBalancer
		if got := factsJSON(t, []any{lb.HTTP2, lb.WAFRequestBodyCheck, lb.WAFBotProtection}); got != want {
			t.Errorf("%s: http2, body check, bot = %s, want %s", name, got, want)
		}
	}
	body, bot := wafPolicy(node{M: map[string]any{"policySettings": map[string]any{"state": "Disabled", "requestBodyCheck": true}}, C: &checker{}})
	if got := factsJSON(t, []any{body, bot}); got != `[false,false]` {
		t.Errorf("disabled policy: %s, want [false,false]", got)
	}
}
