package main

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/vigil-sec/vigil/internal/collect/aws/awstest"
	"github.com/vigil-sec/vigil/internal/collect/azure/azuretest"
	"github.com/vigil-sec/vigil/internal/collect/gcp/gcptest"
	"github.com/vigil-sec/vigil/internal/respond"
	"github.com/vigil-sec/vigil/internal/respond/engine"
)

// awsRespondCloud is a local AWS endpoint holding the resources the AWS
// playbooks of testdata/respond/aws act on.
func awsRespondCloud(t *testing.T) (*awstest.Server, *awstest.State) {
	t.Helper()
	srv := awstest.New()
	t.Cleanup(srv.Close)
	st := awstest.NewState()
	const vpc = "vpc-0abc00000000001"
	st.Buckets["site"] = &awstest.Bucket{Policy: `{"Version":"2012-10-17","Statement":[` +
		`{"Sid":"PublicRead","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::site/*"},` +
		`{"Sid":"Ops","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/ops"},"Action":"s3:*","Resource":"arn:aws:s3:::site/*"}]}`}
	st.Buckets["private"] = &awstest.Bucket{}
	a := st.Account("111122223333")
	a.Users["alice"] = &awstest.User{Keys: []awstest.AccessKey{{ID: "AKIA0LEAKED00000001", Status: "Active"}, {ID: "AKIA0OTHER00000002", Status: "Active"}}}
	a.Users["bob"] = &awstest.User{Policies: []string{"arn:aws:iam::aws:policy/AdministratorAccess", "arn:aws:iam::aws:policy/ReadOnlyAccess"}}
	a.Users["breakglass"] = &awstest.User{Policies: []string{"arn:aws:iam::aws:policy/AdministratorAccess"}}
	a.SecurityGroups["sg-0a1b000000000001"] = &awstest.SecurityGroup{ID: "sg-0a1b000000000001", Name: "web", VpcID: vpc, Rules: []awstest.Rule{
		{ID: "sgr-0ssh0000000001", Protocol: "tcp", FromPort: 22, ToPort: 22, CidrIPv4: "0.0.0.0/0"},
		{ID: "sgr-0https00000001", Protocol: "tcp", FromPort: 443, ToPort: 443, CidrIPv4: "0.0.0.0/0"},
	}}
	a.SecurityGroups["sg-0a2b000000000002"] = &awstest.SecurityGroup{ID: "sg-0a2b000000000002", Name: "app", VpcID: vpc}
	a.Instances["i-0bad000000000001"] = &awstest.Instance{ID: "i-0bad000000000001", VpcID: vpc, Volumes: []string{"vol-0root0000001"},
		ENIs: []awstest.ENI{{ID: "eni-0bad000001", Groups: []string{"sg-0a2b000000000002", "sg-0a1b000000000001"}}}}
	st.Serve(srv)
	for k, v := range awstest.Env("111122223333") {
		t.Setenv(k, v)
	}
	return srv, st
}

// awsSnapshot is what the playbooks change, for comparing states.
type awsSnapshot struct {
	SitePAB    bool
	SitePolicy string
	AliceKeys  string
	BobPols    string
	BreakPols  string
	WebRules   int
	ENIGroups  string
	Snapshots  int
}

func snapshotAWS(st *awstest.State) awsSnapshot {
	var s awsSnapshot
	st.With(func() {
		b := st.Buckets["site"]
		s.SitePAB = b.PublicAccessBlock != nil && b.PublicAccessBlock.BlockPublicPolicy
		s.SitePolicy = b.Policy
		a := st.Account("111122223333")
		for _, k := range a.Users["alice"].Keys {
			s.AliceKeys += k.ID + "=" + k.Status + " "
		}
		s.BobPols = strings.Join(slices.Sorted(slices.Values(a.Users["bob"].Policies)), ",")
		s.BreakPols = strings.Join(a.Users["breakglass"].Policies, ",")
		s.WebRules = len(a.SecurityGroups["sg-0a1b000000000001"].Rules)
		s.ENIGroups = strings.Join(a.Instances["i-0bad000000000001"].ENIs[0].Groups, ",")
		s.Snapshots = len(a.Snapshots)
	})
	return s
}

