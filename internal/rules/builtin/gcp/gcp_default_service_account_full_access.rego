# METADATA
# title: "Instance uses the default service account with full API access"
# description: "The VM runs as the Compute Engine default service account with the cloud-platform scope, giving any process on it the project-wide Editor rights of that account."
# scope: package
# custom:
#   id: gcp-default-service-account-full-access
#   severity: HIGH
#   category: identity
#   class: compute
#   providers: [gcp]
#   requires: [facts.compute.default_service_account_full_access]
#   remediation: "Attach a dedicated least-privilege service account to the instance (or at least restrict the access scopes)."
#   frameworks:
#     cis-gcp-5.0: ["4.2"]
#     soc2: ["CC6.3"]
#     iso27001-2022: ["A.8.2"]
#     pci-dss-4.0: ["7.2.2"]
#     nist-800-53-r5: ["AC-6"]
#     gdpr: ["Art.32(1)(b)"]
#     nist-csf-2.0: ["PR.AA-05"]
package vigil.rules.gcp_default_service_account_full_access

fail contains r.id if {
	some r in input.resources.compute
	r.facts.compute.default_service_account_full_access == true
}

message[id] := "the default service account is attached with the cloud-platform scope" if some id in fail
