# METADATA
# title: "BigQuery data is not classified by Sensitive Data Protection"
# description: "The project holds BigQuery datasets, but no running Sensitive Data Protection discovery configuration with a BigQuery target (of the project, or starting at a folder above it or its organization) profiles them, so sensitive columns are neither found nor classified (CIS GCP 5.0 7.4, Manual: a discovery scan configuration for the organization or the project). Read from the DLP API's discovery configuration listings, which Cloud Asset Inventory does not export: GET https://dlp.googleapis.com/v2/projects/PROJECT/locations/LOCATION/discoveryConfigs saved as gcp/PROJECT/dlpdiscoveryconfigs.json and the organization's (GET .../v2/organizations/ORG/locations/LOCATION/discoveryConfigs, folders' configurations included) as gcp/organization-ORG/dlpdiscoveryconfigs.json (an array of list responses for several locations); a project without both listings (its own alone when it is in no organization) is UNKNOWN; a paused configuration, or a BigQuery target set to disabled, profiles nothing."
# scope: package
# custom:
#   id: gcp-bigquery-data-not-classified
#   severity: LOW
#   category: governance
#   class: account
#   providers: [gcp]
#   applies_to:
#     facts.account.cis.bigquery_data: [true]
#   requires: [facts.account.cis.bigquery_discovery]
#   remediation: "Create a discovery scan configuration for BigQuery in Sensitive Data Protection (console: Sensitive Data Protection > Discovery > Scan configurations > Create configuration, for the organization, a folder or the project), with an inspection template in each region that holds data, and leave it running."
#   frameworks:
#     cis-gcp-5.0: ["7.4"]
#     soc2: ["C1.1"]
#     iso27001-2022: ["A.5.12"]
#     nist-800-53-r5: ["RA-2"]
#     gdpr: ["Art.30"]
#     nist-csf-2.0: ["ID.AM-07"]
package vigil.rules.gcp_bigquery_data_not_classified

fail contains r.id if {
	some r in input.resources.account
	r.facts.account.cis.bigquery_discovery == false
}

message[id] := "no running Sensitive Data Protection discovery configuration profiles the project's BigQuery data (nor one of a folder above it or its organization)" if some id in fail
