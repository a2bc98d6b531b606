package azure

import (
	"fmt"
	"strings"
	"testing"
)

// TestIoTHubDefender: CIS Azure 6.0 8.2.1. An enabled IoT security
// solution (the API's status "Enabled", or status unset) listing a hub
// protects it, whatever subscription holds the solution and however the
// hub's ID is cased; a disabled one does not; a subscription without an
// IoT hub is not judged; a solution whose iotHubs cannot be read leaves
// the unprotected hubs unknown.
func TestIoTHubDefender(t *testing.T) {
	sub := func(id string) string {
		return `{"id":"/subscriptions/` + id + `","name":"` + id + `","type":"microsoft.resources/subscriptions","subscriptionId":"` + id + `","properties":{}}`
	}
	hubID := func(s, name string) string {
		return "/subscriptions/" + s + "/resourceGroups/iot/providers/Microsoft.Devices/IotHubs/" + name
	}
	hub := func(s, name string) string {
		return `{"id":"` + hubID(s, name) + `","name":"` + name + `","type":"microsoft.devices/iothubs","subscriptionId":"` + s +
			`","location":"westeurope","sku":{"name":"S1","tier":"Standard","capacity":1},"properties":{"minTlsVersion":"1.2","publicNetworkAccess":"Enabled"}}`
	}
	solution := func(s, name, status string, hubs string) string {
		st := ""
		if status != "" {
			st = `"status":"` + status + `",`
		}
		return `{"id":"/subscriptions/` + s + `/resourceGroups/sec/providers/Microsoft.Security/IoTSecuritySolutions/` + name + `","name":"` + name +
			`","type":"microsoft.security/iotsecuritysolutions","subscriptionId":"` + s + `","location":"westeurope","properties":{"displayName":"` + name + `",` + st +
			`"export":[],"disabledDataSources":[],"workspace":null,"unmaskedIpLoggingStatus":"Disabled","iotHubs":` + hubs + `}}`
	}
	vnet := cisRow("/subscriptions/s3/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v1", "microsoft.network/virtualnetworks", `{"subnets":[]}`)
	for _, c := range []struct {
		name       string
		rows       []string
		s1, s2, s3 string
	}{
		{"protected across subscriptions", []string{sub("s1"), sub("s2"), sub("s3"), vnet, hub("s1", "plant-a"), hub("s2", "plant-b"),
			solution("s2", "iot-sec", "Enabled", `["`+strings.ToLower(hubID("s1", "plant-a"))+`","`+hubID("s2", "plant-b")+`"]`)},
			"true []", "true []", "unknown"},
		{"status unset is enabled", []string{sub("s1"), hub("s1", "plant-a"), solution("s1", "iot-sec", "", `["`+hubID("s1", "plant-a")+`"]`)},
			"true []", "unknown", "unknown"},
		{"one hub left out, one disabled", []string{sub("s1"), sub("s2"), hub("s1", "plant-a"), hub("s1", "plant-c"), hub("s2", "plant-b"),
			solution("s1", "iot-sec", "Enabled", `["`+hubID("s1", "plant-a")+`"]`), solution("s2", "iot-old", "Disabled", `["`+hubID("s2", "plant-b")+`"]`)},
			"false [" + hubID("s1", "plant-c") + "]", "false [" + hubID("s2", "plant-b") + "]", "unknown"},
		{"no solution", []string{sub("s1"), hub("s1", "plant-a")}, "false [" + hubID("s1", "plant-a") + "]", "unknown", "unknown"},
		{"unreadable solution", []string{sub("s1"), hub("s1", "plant-a"), hub("s1", "plant-c"),
			solution("s1", "iot-sec", "Enabled", `["`+hubID("s1", "plant-a")+`"]`), solution("s1", "iot-2", "Enabled", `"`+hubID("s1", "plant-c")+`"`)},
			"unknown", "unknown", "unknown"},
	} {
		m, problems := loadRows(t, "["+strings.Join(c.rows, ",")+"]")
		if c.name != "unreadable solution" && len(problems) > 0 {
			t.Errorf("%s: problems: %v", c.name, problems)
		}
		for id, want := range map[string]string{"/subscriptions/s1": c.s1, "/subscriptions/s2": c.s2, "/subscriptions/s3": c.s3} {
			got := "unknown"
			if r := m[id]; r != nil && r.Facts.Account != nil && r.Facts.Account.CIS != nil && r.Facts.Account.CIS.IoTHubsDefender != nil {
				got = fmt.Sprint(*r.Facts.Account.CIS.IoTHubsDefender, " ", r.Facts.Account.CIS.IoTHubsWithoutDefender)
			}
			if got != want {
				t.Errorf("%s: %s iot_hubs_defender %s, want %s", c.name, id, got, want)
			}
		}
	}
}
