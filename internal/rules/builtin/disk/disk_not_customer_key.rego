# METADATA
# title: "Block disk is not encrypted with a customer-managed key"
# description: "An EBS volume, Azure managed disk or GCE persistent disk is encrypted with the cloud provider's own key rather than a customer-managed key (KMS CMK, disk encryption set, Cloud KMS CMEK), so its encryption cannot be audited, rotated on your schedule or revoked."
# scope: package
# custom:
#   id: disk-not-customer-key
#   severity: LOW
#   category: encryption
#   class: disk
#   providers: [aws, azure, gcp]
#   requires: [facts.disk.key_manager]
#   remediation: "Encrypt the disk with a customer-managed key: a KMS customer managed key (EBS, by restoring from a re-encrypted snapshot), a disk encryption set (Azure), a Cloud KMS key (GCE, by re-creating the disk from a snapshot with CMEK)."
#   frameworks:
#     soc2: ["CC6.1"]
#     iso27001-2022: ["A.8.24"]
#     pci-dss-4.0: ["3.6.1"]
#     nist-800-53-r5: ["SC-12", "SC-28"]
#     gdpr: ["Art.32(1)(a)"]
#     nist-csf-2.0: ["PR.DS-01"]
package vigil.rules.disk_not_customer_key

# An EFS file system is a disk with its own rule (aws-efs-unencrypted).
skip contains r.id if {
	some r in input.resources.disk
	r.type == "AWS::EFS::FileSystem"
}

fail contains r.id if {
	some r in input.resources.disk
	r.type != "AWS::EFS::FileSystem"
	r.facts.disk.key_manager == "provider"
}

message[id] := "disk is encrypted with the provider-managed key" if some id in fail
