# METADATA
# title: "No activity log alert for Service Health"
# description: "No enabled activity log alert scoped to the subscription fires on Service Health events (category ServiceHealth), so service incidents, planned maintenance and health advisories affecting the subscription go unnoticed."
# scope: package
# custom:
#   id: azure-activity-alert-service-health-missing
#   severity: LOW
#   category: monitoring
#   class: account
#   providers: [azure]
#   requires: [facts.account.activity_alerts.service_health]
#   remediation: "Create a Service Health alert on the subscription (an activity log alert whose condition has category ServiceHealth) with an action group."
#   frameworks:
#     cis-azure-6.0: ["6.1.2.11"]
#     soc2: ["CC7.2"]
#     iso27001-2022: ["A.8.16"]
#     pci-dss-4.0: ["10.4"]
#     hipaa: ["164.312(b)"]
#     nist-800-53-r5: ["SI-4", "AU-6"]
#     gdpr: ["Art.33"]
#     nist-csf-2.0: ["DE.CM-01"]
package vigil.rules.azure_activity_alert_service_health_missing

fail contains r.id if {
	some r in input.resources.account
	r.facts.account.activity_alerts.service_health == false
}

message[id] := "no enabled subscription-wide activity log alert on Service Health events" if some id in fail
