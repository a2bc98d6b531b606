# METADATA
# title: "Disk snapshot or image is not encrypted with a customer-managed key"
# description: "An EBS snapshot or AMI, Azure snapshot or image, or GCE snapshot or image is encrypted with the provider-managed key rather than a customer-managed key, so access to its contents cannot be revoked by disabling the key. AWS: EBS snapshots come from aws ec2 describe-snapshots --owner-ids self (region in the file name; vigil collect writes them); RDS snapshots from Config."
# scope: package
# custom:
#   id: snapshot-not-customer-key
#   severity: LOW
#   category: encryption
#   class: snapshot
#   providers: [aws, azure, gcp]
#   requires: [facts.snapshot.key_manager]
#   remediation: "Re-create the snapshot or image encrypted with a customer-managed key (KMS CMK / disk encryption set / Cloud KMS key) and delete the original."
#   frameworks:
#     soc2: ["CC6.1"]
#     iso27001-2022: ["A.8.24"]
#     pci-dss-4.0: ["3.6.1"]
#     nist-800-53-r5: ["SC-12", "SC-28"]
#     gdpr: ["Art.32(1)(a)"]
#     nist-csf-2.0: ["PR.DS-01"]
package vigil.rules.snapshot_not_customer_key

fail contains r.id if {
	some r in input.resources.snapshot
	r.facts.snapshot.key_manager == "provider"
}

message[id] := "snapshot is encrypted with the provider-managed key" if some id in fail
