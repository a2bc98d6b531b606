# METADATA
# title: "API Gateway stage has X-Ray tracing disabled"
# description: "The API Gateway stage does not send traces to AWS X-Ray, so requests cannot be followed through the API to its backends when investigating errors or abuse."
# scope: package
# custom:
#   id: api-gateway-tracing
#   severity: LOW
#   category: monitoring
#   class: api_gateway
#   providers: [aws]
#   requires: [facts.api_gateway.tracing]
#   remediation: "Enable X-Ray tracing on the stage (tracingEnabled true)."
#   frameworks:
#     soc2: ["CC7.2"]
#     iso27001-2022: ["A.8.16"]
#     nist-800-53-r5: ["AU-12", "SI-4"]
#     nist-csf-2.0: ["DE.CM-09"]
package vigil.rules.api_gateway_tracing

fail contains r.id if {
	some r in input.resources.api_gateway
	r.facts.api_gateway.tracing == false
}

message[id] := "X-Ray tracing is disabled" if some id in fail
