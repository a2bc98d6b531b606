# METADATA
# title: "No log metric and alert for audit configuration changes"
# description: "No log-based metric of the project matches audit configuration changes with an enabled alerting policy on it, so they go unnoticed. Known when the export holds the project's logging assets (log sinks or log-based metrics); when a metric matches but the export holds none of the project's alert policies the result is unknown."
# scope: package
# custom:
#   id: gcp-log-alert-audit-config-missing
#   severity: LOW
#   category: monitoring
#   class: account
#   providers: [gcp]
#   requires: [facts.account.cis.log_metric_alerts.audit_config]
#   remediation: "Create a log-based metric with the filter protoPayload.methodName=\"SetIamPolicy\" AND protoPayload.serviceData.policyDelta.auditConfigDeltas:* (gcloud logging metrics create) and an alerting policy on logging.googleapis.com/user/<metric> that notifies the security team."
#   frameworks:
#     cis-gcp-5.0: ["2.6"]
#     soc2: ["CC7.2"]
#     iso27001-2022: ["A.8.16"]
#     pci-dss-4.0: ["10.4"]
#     nist-800-53-r5: ["AU-6", "SI-4"]
#     nist-csf-2.0: ["DE.CM-09"]
package vigil.rules.gcp_log_alert_audit_config_missing

fail contains r.id if {
	some r in input.resources.account
	r.facts.account.cis.log_metric_alerts.audit_config == false
}

message[id] := "no log-based metric with an enabled alert watches audit configuration changes" if some id in fail
