package azure

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/importer/internal/attr"
	"github.com/vigil-sec/vigil/internal/inventory"
)

// TestVMPublicIPv6: Resource Graph rows of VMs, their NICs and public IPs
// give compute.public_ipv6 through the importer and inventory.Derive: true
// with a public IP of version IPv6, false with IPv4 ones only, unknown
// when a public IP's version is neither or a NIC is not exported.
func TestVMPublicIPv6(t *testing.T) {
	rg := "/subscriptions/" + sub + "/resourceGroups/rg/providers/"
	row := func(typ, name string, props map[string]any) map[string]any {
		return map[string]any{"id": rg + typ + "/" + name, "name": name, "type": strings.ToLower(typ), "location": "eastus",
			"resourceGroup": "rg", "subscriptionId": sub, "properties": props}
	}
	pip := func(name, version, ip string) map[string]any {
		p := map[string]any{"ipAddress": ip, "publicIPAllocationMethod": "Static"}
		if version != "" {
			p["publicIPAddressVersion"] = version
		}
		return row("Microsoft.Network/publicIPAddresses", name, p)
	}
	nic := func(name string, pips ...string) map[string]any {
		var ipcs []any
		for i, p := range pips {
			ipcs = append(ipcs, map[string]any{"name": "ipconfig" + string(rune('1'+i)), "properties": map[string]any{
				"privateIPAddress": "10.0.0.4",
				"subnet":           map[string]any{"id": rg + "Microsoft.Network/virtualNetworks/vnet/subnets/default"},
				"publicIPAddress":  map[string]any{"id": rg + "Microsoft.Network/publicIPAddresses/" + p}}})
		}
		return row("Microsoft.Network/networkInterfaces", name, map[string]any{"ipConfigurations": ipcs})
	}
	vm := func(name string, nics ...string) map[string]any {
		var refs []any
		for _, n := range nics {
			refs = append(refs, map[string]any{"id": rg + "Microsoft.Network/networkInterfaces/" + n})
		}
		return row("Microsoft.Compute/virtualMachines", name, map[string]any{"networkProfile": map[string]any{"networkInterfaces": refs}})
	}
	rows := []any{
		pip("pip-v4", "IPv4", "20.1.2.3"), pip("pip-v6", "IPv6", "2603:1030:20c::1"), pip("pip-odd", "IPv5", ""),
		nic("nic-v4", "pip-v4"), nic("nic-dual", "pip-v4", "pip-v6"), nic("nic-odd", "pip-odd"),
		vm("vm-v4", "nic-v4"), vm("vm-dual", "nic-dual"), vm("vm-odd", "nic-odd"), vm("vm-gone", "nic-v4", "nic-404"),
	}
	raw, err := json.Marshal(map[string]any{"count": len(rows), "totalRecords": len(rows), "data": rows})
	if err != nil {
		t.Fatal(err)
	}
	var doc any
	if err := attr.Decode(raw, &doc); err != nil {
		t.Fatal(err)
	}
	res := Parse(context.Background(), "resources.json", doc)
	added, _ := Finalize(res.Resources)
	all := append(res.Resources, added...)
	inventory.Derive(all)
	got := map[string]string{}
	for _, r := range all {
		if r.Facts.Compute != nil {
			got[r.Name] = "unknown"
			if v := r.Facts.Compute.PublicIPv6; v != nil {
				got[r.Name] = map[bool]string{true: "true", false: "false"}[*v]
			}
		}
	}
	for name, want := range map[string]string{"vm-v4": "false", "vm-dual": "true", "vm-odd": "unknown", "vm-gone": "unknown"} {
		if got[name] != want {
			t.Errorf("%s: public_ipv6 %s, want %s", name, got[name], want)
		}
	}
	// The public IP of version IPv5 is an input problem naming its field.
	if !strings.Contains(strings.Join(problemStrings(res.Problems), "\n"), "publicIPAddressVersion") {
		t.Errorf("no input problem for publicIPAddressVersion IPv5 in %v", res.Problems)
	}
}

func problemStrings(ps []attr.Problem) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Field+": "+p.Err)
	}
	return out
}
