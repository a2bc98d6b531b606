package gcp

import (
	"strings"

	"github.com/vigil-sec/vigil/internal/importer/internal/attr"
	"github.com/vigil-sec/vigil/internal/resource"
)

// Load balancers as the way in to their backends, read for reachability
// (internal/reach): each forwarding rule's listener Forwards name the VM
// instances behind it.
//
//   - A forwarding rule whose target is a target pool
//     (compute.googleapis.com/TargetPool, data.instances[]) forwards its
//     port to the pool's instances, keeping the client's address.
//   - A forwarding rule naming a backend service (a pass-through load
//     balancer) forwards its port to the instances of the service's
//     backends (data.backends[].group); one through a target HTTP(S) proxy
//     forwards to the instances of the backend services of the proxy's URL
//     map, on the port the instance group names for the service's portName
//     (compute.googleapis.com/InstanceGroup, data.namedPorts[]; "http" by
//     default), from Google's front ends.
//   - An instance group's instances: a managed group's instances name their
//     manager in their created-by metadata (projects/N/zones/Z/instanceGroupManagers/NAME,
//     the group of the same location and name). An unmanaged group's
//     members are not in a Cloud Asset export: none are followed.

// groupKey is "<zones|regions>/<location>/<name>" of an instance group or
// instance group manager URL.
func groupKey(url string) string {
	parts := strings.Split(relKey(url), "/")
	for i := 0; i+3 < len(parts); i++ {
		if (parts[i] == "zones" || parts[i] == "regions") && (parts[i+2] == "instanceGroups" || parts[i+2] == "instanceGroupManagers") {
			return parts[i] + "/" + parts[i+1] + "/" + parts[i+3]
		}
	}
	return ""
}

// lbTargets fills the forwards of the file's forwarding rules.
func (f *file) lbTargets() {
	pools := map[string][]string{}       // target pool → instance URLs
	ports := map[string]map[string]int{} // instance group → named ports
	members := map[string][]string{}     // instance group → instance IDs
	backends := map[string]*resource.Resource{}
	for _, r := range f.res.Resources {
		switch r.Type {
		case "compute.googleapis.com/TargetPool", "compute.googleapis.com/InstanceGroup", TypeInstance, TypeBackendService, TypeRegionBackendSvc:
		default:
			continue
		}
		d := assetData(r)
		if !d.present() {
			continue
		}
		switch r.Type {
		case "compute.googleapis.com/TargetPool":
			var insts []string
			for _, v := range d.larr("instances") {
				if s, ok := v.(string); ok {
					insts = append(insts, s)
				}
			}
			pools[relKey(r.ID)], pools[relKey(d.lstr("selfLink"))] = insts, insts
		case "compute.googleapis.com/InstanceGroup":
			np := map[string]int{}
			for _, v := range d.larr("namedPorts") {
				if m := attr.AsObj(v); m != nil && attr.Int(m, "port") != nil {
					np[attr.Str(m, "name")] = *attr.Int(m, "port")
				}
			}
			ports[groupKey(r.ID)] = np
		case TypeInstance:
			for _, v := range d.larr("metadata", "items") {
				if m := attr.AsObj(v); m != nil && attr.Str(m, "key") == "created-by" {
					k := groupKey(attr.Str(m, "value"))
					members[k] = append(members[k], r.ID)
				}
			}
		case TypeBackendService, TypeRegionBackendSvc:
			backends[relKey(r.ID)] = r
			if s := d.lstr("selfLink"); s != "" {
				backends[relKey(s)] = r
			}
		}
	}
	// serviceForwards: the instances behind a backend service; a proxy
	// reaches them on the named port, a pass-through balancer on port.
	serviceForwards := func(svc string, port int, proxy bool) []resource.Forward {
		b := backends[relKey(svc)]
		if b == nil {
			return nil
		}
		d := assetData(b)
		portName := d.lstr("portName")
		if portName == "" {
			portName = "http"
		}
		var out []resource.Forward
		for _, v := range d.larr("backends") {
			g := groupKey(attr.Str(attr.AsObj(v), "group"))
			p := port
			if proxy {
				p = ports[g][portName]
				if p == 0 {
					continue // the group's named port is not known: its port is not
				}
			}
			for _, id := range members[g] {
				out = append(out, resource.Forward{Target: id, Port: p, Via: b.ID})
			}
		}
		return out
	}
	for _, fe := range f.lb.rules {
		lb := fe.r.Facts.LoadBalancer
		if fe.bad || lb == nil || len(lb.Listeners) != 1 || lb.Listeners[0].Port == 0 {
			continue
		}
		l := &lb.Listeners[0]
		switch {
		case strings.Contains(fe.target, "/targetPools/"):
			for _, inst := range pools[relKey(fe.target)] {
				l.Forwards = append(l.Forwards, resource.Forward{Target: inst, Port: l.Port, Via: fe.target})
			}
		case fe.backend != "":
			l.Forwards = append(l.Forwards, serviceForwards(fe.backend, l.Port, false)...)
		case fe.target != "":
			px := f.lb.proxies[relKey(fe.target)]
			if px == nil {
				continue
			}
			um := f.lb.urlMaps[relKey(px.urlMap)]
			if um == nil {
				continue
			}
			for _, s := range um.services {
				l.Forwards = append(l.Forwards, serviceForwards(s, l.Port, true)...)
			}
		}
	}
}

// cloudNATs: a Cloud Router (compute.googleapis.com/Router) with Cloud NAT
// configurations (data.nats[]) gives the VMs without an external IP of its
// network and region outbound connections only: a NetworkLink of kind
// nat. A NAT for listed subnetworks (sourceSubnetworkIpRangesToNat
// LIST_OF_SUBNETWORKS) relates them (nat_for).
func (f *file) cloudNATs() {
	for _, r := range f.res.Resources {
		if r.Type != TypeRouter {
			continue
		}
		d := assetData(r)
		nats := d.larr("nats")
		if len(nats) == 0 || d.lstr("network") == "" {
			continue
		}
		l := &resource.NetworkLink{Kind: resource.LinkNAT, Networks: []string{d.lstr("network")}}
		var names []string
		for _, v := range nats {
			n := attr.AsObj(v)
			names = append(names, attr.Str(n, "name"))
			if strings.EqualFold(attr.Str(n, "sourceSubnetworkIpRangesToNat"), "LIST_OF_SUBNETWORKS") {
				for _, s := range attr.Arr(n, "subnetworks") {
					attr.Relate(r, "nat_for", attr.Str(attr.AsObj(s), "name"))
				}
			}
		}
		l.State = strings.Join(names, ", ")
		r.Facts.NetworkLink = l
		if reg := d.lstr("region"); reg != "" && r.Region == "" {
			r.Region = reg[strings.LastIndex(reg, "/")+1:]
		}
	}
}
