# METADATA
# title: "API gateway exposes methods without authorization"
# description: "An API Gateway method or route has authorization type NONE (no IAM, Cognito, Lambda or JWT authorizer), an API Management API needs no subscription or token, or a GCP API Gateway config has an operation without a security requirement: anyone who finds the endpoint can call the backend. AWS: the methods come from aws apigateway get-resources --rest-api-id ID --embed methods, saved as <rest-api-id>.<region>.json (vigil collect writes it); without it a REST API is UNKNOWN."
# scope: package
# custom:
#   id: api-gateway-no-auth
#   severity: MEDIUM
#   category: identity
#   class: api_gateway
#   providers: [aws, azure, gcp]
#   requires: [facts.api_gateway.auth_required]
#   remediation: "Attach an authorizer (IAM, Cognito user pool, Lambda or JWT) to every method or route, require subscriptions or validate-jwt in API Management policies, and declare API key or JWT security on every operation of the GCP API config; keep intentionally public operations few and documented."
#   frameworks:
#     soc2: ["CC6.1"]
#     iso27001-2022: ["A.8.5"]
#     pci-dss-4.0: ["8.3.1"]
#     hipaa: ["164.312(d)"]
#     nist-800-53-r5: ["IA-2"]
#     gdpr: ["Art.32(1)(b)"]
#     nist-csf-2.0: ["PR.AA-03"]
package vigil.rules.api_gateway_no_auth

fail contains r.id if {
	some r in input.resources.api_gateway
	r.facts.api_gateway.auth_required == false
}

message[id] := "some methods or routes need no authorization" if some id in fail
