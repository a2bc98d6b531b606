# METADATA
# title: "Instance is not a Shielded VM with Secure Boot"
# description: "Secure Boot is off, so the instance cannot verify its boot chain against rootkits and bootkits."
# scope: package
# custom:
#   id: gcp-shielded-vm-disabled
#   severity: LOW
#   category: exposure
#   class: compute
#   providers: [gcp]
#   requires: [facts.compute.secure_boot]
#   remediation: "Stop the instance and enable Shielded VM options (Secure Boot, vTPM, integrity monitoring), using a Shielded VM image."
#   frameworks:
#     cis-gcp-5.0: ["4.8"]
#     soc2: ["CC6.8"]
#     iso27001-2022: ["A.8.7"]
#     nist-800-53-r5: ["SI-7"]
#     gdpr: ["Art.32(1)(b)"]
#     nist-csf-2.0: ["PR.PS-01"]
package vigil.rules.gcp_shielded_vm_disabled

fail contains r.id if {
	some r in input.resources.compute
	r.facts.compute.secure_boot == false
}

message[id] := "Secure Boot is disabled" if some id in fail
