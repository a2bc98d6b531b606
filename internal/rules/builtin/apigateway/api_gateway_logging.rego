# METADATA
# title: "API gateway access or execution logging is disabled"
# description: "The API Gateway stage has neither access logging nor execution logging, the API Management service has no diagnostic logging, or the GCP API Gateway's requests are not logged, so calls to the API cannot be traced or investigated."
# scope: package
# custom:
#   id: api-gateway-logging
#   severity: MEDIUM
#   category: logging
#   class: api_gateway
#   providers: [aws, azure, gcp]
#   requires: [facts.api_gateway.logging]
#   remediation: "Enable access logging (accessLogSettings) and execution logging (loggingLevel INFO or ERROR) on the stage; add Application Insights / Azure Monitor diagnostics to API Management; keep Cloud Logging enabled for the API Gateway service."
#   frameworks:
#     cis-aws-7.0: ["4.10"]
#     soc2: ["CC7.2"]
#     iso27001-2022: ["A.8.15"]
#     pci-dss-4.0: ["10.2.1"]
#     hipaa: ["164.312(b)"]
#     nist-800-53-r5: ["AU-2", "AU-12"]
#     gdpr: ["Art.33"]
#     nist-csf-2.0: ["PR.PS-04", "DE.CM-09"]
package vigil.rules.api_gateway_logging

fail contains r.id if {
	some r in input.resources.api_gateway
	r.facts.api_gateway.logging == false
}

message[id] := "API calls are not logged" if some id in fail
