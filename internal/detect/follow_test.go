package detect

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/tidwall/gjson"
)

const catchAllRule = `title: Every IAM Call
id: 5f0c2a11-0000-4000-8000-00000000000a
name: every_iam_call
status: test
author: vigil tests
logsource:
    product: aws
    service: cloudtrail
detection:
    selection:
        eventSource: iam.amazonaws.com
    condition: selection
level: high
`

// dropTrail writes a CloudTrail file into dir atomically (temp + rename), as
// a log shipper would.
func dropTrail(t *testing.T, dir string, file, perFile int) []string {
	t.Helper()
	var evs []map[string]any
	var ids []string
	for j := range perFile {
		i := file*perFile + j
		ev := ctEvent(i%50, "GetUser", fmt.Sprintf("arn:aws:iam::111122223333:user/u%d", i%7), "198.51.100.7")
		ev["eventID"] = fmt.Sprintf("00000000-0000-4000-8000-%012d", i)
		evs = append(evs, ev)
		ids = append(ids, ev["eventID"].(string))
	}
	name := fmt.Sprintf("111122223333_CloudTrail_us-east-1_20240301T10%04dZ.json", file)
	tmp := writeTrail(t, t.TempDir(), name, evs...)
	if err := os.Rename(tmp, filepath.Join(dir, name)); err != nil {
		// Different filesystems: copy then rename inside dir.
		data, _ := os.ReadFile(tmp)
		part := filepath.Join(dir, "."+name+".part")
		if err := os.WriteFile(part, data, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(part, filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
	}
	return ids
}

// dropHeartbeat lands a last file whose one event (an STS call no rule
// matches) is an hour after the others: it moves the watermark past every
// correlation window, so a follow run releases, as a batch run does at
// the end of its input, every event still in the reorder buffer.
func dropHeartbeat(t *testing.T, dir string) {
	t.Helper()
	ev := ctEvent(0, "GetCallerIdentity", "arn:aws:iam::111122223333:user/u0", "198.51.100.7")
	ev["eventSource"] = "sts.amazonaws.com"
	ev["eventTime"] = "2024-03-01T11:00:00Z"
	ev["eventID"] = "00000000-0000-4000-8000-ffffffffffff"
	name := "111122223333_CloudTrail_us-east-1_20240301T1100Z.json"
	tmp := writeTrail(t, t.TempDir(), name, ev)
	data, _ := os.ReadFile(tmp)
	part := filepath.Join(dir, "."+name+".part")
	if err := os.WriteFile(part, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(part, filepath.Join(dir, name)); err != nil {
		t.Fatal(err)
	}
}

func countLines(t *testing.T, path string) int {
	f, err := os.Open(path)
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 1<<20), 64<<20)
	n := 0
	for sc.Scan() {
		n++
	}
	return n
}

// TestFollowKillResume builds the real vigil binary, follows a directory
// while files land, SIGKILLs it mid-ingest, restarts it, and checks that
// every event raised exactly one alert: none lost, none duplicated.
// burstCorrelation correlates the catch-all rule, so the kill/resume test
// also covers correlation state in the checkpoint.
const burstCorrelation = `
---
title: Busy IAM User
id: 5f0c2a11-0000-4000-8000-00000000000b
status: test
correlation:
    type: event_count
    rules:
        - every_iam_call
    group-by:
        - userIdentity.arn
    timespan: 5s
    condition:
        gte: 3
    generate: true
level: medium
`

func TestFollowKillResume(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the vigil binary")
	}
	tmp := t.TempDir()
	bin := vigilBinary(t)
	watch := filepath.Join(tmp, "landing")
	rules := filepath.Join(tmp, "rules")
	os.MkdirAll(watch, 0o755)
	os.MkdirAll(rules, 0o755)
	os.WriteFile(filepath.Join(rules, "all.yml"), []byte(catchAllRule+burstCorrelation), 0o644)
	out := filepath.Join(tmp, "alerts.jsonl")
	ck := filepath.Join(tmp, "detect.ckpt")

	start := func() *exec.Cmd {
		cmd := exec.Command(bin, "detect", "--follow", watch, "--checkpoint", ck, "--output", out,
			"--rules", rules, "--no-builtin", "--poll", "20ms", "--commit-every", "3")
		cmd.Stderr = nil
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		return cmd
	}
	waitLines := func(min int, timeout time.Duration) int {
		deadline := time.Now().Add(timeout)
		for {
			n := countLines(t, out)
			if n >= min || time.Now().After(deadline) {
				return n
			}
			time.Sleep(5 * time.Millisecond)
		}
	}

	const files, perFile = 30, 60
	total := files * perFile
	want := map[string]bool{}
	for f := range files / 2 {
		for _, id := range dropTrail(t, watch, f, perFile) {
			want[id] = true
		}
	}
	p := start()
	waitLines(100, 60*time.Second)
	for f := files / 2; f < files; f++ {
		for _, id := range dropTrail(t, watch, f, perFile) {
			want[id] = true
		}
	}
	dropHeartbeat(t, watch)
	atKill := waitLines(total/2, 60*time.Second)
	if err := p.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	p.Wait()
	atKill = countLines(t, out)
	t.Logf("killed with %d of %d alerts written", atKill, total)

	// Second life: kill again quickly, then a third run finishes.
	p = start()
	waitLines(atKill+200, 60*time.Second)
	p.Process.Signal(syscall.SIGKILL)
	p.Wait()
	t.Logf("killed again with %d alerts written", countLines(t, out))

	p = start()
	// The reference: one uninterrupted batch run over the same files.
	ref := filepath.Join(tmp, "reference.jsonl")
	batch := exec.Command(bin, "detect", watch, "--output", ref, "--rules", rules, "--no-builtin")
	if outp, err := batch.CombinedOutput(); err != nil {
		t.Fatalf("batch reference: %v\n%s", err, outp)
	}
	refIDs := map[string]bool{}
	refData, _ := os.ReadFile(ref)
	for _, l := range strings.Split(strings.TrimSpace(string(refData)), "\n") {
		refIDs[gjson.Get(l, "finding_info.uid").Str] = true
	}
	if len(refIDs) <= total {
		t.Fatalf("reference has %d alerts: the correlation never fired", len(refIDs))
	}
	if atKill >= len(refIDs) {
		t.Fatalf("ingest finished (%d alerts) before the kill: the test did not kill mid-ingest", atKill)
	}

	got := waitLines(len(refIDs), 120*time.Second)
	time.Sleep(200 * time.Millisecond) // several more polls: nothing else may appear
	p.Process.Signal(syscall.SIGTERM)
	p.Wait()
	got = countLines(t, out)

	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	uids := map[string]int{}
	seen := map[string]int{}
	sc := bufio.NewScanner(bytesReader(data))
	sc.Buffer(make([]byte, 0, 1<<20), 64<<20)
	for sc.Scan() {
		line := sc.Bytes()
		if !json.Valid(line) {
			t.Fatalf("invalid alert line: %.200s", line)
		}
		uids[gjson.GetBytes(line, "finding_info.uid").Str]++
		if gjson.GetBytes(line, "finding_info.title").Str == "Every IAM Call" {
			seen[gjson.GetBytes(line, "evidences.0.data.event.eventID").Str]++
		}
	}
	for id, n := range uids {
		if n > 1 {
			t.Errorf("alert %s written %d times", id, n)
		}
	}
	lost := 0
	for id := range want {
		if seen[id] == 0 {
			lost++
		}
	}
	if lost > 0 || len(seen) != total {
		t.Errorf("%d event alerts for %d events, %d events lost", len(seen), total, lost)
	}
	// Same alerts (events and correlations) as the uninterrupted run.
	if got != len(refIDs) {
		t.Errorf("%d alerts after kills, %d in one uninterrupted run", got, len(refIDs))
	}
	missing := 0
	for id := range refIDs {
		if uids[id] == 0 {
			if missing == 0 {
				t.Errorf("alert %s of the uninterrupted run is missing: %.600s", id, lineWith(refData, id))
			}
			missing++
		}
	}
	for id := range uids {
		if !refIDs[id] {
			t.Errorf("alert not in the uninterrupted run: %.600s", lineWith(data, id))
			break
		}
	}
	if missing > 0 {
		t.Errorf("%d alerts of the uninterrupted run missing", missing)
	}
	// The checkpoint covers every file.
	ckp, err := LoadCheckpoint(ck)
	if err != nil {
		t.Fatal(err)
	}
	if len(ckp.Files) != files+1 {
		t.Errorf("checkpoint lists %d files, want %d", len(ckp.Files), files)
	}
}

