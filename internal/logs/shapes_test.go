package logs

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/klauspost/compress/gzip"
)

// readOCSF reads a file and returns its events normalized, as JSON
// objects, with the input errors and notes.
func readOCSF(t *testing.T, path string) (evs []map[string]any, recs []Record, errs []InputError) {
	t.Helper()
	err := ReadFile(context.Background(), path, func(r Record) error {
		ev, err := Normalize(r)
		if err != nil {
			t.Errorf("%s:%d: %v", r.File, r.Line, err)
			return nil
		}
		b, err := json.Marshal(ev)
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		evs = append(evs, m)
		r.Members = nil
		recs = append(recs, r)
		return nil
	}, func(e InputError) { errs = append(errs, e) })
	if err != nil {
		t.Fatal(err)
	}
	return evs, recs, errs
}

// pick returns the values at dotted paths of an OCSF event.
func pick(ev map[string]any, paths []string) map[string]any {
	out := map[string]any{}
	for _, p := range paths {
		var v any = ev
		for _, k := range strings.Split(p, ".") {
			m, _ := v.(map[string]any)
			v = m[k]
		}
		out[p] = v
	}
	return out
}

// TestOtherShapesSameOCSF: the other shapes of a source's events (Purview
// and Search-UnifiedAuditLog CSV exports, Log Analytics OfficeActivity rows
// as JSON and CSV, Reports API activities, BigQuery sink rows nested and
// flattened) read as the same events, normalized to the same OCSF, as the
// source's own shape of the same records: wholly (raw_data aside) where the
// shape keeps everything, on the attributes it carries otherwise.
func TestOtherShapesSameOCSF(t *testing.T) {
	dir := filepath.Join("testdata", "samples")
	all := []string{"*"}
	// What a Reports API activity lacks against Cloud Logging's entry: the
	// organization number (logName, resourceName), the entry's own ids and
	// severity; Cloud Logging's method name is the event name in camel
	// case but for a few events (GRANT_ADMIN_PRIVILEGE is logged as
	// assignRole): the Workspace rules name both.
	workspace := []string{"class_uid", "activity_id", "type_uid", "time", "status_id",
		"api.service.name", "actor.user.name", "actor.user.uid", "actor.user.type",
		"src_endpoint.ip", "metadata.product.name", "metadata.version"}
	// What the Entra admin center's downloads and Graph objects lack
	// against a diagnostic record: the tenant (cloud.account), the
	// diagnostic category and version; the sign-in download also the
	// interactive flag, the risk levels (severity) and sub-second times
	// (checked apart), the audit download the activity's id and the
	// initiating app's id.
	signIn := []string{"class_uid", "activity_id", "type_uid", "status_id", "status_code", "status_detail",
		"actor.user.name", "actor.user.uid", "actor.user.type", "actor.user.full_name", "actor.app_name", "actor.app_uid",
		"src_endpoint.ip", "src_endpoint.location.country", "src_endpoint.location.city", "src_endpoint.location.region",
		"http_request.user_agent", "service.name", "service.uid", "is_mfa", "session.uid", "metadata.uid"}
	audit := []string{"class_uid", "activity_id", "type_uid", "status_id", "status_detail", "api.operation", "api.service.name",
		"actor.user.name", "actor.user.uid", "actor.user.type", "actor.app_name", "user.name", "user.uid", "user.type",
		"policy.name", "resources", "src_endpoint.ip", "metadata.correlation_uid", "time"}
	// What the CloudTrail console's Event history CSV keeps of an event:
	// its id, time, operation, service, region, address, outcome and
	// the user's name (not the identity's type, ARN or account, the user
	// agent or the request).
	consoleCSV := []string{"class_uid", "activity_id", "type_uid", "time", "status_id", "api.operation", "api.service.name",
		"api.request.uid", "cloud.region", "src_endpoint.ip", "metadata.uid", "actor.user.name"}
	psSignIn := append([]string{"time", "severity_id", "logon_type", "auth_protocol"}, signIn...)
	cases := []struct {
		shape, own string
		from, to   int // the own file's events the shape holds
		paths      []string
		source     Source
	}{
		{"azure_signin_graph_powershell.json", "azure_signin.jsonl", 0, 3, psSignIn, AzureSignIn},
		{"azure_signin_portal.csv", "azure_signin.jsonl", 0, 2, append([]string{"auth_protocol"}, signIn...), AzureSignIn},
		{"azure_signin_portal_serviceprincipals.csv", "azure_signin.jsonl", 2, 3, signIn, AzureSignIn},
		{"azure_audit_graph_powershell.json", "azure_audit.json", 0, 4, append([]string{"metadata.uid", "actor.app_uid"}, audit...), AzureAudit},
		{"azure_audit_portal.csv", "azure_audit.json", 0, 4, audit, AzureAudit},
		{"m365_purview_export.csv", "m365_audit.json", 0, 8, all, M365Audit},
		{"m365_search_unifiedauditlog.csv", "m365_audit.json", 0, 4, all, M365Audit},
		{"m365_officeactivity.jsonl", "m365_audit.json", 0, 8, all, M365Audit},
		{"m365_officeactivity_export.csv", "m365_audit.json", 2, 6, all, M365Audit},
		{"gcp_workspace_reports.json", "gcp_workspace.jsonl", 0, 14, workspace, GCPAudit},
		{"gcp_audit_bigquery.jsonl", "gcp_audit.jsonl", 0, 5, all, GCPAudit},
		{"gcp_audit_pubsub_push.jsonl", "gcp_audit.jsonl", 0, 5, all, GCPAudit},
		{"gcp_audit_pubsub_pull.json", "gcp_audit.jsonl", 0, 5, all, GCPAudit},
		{"m365_graph_auditlog_records.json", "m365_audit.json", 0, 8, all, M365Audit},
		{"m365_graph_auditlog_page.json", "m365_audit.json", 0, 3, all, M365Audit},
		{"aws_cloudtrail_lookup_events.json", "aws_cloudtrail_lake.jsonl", 0, 2, all, AWSCloudTrail},
		{"aws_cloudwatch_filter_log_events.json", "aws_cloudtrail_lake.jsonl", 0, 2, all, AWSCloudTrail},
		{"aws_cloudwatch_subscription_firehose.gz", "aws_cloudtrail_lake.jsonl", 0, 2, all, AWSCloudTrail},
		{"m365_officeactivity_query_api.json", "m365_audit.json", 0, 8, all, M365Audit},
		{"azure_resource_tables_query_api.json", "azure_resource_tables.jsonl", 0, 2, all, AzureResource},
		{"aws_cloudtrail_console_history.csv", "aws_cloudtrail_lake.jsonl", 0, 2, consoleCSV, AWSCloudTrail},
	}
	for _, c := range cases {
		t.Run(c.shape, func(t *testing.T) {
			got, recs, errs := readOCSF(t, filepath.Join("testdata", "shapes", c.shape))
			for _, e := range errs {
				t.Errorf("input error: %v", e)
			}
			want, _, _ := readOCSF(t, filepath.Join(dir, c.own))
			want = want[c.from:min(c.to, len(want))]
			if len(got) != len(want) {
				t.Fatalf("%d events, want %d", len(got), len(want))
			}
			for i := range got {
				if recs[i].Source != c.source {
					t.Errorf("event %d: source %s, want %s", i, recs[i].Source, c.source)
				}
				if recs[i].Line == 0 && strings.HasSuffix(c.shape, "l") {
					t.Errorf("event %d: no line", i)
				}
				g, w := got[i], want[i]
				delete(g, "raw_data")
				delete(w, "raw_data")
				if c.paths[0] != "*" {
					g, w = pick(g, c.paths), pick(w, c.paths)
				}
				gb, _ := json.Marshal(g)
				wb, _ := json.Marshal(w)
				if string(gb) != string(wb) {
					t.Errorf("event %d:\n got %s\nwant %s", i, gb, wb)
				}
			}
		})
	}
}

