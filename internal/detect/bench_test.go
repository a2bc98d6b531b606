package detect

import (
	"context"
	"testing"
	"time"
)

type discardSink struct{ n int }

func (d *discardSink) Write(context.Context, *Alert) error { d.n++; return nil }
func (d *discardSink) Flush(context.Context) error         { return nil }
func (d *discardSink) Close() error                        { return nil }

// BenchmarkDetectCloudTrail reads the invictus CloudTrail files and evaluates
// every loadable SigmaHQ cloud rule plus vigil's built-ins (OCSF
// normalization only for events that match or that an OCSF rule may match),
// on GOMAXPROCS workers. Reports events/s.
func BenchmarkDetectCloudTrail(b *testing.B) {
	data := corpus(b, "logs", "aws_cloudtrail", "invictus-aws_dataset")
	rules := corpus(b, "sigma-cloud")
	ctx := context.Background()
	eng, err := New(ctx, Config{RuleDirs: []string{rules}})
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("%d rules, %d correlations loaded, %d not loaded", eng.Rules, eng.Correlations, len(eng.LoadErrors))
	files := ListFiles([]string{data}, nil)
	b.ResetTimer()
	start := time.Now()
	_ = start
	var events int64
	for i := 0; i < b.N; i++ {
		// A fresh engine per pass: replaying the same events into one
		// engine would pile them into the correlation windows.
		b.StopTimer()
		eng, err := New(ctx, Config{RuleDirs: []string{rules}})
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if err := eng.Run(ctx, files, &discardSink{}, RunOptions{}); err != nil {
			b.Fatal(err)
		}
		events += eng.Stats().Events
	}
	b.ReportMetric(float64(events)/b.Elapsed().Seconds(), "events/s")
}
