# METADATA
# title: "EFS file system is not encrypted at rest"
# description: "The Amazon EFS file system was created without encryption at rest (Encrypted false): its files and metadata are stored in clear text. Encryption can only be chosen when the file system is created."
# scope: package
# custom:
#   id: aws-efs-unencrypted
#   severity: MEDIUM
#   category: encryption
#   class: disk
#   providers: [aws]
#   applies_to:
#     type: [AWS::EFS::FileSystem]
#   requires: [facts.disk.encrypted]
#   remediation: "Create an encrypted file system (aws efs create-file-system --encrypted [--kms-key-id KEY]), copy the data with AWS DataSync, move the mount targets and delete the unencrypted one."
#   frameworks:
#     cis-aws-7.0: ["3.3.1"]
#     soc2: ["CC6.1"]
#     iso27001-2022: ["A.8.24"]
#     pci-dss-4.0: ["3.5.1"]
#     hipaa: ["164.312(a)(2)(iv)"]
#     nist-800-53-r5: ["SC-28"]
#     gdpr: ["Art.32(1)(a)"]
#     nist-csf-2.0: ["PR.DS-01"]
package vigil.rules.aws_efs_unencrypted

fail contains r.id if {
	some r in input.resources.disk
	r.type == "AWS::EFS::FileSystem"
	r.facts.disk.encrypted == false
}

message[id] := "file system is not encrypted at rest" if some id in fail
