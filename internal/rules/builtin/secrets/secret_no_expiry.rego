# METADATA
# title: "Key Vault secret has no expiration date"
# description: "An enabled Azure Key Vault secret has no expiration date, so a credential can stay valid indefinitely and nothing prompts its rotation. Key Vault certificates (whose expiry is the certificate's) are not judged; the secret Key Vault keeps for a certificate expires with it."
# scope: package
# custom:
#   id: secret-no-expiry
#   severity: MEDIUM
#   category: identity
#   class: secret
#   providers: [azure]
#   applies_to:
#     type: [Microsoft.KeyVault/vaults/secrets]
#   requires: [facts.secret.expiry_set]
#   remediation: "Set an expiration date on the secret (az keyvault secret set-attributes --expires) and rotate it before it expires; use Event Grid near-expiry events to automate rotation."
#   frameworks:
#     cis-azure-6.0: ["8.3.3", "8.3.4"]
#     soc2: ["CC6.1"]
#     iso27001-2022: ["A.5.17"]
#     pci-dss-4.0: ["8.6.3"]
#     nist-800-53-r5: ["IA-5"]
#     gdpr: ["Art.32(1)(b)"]
#     nist-csf-2.0: ["PR.AA-01"]
package vigil.rules.secret_no_expiry

# Key Vault secrets only (custom.applies_to): certificates expire as the certificate does.
fail contains r.id if {
	some r in input.resources.secret
	r.type == "Microsoft.KeyVault/vaults/secrets"
	r.facts.secret.expiry_set == false
	not r.facts.secret.enabled == false
}

message[id] := "the secret has no expiration date" if some id in fail
