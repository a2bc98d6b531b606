package terraform

import (
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/iac/tfmap"
)

// TestInstalledModules: registry and git modules that `terraform init`
// installed (.terraform/modules/modules.json) are read from their install
// directories like local modules, at any depth and through count/for_each;
// one not installed, or installed from another source, is a warning and
// not scanned.
func TestInstalledModules(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{
		"main.tf": `module "logs" {
  source   = "terraform-aws-modules/s3-bucket/aws"
  version  = "4.1.0"
  for_each = toset(["a", "b"])
  bucket   = "acme-${each.key}"
}
module "net" {
  source = "git::https://example.com/net.git?ref=v1.2.0"
  cidr   = "10.0.0.0/16"
}
module "gh" {
  source = "github.com/acme/mods//s3"
}
module "app" {
  source = "./app"
}
module "missing" {
  source = "hashicorp/consul/aws"
}
module "stale" {
  source = "acme/new/aws"
}
`,
		"app/main.tf": `module "bucket" {
  source = "acme/bucket/aws"
  name   = "app"
}
`,
		".terraform/modules/modules.json": `{"Modules":[
 {"Key":"","Source":"","Dir":"."},
 {"Key":"logs","Source":"registry.terraform.io/terraform-aws-modules/s3-bucket/aws","Version":"4.1.0","Dir":".terraform/modules/logs"},
 {"Key":"net","Source":"git::https://example.com/net.git?ref=v1.2.0","Dir":".terraform/modules/net"},
 {"Key":"net.flow","Source":"./modules/flow","Dir":".terraform/modules/net/modules/flow"},
 {"Key":"gh","Source":"git::https://github.com/acme/mods.git//s3","Dir":".terraform/modules/gh/s3"},
 {"Key":"app","Source":"./app","Dir":"app"},
 {"Key":"app.bucket","Source":"registry.terraform.io/acme/bucket/aws","Version":"1.0.0","Dir":".terraform/modules/app.bucket"},
 {"Key":"stale","Source":"registry.terraform.io/acme/old/aws","Version":"1.0.0","Dir":".terraform/modules/stale"}
]}`,
		".terraform/modules/logs/main.tf": `variable "bucket" {}
variable "create_bucket" {
  default = true
}
resource "aws_s3_bucket" "this" {
  count  = var.create_bucket ? 1 : 0
  bucket = var.bucket
}
output "id" {
  value = try(aws_s3_bucket.this[0].id, "")
}
`,
		".terraform/modules/net/main.tf": `variable "cidr" {}
resource "aws_vpc" "this" {
  cidr_block = var.cidr
}
module "flow" {
  source = "./modules/flow"
  vpc_id = aws_vpc.this.id
}
`,
		".terraform/modules/net/modules/flow/main.tf": `variable "vpc_id" {}
resource "aws_flow_log" "this" {
  vpc_id       = var.vpc_id
  traffic_type = "ALL"
}
`,
		".terraform/modules/gh/s3/main.tf": `resource "aws_s3_bucket" "gh" {
  bucket = "gh"
}
`,
		".terraform/modules/app.bucket/main.tf": `variable "name" {}
resource "aws_s3_bucket" "b" {
  bucket = "acme-${var.name}"
}
`,
		".terraform/modules/stale/main.tf": `resource "aws_s3_bucket" "old" {
  bucket = "old"
}
`,
	})
	var fs []string
	for _, f := range files(t, dir) {
		if !strings.HasPrefix(f, ".terraform/") { // as the walk skips it
			fs = append(fs, f)
		}
	}
	insts, probs := evaluateFiles(t, dir, fs, Options{})
	type want struct{ file, bucket, call string }
	got := map[string]want{}
	for _, in := range insts {
		w := want{file: in.Location.File}
		if b, ok := in.Attrs["bucket"].(string); ok {
			w.bucket = b
		}
		if c := in.Location.Calls; len(c) > 0 {
			w.call = c[0].File + ":" + c[0].Address
		}
		got[in.Address] = w
	}
	for addr, w := range map[string]want{
		`module.logs["a"].aws_s3_bucket.this[0]`:   {".terraform/modules/logs/main.tf", "acme-a", `main.tf:module.logs["a"]`},
		`module.logs["b"].aws_s3_bucket.this[0]`:   {".terraform/modules/logs/main.tf", "acme-b", `main.tf:module.logs["b"]`},
		`module.net.aws_vpc.this`:                  {".terraform/modules/net/main.tf", "", "main.tf:module.net"},
		`module.net.module.flow.aws_flow_log.this`: {".terraform/modules/net/modules/flow/main.tf", "", "main.tf:module.net"},
		`module.gh.aws_s3_bucket.gh`:               {".terraform/modules/gh/s3/main.tf", "gh", "main.tf:module.gh"},
		`module.app.module.bucket.aws_s3_bucket.b`: {".terraform/modules/app.bucket/main.tf", "acme-app", "main.tf:module.app"},
	} {
		if g, ok := got[addr]; !ok || g != w {
			t.Errorf("%s: %+v (found %v), want %+v", addr, g, ok, w)
		}
	}
	if _, ok := got[`module.stale.aws_s3_bucket.old`]; ok {
		t.Errorf("a module installed from another source is scanned")
	}
	if len(got) != 6 {
		t.Errorf("%d instances, want 6: %v", len(got), got)
	}
	// The flow log's VPC is the installed module's VPC.
	for _, in := range insts {
		if in.Address == `module.net.module.flow.aws_flow_log.this` {
			if u, ok := in.Attrs["vpc_id"].(tfmap.Unknown); !ok || len(u.Refs) != 1 || u.Refs[0] != "module.net.aws_vpc.this" {
				t.Errorf("flow log vpc_id %#v, want the unknown id of module.net.aws_vpc.this", in.Attrs["vpc_id"])
			}
		}
	}
	var missing, stale int
	for _, p := range probs {
		switch {
		case !p.Warning:
			t.Errorf("input error: %+v", p)
		case strings.Contains(p.Err, "module.missing") && strings.Contains(p.Err, "not installed") && strings.Contains(p.Err, "terraform init") && p.Path == "main.tf" && p.Line == 17:
			missing++
		case strings.Contains(p.Err, "module.stale") && strings.Contains(p.Err, `installed from "registry.terraform.io/acme/old/aws"`) && p.Line == 20:
			stale++
		default:
			t.Errorf("unexpected warning: %+v", p)
		}
	}
	if missing != 1 || stale != 1 {
		t.Errorf("warnings: missing %d, stale %d, want 1 each: %v", missing, stale, probs)
	}
}

