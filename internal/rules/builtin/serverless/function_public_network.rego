# METADATA
# title: "Serverless function accepts traffic from the internet"
# description: "A Cloud Function or Cloud Run service has ingress ALLOW_ALL, or an Azure Function App has public network access enabled, so its endpoint is reachable from anywhere on the internet whoever may invoke it; internal functions should accept only internal (or load-balancer) traffic."
# scope: package
# custom:
#   id: function-public-network
#   severity: LOW
#   category: exposure
#   class: function
#   providers: [azure, gcp]
#   requires: [facts.function.public_network]
#   remediation: "Set ingress to internal-only or internal-and-cloud-load-balancing (GCP), or disable public network access and use private endpoints or access restrictions (Azure); put internet-facing functions behind a load balancer with a WAF."
#   frameworks:
#     soc2: ["CC6.6"]
#     iso27001-2022: ["A.8.20"]
#     pci-dss-4.0: ["1.3.1"]
#     hipaa: ["164.312(e)(1)"]
#     nist-800-53-r5: ["SC-7"]
#     gdpr: ["Art.32(1)(b)"]
#     nist-csf-2.0: ["PR.IR-01"]
package vigil.rules.function_public_network

fail contains r.id if {
	some r in input.resources.function
	r.facts.function.public_network == true
}

message[id] := "the function accepts traffic from the internet" if some id in fail
