# METADATA
# title: "Custom role grants subscription-wide administrator rights"
# description: "A custom Azure role definition allows every action (\"*\") and is assignable at subscription (or management group) scope, creating an Owner-equivalent role outside the built-in, reviewed roles."
# scope: package
# custom:
#   id: azure-custom-owner-role
#   severity: HIGH
#   category: identity
#   class: role
#   providers: [azure]
#   requires: [facts.role.custom, facts.role.full_admin, facts.role.subscription_scope]
#   remediation: "Delete the custom role or replace its \"*\" action with the specific actions needed; use the built-in Owner role with Privileged Identity Management for administrators."
#   frameworks:
#     cis-azure-6.0: ["5.4"]
#     soc2: ["CC6.3"]
#     iso27001-2022: ["A.8.2"]
#     pci-dss-4.0: ["7.2.2"]
#     hipaa: ["164.308(a)(4)"]
#     nist-800-53-r5: ["AC-6"]
#     gdpr: ["Art.32(1)(b)"]
#     nist-csf-2.0: ["PR.AA-05"]
package vigil.rules.azure_custom_owner_role

# Role definitions are resources of class role carrying facts.role; anything
# else of the class is not a role definition.
skip contains r.id if {
	some r in input.resources.role
	not r.facts.role
}

fail contains r.id if {
	some r in input.resources.role
	r.facts.role.custom == true
	r.facts.role.full_admin == true
	r.facts.role.subscription_scope == true
}

message[id] := "custom role allows \"*\" and is assignable at subscription scope" if some id in fail
