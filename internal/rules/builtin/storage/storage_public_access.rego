# METADATA
# title: "Object storage is publicly accessible"
# description: "A bucket policy, ACL or IAM binding grants anonymous (or all-authenticated-users) access to an S3 bucket, Azure storage container or GCS bucket, so anyone on the internet can read or write its data."
# scope: package
# custom:
#   id: storage-public-access
#   severity: CRITICAL
#   category: exposure
#   class: object_storage
#   providers: [aws, azure, gcp]
#   requires: [facts.storage.public_access]
#   remediation: "Remove the public grant: drop Principal \"*\" statements and AllUsers ACLs (S3), set container access level to private (Azure), remove allUsers/allAuthenticatedUsers bindings (GCS)."
#   frameworks:
#     cis-aws-7.0: ["2.21"]
#     cis-azure-6.0: ["9.3.8"]
#     cis-gcp-5.0: ["5.1"]
#     soc2: ["CC6.1", "CC6.6"]
#     iso27001-2022: ["A.5.15", "A.8.3"]
#     pci-dss-4.0: ["1.4.1", "7.2.1"]
#     hipaa: ["164.312(a)(1)"]
#     nist-800-53-r5: ["AC-3", "SC-7"]
#     gdpr: ["Art.5(1)(f)", "Art.32(1)(b)"]
#     nist-csf-2.0: ["PR.AA-05"]
package vigil.rules.storage_public_access

fail contains r.id if {
	some r in input.resources.object_storage
	r.facts.storage.public_access == true
}

message[id] := "storage grants anonymous or all-authenticated-users access" if some id in fail