// TestRespondAWSEndToEnd runs every AWS remediation through the CLI, as a
// user would: plan (nothing changes), apply refused without approval,
// approve, apply (the state changes, the ONE leaked key only), apply again
// (nothing more), verify the trail, roll back (the before-state is back,
// the forensic snapshot kept), and a tampered plan and trail are refused.
func TestRespondAWSEndToEnd(t *testing.T) {
	srv, st := awsRespondCloud(t)
	dir := filepath.Join("testdata", "respond", "aws")
	state := t.TempDir()
	plan := filepath.Join(t.TempDir(), "plan.json")
	common := []string{"--state", state, "--aws-endpoint", srv.URL}
	respond := func(args ...string) (int, string, string) {
		return runCLI2(t, append(append([]string{"respond"}, args...), common...)...)
	}
	before := snapshotAWS(st)

	code, out, stderr := respond("plan", "--playbooks", filepath.Join(dir, "playbooks.yml"), filepath.Join(dir, "findings.json"), filepath.Join(dir, "alerts.jsonl"), "-o", plan)
	if code != 0 {
		t.Fatalf("plan: exit %d\n%s\n%s", code, out, stderr)
	}
	for _, want := range []string{
		"lock-public-buckets/block  aws.s3.block-public-access  on arn:aws:s3:::site",
		"~ PublicAccessBlock.BlockPublicPolicy: false -> true",
		"aws.s3.delete-public-policy-statement",
		"aws.ec2.revoke-security-group-rule",
		"aws.ec2.quarantine-instance",
		"aws.iam.detach-policy",
		"aws.iam.deactivate-access-key",
		"AKIA0LEAKED00000001",
		"6 step(s) planned",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("plan output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "user/breakglass") {
		t.Errorf("the condition did not spare the break-glass user:\n%s", out)
	}
	if got := snapshotAWS(st); got != before {
		t.Fatalf("planning changed the cloud: %+v", got)
	}

	if code, _, stderr := respond("apply", plan); code != 2 || !strings.Contains(stderr, "not approved") {
		t.Fatalf("unapproved apply: exit %d %s", code, stderr)
	}
	if got := snapshotAWS(st); got != before {
		t.Fatalf("an unapproved plan changed the cloud: %+v", got)
	}
	// An approval written into the plan file by hand is not in the trail.
	forged := forgeApproval(t, plan)
	if code, _, stderr := respond("apply", forged); code != 2 || !strings.Contains(stderr, "not in the trail") {
		t.Fatalf("forged approval: exit %d %s", code, stderr)
	}

	if code, _, stderr := respond("approve", plan, "--by", "alice", "--reason", "SEC-42"); code != 0 {
		t.Fatalf("approve: exit %d %s", code, stderr)
	}
	code, out, stderr = respond("apply", plan)
	if code != 0 {
		t.Fatalf("apply: exit %d\n%s\n%s", code, out, stderr)
	}
	after := snapshotAWS(st)
	if !after.SitePAB || strings.Contains(after.SitePolicy, "PublicRead") || !strings.Contains(after.SitePolicy, "arn:aws:iam::111122223333:role/ops") ||
		after.AliceKeys != "AKIA0LEAKED00000001=Inactive AKIA0OTHER00000002=Active " ||
		after.BobPols != "arn:aws:iam::aws:policy/ReadOnlyAccess" || after.BreakPols != before.BreakPols ||
		after.WebRules != 1 || after.Snapshots != 1 || strings.Contains(after.ENIGroups, "sg-0app") {
		t.Fatalf("after apply: %+v", after)
	}
	run := regexp.MustCompile(`apply run (\S+):`).FindStringSubmatch(out)
	if run == nil {
		t.Fatalf("no run id in:\n%s", out)
	}

	code, out, _ = respond("apply", plan)
	if code != 0 || !strings.Contains(out, "6 already-done") {
		t.Errorf("second apply: exit %d\n%s", code, out)
	}
	if got := snapshotAWS(st); got != after {
		t.Errorf("second apply changed the cloud: %+v", got)
	}

	if code, out, stderr := respond("verify"); code != 0 || !strings.Contains(out, "verified") {
		t.Fatalf("verify: exit %d %s %s", code, out, stderr)
	}

	code, out, stderr = respond("rollback", run[1])
	if code != 0 {
		t.Fatalf("rollback: exit %d\n%s\n%s", code, out, stderr)
	}
	back := snapshotAWS(st)
	want := before
	want.Snapshots = 1 // the forensic snapshot is kept
	if back.SitePAB || !strings.Contains(back.SitePolicy, "PublicRead") {
		t.Errorf("bucket not restored: %+v", back)
	}
	back.SitePAB, back.SitePolicy, want.SitePolicy = false, "", ""
	if back != want {
		t.Errorf("after rollback %+v\nwant %+v", back, want)
	}

	// The trail: every call and step is in it, as OCSF too; a modified
	// entry is found.
	trailPath := filepath.Join(state, "trail.jsonl")
	ocsfOut := filepath.Join(t.TempDir(), "trail.ocsf.jsonl")
	if code, _, stderr := respond("verify", "--ocsf", ocsfOut); code != 0 {
		t.Fatalf("verify --ocsf: %s", stderr)
	}
	if b, _ := os.ReadFile(ocsfOut); !strings.Contains(string(b), `"class_uid":7001`) || !strings.Contains(string(b), `"class_uid":6003`) {
		t.Errorf("OCSF trail lacks Remediation or API Activity events")
	}
	tb, _ := os.ReadFile(trailPath)
	tampered := strings.Replace(string(tb), `"actor":"alice"`, `"actor":"mallory"`, 1)
	if tampered == string(tb) {
		t.Fatal("no approval by alice in the trail")
	}
	os.WriteFile(trailPath, []byte(tampered), 0o600)
	if code, out, _ := respond("verify"); code != 2 || !strings.Contains(out, "NOT VERIFIED") {
		t.Errorf("tampered trail: exit %d %s", code, out)
	}
}

// forgeApproval copies a plan file with an approval added by hand.
func forgeApproval(t *testing.T, plan string) string {
	t.Helper()
	b, err := os.ReadFile(plan)
	if err != nil {
		t.Fatal(err)
	}
	var f struct{ Hash string }
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	out := strings.Replace(string(b), `"approvals": null`, `"approvals": [{"by": "mallory", "at": "2026-12-05T00:00:00Z", "plan_hash": "`+f.Hash+`"}]`, 1)
	if out == string(b) {
		t.Fatal("plan file has no empty approvals to forge")
	}
	p := filepath.Join(t.TempDir(), "forged.json")
	os.WriteFile(p, []byte(out), 0o600)
	return p
}

// TestRespondAWSFaults: a denied call in the middle of a run stops it
// (on_error: stop) or not (continue), and the trail shows the denied call
// and what did not run.
func TestRespondAWSFaults(t *testing.T) {
	for _, onError := range []string{"stop", "continue"} {
		t.Run(onError, func(t *testing.T) {
			srv, st := awsRespondCloud(t)
			dir := t.TempDir()
			books := filepath.Join(dir, "playbooks.yml")
			os.WriteFile(books, []byte(`name: lock
trigger: {findings: {rules: [storage-public-access]}}
on_error: `+onError+`
steps:
  - {id: block, action: aws.s3.block-public-access, with: {bucket: "{{ .resource.name }}"}}
  - {id: policy, action: aws.s3.delete-public-policy-statement, with: {bucket: "{{ .resource.name }}"}}
---
name: ssh
trigger: {findings: {rules: [network-ssh-open]}}
steps:
  - {id: revoke, action: aws.ec2.revoke-security-group-rule, with: {group_id: "{{ .resource.name }}", protocol: tcp, port: "22", cidr: 0.0.0.0/0}}
`), 0o600)
			policy := filepath.Join(dir, "policy.yml")
			os.WriteFile(policy, []byte("concurrency: 1\nrate_limits: {default: 1000}\n"), 0o600)
			state := filepath.Join(dir, "state")
			plan := filepath.Join(dir, "plan.json")
			common := []string{"--state", state, "--aws-endpoint", srv.URL, "--policy", policy}
			respond := func(args ...string) (int, string, string) {
				return runCLI2(t, append(append([]string{"respond"}, args...), common...)...)
			}
			if code, out, stderr := respond("plan", "-p", books, filepath.Join("testdata", "respond", "aws", "findings.json"), "-o", plan); code != 0 {
				t.Fatalf("plan: %d\n%s\n%s", code, out, stderr)
			}
			respond("approve", plan, "--by", "alice")
			srv.Fault = func(r awstest.Request) string {
				if r.Key() == "s3:PutPublicAccessBlock" {
					return "denied"
				}
				return ""
			}
			code, out, stderr := respond("apply", plan)
			srv.Fault = nil
			if code != 1 {
				t.Fatalf("apply with a denied call: exit %d\n%s\n%s", code, out, stderr)
			}
			s := snapshotAWS(st)
			if s.SitePAB {
				t.Error("the denied change was made")
			}
			policyRemoved := !strings.Contains(s.SitePolicy, "PublicRead")
			sshRevoked := s.WebRules == 1
			if onError == "stop" && (policyRemoved || sshRevoked || !strings.Contains(stderr, "the run stopped")) {
				t.Errorf("stop: the run went on (policy removed %v, ssh revoked %v)\n%s\n%s", policyRemoved, sshRevoked, out, stderr)
			}
			if onError == "continue" && (policyRemoved || !sshRevoked) {
				// The chain's later step does not run after its failure;
				// the other playbook does.
				t.Errorf("continue: policy removed %v (want false), ssh revoked %v (want true)\n%s", policyRemoved, sshRevoked, out)
			}
			trail, _ := os.ReadFile(filepath.Join(state, "trail.jsonl"))
			if !regexp.MustCompile(`"kind":"call"[^\n]*"resource":"arn:aws:s3:::site","status":"denied"[^\n]*"operation":"PutPublicAccessBlock"`).Match(trail) {
				t.Errorf("the trail has no denied call:\n%s", trail)
			}
			if code, _, _ := respond("verify"); code != 0 {
				t.Error("trail does not verify")
			}
		})
	}
}

// TestRespondWatch: continuous mode reads only new alerts (the checkpoint
// keeps its offset across restarts), never changes a cloud by itself, and
// queues remediation in plans for approval.
func TestRespondWatch(t *testing.T) {
	srv, st := awsRespondCloud(t)
	dir := t.TempDir()
	alerts := filepath.Join(dir, "alerts.jsonl")
	line, _ := os.ReadFile(filepath.Join("testdata", "respond", "aws", "alerts.jsonl"))
	os.WriteFile(alerts, line, 0o600)
	state := filepath.Join(dir, "state")
	watch := func() (int, string, string) {
		return runCLI2(t, "respond", "watch", "--once", "-p", filepath.Join("testdata", "respond", "aws", "playbooks.yml"),
			"--alerts", alerts, "--state", state, "--aws-endpoint", srv.URL)
	}
	before := snapshotAWS(st)
	code, out, stderr := watch()
	if code != 0 || !strings.Contains(out, "1 subject(s), 1 step(s) planned; auto: 0 applied, 0 failed; 1 awaiting approval") {
		t.Fatalf("first pass: exit %d\n%s\n%s", code, out, stderr)
	}
	if snapshotAWS(st) != before {
		t.Fatal("watch changed the cloud without approval")
	}
	plans, _ := filepath.Glob(filepath.Join(state, "plans", "*.json"))
	if len(plans) != 1 {
		t.Fatalf("plans %v", plans)
	}
	// A restart reads nothing old.
	if code, out, _ := watch(); code != 0 || out != "" {
		t.Fatalf("second pass: exit %d %q", code, out)
	}
	// A new alert (another key) is planned on its own.
	second := strings.ReplaceAll(strings.ReplaceAll(string(line), "AKIA0LEAKED00000001", "AKIA0OTHER00000002"), `"alert-1"`, `"alert-2"`)
	f, _ := os.OpenFile(alerts, os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString(second)
	f.Close()
	if code, out, _ := watch(); code != 0 || !strings.Contains(out, "1 subject(s), 1 step(s) planned") {
		t.Fatalf("third pass: exit %d %q", code, out)
	}
	plans, _ = filepath.Glob(filepath.Join(state, "plans", "*.json"))
	if len(plans) != 2 {
		t.Fatalf("plans %v", plans)
	}
	for _, p := range plans {
		b, _ := os.ReadFile(p)
		if strings.Contains(string(b), "AKIA0OTHER00000002") == strings.Contains(string(b), "AKIA0LEAKED00000001") {
			t.Errorf("plan %s is not about exactly one of the two alerts", p)
		}
	}
}

// TestRespondAWSRetried: a throttled call and a 5xx in the middle of a
// run are retried by the SDK and the run completes.
func TestRespondAWSRetried(t *testing.T) {
	srv, st := awsRespondCloud(t)
	dir := t.TempDir()
	state := filepath.Join(dir, "state")
	plan := filepath.Join(dir, "plan.json")
	common := []string{"--state", state, "--aws-endpoint", srv.URL}
	respond := func(args ...string) (int, string, string) {
		return runCLI2(t, append(append([]string{"respond"}, args...), common...)...)
	}
	if code, out, stderr := respond("plan", "-p", filepath.Join("testdata", "respond", "aws", "playbooks.yml"),
		filepath.Join("testdata", "respond", "aws", "findings.json"), "-o", plan); code != 0 {
		t.Fatalf("plan: %d\n%s\n%s", code, out, stderr)
	}
	respond("approve", plan, "--by", "alice")
	var mu sync.Mutex
	failed := map[string]bool{}
	srv.Fault = func(r awstest.Request) string {
		mu.Lock()
		defer mu.Unlock()
		for key, fault := range map[string]string{"s3:PutPublicAccessBlock": "throttle", "iam:DetachUserPolicy": "500"} {
			if r.Key() == key && !failed[key] {
				failed[key] = true
				return fault
			}
		}
		return ""
	}
	code, out, stderr := respond("apply", plan)
	srv.Fault = nil
	if code != 0 || len(failed) != 2 {
		t.Fatalf("apply: exit %d, faults served %v\n%s\n%s", code, failed, out, stderr)
	}
	if s := snapshotAWS(st); !s.SitePAB || s.BobPols != "arn:aws:iam::aws:policy/ReadOnlyAccess" {
		t.Errorf("retried changes not made: %+v", s)
	}
}

// gcpRespondCloud is a local GCP REST endpoint holding what the GCP
// playbooks of testdata/respond/gcp act on.
func gcpRespondCloud(t *testing.T) (string, *gcptest.Cloud) {
	t.Helper()
	st := gcptest.NewCloud()
	st.Buckets["nw-site"] = &gcptest.Policy{Version: 1, Bindings: []gcptest.Binding{
		{Role: "roles/storage.objectViewer", Members: []string{"allUsers", "group:web@example.com"}},
		{Role: "roles/storage.admin", Members: []string{"group:ops@example.com"}},
	}}
	st.Projects["nw-web-prod"] = &gcptest.Policy{Version: 1, Bindings: []gcptest.Binding{
		{Role: "roles/viewer", Members: []string{"allAuthenticatedUsers", "user:ana@example.com"}},
		{Role: "roles/owner", Members: []string{"user:root@example.com"}},
	}}
	const sa = "projects/nw-web-prod/serviceAccounts/sa-etl@nw-web-prod.iam.gserviceaccount.com/keys/"
	st.Keys[sa+"1111aaaa"] = &gcptest.Key{}
	st.Keys[sa+"2222bbbb"] = &gcptest.Key{}
	st.Firewalls["projects/nw-web-prod/global/firewalls/allow-ssh"] = &gcptest.Firewall{Network: "global/networks/default", SourceRanges: []string{"0.0.0.0/0"}}
	srv := st.Start()
	t.Cleanup(srv.Close)
	return srv.URL, st
}

func gcpState(st *gcptest.Cloud) string {
	var b strings.Builder
	st.With(func() {
		for _, p := range []*gcptest.Policy{st.Buckets["nw-site"], st.Projects["nw-web-prod"]} {
			for _, bd := range p.Bindings {
				fmt.Fprintf(&b, "%s=%s;", bd.Role, strings.Join(slices.Sorted(slices.Values(bd.Members)), ","))
			}
		}
		for _, k := range slices.Sorted(maps.Keys(st.Keys)) {
			fmt.Fprintf(&b, "%s disabled=%v;", k[strings.LastIndex(k, "/")+1:], st.Keys[k].Disabled)
		}
		fmt.Fprintf(&b, "ssh disabled=%v", st.Firewalls["projects/nw-web-prod/global/firewalls/allow-ssh"].Disabled)
	})
	return b.String()
}

// TestRespondGCPEndToEnd runs every GCP remediation through the CLI:
// plan, approve, apply (public members removed, the ONE named key
// disabled, the firewall rule disabled), apply again, verify, rollback.
func TestRespondGCPEndToEnd(t *testing.T) {
	url, st := gcpRespondCloud(t)
	dir := filepath.Join("testdata", "respond", "gcp")
	state := t.TempDir()
	plan := filepath.Join(t.TempDir(), "plan.json")
	respond := func(args ...string) (int, string, string) {
		return runCLI2(t, append(append([]string{"respond"}, args...), "--state", state, "--gcp-endpoint", url)...)
	}
	before := gcpState(st)
	code, out, stderr := respond("plan", "-p", filepath.Join(dir, "playbooks.yml"), filepath.Join(dir, "findings.json"), filepath.Join(dir, "alerts.jsonl"), "-o", plan)
	if code != 0 || !strings.Contains(out, "4 step(s) planned") {
		t.Fatalf("plan: exit %d\n%s\n%s", code, out, stderr)
	}
	if gcpState(st) != before {
		t.Fatal("planning changed the cloud")
	}
	if code, _, _ := respond("apply", plan); code != 2 {
		t.Fatalf("unapproved apply: exit %d", code)
	}
	respond("approve", plan, "--by", "alice")
	code, out, stderr = respond("apply", plan)
	if code != 0 {
		t.Fatalf("apply: exit %d\n%s\n%s", code, out, stderr)
	}
	want := "roles/storage.objectViewer=group:web@example.com;roles/storage.admin=group:ops@example.com;" +
		"roles/viewer=user:ana@example.com;roles/owner=user:root@example.com;" +
		"1111aaaa disabled=true;2222bbbb disabled=false;ssh disabled=true"
	if got := gcpState(st); got != want {
		t.Fatalf("after apply:\n%s\nwant\n%s", got, want)
	}
	run := regexp.MustCompile(`apply run (\S+):`).FindStringSubmatch(out)
	if code, out, _ := respond("apply", plan); code != 0 || !strings.Contains(out, "4 already-done") || gcpState(st) != want {
		t.Errorf("second apply: exit %d\n%s", code, out)
	}
	if code, _, _ := respond("verify"); code != 0 {
		t.Error("trail does not verify")
	}
	if code, out, stderr := respond("rollback", run[1]); code != 0 {
		t.Fatalf("rollback: exit %d\n%s\n%s", code, out, stderr)
	}
	if got := gcpState(st); got != before {
		t.Errorf("after rollback:\n%s\nwant\n%s", got, before)
	}
}

// TestRespondExamples: the shipped example playbooks and policy load
// against every action vigil has.
func TestRespondExamples(t *testing.T) {
	reg, err := (&cloudActionFlags{}).registry()
	if err != nil {
		t.Fatal(err)
	}
	pbs, err := loadPlaybooks([]string{filepath.Join("..", "..", "examples", "respond", "playbooks")}, reg)
	if err != nil {
		t.Fatal(err)
	}
	if len(pbs) < 6 {
		t.Errorf("%d example playbooks", len(pbs))
	}
	pol, err := engine.LoadPolicy(filepath.Join("..", "..", "examples", "respond", "policy.yaml"))
	if err != nil || pol.Approvals[respond.Remediate] != 2 {
		t.Errorf("example policy: %+v %v", pol, err)
	}
}

// TestRespondWatchNotifies: in continuous mode an auto notify step posts
// at once to a real HTTP receiver, exactly once across restarts, while the
// remediation of the same playbook waits for approval.
func TestRespondWatchNotifies(t *testing.T) {
	srv, st := awsRespondCloud(t)
	var mu sync.Mutex
	var posts []string
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		posts = append(posts, string(b))
		mu.Unlock()
	}))
	t.Cleanup(hook.Close)
	t.Setenv("VIGIL_TEST_HOOK", hook.URL)
	dir := t.TempDir()
	books := filepath.Join(dir, "playbooks.yml")
	os.WriteFile(books, []byte(`name: leaked-key
trigger: {alerts: {techniques: [T1098]}}
steps:
  - {id: tell, action: notify.webhook, auto: true, with: {url: "env:VIGIL_TEST_HOOK", text: "key {{ .raw.actor.user.credential_uid }} of {{ .principal }}"}}
  - {id: deactivate, action: aws.iam.deactivate-access-key, with: {access_key_id: "{{ .raw.actor.user.credential_uid }}", user: "{{ .principal }}"}}
`), 0o600)
	alerts := filepath.Join(dir, "alerts.jsonl")
	line, _ := os.ReadFile(filepath.Join("testdata", "respond", "aws", "alerts.jsonl"))
	os.WriteFile(alerts, line, 0o600)
	state := filepath.Join(dir, "state")
	watch := func() (int, string, string) {
		return runCLI2(t, "respond", "watch", "--once", "-p", books, "--alerts", alerts, "--state", state, "--aws-endpoint", srv.URL)
	}
	before := snapshotAWS(st)
	for range 2 {
		if code, out, stderr := watch(); code != 0 {
			t.Fatalf("watch: exit %d\n%s\n%s", code, out, stderr)
		}
	}
	mu.Lock()
	got := slices.Clone(posts)
	mu.Unlock()
	if len(got) != 1 || !strings.Contains(got[0], "key AKIA0LEAKED00000001 of arn:aws:iam::111122223333:user/alice") {
		t.Fatalf("posts %q, want one about the leaked key", got)
	}
	if snapshotAWS(st) != before {
		t.Fatal("the key was deactivated without approval")
	}
	// Approving the queued plan deactivates the key and does not post again.
	plans, _ := filepath.Glob(filepath.Join(state, "plans", "*.json"))
	if len(plans) != 1 {
		t.Fatalf("plans %v", plans)
	}
	common := []string{"--state", state, "--aws-endpoint", srv.URL}
	runCLI2(t, append([]string{"respond", "approve", plans[0], "--by", "bob"}, common...)...)
	if code, out, stderr := runCLI2(t, append([]string{"respond", "apply", plans[0]}, common...)...); code != 0 {
		t.Fatalf("apply: exit %d\n%s\n%s", code, out, stderr)
	}
	if s := snapshotAWS(st); s.AliceKeys != "AKIA0LEAKED00000001=Inactive AKIA0OTHER00000002=Active " {
		t.Errorf("keys after the approved plan: %s", s.AliceKeys)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(posts) != 1 {
		t.Errorf("%d posts, want the one from watch", len(posts))
	}
}

