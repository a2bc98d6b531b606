"""GCP part of the Northwind Analytics sample organization.

One project, exported with Cloud Asset Inventory:
  gcloud asset export --project nw-analytics-prod --content-type=resource   --output-path=gs://.../resource.json
  gcloud asset export --project nw-analytics-prod --content-type=iam-policy --output-path=gs://.../iam_policy.json
Each output is newline-delimited JSON, one asset per line, with the export's
snake_case envelope (name, asset_type, ancestors, resource{version,
discovery_document_uri, discovery_name, parent, data, location} or iam_policy,
update_time) around the API's own camelCase resource representation.
"""

import datetime as dt
import os

from orglib import NOW, ago, clean, digits, hexid, incidental, iso, plant, write_ndjson, write_text

PROJECT = "nw-analytics-prod"
NUMBER = "418273645091"
FOLDER = "771245098310"
ORG = "583920174615"
PROJECT_NAME = "//cloudresourcemanager.googleapis.com/projects/" + NUMBER
ANCESTORS = ["projects/" + NUMBER, "folders/" + FOLDER, "organizations/" + ORG]
REGION = "us-central1"
ZONE = "us-central1-a"
COMPUTE = "https://www.googleapis.com/compute/v1/projects/%s" % PROJECT
DEFAULT_SA = "%s-compute@developer.gserviceaccount.com" % NUMBER
DOMAIN = "northwind-analytics.com"

RES = []
IAM = []


def upd(days=3):
    return iso(ago(days, hours=int(digits(1, days)) % 7), ms=False).replace("Z", ".%sZ" % digits(6, days))


def asset(name, asset_type, discovery_name, data, *, version="v1", doc=None, location=REGION, parent=PROJECT_NAME,
          days=3):
    RES.append({
        "name": name,
        "asset_type": asset_type,
        "resource": {
            "version": version,
            "discovery_document_uri": doc or "https://www.googleapis.com/discovery/v1/apis/compute/v1/rest",
            "discovery_name": discovery_name,
            "parent": parent,
            "data": data,
            "location": location,
        },
        "ancestors": ANCESTORS,
        "update_time": upd(days),
    })
    return name


def policy(name, asset_type, bindings, audit=None, days=5):
    pol = {"version": 1, "etag": "BwY" + hexid(8, "etag", name) + "=", "bindings": [
        {"role": r, "members": sorted(m)} for r, m in bindings]}
    if audit is not None:
        pol["auditConfigs"] = audit
    IAM.append({"name": name, "asset_type": asset_type, "iam_policy": pol, "ancestors": ANCESTORS,
                "update_time": upd(days)})


