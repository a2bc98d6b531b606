# METADATA
# title: "Service Account User or Token Creator granted to people at project level or above"
# description: "A user, group or domain holds roles/iam.serviceAccountUser or roles/iam.serviceAccountTokenCreator on a whole project, folder or organization, so it can act as every service account there, including ones with far more rights than its own."
# scope: package
# custom:
#   id: gcp-service-account-role-to-users
#   severity: MEDIUM
#   category: identity
#   class: iam_binding
#   providers: [gcp]
#   requires: [facts.binding.role, facts.binding.principal, facts.binding.scope_level]
#   remediation: "Remove the project-level grant and grant the role on the specific service accounts the person needs to use."
#   frameworks:
#     cis-gcp-5.0: ["1.7"]
#     soc2: ["CC6.3"]
#     iso27001-2022: ["A.8.2"]
#     pci-dss-4.0: ["7.2.2"]
#     hipaa: ["164.308(a)(4)"]
#     nist-800-53-r5: ["AC-6"]
#     gdpr: ["Art.32(1)(b)"]
#     nist-csf-2.0: ["PR.AA-05"]
package vigil.rules.gcp_service_account_role_to_users

import data.vigil.lib.principal

impersonation_roles := {"roles/iam.serviceAccountUser", "roles/iam.serviceAccountTokenCreator"}

broad_scopes := {"account", "folder", "organization"}

fail contains r.id if {
	some r in input.resources.iam_binding
	r.facts.binding.role in impersonation_roles
	r.facts.binding.scope_level in broad_scopes
	principal.person(r.facts.binding)
}

message[r.id] := sprintf("%s holds %s on %s", [r.facts.binding.principal, r.facts.binding.role, r.facts.binding.scope]) if {
	some r in input.resources.iam_binding
	r.id in fail
}
