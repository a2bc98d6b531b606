# METADATA
# title: "Secret has not been changed for more than 90 days"
# description: "The value of an enabled Secrets Manager, Key Vault or Secret Manager secret was last rotated or updated more than 90 days before the scan, so a leaked copy of it is still valid. AWS: the last rotation comes from aws secretsmanager describe-secret output (vigil collect writes it). Key Vault certificates, and the secret Key Vault keeps for a certificate the input holds (same vault and name), are renewed by the certificate's policy and not judged here (azure-keyvault-certificate-validity-long)."
# scope: package
# custom:
#   id: secret-not-rotated
#   severity: LOW
#   category: identity
#   class: secret
#   providers: [aws, azure, gcp]
#   applies_to:
#     type: [AWS::SecretsManager::Secret, Microsoft.KeyVault/vaults/secrets, secretmanager.googleapis.com/Secret]
#     facts.secret.certificate_backed: [false, null]
#   requires: [facts.secret.last_rotated]
#   remediation: "Rotate the secret (and the credential it holds at its source), and automate rotation on a schedule of 90 days or less."
#   frameworks:
#     soc2: ["CC6.1"]
#     iso27001-2022: ["A.5.17"]
#     pci-dss-4.0: ["8.6.3"]
#     nist-800-53-r5: ["IA-5"]
#     gdpr: ["Art.32(1)(b)"]
#     nist-csf-2.0: ["PR.AA-01"]
package vigil.rules.secret_not_rotated

import data.vigil.lib.time

max_age_days := 90

# Secrets only (custom.applies_to): not Key Vault certificates, nor the secret Key Vault keeps for one.
fail contains r.id if {
	some r in input.resources.secret
	r.type in {"AWS::SecretsManager::Secret", "Microsoft.KeyVault/vaults/secrets", "secretmanager.googleapis.com/Secret"}
	not r.facts.secret.certificate_backed == true
	not r.facts.secret.enabled == false
	time.older_than(r.facts.secret.last_rotated, max_age_days)
}

message[r.id] := sprintf("last rotated %d days ago", [time.age_days(r.facts.secret.last_rotated)]) if {
	some r in input.resources.secret
	r.id in fail
}
