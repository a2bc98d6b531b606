#!/usr/bin/env python3
"""GCP assets of the classes added by issue 6 (persistent disks, snapshots and
images, Cloud Functions, GKE clusters, external Application Load Balancers with
their proxies, URL maps, SSL policy and backend services, Cloud CDN backends,
Pub/Sub topics, Secret Manager secrets, Artifact Registry repositories, Cloud
DNS zones, an API Gateway, custom roles, conditional IAM bindings), added to
the Cloud Asset Inventory export of project nw-analytics-prod; the
organization-level export above it (the organization, the folder, an
organization custom role and their IAM policies); and
examples/org/expected-gcp.json.

examples/tools/gen_org.py calls main() at the end, after writing
examples/org/gcp (which it deletes first); run on its own (from anywhere)
it extends the files already there:

    python3 examples/tools/org_gcp_v2.py [ORG_DIR]

It is idempotent (assets it owns are replaced, not duplicated) and
deterministic. It uses the helpers of examples/tools/org_gcp.py so the assets
have exactly the shape of the others. Planted resources carry the label
sample=planted, clean ones sample=clean.
"""

import datetime as dt
import json
import os
import sys

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)

import org_gcp as g  # noqa: E402
import orglib  # noqa: E402
from orglib import NOW, ago, digits, hexid, iso  # noqa: E402

PROJECT, NUMBER, FOLDER, ORG = g.PROJECT, g.NUMBER, g.FOLDER, g.ORG
REGION, ZONE, COMPUTE, DOMAIN = g.REGION, g.ZONE, g.COMPUTE, g.DOMAIN
ORG_DIR = os.path.join(REPO, "examples", "org")
CRM = "//cloudresourcemanager.googleapis.com/"
PLANTED_LABELS = {"env": "legacy", "sample": "planted"}
CLEAN_LABELS = {"env": "prod", "sample": "clean"}
CLEAN = []      # {"resource_id","provider","class","note"}
PLANTED = []    # {"resource_id","class","bad": [facts],"rules": [rule ids that fail on it]}
KEYS = "projects/%s/locations/%s/keyRings/nw-prod-ring/cryptoKeys/" % (PROJECT, REGION)
E_ETL = "sa-etl@%s.iam.gserviceaccount.com" % PROJECT
APPSPOT_SA = "%s@appspot.gserviceaccount.com" % PROJECT
GCOMPUTE = "https://www.googleapis.com/discovery/v1/apis/compute/v1/rest"


def clean(cls, id_, note):
    CLEAN.append({"resource_id": id_, "provider": "gcp", "class": cls, "note": note})


def incidental(rule_id, id_contains, why):
    """A FAIL that is a side effect, listed in expected.json (org_overlay.json sets expected-gcp.json's own)."""
    orglib.incidental("gcp", rule_id, id_contains, why)


def planted(cls, id_, bad, *rules):
    PLANTED.append({"resource_id": id_, "class": cls, "bad": bad, "rules": list(rules)})


def public_binding(resource_id, role, member):
    """The allUsers / allAuthenticatedUsers grant that makes a planted resource public."""
    planted("iam_binding", g.binding_id(resource_id, role, member), ["public=true (%s)" % member],
            "iam-public-binding")


def pst(days):
    return g.rfc3339_pst(ago(days))


def compute_asset(kind, discovery, path, data, location):
    """A Compute Engine asset: path is projects/<p>/(zones|regions|global)/..."""
    data.setdefault("selfLink", "https://www.googleapis.com/compute/v1/" + path)
    return g.asset("//compute.googleapis.com/" + path, "compute.googleapis.com/" + kind, discovery, data,
                   doc=GCOMPUTE, location=location)


def policy(name, asset_type, bindings):
    """bindings: (role, members[, condition]) tuples."""
    g.policy(name, asset_type, [(b[0], b[1]) for b in bindings])
    pol = g.IAM[-1]["iam_policy"]
    for b, out in zip(bindings, pol["bindings"]):
        if len(b) > 2:
            out["condition"] = b[2]
    if any(len(b) > 2 for b in bindings):
        pol["version"] = 3  # a policy with conditions is version 3


# ---------------------------------------------------------------- disks, snapshots, images

def disk(name, *, kms, users, labels, size=200):
    path = "projects/%s/zones/%s/disks/%s" % (PROJECT, ZONE, name)
    data = {"kind": "compute#disk", "id": digits(19, "disk", name), "creationTimestamp": pst(300), "name": name,
            "sizeGb": str(size), "zone": "%s/zones/%s" % (COMPUTE, ZONE), "status": "READY",
            "type": "%s/zones/%s/diskTypes/pd-balanced" % (COMPUTE, ZONE), "physicalBlockSizeBytes": "4096",
            "labels": labels, "labelFingerprint": hexid(11, "lbl", name) + "="}
    if users:
        data["users"] = users
        data["lastAttachTimestamp"] = pst(120)
    else:
        data["lastDetachTimestamp"] = pst(410)
    if kms:
        data["diskEncryptionKey"] = {"kmsKeyName": KEYS + kms + "/cryptoKeyVersions/1"}
    return compute_asset("Disk", "Disk", path, data, ZONE)


def snapshot(name, source, *, kms, labels, days=20):
    path = "projects/%s/global/snapshots/%s" % (PROJECT, name)
    data = {"kind": "compute#snapshot", "id": digits(19, "snap", name), "creationTimestamp": pst(days),
            "name": name, "status": "READY", "sourceDisk": "%s/zones/%s/disks/%s" % (COMPUTE, ZONE, source),
            "sourceDiskId": digits(19, "disk", source), "diskSizeGb": "100", "storageBytes": "4217890816",
            "storageBytesStatus": "UP_TO_DATE", "storageLocations": ["us"], "autoCreated": False,
            "labels": labels, "labelFingerprint": hexid(11, "lbl", name) + "=", "snapshotType": "STANDARD",
            "architecture": "X86_64"}
    if kms:
        data["snapshotEncryptionKey"] = {"kmsKeyName": KEYS + kms + "/cryptoKeyVersions/1"}
        data["sourceDiskEncryptionKey"] = {"kmsKeyName": KEYS + kms + "/cryptoKeyVersions/1"}
    return compute_asset("Snapshot", "Snapshot", path, data, "global")


def image(name, source, *, kms, labels, family):
    path = "projects/%s/global/images/%s" % (PROJECT, name)
    data = {"kind": "compute#image", "id": digits(19, "img", name), "creationTimestamp": pst(200), "name": name,
            "sourceType": "RAW", "status": "READY", "archiveSizeBytes": "3917263488", "diskSizeGb": "100",
            "sourceDisk": "%s/zones/%s/disks/%s" % (COMPUTE, ZONE, source),
            "sourceDiskId": digits(19, "disk", source), "family": family, "storageLocations": ["us"],
            "labels": labels, "labelFingerprint": hexid(11, "lbl", name) + "=", "architecture": "X86_64",
            "guestOsFeatures": [{"type": "UEFI_COMPATIBLE"}, {"type": "VIRTIO_SCSI_MULTIQUEUE"}, {"type": "GVNIC"}]}
    if kms:
        data["imageEncryptionKey"] = {"kmsKeyName": KEYS + kms + "/cryptoKeyVersions/1"}
    return compute_asset("Image", "Image", path, data, "global")


# ---------------------------------------------------------------- functions

def function_v1(name, *, runtime, ingress, secure, env, sa, connector, labels):
    rel = "projects/%s/locations/%s/functions/%s" % (PROJECT, REGION, name)
    data = {"name": rel, "description": "legacy partner webhook", "sourceArchiveUrl":
            "gs://gcf-sources-%s-%s/%s-%s.zip" % (NUMBER, REGION, name, hexid(8, "src", name)),
            "httpsTrigger": {"url": "https://%s-%s.cloudfunctions.net/%s" % (REGION, PROJECT, name),
                             "securityLevel": "SECURE_ALWAYS" if secure else "SECURE_OPTIONAL"},
            "status": "ACTIVE", "entryPoint": "handler", "timeout": "60s", "availableMemoryMb": 256,
            "serviceAccountEmail": sa, "updateTime": iso(ago(500)), "versionId": "7", "labels": labels,
            "runtime": runtime, "maxInstances": 10, "ingressSettings": ingress,
            "buildId": hexid(8, "b", name) + "-" + hexid(4, "b1", name) + "-" + hexid(4, "b2", name) + "-"
            + hexid(4, "b3", name) + "-" + hexid(12, "b4", name), "dockerRegistry": "ARTIFACT_REGISTRY",
            "environmentVariables": env}
    if connector:
        data["vpcConnector"] = connector
        data["vpcConnectorEgressSettings"] = "PRIVATE_RANGES_ONLY"
    return g.asset("//cloudfunctions.googleapis.com/" + rel, "cloudfunctions.googleapis.com/CloudFunction",
                   "CloudFunction", data, doc="https://cloudfunctions.googleapis.com/$discovery/rest?version=v1")


