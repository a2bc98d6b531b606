# METADATA
# title: "Instance turns OS Login off"
# description: "The instance's metadata sets enable-oslogin to FALSE, overriding the project's setting, so SSH access to it is managed with metadata keys instead of IAM. An instance that does not set the key follows its project's metadata, which a Cloud Asset export of instances does not show: it is UNKNOWN."
# scope: package
# custom:
#   id: gcp-instance-os-login-disabled
#   severity: MEDIUM
#   category: identity
#   class: compute
#   providers: [gcp]
#   requires: [facts.compute.os_login]
#   remediation: "Set enable-oslogin to TRUE in the project's metadata and remove the instance's enable-oslogin=FALSE (or set it to TRUE)."
#   frameworks:
#     cis-gcp-5.0: ["4.4"]
#     soc2: ["CC6.1"]
#     iso27001-2022: ["A.5.16"]
#     nist-800-53-r5: ["AC-2", "IA-2"]
#     gdpr: ["Art.32(1)(b)"]
#     nist-csf-2.0: ["PR.AA-01"]
package vigil.rules.gcp_instance_os_login_disabled

fail contains r.id if {
	some r in input.resources.compute
	r.facts.compute.os_login == false
}

message[id] := "enable-oslogin is set to false on the instance" if some id in fail
