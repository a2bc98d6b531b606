# METADATA
# title: "Customer IAM policy grants full administrative privileges"
# description: "A customer-managed or inline IAM policy allows every action (\"*\") on every resource without a condition. Whoever it is attached to, now or later, becomes a full administrator; grant least privilege instead. AWS-managed policies such as AdministratorAccess are not judged by this rule."
# scope: package
# custom:
#   id: iam-policy-admin
#   severity: HIGH
#   category: identity
#   class: iam_policy
#   providers: [aws]
#   requires:
#     - [facts.policy.admin, facts.policy.document.statements]
#   applies_to:
#     facts.policy.managed: [customer, inline]
#   remediation: "Replace the \"Action\": \"*\" / \"Resource\": \"*\" statement with the specific actions and resources the principals need, or detach the policy; keep full administrators on the AWS-managed AdministratorAccess policy behind MFA and a small, reviewed group."
#   frameworks:
#     cis-aws-7.0: ["2.14"]
#     soc2: ["CC6.3"]
#     iso27001-2022: ["A.8.2"]
#     pci-dss-4.0: ["7.2.2"]
#     hipaa: ["164.308(a)(4)"]
#     nist-800-53-r5: ["AC-6"]
#     gdpr: ["Art.32(1)(b)"]
#     nist-csf-2.0: ["PR.AA-05"]
package vigil.rules.iam_policy_admin

admin_actions := {"*", "*:*"}

# AWS-managed policies are out of scope (custom.applies_to); the guard keeps
# the rule right when evaluated without the engine.
customer(p) if p.managed in {"customer", "inline"}

fail contains r.id if {
	some r in input.resources.iam_policy
	customer(r.facts.policy)
	r.facts.policy.admin == true
}

admin_known(p) if is_boolean(p.admin)

# Without the importer's admin fact, read the parsed document.
fail contains r.id if {
	some r in input.resources.iam_policy
	customer(r.facts.policy)
	not admin_known(r.facts.policy)
	grants_all(r.facts.policy.document)
}

# As the importers judge it: an Allow of every action on every resource,
# conditions or not (an admin grant behind MFA is still an admin grant),
# that no unconditional Deny of everything takes back.
grants_all(d) if {
	some s in d.statements
	s.effect == "Allow"
	everything(s)
	not denies_all(d)
}

everything(s) if {
	some a in s.actions
	a in admin_actions
	"*" in s.resources
}

denies_all(d) if {
	some s in d.statements
	s.effect == "Deny"
	not conditional(s)
	everything(s)
}

conditional(s) if count(s.conditions) > 0

message[r.id] := msg if {
	some r in input.resources.iam_policy
	r.id in fail
	msg := attached_message(r.facts.policy)
}

attached_message(p) := sprintf("policy allows * on * and is attached to %s", [concat(", ", p.attached_to)]) if count(p.attached_to) > 0

else := "policy allows * on *"
