# METADATA
# title: "Subscription has no Application Insights component"
# description: "The subscription holds no Microsoft.Insights/components resource: its applications send no telemetry (requests, failures, dependencies) to Application Insights. Known when the input holds the subscription's resources table."
# scope: package
# custom:
#   id: azure-application-insights-missing
#   severity: LOW
#   category: monitoring
#   class: account
#   providers: [azure]
#   requires: [facts.account.cis.app_insights]
#   remediation: "Create a workspace-based Application Insights resource for the subscription's applications (az monitor app-insights component create ...) and instrument them."
#   frameworks:
#     cis-azure-6.0: ["6.1.3.1"]
#     soc2: ["CC7.2"]
#     iso27001-2022: ["A.8.16"]
#     nist-800-53-r5: ["SI-4"]
#     nist-csf-2.0: ["DE.CM-01"]
package vigil.rules.azure_application_insights_missing

fail contains r.id if {
	some r in input.resources.account
	r.facts.account.cis.app_insights == false
}
