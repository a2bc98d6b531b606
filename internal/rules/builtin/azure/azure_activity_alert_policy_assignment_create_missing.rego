# METADATA
# title: "No activity log alert for Create Policy Assignment"
# description: "No enabled activity log alert scoped to the subscription fires on the operation Microsoft.Authorization/policyAssignments/write, so the change is not brought to anyone's attention."
# scope: package
# custom:
#   id: azure-activity-alert-policy-assignment-create-missing
#   severity: LOW
#   category: monitoring
#   class: account
#   providers: [azure]
#   requires: [facts.account.activity_alerts.policy_assignment_write]
#   remediation: "Create an activity log alert on the subscription for category Administrative and operation name Microsoft.Authorization/policyAssignments/write, with an action group (az monitor activity-log alert create --condition category=Administrative and operationName=Microsoft.Authorization/policyAssignments/write --scope /subscriptions/<id>)."
#   frameworks:
#     cis-azure-6.0: ["6.1.2.1"]
#     soc2: ["CC7.2"]
#     iso27001-2022: ["A.8.16"]
#     pci-dss-4.0: ["10.4"]
#     hipaa: ["164.312(b)"]
#     nist-800-53-r5: ["SI-4", "AU-6"]
#     gdpr: ["Art.33"]
#     nist-csf-2.0: ["DE.CM-01"]
package vigil.rules.azure_activity_alert_policy_assignment_create_missing

fail contains r.id if {
	some r in input.resources.account
	r.facts.account.activity_alerts.policy_assignment_write == false
}

message[id] := "no enabled subscription-wide activity log alert on Microsoft.Authorization/policyAssignments/write" if some id in fail
