# METADATA
# title: "Disk snapshot or image is not encrypted"
# description: "An EBS snapshot or AMI is not encrypted, so the disk contents it holds, and every volume or instance created from it, are stored in clear text. (Azure and GCE snapshots and images are always encrypted at rest.) AWS: EBS snapshots and AMIs come from aws ec2 describe-snapshots --owner-ids self / describe-images --owners self (region in the file name; vigil collect writes them); RDS snapshots from Config."
# scope: package
# custom:
#   id: snapshot-unencrypted
#   severity: MEDIUM
#   category: encryption
#   class: snapshot
#   providers: [aws]
#   requires: [facts.snapshot.encrypted]
#   remediation: "Copy the snapshot or AMI with encryption enabled (copy-snapshot --encrypted / copy-image --encrypted), switch users to the copy and delete the unencrypted one."
#   frameworks:
#     soc2: ["CC6.1"]
#     iso27001-2022: ["A.8.24"]
#     pci-dss-4.0: ["3.5.1"]
#     hipaa: ["164.312(a)(2)(iv)"]
#     nist-800-53-r5: ["SC-28"]
#     gdpr: ["Art.32(1)(a)"]
#     nist-csf-2.0: ["PR.DS-01"]
package vigil.rules.snapshot_unencrypted

fail contains r.id if {
	some r in input.resources.snapshot
	r.facts.snapshot.encrypted == false
}

message[id] := "snapshot is not encrypted" if some id in fail
