# METADATA
# title: "Primitive role granted to people at subscription, project or organization scope"
# description: "A user or group holds a primitive role (GCP roles/owner or roles/editor, Azure Owner or Contributor) on a whole subscription, project or organization, instead of narrower predefined roles."
# scope: package
# custom:
#   id: iam-primitive-role-broad
#   severity: HIGH
#   category: identity
#   class: iam_binding
#   providers: [azure, gcp]
#   requires: [facts.binding.primitive, facts.binding.principal_type, facts.binding.scope_level]
#   remediation: "Replace the basic/Owner grant with least-privilege predefined roles on the narrowest scope, granted to groups and reviewed regularly; keep subscription Owners to a small break-glass set."
#   frameworks:
#     soc2: ["CC6.3"]
#     iso27001-2022: ["A.5.15", "A.8.2"]
#     pci-dss-4.0: ["7.2.2"]
#     hipaa: ["164.308(a)(4)"]
#     nist-800-53-r5: ["AC-6"]
#     gdpr: ["Art.32(1)(b)"]
#     nist-csf-2.0: ["PR.AA-05"]
package vigil.rules.iam_primitive_role_broad

import data.vigil.lib.principal

broad_scopes := {"account", "organization"}

fail contains r.id if {
	some r in input.resources.iam_binding
	r.facts.binding.primitive == true
	r.facts.binding.scope_level in broad_scopes
	principal.person(r.facts.binding) # a function call last: it costs the most
}

message[r.id] := sprintf("%s is granted to %s at %s scope", [role, r.facts.binding.principal, r.facts.binding.scope_level]) if {
	some r in input.resources.iam_binding
	r.id in fail
	role := object.get(r.facts.binding, "role_name", r.facts.binding.role)
}
