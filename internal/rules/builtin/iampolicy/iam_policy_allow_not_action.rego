# METADATA
# title: "Customer IAM policy allows NotAction on all resources"
# description: "A customer-managed or inline IAM policy has an unconditional Allow statement with NotAction on every resource: it grants every action except the listed ones, including those of services added later, which is almost always far broader than intended."
# scope: package
# custom:
#   id: iam-policy-allow-not-action
#   severity: MEDIUM
#   category: identity
#   class: iam_policy
#   providers: [aws]
#   requires: [facts.policy.document.statements]
#   applies_to:
#     facts.policy.managed: [customer, inline]
#   remediation: "Rewrite the statement as an Allow of the specific actions needed (Action, not NotAction); use NotAction only with Deny."
#   frameworks:
#     soc2: ["CC6.3"]
#     iso27001-2022: ["A.8.2"]
#     pci-dss-4.0: ["7.2.2"]
#     hipaa: ["164.308(a)(4)"]
#     nist-800-53-r5: ["AC-6"]
#     gdpr: ["Art.32(1)(b)"]
#     nist-csf-2.0: ["PR.AA-05"]
package vigil.rules.iam_policy_allow_not_action

fail contains r.id if {
	some r in input.resources.iam_policy
	r.facts.policy.managed in {"customer", "inline"}
	some s in r.facts.policy.document.statements
	s.effect == "Allow"
	count(s.not_actions) > 0
	not conditional(s)
	"*" in s.resources
}

conditional(s) if count(s.conditions) > 0

message[id] := "an Allow statement with NotAction applies to every resource" if some id in fail
