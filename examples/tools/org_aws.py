"""AWS part of the Northwind Analytics sample organization.

Writes, per account, what a user collects from AWS:
  AWSLogs/<acct>/Config/<region>/YYYY/MM/DD/ConfigSnapshot/*.json[.gz]
      AWS Config configuration snapshots exactly as the delivery channel
      writes them ({"fileVersion","configSnapshotId","configurationItems"}).
  cli/batch-get-resource-config.us-west-2.json (dev only)
      `aws configservice batch-get-resource-config` output (baseConfigurationItems,
      configuration as a JSON string, API field names).
  cli/credential-report.csv      decoded `aws iam get-credential-report` Content
  cli/password-policy.json       `aws iam get-account-password-policy`
  cli/ebs-encryption-by-default.<region>.json  `aws ec2 get-ebs-encryption-by-default`
  cli/kms-key-rotation-status/<key-id>.json    `aws kms get-key-rotation-status`
plus files an importer must skip (ConfigWritabilityCheckFile, a CloudTrail
digest, a README.txt).
"""

import datetime as dt
import ipaddress
import json
import os
import urllib.parse

from orglib import (NOW, ago, clean, incidental, digits, epoch_ms, hexid, iso, iso_offset, plant, uid, upper_id,
                    write_json, write_text)

PROD = "111122223333"
DEV = "444455556666"
CAPTURE = NOW.replace(hour=5, minute=58, second=12)


def canonical_owner(acct):
    return hexid(64, "canonical", acct)


class Snapshot:
    """Collects configuration items of one account/region."""

    def __init__(self, acct, region):
        self.acct = acct
        self.region = region
        self.items = []
        self.n = 0

    def ci(self, rtype, rid, name, arn, configuration, supp=None, tags=None, rels=None, az=None,
           created=None, region=None):
        self.n += 1
        cap = CAPTURE.replace(microsecond=(self.n * 7919 % 1000) * 1000)
        region = region or self.region
        item = {
            "relatedEvents": [],
            "relationships": [
                {"resourceId": r[1], "resourceName": r[2] if len(r) > 2 else None, "resourceType": r[0],
                 "name": r[3] if len(r) > 3 else _relname(r[0])}
                for r in (rels or [])
            ],
            "configuration": configuration,
            "supplementaryConfiguration": supp or {},
            "tags": tags or {},
            "configurationItemVersion": "1.3",
            "configurationItemCaptureTime": iso(cap),
            "configurationStateId": epoch_ms(cap),
            "awsAccountId": self.acct,
            "configurationItemStatus": "ResourceDiscovered" if created and created > ago(1) else "OK",
            "resourceType": rtype,
            "resourceId": rid,
            "resourceName": name,
            "ARN": arn,
            "awsRegion": region,
            "availabilityZone": az or ("Not Applicable" if region == "global" else "Regional"),
            "configurationStateMd5Hash": "",
        }
        if created is not None:
            item["resourceCreationTime"] = iso(created)
        self.items.append(item)
        return item

    def write(self, root, compress=False):
        ts = CAPTURE.strftime("%Y%m%dT%H%M%SZ")
        sid = uid("snapshot", self.acct, self.region)
        d = os.path.join(root, "AWSLogs", self.acct, "Config", self.region, CAPTURE.strftime("%Y/%-m/%-d"),
                         "ConfigSnapshot")
        fn = "%s_Config_%s_ConfigSnapshot_%s_%s.json" % (self.acct, self.region, ts, sid)
        doc = {"fileVersion": "1.0", "configSnapshotId": sid, "configurationItems": self.items}
        if compress:
            write_json(os.path.join(d, fn + ".gz"), doc, indent=None, compress=True)
        else:
            write_json(os.path.join(d, fn), doc, indent=2)
        return len(self.items)


def _relname(rtype):
    short = rtype.split("::")[-1]
    return {
        "VPC": "Is contained in Vpc",
        "Subnet": "Is contained in Subnet",
        "SecurityGroup": "Is associated with SecurityGroup",
        "Volume": "Is attached to Volume",
        "NetworkInterface": "Contains NetworkInterface",
        "Instance": "Is attached to Instance",
        "Group": "Is attached to Group",
        "User": "Contains User",
        "Role": "Is attached to Role",
        "Policy": "Is attached to CustomerManagedPolicy",
        "Key": "Is associated with Key",
    }.get(short, "Is associated with " + short)


def urlenc(doc):
    # IAM returns policy documents URL-encoded (RFC 3986); AWS Config keeps that.
    return urllib.parse.quote(json.dumps(doc, separators=(",", ":")), safe="")


def tagset(d):
    return [{"key": k, "value": v} for k, v in d.items()]


# ---------------------------------------------------------------- S3

def secure_transport_stmt(bucket):
    return {
        "Sid": "DenyInsecureTransport",
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:*",
        "Resource": ["arn:aws:s3:::%s" % bucket, "arn:aws:s3:::%s/*" % bucket],
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    }


def s3_bucket(snap, name, created, tags, *, pab=(True, True, True, True), sse="kms", kms_key=None,
              versioning="Enabled", log_to=None, policy_stmts=None, secure_transport=True,
              acl_public=False, mfa_delete=False):
    acct = snap.acct
    owner = canonical_owner(acct)
    grants = [{"grantee": {"id": owner, "displayName": None}, "permission": "FullControl"}]
    if acl_public:
        grants.append({"grantee": "AllUsers", "permission": "Read"})
    supp = {
        "AccessControlList": json.dumps({"grantSet": None, "grantList": grants,
                                         "owner": {"displayName": None, "id": owner},
                                         "isRequesterCharged": False}, separators=(",", ":")),
        "BucketAccelerateConfiguration": {"status": None},
        "BucketLoggingConfiguration": {"destinationBucketName": log_to,
                                       "logFilePrefix": (name + "/") if log_to else None},
        "BucketNotificationConfiguration": {"configurations": {}},
        "BucketVersioningConfiguration": {"status": versioning, "isMfaDeleteEnabled": True if mfa_delete else None},
        "IsRequesterPaysEnabled": False,
    }
    if pab is not None:
        supp["PublicAccessBlockConfiguration"] = {
            "blockPublicAcls": pab[0], "ignorePublicAcls": pab[1],
            "blockPublicPolicy": pab[2], "restrictPublicBuckets": pab[3]}
    if sse == "kms":
        supp["ServerSideEncryptionConfiguration"] = {"rules": [{
            "applyServerSideEncryptionByDefault": {"sseAlgorithm": "aws:kms", "kmsMasterKeyID": kms_key},
            "bucketKeyEnabled": True}]}
    elif sse == "s3":
        supp["ServerSideEncryptionConfiguration"] = {"rules": [{
            "applyServerSideEncryptionByDefault": {"sseAlgorithm": "AES256", "kmsMasterKeyID": None},
            "bucketKeyEnabled": False}]}
    stmts = list(policy_stmts or [])
    if secure_transport:
        stmts.append(secure_transport_stmt(name))
    if stmts:
        supp["BucketPolicy"] = {"policyText": json.dumps({"Version": "2012-10-17", "Statement": stmts},
                                                         separators=(",", ":"))}
    else:
        supp["BucketPolicy"] = {"policyText": None}
    cfg = {"name": name, "owner": {"displayName": None, "id": owner}, "creationDate": iso(created)}
    rels = []
    if kms_key and sse == "kms":
        rels.append(("AWS::KMS::Key", kms_key.split("/")[-1], None, "Is associated with Key"))
    return snap.ci("AWS::S3::Bucket", name, name, "arn:aws:s3:::" + name, cfg, supp, tags, rels,
                   az="Regional", created=created)


# ---------------------------------------------------------------- EC2

def perm(proto, frm=None, to=None, v4=(), v6=(), groups=(), desc=None):
    p = {"ipProtocol": proto, "ipv6Ranges": [{"cidrIpv6": c, **({"description": desc} if desc else {})} for c in v6],
         "prefixListIds": [], "userIdGroupPairs": [{"groupId": g, "userId": None} for g in groups],
         "ipv4Ranges": [{"cidrIp": c, **({"description": desc} if desc else {})} for c in v4],
         "ipRanges": list(v4)}
    if proto != "-1":
        p["fromPort"] = frm
        p["toPort"] = to
    return p


ALL_OUT = perm("-1", v4=["0.0.0.0/0"])


def sg_id(acct, name):
    return "sg-0" + hexid(16, "sg", acct, name)


def security_group(snap, name, vpc, desc, ingress, egress=None, tags=None, attached=()):
    gid = sg_id(snap.acct, name if name != "default" else "default-" + vpc)
    egress = [ALL_OUT] if egress is None else egress
    cfg = {"description": desc, "groupName": name, "ipPermissions": ingress, "ownerId": snap.acct, "groupId": gid,
           "ipPermissionsEgress": egress, "tags": tagset(tags or {}), "vpcId": vpc}
    rels = [("AWS::EC2::VPC", vpc)] + [("AWS::EC2::NetworkInterface", e, None, "Is associated with NetworkInterface")
                                        for e in attached]
    arn = "arn:aws:ec2:%s:%s:security-group/%s" % (snap.region, snap.acct, gid)
    snap.ci("AWS::EC2::SecurityGroup", gid, name, arn, cfg, {}, tags, rels, created=ago(400))
    return gid, arn


