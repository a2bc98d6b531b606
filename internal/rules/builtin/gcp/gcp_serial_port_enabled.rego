# METADATA
# title: "Instance allows interactive serial port access"
# description: "serial-port-enable is set, so the instance's serial console accepts connections from any IP address that passes IAM, bypassing firewall rules."
# scope: package
# custom:
#   id: gcp-serial-port-enabled
#   severity: MEDIUM
#   category: exposure
#   class: compute
#   providers: [gcp]
#   requires: [facts.compute.serial_port_enabled]
#   remediation: "Remove the serial-port-enable metadata key (or set it to false) on the instance and the project."
#   frameworks:
#     cis-gcp-5.0: ["4.5"]
#     soc2: ["CC6.6"]
#     iso27001-2022: ["A.8.9"]
#     nist-800-53-r5: ["CM-7", "AC-17"]
#     gdpr: ["Art.32(1)(b)"]
#     nist-csf-2.0: ["PR.PS-01"]
package vigil.rules.gcp_serial_port_enabled

fail contains r.id if {
	some r in input.resources.compute
	r.facts.compute.serial_port_enabled == true
}

message[id] := "interactive serial port access is enabled" if some id in fail
