#!/usr/bin/env python3
"""AWS resources of the classes added by issue 6 (EBS volumes and snapshots,
AMIs, IAM managed policies and groups, Lambda, EKS, load balancers and
listeners, SQS, SNS, Secrets Manager, ECR, Route 53 zones and their record
sets, CloudFront, API Gateway stages, flow logs, account-level S3 Block
Public Access), added to the AWS Config snapshots of the sample accounts and
as the CLI outputs that carry what AWS Config does not record; writes
examples/org/expected-aws.json.

gen_org.py calls main() right after it writes examples/org/aws (which it
deletes first); it also runs on its own, on the files gen_org.py wrote:

    python3 examples/tools/org_aws_v2.py

Idempotent (items it owns are replaced, not duplicated) and deterministic.
It uses the helpers of examples/tools/org_aws.py so the items have exactly
the shape of the others.

Planted resources carry the tag sample=planted, clean ones sample=clean
(IAM groups cannot be tagged: their names say it).
"""

import glob
import json
import os
import sys

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)

import org_aws as aws  # noqa: E402
import org_aws_cis as aws_cis  # noqa: E402
from orglib import ago, hexid, iso, upper_id, uid, write_json  # noqa: E402

PROD, DEV = aws.PROD, aws.DEV
ORG = os.path.join(REPO, "examples", "org")
ROOT = os.path.join(ORG, "aws")  # set by main()
PLANTED_TAG = {"sample": "planted"}
CLEAN_TAG = {"sample": "clean"}
CLEAN = []    # {"resource_id","provider","class","note"}
PLANTED = []  # {"rule_id","resource_id","provider","why"}
PENDING = []  # planted on facts no rule reads yet: {"resource_id","class","bad"}
CLI = {}      # path -> document


def clean(cls, id_, note, planted=()):
    """Documents a clean resource: no rule fails on it, except the rules of planted, each of which must also be
    planted on it (a per-rule mark: the account that is clean for every account rule but one)."""
    c = {"resource_id": id_, "provider": "aws", "class": cls, "note": note}
    if planted:
        c["planted_rules"] = sorted(planted)
    CLEAN.append(c)


def plant(rule, id_, why):
    PLANTED.append({"rule_id": rule, "resource_id": id_, "provider": "aws", "why": why})


def pending(cls, id_, bad):
    PENDING.append({"resource_id": id_, "class": cls, "bad": bad})


def tags(base, extra):
    t = dict(base)
    t.update(extra)
    return t


def cli(acct, name, doc):
    CLI[os.path.join(ROOT, acct, "cli", name)] = doc


def key_arn(acct, region, alias):
    return "arn:aws:kms:%s:%s:key/%s" % (region, acct, uid("kms", acct, region, alias))


def enc(doc):
    return json.dumps(doc, separators=(",", ":"))


# ------------------------------------------------------------------ builders

def iam_policy(snap, name, doc, desc, attached_to, tg):
    pid = upper_id("ANPA", 17, snap.acct, "policy", name)
    arn = "arn:aws:iam::%s:policy/%s" % (snap.acct, name)
    cfg = {"policyName": name, "policyId": pid, "arn": arn, "path": "/", "defaultVersionId": "v1",
           "attachmentCount": len(attached_to), "permissionsBoundaryUsageCount": 0, "isAttachable": True,
           "description": desc, "createDate": iso(ago(200)), "updateDate": iso(ago(200)),
           "policyVersionList": [{"document": aws.urlenc(doc), "versionId": "v1", "isDefaultVersion": True,
                                  "createDate": iso(ago(200))}]}
    rels = [(t[0], t[1], t[2], "Is attached to " + t[0].split("::")[-1]) for t in attached_to]
    snap.ci("AWS::IAM::Policy", pid, name, arn, cfg, {}, tg, rels, region="global", created=ago(200))
    return arn


def iam_role(snap, name, service, managed, tg, trust_doc=None):
    rid = upper_id("AROA", 17, snap.acct, "role", name)
    arn = "arn:aws:iam::%s:role/%s" % (snap.acct, name)
    trust = trust_doc or aws.trust(service)
    cfg = {"path": "/", "roleName": name, "roleId": rid, "arn": arn, "createDate": iso(ago(150)),
           "assumeRolePolicyDocument": aws.urlenc(trust), "instanceProfileList": [], "rolePolicyList": [],
           "attachedManagedPolicies": [{"policyName": a.split("/")[-1], "policyArn": a} for a in managed],
           "permissionsBoundary": None, "tags": aws.tagset(tg),
           "roleLastUsed": {"lastUsedDate": iso(ago(1)), "region": "us-east-1"}}
    rels = [("AWS::IAM::Policy", upper_id("ANPA", 17, snap.acct, "policy", a.split("/")[-1]), a.split("/")[-1],
             "Is attached to CustomerManagedPolicy") for a in managed if ":aws:policy/" not in a]
    snap.ci("AWS::IAM::Role", rid, name, arn, cfg, {}, tg, rels, region="global", created=ago(150))
    return arn, rid


def iam_group(snap, name, managed, inline):
    gid = upper_id("AGPA", 17, snap.acct, "group", name)
    arn = "arn:aws:iam::%s:group/%s" % (snap.acct, name)
    cfg = {"path": "/", "groupName": name, "groupId": gid, "arn": arn, "createDate": iso(ago(90)),
           "groupPolicyList": [{"policyName": k, "policyDocument": aws.urlenc(v)} for k, v in inline.items()],
           "attachedManagedPolicies": [{"policyName": a.split("/")[-1], "policyArn": a} for a in managed]}
    snap.ci("AWS::IAM::Group", gid, name, arn, cfg, {}, {}, [], region="global", created=ago(90))
    return arn


def ebs_volume(snap, name, az, encrypted, kms, instance, tg, size=100):
    vol = "vol-0" + hexid(16, "vol", snap.acct, name)
    cfg = {"attachments": [], "availabilityZone": az, "createTime": iso(ago(400)), "encrypted": encrypted,
           "kmsKeyId": kms if encrypted else None, "outpostArn": None, "size": size, "snapshotId": "",
           "state": "in-use" if instance else "available", "volumeId": vol, "iops": 3000,
           "tags": aws.tagset(tags({"Name": name}, tg)), "volumeType": "gp3", "fastRestored": None,
           "multiAttachEnabled": False, "throughput": 125}
    if instance:
        cfg["attachments"] = [{"attachTime": iso(ago(400)), "device": "/dev/sdf", "instanceId": instance,
                               "state": "attached", "volumeId": vol, "deleteOnTermination": False}]
    arn = "arn:aws:ec2:%s:%s:volume/%s" % (snap.region, snap.acct, vol)
    rels = [("AWS::EC2::Instance", instance, None, "Is attached to Instance")] if instance else []
    snap.ci("AWS::EC2::Volume", vol, name, arn, cfg, {}, tags({"Name": name}, tg), rels, az=az, created=ago(400))
    return vol, arn


def lambda_fn(snap, name, runtime, role, env, subnets, sgs, tracing, tg):
    arn = "arn:aws:lambda:%s:%s:function:%s" % (snap.region, snap.acct, name)
    cfg = {"functionName": name, "functionArn": arn, "runtime": runtime, "role": role,
           "handler": "app.handler", "codeSize": 48211, "description": "", "timeout": 60, "memorySize": 512,
           "lastModified": iso(ago(30)).replace("Z", "+0000"), "codeSha256": hexid(43, "code", name),
           "version": "$LATEST", "tracingConfig": {"mode": tracing},
           "revisionId": uid("rev", name), "layers": [], "state": "Active", "lastUpdateStatus": "Successful",
           "packageType": "Zip", "architectures": ["arm64"], "ephemeralStorage": {"size": 512},
           "snapStart": {"applyOn": "None", "optimizationStatus": "Off"},
           "loggingConfig": {"logFormat": "Text", "logGroup": "/aws/lambda/" + name},
           "vpcConfig": {"subnetIds": subnets, "securityGroupIds": sgs, "vpcId": ""}}
    if env:
        cfg["environment"] = {"variables": env, "error": None}
    supp = {"Tags": tg}
    snap.ci("AWS::Lambda::Function", name, name, arn, cfg, supp, tg,
            [("AWS::IAM::Role", role.split("/")[-1], role.split("/")[-1], "Is associated with Role")],
            created=ago(300))
    return arn