def function_v2(name, *, runtime, ingress, env, sa, connector, labels):
    rel = "projects/%s/locations/%s/functions/%s" % (PROJECT, REGION, name)
    data = {"name": rel, "description": "starts the ETL run when a file lands",
            "buildConfig": {"build": "projects/%s/locations/%s/builds/%s" % (NUMBER, REGION, hexid(32, "bd", name)),
                            "runtime": runtime, "entryPoint": "on_landing",
                            "source": {"storageSource": {"bucket": "gcf-v2-sources-%s-%s" % (NUMBER, REGION),
                                                         "object": "%s/function-source.zip" % name}},
                            "dockerRepository": "projects/%s/locations/%s/repositories/gcf-artifacts"
                                                % (PROJECT, REGION)},
            "serviceConfig": {"service": "projects/%s/locations/%s/services/%s" % (PROJECT, REGION, name),
                              "timeoutSeconds": 540, "environmentVariables": env, "maxInstanceCount": 20,
                              "ingressSettings": ingress, "uri": "https://%s-%s.%s.run.app" % (
                                  name, hexid(10, "uri", name), REGION),
                              "serviceAccountEmail": sa, "availableMemory": "512M",
                              "allTrafficOnLatestRevision": True, "revision": name + "-00004-xoz",
                              "maxInstanceRequestConcurrency": 1, "availableCpu": "0.3333"},
            "eventTrigger": {"trigger": "projects/%s/locations/%s/triggers/%s-852164" % (PROJECT, REGION, name),
                             "triggerRegion": "us", "eventType": "google.cloud.storage.object.v1.finalized",
                             "eventFilters": [{"attribute": "bucket", "value": "nw-analytics-prod-datalake"}],
                             "pubsubTopic": "projects/%s/topics/eventarc-us-%s-852" % (PROJECT, name),
                             "serviceAccount": sa, "retryPolicy": "RETRY_POLICY_RETRY"},
            "state": "ACTIVE", "updateTime": iso(ago(40)), "labels": labels, "environment": "GEN_2",
            "url": "https://%s-%s.cloudfunctions.net/%s" % (REGION, PROJECT, name), "createTime": iso(ago(300))}
    if connector:
        data["serviceConfig"]["vpcConnector"] = connector
        data["serviceConfig"]["vpcConnectorEgressSettings"] = "ALL_TRAFFIC"
    return g.asset("//cloudfunctions.googleapis.com/" + rel, "cloudfunctions.googleapis.com/Function",
                   "Function", data, version="v2",
                   doc="https://cloudfunctions.googleapis.com/$discovery/rest?version=v2")


# ---------------------------------------------------------------- GKE

def cluster(name, *, private, logging, dataplane_v2, abac, client_cert, auto_upgrade, cmek, labels):
    rel = "projects/%s/locations/%s/clusters/%s" % (PROJECT, REGION, name)
    pool = {"name": "default-pool", "config": {
        "machineType": "e2-standard-4", "diskSizeGb": 100, "oauthScopes": ["https://www.googleapis.com/auth/cloud-platform"],
        "metadata": {"disable-legacy-endpoints": "true"}, "imageType": "COS_CONTAINERD",
        "serviceAccount": E_ETL if private else g.DEFAULT_SA, "diskType": "pd-balanced",
        "shieldedInstanceConfig": {"enableSecureBoot": private, "enableIntegrityMonitoring": True},
        "workloadMetadataConfig": {"mode": "GKE_METADATA" if private else "GCE_METADATA"}},
        "initialNodeCount": 2, "autoscaling": {"enabled": True, "minNodeCount": 1, "maxNodeCount": 5},
        "management": {"autoUpgrade": True, "autoRepair": True} if auto_upgrade else {"autoRepair": True},
        "status": "RUNNING", "version": "1.30.5-gke.1014001" if private else "1.27.16-gke.1287000",
        "selfLink": "https://container.googleapis.com/v1/%s/nodePools/default-pool" % rel,
        "instanceGroupUrls": ["%s/zones/%s-a/instanceGroupManagers/gke-%s-default-pool-%s-grp"
                              % (COMPUTE, REGION, name, hexid(8, "ig", name))]}
    data = {"name": name, "nodePools": [pool], "network": "nw-vpc" if private else "default",
            "subnetwork": "nw-apps-us-central1" if private else "default",
            "networkConfig": {"network": "projects/%s/global/networks/%s" % (PROJECT, "nw-vpc" if private else "default"),
                              "subnetwork": "projects/%s/regions/%s/subnetworks/%s" % (
                                  PROJECT, REGION, "nw-apps-us-central1" if private else "default")},
            "location": REGION, "status": "RUNNING", "createTime": iso(ago(500 if private else 900)),
            "currentMasterVersion": pool["version"], "currentNodeVersion": pool["version"],
            "endpoint": "10.10.48.2" if private else "35.202.118.71", "resourceLabels": labels,
            "selfLink": "https://container.googleapis.com/v1/" + rel, "initialClusterVersion": pool["version"],
            "releaseChannel": {"channel": "REGULAR"} if auto_upgrade else {},
            "masterAuth": {"clusterCaCertificate": "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t" + hexid(24, "ca", name)},
            "addonsConfig": {"httpLoadBalancing": {}, "horizontalPodAutoscaling": {},
                             "networkPolicyConfig": {"disabled": True}},
            "shieldedNodes": {"enabled": True}}
    if client_cert:
        data["masterAuth"]["clientCertificateConfig"] = {"issueClientCertificate": True}
        data["masterAuth"]["clientCertificate"] = "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t" + hexid(24, "cc", name)
    if private:
        data["privateClusterConfig"] = {"enablePrivateNodes": True, "enablePrivateEndpoint": True,
                                        "masterIpv4CidrBlock": "172.16.0.0/28", "privateEndpoint": "10.10.48.2",
                                        "publicEndpoint": "", "peeringName": "gke-n%s-peer" % hexid(16, "peer", name),
                                        "masterGlobalAccessConfig": {"enabled": False}}
        data["masterAuthorizedNetworksConfig"] = {"enabled": True, "cidrBlocks": [
            {"displayName": "nw-vpc", "cidrBlock": "10.10.0.0/16"}]}
        data["workloadIdentityConfig"] = {"workloadPool": "%s.svc.id.goog" % PROJECT}
    if logging:
        data["loggingService"] = "logging.googleapis.com/kubernetes"
        data["loggingConfig"] = {"componentConfig": {"enableComponents": ["SYSTEM_COMPONENTS", "WORKLOADS",
                                                                          "APISERVER"]}}
        data["monitoringService"] = "monitoring.googleapis.com/kubernetes"
    else:
        data["loggingService"] = "none"
        data["loggingConfig"] = {"componentConfig": {}}
        data["monitoringService"] = "none"
    if dataplane_v2:
        data["networkConfig"]["datapathProvider"] = "ADVANCED_DATAPATH"
    if abac:
        data["legacyAbac"] = {"enabled": True}
    if cmek:
        data["databaseEncryption"] = {"state": "ENCRYPTED", "keyName": KEYS + "gke-secrets"}
    else:
        data["databaseEncryption"] = {"state": "DECRYPTED"}
    return g.asset("//container.googleapis.com/" + rel, "container.googleapis.com/Cluster", "Cluster", data,
                   doc="https://container.googleapis.com/$discovery/rest?version=v1")


# ---------------------------------------------------------------- load balancing and CDN

def gpath(kind, name):
    return "projects/%s/global/%s/%s" % (PROJECT, kind, name)


def gurl(kind, name):
    return COMPUTE + "/global/%s/%s" % (kind, name)


def forwarding_rule(name, ip, port, target_kind, target, labels):
    data = {"kind": "compute#forwardingRule", "id": digits(19, "fr", name), "creationTimestamp": pst(400),
            "name": name, "IPAddress": ip, "IPProtocol": "TCP", "portRange": "%d-%d" % (port, port),
            "target": gurl(target_kind, target), "loadBalancingScheme": "EXTERNAL_MANAGED",
            "networkTier": "PREMIUM", "labels": labels, "labelFingerprint": hexid(11, "lbl", name) + "=",
            "fingerprint": hexid(11, "fp", name) + "=", "ipVersion": "IPV4"}
    return compute_asset("GlobalForwardingRule", "GlobalForwardingRule", gpath("forwardingRules", name), data,
                         "global")


def http_proxy(name, url_map):
    data = {"kind": "compute#targetHttpProxy", "id": digits(19, "thp", name), "creationTimestamp": pst(400),
            "name": name, "urlMap": gurl("urlMaps", url_map), "fingerprint": hexid(11, "fp", name) + "="}
    return compute_asset("TargetHttpProxy", "TargetHttpProxy", gpath("targetHttpProxies", name), data, "global")


