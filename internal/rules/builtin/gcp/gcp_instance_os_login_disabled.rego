# METADATA
# title: "OS Login is off for the instance"
# description: "The instance's metadata sets enable-oslogin to FALSE, overriding the project's setting, so SSH access to it is managed with metadata keys instead of IAM. An instance that does not set the key follows its project's common instance metadata (the compute.googleapis.com/Project asset), where OS Login is off unless enable-oslogin is TRUE; without that asset it is UNKNOWN."
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

message[id] := "OS Login is off (enable-oslogin not TRUE on the instance or, when it does not set it, on its project)" if some id in fail