def rfc3339_pst(t):
    # Compute API timestamps are RFC 3339 with the -07:00/-08:00 offset of US Pacific.
    return (t - dt.timedelta(hours=8)).strftime("%Y-%m-%dT%H:%M:%S.") + "%03d-08:00" % (
        t.microsecond // 1000)


def binding_id(resource_name, role, member):
    # How an importer names one grant: the policy's resource, the role, the member.
    return "%s#iam/%s/%s" % (resource_name, role, member)


# ---------------------------------------------------------------- storage

def bucket(name, *, pap="enforced", uniform=True, versioning=True, log_to="nw-analytics-prod-access-logs",
           kms=None, labels=None, members=None, location="US-CENTRAL1"):
    created = ago(600)
    ubla = {"enabled": uniform}
    if uniform:
        ubla["lockedTime"] = iso(created + dt.timedelta(days=90))
    data = {
        "kind": "storage#bucket", "selfLink": "https://www.googleapis.com/storage/v1/b/" + name, "id": name,
        "name": name, "projectNumber": NUMBER, "generation": digits(16, "gen", name), "metageneration": "4",
        "location": location, "storageClass": "STANDARD", "etag": "CAQ=", "timeCreated": iso(created),
        "updated": iso(ago(30)), "locationType": "region",
        "iamConfiguration": {"bucketPolicyOnly": dict(ubla), "uniformBucketLevelAccess": dict(ubla),
                             "publicAccessPrevention": pap},
        "versioning": {"enabled": versioning},
        "softDeletePolicy": {"retentionDurationSeconds": "604800", "effectiveTime": iso(ago(400))},
        "rpo": "DEFAULT", "labels": labels or {"env": "prod", "team": "data"},
    }
    if log_to:
        data["logging"] = {"logBucket": log_to, "logObjectPrefix": name}
    if kms:
        data["encryption"] = {"defaultKmsKeyName": kms}
    if not uniform:
        data["acl"] = [{"kind": "storage#bucketAccessControl", "id": "%s/project-owners-%s" % (name, NUMBER),
                        "bucket": name, "entity": "project-owners-" + NUMBER, "role": "OWNER",
                        "projectTeam": {"projectNumber": NUMBER, "team": "owners"}, "etag": "CAQ="}]
        data["defaultObjectAcl"] = [{"kind": "storage#objectAccessControl", "entity": "project-owners-" + NUMBER,
                                     "role": "OWNER", "projectTeam": {"projectNumber": NUMBER, "team": "owners"},
                                     "etag": "CAQ="}]
    n = asset("//storage.googleapis.com/" + name, "storage.googleapis.com/Bucket", "Bucket", data,
              doc="https://www.googleapis.com/discovery/v1/apis/storage/v1/rest", location=location.lower())
    b = [("roles/storage.legacyBucketOwner", ["projectEditor:" + PROJECT, "projectOwner:" + PROJECT]),
         ("roles/storage.legacyBucketReader", ["projectViewer:" + PROJECT])]
    b += list((members or {}).items())
    policy(n, "storage.googleapis.com/Bucket", b)
    return n


# ---------------------------------------------------------------- network

def network(name, auto):
    nid = digits(19, "net", name)
    data = {"kind": "compute#network", "id": nid, "creationTimestamp": rfc3339_pst(ago(900)), "name": name,
            "description": "Default network for the project" if name == "default" else "Northwind analytics VPC",
            "selfLink": "%s/global/networks/%s" % (COMPUTE, name), "selfLinkWithId": "%s/global/networks/%s" % (
                COMPUTE, nid), "autoCreateSubnetworks": auto, "subnetworks": [],
            "routingConfig": {"routingMode": "REGIONAL" if auto else "GLOBAL", "bgpBestPathSelectionMode": "LEGACY"},
            "networkFirewallPolicyEnforcementOrder": "AFTER_CLASSIC_FIREWALL"}
    return asset("//compute.googleapis.com/projects/%s/global/networks/%s" % (PROJECT, name),
                 "compute.googleapis.com/Network", "Network", data, location="global"), data


def subnetwork(net_data, name, region, cidr, flow_logs):
    data = {"kind": "compute#subnetwork", "id": digits(19, "subnet", name, region),
            "creationTimestamp": rfc3339_pst(ago(900)), "name": name, "network": net_data["selfLink"],
            "ipCidrRange": cidr, "gatewayAddress": cidr.rsplit(".", 1)[0] + ".1",
            "region": "%s/regions/%s" % (COMPUTE, region),
            "selfLink": "%s/regions/%s/subnetworks/%s" % (COMPUTE, region, name),
            "privateIpGoogleAccess": flow_logs, "fingerprint": hexid(11, name) + "=", "purpose": "PRIVATE",
            "stackType": "IPV4_ONLY",
            "logConfig": ({"enable": True, "aggregationInterval": "INTERVAL_5_SEC", "flowSampling": 0.5,
                           "metadata": "INCLUDE_ALL_METADATA"} if flow_logs else {"enable": False})}
    net_data["subnetworks"].append(data["selfLink"])
    return asset("//compute.googleapis.com/projects/%s/regions/%s/subnetworks/%s" % (PROJECT, region, name),
                 "compute.googleapis.com/Subnetwork", "Subnetwork", data, location=region)


def firewall(net, name, sources, allowed, *, direction="INGRESS", priority=1000, disabled=False, tags=None,
             denied=None, desc=""):
    data = {"kind": "compute#firewall", "id": digits(19, "fw", name), "creationTimestamp": rfc3339_pst(ago(700)),
            "name": name, "description": desc, "network": "%s/global/networks/%s" % (COMPUTE, net),
            "priority": priority, "direction": direction, "disabled": disabled,
            "selfLink": "%s/global/firewalls/%s" % (COMPUTE, name),
            "logConfig": {"enable": net != "default", **({"metadata": "INCLUDE_ALL_METADATA"}
                                                       if net != "default" else {})}}
    if direction == "INGRESS":
        data["sourceRanges"] = sources
    else:
        data["destinationRanges"] = sources
    if allowed is not None:
        data["allowed"] = [{"IPProtocol": p, **({"ports": ports} if ports else {})} for p, ports in allowed]
    if denied is not None:
        data["denied"] = [{"IPProtocol": p, **({"ports": ports} if ports else {})} for p, ports in denied]
    if tags:
        data["targetTags"] = tags
    return asset("//compute.googleapis.com/projects/%s/global/firewalls/%s" % (PROJECT, name),
                 "compute.googleapis.com/Firewall", "Firewall", data, location="global")


# ---------------------------------------------------------------- compute

def instance(name, subnet, *, sa, scopes=("https://www.googleapis.com/auth/cloud-platform",), nat_ip=None,
             serial=False, forward=False, secure_boot=True, kms=None, net="nw-vpc", mtype="e2-standard-4",
             labels=None):
    iid = digits(19, "inst", name)
    disk = "%s/zones/%s/disks/%s" % (COMPUTE, ZONE, name)
    nic = {"kind": "compute#networkInterface", "network": "%s/global/networks/%s" % (COMPUTE, net),
           "subnetwork": "%s/regions/%s/subnetworks/%s" % (COMPUTE, REGION, subnet),
           "networkIP": "10.%d.0.%d" % (128 if net == "default" else 10, 2 + int(digits(2, name)) % 200),
           "name": "nic0", "fingerprint": hexid(11, "nic", name) + "=", "stackType": "IPV4_ONLY"}
    if nat_ip:
        nic["accessConfigs"] = [{"kind": "compute#accessConfig", "type": "ONE_TO_ONE_NAT", "name": "External NAT",
                                 "natIP": nat_ip, "networkTier": "PREMIUM"}]
    items = [{"key": "enable-oslogin", "value": "TRUE"}]
    if serial:
        items.append({"key": "serial-port-enable", "value": "true"})
    attached = {"kind": "compute#attachedDisk", "type": "PERSISTENT", "mode": "READ_WRITE", "source": disk,
                "deviceName": name, "index": 0, "boot": True, "autoDelete": True, "interface": "SCSI",
                "diskSizeGb": "100", "guestOsFeatures": [{"type": "UEFI_COMPATIBLE"}, {"type": "VIRTIO_SCSI_MULTIQUEUE"},
                                                         {"type": "GVNIC"}, {"type": "SEV_CAPABLE"}],
                "licenses": ["https://www.googleapis.com/compute/v1/projects/debian-cloud/global/licenses/debian-12-"
                             "bookworm"], "architecture": "X86_64"}
    if kms:
        attached["diskEncryptionKey"] = {"kmsKeyName": kms + "/cryptoKeyVersions/1"}
    data = {
        "kind": "compute#instance", "id": iid, "creationTimestamp": rfc3339_pst(ago(200)), "name": name,
        "tags": {"items": ["ssh-iap"] if net == "nw-vpc" else [], "fingerprint": hexid(11, "tags", name) + "="},
        "machineType": "%s/zones/%s/machineTypes/%s" % (COMPUTE, ZONE, mtype), "status": "RUNNING",
        "zone": "%s/zones/%s" % (COMPUTE, ZONE), "canIpForward": forward, "networkInterfaces": [nic],
        "disks": [attached],
        "metadata": {"kind": "compute#metadata", "fingerprint": hexid(11, "md", name) + "=", "items": items},
        "serviceAccounts": [{"email": sa, "scopes": list(scopes)}],
        "selfLink": "%s/zones/%s/instances/%s" % (COMPUTE, ZONE, name),
        "scheduling": {"onHostMaintenance": "MIGRATE", "automaticRestart": True, "preemptible": False,
                       "provisioningModel": "STANDARD"},
        "cpuPlatform": "AMD Rome", "labels": labels or {"env": "prod", "team": "data"},
        "labelFingerprint": hexid(11, "lbl", name) + "=", "startRestricted": False, "deletionProtection": False,
        "shieldedInstanceConfig": {"enableSecureBoot": secure_boot, "enableVtpm": True,
                                   "enableIntegrityMonitoring": True},
        "shieldedInstanceIntegrityPolicy": {"updateAutoLearnPolicy": True},
        "fingerprint": hexid(11, "fp", name) + "=", "lastStartTimestamp": rfc3339_pst(ago(20)),
        "satisfiesPzi": True,
    }
    n = asset("//compute.googleapis.com/projects/%s/zones/%s/instances/%s" % (PROJECT, ZONE, name),
              "compute.googleapis.com/Instance", "Instance", data, location=ZONE)
    ddata = {"kind": "compute#disk", "id": digits(19, "disk", name), "creationTimestamp": rfc3339_pst(ago(200)),
             "name": name, "sizeGb": "100", "zone": "%s/zones/%s" % (COMPUTE, ZONE), "status": "READY",
             "selfLink": disk, "sourceImage": "https://www.googleapis.com/compute/v1/projects/debian-cloud/global/"
                                              "images/debian-12-bookworm-v20241009",
             "sourceImageId": digits(19, "img"), "type": "%s/zones/%s/diskTypes/pd-balanced" % (COMPUTE, ZONE),
             "users": ["%s/zones/%s/instances/%s" % (COMPUTE, ZONE, name)], "physicalBlockSizeBytes": "4096",
             "labelFingerprint": "42WmSpB8rSM=", "lastAttachTimestamp": rfc3339_pst(ago(200))}
    if kms:
        ddata["diskEncryptionKey"] = {"kmsKeyName": kms + "/cryptoKeyVersions/1"}
    asset("//compute.googleapis.com/projects/%s/zones/%s/disks/%s" % (PROJECT, ZONE, name),
          "compute.googleapis.com/Disk", "Disk", ddata, location=ZONE)
    return n


# ---------------------------------------------------------------- SQL / KMS / IAM

def cloudsql(name, engine, *, public=False, any_ip=False, ssl=True, backups=True, kms=None):
    data = {
        "kind": "sql#instance", "state": "RUNNABLE", "databaseVersion": engine,
        "settings": {
            "authorizedGaeApplications": [], "tier": "db-custom-4-15360", "kind": "sql#settings",
            "availabilityType": "REGIONAL" if not public else "ZONAL", "pricingPlan": "PER_USE",
            "replicationType": "SYNCHRONOUS", "activationPolicy": "ALWAYS",
            "ipConfiguration": {
                "ipv4Enabled": public, "authorizedNetworks": ([{"value": "0.0.0.0/0", "name": "anywhere",
                                                                 "kind": "sql#aclEntry"}] if any_ip else []),
                "requireSsl": ssl, "sslMode": "ENCRYPTED_ONLY" if ssl else "ALLOW_UNENCRYPTED_AND_ENCRYPTED",
                **({} if public else {"privateNetwork": "projects/%s/global/networks/nw-vpc" % PROJECT,
                                      "enablePrivatePathForGoogleCloudServices": True})},
            "locationPreference": {"zone": ZONE, "kind": "sql#locationPreference"},
            "dataDiskType": "PD_SSD", "storageAutoResize": True, "storageAutoResizeLimit": "0",
            "backupConfiguration": {"startTime": "03:00", "kind": "sql#backupConfiguration",
                                    "backupRetentionSettings": {"retentionUnit": "COUNT", "retainedBackups": 14},
                                    "enabled": backups, "transactionLogRetentionDays": 7,
                                    "pointInTimeRecoveryEnabled": backups, **({"location": "us"} if backups
                                                                               else {})},
            "settingsVersion": "12", "dataDiskSizeGb": "250", "deletionProtectionEnabled": not public,
            "databaseFlags": ([{"name": "log_connections", "value": "on"}, {"name": "log_disconnections",
                                                                            "value": "on"}]
                              if engine.startswith("POSTGRES") else
                              [{"name": "local_infile", "value": "off"}]),
            "userLabels": {"env": "prod" if not public else "legacy"}, "edition": "ENTERPRISE",
            "connectorEnforcement": "NOT_REQUIRED"},
        "etag": hexid(64, "sql", name), "ipAddresses": [{"type": "PRIVATE" if not public else "PRIMARY",
                                                         "ipAddress": "10.10.32.5" if not public
                                                         else "34.72.118.44"}],
        "instanceType": "CLOUD_SQL_INSTANCE", "project": PROJECT, "backendType": "SECOND_GEN",
        "selfLink": "https://sqladmin.googleapis.com/sql/v1beta4/projects/%s/instances/%s" % (PROJECT, name),
        "connectionName": "%s:%s:%s" % (PROJECT, REGION, name), "name": name, "region": REGION,
        "gceZone": ZONE, "createTime": iso(ago(700)), "maintenanceVersion": engine + ".R20241008.01_00",
        "sqlNetworkArchitecture": "NEW_NETWORK_ARCHITECTURE",
    }
    if kms:
        data["diskEncryptionConfiguration"] = {"kmsKeyName": kms, "kind": "sql#diskEncryptionConfiguration"}
        data["diskEncryptionStatus"] = {"kmsKeyVersionName": kms + "/cryptoKeyVersions/1",
                                        "kind": "sql#diskEncryptionStatus"}
    return asset("//cloudsql.googleapis.com/projects/%s/instances/%s" % (PROJECT, name),
                 "sqladmin.googleapis.com/Instance", "DatabaseInstance", data, version="v1beta4",
                 doc="https://sqladmin.googleapis.com/$discovery/rest?version=v1beta4")


def crypto_key(ring, name, rotation_days, members=None):
    path = "projects/%s/locations/%s/keyRings/%s/cryptoKeys/%s" % (PROJECT, REGION, ring, name)
    data = {"name": path, "primary": {"name": path + "/cryptoKeyVersions/1", "state": "ENABLED",
                                      "createTime": iso(ago(400)), "protectionLevel": "SOFTWARE",
                                      "algorithm": "GOOGLE_SYMMETRIC_ENCRYPTION", "generateTime": iso(ago(400))},
            "purpose": "ENCRYPT_DECRYPT", "createTime": iso(ago(400)),
            "versionTemplate": {"protectionLevel": "SOFTWARE", "algorithm": "GOOGLE_SYMMETRIC_ENCRYPTION"},
            "destroyScheduledDuration": "2592000s"}
    if rotation_days:
        data["rotationPeriod"] = "%ds" % (rotation_days * 86400)
        data["nextRotationTime"] = iso(NOW + dt.timedelta(days=rotation_days // 3))
    n = asset("//cloudkms.googleapis.com/" + path, "cloudkms.googleapis.com/CryptoKey", "CryptoKey", data,
              version="v1", doc="https://cloudkms.googleapis.com/$discovery/rest?version=v1",
              parent="//cloudkms.googleapis.com/projects/%s/locations/%s/keyRings/%s" % (PROJECT, REGION, ring))
    b = [("roles/cloudkms.cryptoKeyEncrypterDecrypter",
          ["serviceAccount:service-%s@gs-project-accounts.iam.gserviceaccount.com" % NUMBER,
           "serviceAccount:service-%s@gcp-sa-cloud-sql.iam.gserviceaccount.com" % NUMBER,
           "serviceAccount:service-%s@compute-system.iam.gserviceaccount.com" % NUMBER])]
    b += list((members or {}).items())
    policy(n, "cloudkms.googleapis.com/CryptoKey", b)
    return n, path


def service_account(account_id, display, keys=()):
    email = "%s@%s.iam.gserviceaccount.com" % (account_id, PROJECT) if "@" not in account_id else account_id
    unique = digits(21, "sa", email)
    n = asset("//iam.googleapis.com/projects/%s/serviceAccounts/%s" % (PROJECT, unique),
              "iam.googleapis.com/ServiceAccount", "ServiceAccount", {
                  "name": "projects/%s/serviceAccounts/%s" % (PROJECT, email), "projectId": PROJECT,
                  "uniqueId": unique, "email": email, "displayName": display, "etag": "MDEwMjE5MjA=",
                  "oauth2ClientId": unique}, doc="https://iam.googleapis.com/$discovery/rest", location="global")
    for kid, ktype, age in keys:
        kid = hexid(40, "key", email, kid)
        start = ago(age)
        end = start + dt.timedelta(days=3650 if ktype == "USER_MANAGED" else 730)
        asset(n + "/keys/" + kid, "iam.googleapis.com/ServiceAccountKey", "ServiceAccountKey", {
            "name": "projects/%s/serviceAccounts/%s/keys/%s" % (PROJECT, email, kid),
            "validAfterTime": iso(start, ms=False), "validBeforeTime": iso(end, ms=False),
            "keyAlgorithm": "KEY_ALG_RSA_2048", "keyOrigin": "GOOGLE_PROVIDED", "keyType": ktype},
            doc="https://iam.googleapis.com/$discovery/rest", location="global", parent=n)
    policy(n, "iam.googleapis.com/ServiceAccount", [("roles/iam.serviceAccountUser",
                                                     ["group:data-engineers@" + DOMAIN])])
    return n, email


# ================================================================ the project

def build(out):
    root = os.path.join(out, "gcp", PROJECT)
    G = "gcp"

    asset(PROJECT_NAME, "cloudresourcemanager.googleapis.com/Project", "Project", {
        "projectNumber": NUMBER, "projectId": PROJECT, "lifecycleState": "ACTIVE", "name": "NW Analytics Prod",
        "labels": {"env": "prod", "cost-center": "cc-3011"}, "createTime": iso(ago(1400)),
        "parent": {"type": "folder", "id": FOLDER}}, version="v1",
        doc="https://cloudresourcemanager.googleapis.com/$discovery/rest?version=v1",
        parent="//cloudresourcemanager.googleapis.com/folders/" + FOLDER, location="global")

    # KMS
    ring = "nw-prod-ring"
    asset("//cloudkms.googleapis.com/projects/%s/locations/%s/keyRings/%s" % (PROJECT, REGION, ring),
          "cloudkms.googleapis.com/KeyRing", "KeyRing", {
              "name": "projects/%s/locations/%s/keyRings/%s" % (PROJECT, REGION, ring),
              "createTime": iso(ago(900))}, doc="https://cloudkms.googleapis.com/$discovery/rest?version=v1")
    k_lake, k_lake_path = crypto_key(ring, "datalake-cmek", 90)
    k_sql, k_sql_path = crypto_key(ring, "sql-cmek", 90)
    k_disk, k_disk_path = crypto_key(ring, "disk-cmek", 60)
    k_exp, _ = crypto_key(ring, "legacy-export-key", None)
    k_partner, _ = crypto_key(ring, "partner-share-key", 90, members={
        "roles/cloudkms.cryptoKeyEncrypterDecrypter": ["allAuthenticatedUsers"]})
    clean(G, "key", k_lake, "rotation every 90 days, no public IAM members")
    clean(G, "key", k_disk, "rotation every 60 days")
    plant(G, "key-rotation-disabled", k_exp, "no rotationPeriod (automatic rotation off)")
    plant(G, "gcp-kms-key-public", k_partner, "IAM grants allAuthenticatedUsers cryptoKeyEncrypterDecrypter")
    plant(G, "iam-public-binding", binding_id(k_partner, "roles/cloudkms.cryptoKeyEncrypterDecrypter",
                                              "allAuthenticatedUsers"),
          "allAuthenticatedUsers on the partner-share-key policy")

    # storage
    logs = "nw-analytics-prod-access-logs"
    b_lake = bucket("nw-analytics-prod-datalake", kms=k_lake_path)
    b_exp = bucket("nw-analytics-prod-exports", kms=k_lake_path)
    b_logs = bucket(logs, log_to="nw-analytics-prod-audit-archive")
    b_arch = bucket("nw-analytics-prod-audit-archive")
    b_tmp = bucket("nw-analytics-prod-dataflow-tmp")
    for b_, note in ((b_lake, "CMEK, uniform access, public access prevention enforced, versioning, logging"),
                     (b_exp, "CMEK, uniform access, PAP enforced, versioning, logging"),
                     (b_logs, "uniform access, PAP enforced, versioning, logs to the archive bucket"),
                     (b_arch, "uniform access, PAP enforced, versioning, logging")):
        clean(G, "object_storage", b_, note)
    b_pub = bucket("nw-public-reports", pap="inherited", members={
        "roles/storage.objectViewer": ["allUsers"]}, labels={"env": "prod", "team": "marketing"})
    plant(G, "storage-public-access", b_pub, "bucket IAM grants allUsers roles/storage.objectViewer")
    plant(G, "storage-public-access-not-blocked", b_pub, "publicAccessPrevention inherited")
    plant(G, "iam-public-binding", binding_id(b_pub, "roles/storage.objectViewer", "allUsers"),
          "allUsers on nw-public-reports")
    b_leg = bucket("nw-analytics-legacy-staging", uniform=False, versioning=False, log_to=None,
                   labels={"env": "legacy", "team": "data"})
    plant(G, "gcp-bucket-uniform-access-disabled", b_leg, "uniformBucketLevelAccess.enabled false (fine-grained ACLs)")
    plant(G, "storage-versioning-disabled", b_leg, "versioning.enabled false")
    plant(G, "storage-access-logging-disabled", b_leg, "no logging.logBucket")

    # network
    n_def, d_def = network("default", True)
    n_vpc, d_vpc = network("nw-vpc", False)
    plant(G, "gcp-default-network", n_def, "the auto-mode network named default still exists")
    incidental(G, "gcp-default-network", "subnetworks/default", "the subnetworks of the default network are part of it")
    clean(G, "network", n_vpc, "custom-mode VPC")
    for region, cidr in (("us-central1", "10.128.0.0/20"), ("us-east1", "10.142.0.0/20"),
                         ("europe-west1", "10.132.0.0/20")):
        sn = subnetwork(d_def, "default", region, cidr, False)
        plant(G, "gcp-subnet-flow-logs-disabled", sn, "logConfig.enable false")
    s_data = subnetwork(d_vpc, "nw-data-us-central1", REGION, "10.10.0.0/20", True)
    s_apps = subnetwork(d_vpc, "nw-apps-us-central1", REGION, "10.10.16.0/20", True)
    subnetwork(d_vpc, "nw-data-us-east1", "us-east1", "10.10.64.0/20", True)
    clean(G, "network", s_data, "flow logs on (5 s, 50 % sampling), private Google access")
    clean(G, "network", s_apps, "flow logs on")

    f = firewall("default", "default-allow-ssh", ["0.0.0.0/0"], [("tcp", ["22"])], priority=65534,
                 desc="Allow SSH from anywhere")
    plant(G, "firewall-ssh-open-to-internet", f, "tcp:22 from 0.0.0.0/0")
    f = firewall("default", "default-allow-rdp", ["0.0.0.0/0"], [("tcp", ["3389"])], priority=65534,
                 desc="Allow RDP from anywhere")
    plant(G, "firewall-rdp-open-to-internet", f, "tcp:3389 from 0.0.0.0/0")
    firewall("default", "default-allow-icmp", ["0.0.0.0/0"], [("icmp", None)], priority=65534,
             desc="Allow ICMP from anywhere")
    firewall("default", "default-allow-internal", ["10.128.0.0/9"], [("tcp", ["0-65535"]), ("udp", ["0-65535"]),
                                                                     ("icmp", None)], priority=65534,
             desc="Allow internal traffic on the default network")
    f = firewall("nw-vpc", "nw-allow-iap-ssh", ["35.235.240.0/20"], [("tcp", ["22", "3389"])], tags=["ssh-iap"],
                 desc="SSH/RDP through Identity-Aware Proxy only")
    clean(G, "firewall", f, "22/3389 only from the IAP range 35.235.240.0/20")
    f = firewall("nw-vpc", "nw-allow-internal", ["10.10.0.0/16"], [("tcp", None), ("udp", None), ("icmp", None)],
                 desc="east-west inside the VPC")
    clean(G, "firewall", f, "all ports but only from 10.10.0.0/16")
    f = firewall("nw-vpc", "nw-allow-lb-health", ["130.211.0.0/22", "35.191.0.0/16"], [("tcp", ["8080"])],
                 tags=["web"], desc="Google load balancer health checks")
    clean(G, "firewall", f, "8080 only from Google health-check ranges")
    f = firewall("nw-vpc", "nw-allow-ssh-debug", ["0.0.0.0/0"], [("tcp", ["22"])], disabled=True,
                 desc="kept for incident response, disabled")
    clean(G, "firewall", f, "allows 22 from 0.0.0.0/0 but disabled=true, so it is not effective")
    f = firewall("nw-vpc", "nw-deny-ssh-internet", ["0.0.0.0/0"], None, denied=[("tcp", ["22"])], priority=100,
                 desc="explicit deny")
    clean(G, "firewall", f, "a DENY rule from 0.0.0.0/0, not an allow")
    f = firewall("nw-vpc", "nw-allow-all-temp", ["0.0.0.0/0"], [("all", None)], priority=900,
                 desc="TEMP migration 2025-03, remove")
    for r in ("firewall-all-ports-open-to-internet", "firewall-ssh-open-to-internet", "firewall-rdp-open-to-internet",
              "firewall-database-ports-open-to-internet"):
        plant(G, r, f, "IPProtocol all from 0.0.0.0/0")
    f = firewall("nw-vpc", "nw-allow-postgres-vendor", ["0.0.0.0/0"], [("tcp", ["5432"])],
                 desc="vendor BI tool")
    plant(G, "firewall-database-ports-open-to-internet", f, "tcp:5432 from 0.0.0.0/0")
    firewall("nw-vpc", "nw-allow-egress-google-apis", ["199.36.153.8/30"], [("tcp", ["443"])], direction="EGRESS",
             desc="private.googleapis.com")

    # service accounts
    sa_etl, e_etl = service_account("sa-etl", "ETL workers", keys=[("sys1", "SYSTEM_MANAGED", 20),
                                                                  ("sys2", "SYSTEM_MANAGED", 300)])
    clean(G, "identity", sa_etl, "only Google-managed keys")
    sa_tf, e_tf = service_account("sa-terraform", "Terraform CI", keys=[("sys1", "SYSTEM_MANAGED", 50),
                                                                       ("ci1", "USER_MANAGED", 400)])
    plant(G, "gcp-service-account-user-managed-keys", sa_tf, "user-managed key, created 400 days ago")
    plant(G, "identity-stale-access-keys", sa_tf, "user-managed key created 400 days ago (> 90)")
    sa_lk, e_lk = service_account("sa-looker", "Looker BI", keys=[("lk1", "USER_MANAGED", 20)])
    plant(G, "gcp-service-account-user-managed-keys", sa_lk, "user-managed key created 20 days ago")
    sa_def, _ = service_account(DEFAULT_SA, "Compute Engine default service account",
                                keys=[("sys1", "SYSTEM_MANAGED", 90)])

    # compute
    i1 = instance("nw-etl-worker-1", "nw-data-us-central1", sa=e_etl, kms=k_disk_path)
    i2 = instance("nw-etl-worker-2", "nw-data-us-central1", sa=e_etl, kms=k_disk_path)
    clean(G, "compute", i1, "dedicated SA, no external IP, shielded VM secure boot, no serial port, CMEK disk")
    clean(G, "compute", i2, "same as nw-etl-worker-1")
    ij = instance("nw-jupyter-legacy", "default", sa=DEFAULT_SA, nat_ip="34.121.87.201", secure_boot=False,
                  net="default", labels={"env": "legacy", "team": "data-science"})
    plant(G, "gcp-default-service-account-full-access", ij, "default compute SA with cloud-platform scope")
    plant(G, "gcp-default-service-account-used", ij, "runs as %s" % DEFAULT_SA)
    plant(G, "compute-public-ip", ij, "accessConfigs natIP 34.121.87.201")
    plant(G, "gcp-shielded-vm-disabled", ij, "shieldedInstanceConfig.enableSecureBoot false")
    inat = instance("nw-nat-gw", "nw-apps-us-central1", sa=e_etl, nat_ip="34.66.20.17", forward=True,
                    mtype="e2-small", kms=k_disk_path)
    plant(G, "gcp-ip-forwarding-enabled", inat, "canIpForward true")
    plant(G, "compute-public-ip", inat, "accessConfigs natIP 34.66.20.17")
    idbg = instance("nw-debug-vm", "nw-apps-us-central1", sa=e_etl, serial=True, kms=k_disk_path)
    plant(G, "gcp-serial-port-enabled", idbg, "metadata serial-port-enable=true")

    # Cloud SQL
    q1 = cloudsql("nw-warehouse-pg", "POSTGRES_16", kms=k_sql_path)
    clean(G, "database", q1, "private IP only, ENCRYPTED_ONLY SSL, 14 backups + PITR, CMEK")
    q2 = cloudsql("nw-legacy-mysql", "MYSQL_8_0", public=True, any_ip=True, ssl=False, backups=False)
    plant(G, "database-public-endpoint", q2, "ipv4Enabled true")
    plant(G, "database-open-to-any-ip", q2, "authorizedNetworks 0.0.0.0/0")
    plant(G, "database-ssl-not-required", q2, "requireSsl false / sslMode ALLOW_UNENCRYPTED_AND_ENCRYPTED")
    plant(G, "database-backups-disabled", q2, "backupConfiguration.enabled false")
    plant(G, "database-deletion-protection-disabled", q2, "deletionProtectionEnabled false")

    # project IAM policy
    owners = ["user:priya.shah@" + DOMAIN, "serviceAccount:" + e_tf]
    editors = ["serviceAccount:" + DEFAULT_SA, "user:tom.becker@" + DOMAIN]
    policy(PROJECT_NAME, "cloudresourcemanager.googleapis.com/Project", [
        ("roles/owner", owners),
        ("roles/editor", editors),
        ("roles/bigquery.dataEditor", ["group:data-engineers@" + DOMAIN, "serviceAccount:" + e_etl]),
        ("roles/bigquery.dataViewer", ["group:analysts@" + DOMAIN]),
        ("roles/bigquery.jobUser", ["group:analysts@" + DOMAIN, "group:data-engineers@" + DOMAIN,
                                    "serviceAccount:" + e_etl, "serviceAccount:" + e_lk]),
        ("roles/storage.objectCreator", ["serviceAccount:" + e_etl]),
        ("roles/iam.securityReviewer", ["group:security@" + DOMAIN]),
        ("roles/logging.viewer", ["group:security@" + DOMAIN, "group:sre@" + DOMAIN]),
        ("roles/compute.osLogin", ["group:sre@" + DOMAIN]),
        ("roles/iap.tunnelResourceAccessor", ["group:sre@" + DOMAIN]),
        ("roles/cloudsql.client", ["serviceAccount:" + e_etl, "serviceAccount:" + e_lk]),
        ("roles/compute.serviceAgent", ["serviceAccount:service-%s@compute-system.iam.gserviceaccount.com"
                                        % NUMBER]),
    ], audit=[{"service": "allServices", "auditLogConfigs": [{"logType": "ADMIN_READ"}]}])
    plant(G, "iam-primitive-role-broad", binding_id(PROJECT_NAME, "roles/owner", "user:priya.shah@" + DOMAIN),
          "roles/owner granted to a user at project level")
    plant(G, "iam-primitive-role-broad", binding_id(PROJECT_NAME, "roles/editor", "user:tom.becker@" + DOMAIN),
          "roles/editor granted to a user at project level")
    plant(G, "gcp-service-account-admin", binding_id(PROJECT_NAME, "roles/owner", "serviceAccount:" + e_tf),
          "sa-terraform holds roles/owner on the project")
    plant(G, "gcp-service-account-admin", binding_id(PROJECT_NAME, "roles/editor", "serviceAccount:" + DEFAULT_SA),
          "default compute SA still holds the automatic roles/editor grant")
    clean(G, "iam_binding", binding_id(PROJECT_NAME, "roles/bigquery.dataEditor", "group:data-engineers@" + DOMAIN),
          "predefined non-admin role to a group")
    clean(G, "iam_binding", binding_id(PROJECT_NAME, "roles/iam.securityReviewer", "group:security@" + DOMAIN),
          "predefined read-only role to a group")
    plant(G, "gcp-audit-config-incomplete", PROJECT_NAME + "#auditConfigs",
          "auditConfigs for allServices enable ADMIN_READ only (no DATA_READ/DATA_WRITE)")

    write_ndjson(os.path.join(root, "resource.json"), RES)
    write_ndjson(os.path.join(root, "iam_policy.json"), IAM)
    write_text(os.path.join(root, "README.txt"),
               "Cloud Asset Inventory exports of project nw-analytics-prod (%s), taken 2026-11-24:\n"
               "  gcloud asset export --project=%s --content-type=resource \\\n"
               "      --output-path=gs://nw-cai-exports/2026-11-24/resource.json\n"
               "  gcloud asset export --project=%s --content-type=iam-policy \\\n"
               "      --output-path=gs://nw-cai-exports/2026-11-24/iam_policy.json\n"
               "  gcloud asset export --project=%s --content-type=os-inventory \\\n"
               "      --output-path=gs://nw-cai-exports/2026-11-24/os_inventory.json\n"
               "then copied here with gcloud storage cp; and the Access Approval settings and Sensitive Data\n"
               "Protection's discovery configurations, which the exports lack:\n"
               "  gcloud access-approval settings get --project=%s --format=json > accessapproval.json\n"
               "  curl -s -H \"Authorization: Bearer $(gcloud auth print-access-token)\" \\\n"
               "      https://dlp.googleapis.com/v2/projects/%s/locations/global/discoveryConfigs > dlpdiscoveryconfigs.json\n"
               % (NUMBER, PROJECT, PROJECT, PROJECT, PROJECT, PROJECT))
    return len(RES) + len(IAM)
