package detect

import (
	"bytes"
	"context"
	"os"
	"slices"
	"testing"

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
	run := func(reuse bool) []*Alert {
		eng, err := New(context.Background(), Config{Version: "test"})
		if err != nil {
			t.Fatal(err)
		}
		eng.noBufferReuse = !reuse
		sink := &collectSink{}
		if err := eng.Run(context.Background(), []string{dir}, sink, RunOptions{}); err != nil {
			t.Fatal(err)
		}
		return sink.alerts
	}
	want, got := run(false), run(true)
	corr := 0
	for _, a := range want {
		if a.Rule.Correlation {
			corr++
		}
	}
	if corr == 0 {
		t.Fatalf("no correlation alert among the %d of the reference run: the comparison compares nothing", len(want))
	}
	sameAlerts(t, "batch run with reused read buffers", want, got)
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
			t.Fatalf("alert %d differs:\n got %.400s\nwant %.400s", i, g, w)
		}
	}
}
