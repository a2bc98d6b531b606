package inventory

import (
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/resource"
	"github.com/vigil-sec/vigil/internal/source"
)

// TestDeriveAzurePublicIPv6: an Azure VM's compute.public_ipv6 from its
// interfaces' public IPs: true with an IPv6 one, false when every
// interface and public IP is known with its version, unknown otherwise.
func TestDeriveAzurePublicIPv6(t *testing.T) {
	const sub = "/subscriptions/s1/resourceGroups/rg/providers/Microsoft."
	pip := func(name string, ad *resource.Addressing) *resource.Resource {
		return &resource.Resource{Provider: resource.Azure, ID: sub + "Network/publicIPAddresses/" + name, Class: resource.ClassOther,
			Facts: resource.Facts{Addressing: ad}}
	}
	nic := func(name string, pips ...string) *resource.Resource {
		r := &resource.Resource{Provider: resource.Azure, ID: sub + "Network/networkInterfaces/" + name, Class: resource.ClassOther}
		for _, p := range pips {
			r.Relationships = append(r.Relationships, rel(resource.RelUsesPublicIP, sub+"Network/publicIPAddresses/"+p))
		}
		return r
	}
	vm := func(name string, nics ...string) *resource.Resource {
		r := &resource.Resource{Provider: resource.Azure, ID: sub + "Compute/virtualMachines/" + name, Class: resource.ClassCompute,
			Facts: resource.Facts{Compute: &resource.Compute{}}}
		for _, n := range nics {
			r.Relationships = append(r.Relationships, rel(resource.RelUsesInterface, sub+"Network/networkInterfaces/"+n))
		}
		return r
	}
	rs := []*resource.Resource{
		pip("v4", &resource.Addressing{PublicIPs: []string{"20.1.2.3"}, PublicFamilies: []string{"ipv4"}}),
		pip("v6", &resource.Addressing{PublicFamilies: []string{"ipv6"}}), // an IPv6 address not allocated yet
		pip("v6-addr", &resource.Addressing{PublicIPs: []string{"2603:1030::1"}}),
		pip("unknown", nil), // version not read
		pip("bad", &resource.Addressing{PublicFamilies: []string{"ipv5"}}), // an unknown family
		nic("nic-v4", "v4"), nic("nic-dual", "v4", "v6"), nic("nic-v6-addr", "v6-addr"), nic("nic-private"),
		nic("nic-unknown", "unknown"), nic("nic-bad", "bad"), nic("nic-gone-pip", "pip-404"),
		vm("vm-v4", "nic-v4", "nic-private"),
		vm("vm-dual", "nic-dual"),
		vm("vm-v6-addr", "nic-v6-addr"),
		vm("vm-private", "nic-private"),
		vm("vm-unknown", "nic-v4", "nic-unknown"),
		vm("vm-unknown-but-v6", "nic-unknown", "nic-dual"),
		vm("vm-bad", "nic-bad"),
		vm("vm-gone-nic", "nic-v4", "nic-404"),
		vm("vm-gone-pip", "nic-gone-pip"),
		vm("vm-no-nics"),
	}
	src := vm("vm-source", "nic-dual") // what the source said stands
	src.Facts.Compute.PublicIPv6 = b(false)
	rs = append(rs, src)
	Derive(rs)
	want := map[string]string{
		"vm-v4": "false", "vm-dual": "true", "vm-v6-addr": "true", "vm-private": "false", "vm-unknown": "unknown",
		"vm-unknown-but-v6": "true", "vm-bad": "unknown", "vm-gone-nic": "unknown", "vm-gone-pip": "unknown",
		"vm-no-nics": "unknown", "vm-source": "false",
	}
	for _, r := range rs {
		if r.Class != resource.ClassCompute {
			continue
		}
		w, ok := want[strings.TrimPrefix(r.ID, sub+"Compute/virtualMachines/")]
		if !ok {
			t.Fatalf("%s: no expectation", r.ID)
		}
		if got := show(r.Facts.Compute.PublicIPv6); got != w {
			t.Errorf("%s: public_ipv6 %s, want %s", r.ID, got, w)
		}
	}

	// A VM whose interface has an input problem may have lost an IPv6
	// public IP: never false.
	n := nic("nic-troubled", "v4")
	v := vm("vm-troubled", "nic-troubled")
	derive([]*resource.Resource{pip("v4", &resource.Addressing{PublicFamilies: []string{"ipv4"}}), n, v},
		[]source.Problem{{Resource: n.ID, Field: "properties.ipConfigurations"}})
	if got := show(v.Facts.Compute.PublicIPv6); got != "unknown" {
		t.Errorf("VM with a troubled interface: public_ipv6 %s, want unknown", got)
	}
}
