package m365

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

func FuzzM365(f *testing.F) {
	// Seed with each record of the samples (a content blob and JSON lines).
	if d, err := os.ReadFile(filepath.Join("..", "testdata", "samples", "m365_audit.json")); err == nil {
		var recs []json.RawMessage
		if json.Unmarshal(d, &recs) == nil {
			for _, r := range recs {
				f.Add([]byte(r))
			}
		}
	}
	if d, err := os.ReadFile(filepath.Join("..", "testdata", "samples", "m365_audit_alerts.jsonl")); err == nil {
		f.Add(d)
	}
	f.Add([]byte(`{"CreationTime":"2024-05-06T08:12:41","Operation":"UserLoggedIn","RecordType":15,"UserType":"x","ExtendedProperties":[null,{"Name":1},{"Name":"RequestType","Value":{}}],"ClientIP":"[::1]:80"}`))
	f.Add([]byte(`{"CreationTime":"2024-05-06T08:12:41Z","Operation":"File","RecordType":"40","Severity":7,"UserKey":""}`))
	d := Descriptor()
	f.Fuzz(func(t *testing.T, raw []byte) {
		// The de-duplication identity is stable: its own identity.
		if id := d.Key(raw); !bytes.Equal(d.Key(id), id) {
			t.Fatalf("identity %q changes again: %q", id, d.Key(id))
		}
		ev, err := Normalize(raw)
		if err != nil {
			return
		}
		b := ev.Common()
		if b.RawData != "" {
			t.Fatal("raw_data set: logs.Normalize sets it")
		}
		if b.API == nil || b.API.Operation == "" || b.Time == 0 && b.Metadata.Version == "" {
			t.Fatalf("normalized event without operation: %+v", b)
		}
		if _, err := json.Marshal(ev); err != nil {
			t.Fatalf("marshal: %v", err)
		}
	})
}
