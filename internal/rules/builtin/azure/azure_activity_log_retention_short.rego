# METADATA
# title: "Activity log retention is shorter than 365 days"
# description: "The subscription activity-log diagnostic setting keeps logs for fewer than 365 days (0 means retained indefinitely), which is too short for most investigations and audits."
# scope: package
# custom:
#   id: azure-activity-log-retention-short
#   severity: LOW
#   category: logging
#   class: audit_log
#   providers: [azure]
#   requires: [facts.audit_log.retention_days]
#   remediation: "Set the retention of the activity-log destination to 365 days or more (or 0 for indefinite retention in the storage account)."
#   frameworks:
#     soc2: ["CC7.2"]
#     iso27001-2022: ["A.8.15"]
#     pci-dss-4.0: ["10.5.1"]
#     nist-800-53-r5: ["AU-11"]
#     gdpr: ["Art.33"]
#     nist-csf-2.0: ["PR.PS-04"]
package vigil.rules.azure_activity_log_retention_short

min_days := 365

# retention_days is a number whenever present (the facts are typed); 365 is
# min_days, written out so the engine evaluates the rule in Go.
fail contains r.id if {
	some r in input.resources.audit_log
	r.facts.audit_log.retention_days > 0
	r.facts.audit_log.retention_days < 365
}

message[r.id] := sprintf("activity logs are retained %d days (minimum %d)", [r.facts.audit_log.retention_days, min_days]) if {
	some r in input.resources.audit_log
	r.id in fail
}
