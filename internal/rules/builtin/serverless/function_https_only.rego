# METADATA
# title: "Serverless function accepts plain HTTP"
# description: "An Azure Function App does not have httpsOnly set, or an HTTP-triggered Cloud Function does not require HTTPS (security level SECURE_OPTIONAL), so requests and their credentials can travel unencrypted. (Lambda function URLs only serve HTTPS.)"
# scope: package
# custom:
#   id: function-https-only
#   severity: MEDIUM
#   category: encryption
#   class: function
#   providers: [azure, gcp]
#   requires: [facts.function.https_only]
#   remediation: "Set httpsOnly to true on the Function App; deploy the Cloud Function with --security-level=secure-always."
#   frameworks:
#     soc2: ["CC6.7"]
#     iso27001-2022: ["A.8.24"]
#     pci-dss-4.0: ["4.2.1"]
#     hipaa: ["164.312(e)(1)"]
#     nist-800-53-r5: ["SC-8"]
#     gdpr: ["Art.32(1)(a)"]
#     nist-csf-2.0: ["PR.DS-02"]
package vigil.rules.function_https_only

fail contains r.id if {
	some r in input.resources.function
	r.facts.function.https_only == false
}

message[id] := "function accepts plain HTTP" if some id in fail
