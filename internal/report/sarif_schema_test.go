package report_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vigil-sec/vigil/internal/iac"
	"github.com/vigil-sec/vigil/internal/policy"
	"github.com/vigil-sec/vigil/internal/report"
	"github.com/vigil-sec/vigil/internal/rules"
	"github.com/vigil-sec/vigil/internal/scan"
	"github.com/vigil-sec/vigil/internal/testkit"
)

// TestSARIFSchemaExport validates the SARIF of the export fixture (the
// golden file: logical locations, an export file as artifact).
func TestSARIFSchemaExport(t *testing.T) {
	sch := testkit.SARIFSchema(t)
	data, err := os.ReadFile(filepath.Join("testdata", "golden.sarif"))
	if err != nil {
		t.Fatal(err)
	}
	testkit.ValidateSARIF(t, sch, "golden.sarif", data)
}

type sarifDoc struct {
	Runs []struct {
		Tool struct {
			Driver struct {
				Rules []struct {
					ID         string `json:"id"`
					Properties struct {
						Tags []string `json:"tags"`
					} `json:"properties"`
				} `json:"rules"`
			} `json:"driver"`
		} `json:"tool"`
		Results []struct {
			RuleID    string `json:"ruleId"`
			Level     string `json:"level"`
			Locations []struct {
				PhysicalLocation *struct {
					ArtifactLocation struct {
						URI       string `json:"uri"`
						URIBaseID string `json:"uriBaseId"`
					} `json:"artifactLocation"`
					Region *struct {
						StartLine int `json:"startLine"`
						EndLine   int `json:"endLine"`
					} `json:"region"`
				} `json:"physicalLocation"`
			} `json:"locations"`
			PartialFingerprints map[string]string `json:"partialFingerprints"`
		} `json:"results"`
	} `json:"runs"`
}

const podManifest = `apiVersion: v1
kind: Pod
metadata:
  name: debug
  namespace: ops
spec:
  hostPID: true
  containers:
    - name: shell
      image: busybox:latest
      securityContext:
        privileged: true
`

const bucketTemplate = `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Site:
    Type: AWS::S3::Bucket
    Properties:
      PublicAccessBlockConfiguration:
        BlockPublicAcls: false
        BlockPublicPolicy: false
        IgnorePublicAcls: false
        RestrictPublicBuckets: false
`

const sgTerraform = `resource "aws_security_group" "admin" {
  name   = "admin"
  vpc_id = "vpc-0123456789abcdef0"
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
`

