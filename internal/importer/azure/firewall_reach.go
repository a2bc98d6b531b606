package azure

import (
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
// have sourceAddresses, destinationPorts, protocols, translatedAddress,
// translatedPort). It stays class other; its DNAT rules reachable from
// any address are kept as listeners forwarding to the translated address
// (LoadBalancer facts), Public when it has a public IP. A firewall policy
// (firewallPolicy.id, firewall_policy_reach.go) holds its rules elsewhere:
// internal/reach adds its DNAT rules to the firewall's listeners.
func azureFirewall(r *resource.Resource, _, p node) {
	if p.M == nil {
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
			to := rl.S("translatedAddress")
			tport, _ := strconv.Atoi(rl.S("translatedPort"))
			ports, _ := rl.Strs("destinationPorts")
			protos, _ := rl.Strs("protocols")
			for _, proto := range protos {
				for _, pt := range ports {
					port, err := strconv.Atoi(pt)
					if err != nil || to == "" {
						continue
					}
					lb.Listeners = append(lb.Listeners, resource.Listener{Protocol: strings.ToUpper(proto), Port: port,
						Forwards: []resource.Forward{{Target: to, Port: tport, Via: cid + "/rules/" + rl.S("name")}}})
				}
			}
		}
	}
	r.Facts.LoadBalancer = lb
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