def lambda_policy(acct, region, name, fn_arn, stmt):
    stmt = dict(stmt)
    stmt["Resource"] = fn_arn
    cli(acct, "lambda-get-policy/%s.%s.json" % (name, region), {
        "Policy": enc({"Version": "2012-10-17", "Id": "default", "Statement": [stmt]}),
        "RevisionId": uid("rev", name)})


def eks(snap, name, version, public, cidrs, log_types, kms, subnets, sgs, tg):
    arn = "arn:aws:eks:%s:%s:cluster/%s" % (snap.region, snap.acct, name)
    cfg = {"Name": name, "Arn": arn, "Version": version,
           "RoleArn": "arn:aws:iam::%s:role/%s-cluster" % (snap.acct, name),
           "Endpoint": "https://%s.gr7.%s.eks.amazonaws.com" % (hexid(32, "eks", name).upper(), snap.region),
           "ResourcesVpcConfig": {"SubnetIds": subnets, "SecurityGroupIds": sgs, "EndpointPublicAccess": public,
                                  "EndpointPrivateAccess": not public or True, "PublicAccessCidrs": cidrs},
           "KubernetesNetworkConfig": {"ServiceIpv4Cidr": "172.20.0.0/16", "IpFamily": "ipv4"},
           "Logging": {"ClusterLogging": {"EnabledTypes": [{"Type": t} for t in log_types]}},
           "ClusterStatus": "ACTIVE", "CertificateAuthorityData": hexid(64, "ca", name),
           "OpenIdConnectIssuerUrl": "https://oidc.eks.%s.amazonaws.com/id/%s" % (snap.region, hexid(32, "oidc", name).upper())}
    if kms:
        cfg["EncryptionConfig"] = [{"Resources": ["secrets"], "Provider": {"KeyArn": kms}}]
    snap.ci("AWS::EKS::Cluster", name, name, arn, cfg, {}, tg, [], created=ago(250))
    return arn


def alb(snap, name, scheme, vpc, subnets, tg):
    hx = hexid(16, "alb", snap.acct, name)
    arn = "arn:aws:elasticloadbalancing:%s:%s:loadbalancer/app/%s/%s" % (snap.region, snap.acct, name, hx)
    cfg = {"loadBalancerArn": arn, "dNSName": "%s-%s.%s.elb.amazonaws.com" % (name, hexid(10, name), snap.region),
           "canonicalHostedZoneId": "Z35SXDOTRQ7X7K", "createdTime": iso(ago(300)), "loadBalancerName": name,
           "scheme": scheme, "vpcId": vpc, "state": {"code": "active"}, "type": "application",
           "availabilityZones": [{"zoneName": "us-east-1" + "ab"[i], "subnetId": s, "loadBalancerAddresses": []}
                                 for i, s in enumerate(subnets)],
           "securityGroups": [], "ipAddressType": "ipv4"}
    snap.ci("AWS::ElasticLoadBalancingV2::LoadBalancer", arn, name, arn, cfg, {}, tg,
            [("AWS::EC2::VPC", vpc)], created=ago(300))
    return arn, hx


def listener(snap, lb_arn, lb_name, lb_hx, port, proto, policy, actions):
    lid = hexid(16, "lsn", lb_arn, port)
    arn = "arn:aws:elasticloadbalancing:%s:%s:listener/app/%s/%s/%s" % (snap.region, snap.acct, lb_name, lb_hx, lid)
    cfg = {"ListenerArn": arn, "LoadBalancerArn": lb_arn, "Port": port, "Protocol": proto,
           "DefaultActions": actions}
    if policy:
        cfg["SslPolicy"] = policy
        cfg["Certificates"] = [{"CertificateArn": "arn:aws:acm:%s:%s:certificate/%s" % (
            snap.region, snap.acct, uid("cert", lb_name))}]
    snap.ci("AWS::ElasticLoadBalancingV2::Listener", arn, None, arn, cfg, {}, {},
            [("AWS::ElasticLoadBalancingV2::LoadBalancer", lb_arn, lb_name, "Is attached to LoadBalancer")],
            created=ago(300))
    return arn


def forward(tg_name, acct):
    tga = "arn:aws:elasticloadbalancing:us-east-1:%s:targetgroup/%s/%s" % (acct, tg_name, hexid(16, "tg", tg_name))
    return [{"Type": "forward", "TargetGroupArn": tga, "Order": 1,
             "ForwardConfig": {"TargetGroups": [{"TargetGroupArn": tga, "Weight": 1}],
                               "TargetGroupStickinessConfig": {"Enabled": False}}}]


REDIRECT = [{"Type": "redirect", "Order": 1, "RedirectConfig": {
    "Protocol": "HTTPS", "Port": "443", "Host": "#{host}", "Path": "/#{path}", "Query": "#{query}",
    "StatusCode": "HTTP_301"}}]


def queue(snap, name, kms, sqs_sse, policy, tg):
    arn = "arn:aws:sqs:%s:%s:%s" % (snap.region, snap.acct, name)
    url = "https://sqs.%s.amazonaws.com/%s/%s" % (snap.region, snap.acct, name)
    cfg = {"QueueUrl": url, "QueueArn": arn, "QueueName": name, "DelaySeconds": 0, "MaximumMessageSize": 262144,
           "MessageRetentionPeriod": 345600, "ReceiveMessageWaitTimeSeconds": 20, "VisibilityTimeout": 120,
           "CreatedTimestamp": str(1700000000), "LastModifiedTimestamp": str(1760000000),
           "SqsManagedSseEnabled": "true" if sqs_sse else "false"}
    attrs = {"QueueArn": arn, "ApproximateNumberOfMessages": "0", "ApproximateNumberOfMessagesNotVisible": "0",
             "ApproximateNumberOfMessagesDelayed": "0", "CreatedTimestamp": "1700000000",
             "LastModifiedTimestamp": "1760000000", "VisibilityTimeout": "120", "MaximumMessageSize": "262144",
             "MessageRetentionPeriod": "345600", "DelaySeconds": "0", "ReceiveMessageWaitTimeSeconds": "20",
             "SqsManagedSseEnabled": "true" if sqs_sse else "false"}
    if kms:
        cfg["KmsMasterKeyId"] = kms
        cfg["KmsDataKeyReusePeriodSeconds"] = 300
        attrs["KmsMasterKeyId"] = kms
        attrs["KmsDataKeyReusePeriodSeconds"] = "300"
    if policy:
        attrs["Policy"] = enc(policy)
    snap.ci("AWS::SQS::Queue", url, name, arn, cfg, {}, tg, [], created=ago(500))
    cli(snap.acct, "sqs-get-queue-attributes/%s.%s.json" % (name, snap.region), {"Attributes": attrs})
    return arn


def topic(snap, name, kms, policy, tg):
    arn = "arn:aws:sns:%s:%s:%s" % (snap.region, snap.acct, name)
    cfg = {"TopicArn": arn, "DisplayName": name, "Owner": snap.acct}
    attrs = {"TopicArn": arn, "Owner": snap.acct, "DisplayName": name, "SubscriptionsConfirmed": "1",
             "SubscriptionsPending": "0", "SubscriptionsDeleted": "0", "EffectiveDeliveryPolicy": enc(
                 {"http": {"defaultHealthyRetryPolicy": {"minDelayTarget": 20, "maxDelayTarget": 20,
                                                         "numRetries": 3}}}),
             "Policy": enc(policy)}
    if kms:
        cfg["KmsMasterKeyId"] = kms
        attrs["KmsMasterKeyId"] = kms
    snap.ci("AWS::SNS::Topic", arn, name, arn, cfg, {}, tg, [], created=ago(500))
    cli(snap.acct, "sns-get-topic-attributes/%s.%s.json" % (name, snap.region), {"Attributes": attrs})
    return arn


