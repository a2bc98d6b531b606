# METADATA
# title: "VPC network has no Private Service Connect endpoint for Google APIs"
# description: "No Private Service Connect endpoint for Google APIs (a global forwarding rule targeting the all-apis or vpc-sc bundle) is in the VPC network: its workloads reach Google APIs at their public addresses rather than at an internal address of the network that on-premises and peered networks can reach and VPC Service Controls can restrict (CIS GCP 5.0 3.9, Manual). Read from the global forwarding rules of a Cloud Asset Inventory export (compute.googleapis.com/GlobalForwardingRule); a project whose export holds no global forwarding rule at all (the export may have been limited to other types), or one that could not be read, leaves its networks UNKNOWN."
# scope: package
# custom:
#   id: gcp-network-no-psc-google-apis
#   severity: INFO
#   category: network
#   class: network
#   providers: [gcp]
#   applies_to:
#     type: [compute.googleapis.com/Network]
#   requires: [facts.network.vpc_endpoints]
#   remediation: "Reserve an internal address for the endpoint and create it in the network (gcloud compute addresses create ADDR --global --purpose=PRIVATE_SERVICE_CONNECT --addresses=10.x.x.x --network=NETWORK; gcloud compute forwarding-rules create ENDPOINT --global --network=NETWORK --address=ADDR --target-google-apis-bundle=all-apis, or vpc-sc), then resolve Google API names to it through a Cloud DNS private zone."
#   frameworks:
#     cis-gcp-5.0: ["3.9"]
#     nist-800-53-r5: ["SC-7"]
#     nist-csf-2.0: ["PR.IR-01"]
package vigil.rules.gcp_network_no_psc_google_apis

fail contains r.id if {
	some r in input.resources.network
	r.type == "compute.googleapis.com/Network"
	r.facts.network.vpc_endpoints == false
}

message[r.id] := "no Private Service Connect endpoint for Google APIs in the network: Google APIs are reached at their public addresses" if {
	some r in input.resources.network
	r.id in fail
}
