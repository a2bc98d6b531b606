# METADATA
# title: "Audit logging is not configured for the account"
# description: "The account has no enabled multi-region CloudTrail trail (AWS), no activity-log diagnostic setting (Azure) or no audit config for allServices (GCP), so control-plane activity is not retained."
# scope: package
# custom:
#   id: audit-logging-disabled
#   severity: HIGH
#   category: logging
#   class: account
#   providers: [aws, azure, gcp]
#   requires: [facts.account.audit_logging]
#   remediation: "Create a multi-region CloudTrail trail / add a diagnostic setting exporting the subscription activity log / add an auditConfigs entry for allServices to the project IAM policy."
#   frameworks:
#     cis-aws-7.0: ["4.1"]
#     cis-azure-6.0: ["6.1.1.1"]
#     cis-gcp-5.0: ["2.1"]
#     soc2: ["CC7.2"]
#     iso27001-2022: ["A.8.15"]
#     pci-dss-4.0: ["10.2.1"]
#     hipaa: ["164.312(b)"]
#     nist-800-53-r5: ["AU-2", "AU-12"]
#     gdpr: ["Art.33"]
#     nist-csf-2.0: ["PR.PS-04", "DE.CM-03"]
package vigil.rules.audit_logging_disabled

fail contains r.id if {
	some r in input.resources.account
	r.facts.account.audit_logging == false
}

message[id] := "audit logging is not configured" if some id in fail
