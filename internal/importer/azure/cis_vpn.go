package azure

import (
	"sort"
	"strings"

	"github.com/vigil-sec/vigil/internal/resource"
)

// CIS Azure 6.0 7.9: a virtual network gateway's point-to-site
// configuration (properties.vpnClientConfiguration) authenticates VPN
// clients with Microsoft Entra ID only: vpnAuthenticationTypes ["AAD"].
// Older configurations without vpnAuthenticationTypes say it by the
// settings they carry: root certificates (Certificate), a RADIUS server
// (Radius), an Entra tenant (AAD).

// p2sAuth returns the authentication types of a gateway row's
// point-to-site configuration, sorted; p2s is false when the gateway has
// none, known false when the row does not tell (wrong types, or a
// configuration naming no type).
func p2sAuth(p node, failed func() bool) (types []string, p2s, known bool) {
	vc, st := p.Obj("vpnClientConfiguration")
	if st != ok || vc.Len() == 0 {
		return nil, false, st != bad && !failed()
	}
	set := map[string]bool{}
	listed, _ := vc.Strs("vpnAuthenticationTypes")
	for _, t := range listed {
		set[strings.ToUpper(t)] = true
	}
	if len(listed) == 0 {
		if certs, _ := vc.Objs("vpnClientRootCertificates"); len(certs) > 0 {
			set["CERTIFICATE"] = true
		}
		if servers, _ := vc.Objs("radiusServers"); len(servers) > 0 || vc.S("radiusServerAddress") != "" {
			set["RADIUS"] = true
		}
		if vc.S("aadTenant") != "" {
			set["AAD"] = true
		}
	}
	if failed() {
		return nil, true, false
	}
	for t := range set {
		types = append(types, t)
	}
	sort.Strings(types)
	return types, true, len(types) > 0
}

// vpnP2S holds, per subscription, the gateways whose point-to-site
// configuration allows another authentication than Entra ID, and whether
// one of them could not be read.
type vpnP2S struct {
	other   []string
	unknown bool
}

// readVPNGateway records a virtual network gateway row of its subscription.
func readVPNGateway(r *resource.Resource, read func(*resource.Resource) (node, func() bool), subs map[string]*vpnP2S) {
	s := subs[r.Account]
	if s == nil {
		s = &vpnP2S{}
		subs[r.Account] = s
	}
	p, failed := read(r)
	types, p2s, known := p2sAuth(p, failed)
	switch {
	case !known:
		s.unknown = true
	case p2s && (len(types) != 1 || types[0] != "AAD"):
		s.other = append(s.other, r.Name+" ("+strings.Join(types, ", ")+")")
	}
}

// setVPNP2S sets a subscription's CIS 7.9 fact: false naming the
// gateways that allow another authentication, unknown when a gateway
// could not be read or the subscription's rows were not all read
// (partial: a gateway row may be the one lost), true otherwise (no
// gateway has another, or none has a point-to-site configuration).
func setVPNP2S(c *resource.AccountCIS, s *vpnP2S, partial bool) {
	if s == nil {
		s = &vpnP2S{}
	}
	if len(s.other) > 0 {
		sort.Strings(s.other)
		c.VPNP2SEntraOnly, c.VPNP2SOtherAuth = resource.Bool(false), s.other
		return
	}
	if !s.unknown && !partial {
		c.VPNP2SEntraOnly = resource.Bool(true)
	}
}
