package azure

import (
	"fmt"
	"strings"
	"testing"
)

// TestFilesVaultLoggingSubnetsCISFacts: file services joined to their
// accounts (unset SMB settings are every value the service supports),
// storage redundancy, Key Vault audit logging from resource-scope
// diagnostic settings, subnets without NSGs, Bastion and Application
// Insights presence.
func TestFilesVaultLoggingSubnetsCISFacts(t *testing.T) {
	sa := func(name string) string {
		return cisSub + "/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/" + name
	}
	kv := func(name string) string {
		return cisSub + "/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/" + name
	}
	account := func(name, sku string) string {
		return `{"id":"` + sa(name) + `","name":"` + name + `","type":"microsoft.storage/storageaccounts","subscriptionId":"s1",` +
			`"sku":{"name":"` + sku + `"},"properties":{}}`
	}
	rows := "[" + strings.Join([]string{
		`{"id":"` + cisSub + `","name":"s1","type":"microsoft.resources/subscriptions","subscriptionId":"s1","properties":{}}`,
		account("good", "Standard_RAGZRS"), account("dflt", "Standard_LRS"), account("none", "Premium_ZRS"), account("broken", "Standard_GRS"),
		cisRow(sa("good")+"/fileServices/default", "Microsoft.Storage/storageAccounts/fileServices",
			`{"shareDeleteRetentionPolicy":{"enabled":true,"days":7},"protocolSettings":{"smb":{"versions":"SMB3.1.1;","channelEncryption":"AES-256-GCM"}}}`),
		cisRow(sa("dflt")+"/fileServices/default", "microsoft.storage/storageaccounts/fileservices",
			`{"protocolSettings":{"smb":{"versions":null}}}`),
		cisRow(sa("broken")+"/fileServices/default", "Microsoft.Storage/storageAccounts/fileServices",
			`{"shareDeleteRetentionPolicy":"on","protocolSettings":{"smb":{"channelEncryption":"AES-256-GCM"}}}`),
		cisRow(kv("logged"), "microsoft.keyvault/vaults", `{}`),
		cisRow(kv("silent"), "microsoft.keyvault/vaults", `{}`),
		cisRow(kv("metrics"), "microsoft.keyvault/vaults", `{}`),
		// `az monitor diagnostic-settings list --resource` output is flat
		`{"id":"` + kv("logged") + `/providers/microsoft.insights/diagnosticSettings/d1","name":"d1","type":"Microsoft.Insights/diagnosticSettings",` +
			`"workspaceId":"/w","logs":[{"category":null,"categoryGroup":"audit","enabled":true}]}`,
		`{"id":"` + kv("metrics") + `/providers/microsoft.insights/diagnosticSettings/d2","name":"d2","type":"Microsoft.Insights/diagnosticSettings",` +
			`"workspaceId":"/w","logs":[{"category":"AuditEvent","enabled":false}],"metrics":[{"category":"AllMetrics","enabled":true}]}`,
		cisRow(cisSub+"/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v1", "microsoft.network/virtualnetworks",
			`{"subnets":[{"name":"GatewaySubnet","properties":{}},{"name":"a","properties":{"networkSecurityGroup":{"id":"/n"}}},{"name":"b","properties":{}}]}`),
		cisRow(cisSub+"/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v2", "microsoft.network/virtualnetworks",
			`{"subnets":[{"name":"a","properties":{"networkSecurityGroup":{"id":"/n"}}}]}`),
		cisRow(cisSub+"/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v3", "microsoft.network/virtualnetworks",
			`{"subnets":[{"name":"a","properties":{"networkSecurityGroup":"/n"}}]}`),
		cisRow(cisSub+"/resourceGroups/rg/providers/Microsoft.Insights/components/ai", "microsoft.insights/components", `{}`),
	}, ",") + "]"
	m, problems := loadRows(t, rows)
	if len(problems) != 2 { // the broken file service's and v3's wrong-typed fields
		t.Errorf("problems: %+v", problems)
	}
	for id, want := range map[string]string{
		sa("good"):   `{"files":{"soft_delete":true,"smb_versions":["SMB3.1.1"],"smb_channel_encryption":["AES-256-GCM"]},"geo_redundant":true}`,
		sa("dflt"):   `{"files":{"soft_delete":false,"smb_versions":["SMB2.1","SMB3.0","SMB3.1.1"],"smb_channel_encryption":["AES-128-CCM","AES-128-GCM","AES-256-GCM"]},"geo_redundant":false}`,
		sa("none"):   `{"geo_redundant":false}`,
		sa("broken"): `{"files":{"smb_channel_encryption":["AES-256-GCM"]},"geo_redundant":true}`,
	} {
		r := m[strings.ToLower(id)]
		got := factsJSON(t, map[string]any{"files": r.Facts.Storage.Files, "geo_redundant": r.Facts.Storage.GeoRedundant})
		got = strings.Replace(got, `"files":null,`, "", 1)
		if got != want {
			t.Errorf("%s: storage facts %s, want %s", id, got, want)
		}
	}
	for name, want := range map[string]string{"logged": "true", "silent": "false", "metrics": "false"} {
		if got := factsJSON(t, m[strings.ToLower(kv(name))].Facts.KeyVault.Logging); got != want {
			t.Errorf("vault %s logging = %s, want %s", name, got, want)
		}
	}
	for name, want := range map[string]string{
		"v1": `{"subnets_nsg":false,"subnets_without_nsg":["b"]}`, "v2": `{"subnets_nsg":true}`, "v3": `{}`,
	} {
		n := m[strings.ToLower(cisSub+"/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/"+name)].Facts.Network
		got := factsJSON(t, map[string]any{"subnets_nsg": n.SubnetsNSG, "subnets_without_nsg": n.SubnetsWithoutNSG})
		got = strings.NewReplacer(`"subnets_nsg":null,"subnets_without_nsg":null`, "", `,"subnets_without_nsg":[]`, "", ",}", "}", "{,", "{").Replace(got)
		if got != want {
			t.Errorf("%s: network facts %s, want %s", name, got, want)
		}
	}
	if got := factsJSON(t, m[cisSub].Facts.Account.CIS); got != `{"bastion_host":false,"app_insights":true,"easm":false,"vpn_p2s_entra_only":true}` {
		t.Errorf("account CIS facts %s", got)
	}
}

