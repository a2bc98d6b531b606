package cloudtrail

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/vigil-sec/vigil/internal/logs/logsource"
)

// Other shapes CloudTrail events come in, each holding the event's JSON
// as a string member: the event itself is that text.
//
//   - Event history (`aws cloudtrail lookup-events`, the LookupEvents API:
//     {"Events":[{"EventId":...,"EventName":...,"CloudTrailEvent":"{...}"}]}),
//     what an account without a trail has: the last 90 days of management
//     events.
//   - CloudWatch Logs, where a trail can send its events: a log event is
//     {"id":...,"timestamp":...,"message":"{...}"} inside a subscription
//     filter's record ({"messageType":"DATA_MESSAGE",...,"logEvents":[...]},
//     as Kinesis Data Firehose delivers them to S3, gzipped and concatenated)
//     or `aws logs filter-log-events` / `get-log-events` output
//     ({"events":[{"logStreamName":...,"timestamp":...,"message":"{...}",
//     "ingestionTime":...,"eventId":...}]}).

// LookupEvents is the shape of CloudTrail Event history entries.
func LookupEvents() logsource.Shape {
	return logsource.Shape{
		Name: "CloudTrail Event history (LookupEvents) entry",
		Recognise: func(p logsource.Probe) bool {
			v, ok := p.Member("CloudTrailEvent")
			return ok && len(v) > 0 && v[0] == '"'
		},
		Convert: func(raw []byte) ([]byte, error) { return embedded(raw, "CloudTrailEvent") },
	}
}

// CloudWatchLogsEvent is the shape of a CloudWatch Logs log event whose
// message is a CloudTrail event. Log events of other logs (VPC flow logs,
// application logs, a subscription's control messages) are not
// recognised: they are reported as events of an unknown kind.
func CloudWatchLogsEvent() logsource.Shape {
	return logsource.Shape{
		Name: "CloudWatch Logs log event",
		Recognise: func(p logsource.Probe) bool {
			if _, ok := p.Member("timestamp"); !ok {
				return false
			}
			v, ok := p.Member("message")
			if !ok || len(v) < 2 || v[0] != '"' {
				return false
			}
			// The message is the event's JSON text, escaped: a CloudTrail
			// event names its eventVersion and eventSource.
			return bytes.Contains(v, []byte(`\"eventVersion\"`)) && bytes.Contains(v, []byte(`\"eventSource\"`))
		},
		Convert: func(raw []byte) ([]byte, error) { return embedded(raw, "message") },
	}
}

// ErrNotCloudTrail marks an embedded text that is not a CloudTrail event.
var ErrNotCloudTrail = errors.New("does not hold a CloudTrail event")

// embedded returns the CloudTrail event held as JSON text in member key of
// the object raw (a new buffer).
func embedded(raw []byte, key string) ([]byte, error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, err
	}
	var s string
	if err := json.Unmarshal(m[key], &s); err != nil {
		return nil, fmt.Errorf("%s: %w", key, err)
	}
	return checkEvent(bytes.TrimSpace([]byte(s)), key)
}
