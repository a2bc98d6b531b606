# METADATA
# title: "Public access to object storage is not blocked"
# description: "No account- or bucket-level guard prevents public access (S3 Block Public Access, Azure allowBlobPublicAccess=false, GCS public access prevention), so a single mistaken ACL or policy can expose the data."
# scope: package
# custom:
#   id: storage-public-access-not-blocked
#   severity: MEDIUM
#   category: exposure
#   class: object_storage
#   providers: [aws, azure, gcp]
#   requires: [facts.storage.public_access_blocked]
#   remediation: "Enable all four S3 Block Public Access settings / set allowBlobPublicAccess to false on the storage account / set publicAccessPrevention to enforced on the bucket."
#   frameworks:
#     cis-aws-7.0: ["3.1.4"]
#     cis-azure-6.0: ["9.3.8"]
#     soc2: ["CC6.1"]
#     iso27001-2022: ["A.8.3"]
#     pci-dss-4.0: ["1.4.1"]
#     hipaa: ["164.312(a)(1)"]
#     nist-800-53-r5: ["AC-3", "AC-6"]
#     gdpr: ["Art.5(1)(f)", "Art.25", "Art.32(1)(b)"]
#     nist-csf-2.0: ["PR.AA-05"]
package vigil.rules.storage_public_access_not_blocked

fail contains r.id if {
	some r in input.resources.object_storage
	r.facts.storage.public_access_blocked == false
}

message[id] := "no public access block / prevention is enforced" if some id in fail
