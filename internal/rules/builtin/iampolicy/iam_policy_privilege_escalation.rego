# METADATA
# title: "Customer IAM policy allows privilege escalation through IAM"
# description: "A customer-managed or inline IAM policy allows, on every resource and without a condition, IAM actions that let the holder grant itself more rights (iam:*, attaching or writing policies, creating policy versions, changing role trust policies). Whoever holds it can become an administrator."
# scope: package
# custom:
#   id: iam-policy-privilege-escalation
#   severity: HIGH
#   category: identity
#   class: iam_policy
#   providers: [aws]
#   requires: [facts.policy.document.statements]
#   applies_to:
#     facts.policy.managed: [customer, inline]
#   remediation: "Remove the IAM write actions from the policy, or restrict them to specific resources and add a permissions boundary; delegate IAM administration to a reviewed role."
#   frameworks:
#     soc2: ["CC6.3"]
#     iso27001-2022: ["A.8.2"]
#     pci-dss-4.0: ["7.2.2"]
#     hipaa: ["164.308(a)(4)"]
#     nist-800-53-r5: ["AC-6"]
#     gdpr: ["Art.32(1)(b)"]
#     nist-csf-2.0: ["PR.AA-05"]
package vigil.rules.iam_policy_privilege_escalation

# Actions that let a principal raise its own privileges (lower case).
escalation := {
	"iam:attachuserpolicy", "iam:attachgrouppolicy", "iam:attachrolepolicy",
	"iam:putuserpolicy", "iam:putgrouppolicy", "iam:putrolepolicy",
	"iam:createpolicyversion", "iam:setdefaultpolicyversion", "iam:updateassumerolepolicy",
	"iam:addusertogroup", "iam:createaccesskey", "iam:createloginprofile", "iam:updateloginprofile",
}

conditional(s) if count(s.conditions) > 0

# Full-admin statements are iam-policy-admin's.
admin_actions := {"*", "*:*"}

fail contains r.id if {
	some r in input.resources.iam_policy
	r.facts.policy.managed in {"customer", "inline"}
	some s in r.facts.policy.document.statements
	escalates(s)
}

escalates(s) if {
	s.effect == "Allow"
	not conditional(s)
	"*" in s.resources
	not admin(s)
	some a in s.actions
	escalating(a)
}

admin(s) if {
	some a in s.actions
	a in admin_actions
}

# escalating(a) is true when the IAM action pattern a, lower-cased (with *
# and ? wildcards), covers an escalation action. glob.match caches each
# compiled pattern; the engine computes the function in Go (native.go).
escalating(a) if lower(a) in escalation

escalating(a) if {
	p := lower(a)
	wildcard(p)
	some e in escalation
	glob.match(p, null, e)
}

wildcard(p) if contains(p, "*")

wildcard(p) if contains(p, "?")

message[id] := "policy allows IAM actions that grant more privileges on every resource" if some id in fail