def vpc(snap, name, cidr, default=False, tags=None):
    vid = "vpc-0" + hexid(16, "vpc", snap.acct, snap.region, name)
    t = dict(tags or {})
    if name:
        t["Name"] = name
    cfg = {"cidrBlock": cidr, "dhcpOptionsId": "dopt-0" + hexid(16, "dopt", snap.acct, snap.region),
           "state": "available", "vpcId": vid, "ownerId": snap.acct, "instanceTenancy": "default",
           "ipv6CidrBlockAssociationSet": [],
           "cidrBlockAssociationSet": [{"associationId": "vpc-cidr-assoc-0" + hexid(16, vid), "cidrBlock": cidr,
                                        "cidrBlockState": {"state": "associated", "statusMessage": None}}],
           "isDefault": default, "tags": tagset(t)}
    arn = "arn:aws:ec2:%s:%s:vpc/%s" % (snap.region, snap.acct, vid)
    snap.ci("AWS::EC2::VPC", vid, name or None, arn, cfg, {}, t, [], created=ago(900))
    return vid, arn


# SUBNET_CIDR maps each subnet made by subnet() to its CIDR, so that an
# instance's private address lies inside its subnet.
SUBNET_CIDR = {}


def subnet(snap, vid, name, cidr, az, public=False):
    sid = "subnet-0" + hexid(16, "subnet", snap.acct, vid, name)
    SUBNET_CIDR[sid] = cidr
    arn = "arn:aws:ec2:%s:%s:subnet/%s" % (snap.region, snap.acct, sid)
    cfg = {"availabilityZone": az, "availabilityZoneId": None, "availableIpAddressCount": 4091, "cidrBlock": cidr,
           "defaultForAz": False, "mapPublicIpOnLaunch": public, "state": "available", "subnetId": sid,
           "vpcId": vid, "ownerId": snap.acct, "assignIpv6AddressOnCreation": False,
           "ipv6CidrBlockAssociationSet": [], "tags": tagset({"Name": name}), "subnetArn": arn}
    snap.ci("AWS::EC2::Subnet", sid, name, arn, cfg, {}, {"Name": name}, [("AWS::EC2::VPC", vid)], az=az,
            created=ago(900))
    return sid


def flow_log(snap, vid, dest_bucket):
    fid = "fl-0" + hexid(16, "fl", vid)
    cfg = {"Id": fid, "ResourceId": vid, "ResourceType": "VPC", "TrafficType": "ALL",
           "LogDestinationType": "s3", "LogDestination": "arn:aws:s3:::" + dest_bucket,
           "MaxAggregationInterval": 600,
           "LogFormat": "${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} "
                        "${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status}",
           "Tags": []}
    arn = "arn:aws:ec2:%s:%s:vpc-flow-log/%s" % (snap.region, snap.acct, fid)
    snap.ci("AWS::EC2::FlowLog", fid, None, arn, cfg, {}, {}, [("AWS::EC2::VPC", vid)], created=ago(700))


def volume(snap, name, az, encrypted, kms=None, size=50, instance=None):
    vol = "vol-0" + hexid(16, "vol", snap.acct, name)
    cfg = {"attachments": [], "availabilityZone": az, "createTime": iso(ago(300)), "encrypted": encrypted,
           "kmsKeyId": kms if encrypted else None, "outpostArn": None, "size": size, "snapshotId": "",
           "state": "in-use", "volumeId": vol, "iops": 3000, "tags": tagset({"Name": name}),
           "volumeType": "gp3", "fastRestored": None, "multiAttachEnabled": False, "throughput": 125}
    if instance:
        cfg["attachments"] = [{"attachTime": iso(ago(300)), "device": "/dev/xvda", "instanceId": instance,
                               "state": "attached", "volumeId": vol, "deleteOnTermination": True}]
    arn = "arn:aws:ec2:%s:%s:volume/%s" % (snap.region, snap.acct, vol)
    rels = [("AWS::EC2::Instance", instance)] if instance else []
    snap.ci("AWS::EC2::Volume", vol, name, arn, cfg, {}, {"Name": name}, rels, az=az, created=ago(300))
    return vol


def instance(snap, name, vid, sid, az, sgs, *, public_ip=None, profile=None, imds="required",
             encrypted=True, kms=None, itype="m6i.large", tags=None, state="running"):
    iid = "i-0" + hexid(16, "i", snap.acct, name)
    vol = volume(snap, name + "-root", az, encrypted, kms, instance=iid)
    eni = "eni-0" + hexid(16, "eni", iid)
    net = ipaddress.ip_network(SUBNET_CIDR[sid])
    # AWS reserves the first four addresses and the last one of a subnet.
    priv = str(net[4 + int(digits(4, name, "host")) % (net.num_addresses - 5)])
    t = {"Name": name}
    t.update(tags or {})
    cfg = {
        "amiLaunchIndex": 0, "imageId": "ami-0" + hexid(16, "ami", snap.region, itype),
        "instanceId": iid, "instanceType": itype, "kernelId": None, "keyName": None,
        "launchTime": iso(ago(120)), "monitoring": {"state": "enabled"},
        "placement": {"availabilityZone": az, "affinity": None, "groupName": "", "partitionNumber": None,
                      "hostId": None, "tenancy": "default", "spreadDomain": None, "hostResourceGroupArn": None},
        "platform": None, "privateDnsName": "ip-%s.ec2.internal" % priv.replace(".", "-"),
        "privateIpAddress": priv, "productCodes": [], "publicDnsName": "", "publicIpAddress": public_ip,
        "ramdiskId": None, "state": {"code": 16 if state == "running" else 80, "name": state},
        "stateTransitionReason": "", "subnetId": sid, "vpcId": vid, "architecture": "x86_64",
        "blockDeviceMappings": [{"deviceName": "/dev/xvda",
                                 "ebs": {"attachTime": iso(ago(300)), "deleteOnTermination": True,
                                         "status": "attached", "volumeId": vol}}],
        "clientToken": "", "ebsOptimized": True, "enaSupport": True, "hypervisor": "xen",
        "iamInstanceProfile": ({"arn": profile, "id": upper_id("AIPA", 17, profile)} if profile else None),
        "instanceLifecycle": None, "elasticGpuAssociations": [], "elasticInferenceAcceleratorAssociations": [],
        "networkInterfaces": [{"association": ({"carrierIp": None, "ipOwnerId": "amazon", "publicDnsName": "",
                                                "publicIp": public_ip} if public_ip else None),
                               "attachment": {"attachTime": iso(ago(300)), "attachmentId": "eni-attach-0" +
                                              hexid(16, eni), "deleteOnTermination": True, "deviceIndex": 0,
                                              "status": "attached", "networkCardIndex": 0},
                               "description": "", "groups": [{"groupName": g[0], "groupId": g[1]} for g in sgs],
                               "ipv6Addresses": [], "macAddress": "0a:%s" % ":".join(hexid(10, eni)[i:i + 2]
                                                                                      for i in range(0, 10, 2)),
                               "networkInterfaceId": eni, "ownerId": snap.acct, "privateIpAddress": priv,
                               "sourceDestCheck": True, "status": "in-use", "subnetId": sid, "vpcId": vid,
                               "interfaceType": "interface"}],
        "outpostArn": None, "rootDeviceName": "/dev/xvda", "rootDeviceType": "ebs",
        "securityGroups": [{"groupName": g[0], "groupId": g[1]} for g in sgs],
        "sourceDestCheck": True, "spotInstanceRequestId": None, "sriovNetSupport": None,
        "tags": tagset(t), "virtualizationType": "hvm",
        "cpuOptions": {"coreCount": 1, "threadsPerCore": 2},
        "capacityReservationId": None, "capacityReservationSpecification": {
            "capacityReservationPreference": "open", "capacityReservationTarget": None},
        "hibernationOptions": {"configured": False}, "licenses": [],
        "metadataOptions": {"state": "applied", "httpTokens": imds, "httpPutResponseHopLimit": 2,
                            "httpEndpoint": "enabled", "httpProtocolIpv6": "disabled",
                            "instanceMetadataTags": "disabled"},
        "enclaveOptions": {"enabled": False}, "bootMode": None, "platformDetails": "Linux/UNIX",
        "usageOperation": "RunInstances", "privateDnsNameOptions": {
            "hostnameType": "ip-name", "enableResourceNameDnsARecord": False,
            "enableResourceNameDnsAAAARecord": False},
        "maintenanceOptions": {"autoRecovery": "default"}, "currentInstanceBootMode": "legacy-bios",
    }
    rels = [("AWS::EC2::NetworkInterface", eni, None, "Contains NetworkInterface")]
    rels += [("AWS::EC2::SecurityGroup", g[1]) for g in sgs]
    rels += [("AWS::EC2::Subnet", sid), ("AWS::EC2::Volume", vol), ("AWS::EC2::VPC", vid)]
    arn = "arn:aws:ec2:%s:%s:instance/%s" % (snap.region, snap.acct, iid)
    snap.ci("AWS::EC2::Instance", iid, name, arn, cfg, {}, t, rels, az=az, created=ago(120))
    return iid, arn


# ---------------------------------------------------------------- RDS / KMS / trail / GuardDuty

