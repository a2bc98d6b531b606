package awsconfig_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/importer"
	"github.com/vigil-sec/vigil/internal/resource"
)

// docText is a policy document as the exports hold it: JSON text.
func docText(id string, statements ...map[string]any) string {
	d := map[string]any{"Version": "2012-10-17", "Statement": statements}
	if id != "" {
		d["Id"] = id
	}
	b, _ := json.Marshal(d)
	return string(b)
}

// Every resource-based policy an export carries is on its resource as a
// parsed document (Facts.ResourcePolicy), whichever export shape carried
// it, so the permission evaluator reads it from the model: S3 bucket
// policies in AWS Config's supplementary configuration, SQS and SNS Policy
// attributes, KMS key policies by key ID, Secrets Manager resource
// policies, Lambda function policies (get-policy and the Config item),
// ECR repository policies (get-repository-policy and the Config item).
func TestResourcePolicyOnTheResource(t *testing.T) {
	const (
		bucketARN = "arn:aws:s3:::orders-exports"
		queueARN  = "arn:aws:sqs:us-east-1:111122223333:orders-events"
		topicARN  = "arn:aws:sns:us-east-1:111122223333:orders-notify"
		keyID     = "1234abcd-12ab-34cd-56ef-1234567890ab"
		keyARN    = "arn:aws:kms:us-east-1:111122223333:key/" + keyID
		secretARN = "arn:aws:secretsmanager:us-east-1:111122223333:secret:partner/api-key-Ab1cD2"
		repoARN   = "arn:aws:ecr:us-east-1:111122223333:repository/orders/worker"
		partner   = "arn:aws:iam::444455556666:root"
	)
	bucketPolicy := docText("",
		map[string]any{"Sid": "DenyInsecureTransport", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
			"Resource": []any{bucketARN, bucketARN + "/*"}, "Condition": map[string]any{"Bool": map[string]any{"aws:SecureTransport": "false"}}},
		map[string]any{"Sid": "PartnerRead", "Effect": "Allow", "Principal": map[string]any{"AWS": []any{partner}},
			"Action": []any{"s3:GetObject", "s3:ListBucket"}, "Resource": []any{bucketARN, bucketARN + "/*"}})
	queuePolicy := docText("",
		map[string]any{"Sid": "from-topic", "Effect": "Allow", "Principal": map[string]any{"Service": "sns.amazonaws.com"},
			"Action": "sqs:SendMessage", "Resource": queueARN, "Condition": map[string]any{"ArnEquals": map[string]any{"aws:SourceArn": topicARN}}})
	topicPolicy := `{"Version":"2008-10-17","Id":"__default_policy_ID","Statement":[{"Sid":"__default_statement_ID","Effect":"Allow","Principal":{"AWS":"*"},` +
		`"Action":["SNS:GetTopicAttributes","SNS:Subscribe","SNS:Publish"],"Resource":"` + topicARN + `","Condition":{"StringEquals":{"AWS:SourceOwner":"111122223333"}}}]}`
	keyPolicy := docText("key-default-1",
		map[string]any{"Sid": "Enable IAM User Permissions", "Effect": "Allow", "Principal": map[string]any{"AWS": "arn:aws:iam::111122223333:root"},
			"Action": "kms:*", "Resource": "*"},
		map[string]any{"Sid": "PartnerDecrypt", "Effect": "Allow", "Principal": map[string]any{"AWS": partner}, "Action": []any{"kms:Decrypt", "kms:DescribeKey"},
			"Resource": "*", "Condition": map[string]any{"StringEquals": map[string]any{"kms:ViaService": "s3.us-east-1.amazonaws.com"}}})
	secretPolicy := docText("",
		map[string]any{"Effect": "Allow", "Principal": map[string]any{"AWS": partner}, "Action": "secretsmanager:GetSecretValue", "Resource": "*"},
		map[string]any{"Effect": "Deny", "Principal": map[string]any{"AWS": "*"}, "Action": "secretsmanager:DeleteSecret", "Resource": "*"})
	fnPolicy := docText("default",
		map[string]any{"Sid": "s3-invoke", "Effect": "Allow", "Principal": map[string]any{"Service": "s3.amazonaws.com"}, "Action": "lambda:InvokeFunction",
			"Resource": fnARN, "Condition": map[string]any{"StringEquals": map[string]any{"AWS:SourceAccount": "111122223333"},
				"ArnLike": map[string]any{"AWS:SourceArn": bucketARN}}})
	repoPolicy := map[string]any{"Version": "2012-10-17", "Statement": []any{
		map[string]any{"Sid": "pull-from-partner", "Effect": "Allow", "Principal": map[string]any{"AWS": partner},
			"Action": []any{"ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"}}}}
	repoText, _ := json.MarshalIndent(repoPolicy, "", "  ") // the CLI prints it indented

	wantBucket := &resource.PolicyDocument{Version: "2012-10-17", Statements: []resource.Statement{
		{Sid: "DenyInsecureTransport", Effect: "Deny", Actions: []string{"s3:*"}, Resources: []string{bucketARN, bucketARN + "/*"},
			Principals: []resource.Principal{{Type: "*", ID: "*"}},
			Conditions: []resource.Condition{{Operator: "Bool", Key: "aws:SecureTransport", Values: []string{"false"}}}},
		{Sid: "PartnerRead", Effect: "Allow", Actions: []string{"s3:GetObject", "s3:ListBucket"}, Resources: []string{bucketARN, bucketARN + "/*"},
			Principals: []resource.Principal{{Type: "AWS", ID: partner}}},
	}}
	wantQueue := &resource.PolicyDocument{Version: "2012-10-17", Statements: []resource.Statement{
		{Sid: "from-topic", Effect: "Allow", Actions: []string{"sqs:SendMessage"}, Resources: []string{queueARN},
			Principals: []resource.Principal{{Type: "Service", ID: "sns.amazonaws.com"}},
			Conditions: []resource.Condition{{Operator: "ArnEquals", Key: "aws:SourceArn", Values: []string{topicARN}}}},
	}}
	wantTopic := &resource.PolicyDocument{Version: "2008-10-17", ID: "__default_policy_ID", Statements: []resource.Statement{
		{Sid: "__default_statement_ID", Effect: "Allow", Actions: []string{"SNS:GetTopicAttributes", "SNS:Subscribe", "SNS:Publish"},
			Resources: []string{topicARN}, Principals: []resource.Principal{{Type: "AWS", ID: "*"}},
			Conditions: []resource.Condition{{Operator: "StringEquals", Key: "AWS:SourceOwner", Values: []string{"111122223333"}}}},
	}}
	wantKey := &resource.PolicyDocument{Version: "2012-10-17", ID: "key-default-1", Statements: []resource.Statement{
		{Sid: "Enable IAM User Permissions", Effect: "Allow", Actions: []string{"kms:*"}, Resources: []string{"*"},
			Principals: []resource.Principal{{Type: "AWS", ID: "arn:aws:iam::111122223333:root"}}},
		{Sid: "PartnerDecrypt", Effect: "Allow", Actions: []string{"kms:Decrypt", "kms:DescribeKey"}, Resources: []string{"*"},
			Principals: []resource.Principal{{Type: "AWS", ID: partner}},
			Conditions: []resource.Condition{{Operator: "StringEquals", Key: "kms:ViaService", Values: []string{"s3.us-east-1.amazonaws.com"}}}},
	}}
	wantSecret := &resource.PolicyDocument{Version: "2012-10-17", Statements: []resource.Statement{
		{Effect: "Allow", Actions: []string{"secretsmanager:GetSecretValue"}, Resources: []string{"*"}, Principals: []resource.Principal{{Type: "AWS", ID: partner}}},
		{Effect: "Deny", Actions: []string{"secretsmanager:DeleteSecret"}, Resources: []string{"*"}, Principals: []resource.Principal{{Type: "AWS", ID: "*"}}},
	}}
	wantFn := &resource.PolicyDocument{Version: "2012-10-17", ID: "default", Statements: []resource.Statement{
		{Sid: "s3-invoke", Effect: "Allow", Actions: []string{"lambda:InvokeFunction"}, Resources: []string{fnARN},
			Principals: []resource.Principal{{Type: "Service", ID: "s3.amazonaws.com"}},
			Conditions: []resource.Condition{
				{Operator: "ArnLike", Key: "AWS:SourceArn", Values: []string{bucketARN}},
				{Operator: "StringEquals", Key: "AWS:SourceAccount", Values: []string{"111122223333"}}}},
	}}
	wantRepo := &resource.PolicyDocument{Version: "2012-10-17", Statements: []resource.Statement{
		{Sid: "pull-from-partner", Effect: "Allow", Actions: []string{"ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"},
			Principals: []resource.Principal{{Type: "AWS", ID: partner}}},
	}}

	bucketItem := func() map[string]any {
		return map[string]any{"resourceType": "AWS::S3::Bucket", "resourceId": "orders-exports", "resourceName": "orders-exports", "ARN": bucketARN,
			"configuration": map[string]any{"name": "orders-exports"},
			"supplementaryConfiguration": map[string]any{
				"PublicAccessBlockConfiguration": map[string]any{"blockPublicAcls": true, "ignorePublicAcls": true, "blockPublicPolicy": true, "restrictPublicBuckets": true},
				"BucketPolicy":                   map[string]any{"policyText": bucketPolicy}}}
	}
	keyItem := map[string]any{"resourceType": "AWS::KMS::Key", "resourceId": keyID, "ARN": keyARN,
		"configuration": map[string]any{"keyId": keyID, "keyManager": "CUSTOMER", "keyState": "Enabled", "keySpec": "SYMMETRIC_DEFAULT"}}
	fnWithPolicy := functionItem()
	fnWithPolicy["supplementaryConfiguration"] = map[string]any{"Policy": fnPolicy}
	repoItem := map[string]any{"resourceType": "AWS::ECR::Repository", "resourceId": "orders/worker", "resourceName": "orders/worker", "ARN": repoARN,
		"configuration": map[string]any{"RepositoryName": "orders/worker", "Arn": repoARN, "RepositoryPolicyText": repoPolicy}}
	queueItem := map[string]any{"resourceType": "AWS::SQS::Queue", "resourceId": "https://sqs.us-east-1.amazonaws.com/111122223333/orders-events",
		"resourceName": "orders-events", "ARN": queueARN,
		"configuration": map[string]any{"QueueArn": queueARN, "QueueName": "orders-events", "SqsManagedSseEnabled": "true", "Policy": queuePolicy}}
	secretItem := map[string]any{"resourceType": "AWS::SecretsManager::Secret", "resourceId": secretARN, "resourceName": "partner/api-key", "ARN": secretARN,
		"configuration": map[string]any{"ARN": secretARN, "Name": "partner/api-key", "RotationEnabled": false, "ResourcePolicy": secretPolicy}}

	cases := []struct {
		name  string
		files map[string]any
		id    string
		want  *resource.PolicyDocument
	}{
		{"S3 bucket, Config BucketPolicy.policyText", map[string]any{snapFile: configSnapshot(bucketItem())}, bucketARN, wantBucket},
		{"SQS queue, get-queue-attributes Policy", map[string]any{
			cliPrefix + "sqs-get-queue-attributes/orders-events.us-east-1.json": map[string]any{"Attributes": map[string]any{
				"QueueArn": queueARN, "SqsManagedSseEnabled": "true", "Policy": queuePolicy}}}, queueARN, wantQueue},
		{"SQS queue, Config item Policy", map[string]any{snapFile: configSnapshot(queueItem)}, queueARN, wantQueue},
		{"SNS topic, get-topic-attributes Policy", map[string]any{
			cliPrefix + "sns-get-topic-attributes/orders-notify.us-east-1.json": map[string]any{"Attributes": map[string]any{
				"TopicArn": topicARN, "Owner": "111122223333", "DisplayName": "orders-notify", "Policy": topicPolicy}}}, topicARN, wantTopic},
		{"KMS key, get-key-policy file by key ID", map[string]any{snapFile: configSnapshot(keyItem),
			cliPrefix + "kms-get-key-policy/" + keyID + ".json": map[string]any{"Policy": keyPolicy, "PolicyName": "default"}}, keyARN, wantKey},
		{"Secrets Manager secret, get-resource-policy", map[string]any{
			cliPrefix + "secretsmanager-get-resource-policy/partner_api-key.us-east-1.json": map[string]any{
				"ARN": secretARN, "Name": "partner/api-key", "ResourcePolicy": secretPolicy}}, secretARN, wantSecret},
		{"Secrets Manager secret, Config item ResourcePolicy", map[string]any{snapFile: configSnapshot(secretItem)}, secretARN, wantSecret},
		{"Lambda function, get-policy", map[string]any{snapFile: configSnapshot(functionItem()),
			cliPrefix + "lambda-get-policy/orders-api.us-east-1.json": map[string]any{"Policy": fnPolicy, "RevisionId": "d44a42e2-1cb0-586a-b114-4e571b13b3c8"}},
			fnARN, wantFn},
		{"Lambda function, Config supplementary Policy", map[string]any{snapFile: configSnapshot(fnWithPolicy)}, fnARN, wantFn},
		{"ECR repository, get-repository-policy", map[string]any{
			cliPrefix + "ecr-get-repository-policy/orders_worker.us-east-1.json": map[string]any{
				"registryId": "111122223333", "repositoryName": "orders/worker", "policyText": string(repoText)}}, repoARN, wantRepo},
		{"ECR repository, Config RepositoryPolicyText", map[string]any{snapFile: configSnapshot(repoItem)}, repoARN, wantRepo},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, m := loadFiles(t, c.files)
			r := m[c.id]
			if r == nil {
				t.Fatalf("no resource %s among %d", c.id, len(m))
			}
			if !reflect.DeepEqual(r.Facts.ResourcePolicy, c.want) {
				got, _ := json.Marshal(r.Facts.ResourcePolicy)
				want, _ := json.Marshal(c.want)
				t.Errorf("resource_policy\n got %s\nwant %s", got, want)
			}
			// Only the resource the policy is about carries it (the key
			// policy file's own record does not).
			for id, o := range m {
				if id != c.id && o.Facts.ResourcePolicy != nil {
					t.Errorf("%s (%s) carries a resource policy too", id, o.Type)
				}
			}
		})
	}
}