// TestReportsActivityMethodNames: Reports API event names become Cloud
// Logging's method names.
func TestReportsActivityMethodNames(t *testing.T) {
	evs, _, errs := readOCSF(t, filepath.Join("testdata", "shapes", "gcp_workspace_reports.json"))
	if len(errs) > 0 || len(evs) == 0 {
		t.Fatalf("errors %v, %d events", errs, len(evs))
	}
	ops := map[string]bool{}
	for _, e := range evs {
		ops[pick(e, []string{"api.operation"})["api.operation"].(string)] = true
	}
	for _, op := range []string{"google.admin.AdminService.changeApplicationSetting", "google.login.LoginService.loginFailure", "google.admin.AdminService.enforceStrongAuthentication"} {
		if !ops[op] {
			t.Errorf("no event with operation %s (have %v)", op, ops)
		}
	}
}

// TestUnknownShapes: files of no shape vigil reads are reported once, as
// skipped notes that say what was found; a malformed row of a known shape
// is an error with its line, and the other rows are read.
func TestUnknownShapes(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	billing := write("billing.csv", "Date,Service,Cost\n2024-05-01,EC2,12.5\n2024-05-02,S3,1.25\n")
	_, recs, errs := readOCSF(t, billing)
	if len(recs) != 0 || len(errs) != 1 || !errs[0].Skipped || !errors.Is(errs[0].Err, ErrUnknownCSV) || !errors.Is(errs[0].Err, ErrNotAuditLog) ||
		!strings.Contains(errs[0].Error(), "Date, Service, Cost") || !strings.Contains(errs[0].Error(), "language set to English") {
		t.Errorf("billing CSV: %d events, notes %v", len(recs), errs)
	}

	// A Log Analytics query result that summarised the rows away (one
	// line, as az rest writes it): one note naming its columns and what to
	// query instead.
	summary := write("summary.json", `{"tables":[{"name":"PrimaryResult","columns":[{"name":"Category","type":"string"},{"name":"count_","type":"long"}],"rows":[["Administrative",20839],["Alert",64]]}]}`+"\n")
	_, recs, errs = readOCSF(t, summary)
	if len(recs) != 0 || len(errs) != 1 || !errs[0].Skipped || !errors.Is(errs[0].Err, ErrUnknownTables) || !errors.Is(errs[0].Err, ErrNotAuditLog) ||
		!strings.Contains(errs[0].Error(), "Category, count_") || !strings.Contains(errs[0].Error(), "without project or summarize") {
		t.Errorf("summarised query result: %d events, notes %v", len(recs), errs)
	}
	// A query result row with more cells than columns, and one that is
	// not an array, between two good rows (pretty-printed: lines count).
	row := `["9a8b7c6d","2024-05-07T09:00:11.912Z","VaultGet","0","OK","203.0.113.9",12,"{\"claim\":{\"upn\":\"a@contoso.com\"}}","AZKVAuditLogs","/SUBSCRIPTIONS/S/RESOURCEGROUPS/R/PROVIDERS/MICROSOFT.KEYVAULT/VAULTS/KV"]`
	cols := `[{"name":"TenantId","type":"string"},{"name":"TimeGenerated","type":"datetime"},{"name":"OperationName","type":"string"},{"name":"ResultType","type":"string"},{"name":"ResultSignature","type":"string"},{"name":"CallerIpAddress","type":"string"},{"name":"DurationMs","type":"long"},{"name":"Identity","type":"dynamic"},{"name":"Type","type":"string"},{"name":"_ResourceId","type":"string"}]`
	mixed := write("mixed.json", "{\n \"tables\": [{\"name\": \"PrimaryResult\", \"columns\": "+cols+",\n \"rows\": [\n  "+row+",\n  [1,2,3,4,5,6,7,8,9,10,11],\n  \"x\",\n  "+row+"\n ]}]\n}\n")
	_, recs, errs = readOCSF(t, mixed)
	if len(recs) != 2 || len(errs) != 2 || errs[0].Line != 5 || errs[1].Line != 6 || !errors.Is(errs[0].Err, ErrMalformed) {
		t.Errorf("query result with bad rows: %d events, errors %v", len(recs), errs)
	}
	if len(recs) == 2 && (recs[0].Source != AzureResource || recs[0].Line != 4 || recs[1].Line != 7 || recs[0].Shape != "Log Analytics query API row") {
		t.Errorf("rows: %s at line %d (%q), line %d", recs[0].Source, recs[0].Line, recs[0].Shape, recs[1].Line)
	}

	// A CloudTrail console download whose Event time is not a time: an
	// error naming it, the other row read.
	console := write("console.csv", "Event ID,Event time,User name,Event name,AWS region,Source IP address,Event source\n"+
		"e1,yesterday,bob,CreateUser,us-east-1,192.0.2.1,iam.amazonaws.com\n"+
		"e2,2024-03-14T15:00:01Z,bob,CreateUser,us-east-1,192.0.2.1,iam.amazonaws.com\n")
	_, recs, errs = readOCSF(t, console)
	if len(recs) != 1 || len(errs) != 1 || errs[0].Line != 2 || !strings.Contains(errs[0].Error(), "Event time") || recs[0].Source != AWSCloudTrail {
		t.Errorf("console CSV with a bad time: %d events, errors %v", len(recs), errs)
	}

	// JSON events of no known shape: the note names what the first one
	// holds.
	other := write("inventory.jsonl", `{"assetId":"i-1","region":"eu-west-1"}`+"\n"+`{"assetId":"i-2","region":"eu-west-1"}`+"\n")
	_, recs, errs = readOCSF(t, other)
	if len(recs) != 0 || len(errs) != 1 || !errs[0].Skipped || !errors.Is(errs[0].Err, ErrNotAuditLog) || !strings.Contains(errs[0].Error(), "members: assetId, region") {
		t.Errorf("unknown JSON lines: %d events, notes %v", len(recs), errs)
	}

	// A Purview export row whose AuditData is cut short, between two good
	// rows.
	good := `"{""CreationTime"":""2024-05-06T08:12:41"",""Id"":""a"",""Operation"":""FileDownloaded"",""OrganizationId"":""o"",""RecordType"":6,""Workload"":""SharePoint"",""UserId"":""u@contoso.com""}"`
	bad := write("purview.csv", "RecordId,CreationDate,RecordType,Operation,UserId,AuditData\n"+
		"a,2024-05-06T08:12:41.0000000Z,SharePointFileOperation,FileDownloaded,u@contoso.com,"+good+"\n"+
		"b,2024-05-06T08:12:42.0000000Z,SharePointFileOperation,FileDownloaded,u@contoso.com,\"{\"\"CreationTime\"\":\"\"2024\"\n"+
		"c,2024-05-06T08:12:43.0000000Z,SharePointFileOperation,FileDownloaded,u@contoso.com,"+good+"\n")
	_, recs, errs = readOCSF(t, bad)
	if len(recs) != 2 || len(errs) != 1 || errs[0].Skipped || errs[0].Line != 3 || !errors.Is(errs[0].Err, ErrMalformed) {
		t.Errorf("Purview CSV with a cut row: %d events, errors %v", len(recs), errs)
	}
	if len(recs) == 2 && (recs[0].Line != 2 || recs[1].Line != 4 || recs[0].Source != M365Audit) {
		t.Errorf("rows at lines %d, %d (%s), want 2, 4", recs[0].Line, recs[1].Line, recs[0].Source)
	}

	// Rows of a known shape missing what the shape needs: an error naming
	// the shape and the field, not a silent skip.
	la := write("officeactivity.jsonl", `{"Type":"OfficeActivity","OfficeWorkload":"Exchange","TimeGenerated":"2024-05-06T08:12:41Z","RecordType":"ExchangeAdmin"}`+"\n")
	_, recs, errs = readOCSF(t, la)
	if len(recs) != 0 || len(errs) != 1 || errs[0].Skipped || !strings.Contains(errs[0].Error(), "OfficeActivity row") || !strings.Contains(errs[0].Error(), "Operation") {
		t.Errorf("OfficeActivity row without Operation: %d events, errors %v", len(recs), errs)
	}
	bq := write("bq.jsonl", `{"protopayload_auditlog":{"serviceName":"iam.googleapis.com","methodName":"x"},"timestamp":"yesterday"}`+"\n")
	_, recs, errs = readOCSF(t, bq)
	if len(recs) != 0 || len(errs) != 1 || !strings.Contains(errs[0].Error(), "BigQuery") || !strings.Contains(errs[0].Error(), "timestamp") {
		t.Errorf("BigQuery row with a bad time: %d events, errors %v", len(recs), errs)
	}
}

