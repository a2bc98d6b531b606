# METADATA
# title: "Entra ID user who can sign in to or control virtual machines has no multifactor authentication method"
# description: "An enabled Microsoft Entra ID user whose effective Azure RBAC permissions let it sign in to a virtual machine through Entra ID (Virtual Machine User or Administrator Login) or control one (Owner, Contributor, Virtual Machine Contributor, or a custom role writing Microsoft.Compute/virtualMachines), directly, through a group or inherited from a scope above, has not registered a multifactor authentication method: a stolen password alone reaches the machine, run commands included (CIS Azure 6.0 3.1.1, Manual). The access is computed by vigil's Azure RBAC evaluator over the inventory's role assignments and definitions (deny assignments and groups included); a grant under an ABAC condition, or an assignment to a group whose members the inventory does not hold, leaves the user UNKNOWN."
# scope: package
# custom:
#   id: azure-entra-vm-user-without-mfa
#   severity: HIGH
#   category: identity
#   class: identity
#   providers: [azure]
#   applies_to:
#     type: [microsoft.graph.user]
#     facts.identity.disabled: [false, null]
#     facts.identity.vm_access: [true, null]
#   requires: [facts.identity.vm_access, facts.identity.mfa_enabled]
#   remediation: "Have the user register a multifactor method and require MFA for sign-ins to Azure (a Conditional Access policy for the Azure Windows VM Sign-In and Azure Resource Manager applications, or security defaults), or remove the user's role assignments that grant virtual machine sign-in or control."
#   frameworks:
#     cis-azure-6.0: ["3.1.1"]
#     soc2: ["CC6.1"]
#     iso27001-2022: ["A.8.5"]
#     pci-dss-4.0: ["8.4.2"]
#     hipaa: ["164.312(d)"]
#     nist-800-53-r5: ["IA-2(1)"]
#     nist-csf-2.0: ["PR.AA-03"]
package vigil.rules.azure_entra_vm_user_without_mfa

fail contains r.id if {
	some r in input.resources.identity
	r.type == "microsoft.graph.user"
	r.facts.identity.vm_access == true
	r.facts.identity.mfa_enabled == false
	not r.facts.identity.disabled == true
}

message[id] := "can sign in to or control virtual machines and has no multifactor authentication method registered" if some id in fail
