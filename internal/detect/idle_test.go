package detect

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tidwall/gjson"
)

// idleLog counts follow mode's idle flushes (its "input idle" log lines), so
// a test can land the next file once the engine has released its reorder
// buffer.
type idleLog struct{ n atomic.Int64 }

func (h *idleLog) Enabled(context.Context, slog.Level) bool { return true }
func (h *idleLog) Handle(_ context.Context, r slog.Record) error {
	if strings.HasPrefix(r.Message, "input idle") {
		h.n.Add(1)
	}
	return nil
}
func (h *idleLog) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h *idleLog) WithGroup(string) slog.Handler      { return h }

// followWithIdleFlushes follows a directory while files land one at a
// time, each only after follow mode has gone idle and flushed its reorder
// buffer (--idle-flush) once per file landed before it, and returns the
// alerts and the engine.
func followWithIdleFlushes(t *testing.T, files []string) ([]*Alert, *Engine) {
	t.Helper()
	idle := &idleLog{}
	eng, err := New(context.Background(), Config{Version: "test", Logger: slog.New(idle)})
	if err != nil {
		t.Fatal(err)
	}
	watch := t.TempDir()
	ck := filepath.Join(t.TempDir(), "ck")
	sink := &collectSink{}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- eng.Follow(ctx, sink, FollowOptions{Dir: watch, Checkpoint: ck,
			Poll: 5 * time.Millisecond, IdleFlush: 30 * time.Millisecond})
	}()
	for i, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		part := filepath.Join(watch, "."+filepath.Base(f)+".part")
		if err := os.WriteFile(part, data, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(part, filepath.Join(watch, filepath.Base(f))); err != nil {
			t.Fatal(err)
		}
		// The idle flush is logged before the release; the checkpoint
		// written after it holds no waiting event.
		released := func() bool {
			c, err := LoadCheckpoint(ck)
			return err == nil && len(c.Correlation) > 0 && !gjson.GetBytes(c.Correlation, "pending").Exists()
		}
		deadline := time.Now().Add(60 * time.Second)
		for (idle.n.Load() < int64(i+1) || !released()) && time.Now().Before(deadline) {
			time.Sleep(2 * time.Millisecond)
		}
		if got := idle.n.Load(); got != int64(i+1) || !released() {
			cancel()
			<-done
			t.Fatalf("after file %d: %d idle flushes, want %d (released: %v)", i+1, got, i+1, released())
		}
	}
	cancel()
	if err := <-done; err != nil && err != context.Canceled {
		t.Fatal(err)
	}
	return sink.alerts, eng
}

// idleSetFiles writes four CloudTrail files of consecutive time ranges (in
// time order: no event is late whichever order the files are read in),
// with bursts that cross the file boundaries: bob's 30 distinct discovery
// calls over five minutes (AWS Infrastructure Discovery Burst, value_count
// 25 in 10 minutes: 12 before the boundary, 18 after), alice's 45 secret
// reads (AWS Mass Secret Retrieval, event_count), and an access key created
// in the first file and used from two networks in the second and third
// (a temporal_ordered chain over a value_count, 1 day).
func idleSetFiles(t *testing.T, dir string) []string {
	t.Helper()
	var evs []map[string]any
	add := func(ev map[string]any) { evs = append(evs, ev) }
	for s := time.Duration(0); s < 90*time.Minute; s += 20 * time.Second {
		add(detEvent(s, "carol", "ec2.amazonaws.com", "DescribeInstances", "203.0.113.10", map[string]any{"readOnly": true}))
	}
	for i := range 30 {
		at := 40*time.Minute + time.Duration(i)*10*time.Second
		add(detEvent(at, "bob", "ec2.amazonaws.com", fmt.Sprintf("DescribeThing%02d", i), "192.0.2.77", map[string]any{"readOnly": true}))
	}
	for i := range 45 {
		at := 20*time.Minute + time.Duration(i)*5*time.Second
		add(detEvent(at, "alice", "secretsmanager.amazonaws.com", "GetSecretValue", "198.51.100.23",
			map[string]any{"requestParameters": map[string]any{"secretId": fmt.Sprintf("prod/app/%03d", i)}, "readOnly": true}))
	}
	const key = "AKIAEXAMPLEIDLE00001"
	add(detEvent(10*time.Minute, "admin", "iam.amazonaws.com", "CreateAccessKey", "203.0.113.5",
		map[string]any{"requestParameters": map[string]any{"userName": "gina"},
			"responseElements": map[string]any{"accessKey": map[string]any{"accessKeyId": key, "userName": "gina", "status": "Active"}}}))
	for i, ip := range []string{"198.51.100.20", "192.0.2.50"} {
		ev := detEvent(30*time.Minute+time.Duration(i)*40*time.Minute, "gina", "s3.amazonaws.com", "ListBuckets", ip, map[string]any{"readOnly": true})
		ev["userIdentity"].(map[string]any)["accessKeyId"] = key
		add(ev)
	}
	sort.SliceStable(evs, func(i, j int) bool { return evs[i]["eventTime"].(string) < evs[j]["eventTime"].(string) })
	bounds := []time.Duration{22 * time.Minute, 42 * time.Minute, 65 * time.Minute, 24 * time.Hour}
	files := make([][]map[string]any, len(bounds))
	for i, ev := range evs {
		ev["eventID"] = fmt.Sprintf("1d1e0000-0000-4000-8000-%012d", i)
		at, _ := time.Parse(time.RFC3339, ev["eventTime"].(string))
		k := 0
		for at.Sub(detT0) >= bounds[k] {
			k++
		}
		files[k] = append(files[k], ev)
	}
	var paths []string
	for k, f := range files {
		paths = append(paths, writeTrail(t, dir, fmt.Sprintf("111122223333_CloudTrail_us-east-1_idle_%02d.json", k), f...))
	}
	return paths
}

