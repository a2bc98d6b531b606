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

// BenchmarkEngine measures compiling the built-in rule pack, which every
// vigil iac run pays at start-up.
func BenchmarkEngine(b *testing.B) {
	for b.Loop() {
		if _, err := policy.New(context.Background(), []policy.Source{{FS: rules.FS(), Name: "builtin", Builtin: true}}); err != nil {
			b.Fatal(err)
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

// writeTerraformTree writes n Terraform files under dir: a root module of
// files with variables, locals, S3 buckets with their split configuration
// resources, security groups, Azure storage accounts and GCS buckets.
func writeTerraformTree(tb testing.TB, dir string, n int) {
	tb.Helper()
	for i := range n {
		sub := filepath.Join(dir, fmt.Sprintf("stack%02d", i/100))
		if err := os.MkdirAll(sub, 0o755); err != nil {
			tb.Fatal(err)
		}
		src := fmt.Sprintf(tfTemplate, i)
		if err := os.WriteFile(filepath.Join(sub, fmt.Sprintf("main%04d.tf", i)), []byte(src), 0o644); err != nil {
			tb.Fatal(err)
		}
	}
}

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

// BenchmarkScanTerraformTree scans a generated tree of 1,000 Terraform
// files with the built-in readers and rules (compiled once, outside the
// timing) and reports files per second.
func BenchmarkScanTerraformTree(b *testing.B) {
	const n = 1000
	dir := b.TempDir()
	writeTerraformTree(b, dir, n)
	e := builtinEngine(b)
	var resources int
	for b.Loop() {
		res, err := Scan(context.Background(), e, Options{Paths: []string{dir}, Readers: Builtin(ReaderOptions{}),
			Scan: scan.Options{Now: testNow}})
		if errors.Is(err, ErrNoInput) {
			b.Skip("no Terraform reader wired")
		}
		if err != nil {
			b.Fatal(err)
		}
		resources = len(res.Inventory.Resources)
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "files/s")
	b.ReportMetric(float64(resources), "resources")
}

var tfTree = flag.String("tftree", "", "TestWriteTerraformTree: write the generated 1,000-file Terraform tree to this directory")

// TestWriteTerraformTree writes the benchmark's tree for measuring the
// built binary (go test ./internal/iac -run WriteTerraformTree -tftree DIR,
// then /usr/bin/time -v vigil iac DIR).
func TestWriteTerraformTree(t *testing.T) {
	if *tfTree == "" {
		t.Skip("-tftree DIR not given")
	}
	writeTerraformTree(t, *tfTree, 1000)
}
