# METADATA
# title: "Encryption key is not rotated automatically"
# description: "A customer-managed symmetric KMS key (AWS), Key Vault key (Azure) or Cloud KMS key (GCP) has no automatic rotation, or rotates less often than yearly (every 90 days for GCP, per CIS), so a compromised key version stays in use. AWS: AWS Config does not record rotation: it is read from aws kms get-key-rotation-status --key-id ID, one file per key (vigil collect writes them); without it a key is UNKNOWN."
# scope: package
# custom:
#   id: key-rotation-disabled
#   severity: MEDIUM
#   category: encryption
#   class: key
#   providers: [aws, azure, gcp]
#   requires: [facts.key.customer_managed, facts.key.rotation_enabled]
#   remediation: "Enable automatic rotation: aws kms enable-key-rotation (365 days or less) / a Key Vault key rotation policy / a Cloud KMS rotation period of 90 days or less."
#   frameworks:
#     cis-aws-7.0: ["4.6"]
#     cis-azure-6.0: ["8.3.9"]
#     cis-gcp-5.0: ["1.11"]
#     soc2: ["CC6.1"]
#     iso27001-2022: ["A.8.24"]
#     pci-dss-4.0: ["3.7.4"]
#     nist-800-53-r5: ["SC-12"]
#     gdpr: ["Art.32(1)(a)"]
#     nist-csf-2.0: ["PR.DS-01"]
package vigil.rules.key_rotation_disabled

# The rule is written as comparisons of facts with constants only, one body
# per cloud, which the engine evaluates in Go (docs/rules.md).

# Longest acceptable rotation period per provider (CIS GCP 1.11 asks for 90 days).
max_period_days := {"aws": 365, "azure": 365, "gcp": 90}

# Keys the rule is not about: AWS-managed keys, disabled keys, and for AWS
# and GCP asymmetric keys (only symmetric keys rotate automatically there;
# Key Vault rotation policies cover RSA and EC keys too).
skip contains r.id if {
	some r in input.resources.key
	r.facts.key.customer_managed == false
}

skip contains r.id if {
	some r in input.resources.key
	r.facts.key.enabled == false
}

skip contains r.id if {
	some r in input.resources.key
	r.provider == "aws"
	r.facts.key.symmetric == false
}

skip contains r.id if {
	some r in input.resources.key
	r.provider == "gcp"
	r.facts.key.symmetric == false
}

# A key fails when it is in scope (none of the skip conditions) and its
# rotation is disabled or its period too long. AWS keys must be known to be
# customer managed (AWS rotates its own keys); requires makes the others
# UNKNOWN.
fail contains r.id if {
	some r in input.resources.key
	r.facts.key.rotation_enabled == false
	r.provider == "aws"
	r.facts.key.customer_managed == true
	not r.facts.key.enabled == false
	not r.facts.key.symmetric == false
}

fail contains r.id if {
	some r in input.resources.key
	r.facts.key.rotation_enabled == false
	r.provider == "gcp"
	not r.facts.key.customer_managed == false
	not r.facts.key.enabled == false
	not r.facts.key.symmetric == false
}

fail contains r.id if {
	some r in input.resources.key
	r.facts.key.rotation_enabled == false
	r.provider == "azure"
	not r.facts.key.customer_managed == false
	not r.facts.key.enabled == false
}

fail contains r.id if {
	some r in input.resources.key
	r.facts.key.rotation_period_days > 365 # max_period_days.aws
	r.provider == "aws"
	r.facts.key.customer_managed == true
	not r.facts.key.enabled == false
	not r.facts.key.symmetric == false
}

fail contains r.id if {
	some r in input.resources.key
	r.facts.key.rotation_period_days > 90 # max_period_days.gcp
	r.provider == "gcp"
	not r.facts.key.customer_managed == false
	not r.facts.key.enabled == false
	not r.facts.key.symmetric == false
}

fail contains r.id if {
	some r in input.resources.key
	r.facts.key.rotation_period_days > 365 # max_period_days.azure
	r.provider == "azure"
	not r.facts.key.customer_managed == false
	not r.facts.key.enabled == false
}

message[r.id] := "automatic rotation is disabled" if {
	some r in input.resources.key
	r.id in fail
	r.facts.key.rotation_enabled == false
}

message[r.id] := sprintf("rotation period is %d days (maximum %d)", [r.facts.key.rotation_period_days, max_period_days[r.provider]]) if {
	some r in input.resources.key
	r.id in fail
	not r.facts.key.rotation_enabled == false
}
