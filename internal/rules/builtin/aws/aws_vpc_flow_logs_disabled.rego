# METADATA
# title: "VPC flow logs are disabled"
# description: "No flow log captures the VPC's traffic, so network activity cannot be investigated."
# scope: package
# custom:
#   id: aws-vpc-flow-logs-disabled
#   severity: MEDIUM
#   category: logging
#   class: network
#   providers: [aws]
#   requires: [facts.network.flow_logs]
#   remediation: "Create a VPC flow log (at least REJECT traffic) to CloudWatch Logs or S3."
#   frameworks:
#     cis-aws-7.0: ["4.7"]
#     soc2: ["CC7.2"]
#     iso27001-2022: ["A.8.15", "A.8.16"]
#     pci-dss-4.0: ["10.2.1"]
#     hipaa: ["164.312(b)"]
#     nist-800-53-r5: ["AU-12", "SI-4"]
#     gdpr: ["Art.33"]
#     nist-csf-2.0: ["PR.PS-04", "DE.CM-01"]
package vigil.rules.aws_vpc_flow_logs_disabled

fail contains r.id if {
	some r in input.resources.network
	r.facts.network.flow_logs == false
}

message[id] := "no flow log is configured for the VPC" if some id in fail
