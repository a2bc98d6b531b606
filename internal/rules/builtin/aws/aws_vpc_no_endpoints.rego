# METADATA
# title: "VPC has no VPC endpoint for AWS services"
# description: "No VPC endpoint (a gateway endpoint for S3 or DynamoDB, or an interface endpoint) is in the VPC: its workloads reach AWS services over the internet through a NAT or internet gateway, where an endpoint keeps the traffic on AWS's network and lets an endpoint policy restrict it (CIS AWS 7.0 6.8, Manual: which services need one is the account's call). Read from the VPC endpoints of the VPC's region (AWS::EC2::VPCEndpoint Config items, which vigil collect writes); a region whose input holds no endpoint at all leaves its VPCs UNKNOWN."
# scope: package
# custom:
#   id: aws-vpc-no-endpoints
#   severity: INFO
#   category: network
#   class: network
#   providers: [aws]
#   requires: [facts.network.vpc_endpoints]
#   remediation: "Create the endpoints the VPC's workloads need: at least the free gateway endpoints for S3 and DynamoDB (aws ec2 create-vpc-endpoint --vpc-id VPC --service-name com.amazonaws.REGION.s3 --route-table-ids RTB...), and interface endpoints for the other services they call."
#   frameworks:
#     cis-aws-7.0: ["6.8"]
#     nist-800-53-r5: ["SC-7"]
#     nist-csf-2.0: ["PR.IR-01"]
package vigil.rules.aws_vpc_no_endpoints

fail contains r.id if {
	some r in input.resources.network
	r.facts.network.vpc_endpoints == false
}

message[r.id] := "no VPC endpoint in the VPC: AWS services are reached over the internet" if {
	some r in input.resources.network
	r.id in fail
}
