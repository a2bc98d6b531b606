# METADATA
# title: "Key Vault certificate is issued for more than 12 months"
# description: "The issuance policy of a Key Vault certificate sets a validity period above 12 months: a compromised or mis-issued certificate stays trusted longer, and public CAs no longer issue such certificates (CIS Azure 6.0 8.3.11). Read from the certificate's policy on the Key Vault data plane (x509_props.validity_months: vigil collect --azure-keyvault-certificates writes keyvaultcertificates.json; or save az keyvault certificate show -o json) and from Terraform's certificate_policy; a certificate listed without its policy is UNKNOWN."
# scope: package
# custom:
#   id: azure-keyvault-certificate-validity-long
#   severity: LOW
#   category: encryption
#   class: secret
#   providers: [azure]
#   requires: [facts.secret.validity_months]
#   remediation: "Set the certificate policy's validity to 12 months or less (az keyvault certificate set-attributes --vault-name VAULT --name CERT --policy @policy.json with x509CertificateProperties.validityInMonths 12), and renew the certificate automatically before it expires."
#   frameworks:
#     cis-azure-6.0: ["8.3.11"]
#     soc2: ["CC6.1"]
#     iso27001-2022: ["A.8.24"]
#     nist-800-53-r5: ["SC-17"]
#     nist-csf-2.0: ["PR.DS-02"]
package vigil.rules.azure_keyvault_certificate_validity_long

fail contains r.id if {
	some r in input.resources.secret
	r.facts.secret.validity_months > 12
}

message[r.id] := sprintf("the certificate policy sets a validity of %d months (at most 12)", [r.facts.secret.validity_months]) if {
	some r in input.resources.secret
	r.id in fail
}