// A resource without a policy, or whose export does not say, has none in
// the model: nil, never an empty document the evaluator would read as
// "grants nothing".
func TestNoResourcePolicyIsNil(t *testing.T) {
	bucket := map[string]any{"resourceType": "AWS::S3::Bucket", "resourceId": "plain", "resourceName": "plain", "ARN": "arn:aws:s3:::plain",
		"configuration": map[string]any{"name": "plain"},
		"supplementaryConfiguration": map[string]any{"BucketPolicy": map[string]any{"policyText": nil},
			"PublicAccessBlockConfiguration": map[string]any{"blockPublicAcls": true, "ignorePublicAcls": true, "blockPublicPolicy": true, "restrictPublicBuckets": true}}}
	fn := functionItem()
	fn["supplementaryConfiguration"] = map[string]any{"Policy": nil}
	_, m := loadFiles(t, map[string]any{snapFile: configSnapshot(bucket, fn),
		cliPrefix + "secretsmanager-get-resource-policy/s.us-east-1.json": map[string]any{
			"ARN": "arn:aws:secretsmanager:us-east-1:111122223333:secret:s-Ab1cD2", "Name": "s"}})
	for _, id := range []string{"arn:aws:s3:::plain", fnARN, "arn:aws:secretsmanager:us-east-1:111122223333:secret:s-Ab1cD2"} {
		r := m[id]
		if r == nil {
			t.Fatalf("no resource %s", id)
		}
		if r.Facts.ResourcePolicy != nil {
			t.Errorf("%s: resource_policy %+v, want none", id, r.Facts.ResourcePolicy)
		}
	}
	// The public facts still say "none" where the export says so.
	if p := m["arn:aws:s3:::plain"].Facts.Storage.PublicAccess; p == nil || *p {
		t.Errorf("bucket public_access = %s, want false", bp(p))
	}
}

