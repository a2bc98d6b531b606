# METADATA
# title: "Access key older than 90 days"
# description: "An active user-managed access key (IAM user access key, service principal secret, GCP service-account key) was created more than 90 days before the scan; long-lived keys are the most commonly leaked cloud credential. AWS: read from the IAM credential report (aws iam get-credential-report, Content decoded, saved as credential-report.csv; vigil collect writes it)."
# scope: package
# custom:
#   id: identity-stale-access-keys
#   severity: MEDIUM
#   category: identity
#   class: identity
#   providers: [aws, azure, gcp]
#   applies_to:
#     facts.identity.kind: [user, service_account, service_principal]
#   requires: [[facts.identity.access_keys_known, facts.identity.access_keys]]
#   remediation: "Rotate the key: create a new one, move consumers to it, deactivate and delete the old one; prefer roles, workload identity or managed identities over keys."
#   frameworks:
#     cis-aws-7.0: ["2.12"]
#     cis-gcp-5.0: ["1.8"]
#     soc2: ["CC6.1"]
#     iso27001-2022: ["A.5.17"]
#     pci-dss-4.0: ["8.6.3"]
#     hipaa: ["164.308(a)(5)(ii)(D)"]
#     nist-800-53-r5: ["IA-5(1)"]
#     gdpr: ["Art.32(1)(b)"]
#     nist-csf-2.0: ["PR.AA-01"]
package vigil.rules.identity_stale_access_keys

import data.vigil.lib.identity
import data.vigil.lib.time as t

max_age_days := 90

stale(k) if {
	k.active == true
	identity.user_managed(k)
	t.older_than(k.created, max_age_days)
}

fail contains r.id if {
	some r in input.resources.identity
	r.facts.identity.kind in identity.key_holders
	some k in r.facts.identity.access_keys
	stale(k)
}

message[r.id] := sprintf("active key(s) older than %d days: %s", [max_age_days, concat(", ", keys)]) if {
	some r in input.resources.identity
	r.id in fail
	keys := sort([sprintf("%s (%d days)", [object.get(k, "id", "?"), t.age_days(k.created)]) |
		some k in r.facts.identity.access_keys
		stale(k)
	])
}
