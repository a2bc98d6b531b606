# METADATA
# title: "Disabled Entra ID user still holds Azure roles"
# description: "A Microsoft Entra ID user whose account is disabled (accountEnabled false) is still assigned an Azure RBAC role (read, write or owner permissions on a management group, subscription, resource group or resource), directly or through a group it is a direct member of: re-enabling the account, by mistake or by someone holding User Administrator, restores its access at once. Known when the inventory holds the tenant's users and Azure role assignments (Resource Graph authorizationresources)."
# scope: package
# custom:
#   id: azure-disabled-user-has-rbac-role
#   severity: MEDIUM
#   category: identity
#   class: identity
#   providers: [azure]
#   applies_to:
#     type: [microsoft.graph.user]
#     facts.identity.disabled: [true]
#   requires: [facts.identity.disabled, facts.identity.azure_roles]
#   remediation: "Remove the disabled user's Azure role assignments (and its memberships in groups that hold roles), or delete the account; check disabled accounts' access as part of offboarding."
#   frameworks:
#     cis-azure-6.0: ["5.3.5"]
#     soc2: ["CC6.2", "CC6.3"]
#     iso27001-2022: ["A.5.18"]
#     pci-dss-4.0: ["8.2"]
#     nist-800-53-r5: ["AC-2"]
#     nist-csf-2.0: ["PR.AA-05"]
package vigil.rules.azure_disabled_user_has_rbac_role

fail contains r.id if {
	some r in input.resources.identity
	r.type == "microsoft.graph.user"
	r.facts.identity.disabled == true
	r.facts.identity.azure_roles == true
}

message[id] := "the account is disabled but still holds Azure roles (directly or through a group)" if some id in fail
