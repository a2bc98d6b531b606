package iac

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/vigil-sec/vigil/internal/policy"
	"github.com/vigil-sec/vigil/internal/rules"
	"github.com/vigil-sec/vigil/internal/scan"
)

// BenchmarkEngine measures loading the built-in rule pack (parsing; its
// rules are compiled per class when an input first holds the class).
func BenchmarkEngine(b *testing.B) {
	for b.Loop() {
		if _, err := policy.New(context.Background(), []policy.Source{{FS: rules.FS(), Name: "builtin", Builtin: true}}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkTerragoat measures what one vigil iac run of terragoat's
// terraform folder costs past start-up: loading the rule pack, compiling
// the rules of the classes read, reading and judging the tree.
func BenchmarkTerragoat(b *testing.B) {
	dir := filepath.Join("..", "..", "..", "shared", "corpus", "iac-examples", "terragoat", "terraform")
	if _, err := os.Stat(dir); err != nil {
		b.Skipf("terragoat is absent (%v): it is in ../shared/corpus beside the repository", err)
	}
	for b.Loop() {
		e, err := policy.New(context.Background(), []policy.Source{{FS: rules.FS(), Name: "builtin", Builtin: true}})
		if err != nil {
			b.Fatal(err)
		}
		res, err := Scan(context.Background(), e, Options{Paths: []string{dir}, Readers: Builtin(ReaderOptions{}), Scan: scan.Options{Now: testNow}})
		if err != nil {
			b.Fatal(err)
		}
		if len(res.Report.Findings) == 0 {
			b.Fatal("no findings")
		}
	}
}

// BenchmarkScanManifests measures a scan of the Kubernetes reader's test
// manifests with the rule pack already compiled.
func BenchmarkScanManifests(b *testing.B) {
	e := builtinEngine(b)
	for b.Loop() {
		if _, err := Scan(context.Background(), e, Options{Paths: []string{filepath.Join("kubernetes", "testdata", "manifests")},
			Readers: Builtin(ReaderOptions{}), Scan: scan.Options{Now: testNow}}); err != nil {
			b.Fatal(err)
		}
	}
}

// treeFormats are the generated benchmark trees: a file name pattern and
// a template, both formatted with the file's number.
var treeFormats = map[string][2]string{
	"terraform":      {"main%04d.tf", tfTemplate},
	"cloudformation": {"stack%04d.yaml", cfnTemplate},
	"kubernetes":     {"app%04d.yaml", k8sTemplate},
}

// writeTree writes n files of a format under dir, in directories of 100.
func writeTree(tb testing.TB, dir, format string, n int) {
	tb.Helper()
	f, ok := treeFormats[format]
	if !ok {
		tb.Fatalf("no tree format %q", format)
	}
	for i := range n {
		sub := filepath.Join(dir, fmt.Sprintf("stack%02d", i/100))
		if err := os.MkdirAll(sub, 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(sub, fmt.Sprintf(f[0], i)), []byte(fmt.Sprintf(f[1], i)), 0o644); err != nil {
			tb.Fatal(err)
		}
	}
}

// BenchmarkScanTree scans generated trees of 1,000 files of each format
// with the built-in readers and rules (compiled once, outside the timing)
// and reports files per second.
func BenchmarkScanTree(b *testing.B) {
	const n = 1000
	for _, format := range []string{"terraform", "cloudformation", "kubernetes"} {
		b.Run(format, func(b *testing.B) {
			dir := b.TempDir()
			writeTree(b, dir, format, n)
			e := builtinEngine(b)
			var resources int
			for b.Loop() {
				res, err := Scan(context.Background(), e, Options{Paths: []string{dir}, Readers: Builtin(ReaderOptions{}),
					Scan: scan.Options{Now: testNow}})
				if errors.Is(err, ErrNoInput) {
					b.Skipf("no %s reader wired", format)
				}
				if err != nil {
					b.Fatal(err)
				}
				if res.Read[format] != n {
					b.Fatalf("%s: read %v", format, res.Read)
				}
				resources = len(res.Inventory.Resources)
			}
			b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "files/s")
			b.ReportMetric(float64(resources), "resources")
		})
	}
}

var (
	treeDir    = flag.String("tree", "", "TestWriteTree: write a generated 1,000-file tree to this directory")
	treeFormat = flag.String("treeformat", "terraform", "TestWriteTree: terraform, cloudformation or kubernetes")
)

// TestWriteTree writes a benchmark tree for measuring the built binary:
// go test ./internal/iac -run WriteTree -tree DIR [-treeformat F], then
// /usr/bin/time -v vigil iac DIR.
func TestWriteTree(t *testing.T) {
	if *treeDir == "" {
		t.Skip("-tree DIR not given")
	}
	writeTree(t, *treeDir, *treeFormat, 1000)
}

// tfTemplate is a Terraform file: variables, locals, S3 buckets with their
// split configuration resources, security groups, Azure storage accounts
// and GCS buckets.
const tfTemplate = `variable "env%[1]d" {
  type    = string
  default = "prod"
}

locals {
  name%[1]d = "acme-${var.env%[1]d}-%[1]d"
  tags%[1]d = { env = var.env%[1]d, owner = "team-%[1]d" }
}

resource "aws_s3_bucket" "data%[1]d" {
  bucket = local.name%[1]d
  tags   = local.tags%[1]d
}

resource "aws_s3_bucket_public_access_block" "data%[1]d" {
  bucket                  = aws_s3_bucket.data%[1]d.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = %[1]d %% 3 != 0
}

resource "aws_s3_bucket_versioning" "data%[1]d" {
  bucket = aws_s3_bucket.data%[1]d.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_security_group" "admin%[1]d" {
  name        = "admin-%[1]d"
  description = "administration"
  vpc_id      = "vpc-0123456789abcdef0"

  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = [%[1]d %% 2 == 0 ? "0.0.0.0/0" : "10.0.0.0/8"]
  }
}

resource "azurerm_storage_account" "sa%[1]d" {
  name                     = "acmesa%[1]d"
  resource_group_name      = "rg-app"
  location                 = "westeurope"
  account_tier             = "Standard"
  account_replication_type = "LRS"
  min_tls_version          = "TLS1_0"
}

resource "google_storage_bucket" "assets%[1]d" {
  name                        = "acme-assets-%[1]d"
  location                    = "EU"
  uniform_bucket_level_access = true
}
`

// cfnTemplate is a CloudFormation template: a parameter, an S3 bucket, a
// security group open on 22 and an RDS instance.
const cfnTemplate = `AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Env:
    Type: String
    Default: prod
Resources:
  Data:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Sub "acme-${Env}-%[1]d"
      VersioningConfiguration:
        Status: Enabled
      PublicAccessBlockConfiguration:
        BlockPublicAcls: true
        BlockPublicPolicy: true
        IgnorePublicAcls: true
        RestrictPublicBuckets: true
  Admin:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: administration %[1]d
      VpcId: vpc-0123456789abcdef0
      SecurityGroupIngress:
        - IpProtocol: tcp
          FromPort: 22
          ToPort: 22
          CidrIp: 0.0.0.0/0
  Db:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: postgres
      DBInstanceClass: db.t3.micro
      AllocatedStorage: "20"
      StorageEncrypted: true
      PubliclyAccessible: false
`

// k8sTemplate is a Deployment and its LoadBalancer Service.
const k8sTemplate = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web-%[1]d
  namespace: shop
spec:
  selector:
    matchLabels: {app: web-%[1]d}
  template:
    metadata:
      labels: {app: web-%[1]d}
    spec:
      containers:
        - name: web
          image: nginx:1.27
          securityContext:
            allowPrivilegeEscalation: false
            runAsNonRoot: true
          resources:
            limits: {cpu: 500m, memory: 256Mi}
---
apiVersion: v1
kind: Service
metadata:
  name: web-%[1]d
  namespace: shop
spec:
  type: LoadBalancer
  selector: {app: web-%[1]d}
  ports:
    - port: 443
`
