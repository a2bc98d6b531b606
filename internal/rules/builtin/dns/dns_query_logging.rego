# METADATA
# title: "DNS query logging is disabled on a public zone"
# description: "Queries to the public Route 53 hosted zone or Cloud DNS managed zone are not logged, so there is no record of who resolved which names (reconnaissance, data exfiltration over DNS, misrouted traffic). Private zones are not judged."
# scope: package
# custom:
#   id: dns-query-logging
#   severity: LOW
#   category: logging
#   class: dns_zone
#   providers: [aws, gcp]
#   requires: [facts.dns.public, facts.dns.query_logging]
#   applies_to:
#     facts.dns.public: [true, null]
#   remediation: "Enable query logging: a Route 53 query logging configuration to CloudWatch Logs (us-east-1); cloudLoggingConfig.enableLogging on the Cloud DNS zone."
#   frameworks:
#     soc2: ["CC7.2"]
#     iso27001-2022: ["A.8.15"]
#     pci-dss-4.0: ["10.2.1"]
#     hipaa: ["164.312(b)"]
#     nist-800-53-r5: ["AU-2", "AU-12"]
#     gdpr: ["Art.33"]
#     nist-csf-2.0: ["PR.PS-04", "DE.CM-01"]
package vigil.rules.dns_query_logging

fail contains r.id if {
	some r in input.resources.dns_zone
	r.facts.dns.public == true
	r.facts.dns.query_logging == false
}

message[id] := "DNS queries to the zone are not logged" if some id in fail