// TestVaultLoggingUnknown: without any resource-scope diagnostic setting
// in the input, a vault's logging is unknown (the settings were not
// collected), and without resources-table rows so are Bastion and
// Application Insights.
func TestVaultLoggingUnknown(t *testing.T) {
	m, _ := loadRows(t, `[{"id":"`+cisSub+`","name":"s1","type":"microsoft.resources/subscriptions","subscriptionId":"s1","properties":{}},`+
		cisRow(cisSub+"/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv", "microsoft.keyvault/vaults", `{}`)+`]`)
	if l := m[strings.ToLower(cisSub+"/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv")].Facts.KeyVault.Logging; l != nil {
		t.Errorf("logging = %v, want unknown", *l)
	}
	m, _ = loadRows(t, `[{"id":"`+cisSub+`","name":"s1","type":"microsoft.resources/subscriptions","subscriptionId":"s1","properties":{}}]`)
	if c := m[cisSub].Facts.Account.CIS; c != nil && (c.BastionHost != nil || c.AppInsights != nil || c.EASM != nil) {
		t.Errorf("account CIS facts %+v, want unknown", c)
	}
}

// TestEASMWorkspace: CIS Azure 6.0 8.1.16. A Defender EASM workspace in
// subscription s2 covers s1 too (one workspace watches the organization);
// without one every subscription whose resources table is in the input
// fails, and one without rows there stays unknown.
func TestEASMWorkspace(t *testing.T) {
	sub := func(id string) string {
		return `{"id":"/subscriptions/` + id + `","name":"` + id + `","type":"microsoft.resources/subscriptions","subscriptionId":"` + id + `","properties":{}}`
	}
	vnet := cisRow(cisSub+"/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v1", "microsoft.network/virtualnetworks", `{"subnets":[]}`)
	easm := `{"id":"/subscriptions/s2/resourceGroups/sec/providers/Microsoft.Easm/workspaces/nw-easm","name":"nw-easm","type":"microsoft.easm/workspaces",` +
		`"subscriptionId":"s2","location":"eastus","properties":{"provisioningState":"Succeeded","dataPlaneEndpoint":"https://eastus.easm.defender.microsoft.com"}}`
	for _, c := range []struct {
		rows   []string
		s1, s2 string
	}{
		{[]string{sub("s1"), sub("s2"), vnet, easm}, "true", "true"},
		{[]string{sub("s1"), sub("s2"), vnet}, "false", "unknown"},
	} {
		m, problems := loadRows(t, "["+strings.Join(c.rows, ",")+"]")
		if len(problems) > 0 {
			t.Errorf("problems: %v", problems)
		}
		for id, want := range map[string]string{"/subscriptions/s1": c.s1, "/subscriptions/s2": c.s2} {
			got := "unknown"
			if cis := m[id].Facts.Account.CIS; cis != nil && cis.EASM != nil {
				got = fmt.Sprint(*cis.EASM)
			}
			if got != want {
				t.Errorf("%d rows: %s easm %s, want %s", len(c.rows), id, got, want)
			}
		}
	}
}

