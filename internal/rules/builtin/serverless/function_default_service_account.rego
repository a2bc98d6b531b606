# METADATA
# title: "Cloud Function or Cloud Run service runs as a default service account"
# description: "The function or service runs as the Compute Engine default service account (PROJECT_NUMBER-compute@developer.gserviceaccount.com) or the App Engine default service account (PROJECT_ID@appspot.gserviceaccount.com), which usually holds the project-wide Editor role: compromising the code gives write access to most of the project."
# scope: package
# custom:
#   id: function-default-service-account
#   severity: MEDIUM
#   category: identity
#   class: function
#   providers: [gcp]
#   requires: [facts.function.identity]
#   remediation: "Create a dedicated service account with only the roles the function needs and deploy the function with it (--service-account); remove Editor from the default service accounts."
#   frameworks:
#     soc2: ["CC6.3"]
#     iso27001-2022: ["A.8.2"]
#     pci-dss-4.0: ["7.2.2"]
#     hipaa: ["164.308(a)(4)"]
#     nist-800-53-r5: ["AC-6"]
#     gdpr: ["Art.32(1)(b)"]
#     nist-csf-2.0: ["PR.AA-05"]
package vigil.rules.function_default_service_account

default_suffixes := {"-compute@developer.gserviceaccount.com", "@appspot.gserviceaccount.com"}

fail contains r.id if {
	some r in input.resources.function
	some suffix in default_suffixes
	endswith(lower(r.facts.function.identity), suffix)
}

message[r.id] := sprintf("runs as the default service account %s", [r.facts.function.identity]) if {
	some r in input.resources.function
	r.id in fail
}
