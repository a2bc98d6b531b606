# METADATA
# title: "Service account has administrative privileges"
# description: "A service account is granted roles/owner, roles/editor or an *Admin role at project, folder or organization level; a leaked key or compromised workload then controls the project."
# scope: package
# custom:
#   id: gcp-service-account-admin
#   severity: HIGH
#   category: identity
#   class: iam_binding
#   providers: [gcp]
#   applies_to:
#     facts.binding.principal_type: [serviceAccount]
#   requires: [facts.binding.role, facts.binding.scope_level]
#   remediation: "Replace the grant with the narrowest predefined or custom role the workload needs, on the specific resources it uses."
#   frameworks:
#     cis-gcp-5.0: ["1.6"]
#     soc2: ["CC6.3"]
#     iso27001-2022: ["A.8.2"]
#     pci-dss-4.0: ["7.2.2"]
#     nist-800-53-r5: ["AC-6"]
#     gdpr: ["Art.32(1)(b)"]
#     nist-csf-2.0: ["PR.AA-05"]
package vigil.rules.gcp_service_account_admin

broad_scopes := {"account", "organization", "folder"}

admin_role(role) if role in {"roles/owner", "roles/editor"}

admin_role(role) if endswith(lower(role), "admin")

# Grants to service accounts only (people: iam-primitive-role-broad):
# custom.applies_to gives the rule only grants whose principal_type is
# serviceAccount (the GCP importer sets it from the member's prefix).
to_service_account(r) if r.facts.binding.principal_type == "serviceAccount"

fail contains r.id if {
	some r in input.resources.iam_binding
	r.facts.binding.principal_type == "serviceAccount" # to_service_account(r), inline
	r.facts.binding.scope_level in broad_scopes
	admin_role(r.facts.binding.role) # a function call last: it costs the most
}

message[r.id] := sprintf("%s holds %s at %s scope", [r.facts.binding.principal, r.facts.binding.role, r.facts.binding.scope_level]) if {
	some r in input.resources.iam_binding
	r.id in fail
}
