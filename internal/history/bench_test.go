package history_test

import (
	"context"
	"fmt"
	"syscall"
	"testing"
	"time"

	"github.com/vigil-sec/vigil/internal/finding"
	"github.com/vigil-sec/vigil/internal/history"
	"github.com/vigil-sec/vigil/internal/history/historytest"
	"github.com/vigil-sec/vigil/internal/resource"
)

// scanOf returns n findings over 100 rules and n/100 resources in 20
// accounts of two clouds, a third of them failing; shift changes which
// fail (a later scan: some resolved, some new).
func scanOf(n, shift int) []finding.Finding {
	sevs := []finding.Severity{finding.Critical, finding.High, finding.Medium, finding.Low, finding.Info}
	fs := make([]finding.Finding, n)
	for i := range fs {
		rule, res := i%100, i/100
		p, acct := resource.AWS, fmt.Sprintf("1111%08d", res%10)
		if res%2 == 1 {
			p, acct = resource.Azure, fmt.Sprintf("sub-%d", res%10)
		}
		st := finding.Pass
		if (i+shift)%3 == 0 {
			st = finding.Fail
		}
		fs[i] = finding.Finding{RuleID: fmt.Sprintf("rule-%03d", rule), Title: "a rule title", Category: "storage",
			Severity: sevs[rule%5], Status: st, Message: "the resource is not configured as the rule wants",
			Resource: resource.Ref{ID: fmt.Sprintf("/subscriptions/x/resourceGroups/rg/providers/t/%d", res), Type: "t", Provider: p,
				Account: acct, Region: "eu-west-1", Name: fmt.Sprint(res)},
			Frameworks: []finding.Reference{{Framework: "soc2", Control: fmt.Sprintf("CC%d.1", rule%9)}}}
	}
	return fs
}

// BenchmarkRecord100k records one scan of 100,000 findings: into an empty
// history (first) and as the next run of a history holding the same
// identities, a third of them changing state (next). cpu-s/op is this
// process's CPU time per record (on PostgreSQL the server's is not in it):
// on a loaded machine, closer than the elapsed time to what a quiet one
// takes.
func BenchmarkRecord100k(b *testing.B) {
	const n = 100_000
	// A context that can end, as vigil's commands pass (they stop on a
	// signal): a driver may watch it for every statement.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	for _, e := range historytest.Engines() {
		b.Run(e.Name+"/first", func(b *testing.B) {
			fs := scanOf(n, 0)
			var cpu, server time.Duration
			for b.Loop() {
				b.StopTimer()
				dsn := e.DSN(b)
				s, err := history.Open(ctx, dsn)
				if err != nil {
					b.Fatal(err)
				}
				c0, s0 := cpuTime(), historytest.ServerCPU(dsn)
				b.StartTimer()
				if _, err := s.Record(ctx, &history.Scan{Source: "bench", Started: t0, Findings: fs}); err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				cpu += cpuTime() - c0
				server += historytest.ServerCPU(dsn) - s0
				s.Close()
				b.StartTimer()
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "findings/s")
			b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/op")
			if server > 0 {
				b.ReportMetric(server.Seconds()/float64(b.N), "server-cpu-s/op")
			}
		})
		b.Run(e.Name+"/next", func(b *testing.B) {
			dsn := e.DSN(b)
			s, err := history.Open(ctx, dsn)
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			if _, err := s.Record(ctx, &history.Scan{Source: "bench", Started: t0, Findings: scanOf(n, 0)}); err != nil {
				b.Fatal(err)
			}
			fs := scanOf(n, 1)
			i := 0
			c0, s0 := cpuTime(), historytest.ServerCPU(dsn)
			for b.Loop() {
				i++
				if _, err := s.Record(ctx, &history.Scan{Source: "bench", Started: t0.Add(time.Duration(i) * time.Hour), Findings: fs}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "findings/s")
			b.ReportMetric((cpuTime()-c0).Seconds()/float64(b.N), "cpu-s/op")
			if server := historytest.ServerCPU(dsn) - s0; server > 0 {
				b.ReportMetric(server.Seconds()/float64(b.N), "server-cpu-s/op")
			}
		})
	}
}

// cpuTime is the process's user and system CPU time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
