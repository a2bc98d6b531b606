package detect

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vigil-sec/vigil/internal/logs"
)

var t0 = time.Date(2024, 3, 14, 9, 0, 0, 0, time.UTC)

func awsPrivChange(at time.Time, session, op string) map[string]any {
	return map[string]any{
		"eventVersion": "1.08",
		"userIdentity": map[string]any{
			"type":        "AssumedRole",
			"principalId": "AROAEXAMPLE:" + session,
			"arn":         "arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_Admin_0123abcd/" + session,
			"accountId":   "111122223333",
			"sessionContext": map[string]any{"sessionIssuer": map[string]any{
				"type": "Role", "arn": "arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_0123abcd",
			}},
		},
		"eventTime":          at.Format(time.RFC3339),
		"eventSource":        "iam.amazonaws.com",
		"eventName":          op,
		"awsRegion":          "us-east-1",
		"sourceIPAddress":    "198.51.100.7",
		"userAgent":          "aws-cli/2.15",
		"requestParameters":  map[string]any{"userName": "svc-backup", "policyArn": "arn:aws:iam::aws:policy/AdministratorAccess"},
		"eventID":            "e-" + at.Format("150405") + session,
		"eventType":          "AwsApiCall",
		"recipientAccountId": "111122223333",
	}
}

func azureRoleAssignment(at time.Time, upn string) map[string]any {
	return map[string]any{
		"time":            at.Format(time.RFC3339Nano),
		"resourceId":      "/SUBSCRIPTIONS/6B3F0C2A-1D4E-4F5A-9B8C-7D6E5F4A3B2C/PROVIDERS/MICROSOFT.AUTHORIZATION/ROLEASSIGNMENTS/0D1E2F3A-4B5C-6D7E-8F9A-0B1C2D3E4F5A",
		"operationName":   "MICROSOFT.AUTHORIZATION/ROLEASSIGNMENTS/WRITE",
		"category":        "Administrative",
		"resultType":      "Success",
		"callerIpAddress": "203.0.113.45",
		"correlationId":   "5a7c1e9b-3d2f-4b6a-8c0e-" + at.Format("150405") + "000000",
		"level":           "Information",
		"identity": map[string]any{"claims": map[string]any{
			"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn": upn,
			"name": upn,
		}},
	}
}

func gcpSetIamPolicy(at time.Time, email string) map[string]any {
	return map[string]any{
		"protoPayload": map[string]any{
			"@type":              "type.googleapis.com/google.cloud.audit.AuditLog",
			"status":             map[string]any{},
			"authenticationInfo": map[string]any{"principalEmail": email},
			"requestMetadata":    map[string]any{"callerIp": "203.0.113.88"},
			"serviceName":        "cloudresourcemanager.googleapis.com",
			"methodName":         "SetIamPolicy",
			"resourceName":       "projects/acme-prod-4821",
		},
		"insertId":  "id" + at.Format("150405"),
		"resource":  map[string]any{"type": "project", "labels": map[string]any{"project_id": "acme-prod-4821"}},
		"timestamp": at.Format(time.RFC3339Nano),
		"severity":  "NOTICE",
		"logName":   "projects/acme-prod-4821/logs/cloudaudit.googleapis.com%2Factivity",
	}
}

