# METADATA
# title: "IAM group has an inline policy granting full administrative privileges"
# description: "An IAM group has an inline policy that allows every action on every resource without a condition, making every member a full administrator through a policy that is invisible in the managed-policy inventory."
# scope: package
# custom:
#   id: group-inline-admin-policy
#   severity: HIGH
#   category: identity
#   class: group
#   providers: [aws]
#   requires:
#     - [facts.group.inline_documents, facts.group.admin]
#   remediation: "Delete the inline policy; grant administrators the AWS-managed AdministratorAccess policy (or narrower managed policies) and keep the group small and reviewed."
#   frameworks:
#     cis-aws-7.0: ["2.14"]
#     soc2: ["CC6.3"]
#     iso27001-2022: ["A.8.2"]
#     pci-dss-4.0: ["7.2.2"]
#     hipaa: ["164.308(a)(4)"]
#     nist-800-53-r5: ["AC-6"]
#     gdpr: ["Art.32(1)(b)"]
#     nist-csf-2.0: ["PR.AA-05"]
package vigil.rules.group_inline_admin_policy

admin_actions := {"*", "*:*"}

fail contains r.id if {
	some r in input.resources.group
	some p in r.facts.group.inline_documents
	some s in p.document.statements
	s.effect == "Allow"
	not conditional(s)
	some a in s.actions
	a in admin_actions
	"*" in s.resources
}

conditional(s) if count(s.conditions) > 0

message[id] := "an inline policy of the group allows * on *" if some id in fail
