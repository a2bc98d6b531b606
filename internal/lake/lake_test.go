package lake

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vigil-sec/vigil/internal/logs"
)

func corpusLogs(t testing.TB) string {
	t.Helper()
	p := filepath.Join("..", "..", "..", "shared", "corpus", "logs")
	if _, err := os.Stat(p); err != nil {
		t.Skipf("corpus not present (%s): %v", p, err)
	}
	return p
}

var samples = filepath.Join("..", "logs", "testdata", "samples")

// countRecords reads paths with the logs readers and counts events per
// source and the files holding any, so expectations follow the samples.
func countRecords(t testing.TB, paths ...string) (map[logs.Source]int, int) {
	t.Helper()
	per := map[logs.Source]int{}
	files := map[string]bool{}
	err := logs.Walk(context.Background(), paths, func(r logs.Record) error {
		per[r.Source]++
		files[r.File] = true
		return nil
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return per, len(files)
}

func ingest(t testing.TB, l *Lake, paths ...string) (IngestStats, []logs.InputError) {
	t.Helper()
	var errs []logs.InputError
	st, err := l.Ingest(context.Background(), paths, IngestOptions{OnError: func(e logs.InputError) { errs = append(errs, e) }})
	if err != nil {
		t.Fatalf("Ingest: %v", err)
	}
	return st, errs
}

// query returns the rows of q as text cells.
func query(t testing.TB, l *Lake, q string) [][]string {
	t.Helper()
	var out [][]string
	err := l.Query(context.Background(), q, func([]string) error { return nil }, func(vals []any) error {
		r := make([]string, len(vals))
		for i, v := range vals {
			r[i] = Text(v)
		}
		out = append(out, r)
		return nil
	})
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return out
}

func one(t testing.TB, l *Lake, q string) string {
	t.Helper()
	r := query(t, l, q)
	if len(r) != 1 || len(r[0]) != 1 {
		t.Fatalf("%s: want one value, got %v", q, r)
	}
	return r[0][0]
}

func TestIngestQueryAcrossClouds(t *testing.T) {
	l, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	st, errs := ingest(t, l, corpusLogs(t), samples)
	for _, e := range errs {
		if !e.Skipped {
			t.Errorf("input error: %v", e)
		}
	}
	want, _ := countRecords(t, corpusLogs(t), samples)
	if want[logs.AWSCloudTrail] < 2900 || want[logs.AzureActivity] == 0 || want[logs.AzureSignIn] == 0 || want[logs.AzureAudit] == 0 || want[logs.GCPAudit] == 0 {
		t.Fatalf("samples do not cover every source: %v", want)
	}
	all := 0
	for s, n := range want {
		all += n
		if st.Read[s] != n {
			t.Errorf("read %s: %d, want %d", s, st.Read[s], n)
		}
	}
	total := 0
	for _, n := range st.Stored {
		total += n
	}
	if total+st.Duplicates != all {
		t.Errorf("stored %d + duplicates %d does not add up to %d", total, st.Duplicates, all)
	}
	// Per-source counts in SQL match what was stored.
	rows := query(t, l, `SELECT source, cloud_provider, count(*) FROM events GROUP BY ALL ORDER BY source`)
	got := map[string]string{}
	for _, r := range rows {
		got[r[0]+"/"+r[1]] = r[2]
	}
	for s, n := range st.Stored {
		if s == logs.K8sAudit {
			// Kubernetes clusters of every cloud (AKS records name the
			// subscription, EKS users their AWS account) and of none.
			sum := 0
			for _, prov := range []string{"AWS", "Azure", "Kubernetes"} {
				c, _ := strconv.Atoi(got[string(s)+"/"+prov])
				sum += c
			}
			if sum != n || got[string(s)+"/Azure"] == "" || got[string(s)+"/AWS"] == "" {
				t.Errorf("%s: SQL counts %v, stored %d", s, rows, n)
			}
			continue
		}
		prov := map[logs.Source]string{logs.AWSCloudTrail: "AWS", logs.GCPAudit: "GCP", logs.M365Audit: "Microsoft 365"}[s]
		if prov == "" {
			prov = "Azure"
		}
		if got[string(s)+"/"+prov] != itoa(n) {
			t.Errorf("%s: SQL count %q, stored %d (rows %v)", s, got[string(s)+"/"+prov], n, rows)
		}
	}
	// A cross-cloud question: failed operations per provider and actor.
	rows = query(t, l, `SELECT cloud_provider, actor_user_name, api_operation FROM events WHERE status = 'Failure' AND actor_user_name IN ('deploy-bot','j.smith@contoso.com','backup-sa@acme-prod-4821.iam.gserviceaccount.com') ORDER BY time`)
	var lines []string
	for _, r := range rows {
		lines = append(lines, strings.Join(r, "|"))
	}
	wantRows := []string{
		"Azure|j.smith@contoso.com|Sign-in activity",
		"Azure|j.smith@contoso.com|MICROSOFT.COMPUTE/VIRTUALMACHINES/DELETE",
		"GCP|backup-sa@acme-prod-4821.iam.gserviceaccount.com|google.logging.v2.ConfigServiceV2.DeleteSink",
		"AWS|deploy-bot|StopLogging",
	}
	if strings.Join(lines, "\n") != strings.Join(wantRows, "\n") {
		t.Errorf("cross-cloud failures:\n%s\nwant\n%s", strings.Join(lines, "\n"), strings.Join(wantRows, "\n"))
	}
	// Per-source views, partition columns, time type, lists and raw JSON.
	if n := one(t, l, `SELECT count(*) FROM gcp_audit`); n != itoa(st.Stored[logs.GCPAudit]) {
		t.Errorf("gcp_audit view: %s rows", n)
	}
	if d := one(t, l, `SELECT min(date)::VARCHAR FROM aws_cloudtrail WHERE account_uid = '123837392027'`); d != "2023-07-10" {
		t.Errorf("date partition: %s", d)
	}
	if ty := one(t, l, `SELECT typeof(time) FROM events LIMIT 1`); !strings.HasPrefix(ty, "TIMESTAMP") {
		t.Errorf("time column type %s", ty)
	}
	if v := one(t, l, `SELECT json_extract_string(raw, '$.eventName') FROM aws_cloudtrail WHERE event_uid = 'b1c2d3e4-f5a6-4b7c-8d9e-0f1a2b3c4d5e'`); v != "StopLogging" {
		t.Errorf("raw column: %s", v)
	}
	if v := one(t, l, `SELECT resource_uids[1] FROM aws_cloudtrail WHERE event_uid = 'b1c2d3e4-f5a6-4b7c-8d9e-0f1a2b3c4d5e'`); v != "arn:aws:cloudtrail:eu-west-1:111122223333:trail/org-trail" {
		t.Errorf("resource_uids: %s", v)
	}
	if v := one(t, l, `SELECT json_extract(ocsf, '$.class_uid')::INT FROM azure_signinlogs WHERE status = 'Success' LIMIT 1`); v != "3002" {
		t.Errorf("ocsf column: %s", v)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// Part files hold their rows by time, then event hash.
func TestSortOrder(t *testing.T) {
	at := func(ms int64) time.Time { return time.UnixMilli(ms).UTC() }
	rows := []Row{{Time: at(30), EventHash: "a"}, {Time: at(10), EventHash: "c"}, {Time: at(10), EventHash: "b"},
		{Time: at(20), EventHash: "z"}, {Time: at(10).Add(time.Nanosecond), EventHash: "a"},
		// Equal in their first 16 characters: the rest decides.
		{Time: at(40), EventHash: "0123456789abcdef9"}, {Time: at(40), EventHash: "0123456789abcdef1"},
		{Time: time.Unix(-86400, 5).UTC(), EventHash: "y"}}
	order := sortOrder(rows)
	var got []string
	for _, i := range order {
		got = append(got, rows[i].EventHash)
	}
	want := "y b c a z a 0123456789abcdef1 0123456789abcdef9"
	if strings.Join(got, " ") != want {
		t.Fatalf("order %v, want %s", got, want)
	}
	sorted := make([]Row, len(rows))
	for i, k := range order {
		sorted[i] = rows[k]
	}
	if again := sortOrder(sorted); again != nil {
		t.Fatalf("sorted rows given an order %v", again)
	}
}
