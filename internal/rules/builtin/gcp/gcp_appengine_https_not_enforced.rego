# METADATA
# title: "App Engine version does not enforce HTTPS"
# description: "A URL handler of the App Engine version lets plain HTTP through (securityLevel SECURE_OPTIONAL, SECURE_DEFAULT, SECURE_NEVER or unset, app.yaml's secure: optional or none): requests and their cookies and credentials can travel unencrypted (CIS GCP 5.0 4.10). Read from the versions' handlers (appengine.googleapis.com/Version assets of a Cloud Asset Inventory export, Terraform's google_app_engine_standard_app_version); a flexible-environment version, whose handlers' levels App Engine ignores, and a version listed without handlers are UNKNOWN."
# scope: package
# custom:
#   id: gcp-appengine-https-not-enforced
#   severity: MEDIUM
#   category: encryption
#   class: function
#   providers: [gcp]
#   applies_to:
#     type: [appengine.googleapis.com/Version]
#   requires: [facts.function.https_only]
#   remediation: "Set secure: always (and redirect_http_response_code: 301) on every handler of the service's app.yaml and deploy a new version (gcloud app deploy); in Terraform, security_level = \"SECURE_ALWAYS\" in each handlers block of google_app_engine_standard_app_version."
#   frameworks:
#     cis-gcp-5.0: ["4.10"]
#     soc2: ["CC6.7"]
#     iso27001-2022: ["A.8.24"]
#     pci-dss-4.0: ["4.2.1"]
#     nist-800-53-r5: ["SC-8"]
#     gdpr: ["Art.32(1)(a)"]
#     nist-csf-2.0: ["PR.DS-02"]
package vigil.rules.gcp_appengine_https_not_enforced

fail contains r.id if {
	some r in input.resources.function
	r.type == "appengine.googleapis.com/Version"
	r.facts.function.https_only == false
}

message[r.id] := "a URL handler of the version accepts plain HTTP (securityLevel is not SECURE_ALWAYS)" if {
	some r in input.resources.function
	r.id in fail
}
