package detect

import (
	"strings"
	"time"

	"github.com/vigil-sec/vigil/internal/logs"
	"github.com/vigil-sec/vigil/internal/sigma"
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
// descriptor's Actor paths, read as Sigma rules read fields), for
// allow-listing automation.
func Identities(rec logs.Record) []string {
	ids := identitiesIn(rec, sigma.NewJSONEvent(rec.Raw))
	for i, id := range ids {
		ids[i] = strings.Clone(id) // not pointing into a read buffer
	}
	return ids
}

// clientIn returns the user agent (service false) or the invoking cloud
// service (service true) of a record's event read through ev (the source
// descriptor's UserAgent or InvokedBy paths), "" when it has none. The
// value may point into a read buffer.
func clientIn(rec logs.Record, ev sigma.Event, service bool) string {
	d, ok := logs.DescriptorOf(rec)
	if !ok {
		return ""
	}
	paths := d.UserAgent
	if service {
		paths = d.InvokedBy
	}
	for _, p := range paths {
		if v, ok := ev.Field(p); ok && v.Kind == sigma.KindString && v.Str != "" {
			return v.Str
		}
	}
	return ""
}

// identitiesIn is Identities read through ev, the record's event already
// indexed for matching (no second scan of the JSON). The values are not
// copied: they may point into a read buffer and must not outlive the
// record's matching.
func identitiesIn(rec logs.Record, ev sigma.Event) []string {
	d, ok := logs.DescriptorOf(rec)
	if !ok {
		return nil
	}
	out := make([]string, 0, len(d.Actor))
	for _, p := range d.Actor {
		if v, ok := ev.Field(p); ok && v.Kind == sigma.KindString && v.Str != "" {
			out = append(out, v.Str)
		}
	}
	return out
}
