# METADATA
# title: "Disk snapshot or image is public"
# description: "An EBS snapshot or AMI is shared with all AWS accounts, an Azure snapshot can be exported from any network, or a GCE snapshot or image is granted to allUsers / allAuthenticatedUsers: anyone can copy the disk contents, which often include credentials and data. AWS: EBS snapshots and AMIs come from aws ec2 describe-snapshots --owner-ids self / describe-images --owners self with their describe-snapshot-attribute / describe-image-attribute outputs (region in the file name; vigil collect writes them); RDS snapshots from Config."
# scope: package
# custom:
#   id: snapshot-public
#   severity: HIGH
#   category: exposure
#   class: snapshot
#   providers: [aws, azure, gcp]
#   requires: [facts.snapshot.public]
#   remediation: "Remove the public permission: drop the 'all' group from createVolumePermission / launchPermission (AWS), set networkAccessPolicy DenyAll and revoke active SAS exports (Azure), remove allUsers and allAuthenticatedUsers from the snapshot or image IAM policy (GCP)."
#   frameworks:
#     soc2: ["CC6.1", "CC6.6"]
#     iso27001-2022: ["A.5.15", "A.8.3"]
#     pci-dss-4.0: ["1.4.1", "7.2.1"]
#     hipaa: ["164.312(a)(1)"]
#     nist-800-53-r5: ["AC-3", "SC-7"]
#     gdpr: ["Art.5(1)(f)", "Art.32(1)(b)"]
#     nist-csf-2.0: ["PR.AA-05"]
package vigil.rules.snapshot_public

fail contains r.id if {
	some r in input.resources.snapshot
	r.facts.snapshot.public == true
}

message[r.id] := sprintf("%s is public", [kind(r)]) if {
	some r in input.resources.snapshot
	r.id in fail
}

kind(r) := r.facts.snapshot.kind if r.facts.snapshot.kind in {"snapshot", "image"}

else := "snapshot"