def sns_default_policy(arn, acct):
    return {"Version": "2008-10-17", "Id": "__default_policy_ID", "Statement": [{
        "Sid": "__default_statement_ID", "Effect": "Allow", "Principal": {"AWS": "*"},
        "Action": ["SNS:GetTopicAttributes", "SNS:SetTopicAttributes", "SNS:AddPermission",
                   "SNS:RemovePermission", "SNS:DeleteTopic", "SNS:Subscribe", "SNS:ListSubscriptionsByTopic",
                   "SNS:Publish"],
        "Resource": arn, "Condition": {"StringEquals": {"AWS:SourceOwner": acct}}}]}


def iso_cli(t):
    """2026-11-24T06:00:00.123000+00:00, as the AWS CLI prints timestamps"""
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + "%06d+00:00" % t.microsecond


def secret(snap, name, rotation_days, kms, policy, tg, last_rotated=10):
    suffix = hexid(6, "secret", name)
    arn = "arn:aws:secretsmanager:%s:%s:secret:%s-%s" % (snap.region, snap.acct, name, suffix)
    cfg = {"ARN": arn, "Name": name, "Description": "", "RotationEnabled": bool(rotation_days)}
    if kms:
        cfg["KMSKeyId"] = kms
    if rotation_days:
        cfg["RotationLambdaARN"] = "arn:aws:lambda:%s:%s:function:SecretsManagerRDSPostgreSQLRotationSingleUser" % (
            snap.region, snap.acct)
        cfg["RotationRules"] = {"AutomaticallyAfterDays": rotation_days}
    snap.ci("AWS::SecretsManager::Secret", arn, name, arn, cfg, {}, tg, [], created=ago(400))
    # aws secretsmanager describe-secret: what Config does not record (the rotation dates)
    desc = {"ARN": arn, "Name": name, "Description": ""}
    if kms:
        desc["KmsKeyId"] = kms
    if rotation_days:
        desc["RotationEnabled"] = True
        desc["RotationLambdaARN"] = cfg["RotationLambdaARN"]
        desc["RotationRules"] = {"AutomaticallyAfterDays": rotation_days}
        desc["LastRotatedDate"] = iso_cli(ago(last_rotated))
        desc["NextRotationDate"] = iso_cli(ago(last_rotated - rotation_days))
    desc["LastChangedDate"] = iso_cli(ago(last_rotated if rotation_days else 400))
    desc["LastAccessedDate"] = iso_cli(ago(1).replace(hour=0, minute=0, second=0))
    desc["Tags"] = [{"Key": k, "Value": v} for k, v in tg.items()]
    desc["VersionIdsToStages"] = {uid("ver", name): ["AWSCURRENT"]}
    desc["CreatedDate"] = iso_cli(ago(400))
    cli(snap.acct, "secretsmanager-describe-secret/%s.%s.json" % (name.replace("/", "_"), snap.region), desc)
    out = {"ARN": arn, "Name": name}
    if policy:
        out["ResourcePolicy"] = enc(policy)
    cli(snap.acct, "secretsmanager-get-resource-policy/%s.%s.json" % (name.replace("/", "_"), snap.region), out)
    return arn


def ecr(snap, name, scan, mutability, policy, tg):
    arn = "arn:aws:ecr:%s:%s:repository/%s" % (snap.region, snap.acct, name)
    cfg = {"RepositoryName": name, "Arn": arn, "ImageScanningConfiguration": {"ScanOnPush": scan},
           "ImageTagMutability": mutability}
    snap.ci("AWS::ECR::Repository", name, name, arn, cfg, {}, tg, [], created=ago(600))
    if policy:
        cli(snap.acct, "ecr-get-repository-policy/%s.%s.json" % (name.replace("/", "_"), snap.region),
            {"registryId": snap.acct, "repositoryName": name, "policyText": json.dumps(policy, indent=2)})
    return arn


def zone(snap, name, log_group, tg, records=()):
    """The AWS::Route53::HostedZone item, and `aws route53 list-resource-record-sets
    --hosted-zone-id <id>` output in cli/route53-list-resource-record-sets/<id>.json
    (AWS Config does not record the records; the output does not name the zone, so
    the file name does). records: (name relative to the zone or "", type, values
    [, alias target DNS name]) after the SOA and NS records."""
    zid = "Z0" + upper_id("", 19, "zone", name)
    arn = "arn:aws:route53:::hostedzone/" + zid
    ns = ["ns-%d.awsdns-%02d.%s" % (n, n % 64, tld) for n, tld in
          ((int(hexid(3, name, 1), 16) % 2000, "org"), (int(hexid(3, name, 2), 16) % 2000, "co.uk"),
           (int(hexid(3, name, 3), 16) % 2000, "com"), (int(hexid(3, name, 4), 16) % 2000, "net"))]
    cfg = {"Id": zid, "Name": name, "NameServers": ns,
           "HostedZoneConfig": {"Comment": ""}, "HostedZoneTags": aws.tagset(tg)}
    if log_group:
        cfg["QueryLoggingConfig"] = {"CloudWatchLogsLogGroupArn": {
            "CloudWatchLogsLogGroupArn": log_group, "HostedZoneId": zid, "Id": uid("qlc", name)}}
    snap.ci("AWS::Route53::HostedZone", zid, name, arn, cfg, {}, tg, [], region="global", created=ago(900))
    sets = [{"Name": name, "Type": "NS", "TTL": 172800, "ResourceRecords": [{"Value": n + "."} for n in ns]},
            {"Name": name, "Type": "SOA", "TTL": 900, "ResourceRecords": [{
                "Value": "%s. awsdns-hostmaster.amazon.com. 1 7200 900 1209600 86400" % ns[0]}]}]
    for rec in records:
        rname, rtype, values = rec[0], rec[1], rec[2]
        rs = {"Name": (rname + "." + name) if rname else name, "Type": rtype}
        if len(rec) > 3:
            rs["AliasTarget"] = {"HostedZoneId": values, "DNSName": rec[3], "EvaluateTargetHealth": True}
        else:
            rs["TTL"] = 300
            rs["ResourceRecords"] = [{"Value": v} for v in values]
        sets.append(rs)
    # Route 53 lists record sets sorted by name (labels reversed) and type
    sets.sort(key=lambda r: (list(reversed(r["Name"].rstrip(".").split("."))), r["Type"]))
    cli(snap.acct, "route53-list-resource-record-sets/%s.json" % zid, {"ResourceRecordSets": sets})
    return arn


def distribution(snap, did, comment, viewer, cert, waf, logging_bucket, origins, tg):
    arn = "arn:aws:cloudfront::%s:distribution/%s" % (snap.acct, did)
    items = []
    for oid, domain, kind in origins:
        o = {"id": oid, "domainName": domain, "originPath": "", "customHeaders": {"quantity": 0, "items": []},
             "connectionAttempts": 3, "connectionTimeout": 10}
        if kind.startswith("s3"):
            o["s3OriginConfig"] = {"originAccessIdentity": "origin-access-identity/cloudfront/E" +
                                   upper_id("", 12, "oai", did) if kind == "s3-oai" else ""}
        else:
            o["customOriginConfig"] = {"httpPort": 80, "httpsPort": 443, "originProtocolPolicy": kind,
                                       "originSslProtocols": {"quantity": 1, "items": ["TLSv1.2"]},
                                       "originReadTimeout": 30, "originKeepaliveTimeout": 5}
        items.append(o)
    beh = {"targetOriginId": origins[0][0], "viewerProtocolPolicy": viewer, "compress": True,
           "allowedMethods": {"quantity": 2, "items": ["HEAD", "GET"],
                              "cachedMethods": {"quantity": 2, "items": ["HEAD", "GET"]}},
           "trustedSigners": {"enabled": False, "quantity": 0, "items": []}, "smoothStreaming": False,
           "minTTL": 0, "defaultTTL": 86400, "maxTTL": 31536000,
           "lambdaFunctionAssociations": {"quantity": 0, "items": []}, "fieldLevelEncryptionId": ""}
    cfg = {"id": did, "arn": arn, "domainName": "d%s.cloudfront.net" % hexid(13, "cf", did),
           "lastModifiedTime": iso(ago(60)), "status": "Deployed",
           "distributionConfig": {
               "callerReference": uid("cf", did), "comment": comment, "enabled": True, "priceClass": "PriceClass_100",
               "aliases": {"quantity": 0, "items": []}, "defaultRootObject": "index.html",
               "origins": {"quantity": len(items), "items": items},
               "defaultCacheBehavior": beh, "cacheBehaviors": {"quantity": 0, "items": []},
               "customErrorResponses": {"quantity": 0, "items": []},
               "logging": {"enabled": bool(logging_bucket), "includeCookies": False,
                           "bucket": logging_bucket or "", "prefix": "cloudfront/" if logging_bucket else ""},
               "viewerCertificate": cert, "restrictions": {"geoRestriction": {"restrictionType": "none",
                                                                              "quantity": 0, "items": []}},
               "webACLId": waf, "httpVersion": "http2", "isIPV6Enabled": True}}
    snap.ci("AWS::CloudFront::Distribution", did, did, arn, cfg, {}, tg, [], region="global", created=ago(700))
    return arn


