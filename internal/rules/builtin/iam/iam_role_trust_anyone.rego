# METADATA
# title: "IAM role can be assumed by anyone"
# description: "The trust policy of an IAM role allows Principal \"*\" (any AWS account, any user) to assume it without a restricting condition, so anyone who learns the role's ARN gets its permissions."
# scope: package
# custom:
#   id: iam-role-trust-anyone
#   severity: CRITICAL
#   category: identity
#   class: identity
#   providers: [aws]
#   requires: [facts.identity.trust_policy.statements]
#   applies_to:
#     facts.identity.kind: [role]
#   remediation: "Replace the \"*\" principal with the specific accounts, roles or services that must assume the role, or add conditions that restrict it (aws:PrincipalOrgID, sts:ExternalId, aws:SourceArn)."
#   frameworks:
#     cis-aws-7.0: ["2.21"]
#     soc2: ["CC6.1", "CC6.6"]
#     iso27001-2022: ["A.5.15", "A.8.3"]
#     pci-dss-4.0: ["1.4.1", "7.2.1"]
#     hipaa: ["164.312(a)(1)"]
#     nist-800-53-r5: ["AC-3", "SC-7"]
#     gdpr: ["Art.32(1)(b)"]
#     nist-csf-2.0: ["PR.AA-05"]
package vigil.rules.iam_role_trust_anyone

fail contains r.id if {
	some r in input.resources.identity
	r.facts.identity.kind == "role"
	some s in r.facts.identity.trust_policy.statements
	s.effect == "Allow"
	not conditional(s)
	anyone(s)
}

conditional(s) if count(s.conditions) > 0

anyone(s) if {
	some p in s.principals
	p.id == "*"
	p.type in {"*", "AWS"}
}

# Allow with NotPrincipal trusts everyone but the listed principals.
anyone(s) if count(s.not_principals) > 0

message[id] := "the trust policy lets anyone assume the role" if some id in fail
