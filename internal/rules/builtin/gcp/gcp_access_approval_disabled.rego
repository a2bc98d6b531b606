# METADATA
# title: "Access Approval is not enabled on the project"
# description: "Neither the project nor a folder or organization above it enrolls services in Access Approval, so Google personnel can access the project's content (under Access Transparency's logging) without the customer's explicit approval (CIS GCP 5.0 2.16). Read from the project's Access Approval settings, which Cloud Asset Inventory does not export: gcloud access-approval settings get --project PROJECT --format json saved as gcp/PROJECT/accessapproval.json (vigil collect writes it), or Terraform's google_project_access_approval_settings; a project without them is UNKNOWN. Access Approval needs an Assured Workloads or Enhanced/Premium support subscription."
# scope: package
# custom:
#   id: gcp-access-approval-disabled
#   severity: LOW
#   category: identity
#   class: account
#   providers: [gcp]
#   requires: [facts.account.cis.access_approval]
#   remediation: "Enable Access Approval for all services of the project (gcloud access-approval settings update --project PROJECT --enrolled_services all --notification_emails SECOPS@EXAMPLE.COM), or at the folder or organization, and name who approves requests."
#   frameworks:
#     cis-gcp-5.0: ["2.16"]
#     soc2: ["CC6.1"]
#     iso27001-2022: ["A.5.19"]
#     nist-800-53-r5: ["AC-3"]
#     nist-csf-2.0: ["PR.AA-05"]
package vigil.rules.gcp_access_approval_disabled

fail contains r.id if {
	some r in input.resources.account
	r.facts.account.cis.access_approval == false
}

message[id] := "Access Approval enrolls no service of the project (nor of a folder or organization above it)" if some id in fail
