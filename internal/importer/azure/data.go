package azure

import (
	"slices"
	"strings"

	"github.com/vigil-sec/vigil/internal/importer/internal/attr"
	"github.com/vigil-sec/vigil/internal/regions"
	"github.com/vigil-sec/vigil/internal/resource"
)

// Data-bearing types read for governance, and the replication paths
// (resource.DataLocation Path) this importer yields.
const (
	TypeCosmosDB             = "Microsoft.DocumentDB/databaseAccounts"
	TypeSQLFailoverGroup     = "Microsoft.Sql/servers/failoverGroups"
	TypeSynapseWorkspace     = "Microsoft.Synapse/workspaces"
	TypeRecoveryVault        = "Microsoft.RecoveryServices/vaults"
	TypeDataProtectionVault  = "Microsoft.DataProtection/backupVaults"
	PathGeoRedundantStorage  = "geo-redundant-storage"
	PathCosmosDBRegion       = "cosmosdb-region"
	PathSQLGeoReplica        = "sql-geo-replica"
	skuGeoRedundantSuffixes  = "GRS RAGRS GZRS RAGZRS"
	geoRedundantVaultStorage = "GeoRedundant"
)

// RegionName turns an Azure location as written in exports ("West
// Europe", "westeurope", "East US 2") into its programmatic name
// ("westeurope", "eastus2").
func RegionName(loc string) string {
	return strings.ToLower(strings.ReplaceAll(strings.TrimSpace(loc), " ", ""))
}

// geoRedundant reports whether a storage SKU name (Standard_GRS,
// Standard_RAGZRS...) keeps a copy in the paired region.
func geoRedundant(sku string) bool {
	_, red, found := strings.Cut(sku, "_")
	if !found {
		return false
	}
	for _, s := range strings.Fields(skuGeoRedundantSuffixes) {
		if strings.EqualFold(red, s) {
			return true
		}
	}
	return false
}

// storageReplication: a geo-redundant storage account (sku.name
// Standard_GRS, _RAGRS, _GZRS, _RAGZRS) keeps a copy in its secondary
// region, properties.secondaryLocation. An export without it leaves the
// region empty: derivation fills in the primary region's pair.
func storageReplication(r *resource.Resource, row, p node) {
	sku, st := row.Str("sku", "name")
	if st != ok || !geoRedundant(sku) || locationBad(row) {
		return
	}
	if _, st := row.Lookup("properties"); st == ok && !p.Present() {
		return // properties of the wrong type: unknown
	}
	sec, st := p.Str("secondaryLocation")
	if st == bad {
		return // where the copy is: unknown
	}
	region := RegionName(sec)
	if region == "" {
		region = PairedRegion(r.Region)
	}
	r.Facts.Data = &resource.Data{Locations: []resource.DataLocation{{Region: region, Path: PathGeoRedundantStorage}}}
}

// locationBad reports whether the row's own location had the wrong type:
// its region, and so which regions are other than its own, is unknown.
func locationBad(row node) bool {
	v, st := row.Lookup("location")
	if st != ok {
		return false
	}
	_, isStr := v.(string)
	return !isStr
}

// PairedRegion returns the Azure region paired with region, where
// geo-redundant storage keeps its secondary copy, from the shipped region
// table; "" when the table names none.
func PairedRegion(region string) string {
	if reg, found := regions.Lookup("azure", region); found {
		return reg.Pair
	}
	return ""
}

// cosmosDB: Microsoft.DocumentDB/databaseAccounts. Every region of the
// account (properties.locations, readLocations, writeLocations) other
// than its own holds a full replica.
func cosmosDB(r *resource.Resource, row, p node) {
	r.Class = resource.ClassDatabase
	d := &resource.Database{Engine: "cosmosdb", Encrypted: resource.Bool(true), KeyManager: "provider"}
	r.Facts.Database = d
	if !p.Present() {
		return
	}
	switch p.Enum(k("publicNetworkAccess"), "Enabled", "Disabled", "SecuredByPerimeter") {
	case 0:
		cosmosFirewall(d, p)
	case 1, 2:
		d.PublicEndpoint = resource.Bool(false)
	}
	if p.S("keyVaultKeyUri") != "" {
		d.KeyManager = "customer"
	}
	replicate(r, row, p, func() {
		for _, key := range []string{"locations", "writeLocations", "readLocations"} {
			locs, _ := p.Objs(key)
			for _, l := range locs {
				reg := RegionName(l.S("locationName"))
				if reg == "" || reg == r.Region {
					continue
				}
				attr.Replicate(r, reg, PathCosmosDBRegion, "")
			}
		}
	})
}