def rest_stage(snap, api_id, stage, access_log, level, waf, cert, tracing, tg):
    arn = "arn:aws:apigateway:%s::/restapis/%s/stages/%s" % (snap.region, api_id, stage)
    cfg = {"stageName": stage, "deploymentId": hexid(6, "dep", api_id), "description": "",
           "cacheClusterEnabled": False, "cacheClusterStatus": "NOT_AVAILABLE",
           "methodSettings": {"*/*": {"metricsEnabled": True, "loggingLevel": level, "dataTraceEnabled": False,
                                      "throttlingBurstLimit": 5000, "throttlingRateLimit": 10000.0,
                                      "cachingEnabled": False, "cacheTtlInSeconds": 300, "cacheDataEncrypted": False,
                                      "requireAuthorizationForCacheControl": True,
                                      "unauthorizedCacheControlHeaderStrategy": "SUCCEED_WITH_RESPONSE_HEADER"}}
           if level else {},
           "tracingEnabled": tracing, "createdDate": iso(ago(300)), "lastUpdatedDate": iso(ago(20)),
           "tags": tg}
    if access_log:
        cfg["accessLogSettings"] = {"destinationArn": access_log,
                                    "format": "$context.requestId $context.identity.sourceIp $context.status"}
    if waf:
        cfg["webAclArn"] = waf
    if cert:
        cfg["clientCertificateId"] = cert
    snap.ci("AWS::ApiGateway::Stage", arn, stage, arn, cfg, {}, tg,
            [("AWS::ApiGateway::RestApi", api_id, None, "Is contained in RestApi")], created=ago(300))
    return arn


def rest_api(snap, api_id, name, endpoint, methods, tg):
    """The AWS::ApiGateway::RestApi item, and `aws apigateway get-resources
    --rest-api-id <id> --embed methods` output in cli/apigateway-get-resources/<id>.<region>.json."""
    arn = "arn:aws:apigateway:%s::/restapis/%s" % (snap.region, api_id)
    cfg = {"id": api_id, "name": name, "description": "", "createdDate": iso(ago(300)), "apiKeySource": "HEADER",
           "endpointConfiguration": {"types": [endpoint]}, "binaryMediaTypes": [], "disableExecuteApiEndpoint": False,
           "tags": tg}
    snap.ci("AWS::ApiGateway::RestApi", api_id, name, arn, cfg, {}, tg, [], created=ago(300))
    root = hexid(10, "res", api_id, "/")
    items = [{"id": root, "path": "/"}]
    for path_part, verbs in methods.items():
        rid = hexid(6, "res", api_id, path_part)
        items.append({"id": rid, "parentId": root, "pathPart": path_part, "path": "/" + path_part, "resourceMethods": {
            verb: {"httpMethod": verb, "authorizationType": auth, "apiKeyRequired": False,
                   "methodIntegration": {"type": "AWS_PROXY", "httpMethod": "POST", "uri": "arn:aws:apigateway:%s:lambda:path/2015-03-31/functions/arn:aws:lambda:%s:%s:function:%s/invocations" % (
                       snap.region, snap.region, snap.acct, name), "passthroughBehavior": "WHEN_NO_MATCH",
                       "timeoutInMillis": 29000, "cacheNamespace": rid, "cacheKeyParameters": []}}
            for verb, auth in verbs.items()}})
    cli(snap.acct, "apigateway-get-resources/%s.%s.json" % (api_id, snap.region), {"items": items})
    return arn


def http_stage(snap, api_id, stage, access_log, tg):
    arn = "arn:aws:apigateway:%s::/apis/%s/stages/%s" % (snap.region, api_id, stage)
    cfg = {"stageName": stage, "autoDeploy": True, "apiGatewayManaged": False, "createdDate": iso(ago(100)),
           "lastUpdatedDate": iso(ago(10)), "defaultRouteSettings": {"detailedMetricsEnabled": False},
           "routeSettings": {}, "stageVariables": {}, "tags": tg, "description": ""}
    if access_log:
        cfg["accessLogSettings"] = {"destinationArn": access_log, "format": "$context.requestId"}
    snap.ci("AWS::ApiGatewayV2::Stage", arn, stage, arn, cfg, {}, tg,
            [("AWS::ApiGatewayV2::Api", api_id, None, "Is contained in Api")], created=ago(100))
    return arn


def flow_log(snap, target, target_type, dest, status, tg):
    fid = "fl-0" + hexid(16, "fl", target)
    cfg = {"flowLogId": fid, "resourceId": target, "trafficType": "ALL", "logDestinationType": "s3",
           "logDestination": "arn:aws:s3:::" + dest, "flowLogStatus": "ACTIVE", "deliverLogsStatus": status,
           "maxAggregationInterval": 600, "creationTime": iso(ago(200)),
           "logFormat": "${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} "
                        "${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status}",
           "tags": aws.tagset(tg)}
    if status == "FAILED":
        cfg["deliverLogsErrorMessage"] = "Access error"
    arn = "arn:aws:ec2:%s:%s:vpc-flow-log/%s" % (snap.region, snap.acct, fid)
    snap.ci("AWS::EC2::FlowLog", fid, None, arn, cfg, {}, tg, [(target_type, target)], created=ago(200))
    return arn


def snapshots_cli(acct, region, snaps):
    cli(acct, "ec2-describe-snapshots.%s.json" % region, {"Snapshots": [{
        "Description": s["desc"], "Encrypted": s["encrypted"], **({"KmsKeyId": s["kms"]} if s["kms"] else {}),
        "OwnerId": acct, "Progress": "100%", "SnapshotId": s["id"], "StartTime": iso(ago(s["days"]), ms=False)
        .replace("Z", ".000Z"), "State": "completed", "VolumeId": s["vol"], "VolumeSize": s["size"],
        "Tags": [{"Key": k, "Value": v} for k, v in s["tags"].items()], "StorageTier": "standard"}
        for s in snaps]})
    for s in snaps:
        cli(acct, "ec2-describe-snapshot-attribute/%s.%s.json" % (s["id"], region),
            {"SnapshotId": s["id"], "CreateVolumePermissions": s["perms"]})


def images_cli(acct, region, images):
    cli(acct, "ec2-describe-images.%s.json" % region, {"Images": [{
        "PlatformDetails": "Linux/UNIX", "UsageOperation": "RunInstances", "BlockDeviceMappings": [{
            "DeviceName": "/dev/xvda", "Ebs": {"DeleteOnTermination": True, "SnapshotId": im["snap"],
                                                "VolumeSize": 16, "VolumeType": "gp3", "Encrypted": im["encrypted"],
                                                **({"KmsKeyId": im["kms"]} if im["kms"] else {})}}],
        "Description": im["desc"], "EnaSupport": True, "Hypervisor": "xen", "Name": im["name"],
        "RootDeviceName": "/dev/xvda", "RootDeviceType": "ebs", "SriovNetSupport": "simple",
        "VirtualizationType": "hvm", "BootMode": "uefi-preferred", "DeprecationTime": None,
        "ImdsSupport": "v2.0", "Architecture": "x86_64", "CreationDate": iso(ago(im["days"])),
        "ImageId": im["id"], "ImageLocation": "%s/%s" % (acct, im["name"]), "ImageType": "machine",
        "OwnerId": acct, "Public": im["public"], "State": "available",
        "Tags": [{"Key": k, "Value": v} for k, v in im["tags"].items()]} for im in images]})
    for im in images:
        cli(acct, "ec2-describe-image-attribute/%s.%s.json" % (im["id"], region),
            {"ImageId": im["id"], "LaunchPermissions": im["perms"]})


