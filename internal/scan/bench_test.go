package scan

import (
	"bytes"
	"context"
	"testing"

	"github.com/vigil-sec/vigil/internal/policy"
	"github.com/vigil-sec/vigil/internal/rules"
	"github.com/vigil-sec/vigil/internal/synth"
)

// BenchmarkScan measures a whole scan (import, the whole built-in pack, the
// JSON report) over a synthetic inventory, on both mixes
// (VIGIL_BENCH_RESOURCES overrides the default size of 100,000).
func BenchmarkScan(b *testing.B) {
	ctx := context.Background()
	e, err := policy.New(ctx, []policy.Source{{FS: rules.FS(), Name: "builtin", Builtin: true}})
	if err != nil {
		b.Fatal(err)
	}
	n := benchSize()
	for _, mix := range []struct {
		name string
		mix  synth.Mix
	}{{"realistic", synth.Realistic}, {"rule-heavy", synth.RuleHeavy}} {
		b.Run(mix.name, func(b *testing.B) {
			var last BenchResult
			for range b.N {
				res, err := Bench(ctx, e, BenchOptions{Resources: n, Mix: mix.mix, Dir: b.TempDir(), Format: "json"})
				if err != nil {
					b.Fatal(err)
				}
				last = res
			}
			b.ReportMetric(last.ResourcesPerSec, "resources/s")
			b.ReportMetric(float64(last.PeakRSS)/(1<<20), "peakRSS-MiB")
			b.Log(last)
		})
	}
}

// TestBenchHeapProfile: --memprofile's heap profile is written, once, in
// pprof's gzipped format, the largest live heap is measured, and the scan
// still measures.
func TestBenchHeapProfile(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles the pack and scans a small synthetic inventory")
	}
	ctx := context.Background()
	e, err := policy.New(ctx, []policy.Source{{FS: rules.FS(), Name: "builtin", Builtin: true}})
	if err != nil {
		t.Fatal(err)
	}
	var heap bytes.Buffer
	res, err := Bench(ctx, e, BenchOptions{Resources: 300, Mix: synth.RuleHeavy, Dir: t.TempDir(), Runs: 2, HeapProfile: &heap})
	if err != nil {
		t.Fatal(err)
	}
	if res.Resources == 0 || res.Findings == 0 {
		t.Errorf("bench measured %d resources, %d findings", res.Resources, res.Findings)
	}
	// The largest live heap holds at least the engine (compiled rules).
	if res.PeakLive < 1<<20 || int64(res.PeakLive) > res.PeakRSS {
		t.Errorf("largest live heap %d bytes (peak RSS %d)", res.PeakLive, res.PeakRSS)
	}
	if b := heap.Bytes(); len(b) < 2 || b[0] != 0x1f || b[1] != 0x8b {
		t.Fatalf("heap profile of %d bytes is not a gzipped pprof profile", len(b))
	}
}
