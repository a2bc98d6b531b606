package detect

import (
	"strings"
	"time"
	"unsafe"

	"github.com/tidwall/gjson"

	"github.com/vigil-sec/vigil/internal/logs"
)

// EventTime returns the time of a record's event (logs.EventTime), or the
// zero time when the event carries none that parses (the readers report and
// skip such events, so a record handed out always has one).
func EventTime(rec logs.Record) time.Time {
	if !rec.Time.IsZero() {
		return rec.Time
	}
	t, _ := logs.EventTime(rec)
	return t
}

// Identities returns the principals that performed a record's event (ARN,
// user name, invokedBy service, UPN, app id, principal email: the source
// descriptor's Actor paths), for allow-listing automation.
func Identities(rec logs.Record) []string {
	d, ok := logs.DescriptorOf(rec)
	if !ok {
		return nil
	}
	// Read over the raw bytes, copying only the values found (GetManyBytes
	// copied every value it read).
	raw := unsafe.String(unsafe.SliceData(rec.Raw), len(rec.Raw))
	out := make([]string, 0, len(d.Actor))
	for _, p := range d.Actor {
		if v := gjson.Get(raw, p); v.Type == gjson.String && v.Str != "" {
			out = append(out, strings.Clone(v.Str))
		}
	}
	return out
}
