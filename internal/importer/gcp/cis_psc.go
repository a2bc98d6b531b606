package gcp

import (
	"strings"

	"github.com/vigil-sec/vigil/internal/importer/internal/attr"
	"github.com/vigil-sec/vigil/internal/resource"
)

// CIS GCP 5.0 3.9: Private Service Connect for Google APIs. An endpoint is
// a global forwarding rule whose target is a bundle of Google APIs
// (all-apis, or vpc-sc for the APIs VPC Service Controls supports) rather
// than a proxy or a backend, with an internal address of its network and no
// load-balancing scheme (the API omits it):
//
//	{"name":"//compute.googleapis.com/projects/p/global/forwardingRules/pscapis",
//	 "asset_type":"compute.googleapis.com/GlobalForwardingRule",
//	 "resource":{"data":{"name":"pscapis","IPAddress":"10.10.0.5","target":"all-apis",
//	   "network":"https://www.googleapis.com/compute/v1/projects/p/global/networks/prod", ...}}}
//
// An endpoint of a producer's service (target .../serviceAttachments/S) is
// private too. Neither balances anything: they are not public load
// balancers, and have no listener or backend to join.

// pscEndpoint reads a forwarding rule that is a Private Service Connect
// endpoint (its target a Google APIs bundle or a service attachment): not
// public, in its network, the target kept as the relationship finishPSC
// reads. It reports whether the rule was one, or had a target of the wrong
// type (reported; then whether it is public is unknown, and the file's
// load balancers are not all resolved).
func pscEndpoint(f *file, r *resource.Resource, d node) bool {
	target, st := d.str("target")
	if st == bad {
		f.lb.unresolved = true
		return true
	}
	if !pscGoogleAPIs(target) && !strings.Contains(target, "/serviceAttachments/") {
		return false
	}
	r.Facts.LoadBalancer.Public = boolp(false)
	attr.Relate(r, "targets", target)
	if net := d.s("network"); net != "" {
		attr.Relate(r, resource.RelInNetwork, net)
	}
	return true
}

// pscGoogleAPIs reports whether a forwarding rule's target is a bundle of
// Google APIs.
func pscGoogleAPIs(target string) bool {
	return strings.EqualFold(target, "all-apis") || strings.EqualFold(target, "vpc-sc")
}

// finishPSC sets each VPC network's VPCEndpoints (CIS GCP 5.0 3.9): true
// when a global forwarding rule of the input is a Private Service Connect
// endpoint for Google APIs in it; false when the input holds global
// forwarding rules of the network's project, every one read, but no such
// endpoint in the network (an export listing none at all does not say there
// is none: Cloud Asset Inventory exports can be limited to some types);
// unknown otherwise.
func finishPSC(all []*resource.Resource) {
	with := map[string]bool{}   // networks (asset names, lowercased) with an endpoint
	listed := map[string]bool{} // projects with global forwarding rules in the input
	bad := map[string]bool{}    // projects with one that could not be read
	for _, r := range all {
		if r.Provider != resource.GCP || r.Type != TypeGlobalForwarding {
			continue
		}
		listed[r.Account] = true
		if lb := r.Facts.LoadBalancer; lb == nil || lb.Public == nil {
			bad[r.Account] = true // a rule not read may be an endpoint
			continue
		}
		api, net := false, ""
		for _, rel := range r.Relationships {
			switch {
			case rel.Type == "targets" && pscGoogleAPIs(rel.TargetID):
				api = true
			case rel.Type == resource.RelInNetwork:
				net = rel.TargetID
			}
		}
		if api && net != "" {
			with[strings.ToLower("//compute.googleapis.com/"+gcpKey(net))] = true
		}
	}
	if len(listed) == 0 {
		return
	}
	for _, r := range all {
		if r.Provider != resource.GCP || r.Type != TypeNetwork || r.Facts.Network == nil {
			continue
		}
		switch {
		case with[strings.ToLower(r.ID)]:
			r.Facts.Network.VPCEndpoints = resource.Bool(true)
		case listed[r.Account] && !bad[r.Account]:
			r.Facts.Network.VPCEndpoints = resource.Bool(false)
		}
	}
}
