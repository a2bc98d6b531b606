package azure

import (
	"strings"

	"github.com/vigil-sec/vigil/internal/resource"
)

// TypeDatabricks is an Azure Databricks workspace, a data warehouse.
const TypeDatabricks = "Microsoft.Databricks/workspaces"

func init() {
	normalizers[TypeDatabricks] = databricksWorkspace
	canonical[strings.ToLower(TypeDatabricks)] = TypeDatabricks
}

// databricksWorkspace reads a workspace's network isolation and
// encryption (CIS Azure 6.0 2.1): VNet injection and secure cluster
// connectivity from its custom parameters (each {"type": ..., "value":
// ...}), public network access, private endpoints, and customer-managed
// keys for managed services or the DBFS root.
func databricksWorkspace(r *resource.Resource, _, p node) {
	r.Class = resource.ClassDataWarehouse
	d := &resource.Database{Engine: "databricks", Encrypted: resource.Bool(true)}
	w := &resource.DatabricksWorkspace{}
	d.Databricks = w
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
	w.PrivateEndpoint = privateEndpoint(p)
	params, pst := p.Obj("parameters")
	if pst == ok {
		if vnet, st := params.Str("customVirtualNetworkId", "value"); st != bad {
			w.VNetInjection = resource.Bool(vnet != "")
			w.VNet = vnet
		}
		pub, priv := params.S("customPublicSubnetName", "value"), params.S("customPrivateSubnetName", "value")
		if pub != "" && priv != "" {
			w.Subnets = []string{pub, priv}
		}
		if v, st := params.Boolean("enableNoPublicIp", "value"); st == ok {
			w.NoPublicIP = v
		}
	}
	services, sst := p.Str("encryption", "entities", "managedServices", "keySource")
	dbfs, dst := params.Str("encryption", "value", "keySource")
	switch {
	case strings.EqualFold(services, "Microsoft.Keyvault") || strings.EqualFold(dbfs, "Microsoft.Keyvault"):
		d.KeyManager = "customer"
	case sst != bad && dst != bad && pst != bad:
		d.KeyManager = "provider"
	}
}
