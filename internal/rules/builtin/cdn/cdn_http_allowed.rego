# METADATA
# title: "CDN serves viewers over plain HTTP"
# description: "A CloudFront distribution cache behavior, an Azure Front Door / CDN endpoint route, or a Cloud CDN frontend accepts HTTP requests without redirecting them to HTTPS, so content and cookies cross the internet unencrypted."
# scope: package
# custom:
#   id: cdn-http-allowed
#   severity: MEDIUM
#   category: encryption
#   class: cdn
#   providers: [aws, azure, gcp]
#   requires: [facts.cdn.viewer_https_only]
#   remediation: "Set the viewer protocol policy to redirect-to-https or https-only on every cache behavior (CloudFront), HTTPS redirect on every route (Front Door) or isHttpAllowed false / an HTTPS redirect rule (Azure CDN), and an HTTP-to-HTTPS redirect URL map (GCP)."
#   frameworks:
#     soc2: ["CC6.7"]
#     iso27001-2022: ["A.8.24"]
#     pci-dss-4.0: ["4.2.1"]
#     hipaa: ["164.312(e)(1)"]
#     nist-800-53-r5: ["SC-8"]
#     gdpr: ["Art.32(1)(a)"]
#     nist-csf-2.0: ["PR.DS-02"]
package vigil.rules.cdn_http_allowed

fail contains r.id if {
	some r in input.resources.cdn
	r.facts.cdn.viewer_https_only == false
}

message[id] := "viewers can use plain HTTP" if some id in fail
