# METADATA
# title: "API key is older than 90 days"
# description: "An API key of the project was created more than 90 days before the scan: API keys cannot be rotated in place, so an old key has been exposed, in clients and logs, for that long."
# scope: package
# custom:
#   id: gcp-api-key-not-rotated
#   severity: MEDIUM
#   category: identity
#   class: account
#   providers: [gcp]
#   requires: [facts.account.cis.api_keys]
#   remediation: "Create a new key with the same restrictions, move its callers to it and delete the old one (gcloud services api-keys create / delete)."
#   frameworks:
#     cis-gcp-5.0: ["1.16"]
#     soc2: ["CC6.1"]
#     iso27001-2022: ["A.5.17"]
#     pci-dss-4.0: ["8.3.1"]
#     nist-800-53-r5: ["IA-5"]
#     nist-csf-2.0: ["PR.AA-01"]
package vigil.rules.gcp_api_key_not_rotated

import data.vigil.lib.time as t

fail contains r.id if {
	some r in input.resources.account
	some k in r.facts.account.cis.api_keys
	t.older_than(k.created, 90)
}

message[r.id] := sprintf("API keys created over 90 days ago: %s", [concat(", ", [k.name | some k in r.facts.account.cis.api_keys; t.older_than(k.created, 90)])]) if {
	some r in input.resources.account
	r.id in fail
}
