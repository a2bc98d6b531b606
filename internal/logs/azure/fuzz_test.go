package azure

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/vigil-sec/vigil/internal/ocsf"
)

func FuzzAzure(f *testing.F) {
	for _, s := range []string{"azure_activity.json", "azure_signin.jsonl", "azure_audit.json"} {
		if d, err := os.ReadFile(filepath.Join("..", "testdata", "samples", s)); err == nil {
			f.Add(d)
		}
	}
	f.Add([]byte(`{"time":"2024-01-01T00:00:00Z","operationName":"A/B/WRITE","resourceId":"/subscriptions/","identity":{"claims":[]}}`))
	f.Add([]byte(`{"time":"2024-01-01T00:00:00Z","category":"ServicePrincipalSignInLogs","properties":{"servicePrincipalId":"x","status":{"errorCode":"0"},"location":null}}`))
	f.Add([]byte(`{"time":"2024-01-01T00:00:00Z","operationName":"Add member to role","properties":{"initiatedBy":{"user":null,"app":{}},"targetResources":[{"type":"User","modifiedProperties":[{"displayName":"Role.DisplayName","newValue":"\"x"}]},null]}}`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		for _, fn := range []func([]byte) (ocsf.Event, error){NormalizeActivity, NormalizeSignIn, NormalizeAudit} {
			ev, err := fn(raw)
			if err != nil {
				continue
			}
			if ev.Common().RawData != "" {
				t.Fatal("raw_data set: logs.Normalize sets it")
			}
			if _, err := json.Marshal(ev); err != nil {
				t.Fatalf("marshal: %v", err)
			}
		}
	})
}
