// Package logsource defines the descriptor of one audit log source: how its
// events are recognised, normalized to OCSF, where their time, actor and
// operation are, which Sigma logsources and field names its rules use, and
// its lake view. Each source's descriptor lives in its own folder under
// internal/logs (cloudtrail, azure, gcp, m365); logs.Builtin() lists them,
// and every consumer (reader, normalizer, detection engine, Sigma loader,
// lake) reads the descriptor instead of a table of its own. Adding a source
// is one folder and one line in logs.Builtin.
package logsource

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"time"
	"unsafe"

	"github.com/tidwall/gjson"

	"github.com/vigil-sec/vigil/internal/logs/internal/norm"
	"github.com/vigil-sec/vigil/internal/ocsf"
)

// Source names a log source ("aws_cloudtrail"). Sigma logsources and OCSF
// mappings are chosen by it; it is also the lake's partition and view name.
type Source string

// RawPath is the event path of the whole event's JSON text, for rule
// fields that stand for the raw event (e.g. M365 "Payload").
const RawPath = "@raw"

// Probe gives a recogniser the top-level members of one candidate event
// without decoding it. Values are raw JSON (strings keep their quotes) and
// sub-slices of Raw, so an envelope's inner event can be returned as is.
type Probe interface {
	// Raw is the event object's JSON text.
	Raw() []byte
	// Member returns the raw value of the top-level member key (exact
	// key), scanning no further than needed.
	Member(key string) ([]byte, bool)
	// Members calls f for each member of the raw object obj (a value
	// Member returned), with the raw key (no quotes) and raw value; f
	// returns false to stop.
	Members(obj []byte, f func(key, val []byte) bool)
}

// Descriptor is everything vigil knows about one log source.
type Descriptor struct {
	// Name is the source's name (aws_cloudtrail); Title its display name.
	Name  Source
	Title string
	// Wrapper is the key of the top-level object whose array holds this
	// source's events in the files the cloud writes ({"Records":[...]} for
	// CloudTrail, {"records":[...]} for Azure diagnostic logs); "" when
	// there is none. Inside a wrapper only the sources that declare it are
	// tried; when one source alone declares it and the first element is
	// its event, the other elements are taken as its events unexamined
	// (S3 notifications share CloudTrail's wrapper, not its events).
	Wrapper string
	// AltWrappers are further wrapper keys, of files other tools write
	// (the Azure REST API's {"value":[...]} pages), read as Wrapper is.
	AltWrappers []string
	// Recognise reports whether an event object belongs to this source,
	// by the fields that identify it. inner, when not nil, is the source's
	// event inside an envelope (an EventBridge event's detail): a
	// sub-slice of the probe's Raw. Sources are tried in registry order.
	Recognise func(p Probe) (inner []byte, ok bool)
	// Normalize maps one event to its OCSF 1.8.0 event. It may leave
	// raw_data empty: Registry.Normalize and logs.Normalize set it to the
	// event (a copy of raw), logs.NormalizeWithoutRaw does not (the lake
	// stores the event in a column of its own).
	Normalize func(raw []byte) (ocsf.Event, error)
	// Time lists the JSON paths (gjson syntax) of the event time: the
	// first holding a non-empty string is parsed.
	Time []string
	// Actor lists the paths of the identities that performed the event
	// (ARN, user name, UPN, app id, principal email), for allow-lists.
	Actor []string
	// UserAgent lists the paths of the client's user agent, for the
	// tuning's allow-list of automation user agents (infrastructure as
	// code); empty when the source records none a caller chooses.
	UserAgent []string
	// InvokedBy lists the paths of the cloud service that made the call
	// for the account (CloudTrail userIdentity.invokedBy: a service
	// principal the cloud sets, not the caller), for the tuning's
	// allow-list of services; empty when the source records none.
	InvokedBy []string
	// Operation is the path of the API operation OCSF maps to
	// api.operation.
	Operation string
	// OperationPaths, when the source's events come in several shapes
	// that keep the operation in different places, lists the paths to
	// read it from in order (the first holding a string wins; Operation
	// among them); empty: Operation alone.
	OperationPaths []string
	// Shapes are other shapes of this source's events, as other tools
	// write them (a Log Analytics table row, a BigQuery export row, a
	// Reports API activity): an event no source recognises is offered to
	// them in registry order, and the first that recognises it converts
	// it to this source's own event, which is then read as if delivered
	// so (its Raw is the converted event).
	Shapes []Shape
	// Identity, when not nil, returns the bytes that identify an event for
	// de-duplication (the lake's event_hash, detect's event keys) in place
	// of its raw JSON: for a source whose shapes write one record in
	// different bytes (the Microsoft 365 Management Activity API and a
	// Purview export's AuditData column: key order, spacing, escapes), a
	// canonical form of the same content. Events that differ in any value
	// must still differ. nil: the raw bytes (see Descriptor.Key).
	Identity func(raw []byte) []byte
	// Sigma is how Sigma rules address this source's events.
	Sigma Sigma
	// LakeView is the name of the lake's view over this source's events.
	LakeView string
}

