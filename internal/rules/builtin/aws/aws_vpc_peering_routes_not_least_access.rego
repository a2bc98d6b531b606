# METADATA
# title: "VPC route tables route a whole peer VPC through a peering connection"
# description: "A route table of the VPC sends every address (0.0.0.0/0, ::/0), or a range covering a whole CIDR block of the peer VPC, to a VPC peering connection: every host of the peer network is reachable from the VPC (and the peer's routes decide the way back), where routes to the few subnets or hosts the peering exists for would limit what a compromise on either side reaches. Known when the input holds the VPC's route tables (AWS::EC2::RouteTable) and, for a narrower route, the peering connection (AWS::EC2::VPCPeeringConnection, which records both VPCs' CIDR blocks) or the peer VPC."
# scope: package
# custom:
#   id: aws-vpc-peering-routes-not-least-access
#   severity: LOW
#   category: network
#   class: network
#   providers: [aws]
#   requires: [facts.network.peering_routes_least_access]
#   remediation: "Replace each broad route with routes to the subnets or hosts the peering is for (aws ec2 delete-route --route-table-id rtb-... --destination-cidr-block CIDR; aws ec2 create-route --route-table-id rtb-... --destination-cidr-block NARROWER_CIDR --vpc-peering-connection-id pcx-...)."
#   frameworks:
#     cis-aws-7.0: ["6.6"]
#     soc2: ["CC6.6"]
#     iso27001-2022: ["A.8.22"]
#     pci-dss-4.0: ["1.3"]
#     nist-800-53-r5: ["SC-7"]
#     nist-csf-2.0: ["PR.IR-01"]
package vigil.rules.aws_vpc_peering_routes_not_least_access

fail contains r.id if {
	some r in input.resources.network
	r.facts.network.peering_routes_least_access == false
}

message[r.id] := sprintf("routes to a whole peer VPC: %s", [concat("; ", r.facts.network.peering_broad_routes)]) if {
	some r in input.resources.network
	r.id in fail
}
