package gcp

import (
	"slices"
	"strings"

	"github.com/vigil-sec/vigil/internal/importer/internal/attr"
	"github.com/vigil-sec/vigil/internal/resource"
)

// CIS GCP 5.0 3.8: VPC Service Controls. Cloud Asset Inventory exports the
// organization's Access Context Manager policies as their own content type
// (`gcloud asset export --organization=N --content-type=access-policy`,
// which `vigil collect` writes as gcp/organization-N/access_policy.json):
// one line per access policy, access level and service perimeter, the
// policy or perimeter under access_policy / service_perimeter (proto field
// names; accessPolicy / servicePerimeter and camelCase fields in the API's
// JSON):
//
//	{"name":"//accesscontextmanager.googleapis.com/accessPolicies/P/servicePerimeters/prod",
//	 "asset_type":"accesscontextmanager.googleapis.com/ServicePerimeter",
//	 "service_perimeter":{"name":"accessPolicies/P/servicePerimeters/prod","title":"prod",
//	   "perimeter_type":"PERIMETER_TYPE_REGULAR",
//	   "status":{"resources":["projects/123456789012"],"restricted_services":["storage.googleapis.com"]}},
//	 "ancestors":["organizations/583920174615"]}
//
// A project is protected when the enforced configuration (status; the
// dry-run spec enforces nothing) of a regular perimeter lists it and
// restricts some service. The answer is known for the projects of an
// organization whose access policies the input holds.

// Access Context Manager asset types.
const (
	TypeAccessPolicy     = "accesscontextmanager.googleapis.com/AccessPolicy"
	TypeServicePerimeter = "accesscontextmanager.googleapis.com/ServicePerimeter"
)

// Keys of the Raw the normalizer leaves for finishVPCSC.
const (
	vpcscOrg        = "organization" // the organization whose policies these are
	vpcscProjects   = "protected"    // project numbers (or IDs) the perimeter protects
	vpcscUnreadable = "unreadable"   // a field finishVPCSC needs had the wrong type
	vpcscName       = "perimeter"    // the perimeter's title or short name
)

func init() {
	normalizers[TypeAccessPolicy] = accessContextAsset
	normalizers[TypeServicePerimeter] = accessContextAsset
}

// accessContextAsset reads an access policy or a service perimeter into
// the compact Raw finishVPCSC reads (the asset is listed among the types
// read for facts and judged by no rule).
func accessContextAsset(f *file, r *resource.Resource, _, asset node) {
	f.res.AddUnsupported(r)
	raw := attr.M{}
	for _, a := range attr.Strs(asset.m, "ancestors") {
		if strings.HasPrefix(a, "organizations/") {
			raw[vpcscOrg] = a
		}
	}
	if r.Type == TypeAccessPolicy {
		p := asset.o(asset.firstKey("access_policy", "accessPolicy"))
		if parent := p.s("parent"); strings.HasPrefix(parent, "organizations/") {
			raw[vpcscOrg] = parent
		}
		r.Raw = raw
		return
	}
	before := asset.c.count()
	p := asset.o(asset.firstKey("service_perimeter", "servicePerimeter"))
	raw[vpcscName] = p.s("title")
	if raw[vpcscName] == "" {
		raw[vpcscName] = shortName(r.ID)
	}
	typ := p.s(p.firstKey("perimeter_type", "perimeterType"))
	status := p.o("status")
	members, _ := status.strs("resources")
	restricted, _ := status.strs(status.firstKey("restricted_services", "restrictedServices"))
	var protected []any
	if typ == "" || typ == "PERIMETER_TYPE_REGULAR" || typ == "0" {
		if len(restricted) > 0 {
			for _, m := range members {
				if num, isProject := strings.CutPrefix(m, "projects/"); isProject && num != "" {
					protected = append(protected, num)
				}
			}
		}
	}
	raw[vpcscProjects] = protected
	if asset.c.count() != before {
		raw[vpcscUnreadable] = true
	}
	r.Raw = raw
}

// finishVPCSC sets each project's VPCServiceControls: true when a
// perimeter protects it (by number or ID), false when the input holds the
// access policies of its organization and none does; unknown when a
// perimeter of that organization could not be read.
func finishVPCSC(all []*resource.Resource, cis map[string]*resource.AccountCIS) {
	orgs := map[string]bool{}            // organizations whose policies were read
	unreadable := map[string]bool{}      // organizations with a perimeter not read
	protectedBy := map[string][]string{} // project number or ID -> perimeters
	for _, r := range all {
		if r.Provider != resource.GCP || (r.Type != TypeAccessPolicy && r.Type != TypeServicePerimeter) {
			continue
		}
		org := attr.Str(r.Raw, vpcscOrg)
		if r.Type == TypeAccessPolicy && org != "" {
			orgs[org] = true
		}
		if r.Type != TypeServicePerimeter {
			continue
		}
		if b := attr.Bool(r.Raw, vpcscUnreadable); b != nil && *b {
			unreadable[org] = true
		}
		for _, p := range attr.Strs(r.Raw, vpcscProjects) {
			protectedBy[p] = append(protectedBy[p], attr.Str(r.Raw, vpcscName))
		}
	}
	if len(orgs) == 0 {
		return
	}
	for _, r := range all {
		if r.Provider != resource.GCP || r.Type != TypeProject || r.Account == "" {
			continue
		}
		d := assetData(r)
		org := ""
		for _, a := range attr.Strs(r.Raw, "ancestors") {
			if strings.HasPrefix(a, "organizations/") {
				org = a
			}
		}
		by := append(slices.Clone(protectedBy[d.lstr("projectNumber")]), protectedBy[r.Account]...)
		var v *bool
		switch {
		case len(by) > 0:
			v = resource.Bool(true)
		case orgs[org] && !unreadable[org]:
			v = resource.Bool(false)
		default:
			continue
		}
		if cis[r.Account] == nil {
			cis[r.Account] = &resource.AccountCIS{}
		}
		slices.Sort(by)
		cis[r.Account].VPCServiceControls, cis[r.Account].VPCServicePerimeters = v, slices.Compact(by)
	}
}
