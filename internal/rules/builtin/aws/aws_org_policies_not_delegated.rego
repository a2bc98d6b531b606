# METADATA
# title: "AWS organization's policy management is not delegated to a member account"
# description: "The organization's resource-based delegation policy grants no member account the management of its policies (organizations:CreatePolicy, UpdatePolicy, AttachPolicy...), or the organization has none: every change of a service control, resource control, backup or tag policy needs the management account, whose use should be kept to what only it can do (CIS AWS 7.0 2.1.5, Manual). Read from aws organizations describe-resource-policy, the ResourcePolicy key of the AWS Organizations document (aws/organizations.json; vigil collect writes it, null when the organization has no resource policy); without it the organization is UNKNOWN."
# scope: package
# custom:
#   id: aws-org-policies-not-delegated
#   severity: LOW
#   category: governance
#   class: org_unit
#   providers: [aws]
#   requires: [facts.org_unit.policy_delegation]
#   remediation: "Delegate policy management to a security or platform account with an Organizations resource policy (aws organizations put-resource-policy --content file://delegation.json allowing organizations:CreatePolicy, UpdatePolicy, DeletePolicy, AttachPolicy and DetachPolicy to that account, with organizations:PolicyType conditions as needed)."
#   frameworks:
#     cis-aws-7.0: ["2.1.5"]
#     soc2: ["CC6.3"]
#     iso27001-2022: ["A.5.3"]
#     nist-800-53-r5: ["AC-5"]
#     nist-csf-2.0: ["GV.RR-02"]
package vigil.rules.aws_org_policies_not_delegated

fail contains r.id if {
	some r in input.resources.org_unit
	r.facts.org_unit.policy_delegation == false
}

message[r.id] := "no member account may manage the organization's policies (no delegation in its resource policy)" if {
	some r in input.resources.org_unit
	r.id in fail
}
