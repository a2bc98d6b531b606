package cloudtrail

import (
	"encoding/json"
	"testing"
)

// FuzzEmbedded: an Event history entry or CloudWatch Logs log event
// converts to a CloudTrail event object or an error, never a panic, and
// what converts normalizes (or fails) cleanly.
func FuzzEmbedded(f *testing.F) {
	f.Add([]byte(`{"EventId":"1","CloudTrailEvent":"{\"eventVersion\":\"1.09\",\"eventTime\":\"2024-03-14T15:00:01Z\",\"eventSource\":\"iam.amazonaws.com\",\"eventName\":\"CreateUser\"}"}`), "CloudTrailEvent")
	f.Add([]byte(`{"id":"1","timestamp":1,"message":"{\"eventVersion\":1,\"eventTime\":null,\"eventSource\":\"x\",\"eventName\":\"y\"}"}`), "message")
	f.Add([]byte(`{"id":"1","timestamp":1,"message":"CWL CONTROL MESSAGE"}`), "message")
	f.Add([]byte(`{"message":"  {\"eventVersion\":\"1\",\"eventTime\":\"x\",\"eventSource\":\"\",\"eventName\":\"\"} "}`), "message")
	f.Fuzz(func(t *testing.T, raw []byte, key string) {
		out, err := embedded(raw, key)
		if err != nil {
			return
		}
		var m map[string]json.RawMessage
		if err := json.Unmarshal(out, &m); err != nil {
			t.Fatalf("converted event is not a JSON object: %v: %s", err, out)
		}
		for _, k := range []string{"eventVersion", "eventSource", "eventName", "eventTime"} {
			if _, ok := m[k]; !ok {
				t.Fatalf("converted event without %s: %s", k, out)
			}
		}
		if ev, err := Normalize(out); err == nil {
			if _, err := json.Marshal(ev); err != nil {
				t.Fatalf("marshal: %v", err)
			}
		}
	})
}
