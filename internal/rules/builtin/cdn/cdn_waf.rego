# METADATA
# title: "CDN has no web application firewall"
# description: "The CloudFront distribution has no AWS WAF web ACL, the Azure Front Door / CDN endpoint has no WAF policy, or the Cloud CDN backend has no Cloud Armor (edge) security policy, so common web attacks and abusive clients are not filtered at the edge."
# scope: package
# custom:
#   id: cdn-waf
#   severity: MEDIUM
#   category: network
#   class: cdn
#   providers: [aws, azure, gcp]
#   requires: [facts.cdn.waf]
#   remediation: "Associate a WAF: an AWS WAF web ACL (CLOUDFRONT scope) with the managed core rule set, a Front Door WAF policy in Prevention mode on every endpoint, a Cloud Armor security policy on the backend."
#   frameworks:
#     soc2: ["CC6.6"]
#     iso27001-2022: ["A.8.20"]
#     pci-dss-4.0: ["6.4.2"]
#     nist-800-53-r5: ["SC-7", "SI-4"]
#     gdpr: ["Art.32(1)(b)"]
#     nist-csf-2.0: ["PR.IR-01"]
package vigil.rules.cdn_waf

fail contains r.id if {
	some r in input.resources.cdn
	r.facts.cdn.waf == false
}

message[id] := "no WAF policy protects the CDN" if some id in fail
