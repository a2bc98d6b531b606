package azure

import (
	"context"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/importer/internal/attr"
	"github.com/vigil-sec/vigil/internal/resource"
)

// TestResourceDiagnosticListing: vigil collect's listing of a
// subscription's key vault and Databricks diagnostic settings
// (azure/<subscription>/resourcediagnosticsettings.json) makes a vault
// without a setting known not to log (CIS Azure 6.0 6.1.1.4) even when the
// listing is empty; without it the vault's logging stays unknown; an empty
// listing outside a subscription's directory is refused with the reason.
func TestResourceDiagnosticListing(t *testing.T) {
	const sub = "0b7c2e1a-6f3d-4c59-9a8e-2d1f4b6c8e90"
	vault := `{"id":"/subscriptions/` + sub + `/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv1","name":"kv1",` +
		`"type":"microsoft.keyvault/vaults","subscriptionId":"` + sub + `","location":"westeurope","properties":{"enableRbacAuthorization":true}}`
	for _, tc := range []struct {
		name, listing string
		want          string
	}{
		{"no listing", "", "unknown"},
		{"empty listing", `{"value":[]}`, "false"},
		{"empty array", `[]`, "false"},
	} {
		var vdoc any
		if err := attr.Decode([]byte(`{"value":[`+vault+`]}`), &vdoc); err != nil {
			t.Fatal(err)
		}
		all := Parse(context.Background(), "azure/"+sub+"/resources.json", vdoc).Resources
		if tc.listing != "" {
			var doc any
			if err := attr.Decode([]byte(tc.listing), &doc); err != nil {
				t.Fatal(err)
			}
			path := "azure/" + sub + "/" + resourceDiagListingFile
			res, why := ParseByName(context.Background(), path, resourceDiagListingFile, doc)
			if res == nil {
				t.Fatalf("%s: not read (%s)", tc.name, why)
			}
			all = append(all, res.Resources...)
		}
		added, problems := Finalize(all)
		if len(problems) > 0 {
			t.Errorf("%s: problems %v", tc.name, problems)
		}
		var kv *resource.Resource
		for _, r := range append(all, added...) {
			if strings.HasSuffix(r.ID, "/vaults/kv1") {
				kv = r
			}
		}
		if got := show(kv.Facts.KeyVault.Logging); got != tc.want {
			t.Errorf("%s: key vault logging %s, want %s", tc.name, got, tc.want)
		}
	}
	if res, why := ParseByName(context.Background(), "exports/"+resourceDiagListingFile, resourceDiagListingFile, attr.M{"value": []any{}}); res != nil || !strings.Contains(why, "subscription") {
		t.Errorf("an empty listing outside a subscription's directory: %v, %q", res, why)
	}
}
