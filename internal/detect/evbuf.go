package detect

import (
	"sort"
	"strings"
	"time"

	"github.com/vigil-sec/vigil/internal/logs"
	"github.com/vigil-sec/vigil/internal/ocsf"
	"github.com/vigil-sec/vigil/internal/sigma"
)

// maxGroupEvents bounds the events kept per correlation group as evidence.
const maxGroupEvents = 10

// corrMember says that a rule feeds correlation co, whose group-by names
// read the rule's fields (aliases resolved).
type corrMember struct {
	co     *sigma.Correlation
	names  []string // group-by names, sorted
	fields []string // parallel: the rule's field for each name
	// prefix is corrKey(co) and a NUL: the start of the evidence key.
	prefix string
	// alerts is set when co raises alerts (not disabled by the tuning,
	// not silent): only then is its evidence kept.
	alerts bool
}

// bufEvent is an event kept as correlation evidence (and in checkpoints).
type bufEvent struct {
	T      time.Time   `json:"t"`
	Source logs.Source `json:"source"`
	File   string      `json:"file,omitempty"`
	Line   int         `json:"line,omitempty"`
	Offset int64       `json:"offset"`
	Raw    exactRaw    `json:"raw"`
	// norm is the event's OCSF form once made (not in checkpoints: a
	// restored event is normalized again when needed).
	norm ocsf.Event
}

func (b bufEvent) record() logs.Record {
	return logs.Record{Source: b.Source, Raw: b.Raw, File: b.File, Line: b.Line, Offset: b.Offset}
}

// memberOf builds the corrMember of rule r in co.
func memberOf(co *sigma.Correlation, r *sigma.Rule) corrMember {
	m := corrMember{co: co, names: append([]string(nil), co.GroupBy...), prefix: corrKey(co) + "\x00"}
	sort.Strings(m.names)
	for _, g := range m.names {
		f := g
		if al, ok := co.Aliases[g]; ok {
			for _, k := range []string{r.Name, r.ID} {
				if v, ok := al[k]; ok && k != "" {
					f = v
					break
				}
			}
		}
		m.fields = append(m.fields, f)
	}
	return m
}

// refersTo reports whether co references r by id or name.
func refersTo(co *sigma.Correlation, r *sigma.Rule) bool {
	for _, ref := range co.Rules {
		if ref != "" && (ref == r.ID || ref == r.Name) {
			return true
		}
	}
	return false
}

// groupString renders group values as groupOnly does for hits.
func groupString(names []string, vals func(i int) string) string {
	var b strings.Builder
	for i, n := range names {
		b.WriteString(n)
		b.WriteString("=")
		b.WriteString(vals(i))
		b.WriteString(";")
	}
	return b.String()
}

// remember keeps h's event as evidence for every correlation its rule r
// feeds, in the group its values put it in.
func (e *Engine) remember(r *sigma.Rule, h *Hit, vals map[string]string) {
	for _, m := range e.members[r] {
		if !m.alerts {
			// Evidence of a correlation that raises no alert (one that
			// only feeds another, or one disabled) is never read.
			continue
		}
		// Kept past the read buffer's release: the event's own copy.
		e.own(h)
		// The key is corrKey(co) NUL groupString(...), built in a reused
		// buffer: a string is made only for a group not held yet.
		kb := append(e.keyBuf[:0], m.prefix...)
		for i, name := range m.names {
			kb = append(kb, name...)
			kb = append(kb, '=')
			kb = append(kb, vals[m.fields[i]]...)
			kb = append(kb, ';')
		}
		e.keyBuf = kb
		g := e.evbuf[string(kb)]
		if g == nil {
			g = new([]bufEvent)
			e.evbuf[string(kb)] = g
		}
		buf := *g
		// Keep the newest events within the timespan, at most
		// maxGroupEvents, in place (appending to buf[cut:] would move
		// the window up its array and reallocate it again and again).
		cut := 0
		for cut < len(buf) && h.Time.Sub(buf[cut].T) > m.co.Timespan {
			cut++
		}
		if n := len(buf) - cut + 1; n > maxGroupEvents {
			cut += n - maxGroupEvents
		}
		if cut > 0 {
			buf = buf[:copy(buf, buf[cut:])]
		}
		buf = append(buf, bufEvent{T: h.Time, Source: h.Record.Source, File: h.Record.File,
			Line: h.Record.Line, Offset: h.Record.Offset, Raw: h.Record.Raw, norm: h.Norm})
		*g = buf
		if h.Time.After(e.newest) {
			e.newest = h.Time
		}
		e.maxSpan = max(e.maxSpan, m.co.Timespan)
	}
}

// evidence returns the kept events of a correlation hit's group inside the
// hit's window, oldest first, ending with the current event (cur may be nil
// for hits of windows that closed without a new event).
func (e *Engine) evidence(hit sigma.CorrelationHit, cur *Hit) []Event {
	key := corrKey(hit.Correlation) + "\x00" + groupOnly(hit)
	var out []Event
	var kept []bufEvent
	if g := e.evbuf[key]; g != nil {
		kept = *g
	}
	for i := range kept {
		b := &kept[i]
		if b.T.Before(hit.First) || b.T.After(hit.Last) {
			continue
		}
		if cur != nil && b.Offset == cur.Record.Offset && b.File == cur.Record.File {
			continue // the current event is added last, with its OCSF form
		}
		rec := b.record()
		if b.norm == nil {
			// Normalized once, kept for the group's further alerts.
			b.norm = e.normalize(rec)
		}
		out = append(out, Event{Record: rec, Norm: b.norm, Time: b.T})
	}
	if cur == nil {
		return out
	}
	e.own(cur) // the alert keeps it
	if !cur.normalized {
		cur.Norm, cur.normalized = e.normalize(cur.Record), true
	}
	return append(out, Event{Record: cur.Record, Norm: cur.Norm, Time: cur.Time})
}

// pruneEvidence drops groups whose newest event is older than the longest
// timespan.
func (e *Engine) pruneEvidence() {
	for k, g := range e.evbuf {
		if g == nil || len(*g) == 0 || e.newest.Sub((*g)[len(*g)-1].T) > e.maxSpan {
			delete(e.evbuf, k)
		}
	}
}

func corrKey(co *sigma.Correlation) string {
	return co.Path + "\x00" + co.ID + "\x00" + co.Name + "\x00" + co.Title
}
