package cloudformation

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestNestedStacks: a nested stack's local template is read in its parent's
// batch with the parameters the parent passes (once per stack deploying it)
// and not alone; a cycle of templates is reported, not followed; a template
// not in the tree is a warning; an S3-hosted template is not read.
func TestNestedStacks(t *testing.T) {
	root := t.TempDir()
	files := map[string]string{
		"root.yaml": `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Open:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: child/sg.yaml
      Parameters: {Cidr: 0.0.0.0/0}
  Closed:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: ./child/sg.yaml
  Missing:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: child/gone.yaml
  Remote:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: https://example-bucket.s3.amazonaws.com/sg.yaml
  Loop:
    Type: AWS::Serverless::Application
    Properties:
      Location: loop/a.yaml
`,
		"child/sg.yaml": `AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Cidr: {Type: String, Default: 10.0.0.0/8}
Resources:
  Group:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: ssh
      SecurityGroupIngress:
        - {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: !Ref Cidr}
`,
		"loop/a.yaml": `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Again:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: ../loop/a.yaml
`,
		"alone.yaml": `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Group:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: alone
`,
	}
	var names []string
	for name, text := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		names = append(names, name)
	}
	slices.Sort(names)
	batches := readAll(t, root, names, Options{})
	var inputs []string
	for _, b := range batches {
		inputs = append(inputs, b.Input)
	}
	if want := []string{"alone.yaml", "root.yaml"}; !slices.Equal(inputs, want) {
		t.Fatalf("batches %v, want %v (nested templates read in their parent's batch only)", inputs, want)
	}
	b := batches[1]
	cidrs := map[string]string{}
	for _, r := range b.Resources {
		if r.Location.File != "child/sg.yaml" || r.Location.StartLine != 5 {
			t.Errorf("%s located at %+v", r.ID, r.Location)
		}
		if fw := r.Facts.Firewall; fw != nil {
			for _, rule := range fw.Rules {
				if rule.Direction == "ingress" {
					cidrs[r.Location.Address] = strings.Join(rule.Sources, ",")
				}
			}
		}
	}
	if want := map[string]string{"Open > Group": "0.0.0.0/0", "Closed > Group": "10.0.0.0/8"}; len(cidrs) != 2 ||
		cidrs["Open > Group"] != want["Open > Group"] || cidrs["Closed > Group"] != want["Closed > Group"] {
		t.Errorf("sources by address %v, want %v (parent's parameter, else the child's default)", cidrs, want)
	}
	if _, ok := b.Unsupported["root.yaml:Remote"]; !ok {
		t.Errorf("the S3-hosted stack is not listed unsupported: %v", b.Unsupported)
	}
	var missing, cycle bool
	for _, p := range b.Problems {
		switch {
		case strings.Contains(p.Err, "child/gone.yaml") && p.Warning && p.Path == "root.yaml":
			missing = true
		case strings.Contains(p.Err, "a cycle") && p.Path == "loop/a.yaml" && !p.Warning:
			cycle = true
		}
	}
	if !missing || !cycle {
		t.Errorf("problems %v: want a warning for the missing template and an error for the cycle", b.Problems)
	}
}
