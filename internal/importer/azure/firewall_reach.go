package azure

import (
	"cmp"
	"slices"
	"strconv"
	"strings"

	"github.com/vigil-sec/vigil/internal/importer/internal/attr"
	"github.com/vigil-sec/vigil/internal/resource"
)

// TypeAzureFirewall is an Azure Firewall, read for reachability
// (internal/reach): its DNAT rules open ports of its public IPs to private
// addresses behind it.
const TypeAzureFirewall = "Microsoft.Network/azureFirewalls"

func init() {
	normalizers[TypeAzureFirewall] = azureFirewall
	canonical[strings.ToLower(TypeAzureFirewall)] = TypeAzureFirewall
}

// azureFirewall: microsoft.network/azurefirewalls (ipConfigurations[] with
// publicIPAddress.id; classic rules: natRuleCollections[] whose rules
// have sourceAddresses, destinationAddresses, destinationPorts,
// protocols, translatedAddress, translatedPort; collections by priority).
// It stays class other; its DNAT rules reachable from any address are kept
// as listeners on their destination address forwarding to the translated
// address (LoadBalancer facts), Public when it has a public IP. A firewall policy
// (firewallPolicy.id, firewall_policy_reach.go) holds its rules elsewhere:
// internal/reach adds its DNAT rules to the firewall's listeners.
func azureFirewall(r *resource.Resource, _, p node) {
	if !p.Present() {
		return
	}
	lb := &resource.LoadBalancer{Listeners: []resource.Listener{}}
	ipcs, _ := p.Objs("ipConfigurations")
	public := false
	for _, ipc := range ipcs {
		q, _ := props(ipc)
		if id := q.Ref("publicIPAddress"); id != "" {
			public = true
			attr.Relate(r, resource.RelUsesPublicIP, id)
		}
		if sn := q.Ref("subnet"); sn != "" {
			attr.Relate(r, resource.RelInSubnet, sn)
		}
	}
	lb.Public = resource.Bool(public)
	// A firewall policy holds its rules (DNAT rules in its rule collection
	// groups): internal/reach joins them; undecided when not in the inventory.
	attr.Relate(r, RelUsesPolicy, p.Ref("firewallPolicy"))
	colls, _ := p.Objs("natRuleCollections")
	// Rule collections are evaluated by priority (lower first).
	slices.SortStableFunc(colls, func(a, b node) int { return cmp.Compare(collPriority(a), collPriority(b)) })
	for _, c := range colls {
		cq, _ := props(c)
		cid := c.S("id")
		if cid == "" {
			cid = r.ID + "/natRuleCollections/" + c.S("name")
		}
		if t := cq.S("action", "type"); t != "" && !strings.EqualFold(t, "Dnat") {
			continue
		}
		rules, _ := cq.Objs("rules")
		for _, rl := range rules {
			srcs, _ := rl.Strs("sourceAddresses")
			if !anySource(srcs) {
				continue // a narrower source neither opens nor closes
			}
			protos, _ := rl.Strs("protocols")
			lb.Listeners = append(lb.Listeners, dnatListeners(rl, protos, rl.S("translatedAddress"), resource.Forward{Via: cid + "/rules/" + rl.S("name")})...)
		}
	}
	r.Facts.LoadBalancer = lb
}

// collPriority is a rule collection's priority (properties.priority, or
// priority on a policy's collection), 0 when absent.
func collPriority(c node) int {
	q, _ := props(c)
	if v := q.I("priority"); v != nil {
		return *v
	}
	return 0
}

// dnatListeners: the listeners of one DNAT rule (classic or a policy's):
// one per protocol, destination port and destination address (the
// firewall public IP it applies to, Listener.Frontend: internal/reach
// lets the first rule per address, protocol and port decide), forwarding
// to the translated address and port. fw carries the rule's Via and
// Priority.
func dnatListeners(rl node, protos []string, to string, fw resource.Forward) []resource.Listener {
	if to == "" {
		return nil
	}
	fw.Target = to
	fw.Port, _ = strconv.Atoi(rl.S("translatedPort"))
	ports, _ := rl.Strs("destinationPorts")
	dsts, _ := rl.Strs("destinationAddresses")
	if len(dsts) == 0 {
		dsts = []string{""} // not recorded: internal/reach takes it as any of the firewall's addresses
	}
	var out []resource.Listener
	for _, proto := range protos {
		for _, pt := range ports {
			port, err := strconv.Atoi(pt)
			if err != nil {
				continue
			}
			for _, dst := range dsts {
				out = append(out, resource.Listener{Protocol: strings.ToUpper(proto), Port: port, Frontend: strings.TrimSpace(dst),
					Forwards: []resource.Forward{fw}})
			}
		}
	}
	return out
}

func anySource(srcs []string) bool {
	for _, s := range srcs {
		switch strings.ToLower(strings.TrimSpace(s)) {
		case "*", "0.0.0.0/0", "internet", "any":
			return true
		}
	}
	return false
}
