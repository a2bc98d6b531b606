package gcp

import (
	"strings"

	"github.com/vigil-sec/vigil/internal/importer/internal/attr"
	"github.com/vigil-sec/vigil/internal/resource"
)

// Cloud Interconnect, read for reachability (internal/reach): an
// InterconnectAttachment (VLAN attachment, dedicated or partner) is an
// interconnect link of its Cloud Router's network with BGP: its own
// address is cloudRouterIpAddress, the other end's customerRouterIpAddress
// (both with their prefix length). The other end is matched by those
// addresses (another cloud's interconnect whose own address is the
// customer's); otherwise it is an on-premises or partner network.

// TypeInterconnectAttachment is the asset type of a VLAN attachment.
const TypeInterconnectAttachment = "compute.googleapis.com/InterconnectAttachment"

func init() { normalizers[TypeInterconnectAttachment] = interconnectAttachment }

func interconnectAttachment(_ *file, r *resource.Resource, d, _ node) {
	if !d.present() {
		return
	}
	l := &resource.NetworkLink{Kind: resource.LinkInterconnect, State: d.s("state"), Router: d.s("router"), BGP: boolp(true),
		AttachedType: strings.ToLower(d.s("type"))}
	if ip := hostOf(d.s("cloudRouterIpAddress")); ip != "" {
		l.PublicIPs = []string{ip}
	}
	if ip := hostOf(d.s("customerRouterIpAddress")); ip != "" {
		l.PeerIPs = []string{ip}
	}
	switch l.State {
	case "", "ACTIVE", "STATE_UNSPECIFIED":
	default:
		l.Up = boolp(false)
	}
	if b := d.b("adminEnabled"); b != nil && !*b {
		l.Up = boolp(false)
	}
	r.Facts.NetworkLink = l
	attr.Relate(r, "router", l.Router)
	selfAliases(r, d)
}

// hostOf: the address of "169.254.10.1/29".
func hostOf(s string) string {
	a, _, _ := strings.Cut(strings.TrimSpace(s), "/")
	return a
}

// interconnectNetworks gives each attachment the network of its Cloud
// Router, when the router is in the same export.
func (f *file) interconnectNetworks() {
	routers := map[string]string{}
	for _, r := range f.res.Resources {
		if r.Type == TypeRouter {
			if n := assetData(r).lstr("network"); n != "" {
				routers[gcpKey(r.ID)] = n
				for _, a := range r.Aliases {
					routers[gcpKey(a)] = n
				}
			}
		}
	}
	for _, r := range f.res.Resources {
		if l := r.Facts.NetworkLink; r.Type == TypeInterconnectAttachment && l != nil && l.Router != "" {
			if n := routers[gcpKey(l.Router)]; n != "" {
				l.Networks = []string{n}
				attr.Relate(r, resource.RelInNetwork, n)
			}
		}
	}
}

// gcpKey: a Compute Engine name without its service or API prefix.
func gcpKey(s string) string {
	for _, pre := range []string{"//compute.googleapis.com/", "https://www.googleapis.com/compute/v1/", "https://compute.googleapis.com/compute/v1/"} {
		if rest, ok := strings.CutPrefix(s, pre); ok {
			return rest
		}
	}
	return s
}
