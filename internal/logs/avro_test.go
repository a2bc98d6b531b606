package logs

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hamba/avro/v2/ocf"
)

// captureSchema is the Avro schema Event Hubs Capture writes its files in.
const captureSchema = `{"type":"record","name":"EventData","namespace":"Microsoft.ServiceBus.Messaging","fields":[` +
	`{"name":"SequenceNumber","type":"long"},{"name":"Offset","type":"string"},{"name":"EnqueuedTimeUtc","type":"string"},` +
	`{"name":"SystemProperties","type":{"type":"map","values":["long","double","string","bytes"]}},` +
	`{"name":"Properties","type":{"type":"map","values":["long","double","string","bytes","null"]}},` +
	`{"name":"Body","type":["null","bytes"]}]}`

type captureRecord struct {
	SequenceNumber   int64          `avro:"SequenceNumber"`
	Offset           string         `avro:"Offset"`
	EnqueuedTimeUtc  string         `avro:"EnqueuedTimeUtc"`
	SystemProperties map[string]any `avro:"SystemProperties"`
	Properties       map[string]any `avro:"Properties"`
	Body             []byte         `avro:"Body"`
}

// captureFile writes bodies as an Event Hubs Capture file, one EventData
// per body, in the codec given.
func captureFile(t testing.TB, codec ocf.CodecName, bodies ...[]byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	enc, err := ocf.NewEncoder(captureSchema, &buf, ocf.WithCodec(codec), ocf.WithBlockLength(2))
	if err != nil {
		t.Fatal(err)
	}
	for i, b := range bodies {
		r := captureRecord{SequenceNumber: int64(i), Offset: "4294967296", EnqueuedTimeUtc: "3/14/2024 9:21:40 AM",
			SystemProperties: map[string]any{"x-opt-enqueued-time": int64(1710408100000)}, Properties: map[string]any{}, Body: b}
		if err := enc.Encode(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := enc.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// captureBodies groups the sample diagnostic records as a diagnostic
// setting sends them to an event hub: {"records":[...]} messages.
func captureBodies(t testing.TB) (bodies [][]byte, records int) {
	t.Helper()
	d, err := os.ReadFile(filepath.Join("testdata", "samples", "azure_activity.json"))
	if err != nil {
		t.Fatal(err)
	}
	var act struct{ Records []json.RawMessage }
	if err := json.Unmarshal(d, &act); err != nil {
		t.Fatal(err)
	}
	d, err = os.ReadFile(filepath.Join("testdata", "samples", "azure_signin.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	var recs []json.RawMessage
	recs = append(recs, act.Records...)
	for _, l := range bytes.Split(bytes.TrimSpace(d), []byte("\n")) {
		recs = append(recs, json.RawMessage(l))
	}
	for i := 0; i < len(recs); i += 3 {
		b, err := json.Marshal(map[string]any{"records": recs[i:min(i+3, len(recs))]})
		if err != nil {
			t.Fatal(err)
		}
		bodies = append(bodies, b)
	}
	return bodies, len(recs)
}

// TestEventHubsCapture: an Event Hubs Capture file of Azure diagnostic
// messages (uncompressed or deflate, as a file or in memory) gives the
// events of the same messages delivered as files; an Avro file of other
// records is one skipped note; a cut file delivers the events before the
// cut and an error.
func TestEventHubsCapture(t *testing.T) {
	bodies, n := captureBodies(t)
	var want []string
	for _, b := range bodies {
		if err := Read(context.Background(), "b.json", bytes.NewReader(b), func(r Record) error {
			want = append(want, string(r.Source)+" "+string(r.Raw))
			return nil
		}, func(e InputError) { t.Errorf("body: %v", e) }); err != nil {
			t.Fatal(err)
		}
	}
	if len(want) != n {
		t.Fatalf("%d events from the bodies, want %d", len(want), n)
	}
	read := func(data []byte, mem bool) (got []string, errs []InputError) {
		fn := func(r Record) error {
			got = append(got, string(r.Source)+" "+string(r.Raw))
			return nil
		}
		onErr := func(e InputError) { errs = append(errs, e) }
		var err error
		if mem {
			err = Reader{}.ReadData(context.Background(), "c.avro", data, fn, onErr)
		} else {
			err = Read(context.Background(), "c.avro", bytes.NewReader(data), fn, onErr)
		}
		if err != nil {
			t.Fatal(err)
		}
		return got, errs
	}
	for _, codec := range []ocf.CodecName{ocf.Null, ocf.Deflate, ocf.Snappy} {
		data := captureFile(t, codec, append(bodies, nil)...) // an empty body is passed over
		for _, mem := range []bool{false, true} {
			got, errs := read(data, mem)
			if len(errs) > 0 || strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("%s (in memory %v): %d events, errors %v; want the bodies' %d", codec, mem, len(got), errs, len(want))
			}
		}
	}

	// Avro of other records: a note, not an error.
	var buf bytes.Buffer
	enc, err := ocf.NewEncoder(`{"type":"record","name":"Row","fields":[{"name":"id","type":"long"}]}`, &buf)
	if err != nil {
		t.Fatal(err)
	}
	if err := enc.Encode(struct {
		ID int64 `avro:"id"`
	}{1}); err != nil {
		t.Fatal(err)
	}
	if err := enc.Close(); err != nil {
		t.Fatal(err)
	}
	if got, errs := read(buf.Bytes(), false); len(got) != 0 || len(errs) != 1 || !errs[0].Skipped || !errors.Is(errs[0].Err, ErrAvroNoBody) {
		t.Errorf("other Avro: %d events, notes %v", len(got), errs)
	}

	// A file cut in its last block: the blocks before it are read.
	data := captureFile(t, ocf.Null, bodies...)
	got, errs := read(data[:len(data)-40], false)
	if len(got) == 0 || len(got) >= len(want) || len(errs) != 1 || errs[0].Skipped || !strings.Contains(errs[0].Error(), "avro") {
		t.Errorf("cut file: %d of %d events, errors %v", len(got), len(want), errs)
	}
}

// TestWriteCaptureSample writes testdata/shapes/azure_eventhubs_capture.avro
// (with -update), the Event Hubs Capture sample the golden and fuzz tests read.
func TestWriteCaptureSample(t *testing.T) {
	if !*update {
		t.Skip("run with -update to rewrite the sample")
	}
	bodies, _ := captureBodies(t)
	if err := os.WriteFile(filepath.Join("testdata", "shapes", "azure_eventhubs_capture.avro"), captureFile(t, ocf.Deflate, bodies...), 0o644); err != nil {
		t.Fatal(err)
	}
}
