# METADATA
# title: "Serverless function is not connected to a private network"
# description: "A Lambda function is not attached to a VPC, an Azure Function App has no virtual network integration, or a Cloud Function has no VPC connector: its outbound traffic cannot be filtered or kept on private addresses, and it cannot reach private resources without public endpoints."
# scope: package
# custom:
#   id: function-not-in-vpc
#   severity: LOW
#   category: network
#   class: function
#   providers: [aws, azure, gcp]
#   requires: [facts.function.in_vpc]
#   remediation: "Attach the function to private subnets (Lambda VpcConfig), enable VNet integration (Azure) or configure a Serverless VPC Access connector or Direct VPC egress (GCP), and route egress through controlled gateways."
#   frameworks:
#     soc2: ["CC6.6"]
#     iso27001-2022: ["A.8.22"]
#     pci-dss-4.0: ["1.3.1"]
#     nist-800-53-r5: ["SC-7", "AC-4"]
#     gdpr: ["Art.32(1)(b)"]
#     nist-csf-2.0: ["PR.IR-01"]
package vigil.rules.function_not_in_vpc

fail contains r.id if {
	some r in input.resources.function
	r.facts.function.in_vpc == false
}

message[id] := "function is not connected to a private network" if some id in fail