// TestIdleFlushKeepsWindows (issue 7, deterministic correlations): follow
// mode going idle between files (--idle-flush) raises the alerts of a batch
// run over the same files. The idle flush used to close every correlation
// window as at the end of a batch, so a burst crossing the pause was split:
// bob's discovery burst raised no alert, alice's secret reads other ones,
// the access key's chain none.
func TestIdleFlushKeepsWindows(t *testing.T) {
	files := idleSetFiles(t, t.TempDir())
	ref, _ := detBatch(t, Config{}, files...)
	for title, n := range map[string]int{
		"AWS Infrastructure Discovery Burst":                   1,
		"AWS Mass Secret Retrieval":                            2,
		"AWS Access Key Created And Used From Another Network": 1,
	} {
		if got := len(alertsOf(ref, title)); got != n {
			t.Errorf("batch: %d %q alerts, want %d", got, title, n)
		}
	}
	got, eng := followWithIdleFlushes(t, files)
	sameAlerts(t, "follow, idle between files", ref, got)
	if eng.Stats().Late != 0 {
		t.Errorf("%d late events, want none (the files are in time order)", eng.Stats().Late)
	}
}

// TestIdleFlushInvictusCopies: the invictus CloudTrail set, copies 1 to 3
// (an hour apart, one file each), followed with an idle flush after each
// file, raises the alerts of a batch run (one "AWS Infrastructure Discovery
// Burst" and one "Audit Logging Disabled Then Data Accessed" alert crossed
// the pauses and were lost).
func TestIdleFlushInvictusCopies(t *testing.T) {
	if testing.Short() {
		t.Skip("three copies of the invictus set")
	}
	files := trailFiles(t, t.TempDir(), 1, 3, 3)
	ref, _ := detBatch(t, Config{}, files...)
	got, eng := followWithIdleFlushes(t, files)
	sameAlerts(t, "follow, idle between copies", ref, got)
	if eng.Stats().Late != 0 {
		t.Errorf("%d late events, want none (the copies are an hour apart)", eng.Stats().Late)
	}
}

// TestIdleFlushThenOlderEvents: after an idle flush released the reorder
// buffer, a matched event older than the newest event released is late
// (counted and correlated at once), even inside the reorder window.
func TestIdleFlushThenOlderEvents(t *testing.T) {
	dir := t.TempDir()
	a := writeTrail(t, dir, "1.json", detEvent(10*time.Minute, "bob", "ec2.amazonaws.com", "DescribeInstances", "192.0.2.77", map[string]any{"readOnly": true, "eventID": "idle-a"}))
	b := writeTrail(t, dir, "2.json", detEvent(9*time.Minute, "bob", "ec2.amazonaws.com", "DescribeVolumes", "192.0.2.77", map[string]any{"readOnly": true, "eventID": "idle-b"}),
		detEvent(11*time.Minute, "bob", "ec2.amazonaws.com", "DescribeImages", "192.0.2.77", map[string]any{"readOnly": true, "eventID": "idle-c"}))
	_, eng := followWithIdleFlushes(t, []string{a, b})
	if eng.Stats().Late != 1 {
		t.Errorf("%d late events, want 1 (the call a minute older than the one released)", eng.Stats().Late)
	}
}
