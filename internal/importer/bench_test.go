package importer

import (
	"context"
	"testing"

	"github.com/vigil-sec/vigil/internal/synth"
)

// BenchmarkLoad measures import alone (read, detect, decode, normalize,
// merge, finalize) over a synthetic multi-cloud inventory, and reports
// resources per second.
func BenchmarkLoad(b *testing.B) {
	for _, n := range []int{30000, 100000} {
		b.Run(itoa(n), func(b *testing.B) {
			dir := b.TempDir()
			if _, err := synth.Generate(context.Background(), dir, n, synth.RuleHeavy); err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			cpu0 := cpuTime()
			var got int
			for b.Loop() {
				inv, err := Load(context.Background(), []string{dir})
				if err != nil {
					b.Fatal(err)
				}
				if len(inv.Errors) > 0 {
					b.Fatalf("errors: %+v", inv.Errors[0])
				}
				got = len(inv.Resources)
			}
			if got < n {
				b.Fatalf("imported %d resources, want at least %d", got, n)
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "resources/s")
			// CPU time is what the figure costs on a machine shared with
			// other work, where wall time varies with the load.
			if cpu := cpuTime() - cpu0; cpu > 0 {
				b.ReportMetric(float64(n)*float64(b.N)/cpu.Seconds(), "resources/cpu-s")
			}
		})
	}
}

func itoa(n int) string {
	switch {
	case n >= 1000 && n%1000 == 0:
		return itoa(n/1000) + "k"
	case n < 10:
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}
