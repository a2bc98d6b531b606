package gcpcollect

import (
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/vigil-sec/vigil/internal/collect/gcp/gcptest"
)

// start serves s on loopback for the test and returns the collector's
// options for it (a loopback endpoint: plaintext, no credentials).
func start(t testing.TB, s *gcptest.Server) Options {
	t.Helper()
	addr, stop, err := s.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	return Options{Endpoint: addr, Concurrency: 8, CallTimeout: 2 * time.Second, RetryBackoff: time.Millisecond,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
}

func load(t testing.TB, dir string) *gcptest.Server {
	t.Helper()
	s, err := gcptest.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// counts returns the server's counts once it has seen as many calls as
// the collector made: a call whose client gave up may reach the server's
// handlers after Collect returned.
func counts(s *gcptest.Server, made int64) (methods, attempts map[string]int) {
	deadline := time.Now().Add(5 * time.Second)
	for {
		methods, attempts = s.Counts()
		var served int64
		for _, n := range methods {
			served += int64(n)
		}
		if served >= made || time.Now().After(deadline) {
			return methods, attempts
		}
		time.Sleep(10 * time.Millisecond)
	}
}
