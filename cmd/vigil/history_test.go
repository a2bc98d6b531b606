package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestHistoryAndDiff records the sample organisation, then three saved
// reports of one source (the second without one failing finding), and
// checks runs, lifecycle, suppression, trend and diff with their exit
// statuses.
func TestHistoryAndDiff(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "h.db")

	if code, _ := runCLI(t, "history", "runs", "--db", db); code != 2 {
		t.Errorf("runs without a history: exit %d, want 2", code)
	}
	if _, err := os.Stat(db); err == nil {
		t.Error("a reading command created the history")
	}

	code, out := runCLI(t, "history", "record", sampleOrg, "--db", db, "--now", "2026-11-20", "--format", "json")
	if code != 0 {
		t.Fatalf("record: exit %d: %s", code, out)
	}
	var run struct {
		ID     int64  `json:"id"`
		Source string `json:"source"`
		Status string `json:"status"`
		Fail   int    `json:"fail"`
		New    int    `json:"new"`
	}
	if err := json.Unmarshal([]byte(out), &run); err != nil || run.ID != 1 || run.Status != "complete" || run.New == 0 || run.New != run.Fail ||
		!strings.HasSuffix(run.Source, filepath.Join("examples", "org")) {
		t.Fatalf("first run: %+v (%v)", run, err)
	}

	// A saved report, and the same report without its first failing finding.
	full := filepath.Join(dir, "full.json")
	if code, _ := runCLI(t, "scan", sampleOrg, "--now", "2026-11-21", "--format", "json", "--output", full); code != 0 {
		t.Fatalf("scan: exit %d", code)
	}
	var doc map[string]json.RawMessage
	raw, _ := os.ReadFile(full)
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	var fs []map[string]any
	json.Unmarshal(doc["findings"], &fs)
	gone := -1
	for i, f := range fs {
		if f["status"] == "FAIL" {
			gone = i
			break
		}
	}
	goneRule, goneRes := fs[gone]["rule_id"].(string), fs[gone]["resource"].(map[string]any)["id"].(string)
	fewer := filepath.Join(dir, "fewer.json")
	doc["findings"], _ = json.Marshal(append(fs[:gone:gone], fs[gone+1:]...))
	b, _ := json.Marshal(doc)
	os.WriteFile(fewer, b, 0o644)

	for _, rep := range []string{full, fewer, full} {
		if code, out := runCLI(t, "history", "record", "--report", rep, "--source", "org", "--db", db); code != 0 {
			t.Fatalf("record --report %s: exit %d: %s", rep, code, out)
		}
	}
	if code, _ := runCLI(t, "history", "record", "--report", full, "--db", db); code != 2 {
		t.Errorf("--report without --source: exit %d, want 2", code)
	}

	code, out = runCLI(t, "history", "runs", "--db", db, "--format", "json")
	var runs []struct {
		ID       int64  `json:"id"`
		Source   string `json:"source"`
		New      int    `json:"new"`
		Reopened int    `json:"reopened"`
		Resolved int    `json:"resolved"`
	}
	if err := json.Unmarshal([]byte(out), &runs); code != 0 || err != nil || len(runs) != 4 {
		t.Fatalf("runs: exit %d, %v: %s", code, err, out)
	}
	if r := runs[0]; r.ID != 4 || r.Reopened != 1 || r.New != 0 || r.Resolved != 0 {
		t.Errorf("run 4: %+v", r)
	}
	if r := runs[1]; r.ID != 3 || r.Resolved != 1 || r.New != 0 {
		t.Errorf("run 3: %+v", r)
	}

	// diff: resolved only (exit 0), reopened (exit 1), a missing run (exit 2).
	code, out = runCLI(t, "diff", "2", "3", "--db", db)
	if code != 0 || !strings.Contains(out, "0 new, 0 reopened, 1 resolved") || !strings.Contains(out, goneRes) {
		t.Errorf("diff 2 3: exit %d\n%s", code, out)
	}
	code, out = runCLI(t, "diff", "previous", "latest", "--db", db, "--format", "json")
	var d struct {
		Reopened []struct {
			RuleID     string `json:"rule_id"`
			ResourceID string `json:"resource_id"`
		} `json:"reopened"`
		Unchanged int `json:"unchanged"`
	}
	if err := json.Unmarshal([]byte(out), &d); code != 1 || err != nil || len(d.Reopened) != 1 || d.Reopened[0].RuleID != goneRule || d.Unchanged == 0 {
		t.Errorf("diff previous latest: exit %d (want 1), %v: %+v", code, err, d)
	}
	for _, args := range [][]string{{"diff", "2", "99"}, {"diff", "x", "2"}} {
		if code, _ := runCLI(t, append(args, "--db", db)...); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}

	// The reopened finding, then muted.
	code, out = runCLI(t, "history", "findings", "--db", db, "--state", "reopened", "--format", "json")
	var page struct {
		Total    int `json:"total"`
		Findings []struct {
			State      string `json:"state"`
			ResourceID string `json:"resource_id"`
			Reopened   int    `json:"reopened"`
		} `json:"findings"`
	}
	if err := json.Unmarshal([]byte(out), &page); code != 0 || err != nil || page.Total != 1 || page.Findings[0].ResourceID != goneRes || page.Findings[0].Reopened != 1 {
		t.Errorf("findings --state reopened: exit %d, %v: %s", code, err, out)
	}
	if code, _ := runCLI(t, "history", "suppress", "--db", db, "--rule", goneRule, "--resource", goneRes, "--reason", "accepted"); code != 2 {
		t.Errorf("suppress without an owner: exit %d, want 2", code)
	}
	if code, out := runCLI(t, "history", "suppress", "--db", db, "--rule", goneRule, "--resource", goneRes, "--reason", "accepted", "--owner", "secops",
		"--expires", "2099-01-01", "--source", "org"); code != 0 || !strings.Contains(out, "1 failing finding(s) muted") {
		t.Errorf("suppress: exit %d: %s", code, out)
	}
	code, out = runCLI(t, "history", "findings", "--db", db, "--state", "suppressed")
	if code != 0 || !strings.Contains(out, goneRes) || !strings.Contains(out, "suppressed") {
		t.Errorf("findings --state suppressed: exit %d: %s", code, out)
	}
	if code, out := runCLI(t, "history", "findings", "--db", db, "--group-by", "rule", "--format", "json"); code != 0 || !strings.Contains(out, `"worst_severity"`) {
		t.Errorf("findings --group-by rule: exit %d: %s", code, out)
	}
	if code, _ := runCLI(t, "history", "findings", "--db", db, "--state", "gone"); code != 2 {
		t.Errorf("an unknown state: exit %d, want 2", code)
	}

	// Trend: four runs overall; only org's three; a control needs its framework.
	code, out = runCLI(t, "history", "trend", "--db", db, "--format", "json")
	var pts []struct {
		RunID int64    `json:"run_id"`
		Score *float64 `json:"score"`
	}
	if err := json.Unmarshal([]byte(out), &pts); code != 0 || err != nil || len(pts) != 4 || pts[0].Score == nil {
		t.Errorf("trend: exit %d, %v: %s", code, err, out)
	}
	if code, out := runCLI(t, "history", "trend", "--db", db, "--source", "org", "--framework", "soc2"); code != 0 || strings.Count(out, "\n") != 4 {
		t.Errorf("trend --framework soc2: exit %d:\n%s", code, out)
	}
	if code, _ := runCLI(t, "history", "trend", "--db", db, "--control", "CC6.1"); code != 2 {
		t.Errorf("trend --control without --framework: exit %d, want 2", code)
	}
}

