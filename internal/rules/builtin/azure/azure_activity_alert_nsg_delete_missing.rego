# METADATA
# title: "No activity log alert for Delete Network Security Group"
# description: "No enabled activity log alert scoped to the subscription fires on the operation Microsoft.Network/networkSecurityGroups/delete, so the change is not brought to anyone's attention."
# scope: package
# custom:
#   id: azure-activity-alert-nsg-delete-missing
#   severity: LOW
#   category: monitoring
#   class: account
#   providers: [azure]
#   requires: [facts.account.activity_alerts.nsg_delete]
#   remediation: "Create an activity log alert on the subscription for category Administrative and operation name Microsoft.Network/networkSecurityGroups/delete, with an action group (az monitor activity-log alert create --condition category=Administrative and operationName=Microsoft.Network/networkSecurityGroups/delete --scope /subscriptions/<id>)."
#   frameworks:
#     cis-azure-6.0: ["6.1.2.4"]
#     soc2: ["CC7.2"]
#     iso27001-2022: ["A.8.16"]
#     pci-dss-4.0: ["10.4"]
#     hipaa: ["164.312(b)"]
#     nist-800-53-r5: ["SI-4", "AU-6"]
#     gdpr: ["Art.33"]
#     nist-csf-2.0: ["DE.CM-01"]
package vigil.rules.azure_activity_alert_nsg_delete_missing

fail contains r.id if {
	some r in input.resources.account
	r.facts.account.activity_alerts.nsg_delete == false
}

message[id] := "no enabled subscription-wide activity log alert on Microsoft.Network/networkSecurityGroups/delete" if some id in fail
