# METADATA
# title: "No custom role for administering resource locks"
# description: "No custom role assignable at the subscription (or the root) allows Microsoft.Authorization/locks/* (or the locks' write and delete actions), so only Owners and User Access Administrators can add or remove resource locks, and whoever must maintain locks gets far more than that. Known when the input holds role definitions (AuthorizationResources); a custom role assignable only at a management group leaves it UNKNOWN."
# scope: package
# custom:
#   id: azure-resource-lock-admin-role-missing
#   severity: LOW
#   category: identity
#   class: account
#   providers: [azure]
#   requires: [facts.account.cis.lock_admin_role]
#   remediation: "Create a custom role 'Resource Lock Administrator' with the actions Microsoft.Authorization/locks/* (az role definition create) assignable at the subscription, and assign it to those who manage locks instead of Owner."
#   frameworks:
#     cis-azure-6.0: ["5.5"]
#     soc2: ["CC6.3"]
#     iso27001-2022: ["A.5.15"]
#     nist-800-53-r5: ["AC-6"]
#     nist-csf-2.0: ["PR.AA-05"]
package vigil.rules.azure_resource_lock_admin_role_missing

fail contains r.id if {
	some r in input.resources.account
	r.facts.account.cis.lock_admin_role == false
}

message[id] := "no custom role assignable at the subscription administers resource locks" if some id in fail
