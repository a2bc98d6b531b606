# METADATA
# title: "Object storage is not encrypted at rest"
# description: "The bucket or storage account has no server-side encryption configured, so stored objects are not protected by encryption at rest."
# scope: package
# custom:
#   id: storage-unencrypted
#   severity: HIGH
#   category: encryption
#   class: object_storage
#   providers: [aws, azure, gcp]
#   requires: [facts.storage.encrypted]
#   remediation: "Enable default server-side encryption (SSE-S3 or SSE-KMS / Azure Storage Service Encryption / Google-managed or CMEK encryption)."
#   frameworks:
#     soc2: ["CC6.1"]
#     iso27001-2022: ["A.8.24"]
#     pci-dss-4.0: ["3.5.1"]
#     hipaa: ["164.312(a)(2)(iv)"]
#     nist-800-53-r5: ["SC-28"]
#     gdpr: ["Art.32(1)(a)"]
#     nist-csf-2.0: ["PR.DS-01"]
package vigil.rules.storage_unencrypted

fail contains r.id if {
	some r in input.resources.object_storage
	r.facts.storage.encrypted == false
}

message[id] := "server-side encryption at rest is not enabled" if some id in fail
