package subjects

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vigil-sec/vigil/internal/detect"
	"github.com/vigil-sec/vigil/internal/finding"
	"github.com/vigil-sec/vigil/internal/report"
	"github.com/vigil-sec/vigil/internal/resource"
	"github.com/vigil-sec/vigil/internal/respond"
)

func sampleFindings() []finding.Finding {
	rule := finding.RuleInfo{ID: "storage-public-access", Title: "Bucket is public", Severity: finding.Critical, Category: "exposure",
		Frameworks: map[string][]string{"cis-aws-7.0": {"3.1.4"}}}
	pub := resource.Ref{ID: "arn:aws:s3:::nw-public", Type: "AWS::S3::Bucket", Provider: resource.AWS, Account: "111122223333",
		Region: "eu-west-1", Name: "nw-public", Tags: map[string]string{"owner": "data@example.com", "env": "prod"}}
	gcs := resource.Ref{ID: "//storage.googleapis.com/nw-raw", Type: "storage.googleapis.com/Bucket", Provider: resource.GCP,
		Account: "nw-analytics-prod", Region: "europe-west1", Name: "nw-raw"}
	ok := resource.Ref{ID: "arn:aws:s3:::nw-private", Type: "AWS::S3::Bucket", Provider: resource.AWS, Account: "111122223333", Name: "nw-private"}
	muted := rule.New(gcs, finding.Fail, "muted", rule.References())
	muted.Resource.ID += "-muted"
	muted.Suppressed = &finding.Suppression{Reason: "public website"}
	return []finding.Finding{
		rule.New(pub, finding.Fail, "public by policy", rule.References()),
		rule.New(gcs, finding.Fail, "allUsers", rule.References()),
		rule.New(ok, finding.Pass, "", rule.References()),
		muted,
	}
}

