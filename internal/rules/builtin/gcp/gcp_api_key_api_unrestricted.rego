# METADATA
# title: "API key is not restricted to the APIs it needs"
# description: "An API key of the project has no API restriction (restrictions.apiTargets): it can call every API enabled in the project."
# scope: package
# custom:
#   id: gcp-api-key-api-unrestricted
#   severity: MEDIUM
#   category: identity
#   class: account
#   providers: [gcp]
#   requires: [facts.account.cis.api_keys]
#   remediation: "Restrict each API key to the APIs its application calls (gcloud services api-keys update KEY_ID --api-target=service=SERVICE)."
#   frameworks:
#     cis-gcp-5.0: ["1.15"]
#     soc2: ["CC6.1"]
#     iso27001-2022: ["A.5.15"]
#     pci-dss-4.0: ["7.2"]
#     nist-800-53-r5: ["AC-6"]
#     nist-csf-2.0: ["PR.AA-05"]
package vigil.rules.gcp_api_key_api_unrestricted

fail contains r.id if {
	some r in input.resources.account
	some k in r.facts.account.cis.api_keys
	k.api_restricted == false
}

message[r.id] := sprintf("API keys without API restrictions: %s", [concat(", ", [k.name | some k in r.facts.account.cis.api_keys; k.api_restricted == false])]) if {
	some r in input.resources.account
	r.id in fail
}
