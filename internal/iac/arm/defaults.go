package arm

import (
	"github.com/vigil-sec/vigil/internal/importer/azure"
)

// apiDefaults fills in the properties a template leaves out with the value
// the resource provider gives them at the template's API version, as
// Resource Graph would show the deployed resource. Only absent properties
// are filled: an unknown value stays unknown.
func apiDefaults(typ, api string, p map[string]any) {
	set := func(key string, v any) {
		if _, has := lookup(p, key); !has {
			p[key] = v
		}
	}
	switch typ {
	case azure.TypeStorageAccount:
		if api != "" {
			// "The default value is true since API version 2019-04-01."
			set("supportsHttpsTrafficOnly", api >= "2019-04-01")
			// Blob public access: allowed unless disallowed until API
			// version 2023-01-01, whose default interpretation is false.
			set("allowBlobPublicAccess", api < "2023-01-01")
		}
		// "The default interpretation is TLS 1.0 for this property."
		set("minimumTlsVersion", "TLS1_0")
		// Without network rules an account accepts every network; the
		// trusted Azure services bypass the rules unless told otherwise
		// ("bypass ... default value is AzureServices").
		set("networkAcls", map[string]any{"defaultAction": "Allow"})
		if acls, _ := lookupObj(p, "networkAcls"); acls != nil {
			if _, has := lookup(acls, "bypass"); !has {
				acls["bypass"] = "AzureServices"
			}
		}
		// "The default interpretation is false for new accounts."
		set("allowCrossTenantReplication", false)
		// Azure Storage encrypts all data at rest with Microsoft-managed keys.
		set("encryption", map[string]any{
			"keySource": "Microsoft.Storage",
			"services":  map[string]any{"blob": map[string]any{"enabled": true}},
		})
	case azure.TypeSQLServer:
		set("publicNetworkAccess", "Enabled")
	case azure.TypeRedisCache:
		// The non-TLS port is off and public network access on unless set.
		set("enableNonSslPort", false)
		set("publicNetworkAccess", "Enabled")
	case azure.TypePostgresFlexible, azure.TypeMySQLFlexible:
		net, _ := lookupObj(p, "network")
		if net == nil {
			if _, has := lookup(p, "network"); has {
				return // not an object: unknown
			}
			net = map[string]any{}
			p["network"] = net
		}
		if _, has := lookup(net, "publicNetworkAccess"); !has {
			// Private access (VNet integration) when the server is given a
			// delegated subnet, else public access.
			sub, hasSub := lookup(net, "delegatedSubnetResourceId")
			switch {
			case isUnknown(sub):
				net["publicNetworkAccess"] = unk
			case hasSub && sub != nil && sub != "":
				net["publicNetworkAccess"] = "Disabled"
			default:
				net["publicNetworkAccess"] = "Enabled"
			}
		}
		if b, _ := lookupObj(p, "backup"); b != nil {
			if _, has := lookup(b, "backupRetentionDays"); !has {
				b["backupRetentionDays"] = int64(7)
			}
		} else if _, has := lookup(p, "backup"); !has {
			p["backup"] = map[string]any{"backupRetentionDays": int64(7)}
		}
		if _, has := lookup(p, "highAvailability"); !has {
			p["highAvailability"] = map[string]any{"mode": "Disabled"}
		}
	case azure.TypeContainerRegistry:
		set("adminUserEnabled", false)
		set("publicNetworkAccess", "Enabled")
		set("anonymousPullEnabled", false)
	case azure.TypeWebSite:
		set("httpsOnly", false)
	case azure.TypeKeyVaultKey, azure.TypeKeyVaultSecret:
		// A key or secret is enabled and never expires unless its
		// attributes say otherwise; a key has no rotation policy.
		attrs, has := lookup(p, "attributes")
		switch a := attrs.(type) {
		case map[string]any:
			if _, ok := lookup(a, "enabled"); !ok {
				a["enabled"] = true
			}
		case nil:
			if !has {
				p["attributes"] = map[string]any{"enabled": true}
			}
		}
		if typ == azure.TypeKeyVaultKey {
			set("rotationPolicy", map[string]any{})
		}
	case azure.TypeKeyVault:
		// "When you create a new vault with API version 2026-02-01 or
		// later, the default access control model is Azure RBAC
		// (enableRbacAuthorization = true)"; before it, "if null or not
		// specified, the vault is created with the default value of
		// false" (access policies). A template's vault is created at its
		// apiVersion; an apiVersion known only at deploy time leaves the
		// model unknown.
		switch {
		case api == "":
			set("enableRbacAuthorization", unk)
		case api >= "2026-02-01":
			set("enableRbacAuthorization", true)
		default:
			set("enableRbacAuthorization", false)
		}
	case azure.TypeManagedCluster:
		set("enableRBAC", true) // Kubernetes RBAC is on unless disabled
		// Without networkProfile a cluster has no network policy engine
		// (networkPolicy "none" at every API version).
		set("networkProfile", map[string]any{})
	}
}

// lookupObj returns the object at key (case-insensitive), nil if absent or
// not an object.
func lookupObj(m map[string]any, key string) (map[string]any, bool) {
	v, ok := lookup(m, key)
	o, _ := v.(map[string]any)
	return o, ok
}