func writeReport(t *testing.T, format string) string {
	t.Helper()
	fs := sampleFindings()
	r := report.Build(fs, []finding.RuleInfo{fs[0].Rule()}, time.Date(2026, 12, 5, 0, 0, 0, 0, time.UTC))
	var buf bytes.Buffer
	if err := report.Write(context.Background(), &buf, format, r); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "findings."+format)
	if err := os.WriteFile(p, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestFindingFormatsAgree: the JSON report, the OCSF array and OCSF JSON
// lines of one scan give the same subjects: the active failures, with the
// stable finding UID, the resource and (JSON report) its tags.
func TestFindingFormatsAgree(t *testing.T) {
	var want []*respond.Subject
	for _, format := range []string{"json", "ocsf", "ocsf-jsonl"} {
		got, probs := ReadFile(writeReport(t, format), Options{})
		if len(probs) > 0 {
			t.Fatalf("%s: %v", format, probs)
		}
		if len(got) != 2 {
			t.Fatalf("%s: %d subjects, want the 2 active failures", format, len(got))
		}
		if got[0].Provider == "gcp" { // worst first, then by resource ID
			got[0], got[1] = got[1], got[0]
		}
		s := got[0]
		if s.Kind != "finding" || s.Rule != "storage-public-access" || s.Severity != "CRITICAL" || s.Status != "FAIL" ||
			s.Provider != "aws" || s.Account != "111122223333" || s.Region != "eu-west-1" ||
			s.Resource.ID != "arn:aws:s3:::nw-public" || s.Resource.Name != "nw-public" || s.Raw == nil {
			t.Errorf("%s: subject %+v", format, s)
		}
		if got[1].Provider != "gcp" || got[1].Resource.ID != "//storage.googleapis.com/nw-raw" {
			t.Errorf("%s: second subject %+v", format, got[1])
		}
		if format == "json" {
			if s.Resource.Tags["owner"] != "data@example.com" {
				t.Errorf("json: tags %v", s.Resource.Tags)
			}
			want = got
			continue
		}
		for i := range got {
			if got[i].ID != want[i].ID {
				t.Errorf("%s: subject %d id %s, the JSON report's %s", format, i, got[i].ID, want[i].ID)
			}
		}
	}
	all, _ := ReadFile(writeReport(t, "json"), Options{All: true})
	if len(all) != 4 {
		t.Errorf("All: %d subjects, want 4", len(all))
	}
}

// TestAlerts reads vigil detect's alerts (OCSF Detection Findings): rule,
// level, ATT&CK technique, actor, source IP, account.
func TestAlerts(t *testing.T) {
	b, err := os.ReadFile("../../detect/testdata/invictus_alerts.golden")
	if err != nil {
		t.Skip("no detect golden alerts:", err)
	}
	// The golden file holds indented alerts one after another; vigil
	// detect writes one per line.
	var lines bytes.Buffer
	dec := json.NewDecoder(bytes.NewReader(b))
	n := 0
	for {
		var v json.RawMessage
		if err := dec.Decode(&v); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		json.Compact(&lines, v)
		lines.WriteByte('\n')
		n++
	}
	p := filepath.Join(t.TempDir(), "alerts.jsonl")
	os.WriteFile(p, lines.Bytes(), 0o600)
	got, probs := ReadFile(p, Options{})
	if len(probs) > 0 || len(got) != n || n == 0 {
		t.Fatalf("%d subjects of %d alerts, problems %v", len(got), n, probs)
	}
	s := got[0]
	if s.Kind != "alert" || s.Rule != "vigil_aws_leave_organization_failed" || s.Level != "low" || s.Severity != "LOW" ||
		s.Account != "123837392027" || s.Provider != "aws" || s.SourceIP != "192.168.10.20" ||
		!strings.HasPrefix(s.Principal, "arn:aws:sts::123837392027:assumed-role/") || len(s.Techniques) == 0 || s.Techniques[0] != "T1562.008" {
		t.Errorf("alert subject: %+v", s)
	}
}

// TestBadInput: a broken line is named by file and line and the rest is
// read; an unknown format is refused.
func TestBadInput(t *testing.T) {
	good, _ := os.ReadFile(writeReport(t, "ocsf-jsonl"))
	lines := strings.SplitAfter(string(good), "\n")
	broken := lines[0] + "{not json\n" + `{"class_uid": 3002}` + "\n" + strings.Join(lines[1:], "")
	p := filepath.Join(t.TempDir(), "broken.jsonl")
	os.WriteFile(p, []byte(broken), 0o600)
	got, probs := ReadFile(p, Options{})
	if len(got) != 2 || len(probs) != 2 {
		t.Fatalf("%d subjects, problems %v", len(got), probs)
	}
	if !strings.Contains(probs[0].Error(), "broken.jsonl:2:") || !strings.Contains(probs[1].Error(), "broken.jsonl:3: OCSF class 3002") {
		t.Errorf("problems: %v", probs)
	}
	other := filepath.Join(t.TempDir(), "other.json")
	os.WriteFile(other, []byte(`{"hello": "world"}`), 0o600)
	if _, probs := ReadFile(other, Options{}); len(probs) != 1 || !errors.Is(probs[0], ErrNotRecognised) {
		t.Errorf("unknown document: %v", probs)
	}
	trunc := filepath.Join(t.TempDir(), "trunc.json")
	os.WriteFile(trunc, []byte("{\n \"findings\": [\n  {\"rule_id\": "), 0o600)
	if _, probs := ReadFile(trunc, Options{}); len(probs) != 1 || !strings.Contains(probs[0].Error(), "trunc.json:3:") {
		t.Errorf("truncated document: %v", probs)
	}
}

// TestReadJSONLFollow: only complete lines are read; the offset lets a
// later call go on where the file grew.
func TestReadJSONLFollow(t *testing.T) {
	good, _ := os.ReadFile(writeReport(t, "ocsf-jsonl"))
	lines := strings.SplitAfter(string(good), "\n")
	partial := lines[0] + lines[1][:20]
	var seen []string
	off, err := ReadJSONL(context.Background(), strings.NewReader(partial), 0, Options{All: true}, func(_ int, s *respond.Subject, err error) error {
		if err != nil {
			t.Fatal(err)
		}
		seen = append(seen, s.ID)
		return nil
	})
	if err != nil || len(seen) != 1 || off != int64(len(lines[0])) {
		t.Fatalf("partial: seen %d, off %d, err %v", len(seen), off, err)
	}
	rest := strings.Join(lines[1:], "")
	off2, err := ReadJSONL(context.Background(), strings.NewReader(rest), off, Options{All: true}, func(_ int, s *respond.Subject, err error) error {
		seen = append(seen, s.ID)
		return err
	})
	if err != nil || len(seen) != 4 || off2 != int64(len(good)) {
		t.Fatalf("rest: seen %d, off %d of %d, err %v", len(seen), off2, len(good), err)
	}
}

func FuzzRead(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/*")
	for _, s := range seeds {
		if b, err := os.ReadFile(s); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte(`{"findings":[{"rule_id":"r","resource":{"id":"x"},"status":"FAIL"}]}`))
	f.Add([]byte("{\"class_uid\":2004,\"finding_info\":{\"uid\":\"u\",\"attacks\":[{\"technique\":{\"uid\":\"T1\"}}]}}\n{}\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		p := filepath.Join(t.TempDir(), "in")
		os.WriteFile(p, b, 0o600)
		got, _ := ReadFile(p, Options{All: true})
		for _, s := range got {
			if s == nil || s.ID == "" && s.Kind == "alert" {
				t.Fatalf("bad subject %+v", s)
			}
		}
	})
}

// TestTunedAlert: an alert whose level vigil detect's tuning changed is
// read at its effective level (the trigger's levels select on it), with
// its ATT&CK sub-technique; attacks at the top level (OCSF before 1.1)
// are read too.
func TestTunedAlert(t *testing.T) {
	a := detect.NewAlert(&detect.RuleInfo{ID: "r-1", Name: "key_created", Title: "Access key created", Level: "low",
		Tags: []string{"attack.persistence", "attack.t1098.001"}}, detect.LevelHigh, "", nil, "test")
	b, err := detect.MarshalFinding(&a)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	json.Unmarshal(b, &m)
	fi := m["finding_info"].(map[string]any)
	m["attacks"] = fi["attacks"]
	delete(fi, "attacks")
	old, _ := json.Marshal(m)
	p := filepath.Join(t.TempDir(), "alerts.jsonl")
	os.WriteFile(p, append(append(append(b, '\n'), old...), '\n'), 0o600)
	got, probs := ReadFile(p, Options{})
	if len(probs) > 0 || len(got) != 2 {
		t.Fatalf("%d subjects, problems %v", len(got), probs)
	}
	for i, s := range got {
		if s.Kind != "alert" || s.Level != "high" || s.Severity != "HIGH" || s.Rule != "key_created" || !slices.Contains(s.Techniques, "T1098.001") {
			t.Errorf("alert %d: %+v", i+1, s)
		}
	}
}