// A policy that does not parse is kept on its resource with its error and
// text (the evaluator marks what depends on it uncertain), is reported
// with the resource, and decides no fact.
func TestUnparsableResourcePolicyKept(t *testing.T) {
	const queueARN = "arn:aws:sqs:us-east-1:111122223333:broken"
	const keyID = "0987dcba-09fe-87dc-65ba-ab0987654321"
	const keyARN = "arn:aws:kms:us-east-1:111122223333:key/" + keyID
	bucket := map[string]any{"resourceType": "AWS::S3::Bucket", "resourceId": "broken", "resourceName": "broken", "ARN": "arn:aws:s3:::broken",
		"configuration":              map[string]any{"name": "broken"},
		"supplementaryConfiguration": map[string]any{"BucketPolicy": map[string]any{"policyText": `{"Version":"2012-10-17","Statement":[{"Effect":"Allow",`}}}
	key := map[string]any{"resourceType": "AWS::KMS::Key", "resourceId": keyID, "ARN": keyARN,
		"configuration": map[string]any{"keyId": keyID, "keyManager": "CUSTOMER", "keyState": "Enabled"}}
	files := map[string]any{
		snapFile: configSnapshot(bucket, key),
		cliPrefix + "sqs-get-queue-attributes/broken.us-east-1.json": map[string]any{"Attributes": map[string]any{
			"QueueArn": queueARN, "Policy": `{"Statement":[{"Effect":"Allow","Principal":"everyone","Action":"sqs:*"}]}`}},
		cliPrefix + "kms-get-key-policy/" + keyID + ".json": map[string]any{"Policy": "not a policy", "PolicyName": "default"},
	}
	dir := t.TempDir()
	for name, v := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		data, _ := json.Marshal(v)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	inv, err := importer.Load(context.Background(), []string{dir})
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]*resource.Resource{}
	for _, r := range inv.Resources {
		m[r.ID] = r
	}
	var errs []string
	for _, e := range inv.Errors {
		errs = append(errs, e.Error())
	}
	all := strings.Join(errs, "\n")
	for _, c := range []struct{ id, text, reported string }{
		{"arn:aws:s3:::broken", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow",`, "arn:aws:s3:::broken"},
		{queueARN, `{"Statement":[{"Effect":"Allow","Principal":"everyone","Action":"sqs:*"}]}`, queueARN},
		{keyARN, "not a policy", "key " + keyID},
	} {
		r := m[c.id]
		if r == nil {
			t.Fatalf("no resource %s", c.id)
		}
		d := r.Facts.ResourcePolicy
		if d == nil || d.Error == "" || d.Raw != c.text || len(d.Statements) != 0 {
			t.Errorf("%s: resource_policy %+v, want the text kept with its error", c.id, d)
		}
		if !strings.Contains(all, c.reported) {
			t.Errorf("%s: not reported among the input errors:\n%s", c.id, all)
		}
	}
	if p := m["arn:aws:s3:::broken"].Facts.Storage.PublicAccess; p != nil {
		t.Errorf("bucket public_access = %s from a policy that does not parse, want unknown", bp(p))
	}
	if p := m[queueARN].Facts.Queue.PublicPolicy; p != nil {
		t.Errorf("queue public_policy = %s from a policy that does not parse, want unknown", bp(p))
	}
	if p := m[keyARN].Facts.Key.PublicAccess; p != nil {
		t.Errorf("key public_access = %s from a policy that does not parse, want unknown", bp(p))
	}
}

