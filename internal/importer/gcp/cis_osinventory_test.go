package gcp

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/importer/internal/attr"
)

// TestOSInventory: CIS GCP 5.0 4.12 from an os-inventory export. stale
// lists two available updates beside an installed package (proto names),
// current only installed ones (the API's camelCase), empty no items (the
// agent has not reported: unknown), odd an item of the wrong shape
// (unknown). An inventory line keeps a Raw without its items, and a
// resource line of the same instance is still read.
func TestOSInventory(t *testing.T) {
	inv := func(vm, key, body string) string {
		return fmt.Sprintf(`{"name":"//compute.googleapis.com/projects/p/zones/europe-west1-b/instances/%s","asset_type":"compute.googleapis.com/Instance","%s":%s,"ancestors":["projects/123"]}`, vm, key, body)
	}
	apt := func(typ, kind, name string) string {
		return fmt.Sprintf(`{"id":"%s-%s","origin_type":"INVENTORY_REPORT","type":%q,%q:{"apt_package":{"package_name":%q,"architecture":"amd64","version":"1.0"}}}`, kind, name, typ, kind, name)
	}
	lines := []string{
		inv("stale", "os_inventory", `{"name":"projects/123/locations/europe-west1-b/instances/1/inventory","os_info":{"short_name":"debian"},"items":{`+
			`"a1":`+apt("AVAILABLE_PACKAGE", "available_package", "openssl")+`,"a2":`+apt("AVAILABLE_PACKAGE", "available_package", "libc6")+
			`,"i1":`+apt("INSTALLED_PACKAGE", "installed_package", "bash")+`},"update_time":"2026-12-06T08:00:00Z"}`),
		inv("current", "osInventory", `{"osInfo":{"shortName":"rhel"},"items":{"i1":{"type":"INSTALLED_PACKAGE","installedPackage":{"yumPackage":{"packageName":"bash"}}}},"updateTime":"2026-12-06T08:00:00Z"}`),
		inv("empty", "os_inventory", `{"os_info":{"short_name":"cos"}}`),
		inv("odd", "os_inventory", `{"items":{"a1":"openssl"}}`),
		`{"name":"//compute.googleapis.com/projects/p/zones/europe-west1-b/instances/current","asset_type":"compute.googleapis.com/Instance","resource":{"data":{"name":"current","status":"RUNNING","canIpForward":true}},"ancestors":["projects/123"]}`,
	}
	res := ParseNDJSON(context.Background(), "os_inventory.json", []byte(strings.Join(lines, "\n")))
	if len(res.Problems) != 1 || !strings.Contains(res.Problems[0].Error(), "items") {
		t.Errorf("problems: %v, want one naming items", res.Problems)
	}
	got := map[string]string{}
	for _, r := range res.Resources {
		c := r.Facts.Compute
		if c == nil {
			t.Fatalf("%s: no compute facts (class %s)", r.ID, r.Class)
		}
		v := "unknown"
		if c.OSUpdatesPending != nil {
			v = fmt.Sprint(*c.OSUpdatesPending)
		}
		if r.Raw["resource"] != nil {
			if c.OSUpdatesPending != nil || show(c.IPForwarding) != "true" {
				t.Errorf("%s: the resource line reads %v pending, ip forwarding %s", r.Name, v, show(c.IPForwarding))
			}
			continue
		}
		got[r.Name] = v
		o := attr.Obj(r.Raw, "os_inventory")
		if o == nil {
			o = attr.Obj(r.Raw, "osInventory")
		}
		if o == nil || o["items"] != nil || r.Account != "p" {
			t.Errorf("%s: raw %v, account %q", r.Name, r.Raw, r.Account)
		}
	}
	for vm, want := range map[string]string{"stale": "2", "current": "0", "empty": "unknown", "odd": "unknown"} {
		if got[vm] != want {
			t.Errorf("%s: %s updates pending, want %s", vm, got[vm], want)
		}
	}
}
