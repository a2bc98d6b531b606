package gcp

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/vigil-sec/vigil/internal/testkit"
)

// FuzzShapes: Reports API activities, BigQuery rows and Pub/Sub messages convert to a
// LogEntry this source recognises and normalizes, or to an error, never a
// panic.
func FuzzShapes(f *testing.F) {
	testkit.SeedLines(f, filepath.Join("..", "testdata", "shapes", "gcp_audit_bigquery.jsonl"))
	if d, err := os.ReadFile(filepath.Join("..", "testdata", "shapes", "gcp_workspace_reports.json")); err == nil {
		var page struct{ Items []json.RawMessage }
		if json.Unmarshal(d, &page) == nil {
			for _, it := range page.Items {
				f.Add([]byte(it))
			}
		}
	}
	f.Add([]byte(`{"kind":"admin#reports#activity","id":{"time":"2024-01-01T00:00:00Z","applicationName":"login"},"events":{"name":"2sv_disable","parameters":[{"name":"x","multiValue":["a"]}]}}`))
	f.Add([]byte(`{"protopayload_auditlog.methodName":"SetIamPolicy","protopayload_auditlog.requestJson":"{\"policy\":{}}","timestamp":1.7150724119E9}`))
	f.Add([]byte(`{"protopayload_auditlog":{"methodName":"a","status":null},"timestamp":"2024-05-07 09:00:11.912345 UTC","resource.labels.project_id":"p"}`))
	testkit.SeedLines(f, filepath.Join("..", "testdata", "shapes", "gcp_audit_pubsub_push.jsonl"))
	f.Add([]byte(`{"message":{"data":"e30=","messageId":"1"}}`))
	f.Add([]byte(`{"message":{"data":"eyJwcm90b1BheWxvYWQiOnsic2VydmljZU5hbWUiOiJhIiwibWV0aG9kTmFtZSI6ImIifX0","publish_time":"x"}}`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		// A Pub/Sub message converts to its data, a log entry this source
		// recognises, or to an error.
		if out, err := convertPubSub(raw); err == nil && (!json.Valid(out) || !isAuditEntry(out)) {
			t.Fatalf("Pub/Sub data converted to a non-audit entry: %s", out)
		}
		for _, conv := range []func([]byte) ([]byte, error){convertReports, convertBigQuery} {
			out, err := conv(raw)
			if err != nil {
				continue
			}
			if !json.Valid(out) {
				t.Fatalf("converted event is not JSON: %s", out)
			}
			ev, err := Normalize(out)
			if err != nil {
				t.Fatalf("converted event does not normalize: %v: %s", err, out)
			}
			if _, err := json.Marshal(ev); err != nil {
				t.Fatalf("marshal: %v", err)
			}
		}
	})
}
