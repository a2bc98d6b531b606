# METADATA
# title: "Disk snapshot or image is shared with another account"
# description: "An EBS snapshot or AMI is shared with (or a GCE snapshot or image granted to) an account or project outside its owner's, which can copy the full disk contents; review every such share. AWS: EBS snapshots and AMIs come from aws ec2 describe-snapshots --owner-ids self / describe-images --owners self with their describe-snapshot-attribute / describe-image-attribute outputs (region in the file name; vigil collect writes them); RDS snapshots from Config."
# scope: package
# custom:
#   id: snapshot-cross-account-shared
#   severity: MEDIUM
#   category: exposure
#   class: snapshot
#   providers: [aws, gcp]
#   requires: [facts.snapshot.cross_account]
#   remediation: "Remove the accounts that no longer need the snapshot from createVolumePermission / launchPermission (AWS) or the principals of other projects from its IAM policy (GCP); share images through an organization-wide mechanism instead."
#   frameworks:
#     soc2: ["CC6.1"]
#     iso27001-2022: ["A.5.14", "A.5.15"]
#     pci-dss-4.0: ["7.2.1"]
#     hipaa: ["164.312(a)(1)"]
#     nist-800-53-r5: ["AC-3", "AC-21"]
#     gdpr: ["Art.5(1)(f)", "Art.32(1)(b)"]
#     nist-csf-2.0: ["PR.AA-05"]
package vigil.rules.snapshot_cross_account_shared

fail contains r.id if {
	some r in input.resources.snapshot
	r.facts.snapshot.cross_account == true
}

message[r.id] := msg if {
	some r in input.resources.snapshot
	r.id in fail
	msg := shared_message(r.facts.snapshot)
}

shared_message(s) := sprintf("shared with %s", [concat(", ", s.shared_with)]) if count(s.shared_with) > 0

else := "shared with another account"
