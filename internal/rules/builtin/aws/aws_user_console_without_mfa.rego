# METADATA
# title: "IAM user with console password has no MFA"
# description: "An IAM user can sign in to the AWS Management Console with a password alone. Read from the IAM credential report (aws iam get-credential-report, Content decoded, saved as credential-report.csv; vigil collect writes it); without it a user is UNKNOWN."
# scope: package
# custom:
#   id: aws-user-console-without-mfa
#   severity: HIGH
#   category: identity
#   class: identity
#   providers: [aws]
#   applies_to:
#     facts.identity.kind: [user]
#   requires: [facts.identity.console_access, facts.identity.mfa_enabled]
#   remediation: "Enable an MFA device for the user (or remove the console password), and enforce MFA with an IAM policy condition aws:MultiFactorAuthPresent."
#   frameworks:
#     cis-aws-7.0: ["2.10"]
#     soc2: ["CC6.1"]
#     iso27001-2022: ["A.8.5"]
#     pci-dss-4.0: ["8.4.2"]
#     hipaa: ["164.312(d)"]
#     nist-800-53-r5: ["IA-2(1)"]
#     gdpr: ["Art.32(1)(b)"]
#     nist-csf-2.0: ["PR.AA-03"]
package vigil.rules.aws_user_console_without_mfa

fail contains r.id if {
	some r in input.resources.identity
	r.facts.identity.kind == "user"
	r.facts.identity.console_access == true
	r.facts.identity.mfa_enabled == false
}

message[id] := "console password without an MFA device" if some id in fail
