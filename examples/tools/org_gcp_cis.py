"""CIS GCP 5.0 section 2 logging plants of the sample project, added by org_gcp_v2.main():
the project's log sinks are the two Cloud Logging creates (_Required, _Default, both filtered) and an
audit archive sink that keeps only the audit logs, so no sink exports every entry (2.3); its one
log-based metric counts firewall rule changes but the alert policy on it was disabled, and no metric
matches the other changes of 2.5-2.12. The project's common instance metadata (its
compute.googleapis.com/Project asset) does not set enable-oslogin (4.4): every VM sets it itself.
Two API keys (1.13-1.16): the Maps key of the store locator, restricted to the Maps JavaScript API
and the site's referrers and created in October, and a 2024 key of a retired mobile build with no
restriction at all. A Cloud DNS server policy logs the queries of nw-vpc (2.13); default and
nw-legacy-net have none. Two Dataproc clusters (8.1): the nightly ETL cluster's disks use the disk-cmek
key; the ad-hoc Spark cluster a data scientist created has no encryption configuration. The
organization's one essential contact (1.17) subscribes to SECURITY only: no one receives its legal,
suspension or technical notices.
"""

import org_gcp as g
from orglib import ago, digits, hexid, iso

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


ORG_EXTRA = []  # assets of the organization export (org_gcp_v2.main appends them)
ORG_ACCESS_POLICY = []  # the organization's access-policy export (org_gcp_v2.main writes access_policy.json)
PROJECT_FILES = {}  # other files of the project directory: name -> JSON document (org_gcp_v2.main writes them)
PROJECT_NDJSON = {}  # other exports of the project directory: name -> lines (org_gcp_v2.main writes them)
ORG_FILES = {}  # other files of the organization directory: name -> JSON document (org_gcp_v2.main writes them)


def dataproc(name, kms, labels):
    config = {"configBucket": "dataproc-staging-us-central1-%s-x1k2" % g.NUMBER,
              "gceClusterConfig": {"zoneUri": "https://www.googleapis.com/compute/v1/projects/%s/zones/us-central1-a"
                                   % g.PROJECT, "subnetworkUri": "https://www.googleapis.com/compute/v1/projects/%s/"
                                   "regions/us-central1/subnetworks/nw-data-us-central1" % g.PROJECT,
                                   "internalIpOnly": True, "serviceAccountScopes": [
                                       "https://www.googleapis.com/auth/cloud-platform"]},
              "masterConfig": {"numInstances": 1, "machineTypeUri": "n2-standard-4"},
              "workerConfig": {"numInstances": 2, "machineTypeUri": "n2-standard-8"},
              "softwareConfig": {"imageVersion": "2.2.41-debian12"}}
    if kms:
        config["encryptionConfig"] = {"gcePdKmsKeyName": kms}
    return g.asset("//dataproc.googleapis.com/projects/%s/regions/%s/clusters/%s" % (g.PROJECT, g.REGION, name),
                   "dataproc.googleapis.com/Cluster", "Cluster", {
                       "projectId": g.PROJECT, "clusterName": name, "clusterUuid": hexid(32, "dataproc", name),
                       "config": config, "labels": labels, "status": {"state": "RUNNING"}},
                   doc="https://dataproc.googleapis.com/$discovery/rest?version=v1")


