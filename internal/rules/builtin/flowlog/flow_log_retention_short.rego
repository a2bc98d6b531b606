# METADATA
# title: "Flow log retention is shorter than 90 days"
# description: "An enabled NSG or virtual network flow log deletes its records after fewer than 90 days, too soon to investigate an incident discovered weeks later. A retention of 0 days (or retention disabled) keeps the logs forever and is not reported."
# scope: package
# custom:
#   id: flow-log-retention-short
#   severity: LOW
#   category: logging
#   class: flow_log
#   providers: [azure]
#   requires: [facts.flow_log.enabled]
#   remediation: "Set the flow log's retention policy to 90 days or more (or 0 to keep logs indefinitely), or export the records to Log Analytics with longer retention."
#   frameworks:
#     cis-azure-6.0: ["7.5", "7.8"]
#     soc2: ["CC7.2"]
#     iso27001-2022: ["A.8.15"]
#     pci-dss-4.0: ["10.5.1"]
#     nist-800-53-r5: ["AU-11"]
#     gdpr: ["Art.33"]
#     nist-csf-2.0: ["PR.PS-04"]
package vigil.rules.flow_log_retention_short

# Importers set retention_days only when a retention limit applies (days >
# 0); without it the logs are kept forever. The minimum is 90 days.
fail contains r.id if {
	some r in input.resources.flow_log
	r.facts.flow_log.enabled == true
	r.facts.flow_log.retention_days > 0
	r.facts.flow_log.retention_days < 90
}

message[r.id] := sprintf("flow logs are kept %d days", [r.facts.flow_log.retention_days]) if {
	some r in input.resources.flow_log
	r.id in fail
}
