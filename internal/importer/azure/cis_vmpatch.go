package azure

import (
	"strings"

	"github.com/vigil-sec/vigil/internal/resource"
)

// CIS Azure 6.0 8.1.10: Defender for Cloud checks a VM's operating system
// for missing updates when the VM's patch assessment mode is
// AutomaticByPlatform (the built-in policy "Machines should be configured
// to periodically check for missing system updates"):
// properties.osProfile.windowsConfiguration.patchSettings.assessmentMode,
// or linuxConfiguration's. Unset is ImageDefault (assessed only on demand).

func init() {
	after(TypeVM, vmPatchAssessment)
}

// vmPatchAssessment sets compute.patch_assessment: unknown when the row
// has neither OS configuration (a VM attached from a specialized disk has
// no osProfile) or the mode is not a string.
func vmPatchAssessment(r *resource.Resource, _, p node) {
	c := r.Facts.Compute
	if c == nil || !p.Present() {
		return
	}
	for _, os := range []string{"windowsConfiguration", "linuxConfiguration"} {
		conf, st := p.Obj("osProfile", os)
		if st != ok {
			continue
		}
		mode, mst := conf.Str("patchSettings", "assessmentMode")
		if mst == bad {
			return
		}
		c.PatchAssessment = resource.Bool(strings.EqualFold(mode, "AutomaticByPlatform"))
		return
	}
}