def https_proxy(name, url_map, ssl_policy, cert):
    data = {"kind": "compute#targetHttpsProxy", "id": digits(19, "thsp", name), "creationTimestamp": pst(400),
            "name": name, "urlMap": gurl("urlMaps", url_map), "sslCertificates": [gurl("sslCertificates", cert)],
            "quicOverride": "NONE", "fingerprint": hexid(11, "fp", name) + "=", "tlsEarlyData": "DISABLED"}
    if ssl_policy:
        data["sslPolicy"] = gurl("sslPolicies", ssl_policy)
    return compute_asset("TargetHttpsProxy", "TargetHttpsProxy", gpath("targetHttpsProxies", name), data,
                         "global")


def ssl_policy(name, profile, min_tls):
    data = {"kind": "compute#sslPolicy", "id": digits(19, "ssl", name), "creationTimestamp": pst(500),
            "name": name, "profile": profile, "minTlsVersion": min_tls,
            "enabledFeatures": ["TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
                                "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
                                "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
                                "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"],
            "fingerprint": hexid(11, "fp", name) + "="}
    return compute_asset("SslPolicy", "SslPolicy", gpath("sslPolicies", name), data, "global")


def url_map(name, *, default_service=None, redirect=False, paths=None):
    data = {"kind": "compute#urlMap", "id": digits(19, "um", name), "creationTimestamp": pst(400), "name": name,
            "fingerprint": hexid(11, "fp", name) + "="}
    if redirect:
        data["defaultUrlRedirect"] = {"httpsRedirect": True, "redirectResponseCode": "MOVED_PERMANENTLY_DEFAULT",
                                      "stripQuery": False}
    else:
        data["defaultService"] = default_service
    if paths:
        data["hostRules"] = [{"hosts": ["*"], "pathMatcher": "path-matcher-1"}]
        data["pathMatchers"] = [{"name": "path-matcher-1", "defaultService": default_service, "pathRules": [
            {"service": svc, "paths": [p]} for p, svc in paths]}]
    return compute_asset("UrlMap", "UrlMap", gpath("urlMaps", name), data, "global")


def backend_service(name, *, logs, armor, cdn, protocol, labels_unused=None):
    data = {"kind": "compute#backendService", "id": digits(19, "bes", name), "creationTimestamp": pst(400),
            "name": name, "protocol": protocol, "port": 80 if protocol == "HTTP" else 443,
            "portName": "http" if protocol == "HTTP" else "https", "timeoutSec": 30,
            "backends": [{"group": COMPUTE + "/zones/%s/instanceGroups/%s-ig" % (ZONE, name),
                          "balancingMode": "UTILIZATION", "capacityScaler": 1, "maxUtilization": 0.8}],
            "healthChecks": [gurl("healthChecks", name + "-hc")], "loadBalancingScheme": "EXTERNAL_MANAGED",
            "connectionDraining": {"drainingTimeoutSec": 300}, "sessionAffinity": "NONE",
            "enableCDN": cdn, "fingerprint": hexid(11, "fp", name) + "=", "localityLbPolicy": "ROUND_ROBIN",
            "logConfig": {"enable": True, "sampleRate": 1, "optionalMode": "EXCLUDE_ALL_OPTIONAL"} if logs
            else {"enable": False}}
    if armor:
        data["securityPolicy"] = gurl("securityPolicies", armor)
    if cdn:
        data["cdnPolicy"] = {"cacheMode": "CACHE_ALL_STATIC", "defaultTtl": 3600, "maxTtl": 86400,
                             "clientTtl": 3600, "negativeCaching": False, "serveWhileStale": 0,
                             "signedUrlCacheMaxAgeSec": "0", "cacheKeyPolicy": {"includeProtocol": True,
                                                                                "includeHost": True,
                                                                                "includeQueryString": True}}
    return compute_asset("BackendService", "BackendService", gpath("backendServices", name), data, "global")


def backend_bucket(name, bucket, *, edge_policy):
    data = {"kind": "compute#backendBucket", "id": digits(19, "bb", name), "creationTimestamp": pst(400),
            "name": name, "bucketName": bucket, "enableCdn": True,
            "cdnPolicy": {"cacheMode": "CACHE_ALL_STATIC", "defaultTtl": 3600, "maxTtl": 86400,
                          "clientTtl": 3600, "signedUrlCacheMaxAgeSec": "0", "requestCoalescing": True}}
    if edge_policy:
        data["edgeSecurityPolicy"] = gurl("securityPolicies", edge_policy)
    return compute_asset("BackendBucket", "BackendBucket", gpath("backendBuckets", name), data, "global")


def security_policy(name, typ):
    data = {"kind": "compute#securityPolicy", "id": digits(19, "sp", name), "creationTimestamp": pst(500),
            "name": name, "type": typ, "fingerprint": hexid(11, "fp", name) + "=",
            "rules": [{"kind": "compute#securityPolicyRule", "priority": 1000, "action": "deny(403)",
                       "preview": False, "match": {"expr": {"expression": "evaluatePreconfiguredWaf('sqli-v33-stable')"}},
                       "description": "OWASP CRS SQLi"},
                      {"kind": "compute#securityPolicyRule", "priority": 2147483647, "action": "allow",
                       "preview": False, "match": {"versionedExpr": "SRC_IPS_V1",
                                                  "config": {"srcIpRanges": ["*"]}},
                       "description": "default rule"}]}
    return compute_asset("SecurityPolicy", "SecurityPolicy", gpath("securityPolicies", name), data, "global")


def ssl_certificate(name, domains):
    data = {"kind": "compute#sslCertificate", "id": digits(19, "cert", name), "creationTimestamp": pst(300),
            "name": name, "type": "MANAGED", "managed": {"domains": domains, "status": "ACTIVE",
                                                         "domainStatus": {d: "ACTIVE" for d in domains}},
            "subjectAlternativeNames": domains, "expireTime": g.rfc3339_pst(NOW + dt.timedelta(days=60))}
    return compute_asset("SslCertificate", "SslCertificate", gpath("sslCertificates", name), data, "global")


# ---------------------------------------------------------------- Pub/Sub, Secret Manager, Artifact Registry

def topic(name, *, kms, labels):
    rel = "projects/%s/topics/%s" % (PROJECT, name)
    data = {"name": rel, "labels": labels, "messageStoragePolicy": {"allowedPersistenceRegions": [REGION]}}
    if kms:
        data["kmsKeyName"] = KEYS + kms
    return g.asset("//pubsub.googleapis.com/" + rel, "pubsub.googleapis.com/Topic", "Topic", data,
                   doc="https://pubsub.googleapis.com/$discovery/rest?version=v1", location="global")


