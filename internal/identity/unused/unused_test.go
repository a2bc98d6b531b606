package unused

import (
	"context"
	"errors"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vigil-sec/vigil/internal/finding"
	"github.com/vigil-sec/vigil/internal/identity/graph"
	awsref "github.com/vigil-sec/vigil/internal/identity/refdata/aws"
	"github.com/vigil-sec/vigil/internal/importer"
	"github.com/vigil-sec/vigil/internal/lake"
	"github.com/vigil-sec/vigil/internal/logs"
)

const sampleOrg = "../../../examples/org"

// now is the end of the window of the tests: the day after the sample
// organization's snapshot; the hand-written logs fall in November 2026
// (one event in March).
var now = time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)

var sample struct {
	once sync.Once
	g    *graph.Graph
	err  error
}

// sampleGraph is the entitlement graph of examples/org, built once.
func sampleGraph(t *testing.T) *graph.Graph {
	t.Helper()
	sample.once.Do(func() {
		ctx := context.Background()
		inv, err := importer.Load(ctx, []string{sampleOrg})
		if err != nil {
			sample.err = err
			return
		}
		sample.g, sample.err = graph.Build(ctx, inv.Resources, graph.Options{})
	})
	if sample.err != nil {
		t.Fatal(sample.err)
	}
	return sample.g
}

// ingest builds a lake from log files as vigil logs ingest does.
func ingest(t *testing.T, paths ...string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "lake")
	l, err := lake.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	var bad []string
	st, err := l.Ingest(context.Background(), paths, lake.IngestOptions{OnError: func(e logs.InputError) {
		if !e.Skipped {
			bad = append(bad, e.Error())
		}
	}})
	if err != nil || len(bad) > 0 {
		t.Fatalf("ingest: %v %v", err, bad)
	}
	if len(st.Stored) == 0 {
		t.Fatalf("ingest stored nothing: %+v", st)
	}
	return dir
}

func find(t *testing.T, r *Report, id string) *Principal {
	t.Helper()
	for i := range r.Principals {
		if r.Principals[i].ID == id {
			return &r.Principals[i]
		}
	}
	t.Fatalf("principal %s not in the report", id)
	return nil
}

func service(p *Principal, s string) *ServiceUse {
	for i := range p.Services {
		if p.Services[i].Service == s {
			return &p.Services[i]
		}
	}
	return nil
}

func grant(p *Principal, role, scope string) *GrantUse {
	for i := range p.Grants {
		if p.Grants[i].Role == role && p.Grants[i].Scope == scope {
			return &p.Grants[i]
		}
	}
	return nil
}

const (
	prodAcct = "arn:aws:iam::111122223333:"
	devAcct  = "arn:aws:iam::444455556666:"
	tenant   = "/tenants/3c9a7e21-6d4f-4b8a-a1e5-0f2d9c7b8e46/users/"
	sub      = "/subscriptions/8f2d6c3e-5b1a-4e7d-9c0f-2a4b6d8e1f37"
	project  = "//cloudresourcemanager.googleapis.com/projects/418273645091"
)

