package k8saudit

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/vigil-sec/vigil/internal/testkit"
)

// samples are the package's seeds: vigil's own samples of each shape
// (internal/logs/testdata/samples/k8s_*).
func samples(name string) string { return filepath.Join("..", "testdata", "samples", name) }

// seedElements adds each element of the array under key in the JSON file
// path as a seed.
func seedElements(f *testing.F, path, key string) {
	d, err := os.ReadFile(path)
	if err != nil {
		return
	}
	var page map[string][]json.RawMessage
	if json.Unmarshal(d, &page) != nil {
		return
	}
	for _, it := range page[key] {
		f.Add([]byte(it))
	}
}

// FuzzNormalize: any object normalizes to an API Activity with an
// operation and a time, or to an error, never a panic.
func FuzzNormalize(f *testing.F) {
	testkit.SeedLines(f, samples("k8s_audit.jsonl"))
	seedElements(f, samples("k8s_eventlist.json"), "items")
	f.Add([]byte(`{"auditID":"a","verb":"create","stage":"ResponseComplete","requestReceivedTimestamp":"2024-01-01T00:00:00Z","user":{"username":"x","extra":{"arn":"arn:aws:iam::1"}},"sourceIPs":[7],"responseStatus":{"code":"403"}}`))
	f.Add([]byte(`{"auditID":"a","verb":"get","stageTimestamp":"2024-01-01T00:00:00Z","annotations":{"vigil-sec/azure-resource-id":"/subscriptions/"},"objectRef":{"resource":"pods","subresource":"exec"},"impersonatedUser":{"username":"system:serviceaccount:a:b","groups":[1]}}`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		ev, err := Normalize(raw)
		if err != nil {
			return
		}
		b := ev.Common()
		if b.RawData != "" {
			t.Fatal("raw_data set: logs.Normalize sets it")
		}
		if b.API == nil || b.API.Operation == "" || b.Cloud == nil || b.Cloud.Provider == "" {
			t.Fatalf("normalized event without operation or cloud: %+v", b)
		}
		if _, err := json.Marshal(ev); err != nil {
			t.Fatalf("marshal: %v", err)
		}
	})
}

// FuzzShapes: EKS CloudWatch Logs log events, AKS records and AKSAudit rows
// convert to an Event this source recognises, or to an error, never a
// panic; a converted Event normalizes or fails cleanly.
func FuzzShapes(f *testing.F) {
	seedElements(f, samples("k8s_eks_cloudwatch.json"), "events")
	seedElements(f, samples("k8s_aks.json"), "records")
	testkit.SeedLines(f, samples("k8s_aks_tables.jsonl"))
	f.Add([]byte(`{"timestamp":1,"message":"{\"auditID\":\"a\",\"verb\":\"get\"}"}`))
	f.Add([]byte(`{"category":"kube-audit","properties":{"log":{"auditID":"a","verb":"list","stage":"x"}},"resourceId":"/SUBSCRIPTIONS/S/x"}`))
	f.Add([]byte(`{"Category":"kube-audit-admin","log_s":"{\"auditID\":\"a\",\"verb\":\"get\",\"annotations\":\"x\"}","ResourceId":"/subscriptions/s"}`))
	f.Add([]byte(`{"Type":"AKSAudit","AuditId":"a","Verb":"get","User":"{\"username\":1}","Annotations":"[1]","TimeGenerated":"1.7E9","_ResourceId":"/x"}`))
	shapes := []func([]byte) ([]byte, error){
		CloudWatchLogsEvent().Convert, AKSRecord().Convert, AKSTableRow().Convert,
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		for _, conv := range shapes {
			out, err := conv(raw)
			if err != nil {
				continue
			}
			if !json.Valid(out) {
				t.Fatalf("converted event is not JSON: %s", out)
			}
			if _, err := checkEvent(out, "converted"); err != nil {
				t.Fatalf("converted event is no audit Event: %v: %s", err, out)
			}
			if ev, err := Normalize(out); err == nil {
				if _, err := json.Marshal(ev); err != nil {
					t.Fatalf("marshal: %v", err)
				}
			}
		}
	})
}
