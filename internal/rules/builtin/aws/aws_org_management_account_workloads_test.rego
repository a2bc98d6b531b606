package vigil.rules.aws_org_management_account_workloads_test

import data.vigil.rules.aws_org_management_account_workloads as rule

one(cis) := {"resources": {"account": [{"id": "r1", "provider": "aws", "type": "AWS::::Account", "facts": {"account": {"cis": cis}}}]}}

test_fail_workloads if {
	doc := one({"management_account": true, "management_workload_count": 2, "management_workloads": ["i-0abc", "arn:aws:s3:::customer-data"]})
	"r1" in rule.fail with input as doc
	rule.message.r1 == "the management account holds 2 workload resources: i-0abc, arn:aws:s3:::customer-data" with input as doc
}

test_pass_governance_only if {
	not "r1" in rule.fail with input as one({"management_account": true, "management_workload_count": 0})
}

test_unknown_inventory_absent if {
	not "r1" in rule.fail with input as one({"management_account": true})
}
