# METADATA
# title: "Key Vault key has no expiration date"
# description: "A Key Vault key has no expiration date set, so it can stay in use indefinitely instead of being rotated."
# scope: package
# custom:
#   id: azure-key-no-expiry
#   severity: MEDIUM
#   category: encryption
#   class: key
#   providers: [azure]
#   requires: [facts.key.expires]
#   remediation: "Set an expiration date on the key (and a rotation policy that renews it before expiry)."
#   frameworks:
#     cis-azure-6.0: ["8.3.1", "8.3.2"]
#     soc2: ["CC6.1"]
#     iso27001-2022: ["A.8.24"]
#     pci-dss-4.0: ["3.7.4"]
#     nist-800-53-r5: ["SC-12"]
#     gdpr: ["Art.32(1)(a)"]
#     nist-csf-2.0: ["PR.DS-01"]
package vigil.rules.azure_key_no_expiry

# The export shows the key's attributes when it carries its enabled flag;
# only then does a missing expiry mean "no expiry". Without either the key is
# UNKNOWN (custom.requires: facts.key.expires). An empty expires is absent
# (not r.facts.key.expires).
fail contains r.id if {
	some r in input.resources.key
	r.facts.key.enabled in {true, false}
	not r.facts.key.expires
}

message[id] := "the key has no expiration date" if some id in fail
