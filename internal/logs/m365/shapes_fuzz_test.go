package m365

import (
	"encoding/json"
	"path/filepath"
	"strings"
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

// FuzzGraphAuditRecord: a Microsoft Graph audit log query record converts
// to a record without OData annotations or an error, never a panic, and
// what converts normalizes (or fails) cleanly.
func FuzzGraphAuditRecord(f *testing.F) {
	f.Add([]byte(`{"id":"1","createdDateTime":"2024-05-06T08:12:41Z","auditLogRecordType":"ExchangeAdmin","operation":"New-InboxRule","service":"Exchange","userId":"k","userPrincipalName":"u@x","auditData":{"@odata.type":"#x","RecordType@odata.type":"#Int64","RecordType":1,"Parameters":[{"Name@odata.type":"#String","Name":"ForwardTo","Value":"a@b"}]}}`))
	f.Add([]byte(`{"auditLogRecordType":"nope","userType":"system","operation":"x","createdDateTime":"2024-05-06T08:12:41Z","organizationId":"o","auditData":{}}`))
	f.Add([]byte(`{"auditLogRecordType":1,"auditData":{"CreationTime":7,"Operation":["x"]}}`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		out, err := convertGraphAuditRecord(raw)
		if err != nil {
			return
		}
		if strings.Contains(string(out), "@odata.") {
			var m map[string]any
			_ = json.Unmarshal(out, &m)
			var walk func(v any)
			walk = func(v any) {
				switch x := v.(type) {
				case map[string]any:
					for k, e := range x {
						if strings.Contains(k, "@odata.") {
							t.Fatalf("annotation %q left in %s", k, out)
						}
						walk(e)
					}
				case []any:
					for _, e := range x {
						walk(e)
					}
				}
			}
			walk(m)
		}
		if ev, err := Normalize(out); err == nil {
			if _, err := json.Marshal(ev); err != nil {
				t.Fatalf("marshal: %v", err)
			}
		}
	})
}
