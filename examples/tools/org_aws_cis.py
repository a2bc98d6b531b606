"""CIS AWS 7.0 account plants of the sample organization, added by org_aws_v2.main():

- AWS Config recorders (AWS::Config::ConfigurationRecorder items in each region's snapshot, CIS 4.3),
  IAM Access Analyzer analyzers (AWS::AccessAnalyzer::Analyzer items, 2.18) and Security Hub hubs
  (`aws securityhub describe-hub` per region, 5.16): prod has all three in every region it uses
  (us-east-1, eu-west-1, eu-central-1); dev in us-east-1 only, not in us-west-2;
- a support role with AWSSupportAccess (2.15) in prod, none in dev;
- IAM server certificates (AWS::IAM::ServerCertificate items, their expiry in the certificate body, 2.17):
  prod's valid, dev's expired;
- EFS file systems (AWS::EFS::FileSystem, 3.3.1): prod's encrypted with its CMK, dev's unencrypted;
- CloudWatch Logs metric filters and alarms for 5.1-5.15 on prod's organization trail (dev's single-region
  trail sends nothing to CloudWatch Logs: all 15 planted);
- the virtual MFA devices (2.6): prod's root user's device is a hardware one, dev's root has none;
- a VPC peering connection in dev's us-east-1 between the default VPC (172.31.0.0/16) and nw-dev-vpc
  (10.50.0.0/16), with a route table in each (neither main nor associated with a subnet, so reachability is
  unchanged): the default VPC's routes the whole 10.50.0.0/16 to it (6.6, planted), nw-dev-vpc's one
  172.31.16.0/20 subnet (clean);
- aws/organizations.json, the AWS Organizations document: the organization (prod is its management account),
  its root with both accounts and the AWS-managed FullAWSAccess SCP as its only policy (2.1.2: dev, a member
  account, has no guardrail of the organization's own, planted), and the two organization-wide settings of CIS 2.1: IAM's organizations features without
  RootCredentialsManagement (2.1.1) and an empty delegated administrator list (2.1.6), both planted;
- the four network ACLs are the VPCs' default ACLs, which allow all inbound traffic from 0.0.0.0/0 (6.2):
  planted (the sample's reachability relies on them as they are).

The certificates are Ed25519 (deterministic signatures) from fixed keys, so the output stays reproducible.
"""

import datetime as dt
import glob
import gzip
import hashlib
import json
import os

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519
from cryptography.x509.oid import NameOID

from orglib import NOW, ago, hexid, iso, upper_id, write_json


def cert_pem(name, not_after):
    seed = hashlib.sha256(("vigil-sample-cert/" + name).encode()).digest()
    key = ed25519.Ed25519PrivateKey.from_private_bytes(seed)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject)
            .public_key(key.public_key()).serial_number(int.from_bytes(seed[:8], "big"))
            .not_valid_before(not_after - dt.timedelta(days=397)).not_valid_after(not_after)
            .sign(key, None))
    return cert.public_bytes(serialization.Encoding.PEM).decode()


def snapshot_path(root, acct, region, must=True):
    pattern = os.path.join(root, acct, "AWSLogs", acct, "Config", region, "*", "*", "*", "ConfigSnapshot",
                           "*_ConfigSnapshot_*.json*")
    files = glob.glob(pattern)
    if not files and not must:
        return None
    if len(files) != 1:
        raise SystemExit("want one %s snapshot for %s, found %s" % (region, acct, files))
    return files[0]


def add_items(root, acct, region, items):
    """Adds items to the account's snapshot of region (replacing ones of the same type and id)."""
    path = snapshot_path(root, acct, region)
    gz = path.endswith(".gz")
    with (gzip.open(path, "rt", encoding="utf-8") if gz else open(path, encoding="utf-8")) as f:
        doc = json.load(f)
    mine = {(it["resourceType"], it["resourceId"]) for it in items}
    doc["configurationItems"] = [it for it in doc["configurationItems"]
                                 if (it["resourceType"], it["resourceId"]) not in mine] + items
    write_json(path, doc, indent=2, compress=gz)