// Key returns the bytes that identify event raw of this source for
// de-duplication: Identity's when the source has one, else raw itself.
func (d *Descriptor) Key(raw []byte) []byte {
	if d == nil || d.Identity == nil {
		return raw
	}
	return d.Identity(raw)
}

// ErrNotAudit marks a Shape.Convert error for an event of the shape that
// holds no audit event of the source (a Pub/Sub message carrying another
// log, an Event Hubs body of another category): the reader passes it over
// as an event of an unknown kind, saying why, instead of reporting an
// input error.
var ErrNotAudit = errors.New("not an audit log event")

// Shape is one other shape of a source's events (see Descriptor.Shapes).
type Shape struct {
	// Name names the shape in notes and docs ("Log Analytics
	// OfficeActivity row").
	Name string
	// Recognise reports whether an event object has this shape, by the
	// fields that identify it.
	Recognise func(p Probe) bool
	// Convert returns the source's own event for an event of this shape
	// (a new buffer: raw is not modified), or an error saying what it
	// lacks.
	Convert func(raw []byte) ([]byte, error)
}

// Sigma describes the Sigma side of a source: the logsources whose rules
// match its events and the rule field names' event paths (a pySigma
// pipeline's job).
type Sigma struct {
	// LogSources are the Sigma logsources read from this source.
	LogSources []LogSource
	// Unsupported are logsources of this source's product that no delivered
	// log carries, with the reason given when a rule uses one.
	Unsupported []LogSource
	// Fields maps a lower-cased rule field to candidate event paths, tried
	// in order (see sigma.FieldMap); empty when rules use the event's own
	// names.
	Fields map[string][]string
	// Prefixes rewrite a lower-cased rule field prefix to an event path
	// prefix; Fallbacks are prefixes tried after the field itself.
	Prefixes  map[string]string
	Fallbacks []string
	// Values maps a lower-cased rule field and plain rule value to the
	// values the source writes.
	Values map[string]map[string][]string
	// Placeholders are the values for the expand modifier.
	Placeholders map[string][]string
}

// LogSource is one Sigma logsource (product and service; category unused
// by the cloud rules). Coverage names the group the ATT&CK coverage report
// lists its rules under ("aws cloudtrail", "google workspace"); Reason, for
// unsupported logsources, why no rule of it can run.
type LogSource struct {
	Product, Service string
	Coverage         string
	Reason           string
}

// Registry is an immutable list of source descriptors, in recognition
// order. Build one with New; logs.Builtin() returns vigil's.
type Registry struct {
	list   []Descriptor
	byName map[Source]int
}

// New returns a registry of the descriptors, in that order. Names must be
// unique and the required fields (Name, Title, Recognise, Normalize, Time,
// Actor, Operation, Sigma.LogSources, LakeView) set.
func New(ds ...Descriptor) (*Registry, error) {
	r := &Registry{list: make([]Descriptor, 0, len(ds)), byName: map[Source]int{}}
	var errs []error
	for _, d := range ds {
		if miss := Missing(d); len(miss) > 0 {
			errs = append(errs, fmt.Errorf("log source %q: missing %s", d.Name, strings.Join(miss, ", ")))
			continue
		}
		if _, dup := r.byName[d.Name]; dup {
			errs = append(errs, fmt.Errorf("log source %q registered twice", d.Name))
			continue
		}
		r.byName[d.Name] = len(r.list)
		r.list = append(r.list, d)
	}
	return r, errors.Join(errs...)
}

// Missing lists the required descriptor fields d leaves empty.
func Missing(d Descriptor) []string {
	var out []string
	check := func(name string, empty bool) {
		if empty {
			out = append(out, name)
		}
	}
	check("Name", d.Name == "")
	check("Title", d.Title == "")
	check("Recognise", d.Recognise == nil)
	check("Normalize", d.Normalize == nil)
	check("Time", len(d.Time) == 0)
	check("Actor", len(d.Actor) == 0)
	check("Operation", d.Operation == "")
	check("Sigma.LogSources", len(d.Sigma.LogSources) == 0)
	check("LakeView", d.LakeView == "")
	return out
}

// With returns a new registry with ds added after r's sources.
func (r *Registry) With(ds ...Descriptor) (*Registry, error) {
	return New(append(r.All(), ds...)...)
}

// All returns the descriptors in recognition order (a copy of the list).
func (r *Registry) All() []Descriptor { return append([]Descriptor(nil), r.list...) }

