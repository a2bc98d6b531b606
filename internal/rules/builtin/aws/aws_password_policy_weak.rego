# METADATA
# title: "IAM password policy is weak"
# description: "The account password policy allows passwords shorter than 14 characters or lets users reuse one of their last 24 passwords. Read from aws iam get-account-password-policy, saved as password-policy.json under aws/<account>/ (an account without a policy prints {PasswordPolicy: null}; vigil collect writes it)."
# scope: package
# custom:
#   id: aws-password-policy-weak
#   severity: MEDIUM
#   category: identity
#   class: password_policy
#   providers: [aws]
#   requires: [facts.password_policy.min_length, facts.password_policy.reuse_prevention]
#   remediation: "Set the account password policy to MinimumPasswordLength >= 14 and PasswordReusePrevention = 24 (aws iam update-account-password-policy)."
#   frameworks:
#     cis-aws-7.0: ["2.8", "2.9"]
#     soc2: ["CC6.1"]
#     iso27001-2022: ["A.5.17"]
#     pci-dss-4.0: ["8.3.6", "8.3.7"]
#     hipaa: ["164.308(a)(5)(ii)(D)"]
#     nist-800-53-r5: ["IA-5(1)"]
#     gdpr: ["Art.32(1)(b)"]
#     nist-csf-2.0: ["PR.AA-03"]
package vigil.rules.aws_password_policy_weak

min_length := 14

min_reuse_prevention := 24

problems(p) := array.concat(
	[sprintf("minimum length %d (< %d)", [p.min_length, min_length]) | is_number(p.min_length); p.min_length < min_length],
	[sprintf("reuse prevention %d (< %d)", [p.reuse_prevention, min_reuse_prevention]) | is_number(p.reuse_prevention); p.reuse_prevention < min_reuse_prevention],
)

fail contains r.id if {
	some r in input.resources.password_policy
	count(problems(r.facts.password_policy)) > 0
}

message[r.id] := concat("; ", problems(r.facts.password_policy)) if {
	some r in input.resources.password_policy
	r.id in fail
}
