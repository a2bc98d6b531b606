package load

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vigil-sec/vigil/internal/findings"
)

var (
	benchFindings = flag.Int("findings", 100000, "how many provider findings BenchmarkImport imports (the target is 1,000,000 in < 10 s and < 2 GiB)")
	benchDir      = flag.String("bench-dir", "", "write BenchmarkImport's input to this directory and reuse it when it holds -findings findings already (for timing vigil findings import on the same files)")
	benchOnly     = flag.String("bench-only", "", "only the sample records of these comma-separated formats, named by their sample file's prefix (guardduty, securityhub-get-findings for ASFF, securityhub-ocsf, inspector, defender, scc, artifact): the -findings findings cycle through those alone")
)

// benchStamp is what the stamp beside -bench-dir records of its input.
func benchStamp(n int) string {
	if *benchOnly == "" {
		return fmt.Sprint(n)
	}
	return fmt.Sprintf("%d %s", n, *benchOnly)
}

// benchSample reports whether the sample file's records are generated
// (see -bench-only).
func benchSample(file string) bool {
	if *benchOnly == "" {
		return true
	}
	base := filepath.Base(file)
	for _, p := range strings.Split(*benchOnly, ",") {
		if p = strings.TrimSpace(p); p != "" && strings.HasPrefix(base, p) {
			return true
		}
	}
	return false
}

// benchInput returns the directory holding n generated findings and its
// size: b.TempDir, or -bench-dir (written once, then reused).
func benchInput(b *testing.B, n int) (string, int64) {
	dir := *benchDir
	if dir == "" {
		dir = b.TempDir()
		return dir, writeBenchFiles(b, dir, n)
	}
	stamp := filepath.Clean(dir) + ".findings" // beside dir: an import of dir reads only findings
	if s, err := os.ReadFile(stamp); err == nil && string(s) == benchStamp(n) {
		var size int64
		ents, _ := os.ReadDir(dir)
		for _, e := range ents {
			if info, err := e.Info(); err == nil && !e.IsDir() {
				size += info.Size()
			}
		}
		return dir, size
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		b.Fatal(err)
	}
	size := writeBenchFiles(b, dir, n)
	if err := os.WriteFile(stamp, []byte(benchStamp(n)), 0o644); err != nil {
		b.Fatal(err)
	}
	return dir, size
}

// writeBenchFiles writes n findings, cycling through every sample record
// (each with a unique id), into one file per sample record kind in dir
// (a JSON array, or a CSV report for the rows of Inspector's CSV report),
// and returns the bytes written.
func writeBenchFiles(tb testing.TB, dir string, n int) int64 {
	tb.Helper()
	res, err := Files(context.Background(), []string{"testdata/samples"})
	if err != nil || len(res.Findings) == 0 {
		tb.Fatalf("samples: %v", err)
	}
	type tmpl struct {
		raw []byte
		id  string
		csv bool
	}
	var ts []tmpl
	for _, f := range res.Findings {
		if !benchSample(f.Source.File) {
			continue
		}
		var buf bytes.Buffer
		if err := json.Compact(&buf, f.Raw); err != nil {
			tb.Fatal(err)
		}
		if !bytes.Contains(buf.Bytes(), []byte(`"`+f.ID+`"`)) {
			tb.Fatalf("%s: the id is not in the raw record", f.ID)
		}
		ts = append(ts, tmpl{buf.Bytes(), f.ID, strings.HasSuffix(f.Source.File, ".csv")})
	}
	if len(ts) == 0 {
		tb.Fatalf("-bench-only %q names no sample file", *benchOnly)
	}
	var total int64
	for k, t := range ts {
		name := fmt.Sprintf("part-%02d.json", k)
		if t.csv {
			name = fmt.Sprintf("part-%02d.csv", k)
		}
		file, err := os.Create(filepath.Join(dir, name))
		if err != nil {
			tb.Fatal(err)
		}
		w := bufio.NewWriterSize(file, 1<<20)
		if t.csv {
			writeBenchCSV(tb, w, t.raw, t.id, k, n, len(ts))
		} else {
			w.WriteString("[\n")
			first := true
			for i := k; i < n; i += len(ts) {
				if !first {
					w.WriteString(",\n")
				}
				first = false
				w.Write(bytes.Replace(t.raw, []byte(`"`+t.id+`"`), []byte(`"`+t.id+"-"+fmt.Sprint(i)+`"`), 1))
			}
			w.WriteString("\n]\n")
		}
		if err := w.Flush(); err != nil {
			tb.Fatal(err)
		}
		st, _ := file.Stat()
		total += st.Size()
		file.Close()
	}
	return total
}

// writeBenchCSV writes the rows k, k+step... below n of an Inspector CSV
// report repeating the row whose raw record (a JSON object keyed by the
// header) is raw, each with a unique finding ARN.
func writeBenchCSV(tb testing.TB, w io.Writer, raw []byte, id string, k, n, step int) {
	var row map[string]string
	if err := json.Unmarshal(raw, &row); err != nil {
		tb.Fatal(err)
	}
	header := make([]string, 0, len(row))
	for h := range row {
		header = append(header, h)
	}
	sort.Strings(header)
	cw := csv.NewWriter(w)
	cw.Write(header)
	rec := make([]string, len(header))
	for i := k; i < n; i += step {
		for j, h := range header {
			rec[j] = row[h]
			if rec[j] == id {
				rec[j] = id + "-" + fmt.Sprint(i)
			}
		}
		cw.Write(rec)
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		tb.Fatal(err)
	}
}

