package azure

import (
	"reflect"
	"testing"

	"github.com/vigil-sec/vigil/internal/resource"
)

// paths returns r's replication paths as region|path|target (primary
// locations, added by derivation, left out).
func paths(r *resource.Resource) []string {
	if r.Facts.Data == nil {
		return nil
	}
	var out []string
	for _, l := range r.Facts.Data.Locations {
		if l.Path != resource.LocationPrimary {
			out = append(out, l.Region+"|"+l.Path+"|"+l.Target)
		}
	}
	return out
}

// Every replication path of the Resource Graph rows in
// testdata/replication.json.
func TestReplicationPaths(t *testing.T) {
	m, _ := load(t, "replication.json")
	for _, tc := range []struct {
		suffix string
		class  resource.Class
		want   []string
	}{
		// GRS with its secondary; RA-GRS without: the pair from the region table.
		{"/resourceGroups/rg-data/providers/Microsoft.Storage/storageAccounts/stgrseu", resource.ClassObjectStorage, []string{"northeurope|geo-redundant-storage|"}},
		{"/resourceGroups/rg-data/providers/Microsoft.Storage/storageAccounts/stragrsuk", resource.ClassObjectStorage, []string{"ukwest|geo-redundant-storage|"}},
		{"/resourceGroups/rg-data/providers/Microsoft.Storage/storageAccounts/stzrs", resource.ClassObjectStorage, nil},
		// Display names normalized; the account's own region left out.
		{"/resourceGroups/rg-data/providers/Microsoft.DocumentDB/databaseAccounts/cosmos-orders", resource.ClassDatabase, []string{"eastus|cosmosdb-region|", "northeurope|cosmosdb-region|"}},
		// The failover group's partner on the server.
		{"/resourceGroups/rg-data/providers/Microsoft.Sql/servers/sql-billing-weu", resource.ClassDatabase, []string{"eastus|sql-geo-replica|" + "/subscriptions/00000000-1111-2222-3333-444444444444/resourceGroups/rg-data/providers/Microsoft.Sql/servers/sql-billing-eus"}},
		{"/resourceGroups/rg-data/providers/Microsoft.RecoveryServices/vaults/rsv-prod", resource.ClassBackupVault, []string{"northeurope|geo-redundant-storage|"}},
		{"/resourceGroups/rg-data/providers/Microsoft.RecoveryServices/vaults/rsv-dev", resource.ClassBackupVault, nil},
		{"/resourceGroups/rg-data/providers/Microsoft.DataProtection/backupVaults/bv-blobs", resource.ClassBackupVault, []string{"northeurope|geo-redundant-storage|"}},
		{"/resourceGroups/rg-data/providers/Microsoft.Synapse/workspaces/syn-analytics", resource.ClassDataWarehouse, nil},
	} {
		r := get(t, m, tc.suffix)
		if r.Class != tc.class {
			t.Errorf("%s: class %s, want %s", tc.suffix, r.Class, tc.class)
		}
		if got := paths(r); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: paths\n got %q\nwant %q", tc.suffix, got, tc.want)
		}
	}
	if d := get(t, m, "/resourceGroups/rg-data/providers/Microsoft.DocumentDB/databaseAccounts/cosmos-orders").Facts.Database; d == nil || d.Engine != "cosmosdb" || fb(d.PublicEndpoint) != "false" {
		t.Errorf("Cosmos DB facts %+v", d)
	}
	if d := get(t, m, "/resourceGroups/rg-data/providers/Microsoft.Synapse/workspaces/syn-analytics").Facts.Database; d == nil || fb(d.PublicEndpoint) != "false" {
		t.Errorf("Synapse facts %+v", d)
	}
}

func TestGeoRedundantSKU(t *testing.T) {
	for sku, want := range map[string]bool{
		"Standard_GRS": true, "Standard_RAGRS": true, "Standard_GZRS": true, "Standard_RAGZRS": true,
		"standard_ragrs": true, "Standard_LRS": false, "Standard_ZRS": false, "Premium_LRS": false, "": false, "GRS": false,
	} {
		if got := geoRedundant(sku); got != want {
			t.Errorf("geoRedundant(%q) = %v, want %v", sku, got, want)
		}
	}
	if got := RegionName(" East US 2 "); got != "eastus2" {
		t.Errorf("RegionName = %q", got)
	}
}