# ------------------------------------------------------------------ the scenario

def build_prod(ue1):
    acct, region = PROD, "us-east-1"
    base = {"Environment": "prod", "Owner": "platform"}
    ctg = tags(base, CLEAN_TAG)
    k_data = key_arn(acct, region, "alias/nw-prod-datalake")
    k_ebs = key_arn(acct, region, "alias/nw-prod-ebs")
    vpc = "vpc-0" + hexid(16, "vpc", acct, region, "nw-prod-vpc")
    sub_a = "subnet-0" + hexid(16, "subnet", acct, vpc, "nw-prod-app-a")
    sub_b = "subnet-0" + hexid(16, "subnet", acct, vpc, "nw-prod-app-b")
    sg_app = aws.sg_id(acct, "nw-prod-app")

    role, role_id = iam_role(ue1, "nw-prod-curated-indexer", "lambda.amazonaws.com",
                             ["arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole",
                              "arn:aws:iam::%s:policy/NW-CuratedReadOnly" % acct], ctg)
    pol = iam_policy(ue1, "NW-CuratedReadOnly", {"Version": "2012-10-17", "Statement": [
        {"Sid": "ReadCurated", "Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket"],
         "Resource": ["arn:aws:s3:::nw-prod-datalake-curated", "arn:aws:s3:::nw-prod-datalake-curated/*"]},
        {"Sid": "DecryptCurated", "Effect": "Allow", "Action": "kms:Decrypt", "Resource": k_data,
         "Condition": {"StringEquals": {"kms:ViaService": "s3.us-east-1.amazonaws.com"}}}]},
        "Read the curated zone of the data lake", [("AWS::IAM::Role", role_id, "nw-prod-curated-indexer")], ctg)
    clean("iam_policy", pol, "customer-managed, attached, read-only S3/KMS actions on named resources")
    grp = iam_group(ue1, "SecurityAuditors-clean", ["arn:aws:iam::aws:policy/SecurityAudit"], {})
    clean("group", grp, "AWS-managed SecurityAudit only, no inline policy (IAM groups cannot be tagged)")

    # the first app instance's root volume (encrypted with the EBS CMK, attached) is tagged clean below
    snapshots_cli(acct, region, [{
        "id": "snap-0" + hexid(16, "snap", acct, "app-1-nightly"), "desc": "nw-prod-app-1 nightly",
        "encrypted": True, "kms": k_ebs, "vol": "vol-0" + hexid(16, "vol", acct, "nw-prod-app-1-root"),
        "size": 50, "days": 1, "tags": ctg, "perms": []}])
    snap_id = "snap-0" + hexid(16, "snap", acct, "app-1-nightly")
    clean("snapshot", "arn:aws:ec2:%s::snapshot/%s" % (region, snap_id), "encrypted with the EBS CMK, not shared")
    ami = "ami-0" + hexid(16, "ami", acct, "nw-prod-app-base")
    images_cli(acct, region, [{"id": ami, "name": "nw-prod-app-base-2026-11", "desc": "hardened app base image",
                               "snap": snap_id, "encrypted": True, "kms": k_ebs, "public": False, "days": 20,
                               "tags": ctg, "perms": []}])
    clean("snapshot", "arn:aws:ec2:%s::image/%s" % (region, ami), "private AMI, EBS snapshot encrypted")

    fn = lambda_fn(ue1, "nw-prod-curated-indexer", "python3.12", role,
                   {"LOG_LEVEL": "INFO", "CURATED_BUCKET": "nw-prod-datalake-curated"}, [sub_a, sub_b], [sg_app],
                   "Active", ctg)
    lambda_policy(acct, region, "nw-prod-curated-indexer", fn, {
        "Sid": "s3-curated-notification", "Effect": "Allow", "Principal": {"Service": "s3.amazonaws.com"},
        "Action": "lambda:InvokeFunction",
        "Condition": {"StringEquals": {"AWS:SourceAccount": acct},
                      "ArnLike": {"AWS:SourceArn": "arn:aws:s3:::nw-prod-datalake-curated"}}})
    clean("function", fn, "python3.12, in the VPC, X-Ray active, no secrets in the environment, invoked only by S3")

    k8s = eks(ue1, "nw-prod-platform", "1.31", False, ["0.0.0.0/0"],
              ["api", "audit", "authenticator", "controllerManager", "scheduler"], k_data, [sub_a, sub_b], [sg_app],
              ctg)
    clean("kubernetes_cluster", k8s, "private endpoint only, all control-plane log types, secrets encrypted with KMS")

    lb, hx = alb(ue1, "nw-prod-web", "internet-facing", vpc, [sub_a, sub_b], ctg)
    listener(ue1, lb, "nw-prod-web", hx, 443, "HTTPS", "ELBSecurityPolicy-TLS13-1-2-2021-06", forward("nw-prod-app", acct))
    listener(ue1, lb, "nw-prod-web", hx, 80, "HTTP", None, REDIRECT)
    clean("load_balancer", lb, "HTTPS with ELBSecurityPolicy-TLS13-1-2-2021-06; HTTP only redirects to HTTPS")

    topic_arn = "arn:aws:sns:%s:%s:nw-prod-ingest-notify" % (region, acct)
    q = queue(ue1, "nw-prod-ingest-events", k_data, False, {"Version": "2012-10-17", "Statement": [{
        "Sid": "from-ingest-topic", "Effect": "Allow", "Principal": {"Service": "sns.amazonaws.com"},
        "Action": "sqs:SendMessage", "Resource": "arn:aws:sqs:%s:%s:nw-prod-ingest-events" % (region, acct),
        "Condition": {"ArnEquals": {"aws:SourceArn": topic_arn}}}]}, ctg)
    clean("queue", q, "SSE-KMS with a customer key, policy lets only the ingest topic send")
    t = topic(ue1, "nw-prod-ingest-notify", k_data, sns_default_policy(topic_arn, acct), ctg)
    clean("queue", t, "SSE-KMS with a customer key, default policy limited to the owner account")

    s = secret(ue1, "nw-prod/orders-db/credentials", 30, k_data, None, ctg)
    clean("secret", s, "rotated every 30 days by the RDS rotation function, customer key, no resource policy")

    r = ecr(ue1, "nw-prod/etl-worker", True, "IMMUTABLE", None, ctg)
    clean("container_registry", r, "scan on push, immutable tags, no repository policy")

    web_dns = "%s-%s.%s.elb.amazonaws.com" % ("nw-prod-web", hexid(10, "nw-prod-web"), region)
    z = zone(ue1, "northwind-analytics.com.", "arn:aws:logs:us-east-1:%s:log-group:/aws/route53/northwind-analytics.com" % acct,
             ctg, [("", "MX", ["10 inbound-smtp.us-east-1.amazonaws.com."]),
                   ("", "TXT", ['"v=spf1 include:amazonses.com -all"']),
                   ("www", "A", "Z35SXDOTRQ7X7K", "dualstack.%s." % web_dns),
                   ("assets", "CNAME", ["nw-public-assets.s3.us-east-1.amazonaws.com."]),
                   ("static", "CNAME", ["d%s.cloudfront.net." % hexid(13, "cf", "E" + upper_id("", 13, "cf", "prod-static"))])])
    clean("dns_zone", z, "public zone with query logging to CloudWatch Logs; its CNAME to S3 names the existing "
                         "bucket nw-public-assets (no dangling record)")

    cf = distribution(ue1, "E" + upper_id("", 13, "cf", "prod-static"), "static site", "redirect-to-https", {
        "cloudFrontDefaultCertificate": False, "acmCertificateArn": "arn:aws:acm:us-east-1:%s:certificate/%s" % (
            acct, uid("cert", "static")), "sslSupportMethod": "sni-only", "minimumProtocolVersion": "TLSv1.2_2021",
        "certificate": uid("cert", "static"), "certificateSource": "acm"},
        "arn:aws:wafv2:us-east-1:%s:global/webacl/nw-prod-edge/%s" % (acct, uid("waf", "edge")),
        "nw-prod-s3-access-logs.s3.amazonaws.com",
        [("s3-static", "nw-public-assets.s3.us-east-1.amazonaws.com", "s3-oai")], ctg)
    clean("cdn", cf, "HTTPS only, TLSv1.2_2021, WAF, standard logging, S3 origin through an origin access identity")

    api = upper_id("", 10, "api", "prod-orders").lower()
    st = rest_stage(ue1, api, "prod", "arn:aws:logs:us-east-1:%s:log-group:API-Gateway-Access-Logs_%s/prod" % (acct, api),
                    "INFO", "arn:aws:wafv2:us-east-1:%s:regional/webacl/nw-prod-api/%s" % (acct, uid("waf", "api")),
                    hexid(6, "cc", api), True, ctg)
    clean("api_gateway", st, "access and execution logging, WAF, X-Ray, client certificate")
    ra = rest_api(ue1, api, "nw-prod-orders-api", "REGIONAL",
                  {"orders": {"GET": "AWS_IAM", "POST": "AWS_IAM", "OPTIONS": "NONE"}}, ctg)
    clean("api_gateway", ra, "every method but CORS OPTIONS authorizes with IAM")

    fl = flow_log(ue1, sub_a, "AWS::EC2::Subnet", "nw-prod-vpc-flow-logs", "SUCCESS", ctg)
    clean("flow_log", fl, "subnet flow log, ACTIVE, delivering to S3")


