# METADATA
# title: "OS Login is not enabled for the project"
# description: "The project's common instance metadata does not set enable-oslogin to TRUE, so SSH access to its VMs is granted with metadata SSH keys rather than IAM, unless each instance turns OS Login on itself. Known when the export holds the project's compute.googleapis.com/Project asset."
# scope: package
# custom:
#   id: gcp-project-os-login-disabled
#   severity: MEDIUM
#   category: identity
#   class: account
#   providers: [gcp]
#   requires: [facts.account.cis.os_login]
#   remediation: "Set enable-oslogin=TRUE in the project metadata (gcloud compute project-info add-metadata --metadata enable-oslogin=TRUE) and remove instance-level enable-oslogin=FALSE overrides."
#   frameworks:
#     cis-gcp-5.0: ["4.4"]
#     soc2: ["CC6.1"]
#     iso27001-2022: ["A.5.16"]
#     nist-800-53-r5: ["AC-2", "IA-2"]
#     gdpr: ["Art.32(1)(b)"]
#     nist-csf-2.0: ["PR.AA-01"]
package vigil.rules.gcp_project_os_login_disabled

fail contains r.id if {
	some r in input.resources.account
	r.facts.account.cis.os_login == false
}

message[id] := "the project metadata does not set enable-oslogin to TRUE" if some id in fail