def recorder(snap, region):
    return snap.ci("AWS::Config::ConfigurationRecorder", "default", "default", None, {
        "Name": "default",
        "RoleARN": "arn:aws:iam::%s:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig" % snap.acct,
        "RecordingGroup": {"AllSupported": True, "IncludeGlobalResourceTypes": region == "us-east-1",
                           "ResourceTypes": [], "RecordingStrategy": {"UseOnly": "ALL_SUPPORTED_RESOURCE_TYPES"}},
        "RecordingMode": {"RecordingFrequency": "CONTINUOUS", "RecordingModeOverrides": []}}, region=region)


def analyzer(snap, region):
    name = "nw-external-access"
    arn = "arn:aws:access-analyzer:%s:%s:analyzer/%s" % (region, snap.acct, name)
    return snap.ci("AWS::AccessAnalyzer::Analyzer", arn, name, arn,
                   {"AnalyzerName": name, "Arn": arn, "Type": "ACCOUNT", "ArchiveRules": [], "Tags": []}, region=region)


def hub(cli, acct, region):
    cli(acct, "securityhub-describe-hub.%s.json" % region, {
        "HubArn": "arn:aws:securityhub:%s:%s:hub/default" % (region, acct),
        "SubscribedAt": iso(ago(400)), "AutoEnableControls": True, "ControlFindingGenerator": "SECURITY_CONTROL"})


def macie(cli, acct, region, status):
    cli(acct, "macie2-get-macie-session.%s.json" % region, {
        "createdAt": iso(ago(200)), "findingPublishingFrequency": "FIFTEEN_MINUTES",
        "serviceRole": "arn:aws:iam::%s:role/aws-service-role/macie.amazonaws.com/AWSServiceRoleForAmazonMacie" % acct,
        "status": status, "updatedAt": iso(ago(30 if status == "PAUSED" else 200))})


def server_cert(snap, name, not_after):
    cid = upper_id("ASCA", 17, snap.acct, "server-certificate", name)
    arn = "arn:aws:iam::%s:server-certificate/%s" % (snap.acct, name)
    snap.ci("AWS::IAM::ServerCertificate", cid, name, arn, {
        "ServerCertificateName": name, "Path": "/", "Arn": arn, "CertificateBody": cert_pem(name, not_after),
        "Tags": []}, region="global")
    return arn


def efs(snap, name, kms, tg):
    fid = "fs-0" + hexid(16, "efs", snap.acct, name)
    arn = "arn:aws:elasticfilesystem:us-east-1:%s:file-system/%s" % (snap.acct, fid)
    cfg = {"FileSystemId": fid, "Arn": arn, "Encrypted": kms is not None, "PerformanceMode": "generalPurpose",
           "ThroughputMode": "elastic", "BackupPolicy": {"Status": "ENABLED"},
           "FileSystemTags": [{"Key": k, "Value": v} for k, v in sorted(dict(tg, Name=name).items())]}
    if kms:
        cfg["KmsKeyId"] = kms
    snap.ci("AWS::EFS::FileSystem", fid, name, arn, cfg, tags=dict(tg, Name=name))
    return arn