def build_dev(ue1):
    acct, region = DEV, "us-east-1"
    base = {"Environment": "dev", "Owner": "data-eng"}
    ptg = tags(base, PLANTED_TAG)
    vpc = "vpc-0" + hexid(16, "vpc", acct, region, "nw-dev-vpc")

    role, role_id = iam_role(ue1, "nw-dev-sandbox", "ec2.amazonaws.com",
                             ["arn:aws:iam::%s:policy/NW-DevFullAccess" % acct], ptg)
    p = iam_policy(ue1, "NW-DevFullAccess", aws.ADMIN_DOC, "temporary: everything for the sandbox",
                   [("AWS::IAM::Role", role_id, "nw-dev-sandbox")], ptg)
    plant("iam-policy-admin", p, "customer-managed policy allowing Action \"*\" on Resource \"*\", attached to role nw-dev-sandbox")
    p2 = iam_policy(ue1, "NW-DevAllButIAM", {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "NotAction": ["iam:*", "organizations:*"], "Resource": "*"}]},
        "everything except IAM", [], ptg)
    plant("iam-policy-allow-not-action", p2, "Allow with NotAction iam:*, organizations:* on Resource \"*\" (unattached)")
    g = iam_group(ue1, "dev-power-users-planted", [], {"everything": aws.ADMIN_DOC})
    plant("group-inline-admin-policy", g, "inline policy \"everything\" allows Action \"*\" on Resource \"*\"")

    # CIS AWS 6.1.2: CIFS/SMB (TCP 445) open to the internet, and a share reachable from the VPC only
    _, smb = aws.security_group(ue1, "nw-dev-fileshare", vpc, "SMB share for the analysts", [
        aws.perm("tcp", 445, 445, v4=["0.0.0.0/0"], desc="temporary: analysts at home")], tags=ptg)
    plant("firewall-cifs-open-to-internet", smb, "TCP 445 from 0.0.0.0/0")
    plant("firewall-cifs-open-to-internet", "arn:aws:ec2:%s:%s:security-group/%s" % (
        region, acct, aws.sg_id(acct, "dev-debug-any")), "dev-debug-any: all traffic from 0.0.0.0/0 (445 included)")
    _, smb_ok = aws.security_group(ue1, "nw-dev-fileshare-vpc", vpc, "SMB share inside the VPC", [
        aws.perm("tcp", 445, 445, v4=["10.50.0.0/16"])], tags=tags(base, CLEAN_TAG))
    clean("firewall", smb_ok, "TCP 445 from the VPC CIDR only")

    vol, va = ebs_volume(ue1, "nw-dev-scratch-old", "us-east-1a", False, None, None, ptg, size=500)
    plant("disk-unattached-unencrypted", va, "available (attached to nothing) and encrypted false")
    plant("disk-unencrypted", va, "encrypted false")

    s1 = "snap-0" + hexid(16, "snap", acct, "mysql-export")
    s2 = "snap-0" + hexid(16, "snap", acct, "partner-copy")
    snapshots_cli(acct, region, [
        {"id": s1, "desc": "nw-dev-mysql export for the vendor", "encrypted": False, "kms": None, "vol": vol,
         "size": 500, "days": 90, "tags": ptg, "perms": [{"Group": "all"}]},
        {"id": s2, "desc": "copy for the partner account", "encrypted": False, "kms": None, "vol": vol,
         "size": 500, "days": 60, "tags": ptg, "perms": [{"UserId": "999988887777"}]}])
    a1 = "arn:aws:ec2:%s::snapshot/%s" % (region, s1)
    plant("snapshot-public", a1, "createVolumePermission Group all")
    plant("snapshot-unencrypted", a1, "Encrypted false")
    a2 = "arn:aws:ec2:%s::snapshot/%s" % (region, s2)
    plant("snapshot-cross-account-shared", a2, "createVolumePermission UserId 999988887777")
    plant("snapshot-unencrypted", a2, "Encrypted false")
    ami = "ami-0" + hexid(16, "ami", acct, "nw-dev-notebook")
    images_cli(acct, region, [{"id": ami, "name": "nw-dev-notebook-2025-06", "desc": "notebook image",
                               "snap": s1, "encrypted": False, "kms": None, "public": True, "days": 500,
                               "tags": ptg, "perms": [{"Group": "all"}]}])
    ia = "arn:aws:ec2:%s::image/%s" % (region, ami)
    plant("snapshot-public", ia, "AMI Public true, launchPermission Group all")
    plant("snapshot-unencrypted", ia, "its EBS snapshot is not encrypted")

    fn = lambda_fn(ue1, "nw-dev-report-mailer", "python3.8",
                   "arn:aws:iam::%s:role/nw-dev-sandbox" % acct,
                   {"SMTP_HOST": "smtp.northwind-analytics.com", "SMTP_PASSWORD": "Winter2025!", "REPORT_API_TOKEN": "nw-" + hexid(24, "tok")},
                   [], [], "PassThrough", ptg)
    lambda_policy(acct, region, "nw-dev-report-mailer", fn, {
        "Sid": "anyone", "Effect": "Allow", "Principal": "*", "Action": "lambda:InvokeFunction"})
    plant("function-runtime-deprecated", fn, "python3.8 (deprecated 2024-10-14)")
    plant("function-env-secrets", fn, "environment variables SMTP_PASSWORD and REPORT_API_TOKEN")
    plant("function-not-in-vpc", fn, "vpcConfig has no subnets")
    plant("function-tracing-disabled", fn, "tracingConfig mode PassThrough")
    plant("function-public-invocation", fn, "function policy allows Principal \"*\" lambda:InvokeFunction without condition")

    k8s = eks(ue1, "nw-dev-sandbox", "1.27", True, ["0.0.0.0/0"], [], None, [], [], ptg)
    plant("kubernetes-public-endpoint", k8s, "EndpointPublicAccess true")
    plant("kubernetes-endpoint-open-to-all", k8s, "PublicAccessCidrs 0.0.0.0/0")
    plant("kubernetes-control-plane-logging", k8s, "no control-plane log type enabled")
    plant("kubernetes-audit-logging", k8s, "audit log type not enabled")
    plant("kubernetes-secrets-not-encrypted", k8s, "no EncryptionConfig for secrets")

    lb, hx = alb(ue1, "nw-dev-tools", "internet-facing", vpc, [], ptg)
    listener(ue1, lb, "nw-dev-tools", hx, 80, "HTTP", None, forward("nw-dev-tools", acct))
    listener(ue1, lb, "nw-dev-tools", hx, 443, "HTTPS", "ELBSecurityPolicy-2016-08", forward("nw-dev-tools", acct))
    plant("lb-http-listener", lb, "internet-facing, HTTP:80 forwards instead of redirecting")
    plant("lb-weak-tls", lb, "HTTPS:443 uses ELBSecurityPolicy-2016-08 (TLS 1.0)")
    elb_name = "nw-dev-legacy-elb"
    elb_arn = "arn:aws:elasticloadbalancing:%s:%s:loadbalancer/%s" % (region, acct, elb_name)
    ue1.ci("AWS::ElasticLoadBalancing::LoadBalancer", elb_name, elb_name, elb_arn, {
        "loadBalancerName": elb_name, "dnsname": "%s-%s.%s.elb.amazonaws.com" % (elb_name, digits10(elb_name), region),
        "canonicalHostedZoneName": "%s-%s.%s.elb.amazonaws.com" % (elb_name, digits10(elb_name), region),
        "canonicalHostedZoneNameID": "Z35SXDOTRQ7X7K",
        "listenerDescriptions": [
            {"listener": {"protocol": "HTTP", "loadBalancerPort": 80, "instanceProtocol": "HTTP", "instancePort": 8080},
             "policyNames": []},
            {"listener": {"protocol": "HTTPS", "loadBalancerPort": 443, "instanceProtocol": "HTTP",
                          "instancePort": 8080, "sslcertificateId": "arn:aws:iam::%s:server-certificate/legacy" % acct},
             "policyNames": ["ELBSecurityPolicy-2016-08"]}],
        "policies": {"appCookieStickinessPolicies": [], "lbcookieStickinessPolicies": [],
                     "otherPolicies": ["ELBSecurityPolicy-2016-08"]},
        "backendServerDescriptions": [], "availabilityZones": ["us-east-1a"], "subnets": [], "vpcid": vpc,
        "instances": [], "healthCheck": {"target": "HTTP:8080/health", "interval": 30, "timeout": 5,
                                         "unhealthyThreshold": 2, "healthyThreshold": 10},
        "sourceSecurityGroup": {"ownerAlias": acct, "groupName": "default"}, "securityGroups": [],
        "createdTime": iso(ago(1500)), "scheme": "internet-facing"}, {
        "LoadBalancerPolicies": [{"policyName": "ELBSecurityPolicy-2016-08",
                                  "policyTypeName": "SSLNegotiationPolicyType",
                                  "policyAttributeDescriptions": [
                                      {"attributeName": "Reference-Security-Policy",
                                       "attributeValue": "ELBSecurityPolicy-2016-08"},
                                      {"attributeName": "Protocol-TLSv1", "attributeValue": "true"},
                                      {"attributeName": "Protocol-TLSv1.1", "attributeValue": "true"},
                                      {"attributeName": "Protocol-TLSv1.2", "attributeValue": "true"},
                                      {"attributeName": "Protocol-SSLv3", "attributeValue": "false"}]}]},
        ptg, [("AWS::EC2::VPC", vpc)], created=ago(1500))
    plant("lb-http-listener", elb_arn, "classic ELB, internet-facing, HTTP:80 listener")
    plant("lb-weak-tls", elb_arn, "HTTPS listener policy enables Protocol-TLSv1 and TLSv1.1")

    qa = "arn:aws:sqs:%s:%s:nw-dev-jobs" % (region, acct)
    q = queue(ue1, "nw-dev-jobs", None, False, {"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": "*", "Action": ["sqs:SendMessage", "sqs:ReceiveMessage"], "Resource": qa}]}, ptg)
    plant("queue-unencrypted", q, "no KmsMasterKeyId and SqsManagedSseEnabled false")
    plant("queue-public-policy", q, "policy allows Principal \"*\" to send and receive without condition")
    ta = "arn:aws:sns:%s:%s:nw-dev-alerts" % (region, acct)
    t = topic(ue1, "nw-dev-alerts", None, {"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"AWS": "*"}, "Action": ["SNS:Publish", "SNS:Subscribe"], "Resource": ta}]}, ptg)
    plant("queue-unencrypted", t, "no KmsMasterKeyId")
    plant("queue-public-policy", t, "policy allows AWS \"*\" to publish and subscribe without condition")

    sa = secret(ue1, "nw-dev/mysql/admin", 0, None, {"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "secretsmanager:GetSecretValue", "Resource": "*"}]}, ptg)
    plant("secret-rotation-disabled", sa, "RotationEnabled false")
    plant("secret-public", sa, "resource policy allows AWS \"*\" secretsmanager:GetSecretValue")
    plant("secret-not-customer-key", sa, "no KMSKeyId: encrypted with the AWS-managed aws/secretsmanager key")
    plant("secret-not-rotated", sa, "never rotated: created 400 days ago (describe-secret has no LastRotatedDate)")
    sk = secret(ue1, "nw-dev/partner/api-key", 365, key_arn(acct, region, "alias/nw-dev-app"), None, ptg,
                last_rotated=200)
    plant("secret-rotation-period-long", sk, "RotationRules AutomaticallyAfterDays 365")
    plant("secret-not-rotated", sk, "LastRotatedDate 200 days ago")
    vr, _ = iam_role(ue1, "nw-dev-vendor-debug", None, [], ptg, trust_doc={"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}]})
    plant("iam-role-trust-anyone", vr, "trust policy allows AWS \"*\" sts:AssumeRole without condition")
    pe = iam_policy(ue1, "NW-DevSelfService", {"Version": "2012-10-17", "Statement": [{
        "Sid": "LetDevelopersFixTheirAccess", "Effect": "Allow",
        "Action": ["iam:AttachUserPolicy", "iam:CreateAccessKey", "iam:PutUserPolicy", "iam:GetUser"], "Resource": "*"}]},
        "developers manage their own IAM user", [], ptg)
    plant("iam-policy-privilege-escalation", pe, "allows iam:AttachUserPolicy, iam:PutUserPolicy and iam:CreateAccessKey on \"*\"")

    r = ecr(ue1, "nw-dev/notebooks", False, "MUTABLE", {"Version": "2012-10-17", "Statement": [{
        "Sid": "pull-from-anywhere", "Effect": "Allow", "Principal": "*",
        "Action": ["ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"]}]}, ptg)
    plant("registry-image-scanning", r, "ScanOnPush false")
    plant("registry-tag-mutable", r, "ImageTagMutability MUTABLE")
    plant("registry-public", r, "repository policy allows Principal \"*\" to pull")

    z = zone(ue1, "dev.northwind-analytics.com.", None, ptg, [
        ("share", "CNAME", ["nw-dev-partner-share.s3.amazonaws.com."]),
        ("partner-portal", "CNAME", ["nw-dev-partner-portal.s3-website-us-east-1.amazonaws.com."]),
        ("notebooks", "A", ["203.0.113.24"])])
    plant("dns-query-logging", z, "public zone without a query logging configuration")
    plant("dns-dangling-record", z, "CNAME partner-portal.dev.northwind-analytics.com to the website endpoint of "
                                    "nw-dev-partner-portal, a bucket deleted from the account: whoever creates a bucket "
                                    "of that name serves the subdomain")

    cf = distribution(ue1, "E" + upper_id("", 13, "cf", "dev-notebooks"), "notebook preview", "allow-all",
                      {"cloudFrontDefaultCertificate": True, "minimumProtocolVersion": "TLSv1",
                       "certificateSource": "cloudfront", "sslSupportMethod": "vip"}, "", None,
                      [("notebooks", "notebooks.dev.northwind-analytics.com", "http-only"),
                       ("exports", "nw-dev-partner-share.s3.amazonaws.com", "s3")], ptg)
    plant("cdn-http-allowed", cf, "viewerProtocolPolicy allow-all")
    plant("cdn-weak-tls", cf, "default CloudFront certificate, minimum protocol TLSv1")
    plant("cdn-waf", cf, "no webACLId")
    plant("cdn-access-logs", cf, "logging enabled false")
    plant("cdn-origin-http", cf, "custom origin with originProtocolPolicy http-only")
    plant("cdn-origin-access-control", cf, "S3 origin without an origin access identity or control")

    api = upper_id("", 10, "api", "dev-tools").lower()
    st = rest_stage(ue1, api, "dev", None, None, None, None, False, ptg)
    plant("api-gateway-logging", st, "no accessLogSettings and no execution logging")
    plant("api-gateway-tracing", st, "tracingEnabled false")
    plant("api-gateway-waf", st, "no webAclArn on the stage")
    ra = rest_api(ue1, api, "nw-dev-tools-api", "EDGE",
                  {"reports": {"GET": "NONE"}, "admin": {"POST": "COGNITO_USER_POOLS"}}, ptg)
    plant("api-gateway-no-auth", ra, "GET /reports has authorizationType NONE and no API key (edge-optimized, public)")
    plant("api-gateway-client-certificate", st, "no clientCertificateId: the backend cannot tell the stage's calls apart")
    hapi = upper_id("", 10, "api", "dev-hooks").lower()
    h = http_stage(ue1, hapi, "$default", None, ptg)
    plant("api-gateway-logging", h, "HTTP API stage without access logging")
    plant("api-gateway-client-certificate", h, "no clientCertificateId")

    sub = "subnet-0" + hexid(16, "subnet", acct, vpc, "nw-dev-app-a")
    fl = flow_log(ue1, sub, "AWS::EC2::Subnet", "nw-dev-flowlogs-deleted", "FAILED", ptg)
    plant("flow-log-disabled", fl, "deliverLogsStatus FAILED (destination bucket deleted): records nothing")

    pab_id = acct
    ue1.ci("AWS::S3::AccountPublicAccessBlock", pab_id, None, None, {
        "blockPublicAcls": True, "ignorePublicAcls": True, "blockPublicPolicy": False, "restrictPublicBuckets": False},
        {}, {}, [], region="us-east-1", created=ago(900))
    plant("aws-s3-account-public-access-block-disabled", "aws-account/" + acct,
          "account-level S3 Block Public Access: BlockPublicPolicy and RestrictPublicBuckets false")


def digits10(s):
    return str(int(hexid(8, "elb", s), 16))[:10]


def tag_existing(items, acct, name, tg):
    """Tags an item the generator wrote (its resourceName) as clean/planted."""
    for it in items:
        if it["resourceName"] == name:
            it["tags"].update(tg)
            cfg = it["configuration"]
            if isinstance(cfg, dict) and isinstance(cfg.get("tags"), list):
                cfg["tags"] = [t for t in cfg["tags"] if t["key"] not in tg] + aws.tagset(tg)
            return it
    raise SystemExit("no item named %s in %s" % (name, acct))


def merge(acct, snap, extra_tags, edit=None):
    pattern = os.path.join(ROOT, acct, "AWSLogs", acct, "Config", "us-east-1", "*", "*", "*", "ConfigSnapshot",
                           "*_ConfigSnapshot_*.json")
    files = glob.glob(pattern)
    if len(files) != 1:
        raise SystemExit("want one us-east-1 snapshot for %s, found %s" % (acct, files))
    with open(files[0], encoding="utf-8") as f:
        doc = json.load(f)
    mine = {(it["resourceType"], it["resourceId"]) for it in snap.items}
    items = [it for it in doc["configurationItems"] if (it["resourceType"], it["resourceId"]) not in mine]
    for name, tg in extra_tags:
        tag_existing(items, acct, name, tg)
    if edit:
        edit(items)
    doc["configurationItems"] = items + snap.items
    write_json(files[0], doc, indent=2)
    return [it for it in items if (it["resourceName"] or "") in {n for n, _ in extra_tags}]


def drop_instance_profile(items):
    """CIS AWS 2.16: nw-dev-app-2 runs without an IAM instance profile (its credentials are access keys
    in a file on the instance)."""
    for it in items:
        if it["resourceType"] == "AWS::EC2::Instance" and it["resourceName"] == "nw-dev-app-2":
            it["configuration"]["iamInstanceProfile"] = None
            it["tags"].update(PLANTED_TAG)
            it["configuration"]["tags"] = [t for t in it["configuration"]["tags"] if t["key"] != "sample"] + \
                aws.tagset(PLANTED_TAG)
            plant("aws-ec2-no-instance-profile", it["ARN"], "nw-dev-app-2: iamInstanceProfile null")
            plant("aws-ec2-no-instance-profile", "arn:aws:ec2:us-west-2:%s:instance/i-0%s" % (
                DEV, hexid(16, "i", DEV, "nw-dev-oregon-gpu")),
                "nw-dev-oregon-gpu: no iamInstanceProfile (batch-get-resource-config input)")
            return
    raise SystemExit("no instance nw-dev-app-2 in %s" % DEV)


def trail_selectors(s3_data):
    """The trails' event selectors (GetEventSelectors, in the supplementary configuration as vigil collect
    aws writes it): the prod organization trail logs S3 object-level reads and writes of every bucket
    (CIS AWS 4.8, 4.9), the dev trail management events only."""
    def edit(items):
        for it in items:
            if it["resourceType"] != "AWS::CloudTrail::Trail":
                continue
            sel = {"readWriteType": "All", "includeManagementEvents": True, "dataResources": [],
                   "excludeManagementEventSources": []}
            if s3_data:
                sel["dataResources"] = [{"type": "AWS::S3::Object", "values": ["arn:aws:s3"]}]
            else:
                for rule, kind in (("aws-cloudtrail-s3-write-events-not-logged", "write"),
                                   ("aws-cloudtrail-s3-read-events-not-logged", "read")):
                    plant(rule, it["ARN"], "%s: management events only, no S3 data event selector (%s)"
                          % (it["resourceName"], kind))
            it.setdefault("supplementaryConfiguration", {})["EventSelectors"] = [sel]
    return edit


class Snap(aws.Snapshot):
    def __init__(self, acct, region):
        super().__init__(acct, region)
        self.n = 500  # capture times apart from the generator's

    def ci(self, rtype, rid, name, arn, configuration, supp=None, tags=None, rels=None, az=None, created=None,
           region=None):
        it = super().ci(rtype, rid, name, arn, configuration, supp, tags, rels, az, created, region)
        if arn is None:
            del it["ARN"]  # items without an ARN (AccountPublicAccessBlock) have none
        return it


def main(org=ORG):
    """Adds the items and CLI outputs to org/aws and writes org/expected-aws.json."""
    global ROOT
    ROOT = os.path.join(org, "aws")
    for lst in (CLEAN, PLANTED, PENDING):
        del lst[:]
    CLI.clear()
    prod, dev = Snap(PROD, "us-east-1"), Snap(DEV, "us-east-1")
    build_prod(prod)
    build_dev(dev)
    me = sys.modules[__name__]
    finish_cis = aws_cis.build(me, prod, dev)
    tagged = merge(PROD, prod, [("nw-prod-app-1-root", CLEAN_TAG)],
                   edit=trail_selectors(True))
    clean("disk", tagged[0]["ARN"], "root volume of nw-prod-app-1: encrypted with the EBS CMK, attached")
    # the prod VPC flow logs were written by the generator: the first is documented clean
    tagged = merge(DEV, dev, [("nw-dev-notebook-root", PLANTED_TAG)],
                   edit=lambda items: (drop_instance_profile(items), trail_selectors(False)(items)))
    finish_cis(ROOT)
    for it in tagged:
        plant("disk-unencrypted", it["ARN"], "root volume of nw-dev-notebook: encrypted false")
    for path, doc in sorted(CLI.items()):
        write_json(path, doc, indent=4)
    for c in CLEAN:  # a clean resource's planted rules are planted on it, and no other rule is
        on_it = {p["rule_id"] for p in PLANTED if p["resource_id"] == c["resource_id"]}
        assert on_it == set(c.get("planted_rules", ())), "clean %s: planted %s, marked %s" % (
            c["resource_id"], sorted(on_it), c.get("planted_rules"))
    exp = {"planted": PLANTED, "clean": CLEAN, "incidental": []}
    if PENDING:
        exp["planted_pending_rules"] = PENDING
    with open(os.path.join(org, "expected-aws.json"), "w", encoding="utf-8") as f:
        f.write(json.dumps(exp, indent=2, ensure_ascii=False) + "\n")
    print("%d prod, %d dev items; %d CLI files; %d clean, %d planted, %d pending" % (
        len(prod.items), len(dev.items), len(CLI), len(CLEAN), len(PLANTED), len(PENDING)))


if __name__ == "__main__":
    main()
