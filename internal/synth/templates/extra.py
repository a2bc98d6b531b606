#!/usr/bin/env python3
"""Writes aws-extra.json and gcp-extra.json: AWS Config items and Cloud Asset
lines of the classes the sample organization does not have yet in those
clouds (functions, clusters, load balancers, queues and topics, secrets,
registries, DNS zones, CDN, API gateways, snapshots), one clean and one
misconfigured of each, in the exports' native shapes. The rule flags are set
by `go test ./internal/synth -run Extract -update`."""
import json, os

ACCT, REGION = "111122223333", "us-east-1"
here = os.path.dirname(os.path.abspath(__file__))

def item(rtype, rid, name, arn, conf, supp=None, rels=None):
    return {"configurationItemVersion": "1.3", "configurationItemCaptureTime": "2026-11-24T05:40:00.000Z",
            "configurationItemStatus": "OK", "configurationStateId": "1764000000000", "awsAccountId": ACCT,
            "awsRegion": REGION, "availabilityZone": "Not Applicable", "resourceType": rtype, "resourceId": rid,
            "resourceName": name, "ARN": arn, "tags": {"env": "prod", "team": "synth"}, "relatedEvents": [],
            "relationships": rels or [], "configuration": conf, "supplementaryConfiguration": supp or {}}

def policy(principal, action, res):
    return json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": principal, "Action": action, "Resource": res}]})