def build(v2, prod, dev):
    """Adds the us-east-1 and global items to the prod and dev snapshots (merged into the us-east-1
    snapshot by v2.merge) and plans the other regions' items; returns a function writing those."""
    P, D = v2.PROD, v2.DEV
    later = []
    for snap, regions in ((prod, ["us-east-1", "eu-west-1", "eu-central-1"]), (dev, ["us-east-1"])):
        for region in regions:
            if region == "us-east-1":
                recorder(snap, region)
                analyzer(snap, region)
            else:
                other = v2.Snap(snap.acct, region)
                recorder(other, region)
                analyzer(other, region)
                later.append((snap.acct, region, other.items))
            hub(v2.cli, snap.acct, region)
            # Macie where the buckets are: on in prod's three regions, paused in dev's us-east-1
            macie(v2.cli, snap.acct, region, "ENABLED" if snap is prod else "PAUSED")
    acct = lambda a: "aws-account/" + a  # noqa: E731
    v2.clean("account", acct(P), "CIS 2.6, 2.15, 2.17, 2.18, 4.3, 5.1-5.16: support role nw-prod-support, one valid server "
             "certificate, Access Analyzer, AWS Config, Security Hub and Macie in us-east-1, eu-west-1 and eu-central-1 (CIS 3.1.3: every region "
             "holding its S3 buckets)", planted=["aws-org-management-account-workloads"])
    why = "us-west-2 holds resources (batch-get-resource-config input) but has no %s"
    v2.plant("aws-config-not-all-regions", acct(D), why % "configuration recorder")
    v2.plant("aws-access-analyzer-not-all-regions", acct(D), why % "Access Analyzer analyzer")
    v2.plant("aws-security-hub-not-all-regions", acct(D), why % "Security Hub hub")
    v2.plant("aws-macie-not-all-bucket-regions", acct(D), "Macie is paused in us-east-1, which holds the account's S3 buckets")

    v2.iam_role(prod, "nw-prod-support", None, ["arn:aws:iam::aws:policy/AWSSupportAccess"], v2.CLEAN_TAG,
                trust_doc={"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                           "Principal": {"AWS": "arn:aws:iam::%s:root" % P}}]})
    v2.plant("aws-support-role-missing", acct(D), "no role has AWSSupportAccess attached")

    server_cert(prod, "nw-prod-legacy-elb-2027", NOW + dt.timedelta(days=310))
    server_cert(dev, "nw-dev-legacy-elb-2026", ago(40))
    v2.plant("aws-iam-expired-server-certificate", acct(D), "server certificate nw-dev-legacy-elb-2026 expired "
             "40 days before the capture")

    base = {"Environment": "prod", "Owner": "platform"}
    arn = efs(prod, "nw-prod-shared", v2.key_arn(P, "us-east-1", "alias/nw-prod-ebs"), dict(base, **v2.CLEAN_TAG))
    v2.clean("disk", arn, "CIS 3.3.1: EFS nw-prod-shared encrypted with the prod CMK")
    arn = efs(dev, "nw-dev-scratch", None, {"Environment": "dev", "Owner": "data-eng", "sample": "planted"})
    v2.plant("aws-efs-unencrypted", arn, "EFS nw-dev-scratch: Encrypted false")

    plant_nacls(v2)
    peering_routes(v2, dev)
    vpc_endpoints(v2, dev)
    metric_alarms(v2, P, D)
    virtual_mfa(v2, P, D)
    saml_providers(v2, P, D)

    org_arn = "arn:aws:organizations::%s:organization/o-nw7k2m9q4x" % P
    write_org = lambda root: write_json(os.path.join(root, "organizations.json"), {  # noqa: E731
        "Organization": {"Id": "o-nw7k2m9q4x", "Arn": org_arn, "FeatureSet": "ALL", "MasterAccountId": P,
                         "MasterAccountArn": "arn:aws:organizations::%s:account/o-nw7k2m9q4x/%s" % (P, P),
                         "MasterAccountEmail": "aws-root@northwind-analytics.com",
                         "AvailablePolicyTypes": [{"Type": "SERVICE_CONTROL_POLICY", "Status": "ENABLED"}]},
        # aws organizations list-roots, list-accounts, list-policies --filter SERVICE_CONTROL_POLICY with
        # describe-policy and list-targets-for-policy: one root, no OU, the AWS-managed FullAWSAccess only
        "Roots": [{"Id": "r-nw7k", "Arn": "arn:aws:organizations::%s:root/o-nw7k2m9q4x/r-nw7k" % P, "Name": "Root",
                   "PolicyTypes": [{"Type": "SERVICE_CONTROL_POLICY", "Status": "ENABLED"}]}],
        "Accounts": [{"Id": a, "Arn": "arn:aws:organizations::%s:account/o-nw7k2m9q4x/%s" % (P, a), "Email": email,
                      "Name": name, "Status": "ACTIVE", "State": "ACTIVE", "JoinedMethod": joined,
                      "JoinedTimestamp": "2023-02-14T09:30:00.000000+00:00", "ParentId": "r-nw7k"}
                     for a, email, name, joined in ((P, "aws-root@northwind-analytics.com", "nw-prod", "CREATED"),
                                                    (D, "aws-dev@northwind-analytics.com", "nw-dev", "CREATED"))],
        "Policies": [{"PolicySummary": {
            "Id": "p-FullAWSAccess", "Arn": "arn:aws:organizations::aws:policy/service_control_policy/p-FullAWSAccess",
            "Name": "FullAWSAccess", "Description": "Allows access to every operation", "Type": "SERVICE_CONTROL_POLICY",
            "AwsManaged": True},
            "Content": json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}),
            "Targets": [{"TargetId": t, "Arn": arn, "Name": name, "Type": typ} for t, arn, name, typ in (
                ("r-nw7k", "arn:aws:organizations::%s:root/o-nw7k2m9q4x/r-nw7k" % P, "Root", "ROOT"),
                (P, "arn:aws:organizations::%s:account/o-nw7k2m9q4x/%s" % (P, P), "nw-prod", "ACCOUNT"),
                (D, "arn:aws:organizations::%s:account/o-nw7k2m9q4x/%s" % (P, D), "nw-dev", "ACCOUNT"))]}],
        # aws iam list-organizations-features
        "OrganizationsFeatures": {"OrganizationId": "o-nw7k2m9q4x", "EnabledFeatures": ["RootSessions"]},
        # aws organizations list-delegated-administrators
        "DelegatedAdministrators": {"DelegatedAdministrators": []},
        # aws organizations describe-resource-policy: ResourcePolicyNotFoundException (none)
        "ResourcePolicy": None})
    v2.plant("aws-org-root-credentials-not-centralized", org_arn, "list-organizations-features: EnabledFeatures "
             "[RootSessions], no RootCredentialsManagement")
    v2.plant("aws-org-no-delegated-administrator", org_arn, "list-delegated-administrators: no account (GuardDuty, "
             "Security Hub and Config are administered from the management account)")
    v2.plant("aws-org-management-account-workloads", acct(P), "prod is the organization's management account and "
             "runs the whole production estate (instances, functions, databases, buckets)")
    v2.plant("aws-org-account-no-guardrails", acct(D), "nw-dev is a member account under the root with the AWS-managed "
             "FullAWSAccess SCP only (prod, the management account, is not judged)")
    v2.plant("aws-org-policies-not-delegated", org_arn, "describe-resource-policy: no resource policy, so only the "
             "management account manages the SCPs")

    def finish(root):
        write_org(root)
        del PENDING[:]
        for a, region, items in later:
            if snapshot_path(root, a, region, must=False):
                add_items(root, a, region, items)
            else:  # a snapshot the overlay writes (eu-central-1): after_overlay
                PENDING.append((a, region, items))
    return finish


