# METADATA
# title: "AWSCloudShellFullAccess is attached to an IAM principal"
# description: "An IAM user, group or role of the account has the AWS managed policy AWSCloudShellFullAccess, which lets it upload files to and download files from CloudShell environments: a path to move data and tools in and out of the account outside the controls on other channels. Known when the input holds the account's IAM principals with their attached policies."
# scope: package
# custom:
#   id: aws-cloudshell-full-access-attached
#   severity: MEDIUM
#   category: identity
#   class: account
#   providers: [aws]
#   requires: [facts.account.cis.cloud_shell_full_access]
#   remediation: "Detach AWSCloudShellFullAccess from the users, groups and roles (aws iam detach-user-policy / detach-group-policy / detach-role-policy --policy-arn arn:aws:iam::aws:policy/AWSCloudShellFullAccess); grant a custom policy that denies cloudshell:GetFileUploadUrls and cloudshell:GetFileDownloadUrls where CloudShell is needed."
#   frameworks:
#     cis-aws-7.0: ["2.20"]
#     soc2: ["CC6.3"]
#     iso27001-2022: ["A.8.2"]
#     pci-dss-4.0: ["7.2.2"]
#     nist-800-53-r5: ["AC-6"]
#     nist-csf-2.0: ["PR.AA-05"]
package vigil.rules.aws_cloudshell_full_access_attached

fail contains r.id if {
	some r in input.resources.account
	r.facts.account.cis.cloud_shell_full_access == true
}

message[r.id] := sprintf("AWSCloudShellFullAccess is attached to %s", [concat(", ", r.facts.account.cis.cloud_shell_holders)]) if {
	some r in input.resources.account
	r.id in fail
}