// TestHistoryTableEscapesCloudData records a report whose resource ID
// carries a terminal escape and a newline: the tables print it on one line,
// without the escape; JSON keeps it exactly.
func TestHistoryTableEscapesCloudData(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "h.db")
	hostile := "arn:aws:s3:::b\x1b[2J\nFAKE  CRITICAL  row"
	rep, _ := json.Marshal(map[string]any{
		"findings": []map[string]any{{"rule_id": "r1", "title": "t", "severity": "HIGH", "status": "FAIL",
			"resource": map[string]any{"id": hostile, "type": "aws_s3_bucket", "provider": "aws", "account": "1\t2", "region": "", "name": ""}}},
		"summary": map[string]any{"generated_at": "2026-11-20T00:00:00Z"},
	})
	path := filepath.Join(dir, "rep.json")
	os.WriteFile(path, rep, 0o644)
	if code, out := runCLI(t, "history", "record", "--report", path, "--source", "s", "--db", db); code != 0 {
		t.Fatalf("record: exit %d: %s", code, out)
	}
	code, out := runCLI(t, "history", "findings", "--db", db)
	if code != 0 || strings.Contains(out, "\x1b") || strings.Count(out, "\n") != 2 || !strings.Contains(out, "FAKE") {
		t.Errorf("table: exit %d: %q", code, out)
	}
	code, out = runCLI(t, "history", "findings", "--db", db, "--format", "json")
	var page struct {
		Findings []struct {
			ResourceID string `json:"resource_id"`
		} `json:"findings"`
	}
	if err := json.Unmarshal([]byte(out), &page); code != 0 || err != nil || len(page.Findings) != 1 || page.Findings[0].ResourceID != hostile {
		t.Errorf("json: exit %d, %v: %q", code, err, out)
	}
	if code, _ := runCLI(t, "history", "record", "--report", filepath.Join(dir, "h.db"), "--source", "s", "--db", db); code != 2 {
		t.Errorf("a report that is not JSON: exit %d, want 2", code)
	}
}