# CIS AWS 7.0 5.1-5.15: the changes to watch, with the benchmark's metric filter patterns.
METRIC_CHANGES = [
    ("unauthorized-api-calls", "UnauthorizedAPICalls", '{($.errorCode = "*UnauthorizedOperation") || '
     '($.errorCode = "AccessDenied*") && ($.sourceIPAddress != "delivery.logs.amazonaws.com") && '
     '($.eventName != "HeadBucket")}'),
    ("console-sign-in-without-mfa", "ConsoleSignInWithoutMFA", '{($.eventName = "ConsoleLogin") && '
     '($.additionalEventData.MFAUsed != "Yes") && ($.userIdentity.type = "IAMUser") && '
     '($.responseElements.ConsoleLogin = "Success")}'),
    ("root-usage", "RootAccountUsage", '{$.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && '
     '$.eventType != "AwsServiceEvent"}'),
    ("iam-policy-changes", "IAMPolicyChanges", None, "iam.amazonaws.com", [
        "DeleteGroupPolicy", "DeleteRolePolicy", "DeleteUserPolicy", "PutGroupPolicy", "PutRolePolicy", "PutUserPolicy",
        "CreatePolicy", "DeletePolicy", "CreatePolicyVersion", "DeletePolicyVersion", "AttachRolePolicy",
        "DetachRolePolicy", "AttachUserPolicy", "DetachUserPolicy", "AttachGroupPolicy", "DetachGroupPolicy"]),
    ("cloudtrail-changes", "CloudTrailChanges", None, None, [
        "CreateTrail", "UpdateTrail", "DeleteTrail", "StartLogging", "StopLogging"]),
    ("console-auth-failures", "ConsoleAuthFailures", '{($.eventName = ConsoleLogin) && '
     '($.errorMessage = "Failed authentication")}'),
    ("cmk-disable-or-deletion", "CMKDisableOrDeletion", None, "kms.amazonaws.com", ["DisableKey", "ScheduleKeyDeletion"]),
    ("s3-bucket-policy-changes", "S3BucketPolicyChanges", None, "s3.amazonaws.com", [
        "PutBucketAcl", "PutBucketPolicy", "PutBucketCors", "PutBucketLifecycle", "PutBucketReplication",
        "DeleteBucketPolicy", "DeleteBucketCors", "DeleteBucketLifecycle", "DeleteBucketReplication"]),
    ("config-changes", "ConfigChanges", None, "config.amazonaws.com", [
        "StopConfigurationRecorder", "DeleteDeliveryChannel", "PutDeliveryChannel", "PutConfigurationRecorder"]),
    ("security-group-changes", "SecurityGroupChanges", None, None, [
        "AuthorizeSecurityGroupIngress", "AuthorizeSecurityGroupEgress", "RevokeSecurityGroupIngress",
        "RevokeSecurityGroupEgress", "CreateSecurityGroup", "DeleteSecurityGroup"]),
    ("nacl-changes", "NACLChanges", None, None, [
        "CreateNetworkAcl", "CreateNetworkAclEntry", "DeleteNetworkAcl", "DeleteNetworkAclEntry",
        "ReplaceNetworkAclEntry", "ReplaceNetworkAclAssociation"]),
    ("network-gateway-changes", "NetworkGatewayChanges", None, None, [
        "CreateCustomerGateway", "DeleteCustomerGateway", "AttachInternetGateway", "CreateInternetGateway",
        "DeleteInternetGateway", "DetachInternetGateway"]),
    ("route-table-changes", "RouteTableChanges", None, "ec2.amazonaws.com", [
        "CreateRoute", "CreateRouteTable", "ReplaceRoute", "ReplaceRouteTableAssociation", "DeleteRouteTable",
        "DeleteRoute", "DisassociateRouteTable"]),
    ("vpc-changes", "VPCChanges", None, None, [
        "CreateVpc", "DeleteVpc", "ModifyVpcAttribute", "AcceptVpcPeeringConnection", "CreateVpcPeeringConnection",
        "DeleteVpcPeeringConnection", "RejectVpcPeeringConnection", "AttachClassicLinkVpc", "DetachClassicLinkVpc",
        "DisableVpcClassicLink", "EnableVpcClassicLink"]),
    ("organizations-changes", "OrganizationsChanges", None, "organizations.amazonaws.com", [
        "AcceptHandshake", "AttachPolicy", "CreateAccount", "CreateOrganizationalUnit", "CreatePolicy",
        "DeclineHandshake", "DeleteOrganization", "DeleteOrganizationalUnit", "DeletePolicy", "DetachPolicy",
        "DisablePolicyType", "EnablePolicyType", "InviteAccountToOrganization", "LeaveOrganization", "MoveAccount",
        "RemoveAccountFromOrganization", "UpdatePolicy", "UpdateOrganizationalUnit"]),
]


