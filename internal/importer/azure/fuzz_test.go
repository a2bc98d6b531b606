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
// and finalization: nothing may panic, every resource has an ID, the azure
// provider and a class, every problem names its resource, and exactly the
// resources of class other are listed as unsupported.
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
	for _, doc := range []string{rbacRows, containerRows, computeRows, serviceRows, denyRows, identityRows} {
		f.Add([]byte(doc))
	}
	f.Add([]byte(`[{"id":"/subscriptions/s/resourceGroups/r/providers/Microsoft.Network/applicationGateways/g","type":"microsoft.network/applicationgateways","properties":{"httpListeners":[{"id":"l","properties":{"protocol":"Http","frontendPort":{"id":"p"}}}],"frontendPorts":[{"id":"p","properties":{"port":"80"}}],"requestRoutingRules":[{"properties":{"httpListener":{"id":"l"},"redirectConfiguration":{"id":"rc"}}}],"redirectConfigurations":[{"id":"rc","properties":{"targetListener":{"id":"l"}}}],"sslPolicy":{"policyName":7}}}]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var doc any
		if attr.Decode(data, &doc) != nil || Detect(doc) == "" {
			return
		}
		res := Parse(context.Background(), "fuzz.json", doc)
		for _, p := range res.Problems {
			// A field problem names its resource, except the result's own
			// "data" (the file's envelope, not a row).
			if p.Err == "" || (p.Field != "" && p.Field != "data" && p.Resource == "") {
				t.Fatalf("problem without a message or a resource: %+v", p)
			}
		}
		classed := map[string]bool{}
		for _, r := range res.Resources {
			classed[r.ID] = classed[r.ID] || r.Class != resource.ClassOther
		}
		for id, c := range classed {
			if _, listed := res.Unsupported[id]; listed == c {
				t.Fatalf("%s: classed %v, listed as unsupported %v", id, c, listed)
			}
		}
		added, _ := Finalize(res.Resources)
		for _, r := range append(res.Resources, added...) {
			if r.Provider != resource.Azure || r.ID == "" || r.Class == "" {
				t.Fatalf("bad resource: %+v", r)
			}
		}
	})
}
