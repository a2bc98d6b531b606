package logs

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// cpuTime is the process's user+system CPU time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkRead measures reading and splitting the invictus CloudTrail files
// (from memory, so disk speed does not count) and reports events/s.
func BenchmarkRead(b *testing.B) {
	dir := corpus(b, "aws_cloudtrail", "invictus-aws_dataset")
	files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	var datas [][]byte
	var size int64
	for _, f := range files {
		d, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		datas = append(datas, d)
		size += int64(len(d))
	}
	b.SetBytes(size)
	b.ResetTimer()
	c0 := cpuTime()
	events := 0
	for i := 0; i < b.N; i++ {
		for j, d := range datas {
			err := Read(context.Background(), files[j], bytes.NewReader(d), func(Record) error { events++; return nil }, nil)
			if err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(events)/b.Elapsed().Seconds(), "events/s")
	b.ReportMetric(float64(events)/(cpuTime()-c0).Seconds(), "events/cpu-s")
}

// BenchmarkReadNormalize measures reading, splitting and normalizing the
// invictus CloudTrail files to OCSF (JSON encoding of the result included).
func BenchmarkReadNormalize(b *testing.B) {
	dir := corpus(b, "aws_cloudtrail", "invictus-aws_dataset")
	files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	var datas [][]byte
	for _, f := range files {
		d, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		datas = append(datas, d)
	}
	b.ResetTimer()
	c0 := cpuTime()
	events := 0
	for i := 0; i < b.N; i++ {
		for j, d := range datas {
			err := Read(context.Background(), files[j], bytes.NewReader(d), func(r Record) error {
				ev, err := Normalize(r)
				if err != nil {
					return err
				}
				if _, err := json.Marshal(ev); err != nil {
					return err
				}
				events++
				return nil
			}, nil)
			if err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(events)/b.Elapsed().Seconds(), "events/s")
	b.ReportMetric(float64(events)/(cpuTime()-c0).Seconds(), "events/cpu-s")
}

// BenchmarkReadLarge reads the invictus CloudTrail events written 100 times
// over into 8 one-line {"Records":[...]} files (about 290,000 events, 47 MB
// a file, as detect's BenchmarkDetectCloudTrailLarge has them) from disk:
// reading, validating and splitting, the part of detection and ingest that
// touches every byte. It reports events per CPU-second (immune to other
// processes on a shared machine) and allocations.
func BenchmarkReadLarge(b *testing.B) {
	var raws [][]byte
	if err := Walk(context.Background(), []string{corpus(b, "aws_cloudtrail", "invictus-aws_dataset")}, func(r Record) error {
		if r.Source == AWSCloudTrail {
			raws = append(raws, bytes.Clone(r.Raw))
		}
		return nil
	}, nil); err != nil {
		b.Fatal(err)
	}
	dir := b.TempDir()
	const copies, nfiles = 100, 8
	var files []string
	for f := range nfiles {
		var buf bytes.Buffer
		buf.WriteString(`{"Records":[`)
		for c := f * copies / nfiles; c < (f+1)*copies/nfiles; c++ {
			for i, raw := range raws {
				if i > 0 || c > f*copies/nfiles {
					buf.WriteByte(',')
				}
				buf.Write(raw)
			}
		}
		buf.WriteString("]}\n")
		p := filepath.Join(dir, fmt.Sprintf("ct-%d.json", f))
		if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
			b.Fatal(err)
		}
		files = append(files, p)
	}
	b.ResetTimer()
	c0 := cpuTime()
	events := 0
	for i := 0; i < b.N; i++ {
		for _, f := range files {
			if err := ReadFile(context.Background(), f, func(Record) error { events++; return nil }, func(e InputError) { b.Fatal(e.Error()) }); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(events)/b.Elapsed().Seconds(), "events/s")
	b.ReportMetric(float64(events)/(cpuTime()-c0).Seconds(), "events/cpu-s")
}