def metric_pattern(change):
    if change[2]:
        return change[2]
    source, events = change[3], change[4]
    names = " || ".join("($.eventName = %s)" % e for e in events)
    if source:
        return "{($.eventSource = %s) && (%s)}" % (source, names)
    return "{%s}" % names


def metric_alarms(v2, P, D):
    """CIS 5.1-5.15: prod's organization trail sends to CloudWatch Logs (aws-cloudtrail-logs-nw-org-trail),
    with a metric filter per change and an alarm notifying nw-security-alerts (`aws logs describe-metric-filters`
    and `aws cloudwatch describe-alarms` outputs of us-east-1); dev's only trail is single-region and sends
    nothing to CloudWatch Logs."""
    group, topic = "aws-cloudtrail-logs-nw-org-trail", "arn:aws:sns:us-east-1:%s:nw-security-alerts" % P
    filters, alarms = [], []
    for i, c in enumerate(METRIC_CHANGES):
        name = "CIS-" + c[1]
        filters.append({"filterName": name, "filterPattern": metric_pattern(c), "metricTransformations": [
            {"metricName": name, "metricNamespace": "CISBenchmark", "metricValue": "1"}],
            "creationTime": int(ago(300 - i).timestamp() * 1000), "logGroupName": group})
        alarms.append({"AlarmName": name + "-alarm", "AlarmArn": "arn:aws:cloudwatch:us-east-1:%s:alarm:%s-alarm"
                       % (P, name), "ActionsEnabled": True, "OKActions": [], "AlarmActions": [topic],
                       "InsufficientDataActions": [], "StateValue": "OK", "MetricName": name,
                       "Namespace": "CISBenchmark", "Statistic": "Sum", "Dimensions": [], "Period": 300,
                       "EvaluationPeriods": 1, "Threshold": 1.0,
                       "ComparisonOperator": "GreaterThanOrEqualToThreshold", "TreatMissingData": "notBreaching"})
        v2.plant("aws-log-alarm-%s-missing" % c[0], "aws-account/" + D, "the only trail, nw-dev-trail, is "
                 "single-region and sends nothing to CloudWatch Logs: no metric filter can watch CIS 5.%d" % (i + 1))
    v2.cli(P, "logs-describe-metric-filters.us-east-1.json", {"metricFilters": filters})
    v2.cli(P, "cloudwatch-describe-alarms.us-east-1.json", {"MetricAlarms": alarms, "CompositeAlarms": []})


