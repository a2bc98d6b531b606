# METADATA
# title: "Block disk is not encrypted at rest"
# description: "An EBS volume is not encrypted, so its data, its snapshots and the volumes created from them are stored in clear text. (Azure managed disks and GCE persistent disks are always encrypted at rest.)"
# scope: package
# custom:
#   id: disk-unencrypted
#   severity: MEDIUM
#   category: encryption
#   class: disk
#   providers: [aws]
#   requires: [facts.disk.encrypted]
#   remediation: "Create an encrypted snapshot of the volume (copy-snapshot --encrypted), restore it to a new encrypted volume, swap it in and delete the unencrypted one; enable EBS encryption by default in every region."
#   frameworks:
#     soc2: ["CC6.1"]
#     iso27001-2022: ["A.8.24"]
#     pci-dss-4.0: ["3.5.1"]
#     hipaa: ["164.312(a)(2)(iv)"]
#     nist-800-53-r5: ["SC-28"]
#     gdpr: ["Art.32(1)(a)"]
#     nist-csf-2.0: ["PR.DS-01"]
package vigil.rules.disk_unencrypted

# An EFS file system is a disk with its own rule (aws-efs-unencrypted).
skip contains r.id if {
	some r in input.resources.disk
	r.type == "AWS::EFS::FileSystem"
}

fail contains r.id if {
	some r in input.resources.disk
	r.type != "AWS::EFS::FileSystem"
	r.facts.disk.encrypted == false
}

message[id] := "volume is not encrypted at rest" if some id in fail
