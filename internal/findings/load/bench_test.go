package load

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

var benchFindings = flag.Int("findings", 100000, "how many provider findings BenchmarkImport imports (the target is 1,000,000 in < 10 s and < 2 GiB)")

// writeBenchFiles writes n findings, cycling through every sample record
// (each with a unique id), into one file per sample record kind in dir,
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
	}
	var ts []tmpl
	for _, f := range res.Findings {
		var buf bytes.Buffer
		if err := json.Compact(&buf, f.Raw); err != nil {
			tb.Fatal(err)
		}
		if !bytes.Contains(buf.Bytes(), []byte(`"`+f.ID+`"`)) {
			tb.Fatalf("%s: the id is not in the raw record", f.ID)
		}
		ts = append(ts, tmpl{buf.Bytes(), f.ID})
	}
	var total int64
	for k, t := range ts {
		file, err := os.Create(filepath.Join(dir, fmt.Sprintf("part-%02d.json", k)))
		if err != nil {
			tb.Fatal(err)
		}
		w := bufio.NewWriterSize(file, 1<<20)
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
		if err := w.Flush(); err != nil {
			tb.Fatal(err)
		}
		st, _ := file.Stat()
		total += st.Size()
		file.Close()
	}
	return total
}

// BenchmarkImport imports -findings provider findings of every format
// (read, split, recognise, decode, normalize), keeping the raw records and
// without them, and reports findings per second (wall and CPU), the input
// size, and the live heap and peak RSS after the import.
func BenchmarkImport(b *testing.B) {
	b.Run("raw", func(b *testing.B) { benchImport(b) })
	b.Run("without-raw", func(b *testing.B) { benchImport(b, WithoutRaw()) })
}

func benchImport(b *testing.B, opts ...Option) {
	n := *benchFindings
	dir := b.TempDir()
	size := writeBenchFiles(b, dir, n)
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
	}
	b.ReportMetric(float64(size)/(1<<20), "input-MiB")
	b.ReportMetric(float64(live)/(1<<20), "heap-MiB")
	if rss := maxRSS(); rss > 0 {
		b.ReportMetric(float64(rss)/(1<<20), "maxrss-MiB")
	}
}
