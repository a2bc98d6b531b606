package scan

import (
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
