# METADATA
# title: "Bucket uniform bucket-level access is disabled"
# description: "The bucket still honours per-object ACLs, which are hard to audit and can expose single objects."
# scope: package
# custom:
#   id: gcp-bucket-uniform-access-disabled
#   severity: MEDIUM
#   category: identity
#   class: object_storage
#   providers: [gcp]
#   requires: [facts.storage.uniform_access]
#   remediation: "Enable uniform bucket-level access on the bucket (gcloud storage buckets update --uniform-bucket-level-access)."
#   frameworks:
#     cis-gcp-5.0: ["5.2"]
#     soc2: ["CC6.1"]
#     iso27001-2022: ["A.5.15"]
#     pci-dss-4.0: ["7.2.1"]
#     nist-800-53-r5: ["AC-3"]
#     gdpr: ["Art.32(1)(b)"]
#     nist-csf-2.0: ["PR.AA-05"]
package vigil.rules.gcp_bucket_uniform_access_disabled

fail contains r.id if {
	some r in input.resources.object_storage
	r.facts.storage.uniform_access == false
}

message[id] := "uniform bucket-level access is disabled" if some id in fail