def build(planted, clean=None):
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
    # the sink's bucket (CIS 2.4): a one-year retention policy that was never locked
    arch = g.bucket("nw-audit-archive", labels={"env": "prod", "team": "security"})
    g.RES[-1]["resource"]["data"]["retentionPolicy"] = {"retentionPeriod": "31536000", "isLocked": False,
                                                        "effectiveTime": iso(ago(420))}
    planted("object_storage", arch, ["the nw-audit-archive log sink writes here; retentionPolicy 365 days, "
                                     "isLocked false (Bucket Lock never applied)"],
            "gcp-log-bucket-retention-not-locked")
    # the APIs the project enables (CIS 2.13): Cloud Asset Inventory is not among them; the exports of this
    # sample run at organization level from the security team's tooling project
    for api, title in (("bigquery.googleapis.com", "BigQuery API"), ("cloudkms.googleapis.com", "Cloud Key "
                       "Management Service (KMS) API"), ("compute.googleapis.com", "Compute Engine API"),
                       ("dataproc.googleapis.com", "Cloud Dataproc API"), ("logging.googleapis.com",
                       "Cloud Logging API"), ("monitoring.googleapis.com", "Cloud Monitoring API"),
                       ("sqladmin.googleapis.com", "Cloud SQL Admin API"), ("storage.googleapis.com",
                       "Cloud Storage API")):
        g.asset("//serviceusage.googleapis.com/projects/%s/services/%s" % (g.NUMBER, api),
                "serviceusage.googleapis.com/Service", "GoogleApiServiceusageV1Service", {
                    "name": "projects/%s/services/%s" % (g.NUMBER, api), "parent": "projects/" + g.NUMBER,
                    "config": {"name": api, "title": title}, "state": "ENABLED"},
                doc="https://serviceusage.googleapis.com/$discovery/rest?version=v1", location="global")
    # a table of the marketing sandbox dataset (no default key) without a Cloud KMS key (CIS 7.2)
    ds, tbl = "nw_marketing_sandbox", "campaign_clicks"
    table = g.asset("//bigquery.googleapis.com/projects/%s/datasets/%s/tables/%s" % (g.PROJECT, ds, tbl),
                    "bigquery.googleapis.com/Table", "Table", {
                        "kind": "bigquery#table", "etag": hexid(22, "bqtable", tbl) + "==",
                        "id": "%s:%s.%s" % (g.PROJECT, ds, tbl),
                        "selfLink": "https://bigquery.googleapis.com/bigquery/v2/projects/%s/datasets/%s/tables/%s"
                                    % (g.PROJECT, ds, tbl),
                        "tableReference": {"projectId": g.PROJECT, "datasetId": ds, "tableId": tbl},
                        "labels": {"env": "legacy", "sample": "planted"},
                        "schema": {"fields": [{"name": "click_time", "type": "TIMESTAMP", "mode": "REQUIRED"},
                                              {"name": "campaign_id", "type": "STRING", "mode": "REQUIRED"},
                                              {"name": "landing_url", "type": "STRING", "mode": "NULLABLE"}]},
                        "numBytes": "73400320", "numRows": "412096", "creationTime": "1761372000000",
                        "lastModifiedTime": "1763704800000", "type": "TABLE", "location": "US"},
                    version="v2", doc="https://bigquery.googleapis.com/$discovery/rest?version=v2", location="us")
    planted("data_warehouse", table, ["no encryptionConfiguration (Google-managed key); its dataset has no "
                                      "default key either"], "gcp-bigquery-table-no-cmek")
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
    apikeys_doc = "https://apikeys.googleapis.com/$discovery/rest?version=v2"
    for kid, name, created, restrictions in (
            ("7c1e6f0a-2b8d-4a57-9e13-5d0c4f2a8b61", "store-locator-maps", "2026-10-06T09:12:44.118Z",
             {"browserKeyRestrictions": {"allowedReferrers": ["https://www.northwind-analytics.com/*"]},
              "apiTargets": [{"service": "maps-backend.googleapis.com"}]}),
            ("e4b9a2d7-6f31-4c0e-8a75-1d3f9b6c2e08", "mobile-app-2024", "2024-03-18T16:40:02.507Z", None)):
        data = {"name": "projects/%s/locations/global/keys/%s" % (g.NUMBER, kid), "uid": kid, "displayName": name,
                "createTime": created, "updateTime": created, "etag": "W/\"%s\"" % hexid(16, "apikey", kid)}
        if restrictions:
            data["restrictions"] = restrictions
        g.asset("//apikeys.googleapis.com/projects/%s/locations/global/keys/%s" % (g.NUMBER, kid),
                "apikeys.googleapis.com/Key", "Key", data, version="v2", doc=apikeys_doc, location="global")
    g.asset("//dns.googleapis.com/projects/%s/policies/%s" % (g.PROJECT, hexid(19, "dnspolicy")),
            "dns.googleapis.com/Policy", "Policy", {
                "id": hexid(19, "dnspolicy"), "name": "nw-vpc-query-logging", "kind": "dns#policy",
                "description": "log the DNS queries of nw-vpc", "enableLogging": True,
                "enableInboundForwarding": False,
                "networks": [{"kind": "dns#policyNetwork", "networkUrl":
                              "https://www.googleapis.com/compute/v1/projects/%s/global/networks/nw-vpc" % g.PROJECT}]},
            doc="https://dns.googleapis.com/$discovery/rest?version=v1", location="global")
    # Private Service Connect for Google APIs (CIS 3.9): nw-vpc's workloads reach Google APIs at 10.10.255.5
    # through an endpoint for the all-apis bundle (and its global address); default and nw-legacy-net have
    # none, so theirs go to the APIs' public addresses
    psc_ip = "10.10.255.5"
    g.asset("//compute.googleapis.com/projects/%s/global/addresses/nw-psc-googleapis" % g.PROJECT,
            "compute.googleapis.com/GlobalAddress", "Address", {
                "kind": "compute#address", "id": digits(19, "addr", "nw-psc-googleapis"),
                "creationTimestamp": g.rfc3339_pst(ago(210)), "name": "nw-psc-googleapis", "address": psc_ip,
                "status": "IN_USE", "addressType": "INTERNAL", "purpose": "PRIVATE_SERVICE_CONNECT",
                "network": "%s/global/networks/nw-vpc" % g.COMPUTE,
                "selfLink": "%s/global/addresses/nw-psc-googleapis" % g.COMPUTE,
                "users": ["%s/global/forwardingRules/nwpscapis" % g.COMPUTE], "ipVersion": "IPV4",
                "labelFingerprint": "42WmSpB8rSM="}, location="global")
    g.asset("//compute.googleapis.com/projects/%s/global/forwardingRules/nwpscapis" % g.PROJECT,
            "compute.googleapis.com/GlobalForwardingRule", "ForwardingRule", {
                "kind": "compute#forwardingRule", "id": digits(19, "fr", "nwpscapis"),
                "creationTimestamp": g.rfc3339_pst(ago(210)), "name": "nwpscapis", "IPAddress": psc_ip,
                "target": "all-apis", "network": "%s/global/networks/nw-vpc" % g.COMPUTE,
                "selfLink": "%s/global/forwardingRules/nwpscapis" % g.COMPUTE,
                "labelFingerprint": "42WmSpB8rSM=", "fingerprint": hexid(11, "fp", "nwpscapis") + "=",
                "pscConnectionId": digits(17, "psc", "nwpscapis"), "pscConnectionStatus": "ACCEPTED"},
            location="global")
    for net in ("default", "nw-legacy-net"):
        planted("network", "//compute.googleapis.com/projects/%s/global/networks/%s" % (g.PROJECT, net),
                ["no DNS server policy with enableLogging applies to it",
                 "no Private Service Connect endpoint for Google APIs (the project's only one, nwpscapis, is in "
                 "nw-vpc)"], "gcp-network-dns-logging-disabled", "gcp-network-no-psc-google-apis")
    # IAP (CIS 3.12): the rules that admit the internet (0.0.0.0/0) to TCP ports; nw-allow-iap-ssh and
    # nw-allow-lb-health admit only Google's IAP and health-check ranges, nw-allow-internal only 10.10.0.0/16
    for fw, ports in (("default-allow-ssh", "tcp:22"), ("default-allow-rdp", "tcp:3389"),
                      ("nw-allow-all-temp", "every protocol"), ("nw-allow-postgres-vendor", "tcp:5432")):
        planted("firewall", "//compute.googleapis.com/projects/%s/global/firewalls/%s" % (g.PROJECT, fw),
                ["%s from 0.0.0.0/0: not only Google's IAP and load-balancer ranges" % ports],
                "gcp-firewall-not-google-sources-only")
    # OS inventory (CIS 4.12): VM Manager reports nw-etl-worker-1 up to date; nw-debug-vm, left aside since
    # its last debugging session, has three Debian security updates waiting
    # (gcloud asset export --project nw-analytics-prod --content-type os-inventory)
    installed = [("bash", "5.2.15-2+b7"), ("openssl", "3.0.15-1~deb12u1"), ("libc6", "2.36-9+deb12u9"),
                 ("google-osconfig-agent", "1:20241107.00-g1"), ("openssh-server", "1:9.2p1-2+deb12u4")]
    updates = {"nw-etl-worker-1": [],
               "nw-debug-vm": [("openssl", "3.0.15-1~deb12u2"), ("libc6", "2.36-9+deb12u10"),
                               ("openssh-server", "1:9.2p1-2+deb12u5")]}
    def stamp(days):  # as protojson writes a whole second
        return iso(ago(days)).replace(".000Z", "Z")
    inventories = []
    for vm, avail in updates.items():
        items = {}
        for kind, typ, pkgs in (("installedPackage", "INSTALLED_PACKAGE", installed),
                                ("availablePackage", "AVAILABLE_PACKAGE", avail)):
            for pkg, ver in pkgs:
                iid = "%s-%s" % ("available" if avail is pkgs else "installed", pkg)
                items[iid] = {"id": iid, "origin_type": "INVENTORY_REPORT", "type": typ,
                              "create_time": stamp(40), "update_time": stamp(1),
                              kind.replace("P", "_p"): {"apt_package": {"package_name": pkg, "architecture": "amd64",
                                                                      "version": ver}}}
        inventories.append({
            "name": "//compute.googleapis.com/projects/%s/zones/%s/instances/%s" % (g.PROJECT, g.ZONE, vm),
            "asset_type": "compute.googleapis.com/Instance",
            "os_inventory": {
                "name": "projects/%s/locations/%s/instances/%s/inventory" % (g.NUMBER, g.ZONE, digits(19, "inst", vm)),
                "os_info": {"hostname": vm, "long_name": "Debian GNU/Linux 12 (bookworm)", "short_name": "debian",
                            "version": "12", "architecture": "x86_64", "kernel_version": "#1 SMP PREEMPT_DYNAMIC Debian "
                            "6.1.119-1 (2024-11-22)", "kernel_release": "6.1.0-28-cloud-amd64",
                            "osconfig_agent_version": "20241107.00-g1"},
                "items": items, "update_time": stamp(1)},
            "ancestors": g.ANCESTORS, "update_time": g.upd(1)})
        vm_id = inventories[-1]["name"]
        if avail:
            planted("compute", vm_id, ["OS inventory lists 3 available updates (openssl, libc6, openssh-server)"],
                    "gcp-instance-os-updates-pending")
    PROJECT_NDJSON["os_inventory.json"] = inventories
    labels = {"env": "prod", "team": "data", "owner": "data-eng", "cost-center": "cc-3011",
              "data-classification": "internal"}
    etl = dataproc("nw-etl-nightly", "projects/%s/locations/%s/keyRings/nw-prod-ring/cryptoKeys/disk-cmek"
                   % (g.PROJECT, g.REGION), labels)
    if clean:
        clean("data_warehouse", etl, "CIS 8.1: persistent disks encrypted with the disk-cmek key")
    spark = dataproc("nw-adhoc-spark", None, labels)
    planted("data_warehouse", spark, ["no config.encryptionConfig (Google-managed keys)"], "gcp-dataproc-no-cmek")
    # App Engine (CIS 4.10): the storefront's current version redirects every URL to HTTPS; the version the
    # marketing team deployed for a campaign page kept app.yaml's default for its script handler
    ae_doc = "https://appengine.googleapis.com/$discovery/rest?version=v1"
    for vid, svc, level in (("20261118t101512", "default", "SECURE_ALWAYS"),
                            ("20260930t164208", "campaign-pages", "SECURE_OPTIONAL")):
        name = "apps/%s/services/%s/versions/%s" % (g.PROJECT, svc, vid)
        ver = g.asset("//appengine.googleapis.com/" + name, "appengine.googleapis.com/Version", "Version", {
            "name": name, "id": vid, "env": "standard", "runtime": "python312", "servingStatus": "SERVING",
            "instanceClass": "F1", "serviceAccount": "nw-web-%s@%s.iam.gserviceaccount.com" % (svc, g.PROJECT),
            "automaticScaling": {"maxConcurrentRequests": 10, "standardSchedulerSettings": {"maxInstances": 4}},
            "handlers": [{"urlRegex": "/static/(.*)", "securityLevel": "SECURE_ALWAYS", "login": "LOGIN_OPTIONAL",
                          "staticFiles": {"path": "static/\\1", "uploadPathRegex": "static/.*"}},
                         {"urlRegex": ".*", "securityLevel": level, "login": "LOGIN_OPTIONAL",
                          "redirectHttpResponseCode": "REDIRECT_HTTP_RESPONSE_CODE_301", "script": {"scriptPath": "auto"}}],
            "createTime": "%s" % iso(ago(17 if svc == "default" else 66)), "createdBy": "deploy@northwind-analytics.com",
            "versionUrl": "https://%s-dot-%s-dot-%s.uc.r.appspot.com" % (vid, svc, g.PROJECT)},
            doc=ae_doc, location=g.REGION)
        if level == "SECURE_ALWAYS":
            if clean:
                clean("function", ver, "CIS 4.10: every handler SECURE_ALWAYS")
        else:
            planted("function", ver, ["handler .* has securityLevel SECURE_OPTIONAL (app.yaml secure: optional)"],
                    "gcp-appengine-https-not-enforced", "function-https-only")
    # Access Approval (CIS 2.16): never enabled; the API answers with the settings' name alone
    # (gcloud access-approval settings get --project nw-analytics-prod --format json)
    PROJECT_FILES["accessapproval.json"] = {"name": "projects/%s/accessApprovalSettings" % g.PROJECT}
    # Sensitive Data Protection discovery (CIS 7.4): the organization's configuration profiles Cloud Storage
    # only; the project's own BigQuery configuration was created paused and never started (the DLP API's
    # discoveryConfigs lists: GET https://dlp.googleapis.com/v2/{organizations/ORG,projects/P}/locations/global/...)
    def dlp(parent, cid, days, target, status, org_config=None):
        c = {"name": "%s/locations/global/discoveryConfigs/%s" % (parent, cid), "displayName": cid,
             "inspectTemplates": ["%s/locations/global/inspectTemplates/nw-default" % parent],
             "actions": [{"exportData": {"profileTable": {"projectId": g.PROJECT, "datasetId": "nw_dlp_profiles",
                                                          "tableId": "profiles"}}}],
             "targets": [target], "createTime": iso(ago(days)), "updateTime": iso(ago(days)), "status": status}
        if org_config:
            c["orgConfig"] = org_config
        return c
    ORG_FILES["dlpdiscoveryconfigs.json"] = {"discoveryConfigs": [dlp(
        "organizations/" + g.ORG, "nw-gcs-profiling", 210,
        {"cloudStorageTarget": {"filter": {"others": {}}, "generationCadence": {"refreshFrequency": "UPDATE_FREQUENCY_MONTHLY"}}},
        "RUNNING", {"location": {"organizationId": g.ORG}, "projectId": g.PROJECT})]}
    PROJECT_FILES["dlpdiscoveryconfigs.json"] = {"discoveryConfigs": [dlp(
        "projects/" + g.PROJECT, "nw-bq-profiling", 45,
        {"bigQueryTarget": {"filter": {"otherTables": {}},
                            "cadence": {"schemaModifiedCadence": {"frequency": "UPDATE_FREQUENCY_DAILY"},
                                        "tableModifiedCadence": {"frequency": "UPDATE_FREQUENCY_DAILY"}}}},
        "PAUSED")]}
    org = "//cloudresourcemanager.googleapis.com/organizations/" + g.ORG
    ORG_EXTRA.append({
        "name": "//essentialcontacts.googleapis.com/organizations/%s/contacts/%s" % (g.ORG, digits(12, "contact")),
        "asset_type": "essentialcontacts.googleapis.com/Contact",
        "resource": {"version": "v1", "discovery_document_uri":
                     "https://essentialcontacts.googleapis.com/$discovery/rest?version=v1",
                     "discovery_name": "GoogleCloudEssentialcontactsV1Contact", "parent": org, "location": "global",
                     "data": {"name": "organizations/%s/contacts/%s" % (g.ORG, digits(12, "contact")),
                              "email": "secops@northwind-analytics.com", "languageTag": "en-US",
                              "notificationCategorySubscriptions": ["SECURITY"], "validationState": "VALID",
                              "validateTime": iso(ago(400))}},
        "ancestors": ["organizations/" + g.ORG], "update_time": g.upd(400)})
    # VPC Service Controls (CIS 3.8): the organization's access policy has one perimeter, around the data
    # vault project only (gcloud asset export --organization ORG --content-type access-policy)
    pol = digits(12, "access-policy")
    anc = ["organizations/" + g.ORG]
    ORG_ACCESS_POLICY.append({
        "name": "//accesscontextmanager.googleapis.com/accessPolicies/" + pol,
        "asset_type": "accesscontextmanager.googleapis.com/AccessPolicy",
        "access_policy": {"name": "accessPolicies/" + pol, "parent": "organizations/" + g.ORG,
                          "title": "northwind default policy", "etag": hexid(16, "acm-etag")},
        "ancestors": anc, "update_time": g.upd(300)})
    ORG_ACCESS_POLICY.append({
        "name": "//accesscontextmanager.googleapis.com/accessPolicies/%s/servicePerimeters/nw_data_vault" % pol,
        "asset_type": "accesscontextmanager.googleapis.com/ServicePerimeter",
        "service_perimeter": {
            "name": "accessPolicies/%s/servicePerimeters/nw_data_vault" % pol, "title": "nw_data_vault",
            "status": {"resources": ["projects/" + digits(12, "nw-data-vault")],
                       "restricted_services": ["bigquery.googleapis.com", "storage.googleapis.com"],
                       "vpc_accessible_services": {"enable_restriction": True,
                                                   "allowed_services": ["RESTRICTED-SERVICES"]}}},
        "ancestors": anc, "update_time": g.upd(120)})
    planted("org_unit", org, ["the organization's only essential contact subscribes to SECURITY only"],
            "gcp-org-essential-contacts-missing")
    planted("account", g.PROJECT_NAME, [
        "API key mobile-app-2024: created 2024-03-18, no API or application restriction",
        "no sink without a filter (_Required, _Default and nw-audit-archive are filtered)",
        "log-based metric nw-firewall-changes has only a disabled alert policy",
        "no log-based metric for ownership, audit configuration, custom role, route, network, "
        "Cloud Storage IAM or Cloud SQL configuration changes",
        "cloudasset.googleapis.com is not among the project's enabled services (the exports run from the "
        "security team's tooling project)",
        "Access Approval settings enroll no service and no ancestor enrolls one",
        "the organization's only service perimeter (nw_data_vault) holds another project; this one is in none",
        "its BigQuery datasets are profiled by no running discovery configuration: its own is paused and the "
        "organization's profiles Cloud Storage only"],
        "gcp-log-sink-all-entries-missing", "gcp-project-os-login-disabled", *ALERT_RULES,
        "gcp-cloud-asset-inventory-disabled", "gcp-access-approval-disabled", "gcp-vpc-service-controls-missing",
        "gcp-bigquery-data-not-classified", "gcp-api-keys-exist", "gcp-api-key-app-unrestricted", "gcp-api-key-api-unrestricted", "gcp-api-key-not-rotated")
