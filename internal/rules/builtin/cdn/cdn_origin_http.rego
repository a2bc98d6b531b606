# METADATA
# title: "CDN connects to its origin over plain HTTP"
# description: "The CDN forwards requests to a custom origin over HTTP (CloudFront origin protocol policy http-only or match-viewer, Front Door forwarding protocol HttpOnly or MatchRequest, a GCP backend service with protocol HTTP), so traffic between the edge and the origin is unencrypted even when viewers use HTTPS."
# scope: package
# custom:
#   id: cdn-origin-http
#   severity: MEDIUM
#   category: encryption
#   class: cdn
#   providers: [aws, azure, gcp]
#   requires: [facts.cdn.origin_https_only]
#   remediation: "Use HTTPS to the origin: origin protocol policy https-only (CloudFront), forwarding protocol HttpsOnly (Front Door), backend service protocol HTTPS or HTTP2 (GCP), with a valid certificate on the origin."
#   frameworks:
#     soc2: ["CC6.7"]
#     iso27001-2022: ["A.8.24"]
#     pci-dss-4.0: ["4.2.1"]
#     hipaa: ["164.312(e)(1)"]
#     nist-800-53-r5: ["SC-8"]
#     gdpr: ["Art.32(1)(a)"]
#     nist-csf-2.0: ["PR.DS-02"]
package vigil.rules.cdn_origin_http

fail contains r.id if {
	some r in input.resources.cdn
	r.facts.cdn.origin_https_only == false
}

message[id] := "requests to the origin may use plain HTTP" if some id in fail
