package azure

import (
	"strings"
	"testing"
)

// TestActivityLogStorageCMK: a subscription diagnostic setting's
// encrypted_with_cmk from the key source of the storage account it sends
// the activity log to; unknown for a storage account not in the input and
// for a setting that sends to a Log Analytics workspace only.
func TestActivityLogStorageCMK(t *testing.T) {
	sa := func(name string) string {
		return cisSub + "/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/" + name
	}
	account := func(name, keySource string) string {
		return `{"id":"` + sa(name) + `","name":"` + name + `","type":"microsoft.storage/storageaccounts","subscriptionId":"s1",` +
			`"sku":{"name":"Standard_GRS"},"properties":{"encryption":{"keySource":"` + keySource + `"}}}`
	}
	setting := func(name, dest string) string {
		return `{"id":"` + cisSub + `/providers/microsoft.insights/diagnosticSettings/` + name + `","name":"` + name + `",` +
			`"type":"microsoft.insights/diagnosticsettings","subscriptionId":"s1","properties":{` + dest +
			`,"logs":[{"category":"Administrative","enabled":true},{"category":"Alert","enabled":true},{"category":"Policy","enabled":true},{"category":"Security","enabled":true}]}}`
	}
	rows := "[" + strings.Join([]string{
		`{"id":"` + cisSub + `","name":"s1","type":"microsoft.resources/subscriptions","subscriptionId":"s1","properties":{}}`,
		account("cmk", "Microsoft.Keyvault"), account("msft", "Microsoft.Storage"),
		setting("to-cmk", `"storageAccountId":"`+strings.ToUpper(sa("cmk"))+`"`),
		setting("to-msft", `"storageAccountId":"`+sa("msft")+`"`),
		setting("to-absent", `"storageAccountId":"`+sa("elsewhere")+`"`),
		setting("to-workspace", `"workspaceId":"/subscriptions/s1/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/w"`),
	}, ",") + "]"
	m, problems := loadRows(t, rows)
	if len(problems) != 0 {
		t.Errorf("problems: %+v", problems)
	}
	for name, want := range map[string]string{"to-cmk": "true", "to-msft": "false", "to-absent": "unknown", "to-workspace": "unknown"} {
		r := m[strings.ToLower(cisSub+"/providers/microsoft.insights/diagnosticSettings/"+name)]
		if r == nil || r.Facts.AuditLog == nil {
			t.Fatalf("%s: no audit log resource", name)
		}
		got := "unknown"
		if b := r.Facts.AuditLog.EncryptedWithCMK; b != nil {
			got = map[bool]string{true: "true", false: "false"}[*b]
		}
		if got != want {
			t.Errorf("%s: encrypted_with_cmk %s, want %s", name, got, want)
		}
	}
}
