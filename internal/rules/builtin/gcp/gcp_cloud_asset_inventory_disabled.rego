# METADATA
# title: "Cloud Asset Inventory API is not enabled on the project"
# description: "The project does not enable cloudasset.googleapis.com, so its resources and IAM policies have no queryable history: the five weeks of changes Cloud Asset Inventory keeps, which investigations and compliance audits rely on, are not recorded. Known when the export holds the project's enabled services (serviceusage.googleapis.com/Service assets)."
# scope: package
# custom:
#   id: gcp-cloud-asset-inventory-disabled
#   severity: LOW
#   category: monitoring
#   class: account
#   providers: [gcp]
#   requires: [facts.account.cis.cloud_asset_api]
#   remediation: "Enable the Cloud Asset API on the project (gcloud services enable cloudasset.googleapis.com --project PROJECT)."
#   frameworks:
#     cis-gcp-5.0: ["2.14"]
#     soc2: ["CC7.1"]
#     iso27001-2022: ["A.5.9"]
#     pci-dss-4.0: ["12.5"]
#     nist-800-53-r5: ["CM-8"]
#     nist-csf-2.0: ["ID.AM-02"]
package vigil.rules.gcp_cloud_asset_inventory_disabled

fail contains r.id if {
	some r in input.resources.account
	r.facts.account.cis.cloud_asset_api == false
}

message[id] := "cloudasset.googleapis.com is not enabled" if some id in fail