// TestDatabricksCISFacts: VNet injection and secure cluster connectivity
// from the custom parameters, public network access, private endpoints,
// customer-managed keys and diagnostic logs of Databricks workspaces.
func TestDatabricksCISFacts(t *testing.T) {
	ws := func(name string) string {
		return cisSub + "/resourceGroups/rg/providers/Microsoft.Databricks/workspaces/" + name
	}
	rows := "[" + strings.Join([]string{
		cisRow(ws("locked"), "microsoft.databricks/workspaces", `{"publicNetworkAccess":"Disabled",`+
			`"parameters":{"customVirtualNetworkId":{"type":"String","value":"/v"},"enableNoPublicIp":{"type":"Bool","value":true}},`+
			`"encryption":{"entities":{"managedServices":{"keySource":"Microsoft.Keyvault"}}},`+
			`"privateEndpointConnections":[{"properties":{"privateLinkServiceConnectionState":{"status":"Approved"}}}]}`),
		cisRow(ws("open"), "microsoft.databricks/workspaces", `{"publicNetworkAccess":"Enabled",`+
			`"parameters":{"enableNoPublicIp":{"type":"Bool","value":false}},"privateEndpointConnections":[]}`),
		cisRow(ws("bad"), "microsoft.databricks/workspaces", `{"parameters":{"customVirtualNetworkId":{"value":7},"enableNoPublicIp":{"value":"yes"}}}`),
		`{"id":"` + ws("locked") + `/providers/microsoft.insights/diagnosticSettings/d","name":"d","type":"Microsoft.Insights/diagnosticSettings",` +
			`"properties":{"workspaceId":"/w","logs":[{"category":"clusters","enabled":true}]}}`,
	}, ",") + "]"
	m, problems := loadRows(t, rows)
	if len(problems) != 2 {
		t.Errorf("problems: %+v", problems)
	}
	for name, want := range map[string]string{
		"locked": `{"engine":"databricks","public_endpoint":false,"encrypted":true,"key_manager":"customer","databricks":{"vnet_injection":true,"no_public_ip":true,"private_endpoint":true,"diagnostic_logs":true,"vnet":"/v"}}`,
		"open":   `{"engine":"databricks","public_endpoint":true,"encrypted":true,"key_manager":"provider","databricks":{"vnet_injection":false,"no_public_ip":false,"private_endpoint":false,"diagnostic_logs":false}}`,
		"bad":    `{"engine":"databricks","encrypted":true,"key_manager":"provider","databricks":{"diagnostic_logs":false}}`,
	} {
		r := m[strings.ToLower(ws(name))]
		if r.Class != "data_warehouse" {
			t.Errorf("%s: class %s", name, r.Class)
		}
		if got := factsJSON(t, r.Facts.Database); got != want {
			t.Errorf("%s: database facts\n%s, want\n%s", name, got, want)
		}
	}
}

// TestDatabricksSubnetNSGs: an injected workspace's two subnets have
// network security groups, from its VNet's subnets; unknown without the
// VNet, without the subnet names or for a workspace that is not injected.
func TestDatabricksSubnetNSGs(t *testing.T) {
	ws := func(name string) string {
		return cisSub + "/resourceGroups/rg/providers/Microsoft.Databricks/workspaces/" + name
	}
	vnet := func(name string) string {
		return cisSub + "/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/" + name
	}
	injected := func(name, vn string) string {
		return cisRow(ws(name), "microsoft.databricks/workspaces", `{"parameters":{"customVirtualNetworkId":{"value":"`+vn+`"},`+
			`"customPublicSubnetName":{"value":"dbx-public"},"customPrivateSubnetName":{"value":"DBX-private"}}}`)
	}
	rows := "[" + strings.Join([]string{
		cisRow(vnet("guarded"), "Microsoft.Network/virtualNetworks",
			`{"subnets":[{"name":"dbx-public","properties":{"networkSecurityGroup":{"id":"/n"}}},{"name":"dbx-private","properties":{"networkSecurityGroup":{"id":"/n"}}},{"name":"other","properties":{}}]}`),
		cisRow(vnet("bare"), "Microsoft.Network/virtualNetworks",
			`{"subnets":[{"name":"dbx-public","properties":{"networkSecurityGroup":{"id":"/n"}}},{"name":"dbx-private","properties":{}}]}`),
		injected("good", vnet("guarded")), injected("bad", strings.ToUpper(vnet("bare"))), injected("elsewhere", vnet("absent")),
		cisRow(ws("unnamed"), "microsoft.databricks/workspaces", `{"parameters":{"customVirtualNetworkId":{"value":"`+vnet("bare")+`"}}}`),
		cisRow(ws("managed"), "microsoft.databricks/workspaces", `{"parameters":{}}`),
	}, ",") + "]"
	m, problems := loadRows(t, rows)
	if len(problems) != 0 {
		t.Errorf("problems: %+v", problems)
	}
	for name, want := range map[string]string{"good": "true", "bad": "false", "elsewhere": "unknown", "unnamed": "unknown", "managed": "unknown"} {
		w := m[strings.ToLower(ws(name))].Facts.Database.Databricks
		got := "unknown"
		if w.SubnetsNSG != nil {
			got = map[bool]string{true: "true", false: "false"}[*w.SubnetsNSG]
		}
		if got != want {
			t.Errorf("%s: subnets_nsg %s, want %s", name, got, want)
		}
	}
}
