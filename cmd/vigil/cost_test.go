package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestCostCLI: the sample exports ingest (again: nothing stored), query
// through vigil query, and vigil cost anomalies finds the planted spike
// correlated with the GPU launch alert; an empty input is exit 2.
func TestCostCLI(t *testing.T) {
	dir := t.TempDir()
	code, out := runCLI(t, "cost", "ingest", "--lake", dir, sampleOrg+"/billing")
	if code != 0 || !strings.Contains(out, "rows stored: 1132") {
		t.Fatalf("ingest: exit %d\n%s", code, out)
	}
	code, out = runCLI(t, "cost", "ingest", "--lake", dir, sampleOrg+"/billing")
	if code != 0 || !strings.Contains(out, "already ingested: 4, rows stored: 0") {
		t.Errorf("second ingest: exit %d\n%s", code, out)
	}
	code, out = runCLI(t, "query", "--lake", dir, "--format", "csv", "SELECT format, count(*) FROM cost GROUP BY 1 ORDER BY 1")
	if code != 0 || out != "format,count_star()\nazure,264\ncur2,316\nfocus,288\ngcp,264\n" {
		t.Errorf("query: exit %d\n%s", code, out)
	}
	code, out = runCLI(t, "cost", "anomalies", "--lake", dir, "--format", "json",
		"--alerts", "../../internal/cost/testdata/correlation/alerts.jsonl")
	var doc struct {
		Findings []struct {
			RuleID   string `json:"rule_id"`
			Severity string `json:"severity"`
			Alerts   []any  `json:"alerts"`
		} `json:"findings"`
	}
	if err := json.Unmarshal([]byte(out), &doc); code != 0 || err != nil || len(doc.Findings) != 1 ||
		doc.Findings[0].RuleID != "cost-anomaly-correlated" || doc.Findings[0].Severity != "HIGH" || len(doc.Findings[0].Alerts) != 1 {
		t.Errorf("anomalies: exit %d, %v\n%s", code, err, out)
	}
	if code, _ := runCLI(t, "cost", "ingest", "--lake", dir, t.TempDir()); code != 2 {
		t.Errorf("nothing to ingest: exit %d, want 2", code)
	}
	if code, _ := runCLI(t, "cost", "report", "--lake", t.TempDir()); code != 2 {
		t.Errorf("report of an empty lake: exit %d, want 2", code)
	}
}
