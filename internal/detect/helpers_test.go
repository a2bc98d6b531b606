package detect

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/vigil-sec/vigil/internal/logs"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata/")

// corpus returns a path under /work/shared/corpus relative to this package,
// skipping the test when it is absent.
func corpus(t testing.TB, parts ...string) string {
	t.Helper()
	p := filepath.Join(append([]string{"..", "..", "..", "shared", "corpus"}, parts...)...)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("corpus %s not available: %v", p, err)
	}
	return p
}

type collectSink struct {
	mu     sync.Mutex
	alerts []*Alert
}

func (c *collectSink) Write(_ context.Context, a *Alert) error {
	c.mu.Lock()
	c.alerts = append(c.alerts, a)
	c.mu.Unlock()
	return nil
}
func (c *collectSink) Flush(context.Context) error { return nil }
func (c *collectSink) Close() error                { return nil }

func testRecord() logs.Record {
	return logs.Record{Source: logs.AWSCloudTrail, Raw: []byte(`{"userIdentity":{"arn":"arn:aws:iam::1:user/a"}}`)}
}
