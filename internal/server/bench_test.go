package server

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/vigil-sec/vigil/internal/history"
	"github.com/vigil-sec/vigil/internal/history/historytest"
)

// BenchmarkExplorer measures the findings explorer on each engine with 50
// concurrent users (VIGIL_BENCH_USERS) on loopback, each sending 10
// requests in a row: the first page (worst first) and a filtered page, as
// HTML and from the API, over a history of VIGIL_BENCH_FINDINGS finding
// identities (default 1,000,000) over 90 daily runs (VIGIL_BENCH_RUNS),
// written in bulk by historytest.Fill (a minute or two per engine; the
// PostgreSQL case needs VIGIL_POSTGRES). It reports p50 and p95 in
// milliseconds, the requests per second and this process's CPU time per
// request:
//
//	go test ./internal/server -run '^$' -bench Explorer -benchtime=1x
func BenchmarkExplorer(b *testing.B) {
	n, runs, users := 1_000_000, 90, 50
	for _, e := range []struct {
		name string
		v    *int
	}{{"VIGIL_BENCH_FINDINGS", &n}, {"VIGIL_BENCH_RUNS", &runs}, {"VIGIL_BENCH_USERS", &users}} {
		if s := os.Getenv(e.name); s != "" {
			x, err := strconv.Atoi(s)
			if err != nil || x <= 0 {
				b.Fatalf("%s=%q: want a positive number", e.name, s)
			}
			*e.v = x
		}
	}
	ctx := context.Background()
	for _, e := range historytest.Engines() {
		b.Run(e.Name, func(b *testing.B) {
			_, ts, secret, _ := benchServer(ctx, b, e, historytest.Shape{Findings: n, Runs: runs})
			client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: users + 8}}
			cloud, account := historytest.Account(4 * 200)
			filtered := fmt.Sprintf("severity=critical,high&cloud=%s&account=%s", cloud, account)
			for _, q := range []struct{ name, path string }{
				{"first-page", "/findings"},
				{"filtered", "/findings?" + filtered},
				{"api-first-page", "/api/v1/findings"},
				{"api-filtered", "/api/v1/findings?" + filtered},
				{"api-rule-by-last-seen", "/api/v1/findings?rule=rule-007&sort=last_seen&desc=1"},
			} {
				b.Run(q.name, func(b *testing.B) {
					get := func() (time.Duration, error) {
						t0 := time.Now()
						err := benchGet(client, ts.URL, secret, q.path)
						return time.Since(t0), err
					}
					for range 5 { // warm the caches and the connections
						if _, err := get(); err != nil {
							b.Fatal(err)
						}
					}
					b.ResetTimer()
					for range b.N {
						const each = 10
						var mu sync.Mutex
						var lat []time.Duration
						var wg sync.WaitGroup
						start, cpu0 := time.Now(), cpuTime()
						for range users {
							wg.Go(func() {
								for range each {
									d, err := get()
									if err != nil {
										b.Error(err)
										return
									}
									mu.Lock()
									lat = append(lat, d)
									mu.Unlock()
								}
							})
						}
						wg.Wait()
						took, cpu := time.Since(start), cpuTime()-cpu0
						if len(lat) == 0 {
							b.Fatal("no answer")
						}
						slices.Sort(lat)
						ms := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))].Microseconds()) / 1000 }
						b.ReportMetric(ms(0.50), "p50-ms")
						b.ReportMetric(ms(0.95), "p95-ms")
						b.ReportMetric(float64(len(lat))/took.Seconds(), "req/s")
						// This process's CPU per request, the clients' included: what
						// the machine's load does not change (PostgreSQL's is not in it).
						b.ReportMetric(float64(cpu.Microseconds())/1000/float64(len(lat)), "cpu-ms/req")
					}
				})
			}
			b.Logf("GOMAXPROCS %d", runtime.GOMAXPROCS(0))
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

