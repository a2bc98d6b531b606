package azure

import (
	"strings"

	"github.com/vigil-sec/vigil/internal/resource"
)

// Load balancers as the way in to their backends, read for reachability
// (internal/reach): each listener's Forwards name the network interfaces
// behind it (an IP configuration ID .../networkInterfaces/NIC/ipConfigurations/X
// names its NIC).
//
//   - microsoft.network/loadbalancers: a load-balancing rule on a public
//     frontend (properties.frontendIPConfiguration.id, its public IP the
//     listener's Frontend: an IPv6 one makes an IPv6 listener) forwards its
//     frontendPort to backendPort on the members of its backend pools
//     (backendAddressPool.id, backendAddressPools[].id; a pool's
//     backendIPConfigurations[].id and
//     loadBalancerBackendAddresses[].properties.networkInterfaceIPConfiguration.id);
//     an inbound NAT rule forwards its frontendPort to backendPort on its
//     backendIPConfiguration (a listener of its own).
//   - microsoft.network/applicationgateways: a request routing rule sends
//     its httpListener to its backendAddressPool on the port of its
//     backendHttpSettings (a path-based rule: its URL path map's default and
//     path rules' pools and settings).

// nicOf is the network interface of an IP configuration ID.
func nicOf(ipConfig string) string {
	l := strings.ToLower(ipConfig)
	i := strings.Index(l, "/ipconfigurations/")
	if i < 0 || !strings.Contains(l, "/microsoft.network/networkinterfaces/") {
		return ""
	}
	return ipConfig[:i]
}

// byIDs indexes the sub-resources listed under key by lower-cased ID.
func byIDs(p node, key string) map[string]node {
	items, _ := p.Objs(key)
	m := map[string]node{}
	for _, it := range items {
		m[strings.ToLower(it.S("id"))] = it
	}
	return m
}

// poolNICs: the network interfaces of a backend pool.
func poolNICs(pool node) []string {
	q, _ := props(pool)
	var out []string
	cfgs, _ := q.Objs("backendIPConfigurations")
	for _, c := range cfgs {
		if n := nicOf(c.S("id")); n != "" {
			out = append(out, n)
		}
	}
	addrs, _ := q.Objs("loadBalancerBackendAddresses")
	for _, a := range addrs {
		aq, _ := props(a)
		if n := nicOf(aq.S("networkInterfaceIPConfiguration", "id")); n != "" {
			out = append(out, n)
		}
	}
	return out
}

// publicFrontends: the frontend IP configurations with a public IP (by
// lower-cased ID) → the public IP resource ("" for a public IP prefix):
// a listener's Frontend, whose version (IPv4, IPv6) is its family.
func publicFrontends(p node) map[string]string {
	out := map[string]string{}
	fes, _ := p.Objs("frontendIPConfigurations")
	for _, fe := range fes {
		q, _ := props(fe)
		if pip := q.S("publicIPAddress", "id"); pip != "" || q.S("publicIPPrefix", "id") != "" {
			out[strings.ToLower(fe.S("id"))] = pip
		}
	}
	return out
}

// readInFull returns the function that, deferred, leaves lb's listeners
// unknown when their frontends or forwards were read in part (a problem
// reported meanwhile): a listener without its frontend's family or its
// targets could hide a path.
func readInFull(p node, lb *resource.LoadBalancer) func() {
	if p.C == nil {
		return func() {}
	}
	before := p.C.Count()
	return func() {
		if p.C.Count() != before {
			lb.Listeners = nil
		}
	}
}

