# METADATA
# title: "Group is open for anyone to join or view"
# description: "A Google group lets anyone (or any external user) join or read it, or a Microsoft Entra ID group is public so any user of the tenant can join it. Roles granted to the group then reach whoever adds themselves."
# scope: package
# custom:
#   id: group-public
#   severity: MEDIUM
#   category: identity
#   class: group
#   providers: [azure, gcp]
#   requires: [facts.group.public]
#   remediation: "Make membership invitation or approval only (Google Groups: who can join = invited users; Entra ID: visibility Private), and review the current members."
#   frameworks:
#     soc2: ["CC6.2", "CC6.3"]
#     iso27001-2022: ["A.5.15", "A.5.18"]
#     pci-dss-4.0: ["7.2.1"]
#     nist-800-53-r5: ["AC-2", "AC-3"]
package vigil.rules.group_public

fail contains r.id if {
	some r in input.resources.group
	r.facts.group.public == true
}

message[id] := "group membership is open" if some id in fail
