package azure

import (
	"strings"

	"github.com/vigil-sec/vigil/internal/resource"
)

// TypeServerVASetting is Defender for Cloud's vulnerability assessment
// setting for machines (CIS Azure 6.0 8.1.3.2, "Vulnerability assessment
// for machines" On in Environment settings > Settings & monitoring): GET
// /subscriptions/<id>/providers/Microsoft.Security/
// serverVulnerabilityAssessmentsSettings (api-version 2023-05-01), which
// Resource Graph does not carry; `vigil collect` writes it as
// azure/<subscription>/servervulnerabilityassessmentssettings.json. The
// component is on when the list holds an AzureServersSetting whose
// properties.selectedProvider names a provider (MdeTvm, Defender
// Vulnerability Management); turning it off deletes the setting, so an
// empty listing of the subscription is off.
const TypeServerVASetting = "Microsoft.Security/serverVulnerabilityAssessmentsSettings"

// vaListingFile is the file vigil collect writes the settings to, even
// when the subscription has none.
const vaListingFile = "servervulnerabilityassessmentssettings.json"

// vaListingSuffix ends the ID of the marker an empty listing adds.
const vaListingSuffix = "/providers/microsoft.security/servervulnerabilityassessmentssettings"

func init() {
	noFactTypes(TypeServerVASetting)
}

// serverVA reads one setting row (or an empty listing's marker) of a
// subscription: listed true for every row; on true when the row is an
// AzureServersSetting with a selected provider; bad when a field of the
// row could not be read.
func serverVA(r *resource.Resource, read func(*resource.Resource) (node, func() bool)) (on, bad bool) {
	if strings.HasSuffix(strings.ToLower(r.ID), vaListingSuffix) {
		return false, false // the empty listing's marker
	}
	p, failed := read(r)
	row := node{M: r.Raw}
	kind := row.S("kind")
	provider := p.S("selectedProvider")
	if failed() {
		return false, true
	}
	return (kind == "" || strings.EqualFold(kind, "AzureServersSetting")) && provider != "", false
}

// serverVAState sets the Defender for Servers plan's vulnerability
// assessment component: off on a Free plan, else on when a setting of the
// subscription selects a provider, off when the subscription's settings
// were listed without one; unknown otherwise (not listed, or a row could
// not be read and none is on).
func serverVAState(d *resource.DefenderPlans, listed, on, bad bool) *resource.DefenderPlans {
	var v *bool
	switch {
	case d != nil && d.Servers != nil && !*d.Servers:
		v = resource.Bool(false)
	case on:
		v = resource.Bool(true)
	case listed && !bad:
		v = resource.Bool(false)
	default:
		return d
	}
	if d == nil {
		d = &resource.DefenderPlans{}
	}
	d.ServersVulnerabilityAssessment = v
	return d
}
