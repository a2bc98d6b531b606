package engine

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/vigil-sec/vigil/internal/respond"
)

// BenchmarkApplyLatency applies 1,000 approved changes (a read and a write
// each) against a local HTTP server answering every call after 50 ms, 50
// changes in flight (the apply target: 50 calls in flight against
// 50 ms latency). Reported: changes applied per second.
func BenchmarkApplyLatency(b *testing.B) {
	const n = 1000
	http.DefaultTransport.(*http.Transport).MaxIdleConnsPerHost = 100
	for b.Loop() {
		b.StopTimer()
		vals := map[string]string{}
		var subs []*respond.Subject
		for i := range n {
			vals[fmt.Sprint("b", i)] = "public"
			subs = append(subs, subj(fmt.Sprint("f", i), "public", fmt.Sprint("b", i), fmt.Sprint(i%10)))
		}
		f := newFixture(b, vals)
		f.r.Policy.Limits = Limits{}
		f.r.Policy.Concurrency = 50
		f.r.Policy.RateLimits = map[string]float64{"default": 100000}
		f.lock.steps = f.lock.steps[1:]
		p, err := f.r.Build(context.Background(), subs, []Playbook{f.lock}, BuildOptions{})
		if err != nil {
			b.Fatal(err)
		}
		file, _ := Seal(p)
		file.Approve("alice", "", time.Now())
		f.kv.latency = 50 * time.Millisecond
		b.StartTimer()
		start := time.Now()
		run, err := f.r.Apply(context.Background(), file, ApplyOptions{RunsDir: b.TempDir()})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(n)/time.Since(start).Seconds(), "changes/s")
		if c := run.Counts(); c[StatusApplied] != n {
			b.Fatalf("counts %v", c)
		}
	}
}