// BenchmarkEvidence measures a control's evidence page (the findings of
// the rules mapped to the control, failing first, worst first) on each
// engine over a history of VIGIL_BENCH_FINDINGS finding identities
// (default 1,000,000, historytest.Fill: SOC 2 CC6.1 is mapped from 25 of
// its 200 rules, an eighth of the findings), one request at a time. It
// reports the milliseconds per request, this process's CPU per request and,
// on PostgreSQL, its backends' CPU per request:
//
//	go test ./internal/server -run '^$' -bench Evidence -benchtime=20x
func BenchmarkEvidence(b *testing.B) {
	n := 1_000_000
	if s := os.Getenv("VIGIL_BENCH_FINDINGS"); s != "" {
		x, err := strconv.Atoi(s)
		if err != nil || x <= 0 {
			b.Fatalf("VIGIL_BENCH_FINDINGS=%q: want a positive number", s)
		}
		n = x
	}
	ctx := context.Background()
	for _, e := range historytest.Engines() {
		b.Run(e.Name, func(b *testing.B) {
			store, ts, secret, dsn := benchServer(ctx, b, e, historytest.Shape{Findings: n, Runs: 10})
			get := func(path string) error { return benchGet(http.DefaultClient, ts.URL, secret, path) }
			for _, c := range []string{historytest.Control(0), "CC1.1"} {
				path := "/compliance/soc2?source=org&control=" + c
				b.Run(c, func(b *testing.B) {
					if err := get(path); err != nil { // warm
						b.Fatal(err)
					}
					b.ResetTimer()
					start, cpu0, srv0 := time.Now(), cpuTime(), historytest.ServerCPU(dsn)
					for range b.N {
						if err := get(path); err != nil {
							b.Fatal(err)
						}
					}
					took, cpu, srv := time.Since(start), cpuTime()-cpu0, historytest.ServerCPU(dsn)-srv0
					b.ReportMetric(float64(took.Microseconds())/1000/float64(b.N), "ms/req")
					b.ReportMetric(float64(cpu.Microseconds())/1000/float64(b.N), "cpu-ms/req")
					if store.Dialect() == history.Postgres {
						// PostgreSQL's backends' CPU (10 ms ticks).
						b.ReportMetric(float64(srv.Microseconds())/1000/float64(b.N), "pg-cpu-ms/req")
					}
				})
			}
		})
	}
}

// benchServer fills a store of engine e with sh (historytest.Fill) and
// serves it on loopback; it returns the store, the server, a viewer token
// and the store's DSN, all closed when the benchmark ends.
func benchServer(ctx context.Context, b *testing.B, e historytest.Engine, sh historytest.Shape) (*history.Store, *httptest.Server, string, string) {
	b.Helper()
	dsn := e.DSN(b)
	store, err := history.Open(ctx, dsn)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { store.Close() })
	st := historytest.Fill(ctx, b, store, sh)
	b.Logf("%s: %d findings over %d runs written in %s", e.Name, st.Findings, st.Runs, st.Took.Round(time.Millisecond))
	s, err := New(ctx, store, Options{Argon2: Argon2Params{Memory: 1024, Time: 1, Threads: 1}})
	if err != nil {
		b.Fatal(err)
	}
	secret, _, err := s.CreateToken(ctx, "bench", "bench", Viewer, time.Now().Add(time.Hour))
	if err != nil {
		b.Fatal(err)
	}
	ts := httptest.NewServer(s.Handler())
	b.Cleanup(ts.Close)
	return store, ts, secret, dsn
}

// benchGet sends one request with the token and reads the whole answer, as
// a browser does: the connection is then kept for the next request (closed
// unread, it is not) and the time includes the whole answer.
func benchGet(client *http.Client, base, secret, path string) error {
	req, _ := http.NewRequest("GET", base+path, nil)
	req.Header.Set("Authorization", "Bearer "+secret)
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	_, err = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if err == nil && resp.StatusCode != 200 {
		err = fmt.Errorf("%s: %s", path, resp.Status)
	}
	return err
}
