package cloudformation

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vigil-sec/vigil/internal/resource"
	"github.com/vigil-sec/vigil/internal/source"
)

// readString reads one template given as text.
func readString(t testing.TB, name, text string, opts Options) source.Batch {
	t.Helper()
	var b source.Batch
	done := make(chan struct{})
	go func() {
		defer close(done)
		Read(name, []byte(text), opts, &b)
	}()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		t.Fatalf("%s: reading did not finish in 20s", name)
	}
	return b
}

func problemsContain(b source.Batch, sub string) bool {
	for _, p := range b.Problems {
		if strings.Contains(p.Error(), sub) {
			return true
		}
	}
	return false
}

// A file that does not parse is reported with file and line; the other
// files are still read.
func TestBrokenFileRestRead(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("a.yaml", "Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: [x\n")
	write("b.yaml", "Resources:\n  B:\n    Type: AWS::S3::Bucket\n")
	bs := readAll(t, dir, []string{"a.yaml", "missing.yaml", "b.yaml"}, Options{})
	if len(bs) != 3 {
		t.Fatalf("%d batches", len(bs))
	}
	if len(bs[0].Problems) != 1 || bs[0].Problems[0].Path != "a.yaml" || bs[0].Problems[0].Line != 5 {
		t.Errorf("a.yaml problems: %+v", bs[0].Problems)
	}
	if len(bs[1].Problems) != 1 || !strings.Contains(bs[1].Problems[0].Err, "no such file") {
		t.Errorf("missing.yaml problems: %+v", bs[1].Problems)
	}
	if len(bs[2].Resources) != 1 || bs[2].Resources[0].ID != "b.yaml:B" {
		t.Errorf("b.yaml: %+v", bs[2].Resources)
	}
}

func TestAliasBomb(t *testing.T) {
	var b strings.Builder
	b.WriteString("Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      Tags:\n")
	b.WriteString("        - &a0 {Key: k, Value: v}\n")
	for i := 1; i <= 30; i++ {
		fmt.Fprintf(&b, "        - &a%d [*a%d, *a%d, *a%d, *a%d]\n", i, i-1, i-1, i-1, i-1)
	}
	start := time.Now()
	bt := readString(t, "bomb.yaml", b.String(), Options{})
	if !problemsContain(bt, "alias bomb") {
		t.Errorf("alias bomb not reported: %+v", bt.Problems)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("alias bomb took %s", d)
	}
	// The rest of the template is read: the resource is kept, unreadable.
	if bt.Unsupported["bomb.yaml:B"] != "AWS::S3::Bucket" && len(bt.Resources) == 0 {
		t.Errorf("the bucket is neither read nor listed: %+v", bt)
	}
}

func TestDeepNesting(t *testing.T) {
	// Values nested deeper than the reader reads.
	deep := "Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      X: " + strings.Repeat("[", 5000) + strings.Repeat("]", 5000) + "\n"
	b := readString(t, "deep.yaml", deep, Options{})
	if len(b.Problems) == 0 {
		t.Error("deeply nested values not reported")
	}
	// Intrinsic functions nested deeper than the evaluator follows.
	expr := "x"
	for range 300 {
		expr = `{"Fn::Join": ["", [` + expr + `]]}`
	}
	b = readString(t, "deep.json", `{"Resources": {"B": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": `+expr+`}}}}`, Options{})
	if !problemsContain(b, "nested more than") {
		t.Errorf("deeply nested intrinsics not reported: %+v", b.Problems)
	}
	if b.Unsupported["deep.json:B"] != "AWS::S3::Bucket" {
		t.Errorf("the unreadable bucket is not listed: %+v", b)
	}
	// Nesting within the bounds is evaluated.
	expr = `"x"`
	for range 60 {
		expr = `{"Fn::Join": ["", [` + expr + `]]}`
	}
	b = readString(t, "ok.json", `{"Resources": {"B": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": `+expr+`}}}}`, Options{})
	if len(b.Resources) != 1 || b.Resources[0].Name != "x" || len(b.Problems) > 0 {
		t.Errorf("60 nested Fn::Join: %+v", b)
	}
}

