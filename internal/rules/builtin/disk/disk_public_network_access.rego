# METADATA
# title: "Managed disk allows import and export from any network"
# description: "An Azure managed disk's network access policy is AllowAll (public network access enabled), so a SAS URI generated for it can download or overwrite the disk from anywhere on the internet."
# scope: package
# custom:
#   id: disk-public-network-access
#   severity: MEDIUM
#   category: exposure
#   class: disk
#   providers: [azure]
#   requires: [facts.disk.public_network_access]
#   remediation: "Set the disk's networkAccessPolicy to DenyAll (or AllowPrivate with a disk access resource) and publicNetworkAccess to Disabled."
#   frameworks:
#     soc2: ["CC6.6"]
#     iso27001-2022: ["A.8.20"]
#     pci-dss-4.0: ["1.3.1"]
#     hipaa: ["164.312(e)(1)"]
#     nist-800-53-r5: ["SC-7"]
#     gdpr: ["Art.32(1)(b)"]
#     nist-csf-2.0: ["PR.IR-01"]
package vigil.rules.disk_public_network_access

fail contains r.id if {
	some r in input.resources.disk
	r.facts.disk.public_network_access == true
}

message[id] := "disk export/import is allowed from any network (AllowAll)" if some id in fail
