# METADATA
# title: "API Gateway stage has no web application firewall"
# description: "An API Gateway REST API stage has no AWS WAF web ACL, so injection attempts, abusive clients and request floods reach the backend unfiltered. Stages of APIs known to be private (endpoint type PRIVATE) are not reported."
# scope: package
# custom:
#   id: api-gateway-waf
#   severity: MEDIUM
#   category: network
#   class: api_gateway
#   providers: [aws]
#   requires: [facts.api_gateway.waf]
#   remediation: "Associate an AWS WAF web ACL (REGIONAL scope) with the stage, with the managed core rule set and rate-based rules."
#   frameworks:
#     soc2: ["CC6.6"]
#     iso27001-2022: ["A.8.20"]
#     pci-dss-4.0: ["6.4.2"]
#     nist-800-53-r5: ["SC-7", "SI-4"]
#     gdpr: ["Art.32(1)(b)"]
#     nist-csf-2.0: ["PR.IR-01"]
package vigil.rules.api_gateway_waf

fail contains r.id if {
	some r in input.resources.api_gateway
	r.facts.api_gateway.waf == false
	not r.facts.api_gateway.public == false
}

message[id] := "the stage has no WAF web ACL" if some id in fail
