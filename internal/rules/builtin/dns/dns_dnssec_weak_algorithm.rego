# METADATA
# title: "DNSSEC zone is signed with RSASHA1"
# description: "The Cloud DNS zone's DNSSEC key-signing or zone-signing key uses the RSASHA1 algorithm, whose SHA-1 signatures are no longer considered secure."
# scope: package
# custom:
#   id: dns-dnssec-weak-algorithm
#   severity: MEDIUM
#   category: network
#   class: dns_zone
#   providers: [gcp]
#   requires: [facts.dns.dnssec_algorithm]
#   applies_to:
#     facts.dns.dnssec: [true, null]
#   remediation: "Turn DNSSEC off, change the key specs to RSASHA256 or ECDSAP256SHA256 (gcloud dns managed-zones update --ksk-algorithm / --zsk-algorithm), turn it on again and update the DS record."
#   frameworks:
#     cis-gcp-5.0: ["3.4", "3.5"]
#     soc2: ["CC6.6"]
#     iso27001-2022: ["A.8.20", "A.8.21"]
#     nist-800-53-r5: ["SC-20", "SC-21"]
#     nist-csf-2.0: ["PR.DS-02"]
package vigil.rules.dns_dnssec_weak_algorithm

# SHA-1 based algorithms (importers write the algorithm in lower case).
fail contains r.id if {
	some r in input.resources.dns_zone
	not r.facts.dns.dnssec == false
	r.facts.dns.dnssec_algorithm == "rsasha1"
}

fail contains r.id if {
	some r in input.resources.dns_zone
	not r.facts.dns.dnssec == false
	r.facts.dns.dnssec_algorithm == "rsasha1-nsec3-sha1"
}

message[r.id] := sprintf("DNSSEC uses %s", [r.facts.dns.dnssec_algorithm]) if {
	some r in input.resources.dns_zone
	r.id in fail
}
