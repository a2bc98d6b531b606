# METADATA
# title: "Service account has user-managed keys"
# description: "A GCP service account has an active user-managed (downloadable) key; such keys live outside Google's control and are frequently leaked."
# scope: package
# custom:
#   id: gcp-service-account-user-managed-keys
#   severity: MEDIUM
#   category: identity
#   class: identity
#   providers: [gcp]
#   applies_to:
#     facts.identity.kind: [service_account]
#   requires: [[facts.identity.access_keys_known, facts.identity.access_keys]]
#   remediation: "Delete the user-managed keys and use attached service accounts, Workload Identity Federation or short-lived credentials instead; block creation with the iam.disableServiceAccountKeyCreation policy."
#   frameworks:
#     cis-gcp-5.0: ["1.5"]
#     soc2: ["CC6.1"]
#     iso27001-2022: ["A.5.17"]
#     nist-800-53-r5: ["IA-5"]
#     gdpr: ["Art.32(1)(b)"]
#     nist-csf-2.0: ["PR.AA-01"]
package vigil.rules.gcp_service_account_user_managed_keys

user_key(k) if {
	k.active == true
	k.user_managed == true
}

fail contains r.id if {
	some r in input.resources.identity
	r.facts.identity.kind == "service_account"
	some k in r.facts.identity.access_keys
	user_key(k)
}

message[r.id] := sprintf("%d active user-managed key(s)", [n]) if {
	some r in input.resources.identity
	r.id in fail
	n := count([k | some k in r.facts.identity.access_keys; user_key(k)])
}
