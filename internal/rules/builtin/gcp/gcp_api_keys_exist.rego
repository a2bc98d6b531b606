# METADATA
# title: "Project has API keys"
# description: "The project holds API keys (apikeys.googleapis.com/Key, deleted keys aside): anyone holding a key's string can call the APIs it allows, with no identity behind the call. CIS asks for service account credentials instead wherever an API accepts them."
# scope: package
# custom:
#   id: gcp-api-keys-exist
#   severity: LOW
#   category: identity
#   class: account
#   providers: [gcp]
#   requires: [facts.account.cis.api_keys]
#   remediation: "Delete API keys no application needs (gcloud services api-keys delete KEY_ID) and move callers to service account credentials or OAuth."
#   frameworks:
#     cis-gcp-5.0: ["1.13"]
#     soc2: ["CC6.1"]
#     iso27001-2022: ["A.5.17"]
#     pci-dss-4.0: ["8.3.1"]
#     nist-800-53-r5: ["IA-5"]
#     nist-csf-2.0: ["PR.AA-01"]
package vigil.rules.gcp_api_keys_exist

fail contains r.id if {
	some r in input.resources.account
	count(r.facts.account.cis.api_keys) > 0
}

message[r.id] := sprintf("%d API keys: %s", [count(r.facts.account.cis.api_keys), concat(", ", [k.name | some k in r.facts.account.cis.api_keys])]) if {
	some r in input.resources.account
	r.id in fail
}
