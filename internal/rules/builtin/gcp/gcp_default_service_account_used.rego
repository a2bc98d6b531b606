# METADATA
# title: "Instance uses the default compute service account"
# description: "The VM runs as the Compute Engine default service account, which holds the Editor role on the project by default."
# scope: package
# custom:
#   id: gcp-default-service-account-used
#   severity: MEDIUM
#   category: identity
#   class: compute
#   providers: [gcp]
#   requires: [facts.compute.default_service_account]
#   remediation: "Create a dedicated service account with only the roles the workload needs and attach it to the instance."
#   frameworks:
#     cis-gcp-5.0: ["4.1"]
#     soc2: ["CC6.3"]
#     iso27001-2022: ["A.8.2"]
#     pci-dss-4.0: ["7.2.2"]
#     nist-800-53-r5: ["AC-6"]
#     gdpr: ["Art.32(1)(b)"]
#     nist-csf-2.0: ["PR.AA-05"]
package vigil.rules.gcp_default_service_account_used

fail contains r.id if {
	some r in input.resources.compute
	r.facts.compute.default_service_account == true
}

message[id] := "the Compute Engine default service account is attached" if some id in fail