// TestRespondNothingToDo: a plan that matches nothing, an input with no
// finding, an unknown action and an empty trail say so and exit 2.
func TestRespondNothingToDo(t *testing.T) {
	dir := t.TempDir()
	state := filepath.Join(dir, "state")
	books := filepath.Join("testdata", "respond", "gcp", "playbooks.yml")
	code, _, stderr := runCLI2(t, "respond", "plan", "--state", state, "-p", books, filepath.Join("testdata", "respond", "aws", "alerts.jsonl"))
	if code != 2 || !strings.Contains(stderr, "no playbook step to run") {
		t.Errorf("no match: exit %d %s", code, stderr)
	}
	empty := filepath.Join(dir, "empty.json")
	os.WriteFile(empty, []byte(`{"findings": [], "summary": {}}`), 0o600)
	if code, _, stderr := runCLI2(t, "respond", "plan", "--state", state, "-p", books, empty); code != 2 || !strings.Contains(stderr, "no finding or alert to act on") {
		t.Errorf("no finding: exit %d %s", code, stderr)
	}
	bad := filepath.Join(dir, "bad.yml")
	os.WriteFile(bad, []byte("name: x\ntrigger: {findings: {}}\nsteps:\n  - {id: a, action: aws.s3.lock-bucket}\n"), 0o600)
	if code, _, stderr := runCLI2(t, "respond", "plan", "--state", state, "-p", bad, empty); code != 2 || !strings.Contains(stderr, "bad.yml:4:21: step a: unknown action \"aws.s3.lock-bucket\"") {
		t.Errorf("unknown action: exit %d %s", code, stderr)
	}
	if code, _, stderr := runCLI2(t, "respond", "verify", "--state", filepath.Join(dir, "none")); code != 2 || !strings.Contains(stderr, "no trail") {
		t.Errorf("no trail: exit %d %s", code, stderr)
	}
}

