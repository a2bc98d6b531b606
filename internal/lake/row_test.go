package lake

import (
	"context"
	stdjson "encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/vigil-sec/vigil/internal/logs"
)

// The ocsf column is encoded with goccy/go-json; it must be byte-identical to
// encoding/json's output for every sample and corpus event (with raw_data
// the placeholder rawDataRef, as stored).
func TestOCSFEncodingMatchesStdlib(t *testing.T) {
	paths := []string{samples}
	n := 0
	err := logs.Walk(context.Background(), append(paths, corpusLogsOrEmpty()...), func(r logs.Record) error {
		ev, err := logs.Normalize(r)
		if err != nil {
			return nil
		}
		row, err := NewRow(r.Source, r.Raw, ev)
		if err != nil {
			t.Fatal(err)
		}
		// Stored, raw_data refers to the raw column.
		ev.Common().RawData = rawDataRef
		want, err := stdjson.Marshal(ev)
		if err != nil {
			t.Fatal(err)
		}
		if row.OCSF != string(want) {
			t.Fatalf("%s:%d: encodings differ:\n%s\n%s", r.File, r.Line, row.OCSF, want)
		}
		n++
		return nil
	}, nil)
	if err != nil || n < 19 {
		t.Fatalf("checked %d events: %v", n, err)
	}
}

func corpusLogsOrEmpty() []string {
	p := "../../../shared/corpus/logs"
	if ok, _ := exists(p); ok {
		return []string{p}
	}
	return nil
}

func exists(p string) (bool, error) {
	_, err := os.Stat(p)
	return err == nil, err
}

// The ocsf column of the lake's views is the full OCSF event, byte for byte
// the encoding of the normalized event, raw_data included, although the
// files store the raw event once: for every sample and corpus event, and
// for events whose text DuckDB and Go escape differently (<, >, &, U+2028,
// U+2029, line breaks of a pretty-printed file). A part file written before
// the raw event was stored once (raw_data in full) reads the same.
func TestQueryOCSFIsFullEvent(t *testing.T) {
	extra := t.TempDir()
	lines := "{\"eventVersion\":\"1.08\",\"eventTime\":\"2024-01-01T00:00:00Z\",\"eventName\":\"PutObject\",\"eventSource\":\"s3.amazonaws.com\",\"eventID\":\"esc-1\"," +
		"\"userAgent\":\"a<b>&c \u2028 d \u2029 \u00e9 \u4e2d \\u2028\",\"requestParameters\":{\"k\":\"x\\ny \\\"q\\\" \\\\ / \\u0001 \\u003c\"}}\n"
	pretty := "{\"Records\": [\n  {\n\t\"eventVersion\": \"1.08\",\r\n    \"eventTime\": \"2024-01-02T00:00:00Z\",\n    \"eventName\": \"GetObject\",\n    \"eventSource\": \"s3.amazonaws.com\",\n    \"eventID\": \"esc-2\"\n  }\n]}\n"
	if err := os.WriteFile(filepath.Join(extra, "escapes.jsonl"), []byte(lines), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(extra, "pretty.json"), []byte(pretty), 0o644); err != nil {
		t.Fatal(err)
	}
	paths := append([]string{samples, extra}, corpusLogsOrEmpty()...)
	want := map[string]string{}
	err := logs.Walk(context.Background(), paths, func(r logs.Record) error {
		ev, err := logs.Normalize(r)
		if err != nil {
			return nil
		}
		b, err := stdjson.Marshal(ev)
		if err != nil {
			t.Fatal(err)
		}
		want[EventHashOf(r.Source, r.Raw)] = string(b)
		return nil
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	l, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	ingest(t, l, paths...)

	// A part file as ingest wrote it before: raw_data in full.
	codec, err := newZstdCodec(1)
	if err != nil {
		t.Fatal(err)
	}
	defer codec.Close()
	oldRaw := `{"eventTime":"2023-05-05T00:00:00Z","eventName":"Old<&>"}`
	oldOCSF := `{"class_uid":6003,"time":1683244800000,"raw_data":` + mustJSON(t, oldRaw) + `}`
	old := Row{Time: time.UnixMilli(1683244800000).UTC(), ClassUID: 6003, EventUID: "old-1", EventHash: EventHash([]byte(oldRaw)),
		Raw: oldRaw, OCSF: oldOCSF, source: logs.AWSCloudTrail}
	if _, err := writePart(filepath.Join(dir, old.partition()), []Row{old}, codec); err != nil {
		t.Fatal(err)
	}
	want[old.EventHash] = oldOCSF

	got := query(t, l, "SELECT event_hash, ocsf FROM events")
	if len(got) != len(want) || len(want) < 22 {
		t.Fatalf("%d rows, want %d", len(got), len(want))
	}
	for _, r := range got {
		if r[1] != want[r[0]] {
			t.Fatalf("event %s: ocsf differs:\n got %s\nwant %s", r[0], r[1], want[r[0]])
		}
	}
}

func mustJSON(t *testing.T, s string) string {
	b, err := stdjson.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// The row ingest builds for a CloudTrail event through the direct encoder
// is the row of the generic path (logs.NormalizeWithoutRaw, NewRow), for
// every sample and corpus CloudTrail event.
func TestCloudTrailRowMatchesNewRow(t *testing.T) {
	var n, direct int
	ar := &arena{pool: &chunkPool{}}
	err := logs.Walk(context.Background(), append([]string{samples}, corpusLogsOrEmpty()...), func(r logs.Record) error {
		if r.Source != logs.AWSCloudTrail {
			return nil
		}
		n++
		ev, err := logs.NormalizeWithoutRaw(r)
		if err != nil {
			return nil
		}
		want, err := NewRow(r.Source, r.Raw, ev)
		if err != nil {
			t.Fatal(err)
		}
		got, ok := newCloudTrailRow(r.Raw, r.Members, ar)
		if !ok {
			return nil
		}
		direct++
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%s:%d: rows differ:\ngot  %+v\nwant %+v", r.File, r.Line, got, want)
		}
		return nil
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if direct == 0 || direct*10 < n*8 {
		t.Fatalf("%d of %d CloudTrail events took the direct encoder: want at least 80%%", direct, n)
	}
}