aws = []
for bad in (False, True):
    sfx = "-bad" if bad else "-ok"
    n = "synth-fn" + sfx
    arn = f"arn:aws:lambda:{REGION}:{ACCT}:function:{n}"
    conf = {"functionName": n, "functionArn": arn, "runtime": "python3.7" if bad else "python3.12",
            "role": f"arn:aws:iam::{ACCT}:role/synth-fn-role", "handler": "app.handler", "codeSize": 1024,
            "timeout": 30, "memorySize": 256, "lastModified": "2026-10-01T00:00:00.000+0000",
            "tracingConfig": {"mode": "PassThrough" if bad else "Active"}, "packageType": "Zip", "architectures": ["arm64"]}
    if bad:
        conf["environment"] = {"variables": {"DB_PASSWORD": "hunter2", "STAGE": "prod"}}
    else:
        conf["vpcConfig"] = {"subnetIds": ["subnet-0a1b2c3d4e5f60718"], "securityGroupIds": ["sg-0a1b2c3d4e5f60718"]}
    supp = {"Policy": policy("*" if bad else {"Service": "events.amazonaws.com"}, "lambda:InvokeFunction", arn)}
    aws.append(item("AWS::Lambda::Function", n, n, arn, conf, supp))

    n = "synth-eks" + sfx
    arn = f"arn:aws:eks:{REGION}:{ACCT}:cluster/{n}"
    conf = {"Name": n, "Arn": arn, "Version": "1.24" if bad else "1.33", "RoleArn": f"arn:aws:iam::{ACCT}:role/eks-cluster",
            "ResourcesVpcConfig": {"SubnetIds": ["subnet-0a1b2c3d4e5f60718"], "EndpointPublicAccess": bad,
                                   "EndpointPrivateAccess": True, "PublicAccessCidrs": ["0.0.0.0/0"] if bad else []}}
    if not bad:
        conf["Logging"] = {"ClusterLogging": {"EnabledTypes": [{"Type": t} for t in ("api", "audit", "authenticator")]}}
        conf["EncryptionConfig"] = [{"Resources": ["secrets"], "Provider": {"KeyArn": f"arn:aws:kms:{REGION}:{ACCT}:key/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"}}]
    aws.append(item("AWS::EKS::Cluster", n, n, arn, conf))

    n = "synth-alb" + sfx
    lbarn = f"arn:aws:elasticloadbalancing:{REGION}:{ACCT}:loadbalancer/app/{n}/50dc6c495c0c9188"
    aws.append(item("AWS::ElasticLoadBalancingV2::LoadBalancer", lbarn, n, lbarn,
                    {"loadBalancerArn": lbarn, "loadBalancerName": n, "scheme": "internet-facing", "vpcId": "vpc-0a1b2c3d4e5f60718",
                     "type": "application", "ipAddressType": "ipv4", "state": {"code": "active"}},
                    {"LoadBalancerAttributes": [{"key": "access_logs.s3.enabled", "value": "false" if bad else "true"},
                                                {"key": "routing.http.drop_invalid_header_fields.enabled", "value": "true"}]}))
    larn = f"arn:aws:elasticloadbalancing:{REGION}:{ACCT}:listener/app/{n}/50dc6c495c0c9188/f2f7dc8efc522ab2"
    lconf = {"ListenerArn": larn, "LoadBalancerArn": lbarn, "Port": 80 if bad else 443, "Protocol": "HTTP" if bad else "HTTPS",
             "DefaultActions": [{"Type": "forward", "TargetGroupArn": f"arn:aws:elasticloadbalancing:{REGION}:{ACCT}:targetgroup/tg/943f017f100becff"}]}
    if not bad:
        lconf["SslPolicy"] = "ELBSecurityPolicy-TLS13-1-2-2021-06"
        lconf["Certificates"] = [{"CertificateArn": f"arn:aws:acm:{REGION}:{ACCT}:certificate/12345678-1234-1234-1234-123456789012"}]
    aws.append(item("AWS::ElasticLoadBalancingV2::Listener", larn, n + "-listener", larn, lconf))

    n = "synth-queue" + sfx
    arn = f"arn:aws:sqs:{REGION}:{ACCT}:{n}"
    q = {"QueueName": n, "QueueUrl": f"https://sqs.{REGION}.amazonaws.com/{ACCT}/{n}", "Arn": arn, "VisibilityTimeout": "30",
         "SqsManagedSseEnabled": not bad, "Policy": policy("*" if bad else {"AWS": f"arn:aws:iam::{ACCT}:root"}, "sqs:SendMessage", arn)}
    aws.append(item("AWS::SQS::Queue", f"https://sqs.{REGION}.amazonaws.com/{ACCT}/{n}", n, arn, q))

    n = "synth-topic" + sfx
    arn = f"arn:aws:sns:{REGION}:{ACCT}:{n}"
    t = {"TopicArn": arn, "TopicName": n, "DisplayName": n}
    if not bad:
        t["KmsMasterKeyId"] = "alias/aws/sns"
    aws.append(item("AWS::SNS::Topic", arn, n, arn, t))

    n = "synth/secret" + sfx
    arn = f"arn:aws:secretsmanager:{REGION}:{ACCT}:secret:{n}-AbCdEf"
    s = {"Name": n, "ARN": arn, "RotationEnabled": not bad, "LastChangedDate": "2026-10-01T00:00:00.000Z",
         "LastRotatedDate": "2025-01-01T00:00:00.000Z" if bad else "2026-11-01T00:00:00.000Z"}
    if not bad:
        s["KMSKeyId"] = f"arn:aws:kms:{REGION}:{ACCT}:key/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"
        s["RotationRules"] = {"AutomaticallyAfterDays": 30}
    aws.append(item("AWS::SecretsManager::Secret", arn, n, arn, s))

    n = "synth-repo" + sfx
    arn = f"arn:aws:ecr:{REGION}:{ACCT}:repository/{n}"
    aws.append(item("AWS::ECR::Repository", n, n, arn,
                    {"RepositoryName": n, "Arn": arn, "ImageTagMutability": "MUTABLE" if bad else "IMMUTABLE",
                     "ImageScanningConfiguration": {"ScanOnPush": not bad},
                     "EncryptionConfiguration": {"EncryptionType": "AES256" if bad else "KMS"} | ({} if bad else {"KmsKey": f"arn:aws:kms:{REGION}:{ACCT}:key/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"}),
                     "RepositoryPolicyText": policy("*" if bad else {"AWS": f"arn:aws:iam::{ACCT}:root"}, "ecr:BatchGetImage", arn)}))

    zid = "Z0123456789ABCDEFGH" + ("B" if bad else "O")
    n = ("bad" if bad else "ok") + ".synth.example."
    z = {"Id": zid, "Name": n, "HostedZoneConfig": {"PrivateZone": False}, "NameServers": ["ns-1.awsdns-01.org"]}
    if not bad:
        z["QueryLoggingConfig"] = {"CloudWatchLogsLogGroupArn": f"arn:aws:logs:us-east-1:{ACCT}:log-group:/aws/route53/{n}"}
    aws.append(item("AWS::Route53::HostedZone", zid, n, f"arn:aws:route53:::hostedzone/{zid}", z))

    did = "E1A2B3C4D5E6F" + ("B" if bad else "O")
    arn = f"arn:aws:cloudfront::{ACCT}:distribution/{did}"
    dc = {"enabled": True, "comment": "synth", "defaultCacheBehavior": {"viewerProtocolPolicy": "allow-all" if bad else "redirect-to-https", "targetOriginId": "origin"},
          "cacheBehaviors": {"quantity": 0, "items": []},
          "origins": {"quantity": 1, "items": [{"id": "origin", "domainName": "origin.synth.example",
                                                 "customOriginConfig": {"originProtocolPolicy": "http-only" if bad else "https-only", "httpPort": 80, "httpsPort": 443}}]},
          "viewerCertificate": {"cloudFrontDefaultCertificate": False, "acmCertificateArn": f"arn:aws:acm:us-east-1:{ACCT}:certificate/12345678-1234-1234-1234-123456789012",
                                "minimumProtocolVersion": "TLSv1" if bad else "TLSv1.2_2021", "sslSupportMethod": "sni-only"},
          "webACLId": "" if bad else f"arn:aws:wafv2:us-east-1:{ACCT}:global/webacl/synth/a1b2c3d4",
          "logging": {"enabled": not bad, "bucket": "" if bad else "synth-cf-logs.s3.amazonaws.com", "prefix": ""}}
    aws.append(item("AWS::CloudFront::Distribution", did, did, arn, {"id": did, "arn": arn, "distributionConfig": dc}))

    api = "a1b2c3d4e" + ("b" if bad else "o")
    stage = "prod"
    arn = f"arn:aws:apigateway:{REGION}::/restapis/{api}/stages/{stage}"
    st = {"stageName": stage, "restApiId": api, "deploymentId": "dep123", "tracingEnabled": not bad,
          "methodSettings": {} if bad else {"*/*": {"loggingLevel": "INFO", "metricsEnabled": True}}}
    if not bad:
        st["accessLogSettings"] = {"destinationArn": f"arn:aws:logs:{REGION}:{ACCT}:log-group:api-access", "format": "$context.requestId"}
        st["webAclArn"] = f"arn:aws:wafv2:{REGION}:{ACCT}:regional/webacl/synth/a1b2c3d4"
        st["clientCertificateId"] = "cc123"
    aws.append(item("AWS::ApiGateway::Stage", arn, stage, arn, st))

    sid = "snap-0a1b2c3d4e5f6071" + ("b" if bad else "0")
    arn = f"arn:aws:ec2:{REGION}:{ACCT}:snapshot/{sid}"
    aws.append(item("AWS::EC2::Snapshot", sid, sid, arn,
                    {"snapshotId": sid, "volumeId": "vol-0a1b2c3d4e5f60718", "state": "completed", "encrypted": not bad,
                     "volumeSize": 100, "startTime": "2026-11-01T00:00:00.000Z", "ownerId": ACCT},
                    {"CreateVolumePermissions": [{"group": "all"}] if bad else []}))

