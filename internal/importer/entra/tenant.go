package entra

import (
	"fmt"
	"slices"
	"strings"

	"github.com/vigil-sec/vigil/internal/importer/internal/attr"
	"github.com/vigil-sec/vigil/internal/resource"
)

// The tenant's own settings (CIS Azure 6.0 section 5.1): the security
// defaults and device registration policies, single objects rather than
// collections, held by one resource for the tenant.

// Paths of the tenant's policy objects.
const (
	pathSecurityDefaults   = "/policies/identitySecurityDefaultsEnforcementPolicy"
	pathDeviceRegistration = "/policies/deviceRegistrationPolicy"
)

// userActionRegisterDevice is the conditional access user action
// "Register or join devices".
const userActionRegisterDevice = "urn:user:registerdevice"

// requiresMFAOfAll reports whether an enabled conditional access policy
// requires multifactor authentication of all users: grant control mfa or
// an authentication strength, which the user cannot trade for another
// control (operator AND, or the only control). Excluded users (emergency
// access accounts) do not change it.
func requiresMFAOfAll(ca *resource.ConditionalAccess) bool {
	if !strings.EqualFold(ca.State, "enabled") || !slices.Contains(ca.IncludeUsers, "All") {
		return false
	}
	controls := len(ca.GrantControls)
	mfa := slices.ContainsFunc(ca.GrantControls, func(c string) bool { return strings.EqualFold(c, "mfa") })
	if ca.AuthenticationStrength != "" {
		controls++
		mfa = true
	}
	return mfa && (controls == 1 || strings.EqualFold(ca.GrantOperator, "AND"))
}

// found is true when some policy was found, false when none was and the
// policies were read in full, nil otherwise.
func found(v, known bool) *bool {
	if v || known {
		return resource.Bool(v)
	}
	return nil
}

// single returns the object a path answered; present is false when the
// path is absent, and read false when it is absent, was denied (Graph's
// error kept) or is not an object (a problem).
func (rd *reader) single(path string) (n node, present, read bool) {
	pages, has := rd.pages[strings.ToLower(path)]
	if !has {
		return n, false, false
	}
	p := pages[0]
	field := fmt.Sprintf("responses[%q]", p.key)
	c := &attr.Checker{ID: field}
	body := attr.AsObj(p.body)
	if len(pages) > 1 {
		rd.res.Problems = append(rd.res.Problems, attr.Problem{Resource: field, Field: field,
			Err: field + ": a list where one object (a Graph policy) belongs: left unknown"})
		return n, true, false
	}
	if body == nil {
		c.Wrong(field, "object (a Graph policy)", p.body)
		rd.res.Problems = append(rd.res.Problems, c.Problems...)
		return n, true, false
	}
	n = node{M: body, Path: attr.PathOf(field), C: c}
	if e, st := n.Obj("error"); st == ok {
		rd.res.Problems = append(rd.res.Problems, attr.Problem{Field: field, Warning: true,
			Err: fmt.Sprintf("%s: Graph answered %s: %s (left unknown)", field, e.S("code"), e.S("message"))})
		return n, true, false
	}
	return n, true, true
}

// tenantSettings makes the tenant's resource (type microsoft.graph.organization,
// class org_unit, kind tenant). Every export of a tenant has it: when
// neither policy is in the file (`vigil collect` leaves out a call Graph
// denied, and records it) its settings are unknown and the rules on them
// say UNKNOWN, rather than nothing at all.
func (rd *reader) tenantSettings() {
	t := &resource.EntraTenant{ConditionalAccessMFA: rd.caMFA, ConditionalAccessDeviceMFA: rd.caDeviceMFA}
	sd, _, sdOK := rd.single(pathSecurityDefaults)
	if sdOK {
		t.SecurityDefaults = sd.B("isEnabled")
		rd.finish(sd)
	}
	dr, _, drOK := rd.single(pathDeviceRegistration)
	if drOK {
		switch dr.Enum([]string{"multiFactorAuthConfiguration"}, "required", "notRequired") {
		case 0:
			t.DeviceJoinMFA = resource.Bool(true)
		case 1:
			t.DeviceJoinMFA = resource.Bool(false)
		case -1:
			dr.C.Problems = append(dr.C.Problems, attr.Problem{Field: dr.Field("multiFactorAuthConfiguration"), Warning: true,
				Err: dr.Field("multiFactorAuthConfiguration") + ": " + fmt.Sprintf("%q", dr.S("multiFactorAuthConfiguration")) + " is neither required nor notRequired (left unknown)"})
		}
		rd.finish(dr)
	}
	rd.diagnostics(t) // diagnostics.go
	r := &resource.Resource{Provider: resource.Azure, Region: "global", Type: TypeTenant, ID: "/tenants/" + rd.tenant,
		Name: rd.tenant, Class: resource.ClassOrgUnit}
	r.Facts.OrgUnit = &resource.OrgUnit{Kind: "tenant", Tenant: t}
	rd.res.Resources = append(rd.res.Resources, r)
}