def virtual_mfa(v2, P, D):
    """CIS 2.6: prod's root user has a hardware MFA device (`aws iam list-virtual-mfa-devices` lists only the
    users' virtual devices); dev's root user has no MFA at all."""
    devices = [{"SerialNumber": "arn:aws:iam::%s:mfa/%s" % (P, u),
                "User": {"Path": "/", "UserName": u, "UserId": upper_id("AIDA", 17, P, "user", u),
                         "Arn": "arn:aws:iam::%s:user/%s" % (P, u), "CreateDate": iso(ago(900))},
                "EnableDate": iso(ago(880))} for u in ("alice.nguyen",)]
    v2.cli(P, "iam-list-virtual-mfa-devices.json", {"VirtualMFADevices": devices, "IsTruncated": False})
    v2.plant("aws-root-hardware-mfa-missing", "aws-account/" + D, "the credential report's <root_account> "
             "has mfa_active false: no MFA device at all")


def saml_providers(v2, P, D):
    """CIS 2.19: prod is assigned in IAM Identity Center (`aws iam list-saml-providers` lists its
    AWSSSO_..._DO_NOT_DELETE provider); dev's people sign in as IAM users: no SAML provider."""
    v2.cli(P, "iam-list-saml-providers.json", {"SAMLProviderList": [{
        "Arn": "arn:aws:iam::%s:saml-provider/AWSSSO_5d0c9e8f7a6b4c3d_DO_NOT_DELETE" % P,
        "ValidUntil": iso(ago(-36500)), "CreateDate": iso(ago(700))}]})
    v2.cli(D, "iam-list-saml-providers.json", {"SAMLProviderList": []})
    v2.plant("aws-iam-no-identity-federation", "aws-account/" + D, "iam-list-saml-providers.json lists no "
             "SAML provider: the account's users are IAM users")


# Items for the snapshots org_overlay.apply writes, added by gen_org.py after it.
PENDING = []


def after_overlay(org):
    for a, region, items in PENDING:
        add_items(os.path.join(org, "aws"), a, region, items)
    del PENDING[:]