// TestEntraPowerShellDepth: Graph PowerShell output that ConvertTo-Json cut
// at its default -Depth 2 (the status or initiator written as its type
// name) is an error that says how to export it again, not events without
// their outcome or actor; the Entra admin center's sign-in download keeps
// the sign-in's second.
func TestEntraPowerShellDepth(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "signins.json")
	cut := `[{"AppDisplayName":"Azure Portal","AppId":"c44b4083-3bb0-49c1-b47d-974e53cbdf3c","CreatedDateTime":"2024-03-14T08:58:12Z","Id":"1","IPAddress":"203.0.113.45","Status":"Microsoft.Graph.PowerShell.Models.MicrosoftGraphSignInStatus","UserPrincipalName":"a@contoso.com"},` +
		`{"ActivityDateTime":"2024-03-14T11:00:03Z","ActivityDisplayName":"Add user","Category":"UserManagement","Id":"2","InitiatedBy":{"App":"Microsoft.Graph.PowerShell.Models.MicrosoftGraphAppIdentity","User":"Microsoft.Graph.PowerShell.Models.MicrosoftGraphUserIdentity"},"LoggedByService":"Core Directory","Result":"success"}]`
	if err := os.WriteFile(p, []byte(cut), 0o644); err != nil {
		t.Fatal(err)
	}
	evs, _, errs := readOCSF(t, p)
	if len(evs) != 0 || len(errs) != 2 {
		t.Fatalf("%d events, errors %v: want two errors", len(evs), errs)
	}
	for i, shape := range []string{"Graph PowerShell signIn", "Graph PowerShell directoryAudit"} {
		if errs[i].Skipped || !strings.Contains(errs[i].Error(), shape) || !strings.Contains(errs[i].Error(), "-Depth 10") {
			t.Errorf("error %d: %v: want the shape and the -Depth advice", i, errs[i])
		}
	}
	got, _, _ := readOCSF(t, filepath.Join("testdata", "shapes", "azure_signin_portal.csv"))
	want, _, _ := readOCSF(t, filepath.Join("testdata", "samples", "azure_signin.jsonl"))
	for i := range got {
		g, w := got[i]["time"].(float64), want[i]["time"].(float64)
		if g != float64(int64(w)/1000*1000) {
			t.Errorf("sign-in %d at %v, want %v to the second", i, g, w)
		}
	}
}

