# METADATA
# title: "DNS zone has records pointing at deleted resources"
# description: "A record of the zone (a CNAME or alias to a storage bucket, web app, CDN or load balancer name, or an A record to a released address) points at a resource that no longer exists. Anyone who creates a resource with that name takes over the subdomain. AWS: the records come from aws route53 list-resource-record-sets --hosted-zone-id ID, saved as <hosted-zone-id>.json (vigil collect writes them)."
# scope: package
# custom:
#   id: dns-dangling-record
#   severity: HIGH
#   category: exposure
#   class: dns_zone
#   providers: [aws, azure, gcp]
#   requires: [facts.dns.dangling_records]
#   remediation: "Delete the dangling records (or re-create the resource they point at) and remove DNS records whenever the resource behind them is deleted."
#   frameworks:
#     soc2: ["CC6.6", "CC7.1"]
#     iso27001-2022: ["A.5.9", "A.8.20"]
#     nist-800-53-r5: ["CM-8", "SC-20"]
#     nist-csf-2.0: ["ID.AM-08"]
package vigil.rules.dns_dangling_record

fail contains r.id if {
	some r in input.resources.dns_zone
	count(r.facts.dns.dangling_records) > 0
}

message[r.id] := sprintf("records point at resources that no longer exist: %s", [concat(", ", r.facts.dns.dangling_records)]) if {
	some r in input.resources.dns_zone
	r.id in fail
}
