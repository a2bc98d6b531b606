package azure

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/vigil-sec/vigil/internal/importer/internal/attr"
	"github.com/vigil-sec/vigil/internal/resource"
)

// FuzzAzureGraph feeds arbitrary JSON through detection, row normalization
// and finalization: nothing may panic and every resource has an ID, the
// azure provider and a class.
func FuzzAzureGraph(f *testing.F) {
	for _, n := range []string{"authorization.json", "security.json", "diagnostic-settings.json"} {
		data, err := os.ReadFile(filepath.Join("testdata", n))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(`{"count":1,"data":[{"id":"/subscriptions/s/resourceGroups/r/providers/Microsoft.Network/networkSecurityGroups/n","type":"microsoft.network/networksecuritygroups","properties":{"securityRules":[{"properties":{"protocol":"Tcp","destinationPortRanges":["22","3389-3390"],"sourceAddressPrefix":"*","access":"Allow","direction":"Inbound","priority":100}}]}}]}`))
	f.Add([]byte(`[{"id":"/subscriptions/s/resourceGroups/r/providers/Microsoft.Storage/storageAccounts/a","type":"microsoft.storage/storageaccounts","properties":{"allowBlobPublicAccess":true,"minimumTlsVersion":"TLS1_1","encryption":{"keySource":"Microsoft.Storage"}}}]`))
	f.Add([]byte(`[{"id":"/subscriptions/s/resourceGroups/r/providers/Microsoft.Compute/virtualMachines/v","type":"microsoft.compute/virtualmachines","properties":{"networkProfile":{"networkInterfaces":[{"id":"/subscriptions/s/resourceGroups/r/providers/Microsoft.Network/networkInterfaces/n"}]}}},{"id":"/subscriptions/s/resourceGroups/r/providers/Microsoft.Network/networkInterfaces/n","type":"microsoft.network/networkinterfaces","properties":{"ipConfigurations":[{"properties":{"publicIPAddress":{"id":"p"}}}]}}]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var doc any
		if attr.Decode(data, &doc) != nil || Detect(doc) == "" {
			return
		}
		res := Parse(context.Background(), "fuzz.json", doc)
		added, _ := Finalize(res.Resources)
		for _, r := range append(res.Resources, added...) {
			if r.Provider != resource.Azure || r.ID == "" || r.Class == "" {
				t.Fatalf("bad resource: %+v", r)
			}
		}
	})
}
