package azurecollect

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/vigil-sec/vigil/internal/collect/azure/azuretest"
)

type route = azuretest.Route

// fakeAzure is the azuretest server with the collector's options.
type fakeAzure struct{ *azuretest.Server }

func newFakeAzure(t testing.TB, dir string, routes map[string]route) *fakeAzure {
	t.Helper()
	return &fakeAzure{azuretest.New(t, dir, routes)}
}

// loadRoutes reads testdata/server/routes.json.
func loadRoutes(t testing.TB) map[string]route {
	t.Helper()
	rs, err := azuretest.LoadRoutes(filepath.Join("testdata", "server"))
	if err != nil {
		t.Fatal(err)
	}
	return rs
}

// options points the collector at the fake server with a fake token.
func (f *fakeAzure) options() Options {
	return Options{
		ARMEndpoint:   f.URL,
		GraphEndpoint: f.URL,
		Credential:    azuretest.StaticToken{},
		HTTPClient:    f.Client(),
		Concurrency:   8,
		CallTimeout:   10 * time.Second,
		RetryDelay:    time.Millisecond,
		Now:           func() time.Time { return time.Date(2026, 12, 4, 21, 0, 0, 0, time.UTC) },
	}
}