def rds(snap, ident, engine, version, az, *, public=False, encrypted=True, kms=None, retention=14,
        multi_az=True, deletion=True, sgs=(), tags=None, minor_upgrade=True):
    dbi = "db-" + upper_id("", 26, "rds", snap.acct, ident)
    port = {"postgres": 5432, "mysql": 3306}[engine]
    arn = "arn:aws:rds:%s:%s:db:%s" % (snap.region, snap.acct, ident)
    cfg = {
        "dBInstanceIdentifier": ident, "dBInstanceClass": "db.r6g.large", "engine": engine,
        "dBInstanceStatus": "available", "masterUsername": "nwadmin",
        "endpoint": {"address": "%s.c%s.%s.rds.amazonaws.com" % (ident, hexid(12, snap.acct), snap.region),
                     "port": port, "hostedZoneId": "Z2R2ITUGPM61AM"},
        "allocatedStorage": 200, "instanceCreateTime": iso(ago(500)), "preferredBackupWindow": "03:00-03:30",
        "backupRetentionPeriod": retention, "dBSecurityGroups": [],
        "vpcSecurityGroups": [{"vpcSecurityGroupId": g, "status": "active"} for g in sgs],
        "dBParameterGroups": [{"dBParameterGroupName": "default.%s%s" % (engine, version.split(".")[0]),
                               "parameterApplyStatus": "in-sync"}],
        "availabilityZone": az, "dBSubnetGroup": {"dBSubnetGroupName": "nw-db-subnets",
                                                  "dBSubnetGroupDescription": "database subnets",
                                                  "subnetGroupStatus": "Complete"},
        "preferredMaintenanceWindow": "sun:05:00-sun:05:30", "pendingModifiedValues": {},
        "latestRestorableTime": iso(ago(0, minutes=5)) if retention else None,
        "multiAZ": multi_az, "engineVersion": version, "autoMinorVersionUpgrade": minor_upgrade,
        "readReplicaDBInstanceIdentifiers": [], "licenseModel": "postgresql-license" if engine == "postgres"
        else "general-public-license", "optionGroupMemberships": [
            {"optionGroupName": "default:%s-%s" % (engine, version.split(".")[0]), "status": "in-sync"}],
        "publiclyAccessible": public, "storageType": "gp3", "dbInstancePort": 0,
        "storageEncrypted": encrypted, "kmsKeyId": kms if encrypted else None, "dbiResourceId": dbi,
        "cACertificateIdentifier": "rds-ca-rsa2048-g1", "copyTagsToSnapshot": True, "monitoringInterval": 60,
        "dBInstanceArn": arn, "iAMDatabaseAuthenticationEnabled": True, "performanceInsightsEnabled": True,
        "deletionProtection": deletion, "associatedRoles": [], "tagList": tagset(tags or {}),
        "customerOwnedIpEnabled": False, "storageThroughput": 125, "networkType": "IPV4",
    }
    rels = [("AWS::EC2::SecurityGroup", g) for g in sgs]
    snap.ci("AWS::RDS::DBInstance", dbi, ident, arn, cfg, {}, tags, rels, az=az, created=ago(500))
    return arn


def kms_key(snap, alias, desc, *, manager="CUSTOMER", spec="SYMMETRIC_DEFAULT", usage="ENCRYPT_DECRYPT",
            created_days=600):
    kid = uid("kms", snap.acct, snap.region, alias)
    arn = "arn:aws:kms:%s:%s:key/%s" % (snap.region, snap.acct, kid)
    algs = ["SYMMETRIC_DEFAULT"] if spec == "SYMMETRIC_DEFAULT" else ["RSASSA_PSS_SHA_256", "RSASSA_PKCS1_V1_5_SHA_256"]
    cfg = {"aWSAccountId": snap.acct, "keyId": kid, "arn": arn, "creationDate": iso(ago(created_days)),
           "enabled": True, "description": desc, "keyUsage": usage, "keyState": "Enabled", "origin": "AWS_KMS",
           "keyManager": manager, "customerMasterKeySpec": spec, "keySpec": spec, "encryptionAlgorithms":
               algs if usage == "ENCRYPT_DECRYPT" else None,
           "signingAlgorithms": algs if usage == "SIGN_VERIFY" else None, "multiRegion": False}
    snap.ci("AWS::KMS::Key", kid, None, arn, cfg, {}, {} if manager == "AWS" else {"alias": alias},
            created=ago(created_days))
    return kid, arn


def trail(snap, name, bucket, *, multi=True, validation=True, kms=None, loggroup=True):
    arn = "arn:aws:cloudtrail:%s:%s:trail/%s" % (snap.region, snap.acct, name)
    cfg = {"name": name, "s3BucketName": bucket, "s3KeyPrefix": None, "snsTopicName": None, "snsTopicARN": None,
           "includeGlobalServiceEvents": True, "isMultiRegionTrail": multi, "homeRegion": snap.region,
           "trailARN": arn, "logFileValidationEnabled": validation,
           "cloudWatchLogsLogGroupArn": ("arn:aws:logs:%s:%s:log-group:aws-cloudtrail-logs-%s:*"
                                         % (snap.region, snap.acct, name)) if loggroup else None,
           "cloudWatchLogsRoleArn": ("arn:aws:iam::%s:role/service-role/CloudTrailToCloudWatch" % snap.acct)
           if loggroup else None,
           "kmsKeyId": kms, "hasCustomEventSelectors": False, "hasInsightSelectors": False,
           "isOrganizationTrail": False}
    rels = [("AWS::S3::Bucket", bucket, bucket, "Is associated with Bucket")]
    snap.ci("AWS::CloudTrail::Trail", name, name, arn, cfg, {}, {}, rels, created=ago(800))
    return arn


def guardduty(snap, enabled):
    did = hexid(32, "gd", snap.acct, snap.region)
    arn = "arn:aws:guardduty:%s:%s:detector/%s" % (snap.region, snap.acct, did)
    cfg = {"Id": did, "Enable": enabled, "FindingPublishingFrequency": "FIFTEEN_MINUTES",
           "DataSources": {"S3Logs": {"Enable": enabled}, "Kubernetes": {"AuditLogs": {"Enable": False}},
                           "MalwareProtection": {"ScanEc2InstanceWithFindings": {"EbsVolumes": enabled}}},
           "Features": [{"Name": "S3_DATA_EVENTS", "Status": "ENABLED" if enabled else "DISABLED"},
                        {"Name": "EBS_MALWARE_PROTECTION", "Status": "ENABLED" if enabled else "DISABLED"},
                        {"Name": "RDS_LOGIN_EVENTS", "Status": "ENABLED" if enabled else "DISABLED"}],
           "Tags": []}
    snap.ci("AWS::GuardDuty::Detector", did, did, arn, cfg, {}, {}, [], created=ago(700))
    return arn


# ---------------------------------------------------------------- IAM

ADMIN_ARN = "arn:aws:iam::aws:policy/AdministratorAccess"
READONLY_ARN = "arn:aws:iam::aws:policy/ReadOnlyAccess"


