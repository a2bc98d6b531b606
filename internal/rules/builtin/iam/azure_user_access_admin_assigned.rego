# METADATA
# title: "User Access Administrator role is assigned at subscription or higher scope"
# description: "The User Access Administrator role, which can grant any role to anyone, is assigned at a subscription, a management group or the tenant root (for example left over from elevating a Global Administrator's access). It should be removed as soon as the change it was needed for is done."
# scope: package
# custom:
#   id: azure-user-access-admin-assigned
#   severity: HIGH
#   category: identity
#   class: iam_binding
#   providers: [azure]
#   requires: [facts.binding.role, facts.binding.scope_level]
#   applies_to:
#     facts.binding.deny: [false, null]
#   remediation: "Remove the User Access Administrator assignment (for the root scope: az role assignment delete --role \"User Access Administrator\" --scope \"/\", or turn off 'Access management for Azure resources' in Entra ID properties); use PIM for time-bound elevation."
#   frameworks:
#     cis-azure-6.0: ["5.3.3"]
#     soc2: ["CC6.3"]
#     iso27001-2022: ["A.8.2"]
#     pci-dss-4.0: ["7.2.2"]
#     hipaa: ["164.308(a)(4)"]
#     nist-800-53-r5: ["AC-6"]
#     gdpr: ["Art.32(1)(b)"]
#     nist-csf-2.0: ["PR.AA-05"]
package vigil.rules.azure_user_access_admin_assigned

# The built-in role's definition ID.
uaa_id := "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9"

broad_scopes := {"organization", "account"}

fail contains r.id if {
	some r in input.resources.iam_binding
	uaa(r.facts.binding)
	r.facts.binding.scope_level in broad_scopes
	not r.facts.binding.deny == true
}

uaa(b) if endswith(lower(b.role), uaa_id)

uaa(b) if lower(b.role_name) in {"user access administrator"}

message[r.id] := sprintf("User Access Administrator is assigned to %s at %s", [r.facts.binding.principal, r.facts.binding.scope]) if {
	some r in input.resources.iam_binding
	r.id in fail
}
