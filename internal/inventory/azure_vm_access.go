package inventory

import (
	"strings"

	azurerbac "github.com/vigil-sec/vigil/internal/identity/azure"
	"github.com/vigil-sec/vigil/internal/identity/decision"
	"github.com/vigil-sec/vigil/internal/resource"
)

const typeAzureVM = "microsoft.compute/virtualmachines"

// vmAccessActions are what makes a principal privileged on a virtual
// machine (CIS Azure 6.0 3.1.1): signing in to it through Entra ID (the
// data actions of Virtual Machine User / Administrator Login) or
// controlling it (writing it: run commands, extensions, password reset;
// Owner, Contributor, Virtual Machine Contributor).
var vmAccessActions = []struct {
	action string
	data   bool
}{
	{"Microsoft.Compute/virtualMachines/login/action", true},
	{"Microsoft.Compute/virtualMachines/loginAsAdmin/action", true},
	{"Microsoft.Compute/virtualMachines/write", false},
}

// vmAccess sets identity.vm_access on every Entra ID user when the
// inventory holds Azure virtual machines and role assignments: true when
// the user's effective Azure RBAC permissions (internal/identity/azure:
// inherited scopes, custom and built-in roles, groups, deny assignments)
// allow one of vmAccessActions on some VM; false when they allow none;
// unknown when only a conditional or uncertain grant would, or when an
// assignment names a group whose members the inventory does not hold.
// A VM is asked at its resource group unless an assignment sits at the VM
// itself, so the cost follows the resource groups, not the VMs.
func (d *deriver) vmAccess() {
	var users []*resource.Resource
	for _, u := range d.byClass[resource.ClassIdentity] {
		if u.Provider == resource.Azure && u.Type == typeEntraUser && u.Facts.Identity != nil {
			users = append(users, u)
		}
	}
	if len(users) == 0 {
		return
	}
	var vms []string
	for _, r := range d.byClass[resource.ClassCompute] {
		if r.Provider == resource.Azure && strings.EqualFold(r.Type, typeAzureVM) {
			vms = append(vms, strings.ToLower(r.ID))
		}
	}
	if len(vms) == 0 {
		return
	}
	atResource := map[string]bool{} // lower scopes of assignments below a resource group
	assignments, unknownGroups := false, false
	for _, b := range d.byClass[resource.ClassIAMBinding] {
		if b.Provider != resource.Azure || !strings.EqualFold(b.Type, typeAzureRoleAssignment) || b.Facts.Binding == nil {
			continue
		}
		assignments = true
		bd := b.Facts.Binding
		if strings.EqualFold(bd.PrincipalType, "Group") && d.resolve(b, bd.Principal) == nil {
			unknownGroups = true
		}
		if bd.ScopeLevel == "resource" {
			atResource[strings.ToLower(strings.TrimRight(bd.Scope, "/"))] = true
		}
	}
	if !assignments {
		return
	}
	ev, err := azurerbac.New(d.all, azurerbac.Options{})
	if err != nil {
		return // the built-in roles could not be read: unknown
	}
	d.azureRBAC = ev
	// A VM with an assignment at it or below it is asked at itself.
	own := map[string]bool{}
	isVM := make(map[string]bool, len(vms))
	for _, vm := range vms {
		isVM[vm] = true
	}
	for s := range atResource {
		for p := s; p != ""; p = p[:max(strings.LastIndexByte(p, '/'), 0)] {
			if isVM[p] {
				own[p] = true
				break
			}
		}
	}
	scopes := map[string]bool{}
	for _, vm := range vms {
		scopes[vmScope(vm, own[vm])] = true
	}
	best := map[string]decision.Result{} // user resource ID (lower) -> strongest allowing result
	for s := range scopes {
		for _, a := range vmAccessActions {
			for _, h := range ev.WhoCan(a.action, a.data, s) {
				k := strings.ToLower(h.Resource)
				if r, seen := best[k]; !seen || stronger(h.Decision.Result, r) {
					best[k] = h.Decision.Result
				}
			}
		}
	}
	for _, u := range users {
		r, held := best[strings.ToLower(u.ID)]
		switch {
		case held && r == decision.Allowed:
			u.Facts.Identity.VMAccess = resource.Bool(true)
		case held, unknownGroups, d.doubtful(u):
			// a condition, a missing definition or membership decides
		default:
			u.Facts.Identity.VMAccess = resource.Bool(false)
		}
	}
}

// vmScope is the scope a VM's access is asked at: its resource group,
// unless an assignment sits at the VM or below it (own).
func vmScope(vm string, own bool) string {
	if i := strings.Index(vm, "/providers/"); i > 0 && !own {
		return vm[:i]
	}
	return vm
}

// stronger orders allowing results: Allowed, then Conditional, then
// Uncertain.
func stronger(a, b decision.Result) bool {
	rank := func(r decision.Result) int {
		switch r {
		case decision.Allowed:
			return 2
		case decision.Conditional:
			return 1
		}
		return 0
	}
	return rank(a) > rank(b)
}
