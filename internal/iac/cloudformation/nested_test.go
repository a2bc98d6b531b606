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

// TestNestedStackOutputs: Fn::GetAtt Stack.Outputs.Name of a nested stack
// whose template is a file of the tree is that template's output, evaluated
// with the parameters the parent passes (two levels down too); its
// resources are named by the resource IDs the child's mapper gives them.
// The output of a stack not read, or one the template lacks, may be
// anything; outputs depending on each other through the parent end.
func TestNestedStackOutputs(t *testing.T) {
	files := map[string]string{
		"root.yaml": `Resources:
  Net:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: child/net.yaml
      Parameters: {Cidr: 10.0.0.0/8}
  Remote:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: https://example-bucket.s3.amazonaws.com/net.yaml
  A:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: child/echo.yaml
      Parameters: {In: !GetAtt B.Outputs.Out}
  B:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: child/echo.yaml
      Parameters: {In: !GetAtt A.Outputs.Out}
`,
		"child/net.yaml": `Parameters:
  Cidr: {Type: String, Default: 192.168.0.0/16}
Resources:
  Group:
    Type: AWS::EC2::SecurityGroup
    Properties: {GroupDescription: g}
  Inner:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: inner.yaml
Outputs:
  AdminCidr: {Value: 0.0.0.0/0}
  PassedCidr: {Value: !Ref Cidr}
  GroupId: {Value: !GetAtt Group.GroupId}
  LogBucket: {Value: !Sub "${Inner.Outputs.Name}"}
`,
		"child/inner.yaml": `Resources:
  Bucket:
    Type: AWS::S3::Bucket
Outputs:
  Name: {Value: !Ref Bucket}
`,
		"child/echo.yaml": `Parameters:
  In: {Type: String}
Resources:
  Topic:
    Type: AWS::SNS::Topic
Outputs:
  Out: {Value: !Ref In}
`,
	}
	opts := Options{load: func(f string) ([]byte, error) {
		s, ok := files[f]
		if !ok {
			return nil, os.ErrNotExist
		}
		return []byte(s), nil
	}}
	tmpl, errs := parse("root.yaml", []byte(files["root.yaml"]))
	if len(errs) > 0 {
		t.Fatal(errs[0])
	}
	e := newEvaluator(tmpl, opts)
	e.stacks = newStackOutputs(e, "root.yaml", func(id string) string { return "root.yaml:" + id }, []string{"root.yaml"}, opts)
	get := func(stack, out string) any {
		return e.eval(map[string]any{"Fn::GetAtt": []any{stack, "Outputs." + out}}, 0)
	}
	if v := get("Net", "AdminCidr"); v != "0.0.0.0/0" {
		t.Errorf("a literal output is %#v", v)
	}
	if v := get("Net", "PassedCidr"); v != "10.0.0.0/8" {
		t.Errorf("an output of the parameter the parent passes is %#v, want 10.0.0.0/8", v)
	}
	closed := func(name string, v any, outer string) {
		t.Helper()
		u, ok := v.(*unknown)
		if !ok || u.open || len(u.outer) == 0 || u.outer[0] != outer || !slices.Equal(u.refs, []string{"Net"}) {
			t.Errorf("%s is %#v, want an attribute of %s (and of the stack Net)", name, v, outer)
		}
	}
	closed("GroupId", get("Net", "GroupId"), "root.yaml:Net > child/net.yaml:Group")
	closed("LogBucket", get("Net", "LogBucket"), "root.yaml:Net > child/net.yaml:Inner > child/inner.yaml:Bucket")
	if v := e.eval(map[string]any{"Fn::Equals": []any{map[string]any{"Fn::GetAtt": "Net.Outputs.LogBucket"}, ""}}, 0); v != false {
		t.Errorf("a bucket's name compared with \"\" is %#v, want false", v)
	}
	for _, c := range [][2]string{{"Net", "Nothing"}, {"Remote", "Cidr"}, {"A", "Out"}} {
		u, ok := get(c[0], c[1]).(*unknown)
		if !ok || !u.open {
			t.Errorf("%s.Outputs.%s is %#v, want a value that may be anything", c[0], c[1], u)
		}
	}
	if v := e.eval(map[string]any{"Fn::Equals": []any{map[string]any{"Fn::GetAtt": "Remote.Outputs.Cidr"}, ""}}, 0); !hasUnknown(v) {
		t.Errorf("an output of a stack not read compared with \"\" is %#v, want unknown", v)
	}
}

// TestNestedStackLoops: a nested template's Fn::ForEach over a parameter
// loops over what the parent passes, not the parameter's default.
func TestNestedStackLoops(t *testing.T) {
	root := t.TempDir()
	files := map[string]string{
		"root.yaml": `Resources:
  Loops:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: child.yaml
      Parameters: {Names: "alpha,beta"}
`,
		"child.yaml": `Transform: AWS::LanguageExtensions
Parameters:
  Names: {Type: CommaDelimitedList, Default: only}
Resources:
  Fn::ForEach::Buckets:
    - Name
    - !Ref Names
    - Bucket${Name}:
        Type: AWS::S3::Bucket
`,
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(root, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	batches := readAll(t, root, []string{"child.yaml", "root.yaml"}, Options{})
	var addrs []string
	for _, b := range batches {
		for _, r := range b.Resources {
			addrs = append(addrs, r.Location.Address)
		}
	}
	slices.Sort(addrs)
	if want := []string{"Loops > Bucketalpha", "Loops > Bucketbeta"}; !slices.Equal(addrs, want) {
		t.Errorf("resources %v, want %v (the loop over the parameter the parent passes)", addrs, want)
	}
}
