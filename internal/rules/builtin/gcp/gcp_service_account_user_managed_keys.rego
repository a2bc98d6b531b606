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
#   remediation: "Delete the user-managed keys and use attached service accounts, Workload Identity Federation or short-lived credentials instead; block creation with the iam.disableServiceAccountKeyCreation policy."
#   frameworks:
#     cis-gcp-5.0: ["1.5"]
#     soc2: ["CC6.1"]
#     iso27001-2022: ["A.5.17"]
#     nist-800-53-r5: ["IA-5"]
package vigil.rules.gcp_service_account_user_managed_keys

# keys_known(i) is true when the identity's access keys were enumerated.
keys_known(i) if i.access_keys_known == true

keys_known(i) if count(i.access_keys) > 0

user_key(k) if {
	k.active == true
	k.user_managed == true
}

fine(k) if k.active == false

fine(k) if k.user_managed == false

applicable contains r.id if {
	some r in input.resources.identity
	r.provider == "gcp"
	r.facts.identity.kind == "service_account"
}

fail contains r.id if {
	some r in input.resources.identity
	r.provider == "gcp"
	r.facts.identity.kind == "service_account"
	some k in r.facts.identity.access_keys
	user_key(k)
}

pass contains r.id if {
	some r in input.resources.identity
	r.provider == "gcp"
	r.facts.identity.kind == "service_account"
	keys_known(r.facts.identity)
	every k in object.get(r.facts.identity, "access_keys", []) {
		fine(k)
	}
}

message[r.id] := sprintf("%d active user-managed key(s)", [n]) if {
	some r in input.resources.identity
	r.provider == "gcp"
	r.facts.identity.kind == "service_account"
	n := count([k | some k in r.facts.identity.access_keys; user_key(k)])
	n > 0
}
