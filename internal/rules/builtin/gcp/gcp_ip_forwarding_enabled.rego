# METADATA
# title: "Instance has IP forwarding enabled"
# description: "canIpForward lets the instance send and receive packets with non-matching addresses, so it can route traffic around network controls."
# scope: package
# custom:
#   id: gcp-ip-forwarding-enabled
#   severity: MEDIUM
#   category: network
#   class: compute
#   providers: [gcp]
#   requires: [facts.compute.ip_forwarding]
#   remediation: "Recreate the instance with canIpForward=false unless it is a deliberate network appliance."
#   frameworks:
#     cis-gcp-5.0: ["4.6"]
#     soc2: ["CC6.6"]
#     iso27001-2022: ["A.8.20"]
#     nist-800-53-r5: ["SC-7", "CM-7"]
#     gdpr: ["Art.32(1)(b)"]
#     nist-csf-2.0: ["PR.IR-01"]
package vigil.rules.gcp_ip_forwarding_enabled

fail contains r.id if {
	some r in input.resources.compute
	r.facts.compute.ip_forwarding == true
}

message[id] := "IP forwarding (canIpForward) is enabled" if some id in fail
