# METADATA
# title: "Organization has no essential contacts for every CIS notification category"
# description: "The organization's own essential contacts do not subscribe, between them, to the LEGAL, SECURITY, SUSPENSION, TECHNICAL and TECHNICAL_INCIDENTS notifications (or ALL): Google's notices of that kind reach no one chosen for them. Known when the input holds essential contacts."
# scope: package
# custom:
#   id: gcp-org-essential-contacts-missing
#   severity: LOW
#   category: governance
#   class: org_unit
#   providers: [gcp]
#   requires: [facts.org_unit.essential_contacts]
#   remediation: "Add essential contacts at the organization for each category (gcloud essential-contacts create --organization=ORG_ID --email=... --notification-categories=legal,security,suspension,technical,technical-incidents)."
#   frameworks:
#     cis-gcp-5.0: ["1.17"]
#     soc2: ["CC7.4"]
#     iso27001-2022: ["A.5.24"]
#     pci-dss-4.0: ["12.10.1"]
#     nist-800-53-r5: ["IR-6"]
#     nist-csf-2.0: ["RS.CO-02"]
package vigil.rules.gcp_org_essential_contacts_missing

fail contains r.id if {
	some r in input.resources.org_unit
	r.facts.org_unit.essential_contacts == false
}
