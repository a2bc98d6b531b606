# METADATA
# title: "Root user has no MFA"
# description: "The AWS account root user can sign in with a password alone; the root user has unrestricted access to the account. Read from the IAM credential report (aws iam get-credential-report, Content decoded, saved as credential-report.csv; vigil collect writes it); without it root is UNKNOWN."
# scope: package
# custom:
#   id: aws-root-mfa-disabled
#   severity: CRITICAL
#   category: identity
#   class: identity
#   providers: [aws]
#   applies_to:
#     facts.identity.kind: [root]
#   requires: [facts.identity.mfa_enabled]
#   remediation: "Enable MFA (preferably hardware) for the root user, or centralize root access in AWS Organizations."
#   frameworks:
#     cis-aws-7.0: ["2.5"]
#     soc2: ["CC6.1"]
#     iso27001-2022: ["A.8.5"]
#     pci-dss-4.0: ["8.4.1"]
#     hipaa: ["164.312(d)"]
#     nist-800-53-r5: ["IA-2(1)"]
#     gdpr: ["Art.32(1)(b)"]
#     nist-csf-2.0: ["PR.AA-03"]
package vigil.rules.aws_root_mfa_disabled

fail contains r.id if {
	some r in input.resources.identity
	r.facts.identity.kind == "root"
	r.facts.identity.mfa_enabled == false
}

message[id] := "the root user has no MFA device" if some id in fail
