package gcp

import (
	"context"
	"strings"
	"testing"
)

// TestLogSinkBuckets: the buckets log sinks write to, and whether their
// retention policy is locked; unknown destinations without sinks, or for
// the buckets not named when a sink's destination cannot be read.
func TestLogSinkBuckets(t *testing.T) {
	bucket := func(name, data string) string {
		return `{"name":"//storage.googleapis.com/` + name + `","asset_type":"storage.googleapis.com/Bucket","resource":{"data":` + data + `},"ancestors":["projects/p"]}`
	}
	sink := func(name, dest string) string {
		return `{"name":"//logging.googleapis.com/projects/p/sinks/` + name + `","asset_type":"logging.googleapis.com/LogSink","resource":{"data":{"name":"` + name + `","destination":` + dest + `}},"ancestors":["projects/p"]}`
	}
	buckets := []string{
		bucket("locked", `{"name":"locked","retentionPolicy":{"retentionPeriod":"31536000","isLocked":true}}`),
		bucket("unlocked", `{"name":"unlocked","retentionPolicy":{"retentionPeriod":"86400"}}`),
		bucket("plain", `{"name":"plain"}`),
		bucket("odd", `{"name":"odd","retentionPolicy":{"isLocked":"maybe"}}`),
	}
	for _, tc := range []struct {
		name  string
		sinks []string
		want  map[string]string // bucket -> log_sink_destination retention_locked
	}{
		{"sinks read", []string{sink("a", `"storage.googleapis.com/locked"`), sink("b", `"storage.googleapis.com/unlocked"`),
			sink("c", `"bigquery.googleapis.com/projects/p/datasets/logs"`)},
			map[string]string{"locked": "true true", "unlocked": "true false", "plain": "false false", "odd": "false unknown"}},
		{"no sinks", nil, map[string]string{"locked": "unknown true", "unlocked": "unknown false", "plain": "unknown false"}},
		{"a sink unreadable", []string{sink("a", `"storage.googleapis.com/unlocked"`), sink("b", `7`)},
			map[string]string{"locked": "unknown true", "unlocked": "true false", "plain": "unknown false"}},
	} {
		res := ParseNDJSON(context.Background(), "sinks.ndjson", []byte(strings.Join(append(append([]string{}, buckets...), tc.sinks...), "\n")))
		Finalize(res.Resources)
		seen := 0
		for _, r := range res.Resources {
			if r.Type != TypeBucket {
				continue
			}
			want, found := tc.want[r.Name]
			if !found {
				continue
			}
			seen++
			if got := show(r.Facts.Storage.LogSinkDestination) + " " + show(r.Facts.Storage.RetentionLocked); got != want {
				t.Errorf("%s: bucket %s: %s, want %s", tc.name, r.Name, got, want)
			}
		}
		if seen != len(tc.want) {
			t.Errorf("%s: %d of the %d buckets found", tc.name, seen, len(tc.want))
		}
	}
}
