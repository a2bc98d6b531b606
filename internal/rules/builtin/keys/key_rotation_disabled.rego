# METADATA
# title: "Encryption key is not rotated automatically"
# description: "A customer-managed symmetric KMS key (AWS), Key Vault key (Azure) or Cloud KMS key (GCP) has no automatic rotation, or rotates less often than yearly (every 90 days for GCP, per CIS), so a compromised key version stays in use."
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
package vigil.rules.key_rotation_disabled

# Longest acceptable rotation period per provider (CIS GCP 1.11 asks for 90 days).
max_period_days := {"aws": 365, "azure": 365, "gcp": 90}

# Keys the rule is about: not AWS-managed, not disabled, and for AWS and GCP
# not asymmetric (only symmetric keys rotate automatically there; Key Vault
# rotation policies cover RSA and EC keys too).
out_of_scope(r) if r.facts.key.customer_managed == false

out_of_scope(r) if r.facts.key.enabled == false

out_of_scope(r) if {
	r.provider in {"aws", "gcp"}
	r.facts.key.symmetric == false
}

skip contains r.id if {
	some r in input.resources.key
	out_of_scope(r)
}

# AWS keys must be known to be customer managed (AWS rotates its own keys);
# requires makes the others UNKNOWN.
decidable(r) if r.provider != "aws"

decidable(r) if r.facts.key.customer_managed == true

period_too_long(r) if {
	is_number(r.facts.key.rotation_period_days)
	r.facts.key.rotation_period_days > max_period_days[r.provider]
}

fail contains r.id if {
	some r in input.resources.key
	not out_of_scope(r)
	decidable(r)
	r.facts.key.rotation_enabled == false
}

fail contains r.id if {
	some r in input.resources.key
	not out_of_scope(r)
	decidable(r)
	period_too_long(r)
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
	period_too_long(r)
}
