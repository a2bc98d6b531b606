# METADATA
# title: "AWS organization does not manage member accounts' root credentials centrally"
# description: "IAM's centralized root access (the RootCredentialsManagement feature of the organization) is not enabled: every member account keeps its own root user's password, access keys and MFA devices, which must each be secured and watched, instead of having no root credentials and privileged root tasks run from the management account or a delegated administrator. Known when the input holds aws iam list-organizations-features (the OrganizationsFeatures key of the AWS Organizations document, which vigil collect writes)."
# scope: package
# custom:
#   id: aws-org-root-credentials-not-centralized
#   severity: MEDIUM
#   category: identity
#   class: org_unit
#   providers: [aws]
#   requires: [facts.org_unit.root_credentials_management]
#   remediation: "From the management account: aws organizations enable-aws-service-access --service-principal iam.amazonaws.com; aws iam enable-organizations-root-credentials-management (and enable-organizations-root-sessions), then delete the member accounts' root credentials (aws iam delete-login-profile etc. through sts assume-root)."
#   frameworks:
#     cis-aws-7.0: ["2.1.1"]
#     soc2: ["CC6.1"]
#     iso27001-2022: ["A.8.2"]
#     pci-dss-4.0: ["8.2"]
#     nist-800-53-r5: ["AC-2"]
#     nist-csf-2.0: ["PR.AA-01"]
package vigil.rules.aws_org_root_credentials_not_centralized

fail contains r.id if {
	some r in input.resources.org_unit
	r.facts.org_unit.root_credentials_management == false
}

message[id] := "IAM centralized root access (RootCredentialsManagement) is not enabled for the organization" if some id in fail
