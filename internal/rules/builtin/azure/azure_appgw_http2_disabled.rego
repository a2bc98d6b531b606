# METADATA
# title: "Application Gateway does not have HTTP/2 enabled"
# description: "enableHttp2 is false: clients connect to the gateway over HTTP/1.1 only."
# scope: package
# custom:
#   id: azure-appgw-http2-disabled
#   severity: LOW
#   category: network
#   class: load_balancer
#   providers: [azure]
#   applies_to:
#     type: [Microsoft.Network/applicationGateways]
#   requires: [facts.load_balancer.http2]
#   remediation: "Enable HTTP/2 on the application gateway (az network application-gateway update --http2 Enabled)."
#   frameworks:
#     cis-azure-6.0: ["7.13"]
#     soc2: ["CC8.1"]
#     iso27001-2022: ["A.8.9"]
#     nist-800-53-r5: ["CM-6"]
#     nist-csf-2.0: ["PR.PS-01"]
package vigil.rules.azure_appgw_http2_disabled

fail contains r.id if {
	some r in input.resources.load_balancer
	r.type == "Microsoft.Network/applicationGateways"
	r.facts.load_balancer.http2 == false
}

message[id] := "enableHttp2 is false" if some id in fail