// Len returns the number of sources.
func (r *Registry) Len() int { return len(r.list) }

// At returns the i-th descriptor (0 <= i < Len), shared: do not modify.
func (r *Registry) At(i int) *Descriptor { return &r.list[i] }

// Lookup returns the descriptor of a source name (shared: do not modify).
func (r *Registry) Lookup(name Source) (*Descriptor, bool) {
	i, ok := r.byName[name]
	if !ok {
		return nil, false
	}
	return &r.list[i], true
}

// Names returns the source names in registry order.
func (r *Registry) Names() []Source {
	out := make([]Source, len(r.list))
	for i := range r.list {
		out[i] = r.list[i].Name
	}
	return out
}

// Normalize maps an event of source name to OCSF with its normalizer.
func (r *Registry) Normalize(name Source, raw []byte) (ocsf.Event, error) {
	d, ok := r.Lookup(name)
	if !ok {
		return nil, fmt.Errorf("no normalizer for source %q", name)
	}
	ev, err := d.Normalize(raw)
	if err != nil {
		return nil, err
	}
	if b := ev.Common(); b.RawData == "" {
		b.RawData = string(raw)
	}
	return ev, nil
}

// ErrBadTime is the error of an event without a valid event time.
var ErrBadTime = errors.New("no valid event time")

// EventTime returns the time (UTC) of an event of source name, or an error
// wrapping ErrBadTime when it has none that parses.
func (r *Registry) EventTime(name Source, raw []byte) (time.Time, error) {
	var paths []string
	if d, ok := r.Lookup(name); ok {
		paths = d.Time
	}
	return EventTime(paths, raw)
}

// EventTime parses the first non-empty string at paths in raw as an event
// time (RFC 3339 and the clouds' variants).
func EventTime(paths []string, raw []byte) (time.Time, error) {
	return EventTimeMembers(paths, raw, nil)
}

// EventTimeMembers is EventTime for an event whose top-level members the
// reader located (mem: see logs.Record.Members; nil when not): a path
// naming a top-level member is then read from them instead of scanning
// the event.
func EventTimeMembers(paths []string, raw []byte, mem []int32) (time.Time, error) {
	s := ""
	for _, p := range paths {
		if v, found, ok := memberString(raw, mem, p); ok {
			if found && v != "" {
				s = v
				break
			}
			continue
		}
		// A string over raw, not a copy: the value is parsed, not kept.
		if v := gjson.Get(unsafe.String(unsafe.SliceData(raw), len(raw)), p); v.Type == gjson.String && v.Str != "" {
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

// ForSigma returns the source whose Sigma logsources include product and
// service. When none does it returns the unsupported entry that names them
// (with its reason) if a source lists one, else ok false.
func (r *Registry) ForSigma(product, service string) (d *Descriptor, unsupported *LogSource, ok bool) {
	for i := range r.list {
		for _, ls := range r.list[i].Sigma.LogSources {
			if ls.Product == product && ls.Service == service {
				return &r.list[i], nil, true
			}
		}
	}
	for i := range r.list {
		for j, ls := range r.list[i].Sigma.Unsupported {
			if ls.Product == product && ls.Service == service {
				return nil, &r.list[i].Sigma.Unsupported[j], false
			}
		}
	}
	return nil, nil, false
}

// Coverage returns the coverage-report group of a Sigma logsource, "" when
// no source lists it.
func (r *Registry) Coverage(product, service string) string {
	for i := range r.list {
		for _, ls := range r.list[i].Sigma.LogSources {
			if ls.Product == product && ls.Service == service {
				return ls.Coverage
			}
		}
	}
	return ""
}

// memberString reads the top-level member named p from the member offsets
// mem of raw as gjson.Get would: the first member of that name, its value
// when a string. ok is false when it cannot answer that way (no offsets, a
// path gjson reads other than as one member name, escapes in a key or in
// the value): the caller then asks gjson.
func memberString(raw []byte, mem []int32, p string) (v string, found, ok bool) {
	if len(mem) == 0 || p == "" {
		return "", false, false
	}
	for i := 0; i < len(p); i++ {
		c := p[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_') {
			return "", false, false
		}
	}
	for i := 0; i+3 < len(mem); i += 4 {
		k := raw[mem[i]:mem[i+1]]
		if bytes.IndexByte(k, '\\') >= 0 {
			return "", false, false
		}
		if string(k) != p {
			continue
		}
		val := raw[mem[i+2]:mem[i+3]]
		if len(val) < 2 || val[0] != '"' {
			return "", false, true // not a string: gjson's Type is not String
		}
		val = val[1 : len(val)-1]
		if bytes.IndexByte(val, '\\') >= 0 {
			return "", false, false
		}
		return unsafe.String(unsafe.SliceData(val), len(val)), true, true
	}
	return "", false, true
}
