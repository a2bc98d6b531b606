package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"runtime/trace"
	"strconv"
	"sync"
	"testing"
	"time"
)

// spin keeps a goroutine running for d.
func spin(d time.Duration) {
	for end := time.Now().Add(d); time.Now().Before(end); {
	}
}

// A trace with a stage run on two goroutines, then one on one goroutine,
// and a merge after the parses: the report tells them apart.
func TestRunReportsRegions(t *testing.T) {
	path := filepath.Join(t.TempDir(), "t.trace")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := trace.Start(f); err != nil {
		t.Skipf("tracing unavailable: %v", err)
	}
	ctx := context.Background()
	trace.WithRegion(ctx, "read", func() {
		var wg sync.WaitGroup
		for range 2 {
			wg.Go(func() { trace.WithRegion(ctx, "parse", func() { spin(30 * time.Millisecond) }) })
		}
		wg.Wait()
		trace.WithRegion(ctx, "merge", func() { spin(5 * time.Millisecond) })
	})
	trace.WithRegion(ctx, "derive", func() { spin(20 * time.Millisecond) })
	trace.Stop()
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := run(path, false, &out); err != nil {
		t.Fatal(err)
	}
	text := out.String()
	for _, want := range []string{"read ", "derive ", "parse×2 ", "merges after the last parse ended: 1,"} {
		if !bytes.Contains(out.Bytes(), []byte(want)) {
			t.Errorf("report lacks %q:\n%s", want, text)
		}
	}
	// derive ran on one goroutine: its mean is about 1 (the test runner
	// itself is blocked), never 2.
	m := regexp.MustCompile(`(?m)^derive .* ([0-9.]+)$`).FindStringSubmatch(text)
	if m == nil {
		t.Fatalf("no derive line:\n%s", text)
	}
	if mean, _ := strconv.ParseFloat(m[1], 64); mean < 0.5 || mean > 1.5 {
		t.Errorf("derive's mean running goroutines = %v, want about 1:\n%s", mean, text)
	}
}
