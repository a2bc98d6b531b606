package detect

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vigil-sec/vigil/internal/logs"
)

func testAlert(t *testing.T, raw string) *Alert {
	t.Helper()
	rule := &RuleInfo{ID: "11111111-2222-4333-8444-555555555555", Title: "Test Rule", Author: "Jane Doe", Level: "high",
		Tags: []string{"attack.persistence", "attack.t1098.001"}, References: []string{"https://example.com/rule"}}
	rec := logs.Record{Source: logs.AWSCloudTrail, Raw: []byte(raw), File: "f.json", Offset: 10}
	a := NewAlert(rule, LevelHigh, "", []Event{{Record: rec, Time: EventTime(rec)}}, "test")
	return &a
}

func TestWebhookRetriesThenDelivers(t *testing.T) {
	var attempts atomic.Int32
	var body []byte
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := attempts.Add(1)
		if n <= 2 {
			http.Error(w, "busy", http.StatusServiceUnavailable)
			return
		}
		if r.Method != http.MethodPost || r.Header.Get("Content-Type") != "application/json" {
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		body, _ = io.ReadAll(r.Body)
		w.WriteHeader(http.StatusAccepted)
	}))
	defer srv.Close()
	s := NewWebhookSink(srv.URL)
	s.InitialInterval = 5 * time.Millisecond
	s.MaxInterval = 20 * time.Millisecond
	a := testAlert(t, `{"eventTime":"2023-07-10T11:42:36Z","eventName":"CreateAccessKey"}`)
	if err := s.Write(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	if got := attempts.Load(); got != 3 {
		t.Errorf("attempts = %d, want 3 (two 503s then success)", got)
	}
	var f map[string]any
	if err := json.Unmarshal(body, &f); err != nil {
		t.Fatalf("delivered body is not JSON: %v", err)
	}
	if f["class_uid"] != float64(2004) {
		t.Errorf("class_uid = %v", f["class_uid"])
	}
}

func TestWebhookGivesUp(t *testing.T) {
	var attempts atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		attempts.Add(1)
		http.Error(w, "no", http.StatusBadRequest)
	}))
	defer srv.Close()
	s := NewWebhookSink(srv.URL)
	s.InitialInterval = time.Millisecond
	err := s.Write(context.Background(), testAlert(t, `{"eventName":"X"}`))
	if err == nil || !strings.Contains(err.Error(), "400") {
		t.Fatalf("err = %v, want a 400 error", err)
	}
	if attempts.Load() != 1 {
		t.Errorf("a 4xx answer was retried (%d attempts)", attempts.Load())
	}

	var fails atomic.Int32
	srv2 := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fails.Add(1)
		w.WriteHeader(http.StatusInternalServerError)
	}))
	defer srv2.Close()
	s2 := NewWebhookSink(srv2.URL)
	s2.InitialInterval, s2.MaxInterval, s2.MaxTries = time.Millisecond, 2*time.Millisecond, 4
	if err := s2.Write(context.Background(), testAlert(t, `{"eventName":"X"}`)); err == nil {
		t.Fatal("no error after persistent 500s")
	}
	if fails.Load() != 4 {
		t.Errorf("attempts = %d, want MaxTries 4", fails.Load())
	}
}

func TestFindingFields(t *testing.T) {
	a := testAlert(t, `{"eventTime":"2023-07-10T11:42:36Z","eventName":"CreateAccessKey"}`)
	f := a.Finding
	if f.ClassUID != 2004 || f.TypeUID != 200401 || f.CategoryUID != 2 || f.SeverityID != 4 {
		t.Errorf("class/type/category/severity = %d/%d/%d/%d", f.ClassUID, f.TypeUID, f.CategoryUID, f.SeverityID)
	}
	if f.Time != time.Date(2023, 7, 10, 11, 42, 36, 0, time.UTC).UnixMilli() {
		t.Errorf("time = %d", f.Time)
	}
	if len(f.FindingInfo.Attacks) != 1 || f.FindingInfo.Attacks[0].Tactic.UID != "TA0003" || f.FindingInfo.Attacks[0].Technique.UID != "T1098.001" {
		t.Errorf("attacks = %+v", f.FindingInfo.Attacks)
	}
	var u struct {
		Rule struct {
			Author     string   `json:"author"`
			References []string `json:"references"`
		} `json:"rule"`
	}
	if err := json.Unmarshal(f.Unmapped, &u); err != nil || u.Rule.Author != "Jane Doe" || len(u.Rule.References) != 1 {
		t.Errorf("unmapped rule = %+v (%v)", u, err)
	}
	// Same rule, same event: same id; another event: another id.
	if b := testAlert(t, `{"eventTime":"2023-07-10T11:42:36Z","eventName":"CreateAccessKey"}`); b.Finding.FindingInfo.UID != f.FindingInfo.UID {
		t.Error("alert id is not deterministic")
	}
	if c := testAlert(t, `{"eventTime":"2023-07-10T11:42:37Z","eventName":"CreateAccessKey"}`); c.Finding.FindingInfo.UID == f.FindingInfo.UID {
		t.Error("different events share an alert id")
	}
}

