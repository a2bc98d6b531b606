package awsconfig

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/importer/internal/attr"
	"github.com/vigil-sec/vigil/internal/resource"
)

func addSeeds(f *testing.F, names ...string) {
	for _, n := range names {
		data, err := os.ReadFile(filepath.Join("testdata", n))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
}

func checkResources(t *testing.T, rs []*resource.Resource) {
	for _, r := range rs {
		if r.Provider != resource.AWS || r.ID == "" || r.Class == "" {
			t.Fatalf("bad resource: %+v", r)
		}
	}
}

// FuzzAWSConfig feeds arbitrary JSON documents through detection, item
// normalization and finalization: nothing may panic, and every resource
// produced has a provider, an ID and a class.
func FuzzAWSConfig(f *testing.F) {
	addSeeds(f, "snapshot.json", "history-api.json", "batch.json", "select.json", "password-policy.json")
	f.Add([]byte(`{"FlowLogs":[{"FlowLogId":"fl-1","ResourceId":"vpc-1","FlowLogStatus":"ACTIVE"}]}`))
	f.Add([]byte(`{"EbsEncryptionByDefault":false}`))
	f.Add([]byte(`{"KeyRotationEnabled":true,"KeyId":"arn:aws:kms:us-east-1:111122223333:key/k","RotationPeriodInDays":90}`))
	f.Add([]byte(`{"KeyRotationEnabled":true,"KeyId":"arn:x"}`))
	f.Add([]byte(`{"AlternateContact":{"AlternateContactType":"SECURITY","EmailAddress":"a@b"}}`))
	f.Add([]byte(`[{"resourceType":"AWS::EC2::Instance","awsRegion":"x","configuration":"{\"publicIpAddress\":\"1.2.3.4\"}"}]`))
	f.Add([]byte(`{"configurationItems":{"resourceType":"AWS::S3::Bucket"},"configSnapshotId":"x","fileVersion":"1.0"}`))
	f.Add([]byte(`{"configurationItems":[{"resourceType":"AWS::S3::Bucket","ARN":"arn:aws:s3:::b","awsRegion":"us-east-1","supplementaryConfiguration":{"BucketPolicy":{"policyText":"{\"Statement\":{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:*\"}}"},"AccessControlList":"{\"grantList\":[{\"grantee\":\"AllUsers\"}]}"}}]}`))
	f.Add([]byte(`{"configurationItems":[{"resourceType":"AWS::IAM::Role","ARN":"arn:aws:iam::1:role/r","awsRegion":"global","configuration":{"assumeRolePolicyDocument":"%7B%22Statement%22%3A%7B%22Effect%22%3A%22Allow%22%2C%22Principal%22%3A%22*%22%7D%7D","rolePolicyList":[{"policyName":"p","policyDocument":"{}"}],"instanceProfileList":[{"arn":"x"}]}},{"resourceType":"AWS::IAM::Policy","ARN":"arn:aws:iam::1:policy/p","awsRegion":"global","configuration":{"defaultVersionId":"v1","attachmentCount":1,"policyVersionList":[{"versionId":"v1","isDefaultVersion":true,"document":"{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}"}]}}]}`))
	f.Add([]byte(`{"configurationItems":[{"resourceType":"AWS::ElasticLoadBalancingV2::LoadBalancer","ARN":"lb","awsRegion":"r","configuration":{"scheme":"internet-facing"}},{"resourceType":"AWS::ElasticLoadBalancingV2::Listener","ARN":"l","awsRegion":"r","configuration":{"LoadBalancerArn":"lb","Protocol":"HTTP","Port":80,"DefaultActions":[{"Type":"forward"}]}}]}`))
	f.Add([]byte(`{"Snapshots":[{"SnapshotId":"snap-1","Encrypted":false,"OwnerId":"111122223333"}]}`))
	f.Add([]byte(`{"SnapshotId":"snap-1","CreateVolumePermissions":[{"Group":"all"},{"UserId":"1"}]}`))
	f.Add([]byte(`{"Images":[{"ImageId":"ami-1","Public":true,"BlockDeviceMappings":[{"Ebs":{"Encrypted":false}}]}]}`))
	f.Add([]byte(`{"ImageId":"ami-1","LaunchPermissions":[{"Group":"all"}]}`))
	f.Add([]byte(`{"Policy":"{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"lambda:InvokeFunction\",\"Resource\":\"arn:aws:lambda:us-east-1:1:function:f\"}]}","RevisionId":"x"}`))
	f.Add([]byte(`{"Attributes":{"QueueArn":"arn:aws:sqs:us-east-1:1:q","Policy":"x"}}`))
	f.Add([]byte(`{"ARN":"arn:aws:secretsmanager:us-east-1:1:secret:s","Name":"s","ResourcePolicy":5}`))
	f.Add([]byte(`{"registryId":"1","repositoryName":"r","policyText":"{}"}`))
	f.Add([]byte(`{"items":[{"id":"r","path":"/x","resourceMethods":{"GET":{"authorizationType":"NONE"}}}]}`))
	f.Add([]byte(`{"ARN":"arn:aws:secretsmanager:us-east-1:1:secret:s","Name":"s","RotationEnabled":true,"RotationRules":{"AutomaticallyAfterDays":400},"LastRotatedDate":"2025-01-01T00:00:00Z"}`))
	// The outputs vigil collect writes beside the sample's (collected.go).
	f.Add([]byte(`{"FunctionUrlConfigs":[{"FunctionArn":"arn:aws:lambda:us-east-1:1:function:f:live","AuthType":"NONE"},{"FunctionArn":5}]}`))
	f.Add([]byte(`{"FunctionUrl":"https://x.lambda-url.us-east-1.on.aws/","FunctionArn":"arn:aws:lambda:us-east-1:1:function:f","AuthType":"AWS_IAM"}`))
	f.Add([]byte(`{"Policy":"{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"kms:*\",\"Resource\":\"*\"}]}","PolicyName":"default"}`))
	f.Add([]byte(`{"HubArn":"arn:aws:securityhub:us-east-1:1:hub/default","SubscribedAt":"2024-03-01T10:00:00.000Z"}`))
	f.Add([]byte(`{"StandardsSubscriptions":[{"StandardsSubscriptionArn":"arn:aws:securityhub:us-east-1:1:subscription/cis/v/3.0.0"},{}]}`))
	f.Add([]byte(`{"DeliveryChannels":[{"name":"default","s3BucketName":"b"},{"s3BucketName":"c"}]}`))
	f.Add([]byte(`{"SummaryMap":{"Users":3}}`))
	f.Add([]byte(`{"configurationItems":[{"resourceType":"AWS::RDS::DBSnapshot","ARN":"arn:aws:rds:us-east-1:1:snapshot:s","awsRegion":"us-east-1","configuration":{"snapshotType":"manual","encrypted":true,"kmsKeyId":"k"},"supplementaryConfiguration":{"DBSnapshotAttributes":[{"attributeName":"restore","attributeValues":["all","2"]}]}},{"resourceType":"AWS::ElasticLoadBalancingV2::LoadBalancer","ARN":"lb","awsRegion":"r","configuration":{},"supplementaryConfiguration":{"LoadBalancerAttributes":[{"key":"deletion_protection.enabled","value":"false"}]}}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var doc any
		if attr.Decode(data, &doc) != nil || Detect(doc) == "" {
			return
		}
		res := Parse(context.Background(), "fuzz.us-east-1.json", doc)
		checkResources(t, res.Resources)
		ids := map[string]bool{}
		for _, r := range res.Resources {
			ids[r.ID] = true
			if _, listed := res.Unsupported[r.ID]; (r.Class == resource.ClassOther) != listed && r.Source == "fuzz.us-east-1.json" &&
				strings.HasPrefix(r.Type, "AWS::") && !strings.Contains(r.Type, "::::") && r.Type != TypeEBSDefault &&
				r.Type != TypeKeyRotation && r.Type != TypeSecContact && r.Type != TypePasswordPolicy {
				t.Fatalf("%s (%s): class %s, listed unsupported %v", r.ID, r.Type, r.Class, listed)
			}
		}
		for _, p := range res.Problems {
			if p.Err == "" || (p.Resource != "" && !ids[p.Resource] && !strings.HasPrefix(p.Resource, "aws:")) {
				t.Fatalf("problem %+v names no resource of the file", p)
			}
		}
		added, _ := Finalize(res.Resources)
		checkResources(t, added)
	})
}

// FuzzCredentialReport feeds arbitrary text after the report header.
func FuzzCredentialReport(f *testing.F) {
	addSeeds(f, "credential-report.csv")
	f.Add([]byte(credentialReportHeader + "password_enabled\n\"a\",\"b\nc\",,\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if !IsCredentialReport(data) {
			data = append([]byte(credentialReportHeader+"mfa_active\n"), data...)
		}
		res := ParseCredentialReport("fuzz.csv", data)
		checkResources(t, res.Resources)
		for _, p := range res.Problems {
			if p.Line < 1 {
				t.Fatalf("problem without a line: %+v", p)
			}
		}
		added, _ := Finalize(res.Resources)
		checkResources(t, added)
	})
}
