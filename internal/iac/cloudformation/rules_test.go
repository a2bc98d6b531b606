package cloudformation_test

import (
	"bufio"
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/vigil-sec/vigil/internal/finding"
	"github.com/vigil-sec/vigil/internal/iac/cloudformation"
	"github.com/vigil-sec/vigil/internal/policy"
	"github.com/vigil-sec/vigil/internal/rules"
	"github.com/vigil-sec/vigil/internal/scan"
	"github.com/vigil-sec/vigil/internal/source"
)

var (
	engineOnce sync.Once
	engine     *policy.Engine
	engineErr  error
)

func builtinEngine(t *testing.T) *policy.Engine {
	t.Helper()
	engineOnce.Do(func() {
		engine, engineErr = policy.New(context.Background(), []policy.Source{{FS: rules.FS(), Name: "builtin", Builtin: true}})
	})
	if engineErr != nil {
		t.Fatal(engineErr)
	}
	return engine
}

// scanTemplates writes each template to its own file under a temporary
// root, scans them through the reader with the built-in rules, and returns
// the findings by file.
func scanTemplates(t *testing.T, templates map[string]string) map[string][]finding.Finding {
	t.Helper()
	root := t.TempDir()
	var files []string
	for name, text := range templates {
		if err := os.WriteFile(filepath.Join(root, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, name)
	}
	sort.Strings(files)
	src := cloudformation.New(root, files, cloudformation.Options{})
	res, err := scan.Run(context.Background(), builtinEngine(t), scan.Options{Sources: []source.Source{src}, Logger: slog.New(slog.DiscardHandler),
		Now: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]finding.Finding{}
	for _, f := range res.Report.Findings {
		if f.Resource.Location == nil {
			continue
		}
		out[f.Resource.Location.File] = append(out[f.Resource.Location.File], f)
	}
	return out
}

func statusOf(fs []finding.Finding, rule string) (fail bool, statuses []string) {
	for _, f := range fs {
		if f.RuleID == rule {
			statuses = append(statuses, fmt.Sprintf("%s %s", f.Resource.Location.Address, f.Status))
			if f.Status == finding.Fail {
				fail = true
			}
		}
	}
	return fail, statuses
}

// TestRuleJudgesTemplates: the built-in rule fails the bad template and
// not the good one, located at the resource's lines, through scan.Run.
func TestRuleJudgesTemplates(t *testing.T) {
	got := scanTemplates(t, map[string]string{
		"bad.yaml": `AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Open:
    Type: String
    Default: 0.0.0.0/0
Resources:
  Sg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: ssh
  SshRule:
    Type: AWS::EC2::SecurityGroupIngress
    Properties:
      GroupId: !GetAtt Sg.GroupId
      IpProtocol: tcp
      FromPort: 22
      ToPort: 22
      CidrIp: !Ref Open
`,
		"good.yaml": `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Sg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: ssh
      SecurityGroupIngress:
        - IpProtocol: tcp
          FromPort: 22
          ToPort: 22
          CidrIp: 10.0.0.0/8
`,
	})
	fail, st := statusOf(got["bad.yaml"], "firewall-ssh-open-to-internet")
	if !fail {
		t.Errorf("bad.yaml: firewall-ssh-open-to-internet did not fail: %v", st)
	}
	for _, f := range got["bad.yaml"] {
		if f.RuleID == "firewall-ssh-open-to-internet" {
			if l := f.Resource.Location; l.StartLine != 7 || l.EndLine != 10 || l.Address != "Sg" {
				t.Errorf("finding located at %+v, want Sg lines 7-10", l)
			}
		}
	}
	if fail, st := statusOf(got["good.yaml"], "firewall-ssh-open-to-internet"); fail || len(st) == 0 {
		t.Errorf("good.yaml: firewall-ssh-open-to-internet: %v", st)
	}
}

// corpusDir finds ../shared/corpus/iac-examples/trivy-checks/cloud above
// the package directory.
func corpusDir(t *testing.T) string {
	dir, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	for {
		c := filepath.Join(dir, "shared", "corpus", "iac-examples", "trivy-checks", "cloud")
		if st, err := os.Stat(c); err == nil && st.IsDir() {
			return c
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Skip("../shared/corpus/iac-examples/trivy-checks is absent: the external-check examples are not run")
		}
		dir = parent
	}
}

// TestExternalChecks runs the CloudFormation good and bad examples of the
// public checks listed in testdata/external-checks.tsv: bad ones must FAIL
// the vigil rule of the same concern, good ones must not.
func TestExternalChecks(t *testing.T) {
	corpus := corpusDir(t)
	f, err := os.Open(filepath.Join("testdata", "external-checks.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	type want struct {
		rule, example string
		bad           bool
		only          []string
	}
	templates := map[string]string{}
	wants := map[string]want{}
	sc := bufio.NewScanner(f)
	rows := 0
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		cols := strings.Split(line, "\t")
		if len(cols) < 2 {
			t.Fatalf("external-checks.tsv: %q is not rule<TAB>example[<TAB>judged logical IDs]", line)
		}
		rule, example := cols[0], cols[1]
		var only []string
		if len(cols) > 2 {
			only = strings.Split(cols[2], ",")
		}
		rows++
		data, err := os.ReadFile(filepath.Join(corpus, filepath.FromSlash(example)+".yaml"))
		if err != nil {
			t.Fatal(err)
		}
		var doc struct {
			CloudFormation struct {
				Good []string `yaml:"good"`
				Bad  []string `yaml:"bad"`
			} `yaml:"cloudformation"`
		}
		if err := yaml.Unmarshal(data, &doc); err != nil {
			t.Fatalf("%s: %v", example, err)
		}
		if len(doc.CloudFormation.Bad) == 0 {
			t.Errorf("%s has no CloudFormation bad example", example)
		}
		for kind, snippets := range map[string][]string{"good": doc.CloudFormation.Good, "bad": doc.CloudFormation.Bad} {
			for i, s := range snippets {
				name := fmt.Sprintf("%s-%s-%s-%d.yaml", rule, strings.ReplaceAll(example, "/", "_"), kind, i)
				templates[name] = s
				wants[name] = want{rule, example, kind == "bad", only}
			}
		}
	}
	if rows < 25 {
		t.Fatalf("only %d rows in external-checks.tsv", rows)
	}
	got := scanTemplates(t, templates)
	names := make([]string, 0, len(wants))
	for n := range wants {
		names = append(names, n)
	}
	sort.Strings(names)
	// Per check: bad templates failing, good ones not failing.
	type tally struct{ bad, badFail, good, goodOK int }
	perCheck := map[string]*tally{}
	var checks []string
	for _, n := range names {
		w := wants[n]
		var judged []finding.Finding
		for _, f := range got[n] {
			if len(w.only) == 0 || slices.Contains(w.only, f.Resource.Location.Address) {
				judged = append(judged, f)
			}
		}
		fail, st := statusOf(judged, w.rule)
		key := w.example + "\t" + w.rule
		tl := perCheck[key]
		if tl == nil {
			tl = &tally{}
			perCheck[key] = tl
			checks = append(checks, key)
		}
		if w.bad {
			tl.bad++
			if fail {
				tl.badFail++
			}
		} else {
			tl.good++
			if !fail {
				tl.goodOK++
			}
		}
		switch {
		case w.bad && !fail:
			t.Errorf("%s: a bad example of %s does not fail %s (%v):\n%s", n, w.example, w.rule, st, templates[n])
		case !w.bad && fail:
			t.Errorf("%s: a good example of %s fails %s (%v):\n%s", n, w.example, w.rule, st, templates[n])
		}
	}
	sort.Strings(checks)
	var b strings.Builder
	var sum tally
	fmt.Fprintf(&b, "%-55s %-48s %8s %8s\n", "trivy check", "vigil rule", "bad FAIL", "good OK")
	for _, k := range checks {
		tl := perCheck[k]
		ex, rule, _ := strings.Cut(k, "\t")
		fmt.Fprintf(&b, "%-55s %-48s %4d/%-3d %4d/%-3d\n", ex, rule, tl.badFail, tl.bad, tl.goodOK, tl.good)
		sum.bad, sum.badFail, sum.good, sum.goodOK = sum.bad+tl.bad, sum.badFail+tl.badFail, sum.good+tl.good, sum.goodOK+tl.goodOK
	}
	fmt.Fprintf(&b, "%-55s %-48s %4d/%-3d %4d/%-3d\n", fmt.Sprintf("%d checks", len(checks)), "", sum.badFail, sum.bad, sum.goodOK, sum.good)
	t.Logf("CloudFormation examples of trivy-checks:\n%s", b.String())
	if sum.badFail != sum.bad || sum.goodOK != sum.good || sum.bad < 45 {
		t.Errorf("%d of %d bad templates fail, %d of %d good ones pass", sum.badFail, sum.bad, sum.goodOK, sum.good)
	}
}

// TestSplitResourcesJudgedWhole: what split resources of a template add
// (a managed policy attached to a user, a bucket policy, a queue policy)
// is judged on the resource they configure, through derivation where the
// live inventory needs it too; a resource whose condition is false is
// not judged at all.
func TestSplitResourcesJudgedWhole(t *testing.T) {
	got := scanTemplates(t, map[string]string{"t.yaml": `AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Env: {Type: String, Default: prod}
Conditions:
  Dev: !Equals [!Ref Env, dev]
Resources:
  Alice:
    Type: AWS::IAM::User
    Properties:
      ManagedPolicyArns: [!Ref Everything]
  Everything:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Statement: [{Effect: Allow, Action: "*", Resource: "*"}]
  Bob:
    Type: AWS::IAM::User
  BobKey1:
    Type: AWS::IAM::AccessKey
    Properties: {UserName: !Ref Bob}
  BobKey2:
    Type: AWS::IAM::AccessKey
    Properties: {UserName: !Ref Bob, Status: Active}
  AliceKey:
    Type: AWS::IAM::AccessKey
    Properties: {UserName: !Ref Alice, Status: Inactive}
  Site:
    Type: AWS::S3::Bucket
    Properties:
      PublicAccessBlockConfiguration:
        BlockPublicAcls: true
  SitePolicy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref Site
      PolicyDocument:
        Statement: [{Effect: Allow, Principal: "*", Action: s3:GetObject, Resource: !Sub "${Site.Arn}/*"}]
  DevQueue:
    Type: AWS::SQS::Queue
    Condition: Dev
    Properties:
      SqsManagedSseEnabled: false
`})["t.yaml"]
	want := map[string]string{
		"aws-user-direct-admin Alice":              "FAIL",
		"aws-user-direct-admin Bob":                "PASS",
		"aws-user-multiple-active-keys Bob":        "FAIL",
		"aws-user-multiple-active-keys Alice":      "PASS",
		"identity-stale-access-keys Bob":           "PASS", // created at deploy
		"iam-policy-admin Everything":              "FAIL",
		"storage-public-access Site":               "FAIL",
		"storage-public-access-not-blocked Site":   "FAIL",
		"storage-insecure-transport Site":          "FAIL",
		"storage-unencrypted Site":                 "PASS",
		"storage-versioning-disabled Site":         "FAIL",
		"queue-unencrypted DevQueue":               "",
		"aws-user-console-without-mfa Alice":       "UNKNOWN", // MFA is enrolled after deploy
		"function-runtime-deprecated Everything":   "",
		"storage-access-logging-disabled Site":     "FAIL",
		"firewall-ssh-open-to-internet SitePolicy": "",
	}
	have := map[string]string{}
	for _, f := range got {
		have[f.RuleID+" "+f.Resource.Location.Address] = string(f.Status)
	}
	for k, w := range want {
		if have[k] != w {
			t.Errorf("%s: %q, want %q", k, have[k], w)
		}
	}
}
