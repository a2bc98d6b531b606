package reach

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/vigil-sec/vigil/internal/resource"
)

// Address families of public addresses and listeners. A path from the
// internet opens per family: an IPv4 address through the rules and routes
// admitting 0.0.0.0/0, an IPv6 address through those admitting ::/0. What
// the inventory does not tell about a family is undecided, never "not
// exposed".

// addrFamily is "ipv4" or "ipv6" for an address or prefix; ok is false
// when s is neither.
func addrFamily(s string) (string, bool) {
	s = strings.TrimSpace(s)
	a, err := netip.ParseAddr(s)
	if err != nil {
		p, perr := netip.ParsePrefix(s)
		if perr != nil {
			return "", false
		}
		a = p.Addr()
	}
	if a.Is4() || a.Is4In6() {
		return "ipv4", true
	}
	return "ipv6", true
}

// publicFamilies: the families of r's public addresses as its facts say
// them apart (Addressing.PublicFamilies, else the families of its public
// addresses); known is false when they do not, bad names a malformed
// address.
func publicFamilies(r *resource.Resource) (fams []string, known bool, bad string) {
	if r == nil || r.Facts.Addressing == nil {
		return nil, false, ""
	}
	ad := r.Facts.Addressing
	if len(ad.PublicFamilies) > 0 {
		for _, f := range ad.PublicFamilies {
			if f != "ipv4" && f != "ipv6" {
				return nil, false, fmt.Sprintf("address family %q", f)
			}
		}
		return ad.PublicFamilies, true, ""
	}
	for _, ip := range ad.PublicIPs {
		f, ok := addrFamily(ip)
		if !ok {
			return nil, false, fmt.Sprintf("malformed address %q", ip)
		}
		if !slices.Contains(fams, f) {
			fams = append(fams, f)
		}
	}
	return fams, len(fams) > 0, ""
}

// PublicFamilies is publicFamilies for the derivation of an Azure VM's
// compute.public_ipv6 (internal/inventory): the families of a public IP
// resource's addresses, known false when its facts do not say them.
func PublicFamilies(r *resource.Resource) (fams []string, known bool) {
	fams, known, _ = publicFamilies(r)
	return fams, known
}

// has reports whether fams holds fam.
func has(fams []string, fam string) *bool {
	return resource.Bool(slices.Contains(fams, fam))
}

// publicV4 is whether a compute instance has a public IPv4 address: on
// GCP, its access configs when the importer told them apart from its IPv6
// access configs (public_ip counts both), else its public_ip fact.
func publicV4(r *resource.Resource) *bool {
	if ad := r.Facts.Addressing; r.Provider == resource.GCP && ad != nil && len(ad.PublicFamilies) > 0 {
		return has(ad.PublicFamilies, "ipv4")
	}
	return r.Facts.Compute.PublicIP
}

// heads are the first hops of a resource's paths per family (its public
// address), indexed by famIndex; a zero Hop is no address of the family.
type heads [2]resource.Hop

func famIndex(fam string) int {
	if fam == "ipv6" {
		return 1
	}
	return 0
}

func (h *heads) set(fam string, hop resource.Hop) { h[famIndex(fam)] = hop }

func (h *heads) has(fam string) bool { return h[famIndex(fam)].Resource != "" }

func (h *heads) empty() bool { return !h.has("ipv4") && !h.has("ipv6") }

// byFamily adds to a the paths of r opened by its public addresses: IPv4
// when v4, IPv6 when v6 (the hop v6Hop). When v6 is unknown and an IPv6
// address would open a path, the answer for IPv6 is undecided (never "not
// exposed"). run evaluates the paths from the given first hops; guess is
// true when the only head is a guessed IPv6 address (its reasons are not
// kept).
func (g *Graph) byFamily(r *resource.Resource, a *answer, v4, v6 *bool, run func(b *answer, hs heads, guess bool)) {
	var hs heads
	switch {
	case v4 == nil:
		a.unknown("%s: whether it has a public IP is not in the inventory", r.ID)
	case *v4:
		hs.set("ipv4", resource.Hop{Resource: r.ID, Allows: "public IP"})
	default:
		a.decided = true
	}
	guessed := resource.Hop{Resource: r.ID, Allows: "IPv6 address (unknown)"}
	switch {
	case v6 != nil && *v6:
		hs.set("ipv6", resource.Hop{Resource: r.ID, Allows: "public IPv6 address"})
	case v6 == nil && v4 != nil && *v4:
		hs.set("ipv6", guessed)
	case v6 == nil && v4 != nil:
		// No public IPv4 address: whether an IPv6 one would open a path,
		// ignoring what else the inventory lacks (nothing says there is an
		// address to reach).
		var b answer
		var only heads
		only.set("ipv6", guessed)
		run(&b, only, true)
		if len(b.paths) > 0 {
			a.unknown("%s: %s; with one it is reachable over IPv6 on %s", r.ID, noIPv6Fact, pathPorts(b.paths))
		}
		return
	}
	if hs.empty() {
		return
	}
	before := len(a.paths)
	run(a, hs, false)
	if v6 == nil {
		a.guessedV6(before, r.ID, noIPv6Fact, "with one")
	}
}