class IAM:
    """IAM resources of one account (recorded in us-east-1 as global) plus its credential report rows."""

    def __init__(self, snap):
        self.snap = snap
        self.acct = snap.acct
        self.report = []
        self.users = {}

    def policy(self, name, doc, desc, attached=1):
        pid = upper_id("ANPA", 17, self.acct, "policy", name)
        arn = "arn:aws:iam::%s:policy/%s" % (self.acct, name)
        cfg = {"policyName": name, "policyId": pid, "arn": arn, "path": "/", "defaultVersionId": "v3",
               "attachmentCount": attached, "permissionsBoundaryUsageCount": 0, "isAttachable": True,
               "description": desc, "createDate": iso(ago(700)), "updateDate": iso(ago(90)),
               "policyVersionList": [{"document": urlenc(doc), "versionId": "v3", "isDefaultVersion": True,
                                      "createDate": iso(ago(90))}]}
        self.snap.ci("AWS::IAM::Policy", pid, name, arn, cfg, {}, {}, [], region="global", created=ago(700))
        return arn

    def group(self, name, managed):
        gid = upper_id("AGPA", 17, self.acct, "group", name)
        arn = "arn:aws:iam::%s:group/%s" % (self.acct, name)
        cfg = {"path": "/", "groupName": name, "groupId": gid, "arn": arn, "createDate": iso(ago(800)),
               "groupPolicyList": [], "attachedManagedPolicies": [{"policyName": a.split("/")[-1], "policyArn": a}
                                                                  for a in managed]}
        rels = [("AWS::IAM::Policy", upper_id("ANPA", 17, self.acct, "policy", a.split("/")[-1]), a.split("/")[-1])
                for a in managed if ":aws:policy/" not in a]
        self.snap.ci("AWS::IAM::Group", gid, name, arn, cfg, {}, {}, rels, region="global", created=ago(800))
        return arn

    def role(self, name, trust, managed=(), inline=None, profile=False, last_used_days=1, path="/"):
        rid = upper_id("AROA", 17, self.acct, "role", name)
        arn = "arn:aws:iam::%s:role%s%s" % (self.acct, path, name)
        ip = []
        if profile:
            ip = [{"path": "/", "instanceProfileName": name, "instanceProfileId": upper_id("AIPA", 17, arn),
                   "arn": "arn:aws:iam::%s:instance-profile/%s" % (self.acct, name), "createDate": iso(ago(500)),
                   "roles": [{"path": path, "roleName": name, "roleId": rid, "arn": arn,
                              "createDate": iso(ago(500)), "assumeRolePolicyDocument": urlenc(trust),
                              "description": None, "maxSessionDuration": None, "permissionsBoundary": None,
                              "tags": [], "roleLastUsed": None}]}]
        cfg = {"path": path, "roleName": name, "roleId": rid, "arn": arn, "createDate": iso(ago(500)),
               "assumeRolePolicyDocument": urlenc(trust), "instanceProfileList": ip,
               "rolePolicyList": [{"policyName": k, "policyDocument": urlenc(v)} for k, v in (inline or {}).items()],
               "attachedManagedPolicies": [{"policyName": a.split("/")[-1], "policyArn": a} for a in managed],
               "permissionsBoundary": None, "tags": [],
               "roleLastUsed": {"lastUsedDate": iso(ago(last_used_days)), "region": "us-east-1"}}
        self.snap.ci("AWS::IAM::Role", rid, name, arn, cfg, {}, {}, [], region="global", created=ago(500))
        return arn, (ip[0]["arn"] if ip else None)

    def user(self, name, *, groups=(), managed=(), inline=None, created_days=600,
             password=False, pw_used=None, pw_changed=None, mfa=False,
             key1=None, key2=None):
        """key = (active, rotated_days_ago, last_used_days_ago or None, service)"""
        uid_ = upper_id("AIDA", 17, self.acct, "user", name)
        arn = "arn:aws:iam::%s:user/%s" % (self.acct, name)
        cfg = {"path": "/", "userName": name, "userId": uid_, "arn": arn, "createDate": iso(ago(created_days)),
               "userPolicyList": [{"policyName": k, "policyDocument": urlenc(v)} for k, v in (inline or {}).items()],
               "groupList": list(groups),
               "attachedManagedPolicies": [{"policyName": a.split("/")[-1], "policyArn": a} for a in managed],
               "permissionsBoundary": None, "tags": []}
        rels = [("AWS::IAM::Group", upper_id("AGPA", 17, self.acct, "group", g), g, "Is attached to Group")
                for g in groups]
        self.snap.ci("AWS::IAM::User", uid_, name, arn, cfg, {}, {}, rels, region="global",
                     created=ago(created_days))
        self.report.append(cred_row(name, arn, ago(created_days), password, pw_used, pw_changed, mfa, key1, key2))
        return arn

    def root(self, *, mfa, pw_used, key1=None):
        self.report.insert(0, cred_row("<root_account>", "arn:aws:iam::%s:root" % self.acct, ago(2100),
                                       "not_supported", pw_used, "not_supported", mfa, key1, None))
        return "arn:aws:iam::%s:root" % self.acct


def cred_row(user, arn, created, password, pw_used, pw_changed, mfa, key1, key2):
    n = [0]

    def t(d):
        # a deterministic time of day (up to ~5.5 hours earlier), so the report does not look synthetic
        n[0] += 1
        jitter = dt.timedelta(seconds=int(digits(5, user, n[0])) % 20000)
        return iso_offset(ago(d) - jitter) if d is not None else "N/A"

    row = [user, arn, t((NOW - created).days)]
    if password == "not_supported":
        row += ["not_supported", t(pw_used) if pw_used is not None else "no_information",
                "not_supported", "not_supported"]
    elif password:
        row += ["true", t(pw_used) if pw_used is not None else "no_information", t(pw_changed),
                "N/A"]
    else:
        row += ["false", "N/A", "N/A", "N/A"]
    row.append("true" if mfa else "false")
    for k in (key1, key2):
        if k is None:
            row += ["false", "N/A", "N/A", "N/A", "N/A"]
        else:
            active, rotated, used, svc = k
            row += ["true" if active else "false", t(rotated)]
            if used is None:
                row += ["N/A", "N/A", "N/A"]
            else:
                row += [t(used), "us-east-1", svc]
    row += ["false", "N/A", "false", "N/A"]
    return row


CRED_HEADER = ("user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,"
               "password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,"
               "access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,"
               "access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,"
               "access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,"
               "cert_2_active,cert_2_last_rotated")


def write_cred_report(path, rows):
    # The API returns the report with "\n" line endings and no trailing newline.
    write_text(path, "\n".join([CRED_HEADER] + [",".join(r) for r in rows]))


def trust(service=None, account=None):
    if service:
        princ = {"Service": service}
    else:
        princ = {"AWS": "arn:aws:iam::%s:root" % account}
    return {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": princ,
                                                    "Action": "sts:AssumeRole"}]}


def rotation_status(root, acct, key_arn, enabled, period=365):
    kid = key_arn.split("/")[-1]
    doc = {"KeyRotationEnabled": enabled, "KeyId": key_arn}
    if enabled:
        doc["RotationPeriodInDays"] = period
        doc["NextRotationDate"] = (NOW.replace(hour=0, minute=0, second=0) +
                                   dt.timedelta(days=int(digits(3, kid)) % period)
                                   ).strftime("%Y-%m-%dT%H:%M:%S+00:00")
    write_json(os.path.join(root, "cli", "kms-key-rotation-status", kid + ".json"), doc, indent=4)


ADMIN_DOC = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}


def acct_id(acct):
    return "aws-account/" + acct


# ================================================================ the accounts

