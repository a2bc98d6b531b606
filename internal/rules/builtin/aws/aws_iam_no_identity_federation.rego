# METADATA
# title: "AWS account does not federate its users (no IAM SAML identity provider)"
# description: "The account has no IAM SAML identity provider: people sign in as IAM users of this account instead of through IAM Identity Center or the organization's identity provider, so their credentials, MFA and departures are managed account by account (CIS AWS 7.0 2.19, Manual). IAM Identity Center creates a SAML provider (AWSSSO_..._DO_NOT_DELETE) in every account it assigns. Read from aws iam list-saml-providers saved as aws/<account>/cli/iam-list-saml-providers.json (vigil collect writes it); without it the account is UNKNOWN."
# scope: package
# custom:
#   id: aws-iam-no-identity-federation
#   severity: LOW
#   category: identity
#   class: account
#   providers: [aws]
#   requires: [facts.account.cis.saml_provider]
#   remediation: "Manage people centrally: assign the account in IAM Identity Center (or add your identity provider with aws iam create-saml-provider) and replace IAM users who sign in to the console with federated access."
#   frameworks:
#     cis-aws-7.0: ["2.19"]
#     soc2: ["CC6.2"]
#     iso27001-2022: ["A.5.16"]
#     nist-800-53-r5: ["AC-2"]
#     nist-csf-2.0: ["PR.AA-01"]
package vigil.rules.aws_iam_no_identity_federation

fail contains r.id if {
	some r in input.resources.account
	r.facts.account.cis.saml_provider == false
}

message[r.id] := "no IAM SAML identity provider: users are not federated" if {
	some r in input.resources.account
	r.id in fail
}
