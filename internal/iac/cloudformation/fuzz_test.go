package cloudformation

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vigil-sec/vigil/internal/source"
)

// FuzzRead: any input is read without a panic or a hang; problems name the
// file; resources have unique IDs and sane lines.
func FuzzRead(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join("testdata", "templates", "*"))
	for _, s := range seeds {
		data, err := os.ReadFile(s)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte("Conditions:\n  A: !Condition A\nResources:\n  B:\n    Type: AWS::S3::Bucket\n    Condition: A\n"))
	f.Add([]byte(`{"Resources": {"B": {"Type": "AWS::SQS::Queue", "Properties": {"KmsMasterKeyId": {"Fn::Sub": ["${X}", {"X": {"Ref": "B"}}]}}}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var b source.Batch
		done := make(chan struct{})
		go func() { defer close(done); Read("f.yaml", data, Options{}, &b) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Fatalf("reading %d bytes did not finish in 10s", len(data))
		}
		seen := map[string]bool{}
		for _, r := range b.Resources {
			if seen[r.ID] {
				t.Errorf("duplicate ID %s", r.ID)
			}
			seen[r.ID] = true
			if l := r.Location; l == nil || l.StartLine < 1 || l.EndLine < l.StartLine {
				t.Errorf("%s: location %+v", r.ID, l)
			}
		}
		for _, p := range b.Problems {
			if p.Path != "f.yaml" {
				t.Errorf("problem without the file: %+v", p)
			}
		}
	})
}

// benchTemplate is a template of n resources of the mapped kinds, with
// parameters, conditions and intrinsic functions.
func benchTemplate(n int) []byte {
	var b strings.Builder
	b.WriteString("AWSTemplateFormatVersion: \"2010-09-09\"\nParameters:\n  Env: {Type: String, Default: prod}\n")
	b.WriteString("Conditions:\n  Prod: !Equals [!Ref Env, prod]\nResources:\n")
	for i := 0; i < n; i++ {
		switch i % 5 {
		case 0:
			fmt.Fprintf(&b, "  Bucket%d:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: !Sub \"${Env}-b%d\"\n      VersioningConfiguration: !If [Prod, {Status: Enabled}, !Ref AWS::NoValue]\n", i, i)
			fmt.Fprintf(&b, "  Policy%d:\n    Type: AWS::S3::BucketPolicy\n    Properties:\n      Bucket: !Ref Bucket%d\n      PolicyDocument:\n        Statement:\n          - {Effect: Deny, Principal: \"*\", Action: \"s3:*\", Resource: !Sub \"${Bucket%d.Arn}/*\", Condition: {Bool: {aws:SecureTransport: false}}}\n", i, i, i)
		case 1:
			fmt.Fprintf(&b, "  Sg%d:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: x\n      SecurityGroupIngress:\n        - {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 10.0.0.0/8}\n", i)
		case 2:
			fmt.Fprintf(&b, "  Role%d:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument:\n        Statement: [{Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}]\n      Policies:\n        - PolicyName: p\n          PolicyDocument: {Statement: [{Effect: Allow, Action: [\"s3:GetObject\"], Resource: \"*\"}]}\n", i)
		case 3:
			fmt.Fprintf(&b, "  Fn%d:\n    Type: AWS::Lambda::Function\n    Properties:\n      Runtime: python3.12\n      Role: !GetAtt Role%d.Arn\n      Environment: {Variables: {STAGE: !Ref Env}}\n", i, i-1)
		case 4:
			fmt.Fprintf(&b, "  Db%d:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      Engine: postgres\n      StorageEncrypted: !If [Prod, true, false]\n", i)
		}
	}
	return []byte(b.String())
}

// BenchmarkRead reads a template of 1,000 resources (about 1,200 with the
// split bucket policies).
func BenchmarkRead(b *testing.B) {
	data := benchTemplate(1000)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		var batch source.Batch
		Read("bench.yaml", data, Options{}, &batch)
		if len(batch.Resources) != 1000 || len(batch.Problems) > 0 {
			b.Fatalf("%d resources, problems %v", len(batch.Resources), batch.Problems)
		}
	}
	b.ReportMetric(float64(b.N*1000)/b.Elapsed().Seconds(), "resources/s")
}
