package detect

import (
	"context"
	"syscall"
	"testing"
	"time"
)

// cpuTime is the process's user+system CPU time.
func cpuTime() time.Duration {
	cpu, _ := usage()
	return cpu
}

// usage is the process's user+system CPU time and its minor page faults
// (first touches of fresh memory: on this VM a large share of system time).
func usage() (time.Duration, int64) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), ru.Minflt
}

type discardSink struct{ n int }

func (d *discardSink) Write(context.Context, *Alert) error { d.n++; return nil }
func (d *discardSink) Flush(context.Context) error         { return nil }
func (d *discardSink) Close() error                        { return nil }

// BenchmarkDetectCloudTrail reads the invictus CloudTrail files (2,900
// events) and evaluates every loadable SigmaHQ cloud rule (sigma-cloud/:
// AWS, Azure, GCP, M365 folders; the CloudTrail ones apply), without and
// with vigil's built-ins and correlations, on GOMAXPROCS workers (files fan
// out to workers; alerts are emitted in input order). OCSF normalization
// happens only for events that matched or that an OCSF rule may match.
// Reports events/s.
func BenchmarkDetectCloudTrail(b *testing.B) {
	data := corpus(b, "logs", "aws_cloudtrail", "invictus-aws_dataset")
	rules := corpus(b, "sigma-cloud")
	ctx := context.Background()
	files := ListFiles([]string{data}, nil)
	for _, bc := range []struct {
		name       string
		noBuiltins bool
	}{{"sigmahq", true}, {"sigmahq+builtin", false}} {
		b.Run(bc.name, func(b *testing.B) {
			cfg := Config{RuleDirs: []string{rules}, NoBuiltins: bc.noBuiltins}
			eng, err := New(ctx, cfg)
			if err != nil {
				b.Fatal(err)
			}
			b.Logf("%d rules, %d correlations loaded, %d not loaded", eng.Rules, eng.Correlations, len(eng.LoadErrors))
			benchRun(b, files, cfg)
		})
	}
}

// benchRun runs a fresh engine over files b.N times and reports events/s
// (wall) and events per CPU-second. A fresh engine per pass: replaying the
// same events into one engine would pile them into the correlation windows.
func benchRun(b *testing.B, files []string, cfg Config) {
	ctx := context.Background()
	// The collector paced as vigil detect paces a batch run (BatchGC:
	// GOGC=200 with a soft memory limit, unless GOGC or GOMEMLIMIT is
	// set: GOGC=100 measures the engine with the runtime's default).
	defer BatchGC()()
	var events, faults int64
	var cpu time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		eng, err := New(ctx, cfg)
		if err != nil {
			b.Fatal(err)
		}
		c0, f0 := usage()
		b.StartTimer()
		if err := eng.Run(ctx, files, &discardSink{}, RunOptions{}); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		c1, f1 := usage()
		cpu, faults = cpu+c1-c0, faults+f1-f0
		b.StartTimer()
		events += eng.Stats().Events
	}
	b.ReportMetric(float64(events)/b.Elapsed().Seconds(), "events/s")
	// CPU seconds are immune to other processes on a shared machine: events
	// per CPU-second, times 2 cores, is the rate two idle cores would reach.
	b.ReportMetric(float64(events)/cpu.Seconds(), "events/cpu-s")
	b.ReportMetric(float64(faults)/float64(b.N), "pagefaults/op")
}
