# METADATA
# title: "Role granted to the public"
# description: "An IAM binding grants a role to allUsers / allAuthenticatedUsers (or everyone), giving anyone on the internet the role's permissions on the scope."
# scope: package
# custom:
#   id: iam-public-binding
#   severity: CRITICAL
#   category: exposure
#   class: iam_binding
#   providers: [azure, gcp]
#   requires: [facts.binding.public]
#   remediation: "Remove the binding for allUsers / allAuthenticatedUsers and grant the role to specific principals."
#   frameworks:
#     soc2: ["CC6.1"]
#     iso27001-2022: ["A.5.15", "A.8.3"]
#     pci-dss-4.0: ["7.2.1"]
#     hipaa: ["164.312(a)(1)"]
#     nist-800-53-r5: ["AC-3", "AC-6"]
#     gdpr: ["Art.5(1)(f)", "Art.32(1)(b)"]
#     nist-csf-2.0: ["PR.AA-05"]
package vigil.rules.iam_public_binding

fail contains r.id if {
	some r in input.resources.iam_binding
	r.facts.binding.public == true
}

message[id] := "a role is granted to allUsers / allAuthenticatedUsers" if some id in fail