func TestRepairAndTailIDs(t *testing.T) {
	p := filepath.Join(t.TempDir(), "alerts.jsonl")
	s, err := OpenJSONLFile(p)
	if err != nil {
		t.Fatal(err)
	}
	a1 := testAlert(t, `{"eventName":"A"}`)
	a2 := testAlert(t, `{"eventName":"B"}`)
	_ = s.Write(context.Background(), a1)
	if err := s.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	st, _ := os.Stat(p)
	mid := st.Size()
	_ = s.Write(context.Background(), a2)
	_ = s.Close()
	// A kill mid-write leaves half a line.
	f, _ := os.OpenFile(p, os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString(`{"finding_info":{"uid":"partial`)
	f.Close()
	size, err := RepairJSONL(p)
	if err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(p)
	if int64(len(data)) != size || !strings.HasSuffix(string(data), "\n") || strings.Contains(string(data), "partial") {
		t.Fatalf("repair left %q", data)
	}
	ids, err := AlertIDsSince(p, mid)
	if err != nil {
		t.Fatal(err)
	}
	if len(ids) != 1 || !ids[a2.Finding.FindingInfo.UID] {
		t.Errorf("ids after checkpoint = %v, want only %s", ids, a2.Finding.FindingInfo.UID)
	}
}

func TestCheckpointAtomicSave(t *testing.T) {
	p := filepath.Join(t.TempDir(), "ck.json")
	ck, err := LoadCheckpoint(p)
	if err != nil || len(ck.Files) != 0 {
		t.Fatalf("missing checkpoint: %v %v", ck, err)
	}
	ck.Files["a/b.json"] = FileState{Size: 10, ModTime: 5, Next: 7}
	ck.OutputSize = 99
	ck.Correlation = json.RawMessage(`{"x":1}`)
	if err := ck.Save(p); err != nil {
		t.Fatal(err)
	}
	got, err := LoadCheckpoint(p)
	if err != nil {
		t.Fatal(err)
	}
	if got.Files["a/b.json"].Next != 7 || got.OutputSize != 99 || string(got.Correlation) != `{"x":1}` {
		t.Errorf("round trip: %+v", got)
	}
	entries, _ := os.ReadDir(filepath.Dir(p))
	if len(entries) != 1 {
		t.Errorf("temporary files left: %v", entries)
	}
	os.WriteFile(p, []byte("{not json"), 0o644)
	if _, err := LoadCheckpoint(p); err == nil || !strings.Contains(err.Error(), p) {
		t.Errorf("corrupt checkpoint error = %v, want one naming the file", err)
	}
}

type failingSink struct{ collectSink }

func (f *failingSink) Write(context.Context, *Alert) error { return errors.New("disk full") }

// A sink error stops the run and is returned (no hang with workers ahead).
func TestRunSinkError(t *testing.T) {
	dir := t.TempDir()
	for i := range 40 {
		ev := ctEvent(i, "LeaveOrganization", "arn:aws:iam::111122223333:user/a", "198.51.100.7")
		ev["eventSource"] = "organizations.amazonaws.com"
		writeTrail(t, dir, fmt.Sprintf("f%02d.json", i), ev)
	}
	eng, err := New(context.Background(), Config{})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- eng.Run(context.Background(), []string{dir}, &failingSink{}, RunOptions{Workers: 2}) }()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "disk full") {
			t.Errorf("err = %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("Run hangs after a sink error")
	}
}

func TestRunStdin(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	old := os.Stdin
	os.Stdin = r
	defer func() { os.Stdin = old }()
	ev := ctEvent(1, "LeaveOrganization", "arn:aws:iam::111122223333:user/a", "198.51.100.7")
	ev["eventSource"] = "organizations.amazonaws.com"
	b, _ := json.Marshal(ev)
	go func() { w.Write(append(b, '\n')); w.Close() }()
	eng, err := New(context.Background(), Config{})
	if err != nil {
		t.Fatal(err)
	}
	sink := &collectSink{}
	if err := eng.Run(context.Background(), []string{Stdin}, sink, RunOptions{}); err != nil {
		t.Fatal(err)
	}
	if len(sink.alerts) != 1 || sink.alerts[0].Events[0].Record.File != "stdin" {
		t.Errorf("alerts from stdin: %d", len(sink.alerts))
	}
}

// TestRunProgress: Run reports progress after files as they complete and
// once at the end with every file, event and alert counted.
func TestRunProgress(t *testing.T) {
	dir := t.TempDir()
	for i := range 3 {
		ev := ctEvent(i, "LeaveOrganization", "arn:aws:iam::111122223333:user/a", "198.51.100.7")
		ev["eventSource"] = "organizations.amazonaws.com"
		writeTrail(t, dir, fmt.Sprintf("t%d.json", i), ev, ctEvent(i, "GetUser", "arn:aws:iam::111122223333:user/b", "198.51.100.8"))
	}
	eng, err := New(context.Background(), Config{})
	if err != nil {
		t.Fatal(err)
	}
	var got []RunProgress
	sink := &collectSink{}
	if err := eng.Run(context.Background(), []string{dir}, sink, RunOptions{Progress: func(p RunProgress) { got = append(got, p) }, ProgressEvery: time.Nanosecond}); err != nil {
		t.Fatal(err)
	}
	if len(got) < 2 {
		t.Fatalf("%d progress calls, want one per file and one at the end", len(got))
	}
	last := got[len(got)-1]
	if last.Files != 3 || last.FilesTotal != 3 || last.Events != 6 || last.Alerts != len(sink.alerts) || last.Alerts != 3 {
		t.Errorf("last progress %+v, %d alerts written", last, len(sink.alerts))
	}
}
