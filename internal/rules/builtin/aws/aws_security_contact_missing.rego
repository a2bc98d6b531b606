# METADATA
# title: "No security contact is registered for the AWS account"
# description: "The account has no SECURITY alternate contact, so AWS security notifications reach only the root email address. Read from aws account get-alternate-contact --alternate-contact-type SECURITY (and BILLING, OPERATIONS), saved as alternate-contact-<type>.json under aws/<account>/ (vigil collect writes them); without them the account is UNKNOWN."
# scope: package
# custom:
#   id: aws-security-contact-missing
#   severity: LOW
#   category: monitoring
#   class: account
#   providers: [aws]
#   requires: [facts.account.security_contact]
#   remediation: "Register a security alternate contact (aws account put-alternate-contact --alternate-contact-type SECURITY)."
#   frameworks:
#     cis-aws-7.0: ["2.3"]
#     soc2: ["CC7.4"]
#     iso27001-2022: ["A.5.24"]
#     pci-dss-4.0: ["12.10.1"]
#     hipaa: ["164.308(a)(6)(ii)"]
#     nist-800-53-r5: ["IR-6"]
#     gdpr: ["Art.33"]
#     nist-csf-2.0: ["RS.CO-02"]
package vigil.rules.aws_security_contact_missing

fail contains r.id if {
	some r in input.resources.account
	r.facts.account.security_contact == false
}

message[id] := "no security alternate contact is registered" if some id in fail