def build_prod(out):
    acct = PROD
    root = os.path.join(out, "aws", acct)
    ue1 = Snapshot(acct, "us-east-1")
    tags = {"Environment": "prod", "Owner": "platform", "CostCenter": "CC-1042"}

    # KMS
    _, k_data = kms_key(ue1, "alias/nw-prod-datalake", "S3 data lake CMK")
    _, k_rds = kms_key(ue1, "alias/nw-prod-rds", "RDS storage CMK")
    _, k_trail = kms_key(ue1, "alias/nw-prod-cloudtrail", "CloudTrail log encryption")
    _, k_ebs = kms_key(ue1, "alias/nw-prod-ebs", "EBS volumes")
    _, k_sign = kms_key(ue1, "alias/nw-prod-jwt-signing", "Asymmetric key for service JWT signing",
                        spec="RSA_2048", usage="SIGN_VERIFY", created_days=200)
    _, k_awss3 = kms_key(ue1, "aws/s3", "Default key that protects my S3 objects when no other key is defined",
                         manager="AWS", created_days=1500)
    for k in (k_data, k_rds, k_trail, k_ebs):
        rotation_status(root, acct, k, True)
    clean("aws", "key", k_data, "customer-managed symmetric key, automatic rotation every 365 days")
    clean("aws", "key", k_rds, "customer-managed symmetric key, automatic rotation every 365 days")

    # S3
    logs = "nw-prod-s3-access-logs"
    b = [
        ("nw-prod-datalake-raw", dict(kms_key=k_data, log_to=logs)),
        ("nw-prod-datalake-curated", dict(kms_key=k_data, log_to=logs)),
        ("nw-prod-ml-features", dict(kms_key=k_data, log_to=logs)),
        ("nw-prod-app-uploads", dict(kms_key=k_data, log_to=logs)),
        ("nw-prod-backups", dict(kms_key=k_data, log_to=logs)),
        ("nw-prod-cloudtrail-logs", dict(kms_key=k_trail, log_to=logs, policy_stmts=[
            {"Sid": "AWSCloudTrailAclCheck", "Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"},
             "Action": "s3:GetBucketAcl", "Resource": "arn:aws:s3:::nw-prod-cloudtrail-logs"},
            {"Sid": "AWSCloudTrailWrite", "Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"},
             "Action": "s3:PutObject", "Resource": "arn:aws:s3:::nw-prod-cloudtrail-logs/AWSLogs/%s/*" % acct,
             "Condition": {"StringEquals": {"s3:x-amz-acl": "bucket-owner-full-control"}}}])),
        (logs, dict(sse="s3", log_to="nw-prod-cloudtrail-logs", policy_stmts=[
            {"Sid": "S3ServerAccessLogsPolicy", "Effect": "Allow",
             "Principal": {"Service": "logging.s3.amazonaws.com"}, "Action": "s3:PutObject",
             "Resource": "arn:aws:s3:::%s/*" % logs,
             "Condition": {"StringEquals": {"aws:SourceAccount": acct}}}])),
        # AWS Config's delivery channel bucket (the policy the Config console writes): governance plumbing,
        # not one of the management account's workloads (CIS AWS 7.0 2.1.3)
        ("nw-prod-config-delivery", dict(sse="s3", log_to=logs, policy_stmts=[
            {"Sid": "AWSConfigBucketPermissionsCheck", "Effect": "Allow", "Principal": {"Service": "config.amazonaws.com"},
             "Action": "s3:GetBucketAcl", "Resource": "arn:aws:s3:::nw-prod-config-delivery",
             "Condition": {"StringEquals": {"AWS:SourceAccount": acct}}},
            {"Sid": "AWSConfigBucketDelivery", "Effect": "Allow", "Principal": {"Service": "config.amazonaws.com"},
             "Action": "s3:PutObject", "Resource": "arn:aws:s3:::nw-prod-config-delivery/AWSLogs/%s/Config/*" % acct,
             "Condition": {"StringEquals": {"s3:x-amz-acl": "bucket-owner-full-control", "AWS:SourceAccount": acct}}}])),
        ("nw-prod-vpc-flow-logs", dict(sse="s3", log_to=logs)),
    ]
    listed = {"nw-prod-datalake-raw", "nw-prod-datalake-curated", "nw-prod-cloudtrail-logs", logs}
    for name, kw in b:
        btags = tags
        if name == "nw-prod-app-uploads":
            # customer uploads: personal data, which the app instances read
            btags = dict(tags, **{"data-classification": "confidential"})
        s3_bucket(ue1, name, ago(800), btags, mfa_delete=name in listed, **kw)
        if name in listed:
            clean("aws", "object_storage", "arn:aws:s3:::" + name,
                  "Block Public Access on, default encryption, versioning with MFA delete, access logging, "
                  "TLS-only policy")
    # isMfaDeleteEnabled null (never configured with MFA delete, as AWS Config writes it) is off: the other
    # buckets of both accounts fail CIS AWS 3.1.2 besides what they were planted for
    incidental("aws", "aws-s3-mfa-delete-disabled", "arn:aws:s3:::", "MFA delete never configured "
               "(isMfaDeleteEnabled null): only the clean buckets have it")
    # planted: a public static-assets bucket
    s3_bucket(ue1, "nw-public-assets", ago(1000), {"Environment": "prod", "Owner": "web"},
              pab=(False, False, False, False), sse="s3", log_to=logs, policy_stmts=[
                  {"Sid": "PublicReadGetObject", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
                   "Resource": "arn:aws:s3:::nw-public-assets/*"}])
    plant("aws", "storage-public-access", "arn:aws:s3:::nw-public-assets",
          "bucket policy allows Principal \"*\" s3:GetObject without condition")
    plant("aws", "storage-public-access-not-blocked", "arn:aws:s3:::nw-public-assets",
          "all four S3 Block Public Access settings are false")

    # network
    v_prod, v_prod_arn = vpc(ue1, "nw-prod-vpc", "10.10.0.0/16", tags=tags)
    s_app_a = subnet(ue1, v_prod, "nw-prod-app-a", "10.10.1.0/24", "us-east-1a")
    s_app_b = subnet(ue1, v_prod, "nw-prod-app-b", "10.10.2.0/24", "us-east-1b")
    s_db_a = subnet(ue1, v_prod, "nw-prod-db-a", "10.10.11.0/24", "us-east-1a")
    s_pub_a = subnet(ue1, v_prod, "nw-prod-public-a", "10.10.101.0/24", "us-east-1a", public=True)
    flow_log(ue1, v_prod, "nw-prod-vpc-flow-logs")
    v_data, v_data_arn = vpc(ue1, "nw-prod-data-vpc", "10.20.0.0/16", tags=tags)
    s_data_a = subnet(ue1, v_data, "nw-prod-data-a", "10.20.1.0/24", "us-east-1a")
    flow_log(ue1, v_data, "nw-prod-vpc-flow-logs")
    clean("aws", "network", v_prod_arn, "VPC flow logs (ALL traffic) delivered to S3")
    clean("aws", "network", v_data_arn, "VPC flow logs (ALL traffic) delivered to S3")

    _, sg_def = security_group(ue1, "default", v_prod, "default VPC security group", [], egress=[])
    _, sg_def2 = security_group(ue1, "default", v_data, "default VPC security group", [], egress=[])
    clean("aws", "firewall", sg_def, "default security group with every rule removed (CIS 6.5)")
    g_alb, sg_alb = security_group(ue1, "nw-prod-alb", v_prod, "Public ALB", [
        perm("tcp", 443, 443, v4=["0.0.0.0/0"], v6=["::/0"], desc="HTTPS"),
        perm("tcp", 80, 80, v4=["0.0.0.0/0"], v6=["::/0"], desc="HTTP redirect")], tags=tags)
    g_app, sg_app = security_group(ue1, "nw-prod-app", v_prod, "App tier", [
        perm("tcp", 8080, 8080, groups=[g_alb])], tags=tags)
    g_db, sg_db = security_group(ue1, "nw-prod-db", v_prod, "Postgres from app tier", [
        perm("tcp", 5432, 5432, groups=[g_app])], tags=tags)
    g_bas, sg_bas = security_group(ue1, "nw-prod-bastion", v_prod, "SSH from the office only", [
        perm("tcp", 22, 22, v4=["203.0.113.0/24"], desc="Northwind office")], tags=tags)
    g_etl, sg_etl = security_group(ue1, "nw-prod-etl", v_data, "ETL workers, egress only", [], tags=tags)
    g_redis, sg_redis = security_group(ue1, "nw-prod-redis-temp", v_prod, "temporary: vendor debugging", [
        perm("tcp", 6379, 6379, v4=["0.0.0.0/0"], desc="TEMP vendor access - remove")], tags=tags)
    for a, n in ((sg_alb, "only 80/443 open to the internet"), (sg_db, "5432 only from the app security group"),
                 (sg_bas, "SSH only from 203.0.113.0/24"), (sg_app, "8080 only from the ALB security group")):
        clean("aws", "firewall", a, n)
    plant("aws", "firewall-database-ports-open-to-internet", sg_redis, "nw-prod-redis-temp: tcp/6379 (Redis) from 0.0.0.0/0")

    # IAM roles / profiles
    iam = IAM(ue1)
    _, prof_app = iam.role("nw-prod-app-instance", trust("ec2.amazonaws.com"),
                           ["arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"], profile=True,
                           inline={"app-uploads": {"Version": "2012-10-17", "Statement": [{
                               "Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"],
                               "Resource": "arn:aws:s3:::nw-prod-app-uploads/*"}, {
                               "Effect": "Allow", "Action": ["kms:Decrypt", "kms:GenerateDataKey"],
                               "Resource": "*"}]}})
    _, prof_etl = iam.role("nw-prod-etl-instance", trust("ec2.amazonaws.com"),
                           ["arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"], profile=True)
    iam.role("OrganizationAccountAccessRole", trust(account="999988887777"), [ADMIN_ARN], last_used_days=12)
    iam.role("nw-prod-readonly-audit", trust(account="999988887777"), [READONLY_ARN,
             "arn:aws:iam::aws:policy/SecurityAudit"], last_used_days=2)
    iam.role("AWSServiceRoleForConfig", trust("config.amazonaws.com"),
             ["arn:aws:iam::aws:policy/aws-service-role/AWS_ConfigRole"], path="/aws-service-role/config.amazonaws.com/")
    iam.role("CloudTrailToCloudWatch", trust("cloudtrail.amazonaws.com"),
             inline={"cwlogs": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": [
                 "logs:CreateLogStream", "logs:PutLogEvents"], "Resource": "arn:aws:logs:us-east-1:%s:log-group:"
                 "aws-cloudtrail-logs-nw-org-trail:*" % acct}]}}, path="/service-role/")

    # compute
    i_app1, a_app1 = instance(ue1, "nw-prod-app-1", v_prod, s_app_a, "us-east-1a", [("nw-prod-app", g_app)],
                              profile=prof_app, kms=k_ebs, tags=tags)
    i_app2, a_app2 = instance(ue1, "nw-prod-app-2", v_prod, s_app_b, "us-east-1b", [("nw-prod-app", g_app)],
                              profile=prof_app, kms=k_ebs, tags=tags)
    _, a_etl1 = instance(ue1, "nw-prod-etl-1", v_data, s_data_a, "us-east-1a", [("nw-prod-etl", g_etl)],
                         profile=prof_etl, kms=k_ebs, itype="r6i.xlarge", tags=tags)
    _, a_etl2 = instance(ue1, "nw-prod-etl-2", v_data, s_data_a, "us-east-1a", [("nw-prod-etl", g_etl)],
                         profile=prof_etl, kms=k_ebs, itype="r6i.xlarge", tags=tags)
    _, a_bas = instance(ue1, "nw-prod-bastion", v_prod, s_pub_a, "us-east-1a", [("nw-prod-bastion", g_bas)],
                        public_ip="3.91.22.147", profile=prof_app, kms=k_ebs, itype="t3.micro", tags=tags)
    clean("aws", "compute", a_app1, "private, IMDSv2 required, encrypted EBS, instance profile")
    clean("aws", "compute", a_etl1, "private, IMDSv2 required, encrypted EBS, instance profile")
    plant("aws", "compute-public-ip", a_bas, "nw-prod-bastion: public IPv4 3.91.22.147")

    # databases
    a_orders = rds(ue1, "nw-prod-orders-pg", "postgres", "16.4", "us-east-1a", kms=k_rds, sgs=[g_db], tags=tags)
    a_meta = rds(ue1, "nw-prod-metadata-pg", "postgres", "16.4", "us-east-1b", kms=k_rds, sgs=[g_db], tags=tags,
                 retention=7, multi_az=False)
    clean("aws", "database", a_orders, "private, KMS-encrypted, 14-day backups, Multi-AZ")
    clean("aws", "database", a_meta, "private, KMS-encrypted, 7-day backups")

    # audit / detection
    a_trail = trail(ue1, "nw-org-trail", "nw-prod-cloudtrail-logs", kms=k_trail)
    clean("aws", "audit_log", a_trail, "multi-region, log file validation, SSE-KMS")
    guardduty(ue1, True)

    # IAM groups, users
    p_lake = iam.policy("NW-DataLakeAccess", {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject", "s3:ListBucket"],
         "Resource": ["arn:aws:s3:::nw-prod-datalake-*", "arn:aws:s3:::nw-prod-datalake-*/*"]},
        {"Effect": "Allow", "Action": ["kms:Decrypt", "kms:GenerateDataKey"], "Resource": k_data}]},
        "Read/write the data lake buckets", attached=2)
    p_ops = iam.policy("NW-OpsOnCall", {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": ["ec2:Describe*", "ec2:RebootInstances", "ssm:StartSession",
                                       "cloudwatch:*", "logs:Get*", "logs:FilterLogEvents"], "Resource": "*"}]},
        "On-call operations")
    p_bk = iam.policy("NW-BackupWriter", {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": ["s3:PutObject"], "Resource": "arn:aws:s3:::nw-prod-backups/*"}]},
        "Write backups")
    iam.group("DataEngineers", [READONLY_ARN, p_lake])
    iam.group("Operations", [READONLY_ARN, p_ops])
    iam.group("Administrators", [ADMIN_ARN])

    r_root = iam.root(mfa=True, pw_used=25)
    clean("aws", "identity", r_root, "root: MFA on, no access keys")
    u = iam.user("alice.nguyen", groups=["DataEngineers"], password=True, pw_used=1, pw_changed=40, mfa=True,
                 key1=(True, 20, 1, "s3"), created_days=900)
    clean("aws", "identity", u, "console with MFA, one key rotated 20 days ago, used yesterday")
    u = iam.user("bob.okafor", groups=["DataEngineers"], password=True, pw_used=3, pw_changed=70, mfa=True,
                 created_days=700)
    clean("aws", "identity", u, "console with MFA, no access keys")
    u = iam.user("frank.osei", groups=["Operations"], password=True, pw_used=2, pw_changed=30, mfa=True,
                 key1=(True, 45, 2, "ec2"), created_days=650)
    clean("aws", "identity", u, "console with MFA, one key rotated 45 days ago")
    u = iam.user("svc-backup", managed=[p_bk], key1=(True, 60, 0, "s3"), created_days=400)
    clean("aws", "identity", u, "programmatic only, one key rotated 60 days ago, used today")
    iam.user("priya.raman", groups=["Administrators"], password=True, pw_used=4, pw_changed=60, mfa=True,
             created_days=1100)
    incidental("aws", "aws-user-direct-admin", "user/priya.raman",
               "AdministratorAccess through the Administrators group, which a rule may count as direct")
    u = iam.user("carol.diaz", groups=["DataEngineers"], password=True, pw_used=3, pw_changed=50, mfa=False,
                 created_days=300)
    plant("aws", "aws-user-console-without-mfa", u, "password_enabled=true, mfa_active=false")
    u = iam.user("svc-etl-loader", managed=[p_lake], key1=(True, 200, 1, "s3"), key2=(False, 420, 400, "s3"),
                 created_days=800)
    plant("aws", "identity-stale-access-keys", u, "active access key 1 last rotated 200 days ago")
    u = iam.user("svc-reporting", managed=[READONLY_ARN], key1=(True, 30, 1, "athena"),
                 key2=(True, 10, 0, "athena"), created_days=500)
    plant("aws", "aws-user-multiple-active-keys", u, "access_key_1_active and access_key_2_active are both true")
    u = iam.user("dave.martin", managed=[ADMIN_ARN], password=True, pw_used=10, pw_changed=80, mfa=True,
                 created_days=1500)
    plant("aws", "aws-user-direct-admin", u, "AdministratorAccess attached directly to the user")
    u = iam.user("erin.walsh", groups=["DataEngineers"], password=True, pw_used=120, pw_changed=200, mfa=True,
                 created_days=400)
    plant("aws", "identity-unused-credentials", u, "console password last used 120 days ago (> 45)")

    # account-level CLI outputs
    write_json(os.path.join(root, "cli", "password-policy.json"), {"PasswordPolicy": {
        "MinimumPasswordLength": 14, "RequireSymbols": True, "RequireNumbers": True,
        "RequireUppercaseCharacters": True, "RequireLowercaseCharacters": True, "AllowUsersToChangePassword": True,
        "ExpirePasswords": False, "PasswordReusePrevention": 24, "HardExpiry": False}}, indent=4)
    clean("aws", "password_policy", "arn:aws:iam::%s:account-password-policy" % acct, "14 characters minimum, 24 remembered")
    for r in ("us-east-1", "eu-west-1"):
        write_json(os.path.join(root, "cli", "ebs-encryption-by-default.%s.json" % r),
                   {"EbsEncryptionByDefault": True}, indent=4)
    write_json(os.path.join(root, "cli", "alternate-contact-security.json"), {"AlternateContact": {
        "AlternateContactType": "SECURITY", "EmailAddress": "security@northwind-analytics.com",
        "Name": "Northwind Security Operations", "PhoneNumber": "+1-206-555-0142", "Title": "SecOps on-call"}},
        indent=4)
    # prod is also the organization's management account (aws/organizations.json, org_aws_cis.py): CIS AWS 7.0
    # 2.1.3's workloads there are planted on it
    clean("aws", "account", acct_id(acct), "multi-region trail, GuardDuty on, EBS encryption by default",
          planted=["aws-org-management-account-workloads"])
    write_cred_report(os.path.join(root, "cli", "credential-report.csv"), iam.report)
    n = ue1.write(root)

    # eu-west-1 (gzip, as the delivery channel writes it)
    eu = Snapshot(acct, "eu-west-1")
    _, k_eu = kms_key(eu, "alias/nw-prod-eu-data", "EU data residency CMK")
    rotation_status(root, acct, k_eu, True, period=180)
    clean("aws", "key", k_eu, "customer-managed key rotating every 180 days")
    v_eu, v_eu_arn = vpc(eu, "nw-prod-eu-vpc", "10.30.0.0/16", tags=tags)
    s_eu = subnet(eu, v_eu, "nw-prod-eu-app-a", "10.30.1.0/24", "eu-west-1a")
    flow_log(eu, v_eu, "nw-prod-vpc-flow-logs")
    security_group(eu, "default", v_eu, "default VPC security group", [], egress=[])
    g_eu, sg_eu = security_group(eu, "nw-prod-eu-app", v_eu, "EU app tier", [
        perm("tcp", 443, 443, v4=["10.30.0.0/16"])], tags=tags)
    clean("aws", "firewall", sg_eu, "443 only from inside the VPC")
    _, a_eu1 = instance(eu, "nw-prod-eu-app-1", v_eu, s_eu, "eu-west-1a", [("nw-prod-eu-app", g_eu)],
                        profile=prof_app, kms=k_eu, tags=tags)
    clean("aws", "compute", a_eu1, "private, IMDSv2 required, encrypted EBS")
    s3_bucket(eu, "nw-prod-eu-customer-data", ago(600), tags, kms_key=k_eu, log_to=logs, mfa_delete=True)
    clean("aws", "object_storage", "arn:aws:s3:::nw-prod-eu-customer-data", "fully hardened EU bucket")
    a_eu_db = rds(eu, "nw-prod-eu-reporting", "postgres", "15.8", "eu-west-1a", kms=k_eu, retention=3,
                  multi_az=False, sgs=[g_eu], tags=tags)
    plant("aws", "database-backups-disabled", a_eu_db, "backupRetentionPeriod 3 days (< 7)")
    guardduty(eu, True)
    n += eu.write(root, compress=True)

    _noise_aws(root, acct)
    return n + 1  # + root from the credential report


def build_dev(out):
    acct = DEV
    root = os.path.join(out, "aws", acct)
    ue1 = Snapshot(acct, "us-east-1")
    tags = {"Environment": "dev", "Owner": "data-eng"}

    _, k_app = kms_key(ue1, "alias/nw-dev-app", "dev application data")
    rotation_status(root, acct, k_app, False)
    plant("aws", "key-rotation-disabled", k_app, "alias/nw-dev-app: customer-managed symmetric key, KeyRotationEnabled=false (cli/kms-key-rotation-status)")
    _, k_dev_ok = kms_key(ue1, "alias/nw-dev-datalake", "dev data lake")
    rotation_status(root, acct, k_dev_ok, True)
    clean("aws", "key", k_dev_ok, "customer-managed key with annual rotation")

    logs = "nw-dev-s3-access-logs"
    s3_bucket(ue1, logs, ago(700), tags, sse="s3", log_to="nw-dev-cloudtrail", policy_stmts=[
        {"Sid": "S3ServerAccessLogsPolicy", "Effect": "Allow", "Principal": {"Service": "logging.s3.amazonaws.com"},
         "Action": "s3:PutObject", "Resource": "arn:aws:s3:::%s/*" % logs}])
    s3_bucket(ue1, "nw-dev-cloudtrail", ago(700), tags, sse="s3", log_to=logs, policy_stmts=[
        {"Sid": "AWSCloudTrailWrite", "Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"},
         "Action": "s3:PutObject", "Resource": "arn:aws:s3:::nw-dev-cloudtrail/AWSLogs/%s/*" % acct}])
    s3_bucket(ue1, "nw-dev-datalake", ago(500), tags, kms_key=k_dev_ok, log_to=logs, mfa_delete=True)
    clean("aws", "object_storage", "arn:aws:s3:::nw-dev-datalake", "fully hardened dev bucket")
    s3_bucket(ue1, "nw-dev-scratch", ago(1200), tags, pab=(False, False, False, False), sse=None,
              versioning="Off", log_to=None, secure_transport=False)
    for r, why in (("storage-public-access-not-blocked", "Block Public Access settings all false"),
                   ("storage-unencrypted", "no ServerSideEncryptionConfiguration (default encryption not set)"),
                   ("storage-versioning-disabled", "BucketVersioningConfiguration status Off"),
                   ("storage-access-logging-disabled", "BucketLoggingConfiguration has no destinationBucketName"),
                   ("storage-insecure-transport", "no bucket policy, so plain-HTTP requests are not denied")):
        plant("aws", r, "arn:aws:s3:::nw-dev-scratch", why)
    s3_bucket(ue1, "nw-dev-ml-datasets", ago(300), tags, kms_key=k_dev_ok, versioning="Suspended", log_to=logs)
    plant("aws", "storage-versioning-disabled", "arn:aws:s3:::nw-dev-ml-datasets",
          "BucketVersioningConfiguration status Suspended")
    s3_bucket(ue1, "nw-dev-partner-share", ago(250), tags, pab=(False, False, True, True), sse="s3", log_to=logs,
              acl_public=True)
    plant("aws", "storage-public-access", "arn:aws:s3:::nw-dev-partner-share", "ACL grants AllUsers Read")
    plant("aws", "storage-public-access-not-blocked", "arn:aws:s3:::nw-dev-partner-share",
          "BlockPublicAcls and IgnorePublicAcls are false")

    v_def, v_def_arn = vpc(ue1, None, "172.31.0.0/16", default=True)
    s_def = subnet(ue1, v_def, "default-us-east-1a", "172.31.0.0/20", "us-east-1a", public=True)
    plant("aws", "aws-vpc-flow-logs-disabled", v_def_arn, "default VPC has no flow log (the other VPC has one)")
    v_dev, v_dev_arn = vpc(ue1, "nw-dev-vpc", "10.50.0.0/16", tags=tags)
    s_dev = subnet(ue1, v_dev, "nw-dev-app-a", "10.50.1.0/24", "us-east-1a")
    flow_log(ue1, v_dev, logs)
    clean("aws", "network", v_dev_arn, "flow logs enabled")

    g_defsg, sg_defsg = security_group(ue1, "default", v_def, "default VPC security group",
                                       [perm("-1", groups=[sg_id(acct, "default-" + v_def)])])
    plant("aws", "aws-default-security-group-not-restricted", sg_defsg,
          "default SG of the default VPC still has its allow-all-from-self and allow-all-egress rules")
    security_group(ue1, "default", v_dev, "default VPC security group", [], egress=[])
    g_ssh, sg_ssh = security_group(ue1, "dev-bastion-ssh", v_def, "ssh", [
        perm("tcp", 22, 22, v4=["0.0.0.0/0"])], tags=tags)
    plant("aws", "firewall-ssh-open-to-internet", sg_ssh, "dev-bastion-ssh: tcp/22 from 0.0.0.0/0")
    g_rdp, sg_rdp = security_group(ue1, "dev-windows-rdp", v_def, "RDP for the BI desktop", [
        perm("tcp", 3389, 3389, v4=["0.0.0.0/0"], v6=["::/0"])], tags=tags)
    plant("aws", "firewall-rdp-open-to-internet", sg_rdp, "dev-windows-rdp: tcp/3389 from 0.0.0.0/0 and ::/0")
    g_any, sg_any = security_group(ue1, "dev-debug-any", v_dev, "launch-wizard-3 created 2025-06-02", [
        perm("-1", v4=["0.0.0.0/0"])], tags=tags)
    for r in ("firewall-all-ports-open-to-internet", "firewall-ssh-open-to-internet", "firewall-rdp-open-to-internet",
              "firewall-database-ports-open-to-internet"):
        plant("aws", r, sg_any, "dev-debug-any: ipProtocol -1 (all traffic) from 0.0.0.0/0")
    g_my, sg_my = security_group(ue1, "dev-mysql-public", v_def, "MySQL for the BI tool", [
        perm("tcp", 3306, 3306, v6=["::/0"])], tags=tags)
    plant("aws", "firewall-database-ports-open-to-internet", sg_my, "dev-mysql-public: tcp/3306 from ::/0")
    g_app, sg_app = security_group(ue1, "nw-dev-app", v_dev, "dev app", [
        perm("tcp", 8080, 8080, v4=["10.50.0.0/16"])], tags=tags)
    clean("aws", "firewall", sg_app, "8080 only from the VPC CIDR")

    iam = IAM(ue1)
    _, prof = iam.role("nw-dev-instance", trust("ec2.amazonaws.com"),
                       ["arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"], profile=True)
    iam.role("OrganizationAccountAccessRole", trust(account="999988887777"), [ADMIN_ARN], last_used_days=30)

    _, a_nb = instance(ue1, "nw-dev-notebook", v_def, s_def, "us-east-1a", [("dev-bastion-ssh", g_ssh)],
                       public_ip="54.210.83.19", profile=prof, imds="optional", encrypted=False,
                       itype="g5.xlarge", tags=tags)
    plant("aws", "compute-public-ip", a_nb, "nw-dev-notebook: public IPv4 54.210.83.19")
    plant("aws", "aws-ec2-imdsv1-allowed", a_nb, "nw-dev-notebook: metadataOptions.httpTokens optional")
    plant("aws", "compute-disk-unencrypted", a_nb, "nw-dev-notebook: root EBS volume encrypted=false")
    _, a_win = instance(ue1, "nw-dev-bi-desktop", v_def, s_def, "us-east-1a", [("dev-windows-rdp", g_rdp)],
                        profile=prof, kms=k_dev_ok, itype="t3.large", tags=tags)
    _, a_dapp = instance(ue1, "nw-dev-app-1", v_dev, s_dev, "us-east-1a", [("nw-dev-app", g_app)], profile=prof,
                         kms=k_dev_ok, tags=tags)
    clean("aws", "compute", a_dapp, "private, IMDSv2, encrypted EBS")
    instance(ue1, "nw-dev-app-2", v_dev, s_dev, "us-east-1a", [("nw-dev-app", g_app)], profile=prof,
             kms=k_dev_ok, tags=tags, state="stopped")

    a_my = rds(ue1, "nw-dev-mysql", "mysql", "8.0.39", "us-east-1a", public=True, encrypted=False, retention=0,
               multi_az=False, deletion=False, sgs=[g_my], tags=tags, minor_upgrade=False)
    plant("aws", "database-public-endpoint", a_my, "publiclyAccessible true")
    plant("aws", "aws-rds-auto-minor-upgrade-disabled", a_my, "autoMinorVersionUpgrade false")
    plant("aws", "database-unencrypted", a_my, "storageEncrypted false")
    plant("aws", "database-backups-disabled", a_my, "backupRetentionPeriod 0 (automated backups off)")
    plant("aws", "database-deletion-protection-disabled", a_my, "deletionProtection false")
    a_dpg = rds(ue1, "nw-dev-pg", "postgres", "16.4", "us-east-1a", kms=k_dev_ok, retention=7, multi_az=False,
                deletion=True, sgs=[g_app], tags=tags)
    clean("aws", "database", a_dpg, "private, encrypted, 7-day backups, deletion protection")

    a_tr = trail(ue1, "nw-dev-trail", "nw-dev-cloudtrail", multi=False, validation=False, kms=None, loggroup=False)
    plant("aws", "aws-cloudtrail-not-multi-region", a_tr, "isMultiRegionTrail false")
    plant("aws", "aws-cloudtrail-log-validation-disabled", a_tr, "logFileValidationEnabled false")
    plant("aws", "aws-cloudtrail-not-encrypted-with-kms", a_tr, "kmsKeyId null (SSE-S3 only)")
    # the trail's bucket as org_overlay.json leaves it (the resilience scenario replaces its item)
    plant("aws", "aws-cloudtrail-bucket-access-logging-disabled", a_tr, "its bucket nw-dev-cloudtrail has no server "
                                                                        "access logging (destinationBucketName null)")
    plant("aws", "storage-access-logging-disabled", "arn:aws:s3:::nw-dev-cloudtrail",
          "BucketLoggingConfiguration destinationBucketName null (turned off with the trail's cost cuts)")
    plant("aws", "aws-s3-mfa-delete-disabled", "arn:aws:s3:::nw-dev-cloudtrail", "versioning Enabled, "
          "isMfaDeleteEnabled false: the trail's log objects can be deleted without MFA")
    plant("aws", "audit-logging-disabled", acct_id(acct), "the only trail is single-region")
    guardduty(ue1, False)
    plant("aws", "threat-detection-disabled", acct_id(acct), "GuardDuty detector Enable=false (suspended)")

    p_ci = iam.policy("NW-DevDeploy", {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": ["ecs:*", "ecr:*", "logs:*"], "Resource": "*"}]}, "CI deployments")
    # the developers use CloudShell in the dev console (CIS AWS 7.0 2.20 wants the policy attached nowhere)
    iam.group("Developers", [READONLY_ARN, p_ci, "arn:aws:iam::aws:policy/AWSCloudShellFullAccess"])
    plant("aws", "aws-cloudshell-full-access-attached", acct_id(acct), "AWSCloudShellFullAccess attached to the "
                                                                       "Developers group")
    r_root = iam.root(mfa=False, pw_used=20, key1=(True, 700, 5, "s3"))
    plant("aws", "aws-root-mfa-disabled", r_root, "`<root_account>` mfa_active false")
    plant("aws", "aws-root-used-recently", r_root, "`<root_account>` access_key_1_last_used_date 5 days "
          "before the capture")
    plant("aws", "aws-root-access-keys", r_root, "`<root_account>` access_key_1_active true")
    u = iam.user("dev-admin-shared", inline={"full-access": ADMIN_DOC}, password=True, pw_used=2, pw_changed=400,
                 mfa=False, created_days=1300)
    plant("aws", "aws-user-direct-admin", u, "inline policy full-access allows Action * on Resource *")
    plant("aws", "aws-user-console-without-mfa", u, "password_enabled=true, mfa_active=false")
    u = iam.user("svc-ci-deployer", managed=[p_ci], key1=(True, 400, 0, "ecr"), key2=(True, 10, 0, "ecs"),
                 created_days=900)
    plant("aws", "aws-user-multiple-active-keys", u, "two active access keys")
    plant("aws", "identity-stale-access-keys", u, "access key 1 last rotated 400 days ago")
    u = iam.user("grace.kim", groups=["Developers"], password=True, pw_used=1, pw_changed=20, mfa=True,
                 created_days=200)
    clean("aws", "identity", u, "console with MFA, no keys")
    u = iam.user("henry.lau", groups=["Developers"], key1=(True, 300, 150, "s3"), created_days=800)
    plant("aws", "identity-stale-access-keys", u, "access key last rotated 300 days ago")
    plant("aws", "identity-unused-credentials", u, "active access key last used 150 days ago")
    u = iam.user("ivan.petrov", groups=["Developers"], password=True, pw_used=60, pw_changed=100, mfa=True,
                 created_days=100)
    plant("aws", "identity-unused-credentials", u, "password last used 60 days ago")

    write_json(os.path.join(root, "cli", "password-policy.json"), {"PasswordPolicy": {
        "MinimumPasswordLength": 8, "RequireSymbols": False, "RequireNumbers": True,
        "RequireUppercaseCharacters": True, "RequireLowercaseCharacters": True, "AllowUsersToChangePassword": True,
        "ExpirePasswords": False}}, indent=4)
    plant("aws", "aws-password-policy-weak", "arn:aws:iam::%s:account-password-policy" % acct,
          "MinimumPasswordLength 8 (< 14) and no PasswordReusePrevention")
    write_json(os.path.join(root, "cli", "ebs-encryption-by-default.us-east-1.json"),
               {"EbsEncryptionByDefault": False}, indent=4)
    # BILLING and OPERATIONS contacts exist; SECURITY returned ResourceNotFoundException (no file).
    write_json(os.path.join(root, "cli", "alternate-contact-billing.json"), {"AlternateContact": {
        "AlternateContactType": "BILLING", "EmailAddress": "ap@northwind-analytics.com", "Name": "Accounts Payable",
        "PhoneNumber": "+1-206-555-0100", "Title": "Finance"}}, indent=4)
    write_json(os.path.join(root, "cli", "alternate-contact-operations.json"), {"AlternateContact": {
        "AlternateContactType": "OPERATIONS", "EmailAddress": "data-eng@northwind-analytics.com",
        "Name": "Data Engineering", "PhoneNumber": "+1-206-555-0177", "Title": "Dev account owners"}}, indent=4)
    plant("aws", "aws-security-contact-missing", acct_id(acct),
          "alternate contacts were collected (BILLING, OPERATIONS) but there is no SECURITY contact")
    plant("aws", "aws-ebs-default-encryption-disabled", acct_id(acct), "EbsEncryptionByDefault false in us-east-1")
    write_cred_report(os.path.join(root, "cli", "credential-report.csv"), iam.report)
    n = ue1.write(root)
    n += _batch_get_us_west_2(root, acct)
    _noise_aws(root, acct)
    write_text(os.path.join(root, "README.txt"),
               "Exports for the dev account (444455556666), collected 2026-11-24 by scripts/collect-aws.sh.\n"
               "AWSLogs/ is a copy of the Config delivery bucket prefix; cli/ holds the CLI outputs.\n"
               "us-west-2 has no delivery channel: it was read with batch-get-resource-config.\n")
    return n + 1


def _batch_get_us_west_2(root, acct):
    """`aws configservice batch-get-resource-config --region us-west-2` output."""
    snap = Snapshot(acct, "us-west-2")
    v, v_arn = vpc(snap, "nw-dev-oregon", "10.60.0.0/16", tags={"Environment": "dev"})
    plant("aws", "aws-vpc-flow-logs-disabled", v_arn,
          "no flow log targets this VPC (the account's Config records flow logs for its other VPC)")
    sn = subnet(snap, v, "nw-dev-oregon-a", "10.60.1.0/24", "us-west-2a", public=True)
    g, sg_arn = security_group(snap, "oregon-ssh", v, "quick ssh", [perm("tcp", 22, 22, v4=["0.0.0.0/0"])])
    plant("aws", "firewall-ssh-open-to-internet", sg_arn, "oregon-ssh: tcp/22 from 0.0.0.0/0 (batch-get-resource-config input)")
    _, a = instance(snap, "nw-dev-oregon-gpu", v, sn, "us-west-2a", [("oregon-ssh", g)], imds="optional",
                    itype="g5.2xlarge", tags={"Environment": "dev"}, kms="alias/aws/ebs")
    plant("aws", "aws-ec2-imdsv1-allowed", a, "nw-dev-oregon-gpu: httpTokens optional (batch-get-resource-config input)")
    items = []
    for it in snap.items:
        if it["resourceType"] == "AWS::EC2::Volume":
            continue
        cap = it["configurationItemCaptureTime"].replace("Z", "000+00:00")
        items.append({
            "version": "1.3", "accountId": acct, "configurationItemCaptureTime": cap,
            "configurationItemStatus": "OK", "configurationStateId": str(it["configurationStateId"]),
            "arn": it["ARN"], "resourceType": it["resourceType"], "resourceId": it["resourceId"],
            **({"resourceName": it["resourceName"]} if it["resourceName"] else {}),
            "awsRegion": it["awsRegion"], "availabilityZone": it["availabilityZone"],
            "resourceCreationTime": it.get("resourceCreationTime", cap).replace("Z", "000+00:00"),
            "configuration": json.dumps(it["configuration"], separators=(",", ":")),
            "supplementaryConfiguration": {},
        })
    write_json(os.path.join(root, "cli", "batch-get-resource-config.us-west-2.json"),
               {"baseConfigurationItems": items, "unprocessedResourceKeys": []}, indent=4)
    return len(items)


def _noise_aws(root, acct):
    base = os.path.join(root, "AWSLogs", acct, "Config")
    write_text(os.path.join(base, "ConfigWritabilityCheckFile"), "")
    d = os.path.join(root, "AWSLogs", acct, "CloudTrail-Digest", "us-east-1", "2026", "11", "24")
    trail_name = "nw-org-trail" if acct == PROD else "nw-dev-trail"
    write_json(os.path.join(d, "%s_CloudTrail-Digest_us-east-1_%s_us-east-1_20261124T050000Z.json.gz"
                            % (acct, trail_name)), {
        "awsAccountId": acct, "digestStartTime": "2026-11-24T04:00:00Z", "digestEndTime": "2026-11-24T05:00:00Z",
        "digestS3Bucket": "nw-prod-cloudtrail-logs" if acct == PROD else "nw-dev-cloudtrail",
        "digestS3Object": "AWSLogs/%s/CloudTrail-Digest/us-east-1/2026/11/24/%s_CloudTrail-Digest_us-east-1_%s_"
                          "us-east-1_20261124T050000Z.json.gz" % (acct, acct, trail_name),
        "digestPublicKeyFingerprint": hexid(32, "fp", acct), "digestSignatureAlgorithm": "SHA256withRSA",
        "newestEventTime": "2026-11-24T04:59:41Z", "oldestEventTime": "2026-11-24T03:55:02Z",
        "previousDigestS3Bucket": "nw-prod-cloudtrail-logs" if acct == PROD else "nw-dev-cloudtrail",
        "previousDigestS3Object": "AWSLogs/%s/CloudTrail-Digest/us-east-1/2026/11/24/%s_CloudTrail-Digest_"
                                  "us-east-1_%s_us-east-1_20261124T040000Z.json.gz" % (acct, acct, trail_name),
        "previousDigestHashValue": hexid(64, "prev", acct), "previousDigestHashAlgorithm": "SHA-256",
        "previousDigestSignature": hexid(64, "sig", acct), "logFiles": []}, indent=None, compress=True)
