package awsconfig

import (
	"testing"

	"github.com/vigil-sec/vigil/internal/importer/internal/attr"
)

// TestInstanceIPv6: an address in networkInterfaces[].ipv6Addresses is a
// public IPv6 address (every AWS one is globally routable); empty lists on
// every interface are none; a missing or malformed list is unknown, never
// none.
func TestInstanceIPv6(t *testing.T) {
	ni := func(addrs any) attr.M {
		m := attr.M{"networkInterfaceId": "eni-1", "privateIpAddress": "10.0.0.5"}
		if addrs != nil {
			m["ipv6Addresses"] = addrs
		}
		return m
	}
	item := func(id string, nis any) attr.M {
		it := ec2Item(id, nil, false)
		if nis != nil {
			it["configuration"].(attr.M)["networkInterfaces"] = nis
		}
		return it
	}
	addr := []any{attr.M{"ipv6Address": "2600:1f18:abc:de00::5"}}
	res := parseItems1(t,
		item("i-1", []any{ni(addr)}),
		item("i-2", []any{ni([]any{})}),
		item("i-3", nil),
		item("i-4", []any{ni(nil), ni([]any{})}),
		item("i-5", []any{ni(nil), ni(addr)}),
		item("i-6", []any{ni("2600:1f18:abc:de00::5")}),
		item("i-7", []any{}),
	)
	want := map[string]string{"i-1": "true", "i-2": "false", "i-3": "nil", "i-4": "nil", "i-5": "true", "i-6": "nil", "i-7": "false"}
	for _, r := range res.Resources {
		if got := fmtB(r.Facts.Compute.PublicIPv6); got != want[r.Name] {
			t.Errorf("%s: public IPv6 %s, want %s", r.Name, got, want[r.Name])
		}
		if r.Name == "i-6" && !hasProblem(res, r.ID, "configuration.networkInterfaces[0].ipv6Addresses") {
			t.Errorf("problems %+v, want one on configuration.networkInterfaces[0].ipv6Addresses", res.Problems)
		}
	}
	if len(res.Resources) != len(want) {
		t.Errorf("%d resources, want %d", len(res.Resources), len(want))
	}
}