// TestInstalledManifestBroken: an unreadable manifest, or one naming a
// directory outside the tree or no longer there, leaves the module
// unresolved with the reason; nothing fails.
func TestInstalledManifestBroken(t *testing.T) {
	for name, tc := range map[string]struct{ manifest, why string }{
		"bad json": {`{"Modules": [`, "manifest cannot be read"},
		"outside":  {`{"Modules":[{"Key":"m","Source":"registry.terraform.io/a/b/aws","Dir":"../../elsewhere"}]}`, "outside the scanned tree"},
		"absolute": {`{"Modules":[{"Key":"m","Source":"registry.terraform.io/a/b/aws","Dir":"/opt/m"}]}`, "not inside the root module"},
		"removed":  {`{"Modules":[{"Key":"m","Source":"registry.terraform.io/a/b/aws","Dir":".terraform/modules/m"}]}`, "is missing"},
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			writeTree(t, dir, map[string]string{
				"main.tf":                         "module \"m\" {\n  source = \"a/b/aws\"\n}\n",
				".terraform/modules/modules.json": tc.manifest,
			})
			insts, probs := evaluateFiles(t, dir, []string{"main.tf"}, Options{})
			if len(insts) != 0 || len(probs) != 1 || !probs[0].Warning || !strings.Contains(probs[0].Err, tc.why) {
				t.Errorf("instances %v, problems %+v, want one warning saying %q", insts, probs, tc.why)
			}
		})
	}
}

// TestInstalledModulePlanLocation: a plan or state resource of an
// installed registry module is located at its block in the install
// directory, with the call site in the configuration.
func TestInstalledModulePlanLocation(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{
		"main.tf":                         "module \"logs\" {\n  source = \"terraform-aws-modules/s3-bucket/aws\"\n}\n",
		".terraform/modules/modules.json": `{"Modules":[{"Key":"logs","Source":"registry.terraform.io/terraform-aws-modules/s3-bucket/aws","Dir":".terraform/modules/logs"}]}`,
		".terraform/modules/logs/main.tf": "\n\nresource \"aws_s3_bucket\" \"this\" {\n  bucket = \"x\"\n}\n",
		"state.json": `{"format_version":"1.0","terraform_version":"1.9.0","values":{"root_module":{"child_modules":[{"address":"module.logs",
"resources":[{"address":"module.logs.aws_s3_bucket.this","mode":"managed","type":"aws_s3_bucket","name":"this",
"provider_name":"registry.terraform.io/hashicorp/aws","values":{"bucket":"x"}}]}]}}}`,
	})
	_, insts := planInstances(t, dir, "state.json")
	in := instanceByAddr(insts, "module.logs.aws_s3_bucket.this")
	if in == nil {
		t.Fatalf("not read: %v", addrs(insts))
	}
	l := in.Location
	if l.File != ".terraform/modules/logs/main.tf" || l.StartLine != 3 || l.EndLine != 5 || len(l.Calls) != 1 || l.Calls[0].File != "main.tf" || l.Calls[0].Address != "module.logs" {
		t.Errorf("location %+v, want .terraform/modules/logs/main.tf:3-5 called from main.tf module.logs", l)
	}
}
