# METADATA
# title: "AWS organization member account has no baseline authorization guardrail"
# description: "No service control policy (SCP) or resource control policy (RCP) other than the AWS-managed FullAWSAccess and RCPFullAWSAccess that every node carries by default is attached to the member account, an OU above it or the organization's root: nothing bounds what the account's own IAM administrators may do (leave the organization, stop CloudTrail or GuardDuty, use unapproved regions, share resources outside the organization) (CIS AWS 7.0 2.1.2). Read from the AWS Organizations document (roots, OUs, accounts and policies with their targets); when its tree or the policies' targets are incomplete and no guardrail is found, the account is UNKNOWN. The management account, which no SCP or RCP restricts, is not judged."
# scope: package
# custom:
#   id: aws-org-account-no-guardrails
#   severity: MEDIUM
#   category: identity
#   class: account
#   providers: [aws]
#   applies_to:
#     facts.account.scps.applies: [true, null]
#   requires: [facts.account.cis.org_guardrails]
#   remediation: "Attach baseline guardrail SCPs (and RCPs) to the root or to the OUs holding member accounts: deny leaving the organization, stopping or deleting CloudTrail, GuardDuty, AWS Config and Security Hub, using regions you do not approve, and access to your resources from outside the organization (aws organizations create-policy --type SERVICE_CONTROL_POLICY ...; aws organizations attach-policy --policy-id P --target-id OU)."
#   frameworks:
#     cis-aws-7.0: ["2.1.2"]
#     soc2: ["CC6.1", "CC6.3"]
#     iso27001-2022: ["A.5.15", "A.8.2"]
#     pci-dss-4.0: ["7.2.1"]
#     nist-800-53-r5: ["AC-6", "AC-3"]
#     nist-csf-2.0: ["PR.AA-05"]
package vigil.rules.aws_org_account_no_guardrails

fail contains r.id if {
	some r in input.resources.account
	r.facts.account.cis.org_guardrails == false
}

message[id] := "only the AWS-managed FullAWSAccess policies apply: no SCP or RCP of the organization's own bounds the account" if some id in fail
