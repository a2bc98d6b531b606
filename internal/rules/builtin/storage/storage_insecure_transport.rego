# METADATA
# title: "Object storage accepts unencrypted HTTP"
# description: "The bucket or storage account does not refuse plain-HTTP requests, so data and credentials can travel unencrypted."
# scope: package
# custom:
#   id: storage-insecure-transport
#   severity: MEDIUM
#   category: encryption
#   class: object_storage
#   providers: [aws, azure]
#   requires: [facts.storage.secure_transport_only]
#   remediation: "Add a bucket policy statement denying requests where aws:SecureTransport is false (S3) / enable 'Secure transfer required' (supportsHttpsTrafficOnly) on the storage account."
#   frameworks:
#     cis-aws-7.0: ["3.1.1"]
#     cis-azure-6.0: ["9.3.4"]
#     soc2: ["CC6.7"]
#     iso27001-2022: ["A.8.24"]
#     pci-dss-4.0: ["4.2.1"]
#     hipaa: ["164.312(e)(1)"]
#     nist-800-53-r5: ["SC-8"]
#     gdpr: ["Art.32(1)(a)"]
#     nist-csf-2.0: ["PR.DS-02"]
package vigil.rules.storage_insecure_transport

fail contains r.id if {
	some r in input.resources.object_storage
	r.facts.storage.secure_transport_only == false
}

message[id] := "plain HTTP requests are not refused" if some id in fail
