package azure

import (
	"strings"
	"testing"
)

// TestVMPatchAssessment: a VM's patch assessment mode from its OS
// configuration (Windows or Linux): AutomaticByPlatform is on, ImageDefault
// or unset off; unknown without an OS configuration or with a mode that
// is not a string (reported).
func TestVMPatchAssessment(t *testing.T) {
	vm := func(name, osProfile string) string {
		return cisRow(cisSub+"/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/"+name, "microsoft.compute/virtualmachines",
			`{"hardwareProfile":{"vmSize":"Standard_D2s_v5"},"osProfile":`+osProfile+`}`)
	}
	cases := map[string]struct{ os, want string }{
		"win-auto":   {`{"windowsConfiguration":{"patchSettings":{"patchMode":"AutomaticByPlatform","assessmentMode":"AutomaticByPlatform"}}}`, "true"},
		"linux-auto": {`{"linuxConfiguration":{"patchSettings":{"assessmentMode":"automaticbyplatform"}}}`, "true"},
		"win-image":  {`{"windowsConfiguration":{"patchSettings":{"patchMode":"AutomaticByOS","assessmentMode":"ImageDefault"}}}`, "false"},
		"linux-none": {`{"linuxConfiguration":{"disablePasswordAuthentication":true}}`, "false"},
		"no-os":      {`null`, "nil"},
		"bad-mode":   {`{"linuxConfiguration":{"patchSettings":{"assessmentMode":1}}}`, "nil"},
	}
	var rows []string
	for name, c := range cases {
		rows = append(rows, vm(name, c.os))
	}
	m, problems := loadRows(t, "["+strings.Join(rows, ",")+"]")
	if len(problems) != 1 || !strings.Contains(problems[0].Err, "assessmentMode") {
		t.Errorf("problems %+v, want the bad mode's", problems)
	}
	for name, c := range cases {
		r := m[strings.ToLower(cisSub+"/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/"+name)]
		if r == nil || r.Facts.Compute == nil {
			t.Fatalf("%s: no compute facts", name)
		}
		if got := fb(r.Facts.Compute.PatchAssessment); got != c.want {
			t.Errorf("%s: patch_assessment %s, want %s", name, got, c.want)
		}
	}
}
