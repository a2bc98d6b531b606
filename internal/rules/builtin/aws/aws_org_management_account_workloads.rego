# METADATA
# title: "AWS organization's management account runs workloads"
# description: "The AWS Organizations management account holds workload resources (compute instances, Lambda functions, EKS clusters, databases, data warehouses, load balancers, S3 buckets). Governance plumbing is not a workload: a CloudTrail trail's or an AWS Config delivery channel's bucket (config-describe-delivery-channels.<region>.json) or a bucket whose policy lets a log delivery service put objects (cloudtrail.amazonaws.com, config.amazonaws.com, delivery.logs.amazonaws.com for flow, load balancer and CloudFront logs, logging.s3.amazonaws.com for server access logs), AWS Control Tower's functions and buckets (aws-controltower-*) and the resources of its stacks and stack sets (aws:cloudformation:stack-name AWSControlTower* / StackSet-AWSControlTower*); IAM roles (the Config recorder's, service-linked roles), IAM Identity Center and Organizations resources are not workload classes. No SCP or RCP can restrict the management account, and whoever compromises a workload there is one step from creating, closing and re-parenting every account of the organization (CIS AWS 7.0 2.1.3). Read from the AWS Organizations document, which names the management account, and the account's own inventory; when the inventory holds none of the account's own resources it is UNKNOWN. Member accounts are not judged."
# scope: package
# custom:
#   id: aws-org-management-account-workloads
#   severity: MEDIUM
#   category: identity
#   class: account
#   providers: [aws]
#   applies_to:
#     facts.account.cis.management_account: [true]
#   requires: [facts.account.cis.management_workload_count]
#   remediation: "Move the workloads to member accounts (one per environment or workload, in OUs with guardrail SCPs) and keep the management account for billing and organization management; limit who may sign in to it."
#   frameworks:
#     cis-aws-7.0: ["2.1.3"]
#     soc2: ["CC6.1"]
#     iso27001-2022: ["A.8.22"]
#     nist-800-53-r5: ["AC-6", "SC-7"]
#     nist-csf-2.0: ["PR.AA-05"]
package vigil.rules.aws_org_management_account_workloads

fail contains r.id if {
	some r in input.resources.account
	r.facts.account.cis.management_account == true
	r.facts.account.cis.management_workload_count > 0
}

message[r.id] := sprintf("the management account holds %d workload resources: %s", [r.facts.account.cis.management_workload_count, concat(", ", r.facts.account.cis.management_workloads)]) if {
	some r in input.resources.account
	r.id in fail
}