def secret(name, *, rotation_days, kms, expire_days, labels):
    rel = "projects/%s/secrets/%s" % (NUMBER, name)
    data = {"name": rel, "createTime": iso(ago(400)), "labels": labels, "etag": "\"16" + digits(11, "et", name) + "\""}
    if kms:
        data["replication"] = {"userManaged": {"replicas": [
            {"location": REGION, "customerManagedEncryption": {"kmsKeyName": KEYS + kms}}]}}
    else:
        data["replication"] = {"automatic": {}}
    if rotation_days:
        data["rotation"] = {"nextRotationTime": iso(NOW + dt.timedelta(days=rotation_days // 2)),
                            "rotationPeriod": "%ds" % (rotation_days * 86400)}
        data["topics"] = [{"name": "projects/%s/topics/nw-secret-rotation" % PROJECT}]
    if expire_days:
        data["expireTime"] = iso(NOW + dt.timedelta(days=expire_days))
    return g.asset("//secretmanager.googleapis.com/" + rel, "secretmanager.googleapis.com/Secret", "Secret", data,
                   doc="https://secretmanager.googleapis.com/$discovery/rest?version=v1", location="global")


def repository(name, *, kms, scanning, immutable, labels):
    rel = "projects/%s/locations/%s/repositories/%s" % (PROJECT, REGION, name)
    data = {"name": rel, "format": "DOCKER", "description": "container images", "labels": labels,
            "createTime": iso(ago(600)), "updateTime": iso(ago(30)), "mode": "STANDARD_REPOSITORY",
            "sizeBytes": "18374650112", "satisfiesPzi": True, "dockerConfig": {"immutableTags": immutable} if immutable
            else {},
            "vulnerabilityScanningConfig": ({"enablementConfig": "INHERITED", "lastEnableTime": iso(ago(600)),
                                             "enablementState": "SCANNING_ACTIVE"} if scanning else
                                            {"enablementConfig": "DISABLED",
                                             "enablementState": "SCANNING_DISABLED",
                                             "enablementStateReason": "API containerscanning.googleapis.com is "
                                                                      "disabled for this repository"})}
    if kms:
        data["kmsKeyName"] = KEYS + kms
    return g.asset("//artifactregistry.googleapis.com/" + rel, "artifactregistry.googleapis.com/Repository",
                   "Repository", data, doc="https://artifactregistry.googleapis.com/$discovery/rest?version=v1")


# ---------------------------------------------------------------- Cloud DNS, API Gateway

def managed_zone(name, dns_name, *, visibility, dnssec, algorithms=("rsasha256", "rsasha256"), logging,
                 labels):
    data = {"name": name, "dnsName": dns_name, "description": "", "id": digits(19, "zone", name),
            "nameServers": ["ns-cloud-c%d.googledomains.com." % i for i in range(1, 5)],
            "creationTime": iso(ago(800)), "visibility": visibility, "labels": labels,
            "cloudLoggingConfig": {"kind": "dns#managedZoneCloudLoggingConfig", "enableLogging": logging}}
    if visibility == "public":
        data["dnssecConfig"] = {"kind": "dns#managedZoneDnsSecConfig", "state": dnssec,
                                "nonExistence": "nsec3", "defaultKeySpecs": [
                                    {"keyType": "keySigning", "algorithm": algorithms[0], "keyLength": 2048,
                                     "kind": "dns#dnsKeySpec"},
                                    {"keyType": "zoneSigning", "algorithm": algorithms[1], "keyLength": 1024,
                                     "kind": "dns#dnsKeySpec"}]}
    else:
        data["privateVisibilityConfig"] = {"kind": "dns#managedZonePrivateVisibilityConfig", "networks": [
            {"kind": "dns#managedZonePrivateVisibilityConfigNetwork",
             "networkUrl": "%s/global/networks/nw-vpc" % COMPUTE}]}
    return g.asset("//dns.googleapis.com/projects/%s/managedZones/%s" % (PROJECT, name),
                   "dns.googleapis.com/ManagedZone", "ManagedZone", data,
                   doc="https://dns.googleapis.com/$discovery/rest?version=v1", location="global")


def api_gateway(api, gateway):
    api_rel = "projects/%s/locations/global/apis/%s" % (PROJECT, api)
    g.asset("//apigateway.googleapis.com/" + api_rel, "apigateway.googleapis.com/Api", "Api", {
        "name": api_rel, "createTime": iso(ago(300)), "updateTime": iso(ago(30)), "displayName": api,
        "managedService": "%s-%s.apigateway.%s.cloud.goog" % (api, hexid(14, "ms", api), PROJECT),
        "state": "ACTIVE", "labels": {"env": "prod"}},
        doc="https://apigateway.googleapis.com/$discovery/rest?version=v1", location="global")
    cfg_rel = api_rel + "/configs/%s-config-v3" % api
    g.asset("//apigateway.googleapis.com/" + cfg_rel, "apigateway.googleapis.com/ApiConfig", "ApiConfig", {
        "name": cfg_rel, "createTime": iso(ago(30)), "updateTime": iso(ago(30)), "displayName": api + "-config-v3",
        "gatewayServiceAccount": "projects/-/serviceAccounts/" + E_ETL,
        "serviceConfigId": "%s-config-v3-%s" % (api, hexid(12, "sc", api)), "state": "ACTIVE",
        "labels": {"env": "prod"}}, doc="https://apigateway.googleapis.com/$discovery/rest?version=v1",
        location="global", parent="//apigateway.googleapis.com/" + api_rel)
    gw_rel = "projects/%s/locations/%s/gateways/%s" % (PROJECT, REGION, gateway)
    return g.asset("//apigateway.googleapis.com/" + gw_rel, "apigateway.googleapis.com/Gateway", "Gateway", {
        "name": gw_rel, "createTime": iso(ago(300)), "updateTime": iso(ago(30)), "labels": {"env": "prod"},
        "displayName": gateway, "apiConfig": "projects/%s/locations/global/apis/%s/configs/%s-config-v3"
                                             % (NUMBER, api, api), "state": "ACTIVE",
        "defaultHostname": "%s-%s.uc.gateway.dev" % (gateway, hexid(8, "gw", gateway))},
        doc="https://apigateway.googleapis.com/$discovery/rest?version=v1")


def custom_role(parent_rel, role_id, title, perms, stage="GA"):
    rel = "%s/roles/%s" % (parent_rel, role_id)
    data = {"name": rel, "title": title, "description": title, "includedPermissions": sorted(perms),
            "stage": stage, "etag": "BwY" + hexid(8, "role", rel) + "="}
    return rel, data


# ================================================================ the project

def build_project():
    P, C = PLANTED_LABELS, CLEAN_LABELS

    # disks: the CMEK boot disks of the ETL workers (written by org_gcp.py) were the clean ones until CIS GCP
    # 4.7 (gcp-disk-no-csek), which fails every disk without a customer-supplied key: the export does not say
    # which VMs are critical. CSEK on the ETL workers is not realistic (a key to supply at every start of
    # auto-restarted, CMEK-encrypted workers), so they are incidental, with the other non-CSEK disks.
    for w in ("nw-etl-worker-1", "nw-etl-worker-2", "nw-debug-vm", "nw-jupyter-legacy", "nw-nat-gw"):
        incidental("gcp-disk-no-csek", "disks/" + w, "no customer-supplied key (CIS GCP 4.7 asks one for critical "
                                                      "VMs; the export does not say which are, so every such disk "
                                                      "fails)")
    d_bad = disk("nw-legacy-scratch", kms=None, users=None, labels=P, size=500)
    planted("disk", d_bad, ["key_manager=provider (no diskEncryptionKey)", "attached=false (no users)"],
            "disk-not-customer-key", "gcp-disk-no-csek")
    planted("disk", "//compute.googleapis.com/projects/%s/zones/%s/disks/nw-jupyter-legacy" % (PROJECT, ZONE),
            ["key_manager=provider (the legacy Jupyter VM's boot disk has no diskEncryptionKey)"],
            "disk-not-customer-key")

    # snapshots and images
    s_ok = snapshot("nw-etl-worker-1-20261120", "nw-etl-worker-1", kms="disk-cmek", labels=C, days=4)
    policy(s_ok, "compute.googleapis.com/Snapshot", [("roles/compute.storageAdmin", ["serviceAccount:" + E_ETL])])
    clean("snapshot", s_ok, "CMEK (disk-cmek), IAM grants only sa-etl of the same project")
    s_x = snapshot("nw-warehouse-partner-share", "nw-etl-worker-2", kms="disk-cmek", labels=P, days=60)
    policy(s_x, "compute.googleapis.com/Snapshot", [
        ("roles/compute.storageAdmin", ["serviceAccount:" + E_ETL]),
        ("roles/compute.storageAdmin", ["serviceAccount:loader@partner-bi-prod.iam.gserviceaccount.com"])])
    planted("snapshot", s_x, ["cross_account=true (shared_with partner-bi-prod: its loader service account may use it)"],
            "snapshot-cross-account-shared")
    s_bad = snapshot("nw-jupyter-legacy-export", "nw-jupyter-legacy", kms=None, labels=P, days=380)
    policy(s_bad, "compute.googleapis.com/Snapshot", [("roles/compute.storageAdmin", ["allAuthenticatedUsers"])])
    planted("snapshot", s_bad, ["public=true (allAuthenticatedUsers roles/compute.storageAdmin)",
                                "key_manager=provider"], "snapshot-public", "snapshot-not-customer-key")
    public_binding(s_bad, "roles/compute.storageAdmin", "allAuthenticatedUsers")
    i_ok = image("nw-etl-base-2026-10", "nw-etl-worker-1", kms="disk-cmek", labels=C, family="nw-etl-base")
    policy(i_ok, "compute.googleapis.com/Image", [("roles/compute.imageUser", ["serviceAccount:" + E_ETL])])
    clean("snapshot", i_ok, "image with CMEK, used only by sa-etl")
    i_bad = image("nw-jupyter-base-2024", "nw-jupyter-legacy", kms=None, labels=P, family="nw-jupyter")
    policy(i_bad, "compute.googleapis.com/Image", [("roles/compute.imageUser", ["allUsers"])])
    planted("snapshot", i_bad, ["public=true (allUsers roles/compute.imageUser)", "key_manager=provider"],
            "snapshot-public", "snapshot-not-customer-key")
    public_binding(i_bad, "roles/compute.imageUser", "allUsers")

    # functions
    connector = "projects/%s/locations/%s/connectors/nw-serverless" % (PROJECT, REGION)
    f_ok = function_v2("nw-etl-trigger", runtime="nodejs22", ingress="ALLOW_INTERNAL_ONLY",
                       env={"DATASET": "warehouse", "LOG_LEVEL": "info"}, sa=E_ETL, connector=connector, labels=C)
    policy(f_ok, "cloudfunctions.googleapis.com/Function",
           [("roles/cloudfunctions.invoker", ["serviceAccount:" + E_ETL])])
    clean("function", f_ok, "2nd gen, Node.js 22, internal ingress only, dedicated service account, VPC connector, "
                            "no secrets in environment variables, invoker only sa-etl")
    f_bad = function_v1("nw-legacy-webhook", runtime="nodejs16", ingress="ALLOW_ALL", secure=False,
                        env={"PARTNER_API_TOKEN": "tok_live_4f8a9c2e71b3", "DB_PASSWORD": "Winter2024!",
                             "PARTNER_URL": "https://partner.example/hook"},
                        sa=APPSPOT_SA, connector=None, labels=P)
    policy(f_bad, "cloudfunctions.googleapis.com/CloudFunction", [("roles/cloudfunctions.invoker", ["allUsers"])])
    planted("function", f_bad, ["runtime_deprecated=true (nodejs16, deprecated 2024-01-30)",
                                "public_invocation=true (allUsers roles/cloudfunctions.invoker)",
                                "public_network=true (ingress ALLOW_ALL)",
                                "https_only=false (securityLevel SECURE_OPTIONAL)",
                                "environment_secrets=true (DB_PASSWORD, PARTNER_API_TOKEN)", "in_vpc=false",
                                "identity=App Engine default service account"],
            "function-runtime-deprecated", "function-public-invocation", "function-public-network",
            "function-https-only", "function-env-secrets", "function-not-in-vpc", "function-default-service-account")
    public_binding(f_bad, "roles/cloudfunctions.invoker", "allUsers")

    # GKE
    k_ok = cluster("nw-analytics-gke", private=True, logging=True, dataplane_v2=True, abac=False, client_cert=False,
                   auto_upgrade=True, cmek=True, labels=C)
    clean("kubernetes_cluster", k_ok, "private endpoint and nodes, authorized networks 10.10.0.0/16, system/workload/"
                                      "API server logging, Dataplane V2, no ABAC or client certificate, node "
                                      "auto-upgrade, secrets encrypted with a KMS key")
    k_bad = cluster("nw-legacy-gke", private=False, logging=False, dataplane_v2=False, abac=True, client_cert=True,
                    auto_upgrade=False, cmek=False, labels=P)
    planted("kubernetes_cluster", k_bad, ["public_endpoint=true with endpoint_allowed_cidrs [0.0.0.0/0] (no private "
                                          "cluster config, no authorized networks)",
                                          "control_plane_logging=false (loggingService none)",
                                          "network_policy=false", "legacy_auth=true (legacy ABAC, client certificate)",
                                          "node_auto_upgrade=false", "secrets_encrypted=false (DECRYPTED)",
                                          "private_nodes=false"],
            "kubernetes-public-endpoint", "kubernetes-endpoint-open-to-all", "kubernetes-control-plane-logging",
            "kubernetes-network-policy", "kubernetes-legacy-auth", "kubernetes-node-auto-upgrade",
            "kubernetes-secrets-not-encrypted", "kubernetes-node-public-ip")

    # load balancing: a hardened web load balancer and a legacy one
    security_policy("nw-armor-default", "CLOUD_ARMOR")
    security_policy("nw-armor-edge", "CLOUD_ARMOR_EDGE")
    ssl_certificate("nw-web-cert", ["www." + DOMAIN, "static." + DOMAIN])
    ssl_certificate("nw-legacy-cert", ["legacy." + DOMAIN])
    ssl_policy("nw-tls12-modern", "MODERN", "TLS_1_2")
    be_ok = backend_service("nw-web-backend", logs=True, armor="nw-armor-default", cdn=False, protocol="HTTPS")
    clean("load_balancer", be_ok, "backend service: logging on (sample rate 1), Cloud Armor policy")
    bb_ok = backend_bucket("nw-static-assets", "nw-analytics-prod-static", edge_policy="nw-armor-edge")
    clean("cdn", bb_ok, "Cloud CDN backend bucket: edge security policy, served over HTTPS only (HTTP redirected), "
                        "SSL policy TLS 1.2 MODERN")
    url_map("nw-web", default_service=gurl("backendServices", "nw-web-backend"),
            paths=[("/static/*", gurl("backendBuckets", "nw-static-assets"))])
    url_map("nw-web-redirect", redirect=True)
    https_proxy("nw-web-https-proxy", "nw-web", "nw-tls12-modern", "nw-web-cert")
    http_proxy("nw-web-http-proxy", "nw-web-redirect")
    fr1 = forwarding_rule("nw-web-https", "34.117.54.10", 443, "targetHttpsProxies", "nw-web-https-proxy", C)
    fr2 = forwarding_rule("nw-web-http", "34.117.54.10", 80, "targetHttpProxies", "nw-web-http-proxy", C)
    clean("load_balancer", fr1, "HTTPS frontend: SSL policy MODERN with TLS 1.2, backends logged and behind Cloud Armor")
    clean("load_balancer", fr2, "HTTP frontend that only redirects to HTTPS")

    be_bad = backend_service("nw-legacy-backend", logs=False, armor=None, cdn=False, protocol="HTTP")
    planted("load_balancer", be_bad, ["access_logs=false (logConfig.enable false)", "waf=false (no securityPolicy)"],
            "lb-access-logs")
    cdn_bad = backend_service("nw-legacy-cdn-backend", logs=False, armor=None, cdn=True, protocol="HTTP")
    planted("cdn", cdn_bad, ["viewer_https_only=false (served by the plain-HTTP frontend nw-legacy-http)",
                             "origin_https_only=false (protocol HTTP)", "waf=false", "access_logs=false",
                             "min_tls_version=1.0 (the HTTPS frontend has no SSL policy: Google's default)"],
            "cdn-http-allowed", "cdn-origin-http", "cdn-waf", "cdn-access-logs", "cdn-weak-tls")
    url_map("nw-legacy", default_service=gurl("backendServices", "nw-legacy-backend"),
            paths=[("/assets/*", gurl("backendServices", "nw-legacy-cdn-backend"))])
    https_proxy("nw-legacy-https-proxy", "nw-legacy", None, "nw-legacy-cert")
    http_proxy("nw-legacy-http-proxy", "nw-legacy")
    fr3 = forwarding_rule("nw-legacy-http", "34.107.201.77", 80, "targetHttpProxies", "nw-legacy-http-proxy", P)
    fr4 = forwarding_rule("nw-legacy-https", "34.107.201.77", 443, "targetHttpsProxies", "nw-legacy-https-proxy", P)
    planted("load_balancer", fr3, ["http_listener=true (port 80 served by the URL map, no HTTPS redirect)",
                                   "access_logs=false", "waf=false (backends without Cloud Armor)"],
            "lb-http-listener", "lb-access-logs", "lb-waf")
    planted("load_balancer", fr4, ["weak_tls=true (no SSL policy: Google's default COMPATIBLE, TLS 1.0)",
                                   "access_logs=false", "waf=false"], "lb-weak-tls", "lb-access-logs", "lb-waf")

    # Pub/Sub
    t_ok = topic("nw-etl-events", kms="datalake-cmek", labels=C)
    policy(t_ok, "pubsub.googleapis.com/Topic", [("roles/pubsub.publisher", ["serviceAccount:" + E_ETL])])
    clean("queue", t_ok, "CMEK (datalake-cmek), only sa-etl may publish")
    t_bad = topic("nw-partner-feed", kms=None, labels=P)
    policy(t_bad, "pubsub.googleapis.com/Topic", [("roles/pubsub.subscriber", ["allUsers"]),
                                                  ("roles/pubsub.publisher", ["serviceAccount:" + E_ETL])])
    planted("queue", t_bad, ["public_policy=true (allUsers roles/pubsub.subscriber)", "key_manager=provider"],
            "queue-public-policy", "queue-not-customer-key")
    public_binding(t_bad, "roles/pubsub.subscriber", "allUsers")

    # Secret Manager
    s1 = secret("etl-db-password", rotation_days=30, kms="datalake-cmek", expire_days=None, labels=C)
    policy(s1, "secretmanager.googleapis.com/Secret",
           [("roles/secretmanager.secretAccessor", ["serviceAccount:" + E_ETL])])
    clean("secret", s1, "rotation every 30 days with a next rotation time, CMEK replica, only sa-etl can read it")
    s2 = secret("legacy-partner-api-key", rotation_days=None, kms=None, expire_days=None, labels=P)
    policy(s2, "secretmanager.googleapis.com/Secret",
           [("roles/secretmanager.secretAccessor", ["allAuthenticatedUsers"])])
    planted("secret", s2, ["public_access=true (allAuthenticatedUsers roles/secretmanager.secretAccessor)",
                           "rotation_enabled=false (no rotation)", "expiry_set=false", "key_manager=provider"],
            "secret-public", "secret-rotation-disabled", "secret-not-customer-key")
    public_binding(s2, "roles/secretmanager.secretAccessor", "allAuthenticatedUsers")

    # Artifact Registry
    r_ok = repository("nw-containers", kms="datalake-cmek", scanning=True, immutable=True, labels=C)
    policy(r_ok, "artifactregistry.googleapis.com/Repository",
           [("roles/artifactregistry.reader", ["serviceAccount:" + E_ETL, "group:data-engineers@" + DOMAIN])])
    clean("container_registry", r_ok, "CMEK, vulnerability scanning active, immutable tags, readers are named")
    r_bad = repository("nw-public-images", kms=None, scanning=False, immutable=False, labels=P)
    policy(r_bad, "artifactregistry.googleapis.com/Repository", [("roles/artifactregistry.reader", ["allUsers"])])
    planted("container_registry", r_bad, ["public=true (allUsers roles/artifactregistry.reader)",
                                          "image_scanning=false (SCANNING_DISABLED)", "tag_immutable=false",
                                          "key_manager=provider"],
            "registry-public", "registry-image-scanning", "registry-tag-mutable", "registry-not-customer-key")
    public_binding(r_bad, "roles/artifactregistry.reader", "allUsers")

    # Cloud DNS
    z_ok = managed_zone("northwind-analytics-com", DOMAIN + ".", visibility="public", dnssec="on",
                        algorithms=("rsasha256", "ecdsap256sha256"), logging=True, labels=C)
    clean("dns_zone", z_ok, "public zone, DNSSEC on (RSASHA256 key signing, ECDSAP256SHA256 zone signing), query logging")
    z_weak = managed_zone("nw-legacy-zone", "legacy." + DOMAIN + ".", visibility="public", dnssec="on",
                          algorithms=("rsasha1", "rsasha1"), logging=False, labels=P)
    planted("dns_zone", z_weak, ["dnssec_algorithm=rsasha1", "query_logging=false"], "dns-dnssec-weak-algorithm",
            "dns-query-logging")
    z_off = managed_zone("nw-marketing-zone", "go." + DOMAIN + ".", visibility="public", dnssec="off",
                         logging=False, labels=P)
    planted("dns_zone", z_off, ["dnssec=false (state off)", "query_logging=false"], "dns-dnssec-disabled",
            "dns-query-logging")
    managed_zone("nw-internal", "internal.%s." % DOMAIN, visibility="private", dnssec=None, logging=True,
                 labels={"env": "prod"})

    # API Gateway: always public (*.gateway.dev); the export does not show its auth or logging
    api_gateway("nw-partner-api", "nw-partner-gw")

    # a project custom role and a conditional binding
    rel, data = custom_role("projects/" + PROJECT, "etlDeployer", "ETL deployer",
                            ["cloudfunctions.functions.get", "cloudfunctions.functions.update",
                             "cloudfunctions.functions.sourceCodeSet", "iam.serviceAccounts.actAs",
                             "storage.objects.create", "storage.objects.get"])
    role_ok = g.asset("//iam.googleapis.com/" + rel, "iam.googleapis.com/Role", "Role", data,
                      doc="https://iam.googleapis.com/$discovery/rest", location="global")
    clean("role", role_ok, "custom role without IAM-policy permissions")


def extend_project_policy(lines):
    """Adds a conditional grant, a consumer account and a service-account user
    grant to the project's IAM policy."""
    project = "//cloudresourcemanager.googleapis.com/projects/" + NUMBER
    cond = {"title": "curated-objects-only", "description": "analysts read the curated zone of the data lake",
            "expression": "resource.name.startsWith(\"projects/_/buckets/nw-analytics-prod-datalake/objects/curated/\")"}
    extra = [
        {"role": "roles/storage.objectViewer", "members": ["group:analysts@" + DOMAIN], "condition": cond},
        {"role": "roles/bigquery.dataViewer", "members": ["user:jordan.miles.nw@gmail.com"]},
        {"role": "roles/iam.serviceAccountUser", "members": ["user:tom.becker@" + DOMAIN]},
        {"role": "projects/%s/roles/etlDeployer" % PROJECT, "members": ["group:data-engineers@" + DOMAIN]},
        # CIS GCP 1.8 / 1.11: duties not separated at project level
        {"role": "roles/iam.serviceAccountAdmin", "members": ["user:tom.becker@" + DOMAIN]},
        {"role": "roles/cloudkms.admin", "members": ["group:security@" + DOMAIN]},
        {"role": "roles/cloudkms.cryptoKeyEncrypterDecrypter", "members": ["group:security@" + DOMAIN]},
    ]
    for a in lines:
        if a["name"] == project and "iam_policy" in a:
            pol = a["iam_policy"]
            have = {(b["role"], tuple(b["members"]), json.dumps(b.get("condition"), sort_keys=True))
                    for b in pol["bindings"]}
            for b in extra:
                if (b["role"], tuple(b["members"]), json.dumps(b.get("condition"), sort_keys=True)) not in have:
                    pol["bindings"].append(b)
            pol["version"] = 3
    bid = g.binding_id
    clean("iam_binding", bid(project, "roles/storage.objectViewer", "group:analysts@" + DOMAIN)
          + "#condition/curated-objects-only", "conditional read of the curated zone only")
    planted("iam_binding", bid(project, "roles/bigquery.dataViewer", "user:jordan.miles.nw@gmail.com"),
            ["principal is a consumer (gmail.com) account"], "gcp-consumer-account-binding")
    planted("iam_binding", bid(project, "roles/iam.serviceAccountUser", "user:tom.becker@" + DOMAIN),
            ["roles/iam.serviceAccountUser granted to a user at project level (can act as every service account)"],
            "gcp-service-account-role-to-users")
    planted("iam_binding", bid(project, "roles/iam.serviceAccountUser", "user:tom.becker@" + DOMAIN),
            ["tom.becker also holds roles/iam.serviceAccountAdmin on the project: he can create service accounts "
             "and act as them"], "gcp-iam-service-account-duties-not-separated")
    planted("iam_binding", bid(project, "roles/iam.serviceAccountAdmin", "user:tom.becker@" + DOMAIN),
            ["granted so that he could create the ETL service accounts himself; he also holds "
             "roles/iam.serviceAccountUser on the project"], "gcp-iam-service-account-duties-not-separated")
    for role, other in (("roles/cloudkms.admin", "roles/cloudkms.cryptoKeyEncrypterDecrypter"),
                        ("roles/cloudkms.cryptoKeyEncrypterDecrypter", "roles/cloudkms.admin")):
        planted("iam_binding", bid(project, role, "group:security@" + DOMAIN),
                ["the security team administers the keys and was also given %s on the project to test key "
                 "rotation" % other.split("/")[1]], "gcp-iam-kms-duties-not-separated")


def label_existing(lines):
    """Labels the disks org_gcp.py writes that expected-gcp.json lists."""
    marks = {p["resource_id"]: "planted" for p in PLANTED}
    marks.update({c["resource_id"]: "clean" for c in CLEAN})
    for a in lines:
        if a["asset_type"] == "compute.googleapis.com/Disk" and a["name"] in marks:
            a["resource"]["data"].setdefault("labels", {})["sample"] = marks[a["name"]]


# ---------------------------------------------------------------- CIS hardening (CIS GCP 4.3, 4.4, 4.11, 6.x, 7.3)

SQL_PREFIX = "//cloudsql.googleapis.com/projects/%s/instances/" % PROJECT
VM_PREFIX = "//compute.googleapis.com/projects/%s/zones/%s/instances/" % (PROJECT, ZONE)
# the Cloud SQL flag rules of CIS GCP 6.2 that fail on a PostgreSQL instance setting only
# log_connections and log_disconnections (as org_gcp.py and the overlay's instances do)
PG_DEFAULT_FAILS = [("gcp-sql-postgres-log-statement-none", "log_statement not set (none)"),
                    ("gcp-sql-postgres-pgaudit-disabled", "cloudsql.enable_pgaudit not set (off)"),
                    ("gcp-sql-iam-authentication-disabled", "cloudsql.iam_authentication not set (off): built-in "
                                                            "database users only")]
PG_GOOD_FLAGS = [{"name": "log_connections", "value": "on"}, {"name": "log_disconnections", "value": "on"},
                 {"name": "log_statement", "value": "ddl"}, {"name": "cloudsql.enable_pgaudit", "value": "on"},
                 {"name": "pgaudit.log", "value": "ddl,role"}, {"name": "cloudsql.iam_authentication", "value": "on"}]


def sql_flags(name, flags):
    """Replaces the databaseFlags of the Cloud SQL instance name that g.cloudsql just wrote."""
    row = [a for a in g.RES if a["name"] == SQL_PREFIX + name][0]
    row["resource"]["data"]["settings"]["databaseFlags"] = [{"name": k, "value": v} for k, v in flags]
    return row["name"]


def build_cis():
    """Cloud SQL for SQL Server instances and a BigQuery dataset for the CIS 6.3 and 7.3 rules."""
    bad = g.cloudsql("nw-finance-mssql", "SQLSERVER_2022_STANDARD", kms=KEYS + "sql-cmek")
    sql_flags("nw-finance-mssql", [("external scripts enabled", "on"), ("cross db ownership chaining", "on"),
                                   ("user connections", "200"), ("user options", "32"),
                                   ("contained database authentication", "on")])
    planted("database", bad, ["external scripts enabled=on", "cross db ownership chaining=on",
                              "user connections=200", "user options=32", "remote access not set (on)",
                              "3625 not set (off)", "contained database authentication=on"],
            "gcp-sql-sqlserver-external-scripts-enabled", "gcp-sql-sqlserver-cross-db-ownership-chaining",
            "gcp-sql-sqlserver-user-connections-limited", "gcp-sql-sqlserver-user-options-set",
            "gcp-sql-sqlserver-remote-access-enabled", "gcp-sql-sqlserver-trace-flag-3625-off",
            "gcp-sql-sqlserver-contained-db-authentication")
    good = g.cloudsql("nw-billing-mssql", "SQLSERVER_2022_STANDARD", kms=KEYS + "sql-cmek")
    sql_flags("nw-billing-mssql", [("remote access", "off"), ("3625", "on"), ("user connections", "0"),
                                   ("cross db ownership chaining", "off")])
    clean("database", good, "SQL Server: remote access off, trace flag 3625 on, user connections 0, "
                            "private IP, CMEK")
    pg = g.cloudsql("nw-ml-features-pg", "POSTGRES_16", kms=KEYS + "sql-cmek")
    sql_flags("nw-ml-features-pg", [("log_error_verbosity", "verbose"), ("log_connections", "off"),
                                    ("log_statement", "none"), ("log_min_messages", "error"),
                                    ("log_min_error_statement", "notice"), ("log_min_duration_statement", "250")])
    planted("database", pg, ["log_error_verbosity=verbose", "log_connections=off", "log_disconnections not set (off)",
                             "log_statement=none", "log_min_messages=error", "log_min_error_statement=notice",
                             "log_min_duration_statement=250", "cloudsql.enable_pgaudit not set (off)",
                             "cloudsql.iam_authentication not set (off)"],
            "gcp-sql-postgres-log-error-verbosity", "gcp-sql-postgres-log-connections-off",
            "gcp-sql-postgres-log-disconnections-off", "gcp-sql-postgres-log-statement-none",
            "gcp-sql-postgres-log-min-messages", "gcp-sql-postgres-log-min-error-statement",
            "gcp-sql-postgres-log-min-duration-statement", "gcp-sql-postgres-pgaudit-disabled",
            "gcp-sql-iam-authentication-disabled")
    # CIS GCP 3.2: a legacy network left from the first project set-up
    legacy = compute_asset("Network", "Network", "projects/%s/global/networks/nw-legacy-net" % PROJECT, {
        "kind": "compute#network", "id": digits(19, "net", "nw-legacy-net"), "creationTimestamp": pst(2900),
        "name": "nw-legacy-net", "description": "pre-VPC network of the first analytics cluster",
        "IPv4Range": "10.240.0.0/16", "gatewayIPv4": "10.240.0.1", "routingConfig": {"routingMode": "REGIONAL"},
        "networkFirewallPolicyEnforcementOrder": "AFTER_CLASSIC_FIREWALL"}, "global")
    planted("network", legacy, ["IPv4Range 10.240.0.0/16 (legacy network, no subnetworks)"], "gcp-legacy-network")
    # CIS GCP 7.1: a dataset shared with allAuthenticatedUsers (its default key is a CMEK)
    pub = dataset("nw_public_benchmarks", [{"role": "READER", "specialGroup": "allAuthenticatedUsers"}],
                  "projects/%s/locations/us/keyRings/nw-eu-ring/cryptoKeys/bq-cmek" % PROJECT)
    planted("data_warehouse", pub, ["access READER specialGroup allAuthenticatedUsers"],
            "gcp-bigquery-dataset-public")
    ds = dataset("nw_marketing_sandbox", [], None)
    planted("data_warehouse", ds, ["key_manager=provider (no defaultEncryptionConfiguration)"],
            "gcp-bigquery-dataset-no-cmek")


def dataset(name, access, kms):
    """A BigQuery dataset with the project's default access entries and those given."""
    data = {"kind": "bigquery#dataset", "etag": hexid(22, "bq", name) + "==", "id": "%s:%s" % (PROJECT, name),
            "selfLink": "https://bigquery.googleapis.com/bigquery/v2/projects/%s/datasets/%s" % (PROJECT, name),
            "datasetReference": {"datasetId": name, "projectId": PROJECT}, "labels": PLANTED_LABELS,
            "access": [{"role": "WRITER", "specialGroup": "projectWriters"},
                       {"role": "OWNER", "specialGroup": "projectOwners"},
                       {"role": "READER", "specialGroup": "projectReaders"}] + access,
            "creationTime": "1757916000000", "lastModifiedTime": "1761372000000", "location": "US",
            "type": "DEFAULT", "isCaseInsensitive": False, "maxTimeTravelHours": "168",
            "storageBillingModel": "LOGICAL"}
    if kms:
        data["defaultEncryptionConfiguration"] = {"kmsKeyName": kms}
    return g.asset("//bigquery.googleapis.com/projects/%s/datasets/%s" % (PROJECT, name),
                   "bigquery.googleapis.com/Dataset", "Dataset", data, version="v2",
                   doc="https://bigquery.googleapis.com/$discovery/rest?version=v2", location="us")


def harden_existing(lines):
    """Edits org_gcp.py's instances and Cloud SQL instances for the CIS hardening rules: the clean ETL
    workers block project-wide SSH keys and run as Confidential VMs (N2D), the clean warehouse logs DDL
    and enables pgAudit, the legacy Jupyter VM turns OS Login off and the legacy MySQL allows
    local_infile; plants every instance the rules fail on."""
    for a in lines:
        d, name = a["resource"].get("data") or {}, a["name"]
        if a["asset_type"] == "compute.googleapis.com/Instance" and name.startswith(VM_PREFIX):
            short = name[len(VM_PREFIX):]
            items = d["metadata"]["items"]
            if short in ("nw-etl-worker-1", "nw-etl-worker-2"):
                items.append({"key": "block-project-ssh-keys", "value": "TRUE"})
                d["machineType"] = d["machineType"].replace("e2-standard-4", "n2d-standard-4")
                d["confidentialInstanceConfig"] = {"enableConfidentialCompute": True,
                                                   "confidentialInstanceType": "SEV"}
                continue
            if short == "nw-jupyter-legacy":
                for it in items:
                    if it["key"] == "enable-oslogin":
                        it["value"] = "FALSE"
                planted("compute", name, ["metadata enable-oslogin=FALSE"], "gcp-instance-os-login-disabled")
                # An N2D machine that could run as a Confidential VM and does not (CIS GCP 4.11 judges
                # only the machine families that can).
                mt = d["machineType"]
                d["machineType"] = mt[:mt.rindex("/") + 1] + "n2d-standard-4"
            planted("compute", name, ["no block-project-ssh-keys metadata"], "gcp-instance-project-ssh-keys-allowed")
            family = d["machineType"].rsplit("/", 1)[-1].split("-", 1)[0]
            if family in ("n2d", "c2d", "c3d", "c3", "a3"):
                planted("compute", name, ["no confidentialInstanceConfig on an %s machine" % family],
                        "gcp-instance-confidential-computing-disabled")
        elif a["asset_type"] == "sqladmin.googleapis.com/Instance" and name == SQL_PREFIX + "nw-warehouse-pg":
            d["settings"]["databaseFlags"] = PG_GOOD_FLAGS
        elif a["asset_type"] == "sqladmin.googleapis.com/Instance" and name == SQL_PREFIX + "nw-legacy-mysql":
            d["settings"]["databaseFlags"] = [{"name": "local_infile", "value": "on"}]
            planted("database", name, ["skip_show_database not set (off)", "local_infile=on"],
                    "gcp-sql-mysql-skip-show-database-off", "gcp-sql-mysql-local-infile-not-off")
            planted("database", name, ["cloudsql_iam_authentication not set (off): the legacy app logs in with a "
                                       "shared built-in MySQL user"], "gcp-sql-iam-authentication-disabled")
    # the overlay's PostgreSQL instances (examples/tools/org_overlay.json) set log_connections and
    # log_disconnections only
    for n in ("nw-eu-patients-pg", "nw-eu-patients-pg-replica"):
        for rule, why in PG_DEFAULT_FAILS:
            planted("database", SQL_PREFIX + n, [why], rule)


# ================================================================ the organization export

def org_asset(rows, name, asset_type, discovery, data, ancestors, parent=None, version="v1", doc=None):
    res = {"version": version, "discovery_document_uri": doc or
           "https://cloudresourcemanager.googleapis.com/$discovery/rest?version=" + version,
           "discovery_name": discovery, "data": data, "location": "global"}
    if parent:
        res["parent"] = parent
    row = {"name": name, "asset_type": asset_type, "resource": res, "ancestors": ancestors,
           "update_time": g.upd(9)}
    # the parent goes before data, as the export writes it
    row["resource"] = {k: res[k] for k in ("version", "discovery_document_uri", "discovery_name", "parent", "data",
                                           "location") if k in res}
    rows.append(row)
    return name


def org_policy(rows, name, asset_type, bindings, ancestors):
    pol = {"version": 1, "etag": "BwY" + hexid(8, "etag", name) + "=", "bindings": []}
    for b in bindings:
        e = {"role": b[0], "members": sorted(b[1])}
        if len(b) > 2:
            e["condition"] = b[2]
            pol["version"] = 3
        pol["bindings"].append(e)
    rows.append({"name": name, "asset_type": asset_type, "iam_policy": pol, "ancestors": ancestors,
                 "update_time": g.upd(11)})


def build_org():
    res, iam = [], []
    org = CRM + "organizations/" + ORG
    folder = CRM + "folders/" + FOLDER
    org_anc = ["organizations/" + ORG]
    folder_anc = ["folders/" + FOLDER] + org_anc
    org_asset(res, org, "cloudresourcemanager.googleapis.com/Organization", "Organization", {
        "name": "organizations/" + ORG, "displayName": DOMAIN, "owner": {"directoryCustomerId": "C03k8x9wq"},
        "creationTime": iso(ago(2400)), "lifecycleState": "ACTIVE"}, org_anc)
    org_asset(res, folder, "cloudresourcemanager.googleapis.com/Folder", "Folder", {
        "name": "folders/" + FOLDER, "parent": "organizations/" + ORG, "displayName": "Production",
        "lifecycleState": "ACTIVE", "createTime": iso(ago(1500))}, folder_anc, parent=org, version="v2")
    rel, data = custom_role("organizations/" + ORG, "breakGlassAdmin", "Break-glass administrator",
                            ["resourcemanager.organizations.get", "resourcemanager.organizations.getIamPolicy",
                             "resourcemanager.organizations.setIamPolicy", "resourcemanager.projects.list"])
    role_bad = org_asset(res, "//iam.googleapis.com/" + rel, "iam.googleapis.com/Role", "Role", data, org_anc,
                         parent=org, doc="https://iam.googleapis.com/$discovery/rest")
    planted("role", role_bad, ["full_admin=true (resourcemanager.organizations.setIamPolicy: can grant itself any role)"],
            "role-custom-iam-admin")
    rel, data = custom_role("organizations/" + ORG, "securityReviewerPlus", "Security reviewer plus",
                            ["resourcemanager.organizations.getIamPolicy", "resourcemanager.folders.getIamPolicy",
                             "resourcemanager.projects.getIamPolicy", "iam.roles.list", "iam.roles.get"])
    role_ok = org_asset(res, "//iam.googleapis.com/" + rel, "iam.googleapis.com/Role", "Role", data, org_anc,
                        parent=org, doc="https://iam.googleapis.com/$discovery/rest")
    clean("role", role_ok, "read-only organization custom role")

    org_policy(iam, org, "cloudresourcemanager.googleapis.com/Organization", [
        ("roles/resourcemanager.organizationAdmin", ["group:gcp-org-admins@" + DOMAIN]),
        ("roles/owner", ["user:maria.lopez@" + DOMAIN]),
        ("roles/billing.creator", ["domain:" + DOMAIN]),
        ("roles/resourcemanager.projectCreator", ["domain:" + DOMAIN]),
        ("roles/iam.securityReviewer", ["group:security@" + DOMAIN]),
        ("organizations/%s/roles/breakGlassAdmin" % ORG, ["group:gcp-break-glass@" + DOMAIN]),
    ], org_anc)
    org_policy(iam, folder, "cloudresourcemanager.googleapis.com/Folder", [
        ("roles/resourcemanager.folderViewer", ["group:sre@" + DOMAIN]),
        ("roles/compute.networkAdmin", ["group:sre@" + DOMAIN],
         {"title": "business-hours", "description": "network changes during business hours only",
          "expression": "request.time.getHours(\"America/Los_Angeles\") >= 8 && "
                        "request.time.getHours(\"America/Los_Angeles\") < 18"}),
    ], folder_anc)
    bid = g.binding_id
    planted("iam_binding", bid(org, "roles/owner", "user:maria.lopez@" + DOMAIN),
            ["privileged=true (roles/owner) at scope_level organization"], "iam-privileged-binding-org-scope",
            "iam-primitive-role-broad")
    planted("iam_binding", bid(org, "organizations/%s/roles/breakGlassAdmin" % ORG, "group:gcp-break-glass@" + DOMAIN),
            ["privileged=true (custom role breakGlassAdmin, full_admin: it holds "
             "resourcemanager.organizations.setIamPolicy, so it can grant itself roles/owner) at scope_level "
             "organization, a standing grant"], "iam-privileged-binding-org-scope")
    clean("iam_binding", bid(folder, "roles/compute.networkAdmin", "group:sre@" + DOMAIN) + "#condition/business-hours",
          "folder-level grant to a group, restricted by a time condition")
    clean("iam_binding", bid(org, "roles/iam.securityReviewer", "group:security@" + DOMAIN),
          "read-only role to the security group at organization level")
    return res, iam


def merge_ndjson(path, rows):
    lines = []
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            lines = [json.loads(l) for l in f if l.strip()]
    keys = {(r["name"], r["asset_type"]) for r in rows}
    lines = [r for r in lines if (r["name"], r["asset_type"]) not in keys] + rows
    return lines


def write(path, lines):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        for r in lines:
            f.write(json.dumps(r, separators=(",", ":"), ensure_ascii=False) + "\n")


def main(org=ORG_DIR):
    """Extend the GCP exports under org (examples/org), write the organization export and
    org/expected-gcp.json."""
    root = os.path.join(org, "gcp", PROJECT)
    org_root = os.path.join(org, "gcp", "organization-" + ORG)
    g.RES.clear()
    g.IAM.clear()
    build_project()
    build_cis()
    __import__("org_gcp_cis").build(planted, clean)
    res = merge_ndjson(os.path.join(root, "resource.json"), list(g.RES))
    iam = merge_ndjson(os.path.join(root, "iam_policy.json"), list(g.IAM))
    extend_project_policy(iam)
    harden_existing(res)
    label_existing(res)
    write(os.path.join(root, "resource.json"), res)
    write(os.path.join(root, "iam_policy.json"), iam)
    for name, lines in __import__("org_gcp_cis").PROJECT_NDJSON.items():
        write(os.path.join(root, name), lines)
    for name, doc in __import__("org_gcp_cis").PROJECT_FILES.items():
        with open(os.path.join(root, name), "w", encoding="utf-8") as f:
            f.write(json.dumps(doc, indent=2) + "\n")
    ores, oiam = build_org()
    ores += __import__("org_gcp_cis").ORG_EXTRA
    write(os.path.join(org_root, "resource.json"), ores)
    write(os.path.join(org_root, "iam_policy.json"), oiam)
    write(os.path.join(org_root, "access_policy.json"), __import__("org_gcp_cis").ORG_ACCESS_POLICY)
    for name, doc in __import__("org_gcp_cis").ORG_FILES.items():
        with open(os.path.join(org_root, name), "w", encoding="utf-8") as f:
            f.write(json.dumps(doc, indent=2) + "\n")
    with open(os.path.join(org_root, "README.txt"), "w", encoding="utf-8") as f:
        f.write("Cloud Asset Inventory exports of organization %s (%s), taken 2026-11-24: the organization, its\n"
                "folders and organization-level custom roles, with their IAM policies:\n"
                "  gcloud asset export --organization=%s --content-type=resource \\\n"
                "      --asset-types=cloudresourcemanager.googleapis.com/Organization,"
                "cloudresourcemanager.googleapis.com/Folder,iam.googleapis.com/Role,"
                "essentialcontacts.googleapis.com/Contact \\\n"
                "      --output-path=gs://nw-cai-exports/2026-11-24/org-resource.json\n"
                "  gcloud asset export --organization=%s --content-type=iam-policy \\\n"
                "      --asset-types=cloudresourcemanager.googleapis.com/Organization,"
                "cloudresourcemanager.googleapis.com/Folder \\\n"
                "      --output-path=gs://nw-cai-exports/2026-11-24/org-iam_policy.json\n"
                "  gcloud asset export --organization=%s --content-type=access-policy \\\n"
                "      --output-path=gs://nw-cai-exports/2026-11-24/org-access_policy.json\n"
                "then copied here with gcloud storage cp as resource.json, iam_policy.json and access_policy.json;\n"
                "and Sensitive Data Protection's discovery configurations of the organization and its folders:\n"
                "  curl -s -H \"Authorization: Bearer $(gcloud auth print-access-token)\" \\\n"
                "      https://dlp.googleapis.com/v2/organizations/%s/locations/global/discoveryConfigs"
                " > dlpdiscoveryconfigs.json\n"
                % (ORG, DOMAIN, ORG, ORG, ORG, ORG))
    # planted: one entry per rule that fails on a planted resource (the rules of the issue-6 pack as of
    # 2026-12-04); planted_facts: the facts each planted resource has bad, rule or not.
    rows = [{"rule_id": r, "resource_id": p["resource_id"], "provider": "gcp", "why": "; ".join(p["bad"])}
            for p in PLANTED for r in p["rules"]]
    exp = {"planted": rows, "clean": CLEAN, "incidental": [],
           "planted_facts": [{k: p[k] for k in ("resource_id", "class", "bad")} for p in PLANTED]}
    with open(os.path.join(org, "expected-gcp.json"), "w", encoding="utf-8") as f:
        f.write(json.dumps(exp, indent=2, ensure_ascii=False) + "\n")
    print("%d resource and %d IAM policy lines added to %s; %d + %d in the organization export; %d clean, %d planted"
          % (len(g.RES), len(g.IAM), PROJECT, len(ores), len(oiam), len(CLEAN), len(PLANTED)))


if __name__ == "__main__":
    main(*sys.argv[1:2])
