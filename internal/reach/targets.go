package reach

import (
	"net/netip"
	"strings"

	"github.com/vigil-sec/vigil/internal/resource"
)

// ELBv2 target groups of target type ip and lambda (describe-target-health
// names the target by a private address, or by the function's ARN):
//
//   - an IP target is the instance (or interface) holding that private
//     address in the load balancer's VPC; an address outside the VPC's
//     ranges (a target registered with AvailabilityZone "all": a peered
//     VPC, an on-premises host over Direct Connect) is reached over a route
//     the model does not follow from a load balancer: undecided;
//   - over an NLB's TCP or TLS listener an IP target sees the load
//     balancer's private address unless the target group's
//     preserve_client_ip.enabled attribute is on (off by default for IP
//     targets over TCP and TLS, on for UDP and TCP_UDP): the attribute is
//     not in the inventory, so both are evaluated and a difference is
//     undecided;
//   - a Lambda target (ALB only) is invoked by the load balancer, not over
//     the network: reached on the listener's port with no filter of its
//     own, the target group named as the hop.

// ipTargetHolder resolves the private address addr, an IP target of lb,
// to the instance or interface holding it in lb's VPC; outside reports
// a holder found elsewhere (not in the VPC's ranges).
func (g *Graph) ipTargetHolder(lb *resource.Resource, addr netip.Addr) (t *resource.Resource, outside bool) {
	g.indexLinks()
	vpc := g.netKey(lb.Provider, first(targets(lb, resource.RelInNetwork)))
	holders := g.holders[string(lb.Provider)+"|"+addr.String()]
	var elsewhere *resource.Resource
	for _, h := range holders {
		if vpc != "" && g.holderNet(h) == vpc {
			return h, false
		}
		elsewhere = h
	}
	if elsewhere == nil {
		return nil, false
	}
	if n := g.links.nets[vpc]; n != nil && len(n.prefixes) > 0 {
		for _, p := range n.prefixes {
			if p.Contains(addr) {
				return nil, false // in the VPC's range, held by nothing known in it
			}
		}
		return elsewhere, true
	}
	return nil, false // the VPC's ranges unknown: which holder is meant cannot be told
}

// holderNet is the network key of an instance or interface.
func (g *Graph) holderNet(r *resource.Resource) string {
	nw := first(targets(r, resource.RelInNetwork))
	if nw == "" {
		if s := g.get(r, first(targets(r, resource.RelInSubnet))); s != nil {
			nw = first(targets(s, resource.RelInNetwork))
		}
	}
	return g.netKey(r.Provider, nw)
}

// indexHolders indexes every holder of the private addresses of addrs
// (provider|address keys): several networks may reuse an address.
func (g *Graph) indexHolders(rs []*resource.Resource, addrs map[string]bool) {
	g.holders = map[string][]*resource.Resource{}
	for _, r := range rs {
		if a := r.Facts.Addressing; a != nil && r.Facts.Network == nil {
			for _, ip := range a.PrivateIPs {
				if k := string(r.Provider) + "|" + ip; addrs[k] {
					g.holders[k] = append(g.holders[k], r)
				}
			}
		}
	}
}

// lambdaARN strips the version or alias qualifier of a Lambda function
// ARN (arn:aws:lambda:region:account:function:name[:qualifier]).
func lambdaARN(s string) (string, bool) {
	parts := strings.Split(s, ":")
	if len(parts) < 7 || parts[2] != "lambda" || parts[5] != "function" {
		return "", false
	}
	return strings.Join(parts[:7], ":"), true
}

// isFunction: a serverless function, invoked rather than reached over a
// network.
func isFunction(r *resource.Resource) bool {
	return r.Class == resource.ClassFunction || r.Facts.Function != nil
}

// nlbIPTarget: f is an AWS NLB's TCP or TLS listener forwarding to an IP
// target, whose source address depends on preserve_client_ip.enabled.
func nlbIPTarget(f forward) bool {
	if f.lb.Provider != resource.AWS || !f.ip || strings.HasPrefix(f.lb.Type, "AWS::ElasticLoadBalancing::") {
		return false
	}
	p := strings.ToUpper(f.listener.Protocol)
	return p == "TCP" || p == "TLS"
}
