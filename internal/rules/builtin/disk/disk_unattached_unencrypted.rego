# METADATA
# title: "Unattached block disk is not encrypted"
# description: "An EBS volume attached to no instance is not encrypted: an orphaned copy of data, outside any instance's controls and often forgotten, stored in clear text. An unattached volume that is encrypted is not reported."
# scope: package
# custom:
#   id: disk-unattached-unencrypted
#   severity: MEDIUM
#   category: encryption
#   class: disk
#   providers: [aws]
#   requires: [facts.disk.attached, facts.disk.encrypted]
#   remediation: "Delete the volume if it is no longer needed (after an encrypted snapshot if its data must be kept); otherwise restore it from an encrypted snapshot and delete the unencrypted volume."
#   frameworks:
#     soc2: ["CC6.1"]
#     iso27001-2022: ["A.5.9", "A.8.24"]
#     pci-dss-4.0: ["3.5.1"]
#     nist-800-53-r5: ["CM-8", "SC-28"]
#     gdpr: ["Art.32(1)(a)"]
#     nist-csf-2.0: ["PR.DS-01"]
package vigil.rules.disk_unattached_unencrypted

# An EFS file system is a disk with its own rule (aws-efs-unencrypted).
skip contains r.id if {
	some r in input.resources.disk
	r.type == "AWS::EFS::FileSystem"
}

fail contains r.id if {
	some r in input.resources.disk
	r.type != "AWS::EFS::FileSystem"
	r.facts.disk.attached == false
	r.facts.disk.encrypted == false
}

message[id] := "volume is attached to no instance and is not encrypted" if some id in fail