func TestCycles(t *testing.T) {
	tmpl := `AWSTemplateFormatVersion: "2010-09-09"
Conditions:
  A: !And [!Condition B, !Equals [1, 1]]
  B: !Or [!Condition C, !Condition A]
  C: !Not [!Condition A]
  Self: !Condition Self
Resources:
  Bucket:
    Type: AWS::S3::Bucket
    Condition: A
    Properties:
      BucketName: !Sub "${Bucket}-x"
      VersioningConfiguration: !If [Self, {Status: Enabled}, {Status: Suspended}]
  Other:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Ref Other
`
	b := readString(t, "cycle.yaml", tmpl, Options{})
	if !problemsContain(b, "depends on itself") {
		t.Errorf("cyclic conditions not reported: %+v", b.Problems)
	}
	if len(b.Resources) != 2 {
		t.Fatalf("resources: %+v", b.Resources)
	}
	// Unknown, not guessed: the bucket's existence and versioning depend on the cycle.
	if v := b.Resources[0].Facts.Storage.Versioning; v != nil {
		t.Errorf("versioning decided by a cyclic condition: %v", *v)
	}
}

func TestHugeFile(t *testing.T) {
	dir := t.TempDir()
	f, err := os.Create(filepath.Join(dir, "huge.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintln(f, "AWSTemplateFormatVersion: \"2010-09-09\"\nResources:")
	line := fmt.Sprintf("      Description: %s\n", strings.Repeat("x", 1000))
	for i := 0; i < 50_000; i++ {
		fmt.Fprintf(f, "  B%d:\n    Type: AWS::SNS::Topic\n    Properties:\n%s", i, line)
	}
	f.Close()
	st, _ := os.Stat(f.Name())
	if st.Size() < 50<<20 {
		t.Fatalf("only %d bytes", st.Size())
	}
	start := time.Now()
	bs := readAll(t, dir, []string{"huge.yaml"}, Options{})
	if len(bs) != 1 || len(bs[0].Problems) != 1 || !strings.Contains(bs[0].Problems[0].Err, "larger than") {
		t.Errorf("huge file: %+v", bs[0].Problems)
	}
	// With a larger limit it is read, in reasonable time.
	bs = readAll(t, dir, []string{"huge.yaml"}, Options{MaxFileBytes: 64 << 20})
	if len(bs[0].Resources) != 50_000 {
		t.Errorf("%d resources, %d problems", len(bs[0].Resources), len(bs[0].Problems))
	}
	t.Logf("50 MB template: %s", time.Since(start))
}

func TestBadShapes(t *testing.T) {
	for name, tmpl := range map[string]string{
		"list.yaml":        "- a\n- b\n",
		"noresources.yaml": "AWSTemplateFormatVersion: 2010-09-09\n",
		"resources.yaml":   "Resources: [1, 2]\n",
		"untyped.yaml":     "Resources:\n  A: {Properties: {}}\n  B: 42\n  C:\n    Type: AWS::S3::Bucket\n    Properties: [1]\n",
		"badfn.yaml": "Resources:\n  A:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: !Join [x]\n" +
			"      Tags: !Select [9, [a]]\n      AccessControl: !FindInMap [M, a, b]\n      ObjectLockEnabled: !Ref Nope\n" +
			"      VersioningConfiguration: {Status: !Fn::Nope x}\n",
		"empty.yaml": "",
	} {
		b := readString(t, name, tmpl, Options{})
		if len(b.Problems) == 0 {
			t.Errorf("%s: no problem reported", name)
		}
		for _, p := range b.Problems {
			if p.Path != name {
				t.Errorf("%s: problem without the file: %+v", name, p)
			}
		}
	}
}

func TestDetect(t *testing.T) {
	for _, c := range []struct {
		path, head string
		want       bool
	}{
		{"a.yaml", "AWSTemplateFormatVersion: '2010-09-09'\nResources: {}\n", true},
		{"a.template", `{"AWSTemplateFormatVersion": "2010-09-09"}`, true},
		{"a.yml", "Resources:\n  B:\n    Type: AWS::S3::Bucket\n", true},
		{"a.json", `{"Resources": {"B": {"Type": "AWS::S3::Bucket"}}}`, true},
		{"sam.yaml", "Transform: AWS::Serverless-2016-10-31\nResources:\n  F:\n    Type: AWS::Serverless::Function\n", true},
		{"a.txt", "AWSTemplateFormatVersion: '2010-09-09'\n", false},
		{"k8s.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  t: AWS::S3::Bucket\nResources:\n", false},
		{"arm.json", `{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "resources": []}`, false},
		{"plan.json", `{"format_version": "1.2", "terraform_version": "1.9.0", "planned_values": {}}`, false},
		{"compose.yaml", "services:\n  web:\n    image: nginx\n", false},
		{"nested.yaml", "Outer:\n  Resources:\n    B:\n      Type: AWS::S3::Bucket\n", false},
		{"bom.json", "\xef\xbb\xbf{\"Resources\": {\"B\": {\"Type\": \"AWS::S3::Bucket\"}}}", true},
	} {
		if got := Detect(c.path, []byte(c.head)); got != c.want {
			t.Errorf("Detect(%s) = %v, want %v", c.path, got, c.want)
		}
	}
}

// Parameters given in the options override the defaults; pseudo
// parameters are known only when given.
func TestOptions(t *testing.T) {
	tmpl := `Parameters:
  Versioning: {Type: String, Default: Suspended}
  Cidrs: {Type: CommaDelimitedList, Default: "10.0.0.0/8,10.1.0.0/16"}
Resources:
  B:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Sub "b-${AWS::AccountId}-${AWS::Region}"
      VersioningConfiguration: {Status: !Ref Versioning}
  Sg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      SecurityGroupIngress:
        - {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: !Select [1, !Ref Cidrs]}
`
	b := readString(t, "t.yaml", tmpl, Options{})
	if v := b.Resources[0].Facts.Storage.Versioning; v == nil || *v {
		t.Errorf("default: versioning %v", v)
	}
	if b.Resources[0].Name != "B" || b.Resources[0].Account != "" {
		t.Errorf("unknown pseudo parameters: name %q account %q", b.Resources[0].Name, b.Resources[0].Account)
	}
	b = readString(t, "t.yaml", tmpl, Options{Parameters: map[string]string{"Versioning": "Enabled", "Cidrs": "0.0.0.0/0, 0.0.0.0/0"},
		AccountID: "111122223333", Region: "eu-west-1"})
	if v := b.Resources[0].Facts.Storage.Versioning; v == nil || !*v {
		t.Errorf("parameter given: versioning %v", v)
	}
	if r := b.Resources[0]; r.Name != "b-111122223333-eu-west-1" || r.Account != "111122223333" || r.Region != "eu-west-1" {
		t.Errorf("pseudo parameters given: %q %q %q", r.Name, r.Account, r.Region)
	}
	if rules := b.Resources[1].Facts.Firewall.Rules; len(rules) == 0 || rules[0].Sources[0] != "0.0.0.0/0" {
		t.Errorf("list parameter: %+v", rules)
	}
}

func TestDuplicateResource(t *testing.T) {
	b := readString(t, "dup.yaml", "Resources:\n  A:\n    Type: AWS::SNS::Topic\n  A:\n    Type: AWS::SQS::Queue\n", Options{})
	if len(b.Resources) != 1 || b.Resources[0].Type != "AWS::SNS::Topic" || !problemsContain(b, "dup.yaml:4: resource A is defined more than once") {
		t.Errorf("%+v", b)
	}
}

// A problem in a split resource names it and its line, not the resource
// it is joined onto.
func TestProblemInAttachment(t *testing.T) {
	b := readString(t, "t.yaml", `Resources:
  B:
    Type: AWS::S3::Bucket
  P:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref B
      PolicyDocument: {Statement: 42}
`, Options{})
	if len(b.Problems) != 1 || b.Problems[0].Resource != "t.yaml:P" || b.Problems[0].Line != 8 || b.Problems[0].Field != "PolicyDocument" {
		t.Errorf("%+v", b.Problems)
	}
	// The policy did not parse: what it decides is unknown, not false.
	if s := b.Resources[0].Facts.Storage; s.SecureTransportOnly != nil {
		t.Errorf("secure transport decided from a policy that does not parse: %v", *s.SecureTransportOnly)
	}
}

func TestIntrinsicProperties(t *testing.T) {
	tmpl := `Parameters:
  Env: {Type: String, Default: prod}
  Other: {Type: String}
Conditions:
  Prod: !Equals [!Ref Env, prod]
  Unknown: !Equals [!Ref Other, x]
Resources:
  A:
    Type: AWS::S3::Bucket
    Properties: !If [Prod, {VersioningConfiguration: {Status: Enabled}}, {}]
  B:
    Type: AWS::S3::Bucket
    Properties: !If [Unknown, {VersioningConfiguration: {Status: Enabled}}, {}]
`
	b := readString(t, "t.yaml", tmpl, Options{})
	if len(b.Resources) != 2 || b.Resources[0].Facts.Storage.Versioning == nil || !*b.Resources[0].Facts.Storage.Versioning {
		t.Fatalf("resources %+v", b.Resources)
	}
	// B's facts are all unknown: not the defaults of a bucket without properties.
	if s := *b.Resources[1].Facts.Storage; s != (resource.ObjectStorage{}) || !problemsContain(b, "known only at deploy time") {
		t.Errorf("B: %+v %+v", s, b.Problems)
	}
}

// A policy written as JSON text with deploy-time values in it is read,
// those values answering unknown only where they may be anything.
func TestPolicyText(t *testing.T) {
	b := readString(t, "t.json", `{"Parameters": {"Who": {"Type": "String"}},
"Resources": {
  "Q": {"Type": "AWS::SQS::Queue"},
  "Open": {"Type": "AWS::SQS::QueuePolicy", "Properties": {"Queues": [{"Ref": "Q"}],
    "PolicyDocument": {"Fn::Sub": "{\"Statement\": [{\"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": \"sqs:SendMessage\", \"Resource\": \"${Q.Arn}\"}]}"}}},
  "R": {"Type": "AWS::SQS::Queue"},
  "Maybe": {"Type": "AWS::SQS::QueuePolicy", "Properties": {"Queues": [{"Ref": "R"}],
    "PolicyDocument": {"Fn::Join": ["", ["{\"Statement\": [{\"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"", {"Ref": "Who"}, "\"}, \"Action\": \"sqs:SendMessage\", \"Resource\": \"*\"}]}"]]}}}
}}`, Options{})
	if len(b.Problems) > 0 || len(b.Resources) != 2 {
		t.Fatalf("%+v", b)
	}
	if p := b.Resources[0].Facts.Queue.PublicPolicy; p == nil || !*p {
		t.Errorf("Q: public policy %v", p)
	}
	if p := b.Resources[1].Facts.Queue.PublicPolicy; p != nil {
		t.Errorf("R: a principal from a parameter without a value decided public = %v", *p)
	}
}

// Fn::ForEach loops that would make a huge number of resources stop at
// the bound, reported.
func TestForEachBomb(t *testing.T) {
	var items []string
	for i := range 200 {
		items = append(items, fmt.Sprint("i", i))
	}
	list := strings.Join(items, ",")
	tmpl := "Transform: AWS::LanguageExtensions\nResources:\n  Fn::ForEach::A:\n    - X\n    - !Split [\",\", \"" + list +
		"\"]\n    - Fn::ForEach::B:\n        - Y\n        - !Split [\",\", \"" + list +
		"\"]\n        - R${X}x${Y}:\n            Type: AWS::SNS::Topic\n"
	start := time.Now()
	b := readString(t, "t.yaml", tmpl, Options{})
	if !problemsContain(b, "more than 10000 resources") {
		t.Errorf("bound not reported: %d resources, problems %v", len(b.Resources), b.Problems)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("took %s", d)
	}
}

func TestUnknownTransform(t *testing.T) {
	b := readString(t, "t.yaml", "Transform: [AWS::Serverless-2016-10-31, Acme::Macro]\nResources:\n  T:\n    Type: AWS::SNS::Topic\n", Options{})
	if len(b.Resources) != 1 || len(b.Problems) != 1 || !problemsContain(b, "t.yaml:1: Transform Acme::Macro is a macro applied at deploy time") {
		t.Errorf("%+v", b)
	}
}
