package logs

import (
	"time"

	"github.com/vigil-sec/vigil/internal/logs/logsource"
)

// ErrBadTime is the error of an event without a valid event time. The
// readers report such an event (file, line, offset) and skip it, so
// ingest, detect and follow mode apply the same rule.
var ErrBadTime = logsource.ErrBadTime

// EventTime returns the time of a record's event (UTC), or an error
// wrapping ErrBadTime when it has none that parses. The paths are the
// source descriptor's Time.
func EventTime(r Record) (time.Time, error) {
	var paths []string
	if d, ok := DescriptorOf(r); ok {
		paths = d.Time
	}
	return logsource.EventTime(paths, r.Raw)
}
