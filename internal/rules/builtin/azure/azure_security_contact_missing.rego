# METADATA
# title: "No security contact is configured for the subscription"
# description: "Microsoft Defender for Cloud has no security contact email, so Microsoft cannot notify anyone about detected compromises."
# scope: package
# custom:
#   id: azure-security-contact-missing
#   severity: LOW
#   category: monitoring
#   class: account
#   providers: [azure]
#   requires: [facts.account.security_contact]
#   remediation: "Configure security contact emails (and alert notifications) in Microsoft Defender for Cloud environment settings."
#   frameworks:
#     cis-azure-6.0: ["8.1.13"]
#     soc2: ["CC7.4"]
#     iso27001-2022: ["A.5.24"]
#     pci-dss-4.0: ["12.10.1"]
#     hipaa: ["164.308(a)(6)(ii)"]
#     nist-800-53-r5: ["IR-6"]
#     gdpr: ["Art.33"]
#     nist-csf-2.0: ["RS.CO-02"]
package vigil.rules.azure_security_contact_missing

fail contains r.id if {
	some r in input.resources.account
	r.facts.account.security_contact == false
}

message[id] := "no security contact email is configured" if some id in fail
