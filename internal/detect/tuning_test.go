package detect

import (
	"context"
	"encoding/json"
	"fmt"
	"github.com/vigil-sec/vigil/internal/logs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// ctEvent returns a CloudTrail event (as CloudTrail writes them) by arn.
func ctEvent(i int, name, arn, ip string) map[string]any {
	return map[string]any{
		"eventVersion": "1.08",
		"userIdentity": map[string]any{
			"type": "IAMUser", "arn": arn, "accountId": "111122223333",
			"userName": arn[strings.LastIndexByte(arn, '/')+1:],
		},
		"eventTime":          time.Date(2024, 3, 1, 10, 0, i, 0, time.UTC).Format(time.RFC3339),
		"eventSource":        "iam.amazonaws.com",
		"eventName":          name,
		"awsRegion":          "us-east-1",
		"sourceIPAddress":    ip,
		"userAgent":          "aws-cli/2.15",
		"requestParameters":  map[string]any{"userName": "bob"},
		"eventID":            fmt.Sprintf("00000000-0000-4000-8000-%012d", i),
		"eventType":          "AwsApiCall",
		"recipientAccountId": "111122223333",
	}
}

func writeTrail(t testing.TB, dir, name string, events ...map[string]any) string {
	t.Helper()
	b, err := json.Marshal(map[string]any{"Records": events})
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

const keyRule = `title: Test Access Key Created
id: 3b0e8a35-0000-4000-8000-000000000001
status: test
author: vigil tests
logsource:
    product: aws
    service: cloudtrail
detection:
    selection:
        eventName: CreateAccessKey
    condition: selection
level: medium
`

const keyFilter = `title: Office network is trusted
id: 3b0e8a35-0000-4000-8000-000000000002
logsource:
    product: aws
    service: cloudtrail
filter:
    rules:
        - 3b0e8a35-0000-4000-8000-000000000001
    selection:
        sourceIPAddress: 10.0.0.1
    condition: selection
`

func runTuned(t *testing.T, tuning *Tuning, withFilter bool) (*Engine, []*Alert) {
	t.Helper()
	rules := t.TempDir()
	os.WriteFile(filepath.Join(rules, "key.yml"), []byte(keyRule), 0o644)
	if withFilter {
		os.WriteFile(filepath.Join(rules, "mf_office.yml"), []byte(keyFilter), 0o644)
	}
	logsDir := t.TempDir()
	writeTrail(t, logsDir, "trail.json",
		ctEvent(1, "CreateAccessKey", "arn:aws:iam::111122223333:user/alice", "198.51.100.7"),
		ctEvent(2, "CreateAccessKey", "arn:aws:iam::111122223333:user/terraform", "203.0.113.9"),
		ctEvent(3, "CreateAccessKey", "arn:aws:iam::111122223333:user/carol", "10.0.0.1"),
		ctEvent(4, "ListUsers", "arn:aws:iam::111122223333:user/alice", "198.51.100.7"),
	)
	eng, err := New(context.Background(), Config{RuleDirs: []string{rules}, NoBuiltins: true, Tuning: tuning})
	if err != nil {
		t.Fatal(err)
	}
	for _, le := range eng.LoadErrors {
		t.Fatalf("load: %v", le)
	}
	sink := &collectSink{}
	if err := eng.Run(context.Background(), []string{logsDir}, sink, RunOptions{}); err != nil {
		t.Fatal(err)
	}
	return eng, sink.alerts
}

func actors(as []*Alert) []string {
	var out []string
	for _, a := range as {
		out = append(out, a.Finding.Actor.User.Name)
	}
	return out
}

func TestTuningSuppresses(t *testing.T) {
	// No tuning: the three CreateAccessKey calls alert.
	_, as := runTuned(t, NoTuning(), false)
	if got := strings.Join(actors(as), ","); got != "alice,terraform,carol" {
		t.Fatalf("untuned alerts by %s", got)
	}

	// Allow-listed automation identity.
	tu, err := ParseTuning("t.yml", []byte(`allow_identities: ["arn:aws:iam::*:user/terraform"]`))
	if err != nil {
		t.Fatal(err)
	}
	eng, as := runTuned(t, tu, false)
	if got := strings.Join(actors(as), ","); got != "alice,carol" {
		t.Errorf("allow-list: alerts by %s, want alice,carol", got)
	}
	rs := eng.Stats().Rules()[0]
	if rs.Raised != 3 || rs.Emitted != 2 || rs.Suppressed[SuppressedIdentity] != 1 {
		t.Errorf("stats = %+v", rs)
	}

	// Per-rule level re-rating under the minimum level.
	tu, err = ParseTuning("t.yml", []byte(`
min_level: low
rules:
  - id: 3b0e8a35-0000-4000-8000-000000000001
    level: informational
`))
	if err != nil {
		t.Fatal(err)
	}
	eng, as = runTuned(t, tu, false)
	if len(as) != 0 || eng.Stats().Rules()[0].Suppressed[SuppressedLevel] != 3 {
		t.Errorf("level floor: %d alerts, stats %+v", len(as), eng.Stats().Rules()[0])
	}

	// --min-level above the rule's level.
	eng2, err := New(context.Background(), Config{NoBuiltins: true, Tuning: NoTuning(), MinLevel: LevelHigh})
	if err != nil {
		t.Fatal(err)
	}
	if eng2.tuning.MinLevel != LevelHigh {
		t.Error("MinLevel does not override the tuning")
	}

	// A Sigma filter in the rule folder removes carol's call (office IP).
	eng, as = runTuned(t, NoTuning(), true)
	if got := strings.Join(actors(as), ","); got != "alice,terraform" {
		t.Errorf("sigma filter: alerts by %s, want alice,terraform", got)
	}
	if rs := eng.Stats().Rules()[0]; rs.Raised != 3 || rs.Suppressed[SuppressedFilter] != 1 {
		t.Errorf("sigma filter stats = %+v, want 3 raised, 1 suppressed by the filter", rs)
	}

	// A disabled rule does not run.
	tu, _ = ParseTuning("t.yml", []byte("rules:\n  - title: Test Access Key Created\n    disabled: true\n"))
	if _, as = runTuned(t, tu, false); len(as) != 0 {
		t.Errorf("disabled rule raised %d alerts", len(as))
	}
}

func TestDefaultTuningOnSigmaHQ(t *testing.T) {
	rules := corpus(t, "sigma-cloud", "aws")
	dir := t.TempDir()
	assumed := func(i int, arn, issuer string) map[string]any {
		ev := ctEvent(i, "DescribeInstances", arn, "198.51.100.7")
		ev["eventSource"] = "ec2.amazonaws.com"
		ev["userIdentity"] = map[string]any{
			"type": "AssumedRole", "arn": arn, "accountId": "111122223333",
			"sessionContext": map[string]any{"sessionIssuer": map[string]any{"type": "Role", "arn": issuer}},
		}
		return ev
	}
	writeTrail(t, dir, "t.json",
		assumed(1, "arn:aws:sts::111122223333:assumed-role/dev/alice", "arn:aws:iam::111122223333:role/dev"),
		assumed(2, "arn:aws:sts::111122223333:assumed-role/AWSServiceRoleForConfig/config", "arn:aws:iam::111122223333:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig"),
	)
	run := func(tu *Tuning) *RuleStats {
		eng, err := New(context.Background(), Config{RuleDirs: []string{rules}, NoBuiltins: true, Tuning: tu})
		if err != nil {
			t.Fatal(err)
		}
		if err := eng.Run(context.Background(), []string{dir}, &collectSink{}, RunOptions{}); err != nil {
			t.Fatal(err)
		}
		for _, rs := range eng.Stats().Rules() {
			if rs.Rule.ID == "905d389b-b853-46d0-9d3d-dea0d3a3cd49" {
				return &rs
			}
		}
		t.Fatal("AssumeRole Misuse rule not loaded")
		return nil
	}
	if rs := run(NoTuning()); rs.Emitted != 2 {
		t.Fatalf("untuned AssumeRole Misuse emitted %d, want 2 (fires on every assumed-role action)", rs.Emitted)
	}
	rs := run(DefaultTuning())
	if rs.Emitted != 0 || rs.Suppressed[SuppressedLevel] != 1 || rs.Suppressed[SuppressedIdentity] != 1 {
		t.Errorf("default tuning: %+v; want the service role allow-listed and the other re-rated below min_level", rs)
	}
	// extends: default keeps the default and adds to it; without it the
	// user's file replaces the default.
	tu, err := ParseTuning("u.yml", []byte("extends: default\nmin_level: informational\n"))
	if err != nil {
		t.Fatal(err)
	}
	if rs := run(tu); rs.Emitted != 1 || rs.Suppressed[SuppressedIdentity] != 1 {
		t.Errorf("extends default with min_level informational: %+v", rs)
	}
}

func TestParseTuningErrors(t *testing.T) {
	for _, bad := range []string{
		"min_level: loud\n",
		"rules:\n  - level: high\n",
		"extends: other\n",
		"unknown_key: 1\n",
		"allow_identities: ['[']\n",
		"rules: [1, 2]\n",
	} {
		if _, err := ParseTuning("bad.yml", []byte(bad)); err == nil || !strings.Contains(err.Error(), "bad.yml") {
			t.Errorf("%q: err = %v, want an error naming the file", bad, err)
		}
	}
	if _, err := ParseTuning("empty.yml", nil); err != nil {
		t.Errorf("empty tuning: %v", err)
	}
	DefaultTuning() // panics if the embedded file is broken
}

func FuzzParseTuning(f *testing.F) {
	f.Add(DefaultTuningYAML())
	f.Add([]byte("extends: default\nmin_level: high\nallow_identities: ['*ci*']\n"))
	f.Add([]byte("rules:\n  - id: x\n    level: low\n    allow_identities: ['a*']\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		tu, err := ParseTuning("fuzz.yml", data)
		if err != nil {
			return
		}
		r := &RuleInfo{ID: "x", Title: "t", Level: "medium"}
		tu.Decide(r, []Event{{Record: testRecord()}})
	})
}

// TestAllowUserAgents: the default tuning suppresses alerts whose every
// event was made by an AWS service for the account or came through
// infrastructure as code (Terraform's user agent, as
// the Stratus Red Team set-up and clean-up and CI deploys make them), on
// CloudTrail and GCP, and counts them; the same change from the CLI
// alerts; an alert over events of mixed clients, or of a source without a
// user agent, is not suppressed; a tuning file without "extends: default"
// has no such allow-list.
func TestAllowUserAgents(t *testing.T) {
	const cli = `"userAgent":"aws-cli/2.15.30 Python/3.11.8 Linux/6.5.0 exe/x86_64"`
	const tf = `"userAgent":"APN/1.0 HashiCorp/1.0 Terraform/1.1.2 (+https://www.terraform.io) terraform-provider-aws/4.67.0 (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go/1.44.261 (go1.19.8; linux; amd64)"`
	attach := ctAPI(1, "iam.amazonaws.com", "AttachRolePolicy", `"requestParameters":{"roleName":"stratus-red-team-role","policyArn":"arn:aws:iam::aws:policy/AdministratorAccess"},"responseElements":null`)
	viaTF := strings.Replace(attach, cli, tf, 1)
	const title = "AWS Administrator Policy Attached To An Identity"
	if got := alertsOf(runWithTuning(t, DefaultTuning(), []string{attach}), title); len(got) != 1 {
		t.Fatalf("from the CLI: %d alerts, want 1", len(got))
	}
	if got := alertsOf(runWithTuning(t, NoTuning(), []string{viaTF}), title); len(got) != 1 {
		t.Fatalf("through Terraform, untuned: %d alerts, want 1", len(got))
	}
	if got := alertsOf(runWithTuning(t, DefaultTuning(), []string{viaTF}), title); len(got) != 0 {
		t.Errorf("through Terraform, default tuning: %d alerts, want 0", len(got))
	}
	gcp := gcpEvent(1, "cloudresourcemanager.googleapis.com", "ClearOrgPolicy", "projects/acme-prod-4821", `"request":{"constraint":"constraints/iam.disableServiceAccountKeyCreation"}`)
	gcpTF := strings.Replace(gcp, `"callerSuppliedUserAgent":"google-cloud-sdk gcloud/460.0.0"`, `"callerSuppliedUserAgent":"Terraform/1.5.7 (+https://www.terraform.io) Terraform-Plugin-SDK/2.10.1 terraform-provider-google/5.10.0,gzip(gfe)"`, 1)
	if got := alertsOf(runWithTuning(t, DefaultTuning(), []string{gcp}), "GCP Organization Policy Removed"); len(got) != 1 {
		t.Errorf("GCP from gcloud: %d alerts, want 1", len(got))
	}
	if got := alertsOf(runWithTuning(t, DefaultTuning(), []string{gcpTF}), "GCP Organization Policy Removed"); len(got) != 0 {
		t.Errorf("GCP through Terraform: %d alerts, want 0", len(got))
	}

	// Decide over several events: all must come through an allowed client.
	info := &RuleInfo{Title: "t", Level: "high"}
	ev := func(s string) Event {
		return Event{Record: logs.Record{Source: logs.AWSCloudTrail, Raw: []byte(s)}}
	}
	tu := DefaultTuning()
	if _, why := tu.Decide(info, []Event{ev(viaTF), ev(viaTF)}); why != SuppressedAgent {
		t.Errorf("two Terraform events: %q, want %q", why, SuppressedAgent)
	}
	if _, why := tu.Decide(info, []Event{ev(viaTF), ev(attach)}); why != SuppressedNone {
		t.Errorf("Terraform and CLI events: %q, want none", why)
	}
	noUA := strings.Replace(viaTF, tf+",", "", 1)
	if _, why := tu.Decide(info, []Event{ev(noUA)}); why != SuppressedNone {
		t.Errorf("event without a user agent: %q, want none", why)
	}
	own, err := ParseTuning("own.yml", []byte("min_level: low\n"))
	if err != nil {
		t.Fatal(err)
	}
	if _, why := own.Decide(info, []Event{ev(viaTF)}); why != SuppressedNone {
		t.Errorf("a tuning file of its own: %q, want none", why)
	}
	if _, err := ParseTuning("bad.yml", []byte("allow_user_agents: [\"[\"]\n")); err == nil {
		t.Error("a bad user agent pattern parsed")
	}

	// AWS services acting for the account (invokedBy, which AWS sets): a
	// CloudFormation stack attaching the policy is suppressed; a role the
	// caller named like a service is not (the service list is matched
	// against invokedBy alone, not against every identity).
	viaCFN := invokedBy(attach, "cloudformation.amazonaws.com")
	if got := alertsOf(runWithTuning(t, NoTuning(), []string{viaCFN}), title); len(got) != 1 {
		t.Fatalf("through CloudFormation, untuned: %d alerts, want 1", len(got))
	}
	if _, why := tu.Decide(info, []Event{ev(viaCFN)}); why != SuppressedService {
		t.Errorf("through CloudFormation: %q, want %q", why, SuppressedService)
	}
	if got := alertsOf(runWithTuning(t, DefaultTuning(), []string{viaCFN}), title); len(got) != 0 {
		t.Errorf("through CloudFormation, default tuning: %d alerts, want 0", len(got))
	}
	disguised := strings.ReplaceAll(attach, "AWSReservedSSO_PowerUser_4c1b", "backup.amazonaws.com")
	if _, why := tu.Decide(info, []Event{ev(disguised)}); why != SuppressedNone {
		t.Errorf("a role named like a service: %q, want none", why)
	}
}
