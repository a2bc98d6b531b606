package detect

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkDetectAlertHeavy: every event raises an alert (a catch-all rule
// over 20,000 synthetic CloudTrail events in 20 files), written as JSON
// lines to a file: the cost of building, encoding and writing alerts.
func BenchmarkDetectAlertHeavy(b *testing.B) {
	rules := b.TempDir()
	os.WriteFile(filepath.Join(rules, "all.yml"), []byte(catchAllRule), 0o644)
	dir := b.TempDir()
	for f := range 20 {
		var evs []map[string]any
		for i := range 1000 {
			ev := ctEvent(i%60, "GetUser", fmt.Sprintf("arn:aws:iam::111122223333:user/u%d", i%13), "198.51.100.7")
			ev["eventID"] = fmt.Sprintf("%d-%d", f, i)
			evs = append(evs, ev)
		}
		writeTrail(b, dir, fmt.Sprintf("f%02d.json", f), evs...)
	}
	ctx := context.Background()
	out := filepath.Join(b.TempDir(), "alerts.jsonl")
	var events int64
	var cpu int64
	for b.Loop() {
		eng, err := New(ctx, Config{RuleDirs: []string{rules}, NoBuiltins: true, Tuning: NoTuning()})
		if err != nil {
			b.Fatal(err)
		}
		s, err := OpenJSONLFile(out)
		if err != nil {
			b.Fatal(err)
		}
		c0 := cpuTime()
		if err := eng.Run(ctx, []string{dir}, s, RunOptions{}); err != nil {
			b.Fatal(err)
		}
		s.Close()
		cpu += int64(cpuTime() - c0)
		events += eng.Stats().Events
		os.Remove(out)
	}
	b.ReportMetric(float64(events)/b.Elapsed().Seconds(), "alerts/s")
	b.ReportMetric(float64(events)/(float64(cpu)/1e9), "alerts/cpu-s")
}