// TestPubSubOtherLogs: Pub/Sub messages whose data is another log's entry
// (a sink routing more than audit logs), or no log entry at all, are one
// skipped note saying what the first one held, not events or errors; the
// audit entries among them are read. A pulled message without data is
// not a Pub/Sub message of a log entry: an unknown event.
func TestPubSubOtherLogs(t *testing.T) {
	dir := t.TempDir()
	push := func(data string) string {
		return `{"message":{"data":"` + base64.StdEncoding.EncodeToString([]byte(data)) + `","messageId":"1","publishTime":"2024-03-14T13:05:24.318Z"},"subscription":"projects/p/subscriptions/s"}` + "\n"
	}
	audit := `{"protoPayload":{"@type":"type.googleapis.com/google.cloud.audit.AuditLog","serviceName":"compute.googleapis.com","methodName":"v1.compute.firewalls.insert","authenticationInfo":{"principalEmail":"a@example.org"}},"logName":"projects/p/logs/cloudaudit.googleapis.com%2Factivity","timestamp":"2024-03-14T13:05:21Z","insertId":"x1"}`
	syslog := `{"textPayload":"sshd[812]: Accepted publickey for priya","logName":"projects/p/logs/syslog","timestamp":"2024-03-14T13:05:22Z","insertId":"x2"}`
	p := filepath.Join(dir, "push.jsonl")
	if err := os.WriteFile(p, []byte(push(syslog)+push(audit)+push("not json")+push(syslog)), 0o644); err != nil {
		t.Fatal(err)
	}
	evs, recs, errs := readOCSF(t, p)
	if len(evs) != 1 || recs[0].Source != GCPAudit || recs[0].Shape != "Pub/Sub message" || recs[0].Line != 2 {
		t.Errorf("%d events (%+v), want the audit entry on line 2", len(evs), recs)
	}
	if len(errs) != 1 || !errs[0].Skipped || !errors.Is(errs[0].Err, ErrNotAuditLog) || errs[0].Line != 1 ||
		!strings.Contains(errs[0].Error(), "3 events of an unknown kind") || !strings.Contains(errs[0].Error(), "projects/p/logs/syslog") {
		t.Errorf("notes %v: want one skipped note counting 3 and naming the syslog entry", errs)
	}
	if len(evs) == 1 && pick(evs[0], []string{"api.operation"})["api.operation"] != "v1.compute.firewalls.insert" {
		t.Errorf("operation %v", pick(evs[0], []string{"api.operation"}))
	}
	empty := filepath.Join(dir, "empty.json")
	if err := os.WriteFile(empty, []byte(`{"receivedMessages":[{"ackId":"a","message":{"attributes":{"k":"v"},"messageId":"1","publishTime":"2024-03-14T13:05:24.318Z"}}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if evs, _, errs := readOCSF(t, empty); len(evs) != 0 || len(errs) != 1 || !errs[0].Skipped || !strings.Contains(errs[0].Error(), "ackId, message") {
		t.Errorf("message without data: %d events, notes %v", len(evs), errs)
	}
}

// TestCloudWatchLogsOtherMessages: CloudWatch Logs output whose messages
// are not CloudTrail events (VPC flow logs, an application's text) is
// reported once as a note naming the log event's members, not as events
// or errors; a subscription's control message is passed over in silence;
// an Event history entry whose CloudTrailEvent is not an event is an
// input error naming the shape.
func TestCloudWatchLogsOtherMessages(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	flow := write("flow.json", `{"events":[{"logStreamName":"eni-0a1b2c3d-all","timestamp":1710428401000,"message":"2 111122223333 eni-0a1b2c3d 203.0.113.9 10.0.0.5 44321 22 6 3 180 1710428401 1710428460 REJECT OK","ingestionTime":1710428470000,"eventId":"1"},`+
		`{"logStreamName":"eni-0a1b2c3d-all","timestamp":1710428402000,"message":"{\"level\":\"info\",\"msg\":\"started\"}","ingestionTime":1710428470000,"eventId":"2"}],"searchedLogStreams":[]}`)
	evs, _, errs := readOCSF(t, flow)
	if len(evs) != 0 || len(errs) != 1 || !errs[0].Skipped || !errors.Is(errs[0].Err, ErrNotAuditLog) || !strings.Contains(errs[0].Error(), "logStreamName") {
		t.Errorf("flow logs: %d events, notes %v: want one note naming the members", len(evs), errs)
	}
	ctl := write("control.json", `{"messageType":"CONTROL_MESSAGE","owner":"CloudwatchLogs","logGroup":"","logStream":"","subscriptionFilters":[],"logEvents":[{"id":"","timestamp":1710428401000,"message":"CWL CONTROL MESSAGE: Checking health of destination Firehose."}]}`)
	if evs, _, errs := readOCSF(t, ctl); len(evs) != 0 || len(errs) != 0 {
		t.Errorf("control message: %d events, notes %v: want nothing", len(evs), errs)
	}
	bad := write("lookup.json", `{"Events":[{"EventId":"1","EventName":"StopLogging","EventTime":"2024-03-14T15:00:01+00:00","EventSource":"cloudtrail.amazonaws.com","CloudTrailEvent":"{\"eventName\":\"StopLogging\"}"}]}`)
	if evs, _, errs := readOCSF(t, bad); len(evs) != 0 || len(errs) != 1 || errs[0].Skipped || !strings.Contains(errs[0].Error(), "Event history") {
		t.Errorf("lookup entry without an event: %d events, errors %v: want one error naming the shape", len(evs), errs)
	}
}

// TestUTF16Inputs: files Windows PowerShell 5.1 writes as UTF-16 (Out-File
// and ">" of ConvertTo-Json output, Export-Csv -Encoding Unicode), little
// or big endian, gzipped or not, read from a file or from memory, give the
// same events as their UTF-8 text.
func TestUTF16Inputs(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{
		filepath.Join("samples", "m365_audit.json"),
		filepath.Join("shapes", "m365_purview_export.csv"),
		filepath.Join("samples", "azure_signin.jsonl"),
	} {
		src, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		want, _, errs := readOCSF(t, filepath.Join("testdata", name))
		if len(want) == 0 || len(errs) > 0 {
			t.Fatalf("%s: %d events, errors %v", name, len(want), errs)
		}
		for _, enc := range []struct {
			name string
			big  bool
			gz   bool
		}{{"le", false, false}, {"be", true, false}, {"le.gz", false, true}} {
			b := utf16Bytes(string(src), enc.big)
			if enc.gz {
				var buf bytes.Buffer
				zw := gzip.NewWriter(&buf)
				zw.Write(b)
				zw.Close()
				b = buf.Bytes()
			}
			p := filepath.Join(dir, filepath.Base(name)+"."+enc.name)
			if err := os.WriteFile(p, b, 0o644); err != nil {
				t.Fatal(err)
			}
			got, _, errs := readOCSF(t, p)
			if len(errs) > 0 || len(got) != len(want) {
				t.Fatalf("%s %s: %d events (want %d), errors %v", name, enc.name, len(got), len(want), errs)
			}
			for i := range got {
				delete(got[i], "raw_data")
				w := maps.Clone(want[i])
				delete(w, "raw_data")
				gb, _ := json.Marshal(got[i])
				wb, _ := json.Marshal(w)
				if string(gb) != string(wb) {
					t.Errorf("%s %s event %d:\n got %s\nwant %s", name, enc.name, i, gb, wb)
				}
			}
			var n int
			if err := (Reader{}).ReadData(context.Background(), p, b, func(Record) error { n++; return nil }, func(e InputError) { t.Errorf("ReadData: %v", e) }); err != nil || n != len(want) {
				t.Errorf("%s %s: ReadData gave %d events (want %d), %v", name, enc.name, n, len(want), err)
			}
		}
	}
}

// utf16Bytes encodes s as UTF-16 with a byte order mark.
func utf16Bytes(s string, big bool) []byte {
	out := []byte{0xff, 0xfe}
	if big {
		out = []byte{0xfe, 0xff}
	}
	for _, u := range utf16.Encode([]rune(s)) {
		if big {
			out = append(out, byte(u>>8), byte(u))
		} else {
			out = append(out, byte(u), byte(u>>8))
		}
	}
	return out
}