# The VPCs' default network ACLs (examples/tools/org_overlay.json, the reachability scenario), each
# associated with subnets: rule 100 allows all inbound traffic from 0.0.0.0/0.
DEFAULT_NACLS = [
    "arn:aws:ec2:us-east-1:111122223333:network-acl/acl-03eeac47a9fd0f90d",
    "arn:aws:ec2:us-east-1:111122223333:network-acl/acl-02899103feab89ca7",
    "arn:aws:ec2:us-east-1:444455556666:network-acl/acl-005ce07c353a61118",
    "arn:aws:ec2:us-east-1:444455556666:network-acl/acl-039fbd434337abbdf",
]


def peering_routes(v2, dev):
    """CIS 6.6: route tables of two peered dev VPCs, one routing the whole peer VPC to the peering."""
    region = "us-east-1"
    vpc_id = lambda name: "vpc-0" + hexid(16, "vpc", dev.acct, region, name)  # noqa: E731 (as org_aws.vpc)
    v_def, v_dev = vpc_id(None), vpc_id("nw-dev-vpc")
    pcx = "pcx-0" + hexid(16, "pcx", dev.acct, v_def, v_dev)

    def side(vid, cidr):
        return {"cidrBlock": cidr, "cidrBlockSet": [{"cidrBlock": cidr}], "ipv6CidrBlockSet": [],
                "ownerId": dev.acct, "peeringOptions": {"allowDnsResolutionFromRemoteVpc": False,
                                                        "allowEgressFromLocalClassicLinkToRemoteVpc": False,
                                                        "allowEgressFromLocalVpcToRemoteClassicLink": False},
                "vpcId": vid, "region": region}
    cfg = {"accepterVpcInfo": side(v_dev, "10.50.0.0/16"), "expirationTime": None,
           "requesterVpcInfo": side(v_def, "172.31.0.0/16"),
           "status": {"code": "active", "message": "Active"}, "tags": [], "vpcPeeringConnectionId": pcx}
    dev.ci("AWS::EC2::VPCPeeringConnection", pcx, None, "arn:aws:ec2:%s:%s:vpc-peering-connection/%s" % (
        region, dev.acct, pcx), cfg, {}, {}, [("AWS::EC2::VPC", v_def), ("AWS::EC2::VPC", v_dev)], created=ago(200))

    def table(name, vid, local, peer_dst):
        rid = "rtb-0" + hexid(16, "rtb", dev.acct, vid, name)
        routes = [{"destinationCidrBlock": local, "gatewayId": "local", "origin": "CreateRouteTable",
                   "state": "active"},
                  {"destinationCidrBlock": peer_dst, "vpcPeeringConnectionId": pcx, "origin": "CreateRoute",
                   "state": "active"}]
        cfg = {"associations": [], "propagatingVgws": [], "routeTableId": rid, "routes": routes,
               "tags": [{"key": "Name", "value": name}], "vpcId": vid, "ownerId": dev.acct}
        dev.ci("AWS::EC2::RouteTable", rid, name, "arn:aws:ec2:%s:%s:route-table/%s" % (region, dev.acct, rid), cfg,
               {}, {"Name": name}, [("AWS::EC2::VPC", vid)], created=ago(200))
    table("nw-dev-default-to-app", v_def, "172.31.0.0/16", "10.50.0.0/16")
    table("nw-dev-app-to-default", v_dev, "10.50.0.0/16", "172.31.16.0/20")
    v2.plant("aws-vpc-peering-routes-not-least-access", "arn:aws:ec2:%s:%s:vpc/%s" % (region, dev.acct, v_def),
             "route table nw-dev-default-to-app sends nw-dev-vpc's whole 10.50.0.0/16 to peering " + pcx)