json.dump({"cloud": "aws", "accounts": [ACCT], "templates": [{"rule": True, "type": it["resourceType"], "doc": it} for it in aws]},
          open(os.path.join(here, "aws-extra.json"), "w"), indent=1)

# GCP: Cloud Asset Inventory resource lines (project nw-analytics-prod, 418273645091).
PROJ, NUM = "nw-analytics-prod", "418273645091"
ANC = [f"projects/{NUM}", "folders/771245098310", "organizations/583920174615"]

def asset(svc, path, atype, disc, data, location):
    return {"name": f"//{svc}/{path}", "asset_type": atype,
            "resource": {"version": "v1", "discovery_document_uri": f"https://www.googleapis.com/discovery/v1/apis/{svc.split('.')[0]}/v1/rest",
                         "discovery_name": disc, "parent": f"//cloudresourcemanager.googleapis.com/projects/{NUM}", "data": data, "location": location},
            "ancestors": ANC, "update_time": "2026-11-21T03:00:00.352932Z"}

CMEK = f"projects/{PROJ}/locations/us-central1/keyRings/nw-prod-ring/cryptoKeys/synth-cmek"
gcp = []
for bad in (False, True):
    sfx = "-bad" if bad else "-ok"
    n = "synth-snap" + sfx
    p = f"projects/{PROJ}/global/snapshots/{n}"
    d = {"kind": "compute#snapshot", "id": "1234567890123" + ("1" if bad else "0"), "name": n, "status": "READY",
         "creationTimestamp": "2026-11-01T00:00:00.000-08:00", "diskSizeGb": "100", "storageBytes": "1073741824",
         "sourceDisk": f"https://www.googleapis.com/compute/v1/projects/{PROJ}/zones/us-central1-a/disks/nw-etl-worker-1",
         "selfLink": f"https://www.googleapis.com/compute/v1/{p}", "storageLocations": ["us"]}
    if not bad:
        d["snapshotEncryptionKey"] = {"kmsKeyName": CMEK + "/cryptoKeyVersions/1"}
    gcp.append(asset("compute.googleapis.com", p, "compute.googleapis.com/Snapshot", "Snapshot", d, "global"))

    n = "synth-fn" + sfx
    p = f"projects/{PROJ}/locations/us-central1/functions/{n}"
    d = {"name": p, "runtime": "python37" if bad else "python312", "entryPoint": "handler", "status": "ACTIVE",
         "serviceAccountEmail": f"{NUM}-compute@developer.gserviceaccount.com" if bad else f"sa-fn@{PROJ}.iam.gserviceaccount.com",
         "httpsTrigger": {"url": f"https://us-central1-{PROJ}.cloudfunctions.net/{n}", "securityLevel": "SECURE_OPTIONAL" if bad else "SECURE_ALWAYS"},
         "ingressSettings": "ALLOW_ALL" if bad else "ALLOW_INTERNAL_ONLY", "availableMemoryMb": 256, "timeout": "60s",
         "updateTime": "2026-10-01T00:00:00Z", "versionId": "3"}
    if bad:
        d["environmentVariables"] = {"API_SECRET": "s3cr3t", "STAGE": "prod"}
    else:
        d["vpcConnector"] = f"projects/{PROJ}/locations/us-central1/connectors/synth-conn"
        d["kmsKeyName"] = CMEK
    gcp.append(asset("cloudfunctions.googleapis.com", p, "cloudfunctions.googleapis.com/CloudFunction", "CloudFunction", d, "us-central1"))

    n = "synth-gke" + sfx
    p = f"projects/{PROJ}/locations/us-central1/clusters/{n}"
    d = {"name": n, "location": "us-central1", "currentMasterVersion": "1.24.17-gke.100" if bad else "1.33.4-gke.1000",
         "status": "RUNNING", "network": "default", "subnetwork": "default",
         "loggingService": "none" if bad else "logging.googleapis.com/kubernetes",
         "monitoringService": "monitoring.googleapis.com/kubernetes",
         "networkPolicy": {"enabled": not bad, "provider": "CALICO"} if not bad else {},
         "legacyAbac": {"enabled": bad},
         "masterAuth": {"clusterCaCertificate": "LS0t", **({"clientCertificate": "LS0tLS1CRUdJTg=="} if bad else {})},
         "privateClusterConfig": {"enablePrivateNodes": not bad, "enablePrivateEndpoint": not bad, "masterIpv4CidrBlock": "172.16.0.0/28"},
         "masterAuthorizedNetworksConfig": {"enabled": not bad, "cidrBlocks": [] if bad else [{"displayName": "corp", "cidrBlock": "10.0.0.0/8"}]},
         "nodePools": [{"name": "default-pool", "initialNodeCount": 3, "management": {"autoUpgrade": not bad, "autoRepair": True},
                        "config": {"machineType": "e2-standard-4", "serviceAccount": "default" if bad else f"gke-nodes@{PROJ}.iam.gserviceaccount.com",
                                   "shieldedInstanceConfig": {"enableSecureBoot": not bad, "enableIntegrityMonitoring": True}}}],
         "databaseEncryption": {"state": "DECRYPTED"} if bad else {"state": "ENCRYPTED", "keyName": CMEK},
         "selfLink": f"https://container.googleapis.com/v1/{p}"}
    gcp.append(asset("container.googleapis.com", p, "container.googleapis.com/Cluster", "Cluster", d, "us-central1"))

    n = "synth-topic" + sfx
    p = f"projects/{PROJ}/topics/{n}"
    d = {"name": p, "messageRetentionDuration": "604800s"}
    if not bad:
        d["kmsKeyName"] = CMEK
    gcp.append(asset("pubsub.googleapis.com", p, "pubsub.googleapis.com/Topic", "Topic", d, "global"))

    n = "synth-secret" + sfx
    p = f"projects/{NUM}/secrets/{n}"
    d = {"name": p, "createTime": "2025-01-01T00:00:00Z", "etag": "\"1\""}
    if bad:
        d["replication"] = {"automatic": {}}
    else:
        d["replication"] = {"automatic": {"customerManagedEncryption": {"kmsKeyName": CMEK}}}
        d["rotation"] = {"rotationPeriod": "2592000s", "nextRotationTime": "2026-12-01T00:00:00Z"}
        d["topics"] = [{"name": f"projects/{PROJ}/topics/secret-rotation"}]
        d["expireTime"] = "2027-06-01T00:00:00Z"
    gcp.append(asset("secretmanager.googleapis.com", p, "secretmanager.googleapis.com/Secret", "Secret", d, "global"))

    n = "synth-repo" + sfx
    p = f"projects/{PROJ}/locations/us-central1/repositories/{n}"
    d = {"name": p, "format": "DOCKER", "mode": "STANDARD_REPOSITORY", "createTime": "2025-01-01T00:00:00Z",
         "vulnerabilityScanningConfig": {"enablementConfig": "DISABLED" if bad else "AUTOMATIC",
                                         "enablementState": "SCANNING_DISABLED" if bad else "SCANNING_ACTIVE"}}
    if not bad:
        d["kmsKeyName"] = CMEK
    gcp.append(asset("artifactregistry.googleapis.com", p, "artifactregistry.googleapis.com/Repository", "Repository", d, "us-central1"))

    n = "synth-zone" + sfx
    p = f"projects/{PROJ}/managedZones/{n}"
    d = {"name": n, "dnsName": ("bad" if bad else "ok") + ".synth.example.", "visibility": "public", "id": "7000000000000" + ("1" if bad else "0"),
         "nameServers": ["ns-cloud-a1.googledomains.com."], "creationTime": "2025-01-01T00:00:00.000Z",
         "dnssecConfig": {"state": "on", "nonExistence": "nsec3",
                          "defaultKeySpecs": [{"keyType": "keySigning", "algorithm": "rsasha1" if bad else "rsasha256", "keyLength": 2048},
                                              {"keyType": "zoneSigning", "algorithm": "rsasha1" if bad else "rsasha256", "keyLength": 1024}]}
                         if not bad else {"state": "off"}}
    gcp.append(asset("dns.googleapis.com", p, "dns.googleapis.com/ManagedZone", "ManagedZone", d, "global"))

    n = "synth-gw" + sfx
    p = f"projects/{PROJ}/locations/us-central1/gateways/{n}"
    d = {"name": p, "apiConfig": f"projects/{PROJ}/locations/global/apis/synth-api/configs/v1", "state": "ACTIVE",
         "defaultHostname": f"{n}-abc.uc.gateway.dev", "createTime": "2025-01-01T00:00:00Z"}
    gcp.append(asset("apigateway.googleapis.com", p, "apigateway.googleapis.com/Gateway", "Gateway", d, "us-central1"))

json.dump({"cloud": "gcp", "accounts": [NUM, PROJ], "templates": [{"rule": True, "type": a["asset_type"], "doc": a} for a in gcp]},
          open(os.path.join(here, "gcp-extra.json"), "w"), indent=1)
