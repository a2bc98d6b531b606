package gcp

import (
	"strings"

	"github.com/vigil-sec/vigil/internal/importer/internal/attr"
	"github.com/vigil-sec/vigil/internal/resource"
)

// CIS GCP 5.0 4.12: the latest OS updates installed on VMs. VM Manager's
// OS Config agent reports each VM's OS inventory: its installed packages
// and the updates available for them. Cloud Asset Inventory exports it as
// its own content type (`gcloud asset export --content-type=os-inventory`,
// which `vigil collect` writes as gcp/<project>/os_inventory.json): one line
// per VM, the instance's asset name and type with the inventory under
// os_inventory (proto field names; osInventory and camelCase in the API's
// JSON), its items keyed by an opaque ID:
//
//	{"name":"//compute.googleapis.com/projects/p/zones/z/instances/web-1",
//	 "asset_type":"compute.googleapis.com/Instance",
//	 "os_inventory":{"name":"projects/123/locations/z/instances/456/inventory",
//	   "os_info":{"short_name":"debian","version":"12"},
//	   "items":{"available-package-1":{"id":"...","origin_type":"INVENTORY_REPORT","type":"AVAILABLE_PACKAGE",
//	     "available_package":{"apt_package":{"package_name":"openssl","architecture":"amd64","version":"3.0.15-1~deb12u1"}}},
//	     "installed-package-1":{"type":"INSTALLED_PACKAGE", ...}},
//	   "update_time":"2026-12-06T08:00:00Z"},
//	 "ancestors":["projects/123"]}
//
// The line merges with the instance's resource line by name.

// osInventory sets compute.os_updates_pending from a VM's OS inventory:
// the items of type AVAILABLE_PACKAGE. An inventory without items (the
// agent has not reported packages) or with an item of the wrong shape
// says nothing. A line holding only the inventory keeps a Raw without its
// items, which can be thousands.
func osInventory(r *resource.Resource, asset node) {
	key := asset.firstKey("os_inventory", "osInventory")
	if !asset.has(key) || r.Facts.Compute == nil {
		return
	}
	inv, st := asset.obj(key)
	if st != ok {
		return
	}
	if !asset.has("resource") {
		raw := attr.M{"name": asset.m["name"], "asset_type": first(asset.m, "asset_type", "assetType")}
		for _, k := range []string{"ancestors", "update_time", "updateTime"} {
			if v, found := asset.exact(k); found {
				raw[k] = attr.Plain(v)
			}
		}
		compact := attr.M{}
		for _, k := range []string{"name", "os_info", "osInfo", "update_time", "updateTime"} {
			if v, found := inv.exact(k); found {
				compact[k] = attr.Plain(v)
			}
		}
		raw[key] = compact
		r.Raw = raw
	}
	items, st := inv.obj("items")
	if st != ok || items.size() == 0 {
		return
	}
	before := items.c.count()
	pending := 0
	for id := range items.members() {
		it, st := items.obj(id)
		if st != ok {
			continue
		}
		if strings.EqualFold(it.s("type"), "AVAILABLE_PACKAGE") {
			pending++
		}
	}
	if items.c.count() == before {
		r.Facts.Compute.OSUpdatesPending = &pending
	}
}