// TestRespondAzureEndToEnd runs every Azure remediation through the CLI
// against azuretest's stateful ARM and Microsoft Graph (HTTPS, its token
// authority, credentials from the environment as a user gives them).
func TestRespondAzureEndToEnd(t *testing.T) {
	const (
		sub     = "00000000-0000-4000-8000-000000000001"
		rg      = "/subscriptions/" + sub + "/resourceGroups/prod"
		account = rg + "/providers/Microsoft.Storage/storageAccounts/prodlogs"
		nsg     = rg + "/providers/Microsoft.Network/networkSecurityGroups/web-nsg"
		sp      = "/v1.0/servicePrincipals/5f0e0000-0000-4000-8000-00000000005a"
		grant   = rg + "/providers/Microsoft.Authorization/roleAssignments/9d2e0000-0000-4000-8000-0000000000a1"
		leaked  = "aaaa0000-0000-4000-8000-000000000001"
	)
	srv := azuretest.New(t, filepath.Join("..", "..", "internal", "collect", "azure", "testdata", "server"), nil)
	ca, err := srv.CAFile(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("AZURE_TENANT_ID", azuretest.TenantID)
	t.Setenv("AZURE_CLIENT_ID", azuretest.ClientID)
	t.Setenv("AZURE_CLIENT_SECRET", azuretest.ClientSecret)
	srv.PutState(account, map[string]any{"type": "Microsoft.Storage/storageAccounts", "location": "westeurope",
		"properties": map[string]any{"allowBlobPublicAccess": true, "minimumTlsVersion": "TLS1_2"}})
	srv.PutState(nsg, map[string]any{"type": "Microsoft.Network/networkSecurityGroups", "properties": map[string]any{}})
	srv.PutState(nsg+"/securityRules/allow-ssh-any", map[string]any{"properties": map[string]any{"access": "Allow", "direction": "Inbound",
		"priority": 100.0, "protocol": "Tcp", "sourceAddressPrefix": "*", "sourcePortRange": "*", "destinationAddressPrefix": "*",
		"destinationPortRange": "22", "provisioningState": "Succeeded"}})
	srv.PutState(sp, map[string]any{"displayName": "ci-deployer", "passwordCredentials": []any{
		map[string]any{"keyId": leaked, "displayName": "leaked", "hint": "Abc"},
		map[string]any{"keyId": "bbbb0000-0000-4000-8000-000000000002", "displayName": "rotation", "hint": "Xyz"},
	}, "keyCredentials": []any{}})
	srv.PutState(grant, map[string]any{"type": "Microsoft.Authorization/roleAssignments", "properties": map[string]any{
		"roleDefinitionId": "/subscriptions/" + sub + "/providers/Microsoft.Authorization/roleDefinitions/8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
		"principalId":      "7c1e0000-0000-4000-8000-0000000000f1", "principalType": "User", "scope": rg}})
	state := func() string {
		a, _ := srv.State(account)
		_, rule := srv.State(nsg + "/securityRules/allow-ssh-any")
		_, assigned := srv.State(grant)
		o, _ := srv.State(sp)
		var keys []string
		for _, c := range o["passwordCredentials"].([]any) {
			keys = append(keys, c.(map[string]any)["keyId"].(string)[:4])
		}
		return fmt.Sprintf("public=%v rule=%v assignment=%v passwords=%v", a["properties"].(map[string]any)["allowBlobPublicAccess"], rule, assigned, keys)
	}
	dir := filepath.Join("testdata", "respond", "azure")
	books := filepath.Join("..", "..", "internal", "respond", "azure", "testdata", "playbooks.yml")
	stateDir := t.TempDir()
	plan := filepath.Join(t.TempDir(), "plan.json")
	respond := func(args ...string) (int, string, string) {
		return runCLI2(t, append(append([]string{"respond"}, args...), "--state", stateDir, "--azure-endpoint", srv.URL, "--azure-ca-file", ca)...)
	}
	before := state()
	code, out, stderr := respond("plan", "-p", books, filepath.Join(dir, "findings.json"), filepath.Join(dir, "alerts.jsonl"), "-o", plan)
	if code != 0 || !strings.Contains(out, "4 step(s) planned") {
		t.Fatalf("plan: exit %d\n%s\n%s", code, out, stderr)
	}
	if state() != before {
		t.Fatal("planning changed the cloud")
	}
	if code, _, _ := respond("apply", plan); code != 2 {
		t.Fatalf("unapproved apply: exit %d", code)
	}
	respond("approve", plan, "--by", "alice")
	code, out, stderr = respond("apply", plan)
	if code != 0 {
		t.Fatalf("apply: exit %d\n%s\n%s", code, out, stderr)
	}
	if got, want := state(), "public=false rule=false assignment=false passwords=[bbbb]"; got != want {
		t.Fatalf("after apply: %s, want %s (before %s)", got, want, before)
	}
	run := regexp.MustCompile(`apply run (\S+):`).FindStringSubmatch(out)
	if code, out, _ := respond("apply", plan); code != 0 || !strings.Contains(out, "4 already-done") {
		t.Errorf("second apply: exit %d\n%s", code, out)
	}
	if code, _, _ := respond("verify"); code != 0 {
		t.Error("trail does not verify")
	}
	code, out, stderr = respond("rollback", run[1])
	if code != 0 || !strings.Contains(stderr, "not reversible: azure.entra.remove-sp-credential") {
		t.Fatalf("rollback: exit %d\n%s\n%s", code, out, stderr)
	}
	// Everything is back but the removed secret, which cannot be.
	if got, want := state(), "public=true rule=true assignment=true passwords=[bbbb]"; got != want {
		t.Errorf("after rollback: %s, want %s", got, want)
	}
}
