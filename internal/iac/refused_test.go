package iac

import (
	"context"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/finding"
	"github.com/vigil-sec/vigil/internal/scan"
)

// TestRefusedPublicSettings: a public ACL or bucket policy that S3 refuses
// (ACLs disabled by BucketOwnerEnforced, Block Public Access) is read the
// same way from Terraform and CloudFormation: it grants nothing, so
// storage-public-access passes, and a warning (not an input error) names
// the file, line and resource: the deploy would fail on it. A public ACL S3
// accepts still fails the rule in both.
func TestRefusedPublicSettings(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"tf/main.tf": `resource "aws_s3_bucket" "acl" {
  bucket = "tf-acl"
}

resource "aws_s3_bucket_acl" "acl" {
  bucket = aws_s3_bucket.acl.id
  acl    = "public-read"
}

resource "aws_s3_bucket" "policy" {
  bucket = "tf-policy"
}

resource "aws_s3_bucket_policy" "policy" {
  bucket = aws_s3_bucket.policy.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = "*", Action = "s3:GetObject", Resource = "arn:aws:s3:::tf-policy/*" }]
  })
}

resource "aws_s3_bucket" "open" {
  bucket = "tf-open"
}

resource "aws_s3_bucket_ownership_controls" "open" {
  bucket = aws_s3_bucket.open.id
  rule {
    object_ownership = "ObjectWriter"
  }
}

resource "aws_s3_bucket_public_access_block" "open" {
  bucket = aws_s3_bucket.open.id
}

resource "aws_s3_bucket_acl" "open" {
  bucket = aws_s3_bucket.open.id
  acl    = "public-read"
}
`,
		"cfn/site.yaml": `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Acl:
    Type: AWS::S3::Bucket
    Properties:
      AccessControl: PublicRead
  Policy:
    Type: AWS::S3::Bucket
  PolicyDoc:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref Policy
      PolicyDocument:
        Statement:
          - {Effect: Allow, Principal: "*", Action: "s3:GetObject", Resource: "arn:aws:s3:::cfn-policy/*"}
  Open:
    Type: AWS::S3::Bucket
    Properties:
      AccessControl: PublicRead
      OwnershipControls:
        Rules:
          - ObjectOwnership: ObjectWriter
      PublicAccessBlockConfiguration:
        BlockPublicAcls: false
`,
	})
	res, err := Scan(context.Background(), builtinEngine(t), Options{Paths: []string{dir}, Scan: scan.Options{Now: testNow}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Inventory.Errors) != 0 {
		t.Errorf("input errors: %v", res.Inventory.Errors)
	}
	got := byResource(res.Report.Findings, "storage-public-access")
	for id, want := range map[string]finding.Status{
		"tf:aws_s3_bucket.acl": finding.Pass, "tf:aws_s3_bucket.policy": finding.Pass, "tf:aws_s3_bucket.open": finding.Fail,
		"cfn/site.yaml:Acl": finding.Pass, "cfn/site.yaml:Policy": finding.Pass, "cfn/site.yaml:Open": finding.Fail,
	} {
		if f, ok := got[id]; !ok || f.Status != want {
			t.Errorf("%s: storage-public-access %q, want %s (findings on %v)", id, f.Status, want, keys(got))
		}
	}
	var warns []string
	for _, w := range res.Inventory.Warnings {
		warns = append(warns, w.Error())
	}
	for _, want := range []string{
		"tf/main.tf:5: aws_s3_bucket_acl.acl: acl: would fail to deploy: a public ACL is refused: ACLs are disabled by object ownership BucketOwnerEnforced",
		"tf/main.tf:14: aws_s3_bucket_policy.policy: would fail to deploy: a public bucket policy is refused by Block Public Access (block_public_policy on by default since April 2023)",
		"cfn/site.yaml:6: cfn/site.yaml:Acl: would fail to deploy: AccessControl PublicRead is refused: ACLs are disabled by ObjectOwnership BucketOwnerEnforced",
		"cfn/site.yaml:13: cfn/site.yaml:PolicyDoc: PolicyDocument: would fail to deploy: the public bucket policy is refused by the Block Public Access of Policy",
	} {
		found := false
		for _, w := range warns {
			found = found || strings.HasPrefix(w, want)
		}
		if !found {
			t.Errorf("no warning %q in\n%s", want, strings.Join(warns, "\n"))
		}
	}
	if len(warns) != 4 {
		t.Errorf("%d warnings, want 4 (none on the accepted ACLs):\n%s", len(warns), strings.Join(warns, "\n"))
	}
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

// TestDatabaseCredentialsInSource: database-credentials-in-source fails a
// database whose password is a variable's default and passes one whose
// variable has no value, through the whole scan.
func TestDatabaseCredentialsInSource(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"main.tf": `variable "db_password" {
  default = "hunter2"
}

variable "deploy_password" {
  sensitive = true
}

resource "aws_db_instance" "hardcoded" {
  password = var.db_password
}

resource "aws_db_instance" "deployed" {
  password = var.deploy_password
}
`})
	res, err := Scan(context.Background(), builtinEngine(t), Options{Paths: []string{dir}, Scan: scan.Options{Now: testNow}})
	if err != nil {
		t.Fatal(err)
	}
	got := byResource(res.Report.Findings, "database-credentials-in-source")
	if f := got[".:aws_db_instance.hardcoded"]; f.Status != finding.Fail || f.Message != "password written in the source: password" {
		t.Errorf("hardcoded: %+v", f)
	}
	if f := got[".:aws_db_instance.deployed"]; f.Status != finding.Pass {
		t.Errorf("deployed: %+v", f)
	}
}