func writeJSON(t *testing.T, path string, v any) {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

func runBuiltins(t *testing.T, dir string) (*Engine, []*Alert) {
	t.Helper()
	eng, err := New(context.Background(), Config{Tuning: NoTuning(), Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	for _, le := range eng.LoadErrors {
		t.Errorf("built-in not loaded: %v", le)
	}
	sink := &collectSink{}
	var inErrs []string
	if err := eng.Run(context.Background(), []string{dir}, sink, RunOptions{Workers: 1, OnInputError: func(ie logs.InputError) {
		inErrs = append(inErrs, ie.Error())
	}}); err != nil {
		t.Fatal(err)
	}
	if len(inErrs) > 0 {
		t.Errorf("input errors: %v", inErrs)
	}
	return eng, sink.alerts
}

func alertsOf(as []*Alert, title string) []*Alert {
	var out []*Alert
	for _, a := range as {
		if a.Rule.Title == title {
			out = append(out, a)
		}
	}
	return out
}

func TestCrossCloudPrivilegeChange(t *testing.T) {
	const title = "Same Identity Changes Privileges In Two Clouds"
	// Files are read in lexical order, which is time order here.
	dir := t.TempDir()
	writeJSON(t, filepath.Join(dir, "1_aws.json"), map[string]any{"Records": []any{
		awsPrivChange(t0, "alice@example.com", "AttachUserPolicy"),
		awsPrivChange(t0.Add(time.Minute), "bob@example.com", "PutRolePolicy"),
	}})
	writeJSON(t, filepath.Join(dir, "2_azure.json"), map[string]any{"records": []any{
		azureRoleAssignment(t0.Add(20*time.Minute), "Alice@Example.com"),
	}})
	writeJSON(t, filepath.Join(dir, "3_gcp.json"), gcpSetIamPolicy(t0.Add(40*time.Minute), "alice@example.com"))
	_, as := runBuiltins(t, dir)
	got := alertsOf(as, title)
	if len(got) != 1 {
		t.Fatalf("%d cross-cloud alerts, want 1 (alice in AWS then Azure, GCP in the same burst; bob only in AWS)", len(got))
	}
	a := got[0]
	if g := string(a.Finding.Unmapped); !strings.Contains(g, "vigil.identity=alice@example.com") {
		t.Errorf("alert group: %s", g)
	}
	if a.Finding.Cloud == nil || a.Finding.Cloud.Provider != "Azure" {
		t.Errorf("alert cloud = %+v, want the triggering Azure event", a.Finding.Cloud)
	}
	// Evidence: alice's AWS change, then the Azure one (not bob's).
	if len(a.Finding.Evidences) != 2 || a.Finding.Evidences[0].API == nil || a.Finding.Evidences[0].API.Operation != "AttachUserPolicy" {
		t.Errorf("evidences = %d, first %+v", len(a.Finding.Evidences), a.Finding.Evidences[0].API)
	}

	// The same two changes two hours apart are not correlated.
	dir = t.TempDir()
	writeJSON(t, filepath.Join(dir, "1_aws.json"), map[string]any{"Records": []any{awsPrivChange(t0, "alice@example.com", "AttachUserPolicy")}})
	writeJSON(t, filepath.Join(dir, "2_azure.json"), map[string]any{"records": []any{azureRoleAssignment(t0.Add(2*time.Hour), "alice@example.com")}})
	if _, as = runBuiltins(t, dir); len(alertsOf(as, title)) != 0 {
		t.Errorf("changes two hours apart were correlated")
	}
}

func TestLoggingDisabledThenDataAccess(t *testing.T) {
	const title = "Audit Logging Disabled Then Data Accessed"
	ev := func(at time.Time, name, source string) map[string]any {
		e := awsPrivChange(at, "mallory@example.com", name)
		e["eventSource"] = source
		return e
	}
	dir := t.TempDir()
	writeJSON(t, filepath.Join(dir, "a.json"), map[string]any{"Records": []any{
		ev(t0, "GetSecretValue", "secretsmanager.amazonaws.com"), // before: not a sequence
		ev(t0.Add(time.Minute), "StopLogging", "cloudtrail.amazonaws.com"),
		ev(t0.Add(10*time.Minute), "GetObject", "s3.amazonaws.com"),
	}})
	_, as := runBuiltins(t, dir)
	if n := len(alertsOf(as, "Cloud Audit Logging Disabled")); n != 1 {
		t.Errorf("%d logging-disabled alerts, want 1", n)
	}
	if got := alertsOf(as, title); len(got) != 1 {
		t.Fatalf("%d sequence alerts, want 1", len(got))
	} else {
		f := got[0].Finding
		if f.API == nil || f.API.Operation != "GetObject" {
			t.Errorf("sequence alert should point at the data access, got %+v", f.API)
		}
		if len(f.Evidences) != 2 || f.Evidences[0].API.Operation != "StopLogging" {
			t.Errorf("evidences: %d, want StopLogging then GetObject", len(f.Evidences))
		}
	}

	// Data access more than an hour later, or before, does not complete it.
	dir = t.TempDir()
	writeJSON(t, filepath.Join(dir, "a.json"), map[string]any{"Records": []any{
		ev(t0, "GetSecretValue", "secretsmanager.amazonaws.com"),
		ev(t0.Add(time.Minute), "DeleteTrail", "cloudtrail.amazonaws.com"),
		ev(t0.Add(90*time.Minute), "GetObject", "s3.amazonaws.com"),
	}})
	if _, as = runBuiltins(t, dir); len(alertsOf(as, title)) != 0 {
		t.Errorf("sequence fired outside its timespan")
	}
}

func TestAccessKeyNewNetwork(t *testing.T) {
	const title = "AWS Access Key Created And Used From Another Network"
	create := ctEvent(1, "CreateAccessKey", "arn:aws:iam::111122223333:user/admin", "198.51.100.7")
	create["eventTime"] = t0.Add(-time.Minute).Format(time.RFC3339)
	create["responseElements"] = map[string]any{"accessKey": map[string]any{
		"accessKeyId": "AKIAEXAMPLENEWKEY001", "userName": "bob", "status": "Active"}}
	use := func(i int, ip string) map[string]any {
		e := ctEvent(i, "ListBuckets", "arn:aws:iam::111122223333:user/bob", ip)
		e["eventTime"] = t0.Add(time.Duration(i) * time.Minute).Format(time.RFC3339)
		e["eventSource"] = "s3.amazonaws.com"
		e["userIdentity"].(map[string]any)["accessKeyId"] = "AKIAEXAMPLENEWKEY001"
		return e
	}
	dir := t.TempDir()
	writeTrail(t, dir, "a.json", create, use(2, "198.51.100.7"))
	if _, as := runBuiltins(t, dir); len(alertsOf(as, title)) != 0 {
		t.Errorf("key used from the creating network alerted")
	}
	dir = t.TempDir()
	writeTrail(t, dir, "a.json", create, use(2, "198.51.100.7"), use(3, "203.0.113.200"), use(4, "203.0.113.201"))
	_, as := runBuiltins(t, dir)
	got := alertsOf(as, title)
	if len(got) != 1 {
		t.Fatalf("%d alerts, want 1 for a key used from a new network", len(got))
	}
	if got[0].Finding.SrcEndpoint == nil || got[0].Finding.SrcEndpoint.IP != "203.0.113.200" {
		t.Errorf("alert src = %+v", got[0].Finding.SrcEndpoint)
	}
	// A key used all day from its creation address, then once from
	// elsewhere: one alert (repeated observations are not re-counted, so
	// this stays linear).
	dir = t.TempDir()
	evs := []map[string]any{create}
	for i := range 3000 {
		ev := use(0, "198.51.100.7")
		ev["eventTime"] = t0.Add(time.Duration(i) * 10 * time.Second).Format(time.RFC3339)
		ev["eventID"] = fmt.Sprintf("use-%d", i)
		evs = append(evs, ev)
	}
	late := use(0, "192.0.2.99")
	late["eventTime"] = t0.Add(9 * time.Hour).Format(time.RFC3339)
	evs = append(evs, late)
	writeTrail(t, dir, "a.json", evs...)
	start := time.Now()
	_, as2 := runBuiltins(t, dir)
	if n := len(alertsOf(as2, title)); n != 1 {
		t.Errorf("busy key: %d alerts, want 1", n)
	}
	t.Logf("3,002 events in %v", time.Since(start))

	// A key used from two networks without a creation in sight: no alert.
	dir = t.TempDir()
	writeTrail(t, dir, "a.json", use(2, "198.51.100.7"), use(3, "203.0.113.200"))
	if _, as3 := runBuiltins(t, dir); len(alertsOf(as3, title)) != 0 {
		t.Errorf("alert without a key creation")
	}
	// Creation more than a day before the new network: no alert.
	dir = t.TempDir()
	old := use(2, "198.51.100.7")
	old["eventTime"] = t0.Add(30 * time.Hour).Format(time.RFC3339)
	old2 := use(3, "203.0.113.200")
	old2["eventTime"] = t0.Add(31 * time.Hour).Format(time.RFC3339)
	writeTrail(t, dir, "a.json", create, old, old2)
	if _, as4 := runBuiltins(t, dir); len(alertsOf(as4, title)) != 0 {
		t.Errorf("alert for a key created more than a day earlier")
	}

	// And the other-user key creation fires on its own.
	if n := len(alertsOf(as, "AWS Access Key Created For Another IAM User")); n != 1 {
		t.Errorf("%d other-user key alerts, want 1", n)
	}
}

func TestGCPServiceAccountKeyNewNetwork(t *testing.T) {
	const title = "GCP Service Account Key Created And Used From Another Network"
	const sa = "backup@acme-prod-4821.iam.gserviceaccount.com"
	create := gcpSetIamPolicy(t0, "admin@example.com")
	pp := create["protoPayload"].(map[string]any)
	pp["serviceName"] = "iam.googleapis.com"
	pp["methodName"] = "google.iam.admin.v1.CreateServiceAccountKey"
	pp["resourceName"] = "projects/-/serviceAccounts/" + sa
	pp["request"] = map[string]any{"@type": "type.googleapis.com/google.iam.admin.v1.CreateServiceAccountKeyRequest", "name": "projects/-/serviceAccounts/" + sa}
	pp["response"] = map[string]any{"@type": "type.googleapis.com/google.iam.admin.v1.ServiceAccountKey",
		"name": "projects/acme-prod-4821/serviceAccounts/" + sa + "/keys/4f2d8e1a9b7c6d5e"}
	use := func(i int, ip string) map[string]any {
		u := gcpSetIamPolicy(t0.Add(time.Duration(i)*time.Minute), sa)
		p := u["protoPayload"].(map[string]any)
		p["serviceName"] = "storage.googleapis.com"
		p["methodName"] = "storage.objects.list"
		p["resourceName"] = "projects/_/buckets/acme-backups"
		p["authenticationInfo"] = map[string]any{"principalEmail": sa,
			"serviceAccountKeyName": "//iam.googleapis.com/projects/acme-prod-4821/serviceAccounts/" + sa + "/keys/4f2d8e1a9b7c6d5e"}
		p["requestMetadata"] = map[string]any{"callerIp": ip}
		return u
	}
	lines := func(evs ...map[string]any) string {
		var b strings.Builder
		for _, ev := range evs {
			j, _ := json.Marshal(ev)
			b.Write(j)
			b.WriteByte('\n')
		}
		return b.String()
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "gcp.jsonl"), []byte(lines(create, use(5, "203.0.113.88"))), 0o644)
	if _, as := runBuiltins(t, dir); len(alertsOf(as, title)) != 0 {
		t.Errorf("key used from the creating network alerted")
	}
	dir = t.TempDir()
	os.WriteFile(filepath.Join(dir, "gcp.jsonl"), []byte(lines(create, use(5, "203.0.113.88"), use(9, "192.0.2.66"))), 0o644)
	_, as := runBuiltins(t, dir)
	got := alertsOf(as, title)
	if len(got) != 1 {
		t.Fatalf("%d alerts, want 1", len(got))
	}
	// Evidence: the creation, then the use from the new address.
	if f := got[0].Finding; len(f.Evidences) != 2 || f.Evidences[0].API == nil ||
		!strings.HasSuffix(f.Evidences[0].API.Operation, "CreateServiceAccountKey") || f.SrcEndpoint == nil || f.SrcEndpoint.IP != "192.0.2.66" {
		t.Errorf("evidences %d, src %+v", len(f.Evidences), f.SrcEndpoint)
	}
}

// An upper-bound correlation is decided when its window closes: at the end
// of a batch the open windows are flushed.
func TestUpperBoundCorrelationFlushedAtEnd(t *testing.T) {
	rules := t.TempDir()
	os.WriteFile(filepath.Join(rules, "r.yml"), []byte(catchAllRule+`
---
title: Quiet IAM User
id: 5f0c2a11-0000-4000-8000-00000000000c
status: test
correlation:
    type: event_count
    rules:
        - every_iam_call
    group-by:
        - userIdentity.arn
    timespan: 1h
    condition:
        lt: 2
level: low
`), 0o644)
	dir := t.TempDir()
	writeTrail(t, dir, "a.json",
		ctEvent(1, "GetUser", "arn:aws:iam::111122223333:user/busy", "198.51.100.7"),
		ctEvent(2, "GetUser", "arn:aws:iam::111122223333:user/quiet", "198.51.100.7"),
		ctEvent(3, "GetUser", "arn:aws:iam::111122223333:user/busy", "198.51.100.7"),
	)
	eng, err := New(context.Background(), Config{RuleDirs: []string{rules}, NoBuiltins: true, Tuning: NoTuning()})
	if err != nil {
		t.Fatal(err)
	}
	sink := &collectSink{}
	if err := eng.Run(context.Background(), []string{dir}, sink, RunOptions{}); err != nil {
		t.Fatal(err)
	}
	got := alertsOf(sink.alerts, "Quiet IAM User")
	if len(got) != 1 {
		t.Fatalf("%d quiet-user alerts, want 1", len(got))
	}
	if g := string(got[0].Finding.Unmapped); !strings.Contains(g, "user/quiet") {
		t.Errorf("alert for the wrong group: %s", g)
	}
	if len(got[0].Finding.Evidences) != 1 {
		t.Errorf("evidences: %d, want the quiet user's event", len(got[0].Finding.Evidences))
	}
}

// Users can write OCSF rules too: one rule for every cloud's sign-in or
// API call by a given person, on OCSF fields.
func TestUserOCSFRule(t *testing.T) {
	rules := t.TempDir()
	os.WriteFile(filepath.Join(rules, "ocsf.yml"), []byte(`title: Contractor Changes IAM In Any Cloud
id: 7e2b7c1a-0000-4000-8000-0000000000d1
status: test
author: vigil tests
logsource:
    product: vigil
    service: ocsf
detection:
    selection:
        api.operation|endswith:
            - AttachUserPolicy
            - roleAssignments/write
            - SetIamPolicy
        vigil.identity|endswith: '@example.com'
    condition: selection
level: high
`), 0o644)
	dir := t.TempDir()
	writeJSON(t, filepath.Join(dir, "1_aws.json"), map[string]any{"Records": []any{awsPrivChange(t0, "alice@example.com", "AttachUserPolicy")}})
	writeJSON(t, filepath.Join(dir, "2_azure.json"), map[string]any{"records": []any{azureRoleAssignment(t0.Add(time.Hour), "bob@other.org")}})
	writeJSON(t, filepath.Join(dir, "3_gcp.json"), gcpSetIamPolicy(t0.Add(2*time.Hour), "carol@example.com"))
	eng, err := New(context.Background(), Config{RuleDirs: []string{rules}, NoBuiltins: true, Tuning: NoTuning()})
	if err != nil {
		t.Fatal(err)
	}
	if len(eng.LoadErrors) != 0 || eng.Rules != 1 {
		t.Fatalf("rules %d, load errors %v", eng.Rules, eng.LoadErrors)
	}
	sink := &collectSink{}
	if err := eng.Run(context.Background(), []string{dir}, sink, RunOptions{}); err != nil {
		t.Fatal(err)
	}
	var who []string
	for _, a := range sink.alerts {
		who = append(who, a.Finding.Cloud.Provider)
	}
	if strings.Join(who, ",") != "AWS,GCP" {
		t.Errorf("alerts in %v, want AWS and GCP (the Azure change is by another domain)", who)
	}
}

func TestBadCorrelationReported(t *testing.T) {
	rules := t.TempDir()
	os.WriteFile(filepath.Join(rules, "r.yml"), []byte(catchAllRule+`
---
title: Refers To Nothing
id: 5f0c2a11-0000-4000-8000-00000000000e
status: test
correlation:
    type: event_count
    rules:
        - no_such_rule
    group-by:
        - userIdentity.arn
    timespan: 1h
    condition:
        gte: 2
level: low
`), 0o644)
	eng, err := New(context.Background(), Config{RuleDirs: []string{rules}, NoBuiltins: true})
	if err != nil {
		t.Fatal(err)
	}
	if eng.Correlations != 0 || len(eng.LoadErrors) != 1 || !strings.Contains(eng.LoadErrors[0].Error(), "r.yml") {
		t.Errorf("correlations %d, load errors %v", eng.Correlations, eng.LoadErrors)
	}
}
