package server

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/vigil-sec/vigil/internal/finding"
	"github.com/vigil-sec/vigil/internal/history"
	"github.com/vigil-sec/vigil/internal/resource"
)

// BenchmarkExplorer measures the findings explorer under 50 concurrent
// users (VIGIL_BENCH_USERS): the first page (worst first) and a filtered page, over a history of
// VIGIL_BENCH_FINDINGS finding identities (default 100,000: 100 rules on
// 1,000 resources in 20 accounts of two clouds, a third failing), recorded
// once. Run with -benchtime=1x; it reports p50 and p95 in milliseconds.
//
//	go test ./internal/server -run '^$' -bench Explorer -benchtime=1x
func BenchmarkExplorer(b *testing.B) {
	n, users := 100_000, 50
	if v := os.Getenv("VIGIL_BENCH_FINDINGS"); v != "" {
		n, _ = strconv.Atoi(v)
	}
	if v := os.Getenv("VIGIL_BENCH_USERS"); v != "" {
		users, _ = strconv.Atoi(v)
	}
	ctx := context.Background()
	store, err := history.Open(ctx, filepath.Join(b.TempDir(), "h.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer store.Close()
	sevs := []finding.Severity{finding.Critical, finding.High, finding.Medium, finding.Low, finding.Info}
	fs := make([]finding.Finding, 0, n)
	for i := range n {
		rule, res := i%100, i/100
		p, acct := resource.AWS, fmt.Sprintf("acct-%02d", res%20)
		if res%2 == 1 {
			p = resource.Azure
		}
		st := finding.Pass
		if (rule+res)%3 == 0 {
			st = finding.Fail
		}
		fs = append(fs, finding.Finding{RuleID: fmt.Sprintf("rule-%03d", rule), Title: "a rule", Severity: sevs[rule%5], Status: st,
			Message:  "the resource does what the rule forbids",
			Resource: resource.Ref{ID: fmt.Sprintf("res-%05d", res), Name: fmt.Sprintf("resource %d", res), Type: "bucket", Provider: p, Account: acct}})
	}
	start := time.Now()
	if _, err := store.Record(ctx, &history.Scan{Source: "bench", Kind: "paths", Started: time.Now(), Findings: fs}); err != nil {
		b.Fatal(err)
	}
	b.Logf("recorded %d findings in %s", n, time.Since(start).Round(time.Millisecond))
	s, err := New(ctx, store, Options{Argon2: Argon2Params{Memory: 1024, Time: 1, Threads: 1}})
	if err != nil {
		b.Fatal(err)
	}
	secret, _, err := s.CreateToken(ctx, "bench", "bench", Viewer, time.Now().Add(time.Hour))
	if err != nil {
		b.Fatal(err)
	}
	ts := httptest.NewServer(s.Handler())
	defer ts.Close()
	tr := &http.Transport{MaxIdleConnsPerHost: 64}
	client := &http.Client{Transport: tr}
	for _, q := range []struct{ name, path string }{
		{"first-page", "/findings"},
		{"filtered", "/findings?severity=high,critical&cloud=aws&account=acct-04&sort=last_seen"},
		{"api-first-page", "/api/v1/findings"},
	} {
		b.Run(q.name, func(b *testing.B) {
			for range 5 { // warm the page cache
				req, _ := http.NewRequest("GET", ts.URL+q.path, nil)
				req.Header.Set("Authorization", "Bearer "+secret)
				if resp, err := client.Do(req); err == nil {
					resp.Body.Close()
				}
			}
			b.ResetTimer()
			for range b.N {
				const each = 10
				var mu sync.Mutex
				var lat []time.Duration
				var wg sync.WaitGroup
				for range users {
					wg.Go(func() {
						for range each {
							req, _ := http.NewRequest("GET", ts.URL+q.path, nil)
							req.Header.Set("Authorization", "Bearer "+secret)
							t0 := time.Now()
							resp, err := client.Do(req)
							if err != nil {
								b.Error(err)
								return
							}
							resp.Body.Close()
							d := time.Since(t0)
							if resp.StatusCode != 200 {
								b.Errorf("%s: %s", q.path, resp.Status)
							}
							mu.Lock()
							lat = append(lat, d)
							mu.Unlock()
						}
					})
				}
				wg.Wait()
				slices.Sort(lat)
				ms := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))].Microseconds()) / 1000 }
				b.ReportMetric(ms(0.50), "p50-ms")
				b.ReportMetric(ms(0.95), "p95-ms")
			}
		})
	}
}
