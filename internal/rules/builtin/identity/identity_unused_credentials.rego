# METADATA
# title: "IAM user credentials unused for 45 days or more"
# description: "An IAM user's console password or an active access key has not been used for more than 45 days (or a key older than 45 days was never used); dormant credentials should be disabled. Read from the IAM credential report (aws iam get-credential-report, Content decoded, saved as credential-report.csv; vigil collect writes it); without it a user is UNKNOWN."
# scope: package
# custom:
#   id: identity-unused-credentials
#   severity: MEDIUM
#   category: identity
#   class: identity
#   providers: [aws]
#   applies_to:
#     facts.identity.kind: [user]
#   requires: [facts.identity.console_access, facts.identity.password_last_used, [facts.identity.access_keys_known, facts.identity.access_keys]]
#   remediation: "Disable the console password and deactivate access keys that have not been used in 45 days; remove the user if it is no longer needed."
#   frameworks:
#     cis-aws-7.0: ["2.11"]
#     soc2: ["CC6.2"]
#     iso27001-2022: ["A.5.18"]
#     pci-dss-4.0: ["8.2.6"]
#     hipaa: ["164.308(a)(3)(ii)(C)"]
#     nist-800-53-r5: ["AC-2(3)"]
#     gdpr: ["Art.32(1)(b)"]
#     nist-csf-2.0: ["PR.AA-01"]
package vigil.rules.identity_unused_credentials

import data.vigil.lib.time as t

max_unused_days := 45

password_stale(i) if {
	i.console_access == true
	t.older_than(i.password_last_used, max_unused_days)
}

key_stale(k) if {
	k.active == true
	t.older_than(k.last_used, max_unused_days)
}

# Never used (no last-used date) and created more than 45 days ago.
# last_used_known(k) takes the key, not k.last_used: a call with an undefined
# argument is undefined even under `not`.
last_used_known(k) if t.valid(k.last_used)

key_stale(k) if {
	k.active == true
	not last_used_known(k)
	t.older_than(k.created, max_unused_days)
}

fail contains r.id if {
	some r in input.resources.identity
	r.facts.identity.kind == "user"
	password_stale(r.facts.identity)
}

fail contains r.id if {
	some r in input.resources.identity
	r.facts.identity.kind == "user"
	some k in r.facts.identity.access_keys
	key_stale(k)
}

message[r.id] := concat("; ", problems) if {
	some r in input.resources.identity
	r.id in fail
	problems := array.concat(
		[sprintf("console password last used %d days ago", [t.age_days(r.facts.identity.password_last_used)]) | password_stale(r.facts.identity)],
		sort([sprintf("access key %s unused for more than %d days", [object.get(k, "id", "?"), max_unused_days]) |
			some k in r.facts.identity.access_keys
			key_stale(k)
		]),
	)
}