func bytesReader(b []byte) *os.File {
	r, w, _ := os.Pipe()
	go func() { w.Write(b); w.Close() }()
	return r
}

// followOnce runs one pass of follow mode (Once) over watch with an engine
// of cfg, its checkpoint ck, appending alerts to out.
func followOnce(t *testing.T, cfg Config, watch, ck, out string) {
	t.Helper()
	eng, err := New(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	s, err := OpenJSONLFile(out)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := eng.Follow(context.Background(), s, FollowOptions{Dir: watch, Checkpoint: ck, OutputPath: out, Once: true}); err != nil {
		t.Fatal(err)
	}
}

// TestFollowOnceInProcess checks the follow loop without a binary: a grown
// JSON-lines file is read again only from where it stopped.
func TestFollowOnceInProcess(t *testing.T) {
	rules := t.TempDir()
	os.WriteFile(filepath.Join(rules, "all.yml"), []byte(catchAllRule), 0o644)
	watch := t.TempDir()
	out := filepath.Join(t.TempDir(), "a.jsonl")
	ck := filepath.Join(t.TempDir(), "ck.json")
	line := func(i int) string {
		b, _ := json.Marshal(ctEvent(i, "GetUser", "arn:aws:iam::111122223333:user/a", "198.51.100.7"))
		return string(b) + "\n"
	}
	lp := filepath.Join(watch, "events.jsonl")
	os.WriteFile(lp, []byte(line(1)+line(2)), 0o644)
	run := func() { followOnce(t, Config{RuleDirs: []string{rules}, NoBuiltins: true}, watch, ck, out) }
	run()
	if n := countLines(t, out); n != 2 {
		t.Fatalf("%d alerts, want 2", n)
	}
	run() // nothing new
	if n := countLines(t, out); n != 2 {
		t.Fatalf("re-run: %d alerts, want 2", n)
	}
	f, _ := os.OpenFile(lp, os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString(line(3))
	f.Close()
	run()
	if n := countLines(t, out); n != 3 {
		t.Fatalf("after growth: %d alerts, want 3", n)
	}
	// Replaced by a shorter file: read from the start.
	os.WriteFile(lp, []byte(line(4)), 0o644)
	run()
	if n := countLines(t, out); n != 4 {
		t.Fatalf("after replacement: %d alerts, want 4", n)
	}
	// A file that is gone is forgotten.
	os.Remove(lp)
	run()
	if ckp, err := LoadCheckpoint(ck); err != nil || len(ckp.Files) != 0 {
		t.Errorf("checkpoint after removal: %+v %v", ckp, err)
	}
}

func lineWith(data []byte, id string) string {
	for _, l := range strings.Split(string(data), "\n") {
		if strings.Contains(l, id) {
			return l
		}
	}
	return ""
}
