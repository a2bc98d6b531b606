# METADATA
# title: "Instance accepts project-wide SSH keys"
# description: "The instance's metadata does not set block-project-ssh-keys to true, so every SSH key in the project's metadata can log in to it: one leaked project key opens every such instance."
# scope: package
# custom:
#   id: gcp-instance-project-ssh-keys-allowed
#   severity: MEDIUM
#   category: identity
#   class: compute
#   providers: [gcp]
#   requires: [facts.compute.block_project_ssh_keys]
#   remediation: "Set the metadata key block-project-ssh-keys to TRUE on the instance (gcloud compute instances add-metadata INSTANCE --metadata=block-project-ssh-keys=TRUE), or use OS Login."
#   frameworks:
#     cis-gcp-5.0: ["4.3"]
#     soc2: ["CC6.1"]
#     iso27001-2022: ["A.5.17"]
#     nist-800-53-r5: ["AC-2", "IA-5"]
#     gdpr: ["Art.32(1)(b)"]
#     nist-csf-2.0: ["PR.AA-01"]
package vigil.rules.gcp_instance_project_ssh_keys_allowed

fail contains r.id if {
	some r in input.resources.compute
	r.facts.compute.block_project_ssh_keys == false
}

message[id] := "block-project-ssh-keys is not set to true: project-wide SSH keys can log in" if some id in fail
