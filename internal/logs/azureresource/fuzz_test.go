package azureresource

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

func FuzzAzureResource(f *testing.F) {
	for _, s := range []string{"azure_resource.json", "azure_resource_tables.jsonl"} {
		if d, err := os.ReadFile(filepath.Join("..", "testdata", "samples", s)); err == nil {
			f.Add(d)
		}
	}
	f.Add([]byte(`{"time":"2024-01-01T00:00:00Z","operationName":"SecretGet","category":"AuditEvent","resultType":"","identity":{"claim":[]},"properties":{"httpStatusCode":"x"}}`))
	f.Add([]byte(`{"TimeGenerated":"2024-01-01T00:00:00Z","OperationName":"DeleteBlob","Category":"StorageDelete","StatusCode":"4e3","identity":{"type":1,"requester":null},"_ResourceId":"/providers/"}`))
	f.Add([]byte(`{"time":"2024-01-01T00:00:00Z","operationName":"Key","resourceId":"/SUBSCRIPTIONS/A/PROVIDERS/MICROSOFT.KEYVAULT","Identity":{"claim":{"upn":"x"}}}`))
	f.Add([]byte(`{"time":"2024-01-01T00:00:00Z","operationName":"AuditEvent","category":"SQLSecurityAuditEvents","properties":{"action_name":"","succeeded":false,"client_ip":7,"server_principal_name":"a@b"}}`))
	f.Add([]byte(`{"TimeGenerated":"2024-01-01T00:00:00Z","OperationName":"AuditEvent","Type":"SQLSecurityAuditEvents","ActionName":"LOGIN FAILED","Succeeded":"x","ClientIp":"::1"}`))
	f.Fuzz(func(t *testing.T, raw []byte) {
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
