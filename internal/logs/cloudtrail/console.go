package cloudtrail

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/vigil-sec/vigil/internal/logs/internal/norm"
	"github.com/vigil-sec/vigil/internal/logs/logsource"
)

// The CloudTrail console's Event history page downloads the events it
// lists as CSV (Download events → CSV), the file an account without a
// trail hands over most often. Its columns are the page's: Event ID,
// Event time, User name, Event name, Resource type, Resource name, AWS
// access key, AWS region, Error code, Source IP address, Read-only, Event
// source... (the CSV reader gives each row as an object of its columns).
// A row with a column holding the whole event's JSON (CloudTrail event)
// is that event. Otherwise the row is a summary: it becomes a CloudTrail
// event of what the columns hold (eventID, eventTime, eventName,
// eventSource, awsRegion, sourceIPAddress, errorCode, readOnly,
// userIdentity.userName and accessKeyId, the resource's type and ARN);
// request parameters, the identity's type and ARN and the user agent are
// not in the download, so rules reading them cannot match such rows.

// ConsoleCSV is the shape of a CloudTrail console Event history CSV row.
func ConsoleCSV() logsource.Shape {
	return logsource.Shape{
		Name: "CloudTrail console Event history CSV row",
		Recognise: func(p logsource.Probe) bool {
			for _, k := range []string{"Event ID", "Event time", "Event name"} {
				if _, ok := p.Member(k); !ok {
					return false
				}
			}
			return true
		},
		Convert: convertConsoleCSV,
	}
}

// consoleColumns maps the download's summary columns to event members.
var consoleColumns = []struct{ col, key string }{
	{"Event ID", "eventID"},
	{"Event name", "eventName"},
	{"Event source", "eventSource"},
	{"AWS region", "awsRegion"},
	{"Source IP address", "sourceIPAddress"},
	{"Error code", "errorCode"},
	{"Request ID", "requestID"},
}

// errNoEventTime marks a row whose Event time is not a time.
var errNoEventTime = errors.New("Event time is not a time vigil reads")

func convertConsoleCSV(raw []byte) ([]byte, error) {
	m, err := norm.DecodeObject(raw)
	if err != nil {
		return nil, err
	}
	for _, col := range []string{"CloudTrail event", "CloudTrailEvent"} {
		switch v := m[col].(type) {
		case map[string]any:
			b, err := norm.Encode(v)
			if err != nil {
				return nil, err
			}
			return checkEvent(b, col)
		case string:
			if strings.TrimSpace(v) != "" {
				return checkEvent([]byte(strings.TrimSpace(v)), col)
			}
		}
	}
	str := func(k string) string {
		s, _ := m[k].(string)
		return strings.TrimSpace(s)
	}
	t, err := consoleTime(str("Event time"))
	if err != nil {
		return nil, err
	}
	// No eventVersion: the download does not say which the event had.
	ev := map[string]any{
		"eventTime":       t,
		"eventCategory":   "Management",
		"managementEvent": true,
	}
	for _, c := range consoleColumns {
		if s := str(c.col); s != "" {
			ev[c.key] = s
		}
	}
	if ev["eventName"] == nil {
		return nil, fmt.Errorf("%w: no Event name", norm.ErrMissing)
	}
	if ev["eventSource"] == nil {
		// Older downloads leave it out; the summary still counts as an
		// event of an unknown service.
		ev["eventSource"] = ""
	}
	id := map[string]any{}
	if s := str("User name"); s != "" {
		id["userName"] = s
	}
	if s := str("AWS access key"); s != "" {
		id["accessKeyId"] = s
	}
	if len(id) > 0 {
		ev["userIdentity"] = id
	}
	for _, col := range []string{"Read-only", "Read only"} {
		switch strings.ToLower(str(col)) {
		case "true":
			ev["readOnly"] = true
		case "false":
			ev["readOnly"] = false
		}
	}
	if rt, rn := str("Resource type"), str("Resource name"); rt != "" || rn != "" {
		r := map[string]any{}
		if rt != "" {
			r["type"] = rt
		}
		if strings.HasPrefix(rn, "arn:") {
			r["ARN"] = rn
		}
		ev["resources"] = []any{r}
	}
	return norm.Encode(ev)
}

// checkEvent returns b, the text of member col, when it is a CloudTrail
// event's JSON.
func checkEvent(b []byte, col string) ([]byte, error) {
	var probe struct {
		EventVersion *string `json:"eventVersion"`
		EventSource  *string `json:"eventSource"`
		EventName    *string `json:"eventName"`
		EventTime    *string `json:"eventTime"`
	}
	if len(b) == 0 || b[0] != '{' || json.Unmarshal(b, &probe) != nil {
		return nil, fmt.Errorf("%s %w: not a JSON object", col, ErrNotCloudTrail)
	}
	if probe.EventVersion == nil || probe.EventSource == nil || probe.EventName == nil || probe.EventTime == nil {
		return nil, fmt.Errorf("%s %w: no eventVersion, eventSource, eventName or eventTime", col, ErrNotCloudTrail)
	}
	return b, nil
}

// consoleTimeLayouts are the forms of the download's Event time: RFC 3339
// (UTC), and the console's display form with its zone.
var consoleTimeLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02 15:04:05",
	"2006-01-02T15:04:05",
	"January 02, 2006, 15:04:05 (UTC-07:00)",
	"January 2, 2006, 15:04:05 (UTC-07:00)",
	"Jan 02, 2006, 15:04:05 (UTC-07:00)",
	"2006-01-02, 15:04:05 (UTC-07:00)",
}

// consoleTime returns the Event time as RFC 3339 (UTC).
func consoleTime(s string) (string, error) {
	s = strings.TrimSpace(s)
	// "(UTC)" is the console's zone when the user's is UTC.
	s = strings.Replace(s, "(UTC)", "(UTC+00:00)", 1)
	for _, l := range consoleTimeLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.UTC().Format(time.RFC3339), nil
		}
	}
	return "", fmt.Errorf("%w: %q", errNoEventTime, s)
}
