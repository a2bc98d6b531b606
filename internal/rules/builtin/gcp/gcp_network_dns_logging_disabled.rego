# METADATA
# title: "VPC network has no Cloud DNS logging"
# description: "No Cloud DNS server policy with query logging (enableLogging) applies to the VPC network, so the names its VMs resolve are not recorded. Known when the export holds the project's Cloud DNS assets (managed zones or policies)."
# scope: package
# custom:
#   id: gcp-network-dns-logging-disabled
#   severity: LOW
#   category: logging
#   class: network
#   providers: [gcp]
#   applies_to:
#     type: [compute.googleapis.com/Network]
#   requires: [facts.network.dns_logging]
#   remediation: "Create or update a DNS server policy with logging for the network (gcloud dns policies create POLICY --networks=NETWORK --enable-logging --description=...)."
#   frameworks:
#     cis-gcp-5.0: ["2.13"]
#     soc2: ["CC7.2"]
#     iso27001-2022: ["A.8.15", "A.8.16"]
#     pci-dss-4.0: ["10.2.1"]
#     hipaa: ["164.312(b)"]
#     nist-800-53-r5: ["AU-12", "SI-4"]
#     gdpr: ["Art.33"]
#     nist-csf-2.0: ["PR.PS-04", "DE.CM-01"]
package vigil.rules.gcp_network_dns_logging_disabled

fail contains r.id if {
	some r in input.resources.network
	r.type == "compute.googleapis.com/Network"
	r.facts.network.dns_logging == false
}