// cosmosFirewall reads the firewall of a Cosmos DB account whose public
// network access is Enabled: properties.ipRules[].ipAddressOrRange (an
// address or a CIDR range) admit those addresses, and
// isVirtualNetworkFilterEnabled admits the subnets of virtualNetworkRules.
// With neither (no IP rule, the filter off or absent: its default) the
// account accepts every address, which its authorized networks say as
// 0.0.0.0/0; with IP rules they are the rules' ranges; with only the
// virtual-network filter the public endpoint is closed. A field of the
// wrong type leaves both facts unknown. (0.0.0.0 is Cosmos DB's "accept
// connections from within public Azure datacenters", kept as written.)
func cosmosFirewall(d *resource.Database, p node) {
	filtered, fst := p.Boolean("isVirtualNetworkFilterEnabled")
	rules, rst := p.Objs("ipRules")
	if fst == bad || rst == bad {
		return
	}
	mark := p.C.Count()
	var nets []string
	for _, r := range rules {
		if v := strings.TrimSpace(r.S("ipAddressOrRange")); v != "" && !slices.Contains(nets, v) {
			nets = append(nets, v)
		}
	}
	if p.C.Count() != mark {
		return
	}
	switch {
	case len(nets) > 0:
		d.PublicEndpoint = resource.Bool(true)
		d.AuthorizedNetworks = nets
	case attr.Any(filtered):
		d.PublicEndpoint = resource.Bool(false)
	default:
		d.PublicEndpoint = resource.Bool(true)
		d.AuthorizedNetworks = []string{"0.0.0.0/0"}
	}
}

// replicate runs read, which records r's replication paths from p, and
// leaves them unknown (no Data) when p had a field of the wrong type on
// the way or r's own region is unknown: a partial list could hide the
// path that carries data out.
func replicate(r *resource.Resource, row, p node, read func()) {
	if !p.Present() {
		return
	}
	if locationBad(row) {
		return
	}
	before := p.C.Count()
	read()
	if p.C.Count() != before {
		r.Facts.Data = nil
	}
}

// sqlFailoverGroup: Microsoft.Sql/servers/failoverGroups. Its partner
// servers hold geo-replicas of the group's databases; Finalize puts the
// paths on the server the group belongs to. The group itself stays of
// class other.
func sqlFailoverGroup(r *resource.Resource, row, p node) {
	replicate(r, row, p, func() {
		partners, _ := p.Objs("partnerServers")
		for _, ps := range partners {
			attr.Replicate(r, RegionName(ps.S("location")), PathSQLGeoReplica, ps.S("id"))
		}
	})
}

// synapseWorkspace: Microsoft.Synapse/workspaces, a data warehouse.
func synapseWorkspace(r *resource.Resource, _, p node) {
	r.Class = resource.ClassDataWarehouse
	d := &resource.Database{Engine: "synapse", Encrypted: resource.Bool(true), KeyManager: "provider"}
	r.Facts.Database = d
	if !p.Present() {
		return
	}
	switch p.Enum(k("publicNetworkAccess"), "Enabled", "Disabled") {
	case 0:
		d.PublicEndpoint = resource.Bool(true)
	case 1:
		d.PublicEndpoint = resource.Bool(false)
	}
	if p.S("encryption", "cmk", "key", "keyVaultUrl") != "" {
		d.KeyManager = "customer"
	}
}

// recoveryVault: Microsoft.RecoveryServices/vaults. A geo-redundant
// vault (redundancySettings.standardTierStorageRedundancy GeoRedundant)
// keeps its backups in the paired region too, which derivation names.
func recoveryVault(r *resource.Resource, row, p node) {
	r.Class = resource.ClassBackupVault
	if locationBad(row) {
		return
	}
	if strings.EqualFold(p.S("redundancySettings", "standardTierStorageRedundancy"), geoRedundantVaultStorage) {
		r.Facts.Data = &resource.Data{Locations: []resource.DataLocation{{Region: PairedRegion(r.Region), Path: PathGeoRedundantStorage}}}
	}
}

// dataProtectionVault: Microsoft.DataProtection/backupVaults, whose
// storageSettings[].type GeoRedundant keeps backups in the paired region.
func dataProtectionVault(r *resource.Resource, row, p node) {
	r.Class = resource.ClassBackupVault
	if locationBad(row) {
		return
	}
	settings, _ := p.Objs("storageSettings")
	for _, s := range settings {
		if strings.EqualFold(s.S("type"), geoRedundantVaultStorage) {
			r.Facts.Data = &resource.Data{Locations: []resource.DataLocation{{Region: PairedRegion(r.Region), Path: PathGeoRedundantStorage}}}
		}
	}
}

// finishFailoverGroups puts each failover group's geo-replica paths on
// its server.
func finishFailoverGroups(groups []*resource.Resource, parent func(id, childSeg string) *resource.Resource) {
	for _, g := range groups {
		srv := parent(g.ID, "failoverGroups")
		if srv == nil || g.Facts.Data == nil {
			continue
		}
		for _, l := range g.Facts.Data.Locations {
			if l.Region == srv.Region {
				continue
			}
			attr.Replicate(srv, l.Region, l.Path, l.Target)
		}
	}
}
