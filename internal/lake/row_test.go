package lake

import (
	"context"
	stdjson "encoding/json"
	"os"
	"testing"

	"github.com/vigil-sec/vigil/internal/logs"
)

// The ocsf column is encoded with goccy/go-json; it must be byte-identical to
// encoding/json's output for every sample and corpus event.
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
