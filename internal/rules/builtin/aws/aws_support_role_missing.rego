# METADATA
# title: "No IAM role can manage incidents with AWS Support"
# description: "No IAM role of the account has the AWSSupportAccess managed policy attached, so incidents cannot be raised with AWS Support without broader rights. Known when the input holds the account's IAM roles."
# scope: package
# custom:
#   id: aws-support-role-missing
#   severity: LOW
#   category: identity
#   class: account
#   providers: [aws]
#   requires: [facts.account.cis.support_role]
#   remediation: "Create a role for the support team and attach arn:aws:iam::aws:policy/AWSSupportAccess to it (aws iam attach-role-policy --role-name SUPPORT_ROLE --policy-arn arn:aws:iam::aws:policy/AWSSupportAccess)."
#   frameworks:
#     cis-aws-7.0: ["2.15"]
#     soc2: ["CC7.4"]
#     iso27001-2022: ["A.5.24"]
#     pci-dss-4.0: ["12.10.1"]
#     nist-800-53-r5: ["IR-7"]
#     nist-csf-2.0: ["RS.MA-01"]
package vigil.rules.aws_support_role_missing

fail contains r.id if {
	some r in input.resources.account
	r.facts.account.cis.support_role == false
}

message[id] := "no IAM role has the AWSSupportAccess policy attached" if some id in fail
