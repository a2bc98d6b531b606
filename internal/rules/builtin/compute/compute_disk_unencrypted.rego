# METADATA
# title: "Compute instance disks are not encrypted"
# description: "One or more disks attached to the instance are not encrypted at rest."
# scope: package
# custom:
#   id: compute-disk-unencrypted
#   severity: MEDIUM
#   category: encryption
#   class: compute
#   providers: [aws, azure, gcp]
#   requires: [facts.compute.disk_encrypted]
#   remediation: "Encrypt the volumes (EBS encryption, Azure disk encryption / encryption at host, GCE CMEK) and replace unencrypted disks."
#   frameworks:
#     soc2: ["CC6.1"]
#     iso27001-2022: ["A.8.24"]
#     pci-dss-4.0: ["3.5.1"]
#     hipaa: ["164.312(a)(2)(iv)"]
#     nist-800-53-r5: ["SC-28"]
#     gdpr: ["Art.32(1)(a)"]
#     nist-csf-2.0: ["PR.DS-01"]
package vigil.rules.compute_disk_unencrypted

fail contains r.id if {
	some r in input.resources.compute
	r.facts.compute.disk_encrypted == false
}

message[id] := "an attached disk is not encrypted" if some id in fail
