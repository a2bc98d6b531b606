package cloudformation_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/vigil-sec/vigil/internal/iac/cloudformation"
	"github.com/vigil-sec/vigil/internal/importer"
	"github.com/vigil-sec/vigil/internal/resource"
	"github.com/vigil-sec/vigil/internal/source"
)

// configItem is an AWS Config configuration item of account 111122223333.
func configItem(typ, id string, cfg, supp map[string]any) map[string]any {
	return map[string]any{
		"resourceType": typ, "resourceId": id, "resourceName": id, "awsRegion": "eu-west-1", "awsAccountId": "111122223333",
		"configurationItemCaptureTime": "2026-11-20T08:00:00.000Z", "configurationItemStatus": "OK",
		"configuration": cfg, "supplementaryConfiguration": supp, "relationships": []any{},
	}
}

// TestSameFactsAsAWSConfig: a template and the AWS Config items of what it
// deploys give the same class and facts, so the same rules judge both.
func TestSameFactsAsAWSConfig(t *testing.T) {
	tmpl := `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Bucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: data
      VersioningConfiguration: {Status: Enabled}
      LoggingConfiguration: {DestinationBucketName: logs}
      BucketEncryption:
        ServerSideEncryptionConfiguration:
          - ServerSideEncryptionByDefault: {SSEAlgorithm: "aws:kms", KMSMasterKeyID: alias/data}
  BucketPolicy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref Bucket
      PolicyDocument:
        Statement:
          - {Effect: Deny, Principal: "*", Action: "s3:*", Resource: "arn:aws:s3:::data/*", Condition: {Bool: {aws:SecureTransport: "false"}}}
  Web:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupName: web
      GroupDescription: web
      SecurityGroupIngress:
        - {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0}
      SecurityGroupEgress:
        - {IpProtocol: "-1", CidrIp: 0.0.0.0/0}
  Db:
    Type: AWS::RDS::DBInstance
    Properties:
      DBInstanceIdentifier: db
      Engine: postgres
      PubliclyAccessible: false
      StorageEncrypted: true
      KmsKeyId: alias/db
      BackupRetentionPeriod: 7
      MultiAZ: true
      DeletionProtection: true
      AutoMinorVersionUpgrade: false
  Key:
    Type: AWS::KMS::Key
    Properties:
      EnableKeyRotation: true
      RotationPeriodInDays: 90
  Trail:
    Type: AWS::CloudTrail::Trail
    Properties:
      TrailName: trail
      IsLogging: true
      IsMultiRegionTrail: true
      EnableLogFileValidation: true
      KMSKeyId: alias/trail
      S3BucketName: logs
  Repo:
    Type: AWS::ECR::Repository
    Properties:
      RepositoryName: repo
      ImageTagMutability: IMMUTABLE
      ImageScanningConfiguration: {ScanOnPush: true}
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      FunctionName: fn
      Runtime: python3.12
      Role: arn:aws:iam::111122223333:role/fn
      Environment: {Variables: {API_TOKEN: x, STAGE: prod}}
      TracingConfig: {Mode: Active}
      VpcConfig: {SubnetIds: [subnet-1], SecurityGroupIds: [sg-1]}
  Queue:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: q
      KmsMasterKeyId: alias/aws/sqs
  Topic:
    Type: AWS::SNS::Topic
    Properties:
      TopicName: t
      KmsMasterKeyId: alias/topic
  Cluster:
    Type: AWS::EKS::Cluster
    Properties:
      Name: k
      Version: "1.30"
      RoleArn: arn:aws:iam::111122223333:role/eks
      ResourcesVpcConfig: {SubnetIds: [subnet-1], EndpointPublicAccess: true, PublicAccessCidrs: [10.0.0.0/8]}
      Logging: {ClusterLogging: {EnabledTypes: [{Type: api}]}}
      EncryptionConfig: [{Resources: [secrets], Provider: {KeyArn: arn:aws:kms:eu-west-1:111122223333:key/k}}]
  Lb:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties:
      Scheme: internal
`
	items := []any{
		configItem("AWS::S3::Bucket", "data", map[string]any{"name": "data"}, map[string]any{
			"BucketLoggingConfiguration":        map[string]any{"destinationBucketName": "logs"},
			"BucketPolicy":                      map[string]any{"policyText": `{"Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::data/*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}`},
			"BucketVersioningConfiguration":     map[string]any{"status": "Enabled"},
			"PublicAccessBlockConfiguration":    map[string]any{"blockPublicAcls": true, "ignorePublicAcls": true, "blockPublicPolicy": true, "restrictPublicBuckets": true},
			"ServerSideEncryptionConfiguration": map[string]any{"rules": []any{map[string]any{"applyServerSideEncryptionByDefault": map[string]any{"sseAlgorithm": "aws:kms", "kmsMasterKeyID": "alias/data"}}}},
			"BucketOwnershipControls":           map[string]any{"rules": []any{map[string]any{"objectOwnership": "BucketOwnerEnforced"}}},
		}),
		configItem("AWS::EC2::SecurityGroup", "sg-1", map[string]any{
			"groupName": "web",
			"ipPermissions": []any{map[string]any{"ipProtocol": "tcp", "fromPort": 22, "toPort": 22,
				"ipv4Ranges": []any{map[string]any{"cidrIp": "0.0.0.0/0"}}}},
			"ipPermissionsEgress": []any{map[string]any{"ipProtocol": "-1", "ipv4Ranges": []any{map[string]any{"cidrIp": "0.0.0.0/0"}}}},
		}, nil),
		configItem("AWS::RDS::DBInstance", "db", map[string]any{
			"engine": "postgres", "publiclyAccessible": false, "storageEncrypted": true, "kmsKeyId": "alias/db",
			"backupRetentionPeriod": 7, "multiAZ": true, "deletionProtection": true, "autoMinorVersionUpgrade": false,
		}, nil),
		configItem("AWS::KMS::Key", "k-1", map[string]any{"keyManager": "CUSTOMER", "keyState": "Enabled", "keySpec": "SYMMETRIC_DEFAULT",
			"keyRotationEnabled": true, "rotationPeriodInDays": 90}, nil),
		configItem("AWS::CloudTrail::Trail", "trail", map[string]any{"isMultiRegionTrail": true, "logFileValidationEnabled": true,
			"kmsKeyId": "alias/trail", "s3BucketName": "logs", "isLogging": true}, nil),
		configItem("AWS::ECR::Repository", "repo", map[string]any{"RepositoryName": "repo", "ImageTagMutability": "IMMUTABLE",
			"ImageScanningConfiguration": map[string]any{"ScanOnPush": true}}, nil),
		configItem("AWS::Lambda::Function", "fn", map[string]any{"functionName": "fn", "runtime": "python3.12",
			"role": "arn:aws:iam::111122223333:role/fn", "environment": map[string]any{"variables": map[string]any{"API_TOKEN": "x", "STAGE": "prod"}},
			"tracingConfig": map[string]any{"mode": "Active"}, "vpcConfig": map[string]any{"subnetIds": []any{"subnet-1"}}}, nil),
		configItem("AWS::SQS::Queue", "q", map[string]any{"QueueName": "q", "KmsMasterKeyId": "alias/aws/sqs"}, nil),
		configItem("AWS::SNS::Topic", "t", map[string]any{"KmsMasterKeyId": "alias/topic"}, nil),
		configItem("AWS::EKS::Cluster", "k", map[string]any{"Version": "1.30", "RoleArn": "arn:aws:iam::111122223333:role/eks",
			"ResourcesVpcConfig": map[string]any{"EndpointPublicAccess": true, "PublicAccessCidrs": []any{"10.0.0.0/8"}},
			"Logging":            map[string]any{"ClusterLogging": map[string]any{"EnabledTypes": []any{map[string]any{"Type": "api"}}}},
			"EncryptionConfig":   []any{map[string]any{"Resources": []any{"secrets"}, "Provider": map[string]any{"KeyArn": "arn:aws:kms:eu-west-1:111122223333:key/k"}}}}, nil),
		configItem("AWS::ElasticLoadBalancingV2::LoadBalancer", "lb", map[string]any{"scheme": "internal"}, nil),
	}
	dir := t.TempDir()
	data, _ := json.Marshal(map[string]any{"configurationItems": items})
	if err := os.WriteFile(filepath.Join(dir, "config.json"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	inv, err := importer.Load(context.Background(), []string{dir})
	if err != nil {
		t.Fatal(err)
	}
	live := map[string]*resource.Resource{}
	for _, r := range inv.Resources {
		live[r.Type] = r
	}
	cfnDir := t.TempDir()
	if err := os.WriteFile(filepath.Join(cfnDir, "t.yaml"), []byte(tmpl), 0o644); err != nil {
		t.Fatal(err)
	}
	var iac []*resource.Resource
	err = cloudformation.New(cfnDir, []string{"t.yaml"}, cloudformation.Options{}).Read(context.Background(), func(b source.Batch) error {
		if len(b.Problems) > 0 {
			t.Errorf("problems: %v", b.Problems)
		}
		iac = append(iac, b.Resources...)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	compared := 0
	for _, r := range iac {
		l := live[r.Type]
		if l == nil {
			t.Errorf("no live %s", r.Type)
			continue
		}
		compared++
		if r.Class != l.Class {
			t.Errorf("%s: class %s, live %s", r.Type, r.Class, l.Class)
		}
		got, _ := json.Marshal(r.Facts)
		want, _ := json.Marshal(l.Facts)
		if r.Type == "AWS::EC2::SecurityGroup" {
			// Whether the group is in use is in the live relationships only.
			g, w := *r.Facts.Firewall, *l.Facts.Firewall
			g.InUse, w.InUse = nil, nil
			got, _ = json.Marshal(g)
			want, _ = json.Marshal(w)
		}
		// Every fact the live item gives, the template gives the same; the
		// template may say more (a default the item does not record).
		var g, w map[string]any
		_ = json.Unmarshal(got, &g)
		_ = json.Unmarshal(want, &w)
		// Data locations come from the live item's region, which a template
		// does not name (it is the deploying stack's region).
		delete(w, "data")
		// Exposure is derived from the network around a resource (route
		// tables, listeners, public IPs), which the template's stack and the
		// live account hold differently.
		delete(w, "exposure")
		delete(g, "exposure")
		if !subset(w, g) {
			t.Errorf("%s facts differ:\n template %s\n live     %s", r.Type, got, want)
		}
	}
	if compared != 12 {
		t.Errorf("compared %d resources", compared)
	}
}

// subset reports whether every leaf of want is in got with the same value
// (lists compared whole).
func subset(want, got map[string]any) bool {
	for k, w := range want {
		g, ok := got[k]
		if !ok {
			return false
		}
		wm, isMap := w.(map[string]any)
		if !isMap {
			if !reflect.DeepEqual(w, g) {
				return false
			}
			continue
		}
		gm, _ := g.(map[string]any)
		if !subset(wm, gm) {
			return false
		}
	}
	return true
}
