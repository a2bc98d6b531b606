"""CIS GCP 5.0 section 2 logging plants of the sample project, added by org_gcp_v2.main():
the project's log sinks are the two Cloud Logging creates (_Required, _Default, both filtered) and an
audit archive sink that keeps only the audit logs, so no sink exports every entry (2.3); its one
log-based metric counts firewall rule changes but the alert policy on it was disabled, and no metric
matches the other changes of 2.5-2.12. The project's common instance metadata (its
compute.googleapis.com/Project asset) does not set enable-oslogin (4.4): every VM sets it itself.
"""

import org_gcp as g
from orglib import hexid

LOGGING_DOC = "https://logging.googleapis.com/$discovery/rest"
MONITORING_DOC = "https://monitoring.googleapis.com/$discovery/rest"

ALERT_RULES = ["gcp-log-alert-project-ownership-missing", "gcp-log-alert-audit-config-missing",
               "gcp-log-alert-custom-role-missing", "gcp-log-alert-firewall-rule-missing",
               "gcp-log-alert-route-missing", "gcp-log-alert-network-missing",
               "gcp-log-alert-storage-iam-missing", "gcp-log-alert-sql-instance-config-missing"]


def sink(name, destination, flt):
    data = {"name": name, "destination": destination, "writerIdentity":
            "serviceAccount:service-%s@gcp-sa-logging.iam.gserviceaccount.com" % g.NUMBER}
    if flt:
        data["filter"] = flt
    g.asset("//logging.googleapis.com/projects/%s/sinks/%s" % (g.NUMBER, name), "logging.googleapis.com/LogSink",
            "LogSink", data, doc=LOGGING_DOC, location="global")


def build(planted):
    bucket = "logging.googleapis.com/projects/%s/locations/global/buckets/" % g.PROJECT
    sink("_Required", bucket + "_Required", 'LOG_ID("cloudaudit.googleapis.com/activity") OR '
         'LOG_ID("externalaudittasks.googleapis.com/activity") OR LOG_ID("cloudaudit.googleapis.com/system_event") '
         'OR LOG_ID("externalaudittasks.googleapis.com/system_event") OR '
         'LOG_ID("cloudaudit.googleapis.com/access_transparency") OR '
         'LOG_ID("externalaudittasks.googleapis.com/access_transparency")')
    sink("_Default", bucket + "_Default", 'NOT LOG_ID("cloudaudit.googleapis.com/activity") AND NOT '
         'LOG_ID("externalaudittasks.googleapis.com/activity") AND NOT '
         'LOG_ID("cloudaudit.googleapis.com/system_event") AND NOT '
         'LOG_ID("externalaudittasks.googleapis.com/system_event") AND NOT '
         'LOG_ID("cloudaudit.googleapis.com/access_transparency") AND NOT '
         'LOG_ID("externalaudittasks.googleapis.com/access_transparency")')
    sink("nw-audit-archive", "storage.googleapis.com/nw-audit-archive", 'logName:"cloudaudit.googleapis.com"')
    metric = "nw-firewall-changes"
    g.asset("//logging.googleapis.com/projects/%s/metrics/%s" % (g.NUMBER, metric), "logging.googleapis.com/LogMetric",
            "LogMetric", {"name": metric, "description": "VPC firewall rule changes",
                          "filter": 'resource.type="gce_firewall_rule" AND (protoPayload.methodName:'
                                    '"compute.firewalls.patch" OR protoPayload.methodName:"compute.firewalls.insert" '
                                    'OR protoPayload.methodName:"compute.firewalls.delete")',
                          "metricDescriptor": {"metricKind": "DELTA", "valueType": "INT64", "unit": "1"}},
            doc=LOGGING_DOC, location="global")
    pid = hexid(16, "alert", metric)
    g.asset("//monitoring.googleapis.com/projects/%s/alertPolicies/%s" % (g.NUMBER, pid),
            "monitoring.googleapis.com/AlertPolicy", "AlertPolicy", {
                "name": "projects/%s/alertPolicies/%s" % (g.PROJECT, pid), "displayName": "Firewall rule changes",
                "combiner": "OR", "enabled": False, "conditions": [{
                    "displayName": "firewall changes > 0",
                    "conditionThreshold": {
                        "filter": 'metric.type="logging.googleapis.com/user/%s" AND resource.type="global"' % metric,
                        "comparison": "COMPARISON_GT", "thresholdValue": 0, "duration": "0s",
                        "aggregations": [{"alignmentPeriod": "60s", "perSeriesAligner": "ALIGN_COUNT"}]}}]},
            doc=MONITORING_DOC, location="global")
    g.asset("//compute.googleapis.com/projects/%s" % g.PROJECT, "compute.googleapis.com/Project", "Project", {
        "kind": "compute#project", "id": g.NUMBER, "name": g.PROJECT,
        "commonInstanceMetadata": {"kind": "compute#metadata", "fingerprint": "zpK8Q3x0rLs=", "items": [
            {"key": "enable-guest-attributes", "value": "TRUE"}]},
        "defaultServiceAccount": "%s-compute@developer.gserviceaccount.com" % g.NUMBER,
        "defaultNetworkTier": "PREMIUM", "xpnProjectStatus": "UNSPECIFIED_XPN_PROJECT_STATUS"}, location="global")
    planted("account", g.PROJECT_NAME, [
        "project metadata does not set enable-oslogin (each VM sets it itself)",
        "no sink without a filter (_Required, _Default and nw-audit-archive are filtered)",
        "log-based metric nw-firewall-changes has only a disabled alert policy",
        "no log-based metric for ownership, audit configuration, custom role, route, network, "
        "Cloud Storage IAM or Cloud SQL configuration changes"],
        "gcp-log-sink-all-entries-missing", "gcp-project-os-login-disabled", *ALERT_RULES)
