# METADATA
# title: "DNSSEC is not enabled on a public DNS zone"
# description: "A public Route 53 hosted zone or Cloud DNS managed zone is not signed with DNSSEC, so resolvers cannot detect spoofed or tampered answers for the domain (cache poisoning, man-in-the-middle). Private zones are not judged."
# scope: package
# custom:
#   id: dns-dnssec-disabled
#   severity: MEDIUM
#   category: network
#   class: dns_zone
#   providers: [aws, gcp]
#   requires: [facts.dns.public, facts.dns.dnssec]
#   applies_to:
#     facts.dns.public: [true, null]
#   remediation: "Enable DNSSEC signing on the zone (Route 53: a KMS-backed key-signing key and EnableHostedZoneDNSSEC; Cloud DNS: dnssecConfig state on) and publish the DS record at the registrar."
#   frameworks:
#     cis-gcp-5.0: ["3.3"]
#     soc2: ["CC6.6"]
#     iso27001-2022: ["A.8.20", "A.8.21"]
#     nist-800-53-r5: ["SC-20", "SC-21"]
#     nist-csf-2.0: ["PR.DS-02"]
package vigil.rules.dns_dnssec_disabled

fail contains r.id if {
	some r in input.resources.dns_zone
	r.facts.dns.public == true
	r.facts.dns.dnssec == false
}

message[id] := "the public zone is not signed with DNSSEC" if some id in fail
