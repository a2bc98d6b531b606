package trail

import (
	"context"
	"encoding/json"
	"path/filepath"
	"testing"
)

func benchEntry() Entry {
	data, _ := json.Marshal(Call{Service: "s3", Operation: "PutPublicAccessBlock", Target: "arn:aws:s3:::logs",
		Params: map[string]any{"BlockPublicAcls": true, "IgnorePublicAcls": true}, TookMS: 12.5})
	return Entry{Kind: KindCall, Actor: "alice", Run: "run-1", Action: "aws.s3.block-public-access", Resource: "arn:aws:s3:::logs", Status: StatusOK, Data: data}
}

// BenchmarkAppend appends one entry at a time: one write and one fsync
// each.
func BenchmarkAppend(b *testing.B) {
	l, err := Open(filepath.Join(b.TempDir(), "trail.jsonl"))
	if err != nil {
		b.Fatal(err)
	}
	defer l.Close()
	e := benchEntry()
	for b.Loop() {
		if _, err := l.Append(context.Background(), e); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAppendBatch appends 100 entries with one write and one fsync
// (reported per entry).
func BenchmarkAppendBatch(b *testing.B) {
	l, err := Open(filepath.Join(b.TempDir(), "trail.jsonl"))
	if err != nil {
		b.Fatal(err)
	}
	defer l.Close()
	batch := make([]Entry, 100)
	for i := range batch {
		batch[i] = benchEntry()
	}
	n := 0
	for b.Loop() {
		if _, err := l.AppendBatch(context.Background(), batch); err != nil {
			b.Fatal(err)
		}
		n += len(batch)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(n), "ns/entry")
}

// BenchmarkVerify verifies a trail of 10,000 entries.
func BenchmarkVerify(b *testing.B) {
	path := filepath.Join(b.TempDir(), "trail.jsonl")
	l, err := Open(path)
	if err != nil {
		b.Fatal(err)
	}
	batch := make([]Entry, 1000)
	for i := range batch {
		batch[i] = benchEntry()
	}
	for range 10 {
		if _, err := l.AppendBatch(context.Background(), batch); err != nil {
			b.Fatal(err)
		}
	}
	l.Close()
	for b.Loop() {
		r, err := Verify(path, VerifyOptions{})
		if err != nil || !r.OK() || r.Entries != 10000 {
			b.Fatal(err, r.Problem)
		}
	}
}

// BenchmarkAppendParallel appends from 50 goroutines, as an apply with 50
// calls in flight records them: concurrent appends share fsyncs.
func BenchmarkAppendParallel(b *testing.B) {
	l, err := Open(filepath.Join(b.TempDir(), "trail.jsonl"))
	if err != nil {
		b.Fatal(err)
	}
	defer l.Close()
	e := benchEntry()
	b.SetParallelism(25) // 50 goroutines on 2 cores
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := l.Append(context.Background(), e); err != nil {
				b.Error(err)
				return
			}
		}
	})
}
