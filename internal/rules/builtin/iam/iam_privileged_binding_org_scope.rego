# METADATA
# title: "Full-administrator role granted at organization, folder or management-group scope"
# description: "A full-administrator role (Owner, roles/owner, User Access Administrator and the like) is granted at the tenant root, a management group, a GCP organization or a folder, so it reaches every subscription or project below it, including ones created later."
# scope: package
# custom:
#   id: iam-privileged-binding-org-scope
#   severity: HIGH
#   category: identity
#   class: iam_binding
#   providers: [azure, gcp]
#   requires: [facts.binding.privileged, facts.binding.scope_level]
#   remediation: "Grant administrator roles on the individual subscriptions or projects that need them, keep organization-level administrators to a break-glass set with just-in-time activation (PIM), and review these grants regularly."
#   frameworks:
#     soc2: ["CC6.3"]
#     iso27001-2022: ["A.8.2"]
#     pci-dss-4.0: ["7.2.2"]
#     hipaa: ["164.308(a)(4)"]
#     nist-800-53-r5: ["AC-6"]
#     gdpr: ["Art.32(1)(b)"]
#     nist-csf-2.0: ["PR.AA-05"]
package vigil.rules.iam_privileged_binding_org_scope

fail contains r.id if {
	some r in input.resources.iam_binding
	r.facts.binding.privileged == true
	r.facts.binding.scope_level == "organization"
	not r.facts.binding.deny == true
}

fail contains r.id if {
	some r in input.resources.iam_binding
	r.facts.binding.privileged == true
	r.facts.binding.scope_level == "folder"
	not r.facts.binding.deny == true
}

message[r.id] := sprintf("%s is granted to %s at %s scope %s", [role, r.facts.binding.principal, r.facts.binding.scope_level, r.facts.binding.scope]) if {
	some r in input.resources.iam_binding
	r.id in fail
	role := object.get(r.facts.binding, "role_name", r.facts.binding.role)
}
