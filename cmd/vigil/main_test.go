package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// runCLI runs vigil in-process and returns its exit status and stdout.
func runCLI(t *testing.T, args ...string) (int, string) {
	t.Helper()
	out := filepath.Join(t.TempDir(), "stdout")
	f, err := os.Create(out)
	if err != nil {
		t.Fatal(err)
	}
	old := os.Stdout
	os.Stdout = f
	code := run(context.Background(), args)
	os.Stdout = old
	f.Close()
	data, _ := os.ReadFile(out)
	return code, string(data)
}

const sampleOrg = "../../examples/org"

func TestScanJSONFields(t *testing.T) {
	code, out := runCLI(t, "scan", sampleOrg, "--format", "json", "--now", "2026-11-24")
	if code != 0 {
		t.Fatalf("exit %d, want 0", code)
	}
	var doc struct {
		Findings []struct {
			RuleID   string `json:"rule_id"`
			Status   string `json:"status"`
			Severity string `json:"severity"`
			Resource struct {
				ID       string `json:"id"`
				Provider string `json:"provider"`
			} `json:"resource"`
		} `json:"findings"`
		Summary map[string]any `json:"summary"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("output is not the JSON document: %v", err)
	}
	if len(doc.Findings) == 0 || doc.Summary == nil {
		t.Fatal("no findings or no summary")
	}
	providers := map[string]bool{}
	for _, f := range doc.Findings {
		if f.RuleID == "" || f.Status == "" || f.Severity == "" || f.Resource.ID == "" || f.Resource.Provider == "" {
			t.Fatalf("finding missing a required field: %+v", f)
		}
		providers[f.Resource.Provider] = true
	}
	for _, p := range []string{"aws", "azure", "gcp"} {
		if !providers[p] {
			t.Errorf("no findings for %s", p)
		}
	}
}

func TestScanFailOnAndFilters(t *testing.T) {
	if code, _ := runCLI(t, "scan", sampleOrg, "--fail-on", "critical", "--format", "csv"); code != exitFindings {
		t.Errorf("--fail-on critical: exit %d, want %d", code, exitFindings)
	}
	// Filtering to a status with no failures, the gate does not trip.
	if code, _ := runCLI(t, "scan", sampleOrg, "--fail-on", "low", "--status", "pass", "--format", "csv"); code != 0 {
		t.Errorf("--status pass --fail-on low: exit %d, want 0", code)
	}
	code, out := runCLI(t, "scan", sampleOrg, "--provider", "gcp", "--severity", "critical", "--format", "csv")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	for _, l := range lines[1:] {
		if !strings.Contains(l, "gcp") || !strings.Contains(l, "CRITICAL") {
			t.Errorf("filtered CSV has a row outside --provider gcp --severity critical: %s", l)
		}
	}
	if code, _ := runCLI(t, "scan", sampleOrg, "--format", "yaml"); code != exitUsage {
		t.Errorf("bad --format: exit %d, want %d", code, exitUsage)
	}
	if code, _ := runCLI(t, "scan", "does-not-exist"); code != exitUsage {
		t.Errorf("missing input: exit %d, want %d", code, exitUsage)
	}
}

func TestScanMalformedInputContinues(t *testing.T) {
	dir := t.TempDir()
	good := `{"fileVersion":"1.0","configSnapshotId":"x","configurationItems":[{"configurationItemVersion":"1.3","configurationItemCaptureTime":"2026-11-23T00:00:00.000Z","configurationItemStatus":"OK","awsAccountId":"111122223333","awsRegion":"us-east-1","resourceType":"AWS::S3::Bucket","resourceId":"good-bucket","resourceName":"good-bucket","ARN":"arn:aws:s3:::good-bucket","configuration":{"name":"good-bucket"},"supplementaryConfiguration":{"PublicAccessBlockConfiguration":{"blockPublicAcls":false,"ignorePublicAcls":false,"blockPublicPolicy":false,"restrictPublicBuckets":false}}}]}`
	os.WriteFile(filepath.Join(dir, "good.json"), []byte(good), 0o644)
	os.WriteFile(filepath.Join(dir, "broken.json"), []byte(`{"fileVersion":"1.0","configurationItems":[{"resourceType":"AWS::S3::Bucket",`), 0o644)
	code, out := runCLI(t, "scan", dir, "--format", "json")
	if code != exitUsage {
		t.Errorf("exit %d, want %d for an unreadable input", code, exitUsage)
	}
	if !strings.Contains(out, "arn:aws:s3:::good-bucket") {
		t.Error("the readable file was not scanned")
	}
	if !strings.Contains(out, "broken.json") {
		t.Error("the summary does not name the broken file")
	}
}

func TestCustomRulesPickedUp(t *testing.T) {
	dir := t.TempDir()
	rule := `# METADATA
# title: Buckets carry a data-classification tag
# scope: package
# custom:
#   id: org-bucket-classification-tag
#   severity: low
#   category: governance
#   class: object_storage
#   providers: [aws, azure, gcp]
package vigil.rules.org_bucket_classification_tag

fail contains r.id if {
	some r in input.resources.object_storage
	not r.tags["data-classification"]
}
`
	test := `package vigil.rules.org_bucket_classification_tag_test

import data.vigil.rules.org_bucket_classification_tag as rule

test_fail_untagged if {
	"b" in rule.fail with input as {"resources": {"object_storage": [{"id": "b", "provider": "aws", "tags": {}}]}}
}

test_pass_tagged if {
	not "b" in rule.fail with input as {"resources": {"object_storage": [{"id": "b", "provider": "gcp", "tags": {"data-classification": "public"}}]}}
}
`
	os.WriteFile(filepath.Join(dir, "classification.rego"), []byte(rule), 0o644)
	os.WriteFile(filepath.Join(dir, "classification_test.rego"), []byte(test), 0o644)

	code, out := runCLI(t, "rules", "--rules", dir, "--format", "json")
	if code != 0 || !strings.Contains(out, `"org-bucket-classification-tag"`) {
		t.Fatalf("vigil rules --rules: exit %d, custom rule listed: %v", code, strings.Contains(out, "org-bucket"))
	}
	code, out = runCLI(t, "scan", sampleOrg, "--rules", dir, "--rule", "org-bucket-classification-tag", "--format", "json")
	if code != 0 || !strings.Contains(out, `"rule_id": "org-bucket-classification-tag"`) && !strings.Contains(out, `"rule_id":"org-bucket-classification-tag"`) {
		t.Fatalf("scan --rules: exit %d; custom rule produced no findings", code)
	}
	if code, out = runCLI(t, "rules", "test", dir); code != 0 || !strings.Contains(out, "PASS: 2/2 tests; 1/1 rules") {
		t.Fatalf("rules test: exit %d, output:\n%s", code, out)
	}
	os.WriteFile(filepath.Join(dir, "broken_test.rego"), []byte("package vigil.rules.broken_test\ntest_fail_wrong if { 1 == 2 }\n"), 0o644)
	if code, _ = runCLI(t, "rules", "test", dir); code != exitFindings {
		t.Fatalf("rules test with a failing case: exit %d, want %d", code, exitFindings)
	}
}

func TestRulesList(t *testing.T) {
	code, out := runCLI(t, "rules", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	var doc struct {
		Rules []struct {
			ID         string              `json:"id"`
			Severity   string              `json:"severity"`
			Providers  []string            `json:"providers"`
			Frameworks map[string][]string `json:"frameworks"`
		} `json:"rules"`
	}
	if err := json.NewDecoder(bytes.NewReader([]byte(out))).Decode(&doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Rules) < 45 {
		t.Errorf("%d built-in rules, want at least 45", len(doc.Rules))
	}
	perProvider := map[string]int{}
	for _, r := range doc.Rules {
		for _, p := range r.Providers {
			perProvider[p]++
		}
	}
	for _, p := range []string{"aws", "azure", "gcp"} {
		if perProvider[p] < 12 {
			t.Errorf("%s: %d rules, want at least 12", p, perProvider[p])
		}
	}
}

// TestDetectM365 runs SigmaHQ's Microsoft 365 rules over vigil's M365 audit
// samples: alerts fire, carry the event time (CreationTime has no zone) and
// name the rule's author.
func TestDetectM365(t *testing.T) {
	rules := "../../../shared/corpus/sigma-cloud/m365"
	if _, err := os.Stat(rules); err != nil {
		t.Skipf("SigmaHQ corpus not present at %s: %v", rules, err)
	}
	out := filepath.Join(t.TempDir(), "alerts.jsonl")
	code, _ := runCLI(t, "detect", "../../internal/logs/testdata/samples/m365_audit.json",
		"../../internal/logs/testdata/samples/m365_audit_alerts.jsonl", "--rules", rules, "--output", out, "--min-level", "informational")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	if len(lines) == 0 || lines[0] == "" {
		t.Fatal("no alerts on the M365 samples")
	}
	for _, l := range lines {
		var a struct {
			Time  int64 `json:"time"`
			Cloud struct {
				Provider string `json:"provider"`
			} `json:"cloud"`
		}
		if err := json.Unmarshal([]byte(l), &a); err != nil {
			t.Fatal(err)
		}
		if a.Time <= 0 {
			t.Errorf("alert without event time: %.200s", l)
		}
	}
}

// TestLogsIngestAndQuery drives the SIEM commands end to end: ingest the
// bundled audit-log samples of every source (twice: the second run stores
// nothing), then ask one SQL question across clouds in each output format.
func TestLogsIngestAndQuery(t *testing.T) {
	lake := t.TempDir()
	samples := "../../internal/logs/testdata/samples"
	if code, _ := runCLI(t, "logs", "ingest", "--lake", lake, samples); code != 0 {
		t.Fatalf("ingest: exit %d", code)
	}
	q := "SELECT cloud_provider, count(*) AS n FROM events GROUP BY cloud_provider ORDER BY cloud_provider"
	code, out := runCLI(t, "query", "--lake", lake, "--format", "csv", q)
	if code != 0 {
		t.Fatalf("query: exit %d", code)
	}
	for _, p := range []string{"AWS,", "Azure,", "GCP,", "Microsoft 365,"} {
		if !strings.Contains(out, p) {
			t.Errorf("query output has no %q row:\n%s", p, out)
		}
	}
	if code, again := runCLI(t, "logs", "ingest", "--lake", lake, samples); code != 0 || !strings.Contains(again, "already ingested") {
		t.Errorf("second ingest: exit %d, output:\n%s", code, again)
	}
	_, out2 := runCLI(t, "query", "--lake", lake, "--format", "csv", q)
	if out2 != out {
		t.Errorf("counts changed after re-ingest:\n%s\nthen\n%s", out, out2)
	}
	code, js := runCLI(t, "query", "--lake", lake, "--format", "json", "SELECT count(*) AS n FROM m365_audit")
	if code != 0 || !strings.Contains(js, `"n"`) {
		t.Errorf("json query: exit %d, output %q", code, js)
	}
	if code, _ := runCLI(t, "query", "--lake", lake, "SELECT * FROM no_such_table"); code != exitUsage {
		t.Errorf("bad SQL: exit %d, want %d", code, exitUsage)
	}
	// A truncated gzip is reported, the rest ingested, exit 2.
	bad := t.TempDir()
	os.WriteFile(filepath.Join(bad, "trail.json.gz"), []byte{0x1f, 0x8b, 0x08, 0x00, 0x00}, 0o644)
	if code, _ := runCLI(t, "logs", "ingest", "--lake", t.TempDir(), bad, samples); code != exitUsage {
		t.Errorf("truncated gzip: exit %d, want %d", code, exitUsage)
	}
}

// TestScanSARIFNamesExportFiles: the scan gathers the resources' source
// files only for SARIF (scan.Options.NoSources otherwise), and SARIF
// names each finding's export file when the path is relative.
func TestScanSARIFNamesExportFiles(t *testing.T) {
	_, out := runCLI(t, "scan", sampleOrg, "--format", "sarif", "--now", "2026-11-24")
	var doc struct {
		Runs []struct {
			Results []struct {
				Locations []struct {
					PhysicalLocation *struct {
						ArtifactLocation struct {
							URI string `json:"uri"`
						} `json:"artifactLocation"`
					} `json:"physicalLocation"`
				} `json:"locations"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("output is not SARIF: %v", err)
	}
	if len(doc.Runs) != 1 || len(doc.Runs[0].Results) == 0 {
		t.Fatal("no results")
	}
	// Findings on resources of no file (the identity analysis's
	// principals synthesized from several) have none.
	placed := 0
	for _, r := range doc.Runs[0].Results {
		if len(r.Locations) == 0 || r.Locations[0].PhysicalLocation == nil {
			continue
		}
		if uri := r.Locations[0].PhysicalLocation.ArtifactLocation.URI; !strings.Contains(uri, "examples/org/") {
			t.Fatalf("a result placed in %q, not an export file of the sample organization", uri)
		}
		placed++
	}
	if placed < len(doc.Runs[0].Results)/2 {
		t.Fatalf("%d of %d results name their export file", placed, len(doc.Runs[0].Results))
	}
}