// The sample organization's resource policies are on their resources,
// from each export that carries them, and every policy of the sample
// parses.
func TestSampleOrgResourcePolicies(t *testing.T) {
	rs, _ := loadSampleAWS(t)
	byName := map[string]*resource.Resource{}
	for _, r := range rs {
		byName[r.Type+"|"+r.Name] = r
		if d := r.Facts.ResourcePolicy; d != nil && d.Error != "" {
			t.Errorf("%s: resource policy does not parse: %s", r.ID, d.Error)
		}
	}
	for _, c := range []struct {
		typ, name string
		// the first statement: effect, its first action and principal
		effect, action, principal string
	}{
		{"AWS::S3::Bucket", "nw-prod-datalake-raw", "Deny", "s3:*", "*:*"},
		{"AWS::SQS::Queue", "nw-prod-ingest-events", "Allow", "sqs:SendMessage", "Service:sns.amazonaws.com"},
		{"AWS::SNS::Topic", "nw-prod-ingest-notify", "Allow", "SNS:GetTopicAttributes", "AWS:*"},
		{"AWS::SecretsManager::Secret", "nw-dev/mysql/admin", "Allow", "secretsmanager:GetSecretValue", "AWS:*"},
		{"AWS::Lambda::Function", "nw-prod-curated-indexer", "Allow", "lambda:InvokeFunction", "Service:s3.amazonaws.com"},
		{"AWS::ECR::Repository", "nw-dev/notebooks", "Allow", "ecr:GetDownloadUrlForLayer", "*:*"},
	} {
		r := byName[c.typ+"|"+c.name]
		if r == nil {
			t.Errorf("no %s named %s in the sample", c.typ, c.name)
			continue
		}
		d := r.Facts.ResourcePolicy
		if d == nil || len(d.Statements) == 0 {
			t.Errorf("%s: resource_policy %+v, want the exported policy", r.ID, d)
			continue
		}
		s := d.Statements[0]
		got := s.Effect + " " + strings.Join(s.Actions, ",")
		if len(s.Principals) > 0 {
			got += " " + s.Principals[0].Type + ":" + s.Principals[0].ID
		}
		if want := c.effect + " " + c.action; !strings.HasPrefix(got, want) || !strings.HasSuffix(got, " "+c.principal) {
			t.Errorf("%s: first statement %q, want %s ... %s", r.ID, got, want, c.principal)
		}
	}
}
