# METADATA
# title: "AWS organization has no delegated administrator for its integrated services"
# description: "No member account is registered as a delegated administrator of an AWS service integrated with Organizations (Security Hub, GuardDuty, IAM Access Analyzer, Config, CloudFormation StackSets...): administering those services for the organization needs the management account, whose use should be kept to what only it can do. Known when the input holds aws organizations list-delegated-administrators (the DelegatedAdministrators key of the AWS Organizations document, which vigil collect writes); a suspended account does not count, and whether each integrated service has one is not checked."
# scope: package
# custom:
#   id: aws-org-no-delegated-administrator
#   severity: LOW
#   category: governance
#   class: org_unit
#   providers: [aws]
#   requires: [facts.org_unit.delegated_administration]
#   remediation: "Register a member account (a security or tooling account) as the delegated administrator of each integrated service (aws organizations register-delegated-administrator --account-id ID --service-principal SERVICE, or the service's own enable-organization-admin-account call)."
#   frameworks:
#     cis-aws-7.0: ["2.1.6"]
#     soc2: ["CC6.3"]
#     iso27001-2022: ["A.5.3"]
#     nist-800-53-r5: ["AC-5"]
#     nist-csf-2.0: ["GV.RR-02"]
package vigil.rules.aws_org_no_delegated_administrator

fail contains r.id if {
	some r in input.resources.org_unit
	r.facts.org_unit.delegated_administration == false
}

message[id] := "no account is a delegated administrator of an Organizations-integrated service" if some id in fail