func TestUnusedFromIngestedLogs(t *testing.T) {
	g := sampleGraph(t)
	dir := ingest(t, "testdata/logs")
	r, err := FromLake(context.Background(), g, dir, Options{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if r.Window.Start != now.Add(-DefaultSince) || r.Window.End != now {
		t.Errorf("window %v, want 90 days before %v", r.Window, now)
	}
	if r.Logs == nil || !r.Logs.Start.Equal(time.Date(2026, 11, 10, 9, 0, 0, 0, time.UTC)) || !r.Logs.End.Equal(time.Date(2026, 11, 21, 11, 0, 0, 0, time.UTC)) {
		t.Errorf("logs cover %+v, want 2026-11-10 09:00 .. 2026-11-21 11:00", r.Logs)
	}
	var covered []string
	for _, c := range r.Accounts {
		covered = append(covered, c.Provider+" "+c.Account)
	}
	want := []string{"AWS 111122223333", "AWS 444455556666", "Azure 8f2d6c3e-5b1a-4e7d-9c0f-2a4b6d8e1f37", "GCP nw-analytics-prod"}
	if !slices.Equal(covered, want) {
		t.Errorf("accounts with logs %v, want %v", covered, want)
	}
	if len(r.NoLogs) != 1 || r.NoLogs[0].Account != "3c9a7e21-6d4f-4b8a-a1e5-0f2d9c7b8e46" {
		t.Errorf("accounts without logs %+v, want the Entra tenant alone", r.NoLogs)
	}

	// An IAM user: used, its calls mapped to the catalog's actions
	// (ListBuckets is s3:ListAllMyBuckets), the key that signed them.
	alice := find(t, r, prodAcct+"user/alice.nguyen")
	if alice.Status != Used || alice.Events != 3 {
		t.Errorf("alice: %s, %d events; want used, 3", alice.Status, alice.Events)
	}
	s3 := service(alice, "s3")
	if s3 == nil || len(s3.Used) != 2 || s3.Used[0].Action != "s3:GetObject" || s3.Used[1].Action != "s3:ListAllMyBuckets" || !s3.Used[0].Granted {
		t.Errorf("alice s3: %+v", s3)
	}
	if alice.UsedServices != 1 || alice.GrantedServices < 100 || len(alice.UnusedServices()) != alice.GrantedServices-1 {
		t.Errorf("alice: used %d of %d services, %d unused", alice.UsedServices, alice.GrantedServices, len(alice.UnusedServices()))
	}
	if alice.Unmapped != 1 {
		t.Errorf("alice: %d unmapped calls, want 1 (apigateway GetRestApis)", alice.Unmapped)
	}
	if len(alice.AccessKeys) != 1 || alice.AccessKeys[0].ID != "AKIAEXAMPLEALICE0001" || alice.AccessKeys[0].Events != 3 {
		t.Errorf("alice keys: %+v", alice.AccessKeys)
	}
	if !slices.ContainsFunc(r.Unmapped, func(o Operation) bool { return o.Service == "apigateway.amazonaws.com" && o.Operation == "GetRestApis" }) {
		t.Errorf("GetRestApis not among the unmapped operations: %+v", r.Unmapped)
	}

	// Seen only before the window: unused, with the older last use.
	frank := find(t, r, prodAcct+"user/frank.osei")
	if frank.Status != Unused || frank.LastUsed == nil || !frank.LastUsed.Equal(time.Date(2026, 3, 1, 7, 0, 0, 0, time.UTC)) {
		t.Errorf("frank: %s, last %v; want unused, last used 2026-03-01", frank.Status, frank.LastUsed)
	}
	if bob := find(t, r, prodAcct+"user/bob.okafor"); bob.Status != Unused || bob.LastUsed != nil || bob.GrantedActions == 0 {
		t.Errorf("bob: %+v; want unused, never seen, with his grants", bob)
	}

	// Assumed-role sessions count for their role; the cross-account
	// session in 444455556666 for that account's role, not for the role
	// of the same name in 111122223333.
	if p := find(t, r, prodAcct+"role/nw-prod-support"); p.Status != Used || service(p, "ec2") == nil || len(service(p, "ec2").Used) != 1 {
		t.Errorf("nw-prod-support: %+v", p)
	}
	devOrg := find(t, r, devAcct+"role/OrganizationAccountAccessRole")
	if devOrg.Status != Used || devOrg.AdminUse != AdminWrite || service(devOrg, "iam") == nil || service(devOrg, "iam").Used[0].Action != "iam:CreateUser" {
		t.Errorf("444455556666 OrganizationAccountAccessRole: %s %s %+v", devOrg.Status, devOrg.AdminUse, service(devOrg, "iam"))
	}
	if p := find(t, r, prodAcct+"role/OrganizationAccountAccessRole"); p.Status != Unused || p.AdminUse != AdminNone {
		t.Errorf("111122223333 OrganizationAccountAccessRole: %s %s; want unused, admin not seen", p.Status, p.AdminUse)
	}
	if p := find(t, r, prodAcct+"user/priya.raman"); p.Status != Used || service(p, "sts") == nil {
		t.Errorf("priya.raman (sts:AssumeRole into the other account): %+v", p)
	}
	// A refused call: seen, but no permission used.
	if p := find(t, r, prodAcct+"user/carol.diaz"); p.Status != Used || p.UsedActions != 0 {
		t.Errorf("carol.diaz: %s, %d actions used; want used with none", p.Status, p.UsedActions)
	}
	// An administrator who only read.
	if p := find(t, r, prodAcct+"user/dave.martin"); p.AdminUse != AdminReadOnly {
		t.Errorf("dave.martin admin use %q, want read_only", p.AdminUse)
	}
	// A versioned event name.
	if p := find(t, r, devAcct+"user/svc-ci-deployer"); service(p, "lambda") == nil || service(p, "lambda").Used[0].Action != "lambda:CreateFunction" {
		t.Errorf("svc-ci-deployer lambda: %+v", service(p, "lambda"))
	}
	if !slices.ContainsFunc(r.Strangers, func(o Operation) bool { return o.Actor == prodAcct+"user/ghost.user" }) {
		t.Errorf("ghost.user not among the actors outside the inventory: %+v", r.Strangers)
	}

	// Azure: the Owner assignment maria used; kevin, User Access
	// Administrator, never seen.
	maria := find(t, r, tenant+"64656e0b-bbaa-5772-be3f-2b397ea4ce17")
	if gu := grant(maria, "Owner", sub); maria.Status != Used || gu == nil || len(gu.Used) != 1 || maria.AdminUse != AdminWrite {
		t.Errorf("maria (Azure): %s %s %+v", maria.Status, maria.AdminUse, gu)
	}
	kevin := find(t, r, tenant+"4e65d986-eabd-5636-88e3-0890b7fd371d")
	if kevin.Status != Unused || kevin.AdminUse != AdminNone || len(kevin.UnusedGrants()) != 2 {
		t.Errorf("kevin (Azure): %s %s, %d unused grants", kevin.Status, kevin.AdminUse, len(kevin.UnusedGrants()))
	}
	// sam read a VM in a resource group none of his assignments covers:
	// his assignment is unused.
	if sam := find(t, r, tenant+"0c00e14b-bfe5-5ddc-90f7-a9510aceb101"); sam.Status != Used || len(sam.UnusedGrants()) != 1 {
		t.Errorf("sam (Azure): %s, unused grants %+v", sam.Status, sam.UnusedGrants())
	}

	// GCP: priya.shah's Owner binding used by setIamPolicy; sa-looker
	// and tom.becker never seen; sa-etl's bindings on resources the logs
	// do not name are undecided, not unused.
	priya := find(t, r, "user:priya.shah@northwind-analytics.com")
	if gu := grant(priya, "Owner", project); gu == nil || len(gu.Used) != 1 || gu.Used[0].Action != "resourcemanager.projects.setIamPolicy" || priya.AdminUse != AdminWrite {
		t.Errorf("priya.shah: %s %+v", priya.AdminUse, gu)
	}
	for _, id := range []string{"serviceAccount:sa-looker@nw-analytics-prod.iam.gserviceaccount.com", "user:tom.becker@northwind-analytics.com"} {
		if p := find(t, r, id); p.Status != Unused {
			t.Errorf("%s: %s, want unused", id, p.Status)
		}
	}
	etl := find(t, r, "serviceAccount:sa-etl@nw-analytics-prod.iam.gserviceaccount.com")
	for _, gu := range etl.UnusedGrants() {
		if !strings.HasPrefix(gu.Scope, "//cloudresourcemanager.googleapis.com/") {
			t.Errorf("sa-etl: binding on %s called unused; the logs cannot tell", gu.Scope)
		}
	}
	if etl.Unmapped != 1 {
		t.Errorf("sa-etl: %d unmapped calls, want 1 (BigQuery InsertJob has no authorizationInfo here)", etl.Unmapped)
	}
	// Public bindings are nobody's own grant.
	for _, gu := range etl.Grants {
		if strings.HasSuffix(gu.Binding, "/allUsers") || strings.HasSuffix(gu.Binding, "/allAuthenticatedUsers") {
			t.Errorf("sa-etl: public binding %s listed", gu.Binding)
		}
	}

	// Entra principals holding nothing in the subscription: the tenant
	// has no logs, so not judged.
	for _, p := range r.Principals {
		if p.Provider == "azure" && p.Status == Unused && len(p.Grants) == 0 {
			t.Errorf("%s called unused with no grant in an account with logs", p.ID)
		}
	}
}

// A shorter window: what fell before it is "last used", and an account
// whose events are all before it has no logs (its principals are not
// judged, however long ago they acted).
func TestUnusedShortWindow(t *testing.T) {
	g := sampleGraph(t)
	dir := ingest(t, "testdata/logs")
	r, err := FromLake(context.Background(), g, dir, Options{Now: now, Since: 5 * 24 * time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	dave := find(t, r, prodAcct+"user/dave.martin")
	if dave.Status != Unused || dave.LastUsed == nil || !dave.LastUsed.Equal(time.Date(2026, 11, 10, 9, 0, 0, 0, time.UTC)) || dave.AdminUse != AdminNone {
		t.Errorf("dave.martin: %s, last %v, admin %s", dave.Status, dave.LastUsed, dave.AdminUse)
	}
	if !slices.ContainsFunc(r.NoLogs, func(c AccountCoverage) bool { return c.Account == "444455556666" && c.Before != nil }) {
		t.Errorf("444455556666 should have no logs in the window (they end before it): %+v", r.NoLogs)
	}
	if p := find(t, r, devAcct+"role/OrganizationAccountAccessRole"); p.Status != NoLogs {
		t.Errorf("444455556666 role: %s, want no_logs", p.Status)
	}
	if p := find(t, r, prodAcct+"user/alice.nguyen"); p.Status != Used || p.Events != 3 {
		t.Errorf("alice: %s, %d events in the last 5 days; want used, 3", p.Status, p.Events)
	}
}

func TestUnusedNoLogs(t *testing.T) {
	g := sampleGraph(t)
	ctx := context.Background()
	// No lake.
	if _, err := FromLake(ctx, g, filepath.Join(t.TempDir(), "none"), Options{Now: now}); !errors.Is(err, ErrNoLogs) {
		t.Errorf("missing lake: %v, want ErrNoLogs", err)
	}
	// An empty lake.
	empty := filepath.Join(t.TempDir(), "lake")
	if _, err := lake.Open(empty); err != nil {
		t.Fatal(err)
	}
	if _, err := FromLake(ctx, g, empty, Options{Now: now}); !errors.Is(err, ErrNoLogs) || !strings.Contains(err.Error(), "holds no event") {
		t.Errorf("empty lake: %v", err)
	}
	// Logs after the window only.
	dir := ingest(t, "testdata/logs")
	if _, err := FromLake(ctx, g, dir, Options{Now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}); !errors.Is(err, ErrNoLogs) {
		t.Errorf("logs after the window: %v", err)
	}
	// Logs of other accounts: said, with the accounts the lake holds.
	other := ingest(t, "testdata/logs/aws-444455556666.json")
	r, err := FromLake(ctx, g, other, Options{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Accounts) != 1 {
		t.Errorf("accounts with logs: %+v", r.Accounts)
	}
}

// The corpus CloudTrail logs are of an account the sample organization
// does not hold: an error naming it, never a report of everyone unused.
func TestUnusedCorpusOtherAccount(t *testing.T) {
	corpus := "../../../../shared/corpus/logs/aws_cloudtrail/invictus-aws_dataset"
	if _, err := os.Stat(corpus); err != nil {
		t.Skipf("corpus logs absent (%v): the test needs ../shared/corpus", err)
	}
	g := sampleGraph(t)
	dir := ingest(t, corpus)
	_, err := FromLake(context.Background(), g, dir, Options{Now: time.Date(2023, 7, 11, 0, 0, 0, 0, time.UTC)})
	if !errors.Is(err, ErrNoLogs) || !strings.Contains(err.Error(), "the lake holds AWS 123837392027") || !strings.Contains(err.Error(), "AWS 111122223333") {
		t.Errorf("corpus logs against the sample organization: %v", err)
	}
}

func TestAWSAction(t *testing.T) {
	ref := refData(t)
	for _, c := range []struct{ source, name, want string }{
		{"s3.amazonaws.com", "GetObject", "s3:GetObject"},
		{"s3.amazonaws.com", "ListBuckets", "s3:ListAllMyBuckets"},
		{"lambda.amazonaws.com", "CreateFunction20150331", "lambda:CreateFunction"},
		{"lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "lambda:UpdateFunctionConfiguration"},
		{"monitoring.amazonaws.com", "PutMetricAlarm", "cloudwatch:PutMetricAlarm"},
		{"iam.amazonaws.com", "createuser", "iam:CreateUser"},
		{"apigateway.amazonaws.com", "GetRestApis", ""},
		{"signin.amazonaws.com", "ConsoleLogin", ""},
		{"nosuch.amazonaws.com", "DoThing", ""},
	} {
		if got := awsAction(ref, c.source, c.name); got != c.want {
			t.Errorf("%s %s: %q, want %q", c.source, c.name, got, c.want)
		}
	}
}

func TestGCPPermissions(t *testing.T) {
	for _, c := range []struct {
		r    Row
		want []string
	}{
		{Row{Operation: "SetIamPolicy", Service: "cloudresourcemanager.googleapis.com", Permissions: []string{"resourcemanager.projects.setIamPolicy"}}, []string{"resourcemanager.projects.setIamPolicy"}},
		{Row{Operation: "SetIamPolicy", Service: "cloudresourcemanager.googleapis.com", Resource: "folders/123"}, []string{"resourcemanager.folders.setIamPolicy"}},
		{Row{Operation: "SetIamPolicy", Service: "cloudresourcemanager.googleapis.com", Resource: "billingAccounts/1"}, nil},
		{Row{Operation: "google.iam.admin.v1.CreateServiceAccountKey"}, []string{"iam.serviceAccountKeys.create"}},
		{Row{Operation: "google.cloud.bigquery.v2.JobService.InsertJob"}, nil},
	} {
		if got := gcpPermissions(&c.r); !slices.Equal(got, c.want) {
			t.Errorf("%s %s: %v, want %v", c.r.Operation, c.r.Resource, got, c.want)
		}
	}
}

func TestParseSince(t *testing.T) {
	for in, want := range map[string]time.Duration{"90d": 90 * 24 * time.Hour, "2w": 14 * 24 * time.Hour, "36h": 36 * time.Hour} {
		if got, err := ParseSince(in); err != nil || got != want {
			t.Errorf("%s: %v %v, want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "0d", "-3d", "xd", "soon"} {
		if _, err := ParseSince(in); err == nil {
			t.Errorf("%q accepted", in)
		}
	}
}

func refData(t *testing.T) *awsref.Data {
	t.Helper()
	d, err := awsref.Load()
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// Principals the evaluator says answer alike (SharedKey) are granted the
// same actions: the cache of awsGrants is exact on the sample
// organization, and it shares.
func TestSharedKeyAnswersAlike(t *testing.T) {
	g := sampleGraph(t)
	byKey := map[string][]string{}
	for _, p := range g.AWS.Principals() {
		if k, ok := g.AWS.SharedKey(p); ok {
			byKey[k] = append(byKey[k], p)
		}
	}
	shared := 0
	for _, ps := range byKey {
		if len(ps) < 2 {
			continue
		}
		shared++
		first := allowed(g, ps[0])
		for _, p := range ps[1:] {
			if got := allowed(g, p); !maps.Equal(got.actions, first.actions) {
				t.Errorf("%s and %s share a key but are granted %d and %d actions", ps[0], p, len(first.actions), len(got.actions))
			}
		}
	}
	if shared == 0 {
		t.Error("no two principals of the sample organization share a key: the test checks nothing")
	}
}

// TestFindingsLeaveRootAndServiceLinkedRoles: the sample organization's
// root users and its Config service-linked role are unused in the window
// (the report says so) but get no unused-principal finding; the other
// unused principals do.
func TestFindingsLeaveRootAndServiceLinkedRoles(t *testing.T) {
	g := sampleGraph(t)
	r, err := FromLake(context.Background(), g, ingest(t, "testdata/logs"), Options{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	reported := map[string]string{}
	for _, p := range r.Principals {
		reported[p.ID] = p.Status
	}
	skipped := []string{
		"arn:aws:iam::111122223333:root",
		"arn:aws:iam::444455556666:root",
		"arn:aws:iam::111122223333:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig",
	}
	for _, id := range skipped {
		if reported[id] != Unused {
			t.Errorf("%s reported %q, want unused in the report", id, reported[id])
		}
	}
	failed := map[string]bool{}
	for _, f := range Findings(g, r) {
		if f.Status == finding.Fail && f.RuleID == principalRule.ID {
			failed[f.Resource.ID] = true
		}
		for _, id := range skipped {
			if f.Resource.ID == id {
				t.Errorf("finding %s %s on %s, want none", f.RuleID, f.Status, id)
			}
		}
	}
	if !failed["arn:aws:iam::111122223333:user/bob.okafor"] {
		t.Errorf("no unused-principal FAIL for bob.okafor (unused in the window): %v", slices.Sorted(maps.Keys(failed)))
	}
}
