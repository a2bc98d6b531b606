package lake

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime/trace"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/vigil-sec/vigil/internal/logs"
)

// cpuTime is the process's user+system CPU time.
func cpuTime() time.Duration {
	u, s := cpuTimes()
	return u + s
}

// cpuTimes is the process's user and system CPU time.
func cpuTimes() (user, sys time.Duration) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, 0
	}
	return time.Duration(ru.Utime.Nano()), time.Duration(ru.Stime.Nano())
}

// benchLake is generated once per test binary: benchmarks are invoked several
// times with growing b.N.
var benchLake struct {
	once sync.Once
	dir  string
	err  error
}

func syntheticLake(b *testing.B) (string, int) {
	n := 10_000_000
	if s := os.Getenv("VIGIL_BENCH_EVENTS"); s != "" {
		n, _ = strconv.Atoi(s)
	}
	benchLake.once.Do(func() {
		benchLake.dir, benchLake.err = os.MkdirTemp("", "vigil-bench-lake-")
		if benchLake.err != nil {
			return
		}
		var st SyntheticStats
		st, benchLake.err = GenerateSynthetic(context.Background(), benchLake.dir, n, 1)
		b.Logf("generated %d events in %d partitions in %v", st.Events, st.Partitions, st.Duration)
	})
	if benchLake.err != nil {
		b.Fatal(benchLake.err)
	}
	return benchLake.dir, n
}

func benchQuery(b *testing.B, q string) {
	dir, n := syntheticLake(b)
	b.ResetTimer()
	var worst float64
	for i := 0; i < b.N; i++ {
		d, rows, err := TimeQuery(context.Background(), dir, q)
		if err != nil {
			b.Fatal(err)
		}
		if rows == 0 {
			b.Fatal("no result rows")
		}
		worst = max(worst, d.Seconds())
	}
	b.ReportMetric(worst, "worst-s/query")
	b.ReportMetric(float64(n), "events")
}

// BenchmarkLakeGroupByDistinct times BenchQueryDistinct on the same lake.
func BenchmarkLakeGroupByDistinct(b *testing.B) { benchQuery(b, BenchQueryDistinct) }

// BenchmarkLakeGroupBy generates a synthetic lake (10 million events, or
// VIGIL_BENCH_EVENTS) once per test binary (removed by TestMain), then times
// BenchQuery, a GROUP BY over all of it,
// DuckDB start-up and view creation included. Target: under 2 s.
func BenchmarkLakeGroupBy(b *testing.B) { benchQuery(b, BenchQuery) }

func TestGenerateSynthetic(t *testing.T) {
	dir := t.TempDir()
	st, err := GenerateSynthetic(context.Background(), dir, 20_000, 7)
	if err != nil {
		t.Fatal(err)
	}
	l := &Lake{Dir: dir}
	if c := one(t, l, "SELECT count(*) FROM events"); c != "20000" {
		t.Fatalf("count %s", c)
	}
	if c := one(t, l, "SELECT count(DISTINCT source) FROM events"); c != "5" {
		t.Fatalf("sources %s", c)
	}
	if c := one(t, l, "SELECT count(*) FROM azure_signinlogs"); c != "3000" {
		t.Fatalf("signin %s", c)
	}
	if st.Partitions != 150 {
		t.Fatalf("partitions %d", st.Partitions)
	}
}

func TestMain(m *testing.M) {
	code := m.Run()
	if benchLake.dir != "" {
		os.RemoveAll(benchLake.dir)
	}
	os.Exit(code)
}

// BenchmarkIngest measures vigil logs ingest on the invictus CloudTrail files
// into a new lake: read, normalize, OCSF encoding, Parquet, fsync. It reports
// events/s and events per CPU-second (immune to other processes).
func BenchmarkIngest(b *testing.B) {
	benchIngest(b, []string{filepath.Join(corpusLogs(b), "aws_cloudtrail", "invictus-aws_dataset")})
}

// BenchmarkIngestLarge ingests the invictus CloudTrail events written 345
// times over (VIGIL_BENCH_COPIES) into 8 {"Records":[...]} files: 1,000,500
// events, the set issue 7 measured `vigil logs ingest` on.
func BenchmarkIngestLarge(b *testing.B) {
	copies := 345
	if s := os.Getenv("VIGIL_BENCH_COPIES"); s != "" {
		copies, _ = strconv.Atoi(s)
	}
	var raws [][]byte
	if err := logs.Walk(context.Background(), []string{filepath.Join(corpusLogs(b), "aws_cloudtrail", "invictus-aws_dataset")}, func(r logs.Record) error {
		if r.Source == logs.AWSCloudTrail {
			raws = append(raws, bytes.Clone(r.Raw))
		}
		return nil
	}, nil); err != nil {
		b.Fatal(err)
	}
	dir := b.TempDir()
	const nfiles = 8
	for f := range nfiles {
		var buf bytes.Buffer
		buf.WriteString(`{"Records":[`)
		first := true
		for c := f; c < copies; c += nfiles {
			for _, raw := range raws {
				if !first {
					buf.WriteByte(',')
				}
				first = false
				// Each copy its own eventID: the lake keeps every event.
				buf.Write(bytes.Replace(raw, []byte(`"eventID":"`), []byte(fmt.Sprintf(`"eventID":"c%d-`, c)), 1))
			}
		}
		buf.WriteString("]}")
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("ct-%d.json", f)), buf.Bytes(), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	benchIngest(b, []string{dir})
}

// benchIngest reports events/s and events per CPU-second (and the system
// CPU time per event: reading, writing, faulting in memory), and the bytes
// of Parquet stored per event (the compression's trade-off). The ingest
// runs in a runtime/trace task and region named "ingest" (for -test.trace:
// go run ./scripts/traceparallel tells how much of it kept both cores busy).
func benchIngest(b *testing.B, paths []string) {
	events := 0
	var (
		cpu, sys time.Duration
		stored   int64
	)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		l, err := Open(b.TempDir())
		if err != nil {
			b.Fatal(err)
		}
		u0, s0 := cpuTimes()
		b.StartTimer()
		ctx, task := trace.NewTask(context.Background(), "ingest")
		region := trace.StartRegion(ctx, "ingest")
		st, err := l.Ingest(ctx, paths, IngestOptions{})
		region.End()
		task.End()
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		u1, s1 := cpuTimes()
		cpu += u1 - u0 + s1 - s0
		sys += s1 - s0
		stored += lakeBytes(b, l.Dir)
		b.StartTimer()
		events += st.Stored["aws_cloudtrail"]
	}
	b.ReportMetric(float64(events)/b.Elapsed().Seconds(), "events/s")
	b.ReportMetric(float64(events)/cpu.Seconds(), "events/cpu-s")
	b.ReportMetric(float64(sys.Nanoseconds())/float64(events), "sys-ns/event")
	b.ReportMetric(float64(stored)/float64(events), "parquet-B/event")
}

// lakeBytes sums the sizes of a lake's part files.
func lakeBytes(tb testing.TB, dir string) int64 {
	files, err := filepath.Glob(Glob(dir, "*"))
	if err != nil {
		tb.Fatal(err)
	}
	var n int64
	for _, f := range files {
		fi, err := os.Stat(f)
		if err != nil {
			tb.Fatal(err)
		}
		n += fi.Size()
	}
	return n
}
