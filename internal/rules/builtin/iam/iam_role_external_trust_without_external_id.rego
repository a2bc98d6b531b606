# METADATA
# title: "IAM role trusts another account without an external ID"
# description: "The trust policy of an IAM role lets principals of another AWS account assume it with no sts:ExternalId (or aws:PrincipalOrgID / aws:SourceAccount / aws:SourceArn) condition. When that account is a third-party service, any of its other customers can trick it into using the role (the confused deputy problem)."
# scope: package
# custom:
#   id: iam-role-external-trust-without-external-id
#   severity: MEDIUM
#   category: identity
#   class: identity
#   providers: [aws]
#   requires: [facts.identity.trust_policy.statements]
#   applies_to:
#     facts.identity.kind: [role]
#   remediation: "Add a Condition with StringEquals sts:ExternalId set to the value agreed with the third party (or aws:PrincipalOrgID for accounts of your organization) to every statement trusting another account."
#   frameworks:
#     soc2: ["CC6.1", "CC6.3"]
#     iso27001-2022: ["A.5.15", "A.5.19"]
#     nist-800-53-r5: ["AC-3", "AC-20"]
package vigil.rules.iam_role_external_trust_without_external_id

# Condition keys that tie a cross-account trust to the intended caller.
binding_keys := {"sts:externalid", "aws:principalorgid", "aws:principalorgpaths", "aws:sourceaccount", "aws:sourcearn", "aws:sourceorgid"}

fail contains r.id if {
	some r in input.resources.identity
	r.facts.identity.kind == "role"
	some s in r.facts.identity.trust_policy.statements
	s.effect == "Allow"
	some p in s.principals
	p.type == "AWS"
	external(p.id, r.account)
	not bound(s)
}

bound(s) if {
	some c in s.conditions
	lower(c.key) in binding_keys
}

# external(id, acct): a principal ARN or account ID of an account other
# than the role's own.
external(id, acct) if {
	other := account_of(id)
	other != acct
}

account_of(id) := id if regex.match(`^[0-9]{12}$`, id)

account_of(id) := parts[4] if {
	parts := split(id, ":")
	count(parts) >= 6
	parts[0] == "arn"
	regex.match(`^[0-9]{12}$`, parts[4])
}

message[id] := "another account may assume the role without an external ID condition" if some id in fail
