# METADATA
# title: "API key is not restricted to specific hosts or applications"
# description: "An API key of the project has no application restriction (HTTP referrers, IP addresses, Android or iOS apps): a leaked key works from anywhere."
# scope: package
# custom:
#   id: gcp-api-key-app-unrestricted
#   severity: MEDIUM
#   category: identity
#   class: account
#   providers: [gcp]
#   requires: [facts.account.cis.api_keys]
#   remediation: "Restrict each API key to the referrers, server IPs or apps that use it (gcloud services api-keys update KEY_ID --allowed-referrers / --allowed-ips / --allowed-application)."
#   frameworks:
#     cis-gcp-5.0: ["1.14"]
#     soc2: ["CC6.1"]
#     iso27001-2022: ["A.5.17"]
#     pci-dss-4.0: ["8.3.1"]
#     nist-800-53-r5: ["IA-5"]
#     nist-csf-2.0: ["PR.AA-01"]
package vigil.rules.gcp_api_key_app_unrestricted

fail contains r.id if {
	some r in input.resources.account
	some k in r.facts.account.cis.api_keys
	k.app_restricted == false
}

message[r.id] := sprintf("API keys usable by any caller: %s", [concat(", ", [k.name | some k in r.facts.account.cis.api_keys; k.app_restricted == false])]) if {
	some r in input.resources.account
	r.id in fail
}
