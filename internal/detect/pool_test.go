package detect

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/vigil-sec/vigil/internal/logs"
)

// TestBatchReusedBuffersSameAlerts runs the built-ins over three CloudTrail
// files larger than the reader's pooled buffers, all of one size, so that
// the third is read into the buffer of the first while events of the first
// (correlation values, evidence, alerts) are still held: the run must raise
// the alerts, correlations included, of a run that reads each file into
// buffers of its own.
func TestBatchReusedBuffersSameAlerts(t *testing.T) {
	dir := t.TempDir()
	// Copies 1, 2, 3: the same size (copy 0 has no id suffix); the third
	// with its events in reverse order, so that what the first held at an
	// offset of the buffer is not what the third holds there.
	files := trailFiles(t, dir, 1, 3, 3)
	var raws [][]byte
	if err := logs.ReadFile(context.Background(), files[2], func(r logs.Record) error {
		raws = append(raws, r.Raw)
		return nil
	}, nil); err != nil {
		t.Fatal(err)
	}
	slices.Reverse(raws)
	doc := append(append([]byte(`{"Records":[`), bytes.Join(raws, []byte(","))...), "]}"...)
	if err := os.WriteFile(files[2], doc, 0o644); err != nil {
		t.Fatal(err)
	}
	want, got := runReuse(t, dir, false, 0), runReuse(t, dir, true, 0)
	corr := 0
	for _, a := range want {
		if a.Rule.Correlation {
			corr++
		}
	}
	if corr == 0 {
		t.Fatalf("no correlation alert among the %d of the reference run: the comparison compares nothing", len(want))
	}
	sameFindings(t, "batch run with reused read buffers", want, got)
}

// runReuse runs the built-ins over dir on workers goroutines (0: one per
// core), the read buffers reused (and overwritten as they go back to the
// pool, so that an event used after its buffer was given back reads
// garbage) or each file read into buffers of its own.
func runReuse(t *testing.T, dir string, reuse bool, workers int) []*Alert {
	t.Helper()
	eng, err := New(context.Background(), Config{Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	eng.noBufferReuse, eng.scribbleReturned = !reuse, reuse
	sink := &collectSink{}
	if err := eng.Run(context.Background(), []string{dir}, sink, RunOptions{Workers: workers}); err != nil {
		t.Fatal(err)
	}
	return sink.alerts
}

// sameFindings compares alerts as sameAlerts does, then each alert's
// finding byte for byte and its events' raw JSON (sinks other than the
// finding's read them).
func sameFindings(t *testing.T, what string, want, got []*Alert) {
	t.Helper()
	sameAlerts(t, what, want, got)
	for i := range min(len(want), len(got)) {
		w, err := MarshalFinding(want[i])
		if err != nil {
			t.Fatal(err)
		}
		g, err := MarshalFinding(got[i])
		if err != nil {
			t.Fatal(err)
		}
		if string(w) != string(g) {
			t.Fatalf("%s: alert %d differs:\n got %.600s\nwant %.600s", what, i, g, w)
		}
		for j := range min(len(want[i].Events), len(got[i].Events)) {
			if w, g := want[i].Events[j].Record.Raw, got[i].Events[j].Record.Raw; !bytes.Equal(w, g) {
				t.Fatalf("%s: alert %d event %d differs:\n got %.300s\nwant %.300s", what, i, j, g, w)
			}
		}
	}
}

// TestLeasedEventInChainAlert: an event that only feeds correlations is
// not copied out of its read buffer; the buffer is held while the event
// waits in the reorder buffer. Here the event that completes a chained
// correlation (a key used from a second network after its creation) is
// near the end of a file larger than the pooled buffers, so it is
// correlated only once the next file is read, and it is the alert's last
// evidence: the buffers are overwritten as they go back to the pool, and
// the alert must be what a run with buffers of its own raises.
func TestLeasedEventInChainAlert(t *testing.T) {
	const title = "AWS Access Key Created And Used From Another Network"
	dir := t.TempDir()
	filler := func(i int, at time.Time) map[string]any {
		e := ctEvent(i, "DescribeInstances", "arn:aws:iam::111122223333:user/ops", "192.0.2.10")
		e["eventTime"] = at.Format(time.RFC3339)
		e["eventID"] = fmt.Sprintf("filler-%06d", i)
		return e
	}
	create := ctEvent(1, "CreateAccessKey", "arn:aws:iam::111122223333:user/admin", "198.51.100.7")
	create["eventTime"] = t0.Format(time.RFC3339)
	create["responseElements"] = map[string]any{"accessKey": map[string]any{
		"accessKeyId": "AKIAEXAMPLENEWKEY001", "userName": "bob", "status": "Active"}}
	use := ctEvent(2, "PutObject", "arn:aws:iam::111122223333:user/bob", "203.0.113.200")
	use["eventSource"] = "s3.amazonaws.com"
	use["userIdentity"].(map[string]any)["accessKeyId"] = "AKIAEXAMPLENEWKEY001"
	use["eventTime"] = t0.Add(10 * time.Minute).Format(time.RFC3339)
	// Each file well over the pool's 1 MB threshold.
	first := []map[string]any{create}
	for i := range 2500 {
		first = append(first, filler(i, t0.Add(time.Duration(i)*200*time.Millisecond)))
	}
	first = append(first, use)
	writeTrail(t, dir, "a.json", first...)
	var second []map[string]any
	for i := range 2500 {
		second = append(second, filler(10000+i, t0.Add(time.Hour+time.Duration(i)*time.Second)))
	}
	writeTrail(t, dir, "b.json", second...)
	writeTrail(t, dir, "c.json", second...) // the same events: read into a buffer given back
	for _, f := range []string{"a.json", "b.json"} {
		if st, err := os.Stat(filepath.Join(dir, f)); err != nil || st.Size() < 1<<20 {
			t.Fatalf("%s: %v, size below the pooled buffers' threshold", f, err)
		}
	}
	want, got := runReuse(t, dir, false, 1), runReuse(t, dir, true, 1)
	if len(alertsOf(want, title)) != 1 {
		t.Fatalf("%d %q alerts in the reference run, want 1", len(alertsOf(want, title)), title)
	}
	sameFindings(t, "batch run with held read buffers", want, got)
}
