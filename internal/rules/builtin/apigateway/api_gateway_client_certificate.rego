# METADATA
# title: "API Gateway stage does not authenticate to its backend with a client certificate"
# description: "The API Gateway stage has no client certificate, so its HTTP backends cannot verify that requests come from API Gateway and anyone who reaches the backend directly bypasses the API's authorization."
# scope: package
# custom:
#   id: api-gateway-client-certificate
#   severity: LOW
#   category: identity
#   class: api_gateway
#   providers: [aws]
#   requires: [facts.api_gateway.client_certificate]
#   remediation: "Generate an API Gateway client certificate, set it on the stage (clientCertificateId) and make the backend require and verify it, or keep the backend private (VPC link)."
#   frameworks:
#     soc2: ["CC6.1"]
#     iso27001-2022: ["A.8.5"]
#     pci-dss-4.0: ["8.3.1"]
#     nist-800-53-r5: ["IA-3", "SC-8"]
#     gdpr: ["Art.32(1)(b)"]
#     nist-csf-2.0: ["PR.AA-03"]
package vigil.rules.api_gateway_client_certificate

fail contains r.id if {
	some r in input.resources.api_gateway
	r.facts.api_gateway.client_certificate == false
}

message[id] := "the stage has no backend client certificate" if some id in fail
