# METADATA
# title: "Access key older than 90 days"
# description: "An active user-managed access key (IAM user access key, service principal secret, GCP service-account key) was created more than 90 days before the scan; long-lived keys are the most commonly leaked cloud credential."
# scope: package
# custom:
#   id: identity-stale-access-keys
#   severity: MEDIUM
#   category: identity
#   class: identity
#   providers: [aws, azure, gcp]
#   remediation: "Rotate the key: create a new one, move consumers to it, deactivate and delete the old one; prefer roles, workload identity or managed identities over keys."
#   frameworks:
#     cis-aws-7.0: ["2.12"]
#     cis-gcp-5.0: ["1.8"]
#     soc2: ["CC6.1"]
#     iso27001-2022: ["A.5.17"]
#     pci-dss-4.0: ["8.6.3"]
#     hipaa: ["164.308(a)(5)(ii)(D)"]
#     nist-800-53-r5: ["IA-5(1)"]
package vigil.rules.identity_stale_access_keys

import data.vigil.lib.time as t

max_age_days := 90

key_holders := {"user", "service_account", "service_principal"}

# keys_known(i) is true when the identity's access keys were enumerated.
keys_known(i) if i.access_keys_known == true

keys_known(i) if count(i.access_keys) > 0

# System-managed keys (GCP) are rotated by the cloud and not counted.
user_managed(k) if not k.user_managed == false

stale(k) if {
	k.active == true
	user_managed(k)
	t.older_than(k.created, max_age_days)
}

fine(k) if k.active == false

fine(k) if k.user_managed == false

fine(k) if t.within(k.created, max_age_days)

applicable contains r.id if {
	some r in input.resources.identity
	r.facts.identity.kind in key_holders
}

fail contains r.id if {
	some r in input.resources.identity
	r.facts.identity.kind in key_holders
	some k in r.facts.identity.access_keys
	stale(k)
}

pass contains r.id if {
	some r in input.resources.identity
	r.facts.identity.kind in key_holders
	keys_known(r.facts.identity)
	every k in object.get(r.facts.identity, "access_keys", []) {
		fine(k)
	}
}

message[r.id] := sprintf("active key(s) older than %d days: %s", [max_age_days, concat(", ", keys)]) if {
	some r in input.resources.identity
	r.id in fail
	keys := sort([sprintf("%s (%d days)", [object.get(k, "id", "?"), t.age_days(k.created)]) |
		some k in r.facts.identity.access_keys
		stale(k)
	])
	count(keys) > 0
}
