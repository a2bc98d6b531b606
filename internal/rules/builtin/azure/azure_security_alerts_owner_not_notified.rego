# METADATA
# title: "Subscription owners are not emailed about Defender for Cloud alerts"
# description: "No security contact of the subscription sends email notifications to the Owner role (notificationsByRole On with Owner), so the people accountable for the subscription may not learn of a compromise."
# scope: package
# custom:
#   id: azure-security-alerts-owner-not-notified
#   severity: LOW
#   category: monitoring
#   class: account
#   providers: [azure]
#   requires: [facts.account.security_notifications.owner_notified]
#   remediation: "In Defender for Cloud > Environment settings > Email notifications, select 'All users with the following roles' and Owner."
#   frameworks:
#     cis-azure-6.0: ["8.1.12"]
#     soc2: ["CC7.4"]
#     iso27001-2022: ["A.5.24"]
#     pci-dss-4.0: ["12.10.1"]
#     hipaa: ["164.308(a)(6)(ii)"]
#     nist-800-53-r5: ["IR-6"]
#     gdpr: ["Art.33"]
#     nist-csf-2.0: ["RS.CO-02"]
package vigil.rules.azure_security_alerts_owner_not_notified

fail contains r.id if {
	some r in input.resources.account
	r.facts.account.security_notifications.owner_notified == false
}

message[id] := "security contact notifications do not include the Owner role" if some id in fail
