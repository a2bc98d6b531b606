# METADATA
# title: "Audit logs are delivered to a publicly accessible bucket"
# description: "The trail, diagnostic setting or log sink writes its audit logs to a storage bucket that is open to the public: anyone can read who did what in the account, and, where writes are open too, alter the evidence."
# scope: package
# custom:
#   id: audit-log-destination-public
#   severity: HIGH
#   category: logging
#   class: audit_log
#   providers: [aws, azure, gcp]
#   requires: [facts.audit_log.destination_public]
#   remediation: "Block public access on the log bucket (S3 Block Public Access and a bucket policy without a public principal, storage account public blob access off, GCS public access prevention enforced) and grant read access to the security team only."
#   frameworks:
#     soc2: ["CC7.2"]
#     iso27001-2022: ["A.8.15"]
#     pci-dss-4.0: ["10.3", "10.3.2"]
#     hipaa: ["164.312(b)"]
#     nist-800-53-r5: ["AU-9"]
#     gdpr: ["Art.32(1)(b)"]
#     nist-csf-2.0: ["PR.PS-04"]
package vigil.rules.audit_log_destination_public

fail contains r.id if {
	some r in input.resources.audit_log
	r.facts.audit_log.destination_public == true
}

message[r.id] := sprintf("audit logs are delivered to %s, which is publicly accessible", [r.facts.audit_log.destination]) if {
	some r in input.resources.audit_log
	r.id in fail
}
