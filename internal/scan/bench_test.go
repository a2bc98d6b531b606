package scan

import (
	"context"
	"testing"

	"github.com/vigil-sec/vigil/internal/policy"
	"github.com/vigil-sec/vigil/internal/rules"
	"github.com/vigil-sec/vigil/internal/synth"
)

// BenchmarkScan measures import + the whole built-in pack over a synthetic
// inventory (VIGIL_BENCH_RESOURCES overrides the default size).
func BenchmarkScan(b *testing.B) {
	ctx := context.Background()
	e, err := policy.New(ctx, []policy.Source{{FS: rules.FS(), Name: "builtin", Builtin: true}})
	if err != nil {
		b.Fatal(err)
	}
	n := benchSize()
	var last BenchResult
	for range b.N {
		res, err := Bench(ctx, e, b.TempDir(), n, synth.Realistic)
		if err != nil {
			b.Fatal(err)
		}
		last = res
	}
	b.ReportMetric(last.ResourcesPerSec, "resources/s")
	b.ReportMetric(float64(last.PeakRSS)/(1<<20), "peakRSS-MiB")
	b.Log(last)
}
