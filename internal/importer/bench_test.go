package importer

import (
	"bytes"
	"context"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/vigil-sec/vigil/internal/importer/internal/attr"
	"github.com/vigil-sec/vigil/internal/synth"
)

// loadDir, when set, keeps BenchmarkLoad's generated inventories in
// DIR/<size>, generated on the first run and read again by the next: the
// generation (several CPU-seconds at 100k) then stays out of the process's
// CPU time and peak RSS, which before/after pairs compare.
var loadDir = flag.String("load-dir", "", "keep BenchmarkLoad's generated inventories in this directory")

var loadMillion = flag.Bool("load-million", false, "BenchmarkLoad also imports 1,000,000 resources")

// loadMix is the mix of BenchmarkLoad's inventories: rule-heavy (the
// default, as the figures in docs/importers.md) or realistic (vigil
// bench's default mix).
var loadMix = flag.String("load-mix", "rule-heavy", "BenchmarkLoad's resource mix: rule-heavy or realistic")

// BenchmarkLoad measures import alone (read, detect, decode, normalize,
// merge, finalize) over a synthetic multi-cloud inventory, and reports
// resources per second.
func BenchmarkLoad(b *testing.B) {
	sizes := []int{30000, 100000}
	if *loadMillion {
		sizes = append(sizes, 1000000)
	}
	for _, n := range sizes {
		b.Run(itoa(n), func(b *testing.B) {
			if got := benchLoad(b, benchInventory(b, n), n); got < n {
				b.Fatalf("imported %d resources, want at least %d", got, n)
			}
		})
	}
}

// benchInventory is the directory of a generated inventory of n
// resources of the -load-mix mix: a temporary one, or the one kept under
// -load-dir.
func benchInventory(b *testing.B, n int) string {
	mix, name := synth.RuleHeavy, itoa(n)
	switch *loadMix {
	case "rule-heavy":
	case "realistic":
		mix, name = synth.Realistic, name+"-realistic"
	default:
		b.Fatalf("-load-mix %q: want rule-heavy or realistic", *loadMix)
	}
	dir := b.TempDir()
	if *loadDir != "" {
		dir = filepath.Join(*loadDir, name)
		if ents, err := os.ReadDir(dir); err == nil && len(ents) > 0 {
			return dir
		}
		if err := os.MkdirAll(dir, 0o755); err != nil {
			b.Fatal(err)
		}
	}
	if _, err := synth.Generate(context.Background(), dir, n, mix); err != nil {
		b.Fatal(err)
	}
	return dir
}

func itoa(n int) string {
	switch {
	case n >= 1000000 && n%1000000 == 0:
		return itoa(n/1000000) + "M"
	case n >= 1000 && n%1000 == 0:
		return itoa(n/1000) + "k"
	case n < 10:
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}

// BenchmarkDecode decodes the files of a generated 30,000-resource
// inventory into generic trees as the importers do (AWS Config snapshots
// and Resource Graph results whole, Cloud Asset exports line by line), and
// reports MB of JSON per CPU-second.
func BenchmarkDecode(b *testing.B) {
	dir := benchInventory(b, 30000)
	var docs, lines [][]byte
	var size int64
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		size += int64(len(data))
		if _, ok := detectNDJSON(data); ok {
			for l := range bytes.SplitSeq(data, []byte("\n")) {
				lines = append(lines, l)
			}
		} else {
			docs = append(docs, data)
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(size)
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cpuTime()
	for b.Loop() {
		for _, d := range docs {
			var v any
			if err := attr.Decode(d, &v); err != nil {
				b.Fatal(err)
			}
		}
		for _, l := range lines {
			var m attr.M
			if len(bytes.TrimSpace(l)) > 0 {
				if err := attr.Decode(l, &m); err != nil {
					b.Fatal(err)
				}
			}
		}
	}
	if cpu := cpuTime() - cpu0; cpu > 0 {
		b.ReportMetric(float64(size)*float64(b.N)/1e6/cpu.Seconds(), "MB/cpu-s")
	}
}

// BenchmarkLoadOneFile imports the Cloud Asset lines of a generated
// 100,000-resource inventory from one file (as `gcloud asset export` of a
// whole organization writes them), and reports resources per second and
// per CPU-second: the file is decoded on every core (attr.Lines).
func BenchmarkLoadOneFile(b *testing.B) {
	src := filepath.Join(benchInventory(b, 100000), "gcp")
	ents, err := os.ReadDir(src)
	if err != nil {
		b.Fatal(err)
	}
	var all []byte
	for _, e := range ents {
		data, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			b.Fatal(err)
		}
		all = append(append(all, data...), '\n')
	}
	path := filepath.Join(b.TempDir(), "assets.json")
	if err := os.WriteFile(path, all, 0o644); err != nil {
		b.Fatal(err)
	}
	benchLoad(b, path, 0)
}

// benchLoad imports path b.N times, fails on an input problem, reports n
// resources (those requested from the generator; 0: those imported) per
// second and per CPU-second, and returns how many an import gave.
func benchLoad(b *testing.B, path string, n int) int {
	b.ResetTimer()
	cpu0 := cpuTime()
	var got int
	for b.Loop() {
		inv, err := Load(context.Background(), []string{path})
		if err != nil {
			b.Fatal(err)
		}
		if len(inv.Errors) > 0 {
			b.Fatalf("errors: %+v", inv.Errors[0])
		}
		got = len(inv.Resources)
	}
	if n == 0 {
		n = got
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "resources/s")
	// CPU time is what the figure costs on a machine shared with other
	// work, where wall time varies with the load.
	if cpu := cpuTime() - cpu0; cpu > 0 {
		b.ReportMetric(float64(n)*float64(b.N)/cpu.Seconds(), "resources/cpu-s")
	}
	return got
}
