package m365

import (
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/vigil-sec/vigil/internal/testkit"
)

// FuzzOfficeActivity: a Log Analytics row converts to a JSON object or an
// error, never a panic, and what converts normalizes (or fails) cleanly.
func FuzzOfficeActivity(f *testing.F) {
	testkit.SeedLines(f, filepath.Join("..", "testdata", "shapes", "m365_officeactivity.jsonl"))
	f.Add([]byte(`{"Type":"OfficeActivity","TimeGenerated":1714987450,"Operation":"x","RecordType":"Nope","UserType":7,"Parameters":"[{\"Name\":1}","OfficeWorkload":""}`))
	f.Add([]byte(`{"OfficeWorkload":"Exchange","Operation":"Set-Mailbox","TimeGenerated":"2024-05-06 09:04:10","OfficeId":null,"ModifiedProperties":"{}","UserType":"admin"}`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		out, err := convertOfficeActivity(raw)
		if err != nil {
			return
		}
		var m map[string]any
		if err := json.Unmarshal(out, &m); err != nil {
			t.Fatalf("converted row is not a JSON object: %v: %s", err, out)
		}
		if _, ok := m["CreationTime"].(string); !ok {
			t.Fatalf("converted row without CreationTime: %s", out)
		}
		if ev, err := Normalize(out); err == nil {
			if _, err := json.Marshal(ev); err != nil {
				t.Fatalf("marshal: %v", err)
			}
		}
	})
}
