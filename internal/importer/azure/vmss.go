package azure

import (
	"strings"

	"github.com/vigil-sec/vigil/internal/resource"
)

// TypeVMSS is a virtual machine scale set: its instances are the VMs its
// virtualMachineProfile describes, so it is a compute resource with the
// facts of that profile, read as a VM's properties (disks, security
// profile, OS profile); its network interfaces are configurations
// (networkInterfaceConfigurations), whose public IP configurations give
// every instance a public address.
const TypeVMSS = "Microsoft.Compute/virtualMachineScaleSets"

// vmss: Microsoft.Compute/virtualMachineScaleSets.
func vmss(r *resource.Resource, row, p node) {
	prof := p
	if p.Present() {
		var st state
		if prof, st = p.Obj("virtualMachineProfile"); st != ok {
			prof = node{}
		}
	}
	vm(r, row, prof)
	vmPatchAssessment(r, row, prof)
	c := r.Facts.Compute
	if !prof.Present() {
		return
	}
	confs, st := prof.Objs("networkProfile", "networkInterfaceConfigurations")
	if st == bad {
		return
	}
	public := false
	for _, nc := range confs {
		q, qst := nc.Obj("properties")
		if qst == absent {
			q = nc
		}
		ipcs, ist := q.Objs("ipConfigurations")
		if ist == bad {
			return
		}
		for _, ipc := range ipcs {
			ip, pst := ipc.Obj("properties")
			if pst == absent {
				ip = ipc
			}
			if _, has := ip.Obj("publicIPAddressConfiguration"); has == ok {
				public = true
			}
		}
	}
	c.PublicIP = resource.Bool(public)
}

// vmLogin reads a VM's (or scale set profile's) operating system and, for
// Linux, whether SSH accepts passwords: linuxConfiguration's
// disablePasswordAuthentication (false, or left out with an adminPassword
// given, is password logins); the OS disk's osType when the row has no OS
// configuration (a VM attached from a specialized disk: its logins are the
// image's, unknown).
func vmLogin(r *resource.Resource, _, p node) {
	c := r.Facts.Compute
	if c == nil || !p.Present() {
		return
	}
	if _, st := p.Obj("osProfile", "windowsConfiguration"); st == ok {
		c.OSType = "windows"
		return
	}
	lc, st := p.Obj("osProfile", "linuxConfiguration")
	if st != ok {
		if os, _ := p.Str("storageProfile", "osDisk", "osType"); os != "" {
			c.OSType = strings.ToLower(os)
		}
		return
	}
	c.OSType = "linux"
	switch off, bst := lc.Boolean("disablePasswordAuthentication"); bst {
	case ok:
		c.PasswordAuthentication = resource.Bool(!*off)
	case absent:
		// A password given (a template's securestring parameter too, its
		// value known at deploy) is a password login.
		c.PasswordAuthentication = resource.Bool(p.O("osProfile").Has("adminPassword"))
	}
}
