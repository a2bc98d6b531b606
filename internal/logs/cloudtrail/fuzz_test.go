package cloudtrail

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

func FuzzCloudTrail(f *testing.F) {
	for _, s := range []string{"aws_eventbridge.json", "aws_cloudtrail_lake.jsonl"} {
		if d, err := os.ReadFile(filepath.Join("..", "testdata", "samples", s)); err == nil {
			f.Add(d)
		}
	}
	f.Add([]byte(`{"eventName":"ConsoleLogin","eventTime":"2024-01-01T00:00:00Z","eventSource":"signin.amazonaws.com","responseElements":{"ConsoleLogin":"Failure"}}`))
	f.Add([]byte(`{"eventName":"CreateUser","eventTime":"2024-01-01T00:00:00Z","eventSource":"iam.amazonaws.com","requestParameters":{"userName":5},"userIdentity":{"type":"AssumedRole","arn":"arn:aws:sts::1:assumed-role/"}}`))
	f.Add([]byte(`{"eventName":"X","eventTime":"2024-01-01T00:00:00Z","resources":[{"ARN":null},1,"x"],"userIdentity":{"sessionContext":{"attributes":{"creationDate":7}}}}`))
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
