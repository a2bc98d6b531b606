# METADATA
# title: "Defender for Cloud does not email security alerts"
# description: "No security contact of the subscription is notified about alerts from a minimal severity (a notification source of type Alert), so detected threats are only seen by someone who opens the portal."
# scope: package
# custom:
#   id: azure-security-alert-notifications-disabled
#   severity: LOW
#   category: monitoring
#   class: account
#   providers: [azure]
#   requires: [facts.account.security_notifications.alert_notifications]
#   remediation: "In Defender for Cloud > Environment settings > Email notifications, enable 'Notify about alerts with the following severity (or higher)' and choose High or lower."
#   frameworks:
#     cis-azure-6.0: ["8.1.14"]
#     soc2: ["CC7.4"]
#     iso27001-2022: ["A.5.24"]
#     pci-dss-4.0: ["12.10.1"]
#     hipaa: ["164.308(a)(6)(ii)"]
#     nist-800-53-r5: ["IR-6"]
#     gdpr: ["Art.33"]
#     nist-csf-2.0: ["RS.CO-02"]
package vigil.rules.azure_security_alert_notifications_disabled

fail contains r.id if {
	some r in input.resources.account
	r.facts.account.security_notifications.alert_notifications == false
}

message[id] := "no alert notification source (sourceType Alert) is configured" if some id in fail