// BenchmarkImport imports -findings provider findings of every format
// (read, split, recognise, decode, normalize), keeping the raw records and
// without them, and reports findings per second (wall and CPU), the CPU
// seconds of one import beside its wall time (ns/op), the input size, and
// the live heap and peak RSS after the import. (The peak RSS is the
// process's: with both sub-benchmarks, the second's includes the first's.)
func BenchmarkImport(b *testing.B) {
	b.Run("raw", func(b *testing.B) { benchImport(b) })
	b.Run("without-raw", func(b *testing.B) { benchImport(b, WithoutRaw()) })
}

func benchImport(b *testing.B, opts ...Option) {
	n := *benchFindings
	dir, size := benchInput(b, n)
	runtime.GC()
	b.ResetTimer()
	cpu0 := cpuTime()
	var got int
	var live uint64
	for b.Loop() {
		res, err := Files(context.Background(), []string{dir}, opts...)
		if err != nil || len(res.Problems) > 0 {
			b.Fatalf("%v %v", err, res.Problems)
		}
		got = len(res.Findings)
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		live = ms.HeapInuse
		runtime.KeepAlive(res)
	}
	if got != n {
		b.Fatalf("imported %d findings, want %d", got, n)
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "findings/s")
	// CPU time is what the figure costs on a machine shared with other
	// work, where wall time varies with the load.
	if cpu := cpuTime() - cpu0; cpu > 0 {
		b.ReportMetric(float64(n)*float64(b.N)/cpu.Seconds(), "findings/cpu-s")
		b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/op")
	}
	b.ReportMetric(float64(size)/(1<<20), "input-MiB")
	b.ReportMetric(float64(live)/(1<<20), "heap-MiB")
	if rss := maxRSS(); rss > 0 {
		b.ReportMetric(float64(rss)/(1<<20), "maxrss-MiB")
	}
}

// BenchmarkImportOCSF is vigil findings import --format ocsf-jsonl end to
// end over -findings provider findings of every format: read, recognise,
// decode and normalize, sort, and write the OCSF events (raw records
// included, read back from the input files) to a file. It reports findings per CPU-second and the CPU
// seconds of one import, the allocations, the output size and the peak
// heap and RSS.
func BenchmarkImportOCSF(b *testing.B) {
	n := *benchFindings
	dir, size := benchInput(b, n)
	out := filepath.Join(b.TempDir(), "findings.ocsf.jsonl")
	runtime.GC()
	var peak atomic.Uint64
	stop := watchHeap(&peak)
	defer stop()
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cpuTime()
	var written int64
	for b.Loop() {
		res, err := Files(context.Background(), []string{dir}, RawInFiles()) // as --format ocsf-jsonl reads
		if err != nil || len(res.Problems) > 0 || len(res.Findings) != n {
			b.Fatalf("%d findings, %v %v", len(res.Findings), err, res.Problems)
		}
		Sort(res.Findings)
		f, err := os.Create(out)
		if err != nil {
			b.Fatal(err)
		}
		w := bufio.NewWriterSize(f, 1<<20)
		if err := findings.WriteOCSF(w, res.Findings, true); err != nil {
			b.Fatal(err)
		}
		if err := w.Flush(); err != nil {
			b.Fatal(err)
		}
		st, _ := f.Stat()
		written = st.Size()
		if err := f.Close(); err != nil {
			b.Fatal(err)
		}
		if err := res.Close(); err != nil {
			b.Fatal(err)
		}
	}
	cpu := cpuTime() - cpu0
	b.ReportMetric(float64(n)*float64(b.N)/cpu.Seconds(), "findings/cpu-s")
	b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/op")
	b.ReportMetric(float64(size)/(1<<20), "input-MiB")
	b.ReportMetric(float64(written)/(1<<20), "output-MiB")
	b.ReportMetric(float64(peak.Load())/(1<<20), "peak-heap-MiB")
	if rss := maxRSS(); rss > 0 {
		b.ReportMetric(float64(rss)/(1<<20), "maxrss-MiB")
	}
}

// watchHeap samples the heap in use (runtime/metrics, which does not stop
// the world as ReadMemStats does) every 10 ms into peak until stop is
// called.
func watchHeap(peak *atomic.Uint64) (stop func()) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(10 * time.Millisecond)
		defer t.Stop()
		ms := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}, {Name: "/memory/classes/heap/unused:bytes"}}
		for {
			metrics.Read(ms)
			if n := ms[0].Value.Uint64() + ms[1].Value.Uint64(); n > peak.Load() {
				peak.Store(n)
			}
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return func() { close(done); wg.Wait() }
}

// BenchmarkWriteOCSF writes the OCSF events of -findings provider findings
// of every format (imported once, raw records left in their files, as
// --format ocsf-jsonl does) and reports the CPU time of one write.
func BenchmarkWriteOCSF(b *testing.B) {
	n := *benchFindings
	dir, _ := benchInput(b, n)
	res, err := Files(context.Background(), []string{dir}, RawInFiles())
	if err != nil || len(res.Problems) > 0 || len(res.Findings) != n {
		b.Fatalf("%d findings, %v %v", len(res.Findings), err, res.Problems)
	}
	defer res.Close()
	Sort(res.Findings)
	runtime.GC()
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cpuTime()
	for b.Loop() {
		if err := findings.WriteOCSF(io.Discard, res.Findings, true); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric((cpuTime()-cpu0).Seconds()/float64(b.N), "cpu-s/op")
}
