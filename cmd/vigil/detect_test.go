package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeFile(t *testing.T, path, data string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

const detectTestTrail = `{"Records":[{"eventVersion":"1.08","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/alice","accountId":"111122223333","userName":"alice"},"eventTime":"2024-03-01T10:00:00Z","eventSource":"organizations.amazonaws.com","eventName":"LeaveOrganization","awsRegion":"us-east-1","sourceIPAddress":"198.51.100.7","userAgent":"aws-cli/2","eventID":"11111111-1111-4111-8111-111111111111","eventType":"AwsApiCall","recipientAccountId":"111122223333"}]}`

func TestDetectExitCodes(t *testing.T) {
	dir := t.TempDir()
	logs := filepath.Join(dir, "logs")
	os.Mkdir(logs, 0o755)
	writeFile(t, filepath.Join(logs, "trail.json"), detectTestTrail)
	rules := filepath.Join(dir, "rules")
	os.Mkdir(rules, 0o755)
	writeFile(t, filepath.Join(rules, "broken.yml"), "title: broken\ndetection: [\n")
	out := filepath.Join(dir, "alerts.jsonl")
	ctx := context.Background()

	// Alerts fire (built-in "AWS Account Leaves Organization", high): exit 0;
	// the broken rule is reported and the rest runs.
	if code := run(ctx, []string{"detect", logs, "--rules", rules, "--output", out}); code != 0 {
		t.Fatalf("exit %d, want 0", code)
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 16<<20)
	for sc.Scan() {
		var finding struct {
			ClassUID    int `json:"class_uid"`
			FindingInfo struct {
				Title string `json:"title"`
			} `json:"finding_info"`
		}
		if err := json.Unmarshal(sc.Bytes(), &finding); err != nil || finding.ClassUID != 2004 {
			t.Fatalf("line %d: %v %+v", n+1, err, finding)
		}
		n++
	}
	f.Close()
	if n != 1 {
		t.Errorf("%d alerts written, want 1", n)
	}
	os.Remove(out)

	// A malformed file next to a good one: reported, exit 2, and the good
	// file's alert is still written.
	bad := filepath.Join(dir, "mixed")
	os.Mkdir(bad, 0o755)
	writeFile(t, filepath.Join(bad, "a_good.json"), detectTestTrail)
	writeFile(t, filepath.Join(bad, "b_bad.json"), `{"Records":[{"eventName":"X",`)
	if code := run(ctx, []string{"detect", bad, "--output", out}); code != 2 {
		t.Errorf("malformed input: exit %d, want 2", code)
	}
	if data, _ := os.ReadFile(out); len(data) == 0 {
		t.Error("the good file's alert was not written")
	}
	os.Remove(out)

	for _, tc := range []struct {
		args []string
		want int
	}{
		{[]string{"detect", logs, "--output", out, "--fail-on", "high"}, 1},
		{[]string{"detect", logs, "--output", out, "--fail-on", "critical"}, 0},
		{[]string{"detect", logs, "--output", out, "--min-level", "critical", "--fail-on", "low"}, 0},
		{[]string{"detect", filepath.Join(dir, "missing"), "--output", out}, 2},
		{[]string{"detect"}, 2},
		{[]string{"detect", logs, "--fail-on", "loud"}, 2},
		{[]string{"detect", logs, "--format", "csv"}, 2},
		{[]string{"detect", "--follow", logs}, 2},
		{[]string{"detect", logs, "--rules", filepath.Join(dir, "nope")}, 2},
		{[]string{"detect", logs, "--tuning", filepath.Join(dir, "nope.yml")}, 2},
	} {
		if code := run(ctx, tc.args); code != tc.want {
			t.Errorf("%v: exit %d, want %d", tc.args, code, tc.want)
		}
	}
}

// TestDetectNoProgressOffTerminal: with stderr a file, vigil detect prints
// no progress line (the progress display is for terminals only).
func TestDetectNoProgressOffTerminal(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "trail.json"), detectTestTrail)
	code, _, errOut := runCLI2(t, "detect", dir)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if strings.Contains(errOut, "vigil: detect:") || strings.Contains(errOut, "\r") {
		t.Errorf("progress written to a non-terminal stderr: %q", errOut)
	}
}