// TestSARIFSchemaIaC validates the SARIF of a vigil iac scan and checks
// what GitHub code scanning requires beyond the schema: every result has a
// physical location with a relative URI, a uriBaseId and a start line; no
// absolute path anywhere; at most 10 tags per rule; fingerprints that stay
// the same when the resource moves down its file.
func TestSARIFSchemaIaC(t *testing.T) {
	sch := testkit.SARIFSchema(t)
	dir := t.TempDir()
	write := func(name, content string) {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("k8s/pod.yaml", podManifest)
	write("stacks/site.yaml", bucketTemplate)
	write("tf/main.tf", sgTerraform)
	ctx := context.Background()
	e, err := policy.New(ctx, []policy.Source{{FS: rules.FS(), Name: "builtin", Builtin: true}})
	if err != nil {
		t.Fatal(err)
	}
	run := func() (sarifDoc, []byte) { return iacSARIF(t, e, dir) }
	doc, data := run()
	testkit.ValidateSARIF(t, sch, "vigil iac SARIF", data)
	// A JSON string that is a file URI (a rule's remediation may quote a CLI's file:// argument).
	if strings.Contains(string(data), dir) || strings.Contains(string(data), `"file://`) {
		t.Error("the SARIF holds an absolute path")
	}
	r := doc.Runs[0]
	for _, rule := range r.Tool.Driver.Rules {
		if n := len(rule.Properties.Tags); n == 0 || n > 10 || rule.Properties.Tags[0] != "security" {
			t.Errorf("rule %s: %d tags %v (want 1-10, security first)", rule.ID, n, rule.Properties.Tags)
		}
	}
	first := map[string]int{} // fingerprint -> start line
	files := map[string]bool{}
	for _, res := range r.Results {
		if len(res.Locations) == 0 || res.Locations[0].PhysicalLocation == nil {
			t.Fatalf("%s: no physical location", res.RuleID)
		}
		pl := res.Locations[0].PhysicalLocation
		uri := pl.ArtifactLocation.URI
		if uri == "" || strings.HasPrefix(uri, "/") || strings.Contains(uri, ":") || pl.ArtifactLocation.URIBaseID != "%SRCROOT%" {
			t.Errorf("%s: artifact location %+v", res.RuleID, pl.ArtifactLocation)
		}
		if pl.Region == nil || pl.Region.StartLine < 1 || pl.Region.EndLine < pl.Region.StartLine {
			t.Errorf("%s %s: region %+v", res.RuleID, uri, pl.Region)
			continue
		}
		files[uri] = true
		fp := res.PartialFingerprints["vigilFindingId/v1"]
		if fp == "" {
			t.Errorf("%s: no partial fingerprint", res.RuleID)
		}
		first[fp] = pl.Region.StartLine
	}
	if !files["k8s/pod.yaml"] || !files["stacks/site.yaml"] || !files["tf/main.tf"] {
		t.Errorf("results in %v, want k8s/pod.yaml, stacks/site.yaml and tf/main.tf (relative to the scanned root outside the working directory)", files)
	}
	// Three lines above each resource: same fingerprints, lines moved.
	write("k8s/pod.yaml", "# a\n# b\n# c\n"+podManifest)
	write("stacks/site.yaml", strings.Replace(bucketTemplate, "Resources:\n", "Resources:\n  # a\n  # b\n  # c\n", 1))
	write("tf/main.tf", "# a\n# b\n# c\n"+sgTerraform)
	doc, _ = run()
	if len(doc.Runs[0].Results) != len(first) {
		t.Fatalf("%d results, then %d", len(first), len(doc.Runs[0].Results))
	}
	for _, res := range doc.Runs[0].Results {
		fp := res.PartialFingerprints["vigilFindingId/v1"]
		line, ok := first[fp]
		if !ok {
			t.Errorf("%s: fingerprint %s changed when the resource moved", res.RuleID, fp)
		} else if got := res.Locations[0].PhysicalLocation.Region.StartLine; got != line+3 {
			t.Errorf("%s: start line %d, want %d", res.RuleID, got, line+3)
		}
	}
}

// iacSARIF scans dir with vigil iac and returns its SARIF, decoded and as
// written.
func iacSARIF(t *testing.T, e *policy.Engine, dir string) (sarifDoc, []byte) {
	t.Helper()
	ctx := context.Background()
	res, err := iac.Scan(ctx, e, iac.Options{Paths: []string{dir}, Readers: iac.Builtin(iac.ReaderOptions{}),
		Scan: scan.Options{Now: time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)}})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := report.Write(ctx, &buf, "sarif", res.Report); err != nil {
		t.Fatal(err)
	}
	var doc sarifDoc
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	return doc, buf.Bytes()
}

// TestSARIFInstalledModule: a resource of a module that terraform init
// downloaded (under .terraform/, not in the repository) is shown at the
// module call of the repository's own files, the code that picks the
// module and its inputs.
func TestSARIFInstalledModule(t *testing.T) {
	dir := t.TempDir()
	for name, content := range map[string]string{
		"tf/main.tf":                         "# the admin security group\nmodule \"sg\" {\n  source  = \"acme/sg/aws\"\n  version = \"1.0.0\"\n}\n",
		"tf/.terraform/modules/modules.json": `{"Modules":[{"Key":"sg","Source":"registry.terraform.io/acme/sg/aws","Version":"1.0.0","Dir":".terraform/modules/sg"}]}`,
		"tf/.terraform/modules/sg/main.tf":   sgTerraform,
	} {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	e, err := policy.New(context.Background(), []policy.Source{{FS: rules.FS(), Name: "builtin", Builtin: true}})
	if err != nil {
		t.Fatal(err)
	}
	doc, data := iacSARIF(t, e, dir)
	testkit.ValidateSARIF(t, testkit.SARIFSchema(t), "vigil iac SARIF", data)
	n := 0
	for _, res := range doc.Runs[0].Results {
		if res.RuleID != "firewall-ssh-open-to-internet" {
			continue
		}
		n++
		pl := res.Locations[0].PhysicalLocation
		if pl.ArtifactLocation.URI != "tf/main.tf" || pl.Region.StartLine != 2 || pl.Region.EndLine != 5 {
			t.Errorf("located at %s:%d-%d, want the module call tf/main.tf:2-5", pl.ArtifactLocation.URI, pl.Region.StartLine, pl.Region.EndLine)
		}
	}
	if n != 1 {
		t.Errorf("%d firewall-ssh-open-to-internet results, want 1", n)
	}
}
