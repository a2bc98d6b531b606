# METADATA
# title: "The project is not inside a VPC Service Controls perimeter"
# description: "No enforced regular VPC Service Controls perimeter of the organization's access policy holds the project and restricts a service, so data in its Google-managed services (Cloud Storage, BigQuery and the like) can be copied out with stolen but valid credentials from anywhere (CIS GCP 5.0 3.8). A bridge perimeter, a perimeter restricting no service and a dry-run spec do not count. Read from the organization's access-policy export (gcloud asset export --organization ORG --content-type access-policy, saved as gcp/organization-ORG/access_policy.json; vigil collect writes it); a project whose organization's policies are not in the input is UNKNOWN."
# scope: package
# custom:
#   id: gcp-vpc-service-controls-missing
#   severity: LOW
#   category: network
#   class: account
#   providers: [gcp]
#   requires: [facts.account.cis.vpc_service_controls]
#   remediation: "Add the project to a regular service perimeter of the organization's access policy that restricts the supported services it uses (gcloud access-context-manager perimeters update PERIMETER --policy POLICY --add-resources projects/PROJECT_NUMBER --add-restricted-services storage.googleapis.com,bigquery.googleapis.com), after a dry-run period."
#   frameworks:
#     cis-gcp-5.0: ["3.8"]
#     soc2: ["CC6.6"]
#     iso27001-2022: ["A.8.22"]
#     nist-800-53-r5: ["SC-7"]
#     nist-csf-2.0: ["PR.IR-01"]
package vigil.rules.gcp_vpc_service_controls_missing

fail contains r.id if {
	some r in input.resources.account
	r.facts.account.cis.vpc_service_controls == false
}

message[id] := "no enforced VPC Service Controls perimeter holds the project and restricts a service" if some id in fail
