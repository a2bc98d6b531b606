# METADATA
# title: "Object storage access logging is disabled"
# description: "Server access logs (S3) or usage logs (GCS) are not delivered, so reads and writes of the bucket's objects cannot be investigated."
# scope: package
# custom:
#   id: storage-access-logging-disabled
#   severity: LOW
#   category: logging
#   class: object_storage
#   providers: [aws, gcp]
#   requires: [facts.storage.access_logging]
#   remediation: "Enable S3 server access logging to a separate log bucket / configure GCS usage and storage logs (or Data Access audit logs)."
#   frameworks:
#     soc2: ["CC7.2"]
#     iso27001-2022: ["A.8.15"]
#     pci-dss-4.0: ["10.2.1"]
#     hipaa: ["164.312(b)"]
#     nist-800-53-r5: ["AU-2", "AU-12"]
#     gdpr: ["Art.33"]
#     nist-csf-2.0: ["PR.PS-04", "DE.CM-09"]
package vigil.rules.storage_access_logging_disabled

fail contains r.id if {
	some r in input.resources.object_storage
	r.facts.storage.access_logging == false
}

message[id] := "access logging is not enabled" if some id in fail