// guessedV6 moves the IPv6 paths added since before (opened by an address
// whose family is not known) into an undecided reason: "who: why; if
// so, it is reachable over IPv6 on ...".
func (a *answer) guessedV6(before int, who, why, ifSo string) {
	kept := a.paths[:before]
	var guessed []resource.ExposurePath
	for _, p := range a.paths[before:] {
		if p.Family == "ipv6" {
			guessed = append(guessed, p)
		} else {
			kept = append(kept, p)
		}
	}
	a.paths = kept
	if len(guessed) > 0 {
		a.unknown("%s: %s; %s it is reachable over IPv6 on %s", who, why, ifSo, pathPorts(guessed))
	}
}

// azureHeads: the first hop per family of an Azure network interface's
// public IPs (an IPv6 public IP opens the IPv6 path, an IPv4 one the IPv4
// path). A public IP whose version is not in the inventory (the resource
// missing, or neither its version nor its address exported) is taken as
// IPv4, ARM's default; unknown then says why ("" when every version is
// known), and an IPv6 path it would open is undecided.
func (g *Graph) azureHeads(n *resource.Resource) (hs heads, unknown string) {
	for _, id := range targets(n, resource.RelUsesPublicIP) {
		p := g.get(n, id)
		fams, known, bad := publicFamilies(p)
		if !known {
			fams = []string{"ipv4"}
			if unknown == "" {
				unknown = "public IP " + name0(p, id) + ": its IP version is not in the inventory (taken as IPv4, the default"
				if bad != "" {
					unknown += "; " + bad
				}
				unknown += ")"
			}
		}
		for _, f := range fams {
			if hs.has(f) {
				continue
			}
			text := "public IP " + name0(p, id)
			if f == "ipv6" {
				text = "public IPv6 address " + name0(p, id)
			}
			hs.set(f, resource.Hop{Resource: n.ID, Allows: text})
		}
	}
	if hs.has("ipv6") {
		unknown = "" // an IPv6 address is known: the path is decided
	}
	if unknown != "" {
		hs.set("ipv6", resource.Hop{Resource: n.ID, Allows: "IPv6 address (unknown)"})
	}
	return hs, unknown
}

// azurePublicV4: whether one of r's network interfaces has a public IPv4
// address (or one whose version is unknown, taken as IPv4).
func (g *Graph) azurePublicV4(nics []*resource.Resource) bool {
	for _, n := range nics {
		for _, id := range targets(n, resource.RelUsesPublicIP) {
			if fams, known, _ := publicFamilies(g.get(n, id)); !known || slices.Contains(fams, "ipv4") {
				return true
			}
		}
	}
	return false
}

// listenerFamilies: the families of the addresses a listener receives
// on: its frontend's (an address, or a public IP resource), else the load
// balancer's own public families (an AWS dualstack load balancer: both; a
// GCP forwarding rule's ipVersion); IPv4 when the inventory does not say.
func (g *Graph) listenerFamilies(lb *resource.Resource, l resource.Listener) []string {
	if l.Frontend != "" {
		if f, ok := addrFamily(l.Frontend); ok {
			return famList(f)
		}
		if fams, known, _ := publicFamilies(g.get(lb, l.Frontend)); known {
			return fams
		}
	}
	if fams, known, _ := publicFamilies(lb); known {
		return fams
	}
	return famList("ipv4")
}

var famLists = map[string][]string{"ipv4": {"ipv4"}, "ipv6": {"ipv6"}}

// famList is the one-family list of fam, not allocated.
func famList(fam string) []string { return famLists[fam] }
