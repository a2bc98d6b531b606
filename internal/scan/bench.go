package scan

import (
	"context"
	"fmt"
	"runtime"
	"syscall"
	"time"

	"github.com/vigil-sec/vigil/internal/importer"
	"github.com/vigil-sec/vigil/internal/policy"
	"github.com/vigil-sec/vigil/internal/synth"
)

// BenchResult is one measured scan of a synthetic inventory.
type BenchResult struct {
	Resources       int           `json:"resources"`
	Rules           int           `json:"rules"`
	Findings        int           `json:"findings"`
	Import          time.Duration `json:"import_ns"`
	Evaluate        time.Duration `json:"evaluate_ns"`
	Total           time.Duration `json:"total_ns"`
	ResourcesPerSec float64       `json:"resources_per_second"`
	// PeakRSS is the process's maximum resident set size in bytes.
	PeakRSS int64 `json:"peak_rss_bytes"`
	CPUs    int   `json:"cpus"`
}

func (b BenchResult) String() string {
	return fmt.Sprintf("%d resources, %d rules, %d findings: import %s + evaluate %s = %s => %.0f resources/s on %d CPUs, peak RSS %.0f MiB",
		b.Resources, b.Rules, b.Findings, b.Import.Round(time.Millisecond), b.Evaluate.Round(time.Millisecond),
		b.Total.Round(time.Millisecond), b.ResourcesPerSec, b.CPUs, float64(b.PeakRSS)/(1<<20))
}

// Bench generates about n synthetic resources in the clouds' native export
// formats under dir, then imports and evaluates them with e, timing both.
func Bench(ctx context.Context, e *policy.Engine, dir string, n int, mix synth.Mix) (BenchResult, error) {
	if _, err := synth.Generate(ctx, dir, n, mix); err != nil {
		return BenchResult{}, fmt.Errorf("generating synthetic inventory: %w", err)
	}
	runtime.GC()
	gc := tuneGC() // as vigil scan does
	defer gc.restore()
	t0 := time.Now()
	inv, err := importer.Load(ctx, []string{dir})
	if err != nil {
		return BenchResult{}, err
	}
	gc.grow()
	if len(inv.Errors) > 0 {
		return BenchResult{}, fmt.Errorf("synthetic inventory did not import cleanly: %v", inv.Errors[0])
	}
	t1 := time.Now()
	fs, err := e.Evaluate(ctx, inv.Resources, time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC))
	if err != nil {
		return BenchResult{}, err
	}
	t2 := time.Now()
	res := BenchResult{
		Resources: len(inv.Resources), Rules: len(e.Rules()), Findings: len(fs),
		Import: t1.Sub(t0), Evaluate: t2.Sub(t1), Total: t2.Sub(t0), CPUs: runtime.GOMAXPROCS(0),
		PeakRSS: peakRSS(),
	}
	res.ResourcesPerSec = float64(res.Resources) / res.Total.Seconds()
	return res, nil
}

func peakRSS() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Maxrss * 1024 // Linux reports KiB
}