// TestBadEventTimeOneRule: an event without a valid event time is refused
// the same way by vigil logs ingest and vigil detect: reported with file,
// line and offset, skipped, exit status 2, the other events processed.
func TestBadEventTimeOneRule(t *testing.T) {
	dir := t.TempDir()
	good := `{"eventVersion":"1.08","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/alice","accountId":"111122223333","userName":"alice"},"eventTime":"2024-03-01T10:00:00Z","eventSource":"organizations.amazonaws.com","eventName":"LeaveOrganization","awsRegion":"us-east-1","sourceIPAddress":"198.51.100.7","eventID":"11111111-1111-4111-8111-111111111111","eventType":"AwsApiCall","recipientAccountId":"111122223333"}`
	bad := strings.Replace(strings.Replace(good, "2024-03-01T10:00:00Z", "03/01/2024 10:00", 1), "11111111-1111", "22222222-2222", 1)
	p := filepath.Join(dir, "trail.jsonl")
	writeFile(t, p, good+"\n"+bad+"\n")
	want := fmt.Sprintf("%s:2 (offset %d): no valid event time", p, len(good)+1)
	code, _, errOut := runCLI2(t, "logs", "ingest", "--lake", filepath.Join(t.TempDir(), "lake"), p)
	if code != 2 || !strings.Contains(errOut, want) {
		t.Errorf("logs ingest: exit %d, stderr %q, want 2 and %q", code, errOut, want)
	}
	code, out, errOut := runCLI2(t, "detect", p)
	if code != 2 || !strings.Contains(errOut, want) {
		t.Errorf("detect: exit %d, stderr %q, want 2 and %q", code, errOut, want)
	}
	if n := strings.Count(out, "LeaveOrganization"); n == 0 {
		t.Errorf("detect: the valid event raised no alert: %s", out)
	}
}

// TestDetectReorderWindowFlag: --reorder-window decides which events are
// late (reported on stderr, still alerted), a copy of an event already read
// is reported and raises nothing again, and a window that is not positive
// is a usage error.
func TestDetectReorderWindowFlag(t *testing.T) {
	dir := t.TempDir()
	first := detectTestTrail[len(`{"Records":[`) : len(detectTestTrail)-len(`]}`)]
	later := strings.Replace(strings.Replace(strings.Replace(first, "10:00:00Z", "11:00:00Z", 1),
		"LeaveOrganization", "DescribeOrganization", 1), "11111111-1111", "33333333-3333", 1)
	late := strings.Replace(strings.Replace(first, "10:00:00Z", "10:10:00Z", 1), "11111111-1111", "44444444-4444", 1)
	p := filepath.Join(dir, "trail.jsonl")
	writeFile(t, p, first+"\n"+later+"\n"+late+"\n"+first+"\n")

	code, out, errOut := runCLI2(t, "detect", p, "--reorder-window", "5m")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if n := strings.Count(out, "\n"); n != 2 {
		t.Errorf("%d alerts, want 2 (the late LeaveOrganization too, the copy not): %s", n, out)
	}
	for _, want := range []string{
		"vigil: 1 matched events arrived more than --reorder-window (5m0s) behind the newest event read",
		"vigil: 1 matched events were byte-for-byte copies of events already read",
	} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut)
		}
	}
	code, _, errOut = runCLI2(t, "detect", p, "--reorder-window", "2h")
	if code != 0 || strings.Contains(errOut, "behind the newest event") {
		t.Errorf("2h window: exit %d, stderr %s", code, errOut)
	}
	for _, w := range []string{"0s", "-1m"} {
		if code, _, _ := runCLI2(t, "detect", p, "--reorder-window", w); code != 2 {
			t.Errorf("--reorder-window %s: exit %d, want 2", w, code)
		}
	}
}
