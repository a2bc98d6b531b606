# METADATA
# title: "Flow log is configured but disabled"
# description: "A VPC flow log or an NSG / virtual network flow log exists but is not enabled (or not delivering), so the network it was set up for is not recorded even though it looks covered."
# scope: package
# custom:
#   id: flow-log-disabled
#   severity: MEDIUM
#   category: logging
#   class: flow_log
#   providers: [aws, azure]
#   requires: [facts.flow_log.enabled]
#   remediation: "Enable the flow log (Azure: az network watcher flow-log update --enabled true; AWS: fix the delivery role or destination, or re-create the flow log) and check that records arrive."
#   frameworks:
#     cis-aws-7.0: ["4.7"]
#     cis-azure-6.0: ["6.1.1.5", "6.1.1.6"]
#     soc2: ["CC7.2"]
#     iso27001-2022: ["A.8.15", "A.8.16"]
#     pci-dss-4.0: ["10.2.1"]
#     hipaa: ["164.312(b)"]
#     nist-800-53-r5: ["AU-12", "SI-4"]
#     gdpr: ["Art.33"]
#     nist-csf-2.0: ["PR.PS-04", "DE.CM-01"]
package vigil.rules.flow_log_disabled

fail contains r.id if {
	some r in input.resources.flow_log
	r.facts.flow_log.enabled == false
}

message[id] := "the flow log is disabled" if some id in fail
