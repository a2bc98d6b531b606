package detect

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/logs"
)

// TestOtherShapesSameAlerts: the built-in pack raises the same alerts on
// the other shapes of a source's events (Purview and Search-UnifiedAuditLog
// CSV exports, Log Analytics OfficeActivity rows, Reports API activities,
// BigQuery sink rows, Pub/Sub messages, Graph PowerShell output, the Entra
// admin center's audit download, Event Hubs Capture files) as on the
// source's own shape of the same records.
func TestOtherShapesSameAlerts(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join("..", "logs", "testdata")
	titles := func(file string) []string {
		t.Helper()
		// An engine per file: events read before count once.
		eng, err := New(ctx, Config{Version: "test"})
		if err != nil {
			t.Fatal(err)
		}
		sink := &collectSink{}
		var bad []logs.InputError
		if err := eng.Run(ctx, []string{filepath.Join(dir, file)}, sink, RunOptions{OnInputError: func(e logs.InputError) { bad = append(bad, e) }}); err != nil {
			t.Fatal(err)
		}
		if len(bad) > 0 {
			t.Errorf("%s: input errors %v", file, bad)
		}
		var out []string
		for _, a := range sink.alerts {
			out = append(out, a.Rule.Title)
		}
		slices.Sort(out)
		return out
	}
	for _, c := range []struct{ shape, own string }{
		{"shapes/m365_purview_export.csv", "samples/m365_audit.json"},
		{"shapes/m365_officeactivity.jsonl", "samples/m365_audit.json"},
		{"shapes/gcp_workspace_reports.json", "samples/gcp_workspace.jsonl"},
		{"shapes/m365_graph_auditlog_records.json", "samples/m365_audit.json"},
		{"shapes/aws_cloudtrail_lookup_events.json", "samples/aws_cloudtrail_lake.jsonl"},
		{"shapes/aws_cloudwatch_filter_log_events.json", "samples/aws_cloudtrail_lake.jsonl"},
		{"shapes/aws_cloudwatch_subscription_firehose.gz", "samples/aws_cloudtrail_lake.jsonl"},
		{"shapes/gcp_audit_pubsub_push.jsonl", "samples/gcp_audit.jsonl"},
		{"shapes/gcp_audit_pubsub_pull.json", "samples/gcp_audit.jsonl"},
		{"shapes/azure_audit_graph_powershell.json", "samples/azure_audit.json"},
		{"shapes/azure_audit_portal.csv", "samples/azure_audit.json"},
		{"shapes/m365_officeactivity_query_api.json", "samples/m365_audit.json"},
	} {
		got, want := titles(c.shape), titles(c.own)
		if len(want) == 0 {
			t.Fatalf("%s raises no alert: the comparison shows nothing", c.own)
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s raises\n%q\n%s raises\n%q", c.shape, got, c.own, want)
		}
	}
	// The Event Hubs Capture sample holds the Activity Log and sign-in
	// samples' records as a diagnostic setting streams them.
	want := append(titles("samples/azure_activity.json"), titles("samples/azure_signin.jsonl")...)
	slices.Sort(want)
	if got := titles("shapes/azure_eventhubs_capture.avro"); len(want) == 0 || !slices.Equal(got, want) {
		t.Errorf("azure_eventhubs_capture.avro raises\n%q\nthe records raise\n%q", got, want)
	}
	// BigQuery rows hold the first five entries of gcp_audit.jsonl.
	if got := titles("shapes/gcp_audit_bigquery.jsonl"); len(got) == 0 {
		t.Errorf("gcp_audit_bigquery.jsonl raises no alert")
	}
}

// TestM365CrossShapeDuplicatesAlertOnce: the same Microsoft 365 records
// read from the Management Activity API's JSON, from Purview and
// Search-UnifiedAuditLog exports (the AuditData column, other spacing),
// from OfficeActivity rows and from Graph audit log queries in one run
// raise each alert once, with the same ids, as the API's file alone does, whatever
// order the files come in.
func TestM365CrossShapeDuplicatesAlertOnce(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join("..", "logs", "testdata")
	api := filepath.Join(dir, "samples", "m365_audit.json")
	purview := filepath.Join(dir, "shapes", "m365_purview_export.csv")
	search := filepath.Join(dir, "shapes", "m365_search_unifiedauditlog.csv")
	office := filepath.Join(dir, "shapes", "m365_officeactivity.jsonl")
	graph := filepath.Join(dir, "shapes", "m365_graph_auditlog_records.json")
	run := func(files ...string) []string {
		t.Helper()
		eng, err := New(ctx, Config{Version: "test"})
		if err != nil {
			t.Fatal(err)
		}
		sink := &collectSink{}
		if err := eng.Run(ctx, files, sink, RunOptions{}); err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, a := range sink.alerts {
			out = append(out, a.Rule.Title+" "+a.Finding.FindingInfo.UID)
		}
		slices.Sort(out)
		return out
	}
	want := run(api)
	if len(want) == 0 {
		t.Fatal("the API's records raise no alert: the comparison shows nothing")
	}
	for _, files := range [][]string{{api, purview, search}, {search, purview, api}, {purview, search}, {office, api, graph}, {graph, office, purview}} {
		if got := run(files...); !slices.Equal(got, want) {
			t.Errorf("%v raise\n%q\nthe API's file alone\n%q", files, got, want)
		}
	}
}

// TestConsoleHistoryCSVAlerts: rows of the CloudTrail console's Event
// history download alert on what the summary columns hold (operation,
// service, outcome): a trail stopped raises "Cloud Audit Logging Disabled",
// the same call refused does not. A console sign-in row does not say
// whether it succeeded (no response element), so the root sign-in rule,
// which needs it, cannot fire on the download.
func TestConsoleHistoryCSVAlerts(t *testing.T) {
	csv := "Event ID,Event time,User name,Event name,Resource type,Resource name,AWS access key,AWS region,Error code,Source IP address,Read-only,Event source\n" +
		"e1,2024-03-14T15:04:30Z,deploy-bot,StopLogging,AWS::CloudTrail::Trail,arn:aws:cloudtrail:eu-west-1:111122223333:trail/org-trail,AKIAEXAMPLEDEPLOY001,eu-west-1,,45.133.1.20,false,cloudtrail.amazonaws.com\n" +
		"e2,2024-03-14T15:05:30Z,deploy-bot,StopLogging,AWS::CloudTrail::Trail,arn:aws:cloudtrail:eu-west-1:111122223333:trail/org-trail,AKIAEXAMPLEDEPLOY001,eu-west-1,AccessDenied,45.133.1.20,false,cloudtrail.amazonaws.com\n"
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "event_history.csv"), []byte(csv), 0o600); err != nil {
		t.Fatal(err)
	}
	eng, err := New(context.Background(), Config{Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	sink := &collectSink{}
	if err := eng.Run(context.Background(), []string{dir}, sink, RunOptions{}); err != nil {
		t.Fatal(err)
	}
	got := alertsOf(sink.alerts, "Cloud Audit Logging Disabled")
	if len(got) != 1 || got[0].Level != LevelHigh || !strings.Contains(string(got[0].Events[0].Record.Raw), `"eventID":"e1"`) {
		t.Fatalf("%d Cloud Audit Logging Disabled alerts, want 1 on e1 at high", len(got))
	}
	for _, a := range sink.alerts {
		if a.Level > LevelLow && strings.Contains(string(a.Events[0].Record.Raw), `"eventID":"e2"`) {
			t.Errorf("%q raised at %v on the refused call", a.Rule.Title, a.Level)
		}
	}
}
