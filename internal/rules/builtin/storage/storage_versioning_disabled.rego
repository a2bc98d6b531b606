# METADATA
# title: "Object storage versioning is disabled"
# description: "Without object versioning an overwritten or deleted object cannot be recovered, which turns mistakes and ransomware into data loss."
# scope: package
# custom:
#   id: storage-versioning-disabled
#   severity: LOW
#   category: resilience
#   class: object_storage
#   providers: [aws, azure, gcp]
#   requires: [facts.storage.versioning]
#   remediation: "Enable bucket versioning (S3, GCS) / blob versioning on the storage account (Azure)."
#   frameworks:
#     cis-azure-6.0: ["9.2.3"]
#     soc2: ["A1.2"]
#     iso27001-2022: ["A.8.13"]
#     hipaa: ["164.308(a)(7)(ii)(A)"]
#     nist-800-53-r5: ["CP-9"]
#     gdpr: ["Art.32(1)(c)"]
#     nist-csf-2.0: ["PR.DS-11"]
package vigil.rules.storage_versioning_disabled

fail contains r.id if {
	some r in input.resources.object_storage
	r.facts.storage.versioning == false
}

message[id] := "object versioning is disabled" if some id in fail
