# METADATA
# title: "Defender for Cloud does not email attack paths"
# description: "No security contact of the subscription is notified about attack paths from a minimal risk level (a notification source of type AttackPath)."
# scope: package
# custom:
#   id: azure-attack-path-notifications-disabled
#   severity: LOW
#   category: monitoring
#   class: account
#   providers: [azure]
#   requires: [facts.account.security_notifications.attack_path_notifications]
#   remediation: "In Defender for Cloud > Environment settings > Email notifications, enable 'Notify about attack paths with the following risk level (or higher)'."
#   frameworks:
#     cis-azure-6.0: ["8.1.15"]
#     soc2: ["CC7.4"]
#     iso27001-2022: ["A.5.24"]
#     pci-dss-4.0: ["12.10.1"]
#     hipaa: ["164.308(a)(6)(ii)"]
#     nist-800-53-r5: ["IR-6"]
#     gdpr: ["Art.33"]
#     nist-csf-2.0: ["RS.CO-02"]
package vigil.rules.azure_attack_path_notifications_disabled

fail contains r.id if {
	some r in input.resources.account
	r.facts.account.security_notifications.attack_path_notifications == false
}

message[id] := "no attack path notification source (sourceType AttackPath) is configured" if some id in fail
