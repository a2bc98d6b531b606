# METADATA
# title: "A member holds both Cloud KMS Admin and a Cloud KMS encrypt or decrypt role"
# description: "The same member is granted roles/cloudkms.admin and roles/cloudkms.cryptoKeyEncrypterDecrypter, cryptoKeyEncrypter or cryptoKeyDecrypter on the same project, folder or organization: whoever manages the keys (and their IAM policies) can also use them to read the data they protect. Every binding of the pair fails."
# scope: package
# custom:
#   id: gcp-iam-kms-duties-not-separated
#   severity: MEDIUM
#   category: identity
#   class: iam_binding
#   providers: [gcp]
#   applies_to:
#     facts.binding.role: [roles/cloudkms.admin, roles/cloudkms.cryptoKeyEncrypterDecrypter, roles/cloudkms.cryptoKeyEncrypter, roles/cloudkms.cryptoKeyDecrypter, null]
#   requires: [facts.binding.role]
#   remediation: "Grant Cloud KMS Admin and the CryptoKey Encrypter/Decrypter roles to different people, groups or service accounts: remove one of them from the member."
#   frameworks:
#     cis-gcp-5.0: ["1.12"]
#     soc2: ["CC6.3"]
#     iso27001-2022: ["A.5.3"]
#     pci-dss-4.0: ["3.6.1"]
#     nist-800-53-r5: ["AC-5"]
#     nist-csf-2.0: ["PR.AA-05"]
package vigil.rules.gcp_iam_kms_duties_not_separated

admin := "roles/cloudkms.admin"

users := {"roles/cloudkms.cryptoKeyEncrypterDecrypter", "roles/cloudkms.cryptoKeyEncrypter", "roles/cloudkms.cryptoKeyDecrypter"}

# admins and key_users: the [scope, member] pairs holding each side.
admins contains [b.facts.binding.scope, b.facts.binding.principal] if {
	some b in input.resources.iam_binding
	b.facts.binding.role == admin
}

key_users contains [b.facts.binding.scope, b.facts.binding.principal] if {
	some b in input.resources.iam_binding
	b.facts.binding.role in users
}

fail contains r.id if {
	some r in input.resources.iam_binding
	r.facts.binding.role == admin
	[r.facts.binding.scope, r.facts.binding.principal] in key_users
}

fail contains r.id if {
	some r in input.resources.iam_binding
	r.facts.binding.role in users
	[r.facts.binding.scope, r.facts.binding.principal] in admins
}

message[r.id] := sprintf("%s holds both Cloud KMS Admin and a key encrypt/decrypt role on the same scope", [r.facts.binding.principal]) if {
	some r in input.resources.iam_binding
	r.id in fail
}
