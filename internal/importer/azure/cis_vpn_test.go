package azure

import (
	"context"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/importer/internal/attr"
)

// TestVPNGatewayP2SAuth: CIS Azure 6.0 7.9 from the subscription's
// virtual network gateways: false naming those whose point-to-site
// configuration allows another authentication than Entra ID (listed, or
// told by the settings of an older configuration), unknown when one could
// not be read, true when none allows another (a gateway without
// point-to-site configuration does not count).
func TestVPNGatewayP2SAuth(t *testing.T) {
	gw := func(name, vc string) string {
		p := `{"gatewayType":"Vpn","vpnType":"RouteBased"}`
		if vc != "" {
			p = `{"gatewayType":"Vpn","vpnType":"RouteBased","vpnClientConfiguration":` + vc + `}`
		}
		return cisRow(cisSub+"/resourceGroups/rg/providers/Microsoft.Network/virtualNetworkGateways/"+name,
			"microsoft.network/virtualnetworkgateways", p)
	}
	sub := `{"id":"` + cisSub + `","name":"s1","type":"microsoft.resources/subscriptions","subscriptionId":"s1","properties":{}}`
	aad := gw("entra", `{"vpnClientAddressPool":{"addressPrefixes":["172.16.0.0/24"]},"vpnClientProtocols":["OpenVPN"],"vpnAuthenticationTypes":["AAD"],"aadTenant":"https://login.microsoftonline.com/t/"}`)
	s2s := gw("s2s-only", "")
	nullP2S := gw("null-p2s", "null")
	cert := gw("cert", `{"vpnClientProtocols":["IkeV2","OpenVPN"],"vpnAuthenticationTypes":["Certificate","AAD"],"vpnClientRootCertificates":[{"name":"root"}]}`)
	legacy := gw("legacy", `{"vpnClientAddressPool":{"addressPrefixes":["172.16.1.0/24"]},"radiusServerAddress":"10.0.0.4"}`)
	legacyAAD := gw("legacy-aad", `{"aadTenant":"https://login.microsoftonline.com/t/","aadAudience":"41b23e61-6c1e-4545-b367-cd054e0ed4b4"}`)
	noType := gw("no-type", `{"vpnClientAddressPool":{"addressPrefixes":["172.16.2.0/24"]}}`)
	badType := gw("bad-type", `{"vpnAuthenticationTypes":"AAD"}`)
	cases := []struct {
		name string
		rows []string
		want string
	}{
		{"Entra only, site-to-site only", []string{aad, s2s, nullP2S}, "true []"},
		{"no gateway", []string{cisRow(cisSub+"/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v1",
			"microsoft.network/virtualnetworks", `{"subnets":[]}`)}, "true []"},
		{"certificate beside Entra", []string{aad, cert}, "false [cert (AAD, CERTIFICATE)]"},
		{"older configurations", []string{legacy, legacyAAD}, "false [legacy (RADIUS)]"},
		{"a configuration naming no type", []string{aad, noType}, "nil []"},
		{"a type list of the wrong type", []string{badType}, "nil []"},
		{"unreadable, and one allowing a certificate", []string{badType, cert}, "false [cert (AAD, CERTIFICATE)]"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m, problems := loadRows(t, "["+strings.Join(append([]string{sub}, c.rows...), ",")+"]")
			s := m[cisSub]
			if s == nil || s.Facts.Account == nil || s.Facts.Account.CIS == nil {
				t.Fatalf("no CIS facts on the subscription (problems %+v)", problems)
			}
			got := fb(s.Facts.Account.CIS.VPNP2SEntraOnly) + " [" + strings.Join(s.Facts.Account.CIS.VPNP2SOtherAuth, ", ") + "]"
			if got != c.want {
				t.Errorf("got %s, want %s (problems %+v)", got, c.want, problems)
			}
			if wantProblem := strings.Contains(c.name, "wrong type") || strings.Contains(c.name, "unreadable"); wantProblem != (len(problems) > 0) {
				t.Errorf("problems %+v", problems)
			}
		})
	}
}

// TestVPNGatewayP2SPartialInput: a subscription whose rows come from an
// input not read whole may have lost its gateway's row: unknown, not
// true; a gateway read that allows certificates still decides.
func TestVPNGatewayP2SPartialInput(t *testing.T) {
	sub := `{"id":"` + cisSub + `","name":"s1","type":"microsoft.resources/subscriptions","subscriptionId":"s1","properties":{}}`
	vnet := cisRow(cisSub+"/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v1", "microsoft.network/virtualnetworks", `{"subnets":[]}`)
	cert := cisRow(cisSub+"/resourceGroups/rg/providers/Microsoft.Network/virtualNetworkGateways/cert", "microsoft.network/virtualnetworkgateways",
		`{"vpnClientConfiguration":{"vpnAuthenticationTypes":["Certificate"]}}`)
	for _, c := range []struct {
		rows   []string
		unread []string
		want   string
	}{
		{[]string{sub, vnet}, nil, "true"},
		{[]string{sub, vnet}, []string{"rows.json"}, "nil"},
		{[]string{sub, vnet, cert}, []string{"rows.json"}, "false"},
	} {
		var doc any
		if err := attr.Decode([]byte("["+strings.Join(c.rows, ",")+"]"), &doc); err != nil {
			t.Fatal(err)
		}
		res := Parse(context.Background(), "rows.json", doc)
		added, _ := FinalizeUnread(res.Resources, c.unread)
		var got string
		for _, r := range append(res.Resources, added...) {
			if r.ID == cisSub && r.Facts.Account != nil && r.Facts.Account.CIS != nil {
				got = fb(r.Facts.Account.CIS.VPNP2SEntraOnly)
			}
		}
		if got != c.want {
			t.Errorf("rows %d, unread %v: vpn_p2s_entra_only %s, want %s", len(c.rows), c.unread, got, c.want)
		}
	}
}