// lbForwards fills the forwards of a load balancer's listeners (one per
// load-balancing rule, in order) and adds one listener per inbound NAT
// rule on a public frontend.
func lbForwards(p node, lb *resource.LoadBalancer) {
	defer readInFull(p, lb)()
	pools, pub := byIDs(p, "backendAddressPools"), publicFrontends(p)
	rules, _ := p.Objs("loadBalancingRules")
	for i, rule := range rules {
		if i >= len(lb.Listeners) {
			break
		}
		q, _ := props(rule)
		pip, public := pub[strings.ToLower(q.Ref("frontendIPConfiguration"))]
		if !public {
			continue
		}
		lb.Listeners[i].Frontend = pip
		port := 0
		if bp := q.I("backendPort"); bp != nil {
			port = *bp
		}
		ids := []string{q.Ref("backendAddressPool")}
		more, _ := q.Objs("backendAddressPools")
		for _, m := range more {
			ids = append(ids, m.S("id"))
		}
		seen := map[string]bool{}
		for _, id := range ids {
			pool := pools[strings.ToLower(id)]
			if id == "" || !pool.Present() || seen[strings.ToLower(id)] {
				continue
			}
			seen[strings.ToLower(id)] = true
			for _, nic := range poolNICs(pool) {
				lb.Listeners[i].Forwards = append(lb.Listeners[i].Forwards, resource.Forward{Target: nic, Port: port, Via: rule.S("id")})
			}
		}
	}
	nats, _ := p.Objs("inboundNatRules")
	for _, nr := range nats {
		q, _ := props(nr)
		nic := nicOf(q.Ref("backendIPConfiguration"))
		fp, bp := q.I("frontendPort"), q.I("backendPort")
		pip, public := pub[strings.ToLower(q.Ref("frontendIPConfiguration"))]
		if nic == "" || fp == nil || bp == nil || !public {
			continue
		}
		lb.Listeners = append(lb.Listeners, resource.Listener{Protocol: strings.ToUpper(q.S("protocol")), Port: *fp, Frontend: pip,
			Forwards: []resource.Forward{{Target: nic, Port: *bp, Via: nr.S("id")}}})
	}
}

// agwForwards fills the forwards of an application gateway's listeners
// (one per httpListeners entry, in order) from its request routing rules.
func agwForwards(p node, lb *resource.LoadBalancer) {
	defer readInFull(p, lb)()
	pools, settings, paths := byIDs(p, "backendAddressPools"), byIDs(p, "backendHttpSettingsCollection"), byIDs(p, "urlPathMaps")
	pub := publicFrontends(p)
	listeners, _ := p.Objs("httpListeners")
	index := map[string]int{}
	for i, ln := range listeners {
		q, _ := props(ln)
		if pip, public := pub[strings.ToLower(q.Ref("frontendIPConfiguration"))]; i < len(lb.Listeners) && public {
			index[strings.ToLower(ln.S("id"))] = i
			lb.Listeners[i].Frontend = pip
		}
	}
	rrules, _ := p.Objs("requestRoutingRules")
	for _, rr := range rrules {
		q, _ := props(rr)
		i, ok := index[strings.ToLower(q.Ref("httpListener"))]
		if !ok {
			continue
		}
		type target struct{ pool, setting string }
		tgs := []target{{q.Ref("backendAddressPool"), q.Ref("backendHttpSettings")}}
		if um := paths[strings.ToLower(q.Ref("urlPathMap"))]; um.Present() {
			uq, _ := props(um)
			tgs = append(tgs, target{uq.Ref("defaultBackendAddressPool"), uq.Ref("defaultBackendHttpSettings")})
			prs, _ := uq.Objs("pathRules")
			for _, pr := range prs {
				pq, _ := props(pr)
				tgs = append(tgs, target{pq.Ref("backendAddressPool"), pq.Ref("backendHttpSettings")})
			}
		}
		for _, t := range tgs {
			pool := pools[strings.ToLower(t.pool)]
			if !pool.Present() {
				continue
			}
			port := 0
			if st := settings[strings.ToLower(t.setting)]; st.Present() {
				sq, _ := props(st)
				if v := sq.I("port"); v != nil {
					port = *v
				}
			}
			for _, nic := range poolNICs(pool) {
				lb.Listeners[i].Forwards = append(lb.Listeners[i].Forwards, resource.Forward{Target: nic, Port: port, Via: rr.S("id")})
			}
		}
	}
}
