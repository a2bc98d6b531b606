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

// FuzzConsoleCSV: a CloudTrail console Event history CSV row (as the CSV
// reader hands it over: an object of its columns) converts to a CloudTrail
// event object with its time, operation and service, or an error, never a
// panic; what converts normalizes (or fails) cleanly.
func FuzzConsoleCSV(f *testing.F) {
	f.Add([]byte(`{"Event ID":"e1","Event time":"2024-03-14T15:00:01Z","User name":"root","Event name":"ConsoleLogin","AWS region":"us-east-1","Source IP address":"198.51.100.200","Read-only":"false","Event source":"signin.amazonaws.com"}`))
	f.Add([]byte(`{"Event ID":"e2","Event time":"March 14, 2024, 15:04:30 (UTC+00:00)","User name":"deploy-bot","Event name":"StopLogging","Resource type":"AWS::CloudTrail::Trail","Resource name":"arn:aws:cloudtrail:eu-west-1:111122223333:trail/org-trail","AWS access key":"AKIAEXAMPLE","Error code":"AccessDenied","Event source":"cloudtrail.amazonaws.com"}`))
	f.Add([]byte(`{"Event ID":"e3","Event time":"2024-03-14, 15:04:30 (UTC)","Event name":"x"}`))
	f.Add([]byte(`{"Event ID":"e4","Event time":"x","Event name":"y","CloudTrail event":{"eventVersion":"1.09","eventTime":"2024-03-14T15:00:01Z","eventSource":"iam.amazonaws.com","eventName":"CreateUser"}}`))
	f.Add([]byte(`{"Event ID":"e5","Event time":"x","Event name":"y","CloudTrail event":"{\"eventVersion\":1}"}`))
	f.Add([]byte(`{"Event ID":1,"Event time":null,"Event name":[]}`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		out, err := convertConsoleCSV(raw)
		if err != nil {
			return
		}
		var m map[string]json.RawMessage
		if err := json.Unmarshal(out, &m); err != nil {
			t.Fatalf("converted event is not a JSON object: %v: %s", err, out)
		}
		for _, k := range []string{"eventSource", "eventName", "eventTime"} {
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
