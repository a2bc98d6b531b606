package logs

import (
	"errors"
	"fmt"
	"time"

	"github.com/tidwall/gjson"

	"github.com/vigil-sec/vigil/internal/logs/internal/norm"
)

// ErrBadTime is the error of an event without a valid event time. The
// readers report such an event (file, line, offset) and skip it, so
// ingest, detect and follow mode apply the same rule.
var ErrBadTime = errors.New("no valid event time")

// timePaths are, per source, where the event time is: the first of them
// holding a non-empty string is parsed (the normalizers read the same).
var timePaths = map[Source][]string{
	AWSCloudTrail: {"eventTime"},
	AzureActivity: {"time", "Time", "TimeGenerated"},
	AzureSignIn:   {"time", "Time", "TimeGenerated"},
	AzureAudit:    {"time", "Time", "TimeGenerated"},
	GCPAudit:      {"timestamp", "receiveTimestamp"},
	M365Audit:     {"CreationTime"},
}

// EventTime returns the time of a record's event (UTC), or an error
// wrapping ErrBadTime when it has none that parses.
func EventTime(r Record) (time.Time, error) {
	s := ""
	for _, p := range timePaths[r.Source] {
		if v := gjson.GetBytes(r.Raw, p); v.Type == gjson.String && v.Str != "" {
			s = v.Str
			break
		}
	}
	t, err := norm.ParseTime(s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%w: %v", ErrBadTime, err)
	}
	return t, nil
}
