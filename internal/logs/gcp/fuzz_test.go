package gcp

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

func FuzzGCP(f *testing.F) {
	if d, err := os.ReadFile(filepath.Join("..", "testdata", "samples", "gcp_audit.jsonl")); err == nil {
		f.Add(d)
	}
	f.Add([]byte(`{"timestamp":"2024-01-01T00:00:00Z","logName":"projects/p","protoPayload":{"methodName":"google.iam.admin.v1.CreateServiceAccount","serviceName":"iam.googleapis.com","request":{"name":"projects/p/serviceAccounts/a@b/keys/1"},"resourceLocation":{"currentLocations":[1]}}}`))
	f.Add([]byte(`{"timestamp":"2024-01-01T00:00:00Z","protoPayload":{"methodName":"x","status":{"code":"7"},"authenticationInfo":{"principalSubject":"user:x","serviceAccountDelegationInfo":[{}]}}}`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		ev, err := Normalize(raw)
		if err != nil {
			return
		}
		if ev.Common().RawData != "" {
			t.Fatal("raw_data set: logs.Normalize sets it")
		}
		if _, err := json.Marshal(ev); err != nil {
			t.Fatalf("marshal: %v", err)
		}
	})
}
