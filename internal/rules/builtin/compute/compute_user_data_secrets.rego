# METADATA
# title: "Instance boot script holds a credential in the clear"
# description: "The user data of the EC2 instance, the custom data of the Azure VM or the startup script of the GCE instance assigns a password, token or key in the clear, or embeds an AWS access key or a private key. Anyone who can read the instance's metadata (any process on it, and the cloud API) reads the secret."
# scope: package
# custom:
#   id: compute-user-data-secrets
#   severity: HIGH
#   category: identity
#   class: compute
#   providers: [aws, azure, gcp]
#   requires: [facts.compute.user_data_secrets]
#   remediation: "Remove the secret from the boot script: read it at boot from AWS Secrets Manager / SSM Parameter Store, Azure Key Vault or Secret Manager with the instance's own identity, and rotate the exposed credential."
#   frameworks:
#     soc2: ["CC6.1"]
#     iso27001-2022: ["A.5.17", "A.8.24"]
#     pci-dss-4.0: ["8.3.2"]
#     nist-800-53-r5: ["IA-5(7)", "SC-28"]
#     gdpr: ["Art.32(1)(b)"]
#     nist-csf-2.0: ["PR.AA-01"]
package vigil.rules.compute_user_data_secrets

fail contains r.id if {
	some r in input.resources.compute
	r.facts.compute.user_data_secrets == true
}

# One message, the names when the facts list some: the engine computes it on
# the Go fields (a function with else is a choice of texts there).
message[r.id] := secret_message(r) if {
	some r in input.resources.compute
	r.id in fail
}

secret_message(r) := sprintf("the boot script assigns %s in the clear", [concat(", ", r.facts.compute.user_data_secret_names)]) if {
	count(object.get(r.facts.compute, "user_data_secret_names", [])) > 0
} else := "the boot script holds a credential in the clear"