def vpc_endpoints(v2, dev):
    """CIS 6.8: nw-dev-vpc reaches S3 through a gateway endpoint; dev's default VPC, in the same region, has none."""
    region = "us-east-1"
    vpc_id = lambda name: "vpc-0" + hexid(16, "vpc", dev.acct, region, name)  # noqa: E731 (as org_aws.vpc)
    v_def, v_dev = vpc_id(None), vpc_id("nw-dev-vpc")
    rid = "vpce-0" + hexid(16, "vpce", dev.acct, v_dev, "s3")
    cfg = {"vpcEndpointId": rid, "vpcEndpointType": "Gateway", "vpcId": v_dev,
           "serviceName": "com.amazonaws.%s.s3" % region, "state": "available",
           "policyDocument": json.dumps({"Version": "2008-10-17", "Statement": [
               {"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}]}),
           "routeTableIds": ["rtb-0" + hexid(16, "rtb", dev.acct, v_dev, "nw-dev-app-to-default")], "subnetIds": [],
           "groups": [], "privateDnsEnabled": False, "requesterManaged": False, "networkInterfaceIds": [],
           "dnsEntries": [], "creationTimestamp": iso(ago(190)), "tags": [], "ownerId": dev.acct}
    dev.ci("AWS::EC2::VPCEndpoint", rid, None, "arn:aws:ec2:%s:%s:vpc-endpoint/%s" % (region, dev.acct, rid), cfg,
           {}, {}, [("AWS::EC2::VPC", v_dev)], created=ago(190))
    v2.plant("aws-vpc-no-endpoints", "arn:aws:ec2:%s:%s:vpc/%s" % (region, dev.acct, v_def),
             "no VPC endpoint in the default VPC (nw-dev-vpc, in the same region, has an S3 gateway endpoint)")
    v2.clean("network", "arn:aws:ec2:%s:%s:vpc/%s" % (region, dev.acct, v_dev), "CIS 6.8: S3 gateway endpoint " + rid)
    # the CLI listings (aws ec2 describe-vpc-endpoints, as vigil collect writes them): prod's us-east-1 VPCs reach
    # S3 and Secrets Manager through endpoints; dev's Oregon region has none at all (an empty listing)
    P, D = v2.PROD, v2.DEV
    p_vpc = lambda name: "vpc-0" + hexid(16, "vpc", P, region, name)  # noqa: E731 (as org_aws.vpc)
    eps = []
    for name, kind, svc in (("nw-prod-vpc", "Gateway", "s3"), ("nw-prod-data-vpc", "Interface", "secretsmanager")):
        vid = p_vpc(name)
        eid = "vpce-0" + hexid(16, "vpce", P, vid, svc)
        eps.append({"VpcEndpointId": eid, "VpcEndpointType": kind, "VpcId": vid,
                    "ServiceName": "com.amazonaws.%s.%s" % (region, svc), "State": "available",
                    "RouteTableIds": [], "SubnetIds": [], "Groups": [], "PrivateDnsEnabled": kind == "Interface",
                    "RequesterManaged": False, "NetworkInterfaceIds": [], "DnsEntries": [],
                    "CreationTimestamp": iso(ago(300)), "Tags": [], "OwnerId": P})
        v2.clean("network", "arn:aws:ec2:%s:%s:vpc/%s" % (region, P, vid),
                 "CIS 6.8: %s endpoint %s in ec2-describe-vpc-endpoints.us-east-1.json" % (svc, eid))
    v2.cli(P, "ec2-describe-vpc-endpoints.us-east-1.json", {"VpcEndpoints": eps})
    v2.cli(D, "ec2-describe-vpc-endpoints.us-west-2.json", {"VpcEndpoints": []})
    oregon = "vpc-0" + hexid(16, "vpc", D, "us-west-2", "nw-dev-oregon")
    v2.plant("aws-vpc-no-endpoints", "arn:aws:ec2:us-west-2:%s:vpc/%s" % (D, oregon),
             "ec2-describe-vpc-endpoints.us-west-2.json lists no VPC endpoint in the region")


def plant_nacls(v2):
    """CIS 6.2: the default network ACLs allow TCP 22 and 3389 from 0.0.0.0/0."""
    for arn in DEFAULT_NACLS:
        v2.plant("aws-nacl-admin-ports-open-to-internet", arn,
                 "default network ACL: rule 100 allows all traffic from 0.0.0.0/0, so TCP 22 and 3389")
