package findings

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/vigil-sec/vigil/internal/jsonenc"
	"github.com/vigil-sec/vigil/internal/ocsf"
)

// AppendOCSF appends the finding's OCSF event (see OCSF) as one line of
// JSON, byte for byte what encoding/json's Encoder writes for f.OCSF()
// (HTML characters escaped, a newline after), without reflection or the
// intermediate structs: writing a million events spends most of its time
// here, and most of that escaping the raw records into raw_data. A raw
// record left in its file (RawAt) is read back.
func (f *Finding) AppendOCSF(b []byte) ([]byte, error) {
	return f.appendOCSF(b, &encoder{})
}

// encoder is what one worker of the writers reuses from finding to
// finding: the buffer raw records left in their files are read into, and
// the JSON strings of the titles and descriptions, which recur from
// finding to finding (escaping them was a third of the OCSF encoder's
// time after the raw records').
type encoder struct {
	raw  []byte
	text map[string][]byte
	size int // of text's keys and values
}

// textMax bounds what an encoder remembers of the titles and
// descriptions before it starts over.
const textMax = 4 << 20

// appendText appends a title or description as a JSON string (as
// appendString), remembered when it is long enough to be worth it.
func (e *encoder) appendText(b []byte, s string) []byte {
	if len(s) < 32 {
		return appendString(b, s)
	}
	if q, ok := e.text[s]; ok {
		return append(b, q...)
	}
	start := len(b)
	b = appendString(b, s)
	if e.text == nil || e.size > textMax {
		e.text, e.size = make(map[string][]byte, 256), 0
	}
	e.text[s] = bytes.Clone(b[start:])
	e.size += len(s) + len(b) - start
	return b
}

// appendTextField appends ,"name":"v" unless v is empty, v a title or
// description (see appendText).
func (e *encoder) appendTextField(b []byte, name, v string) []byte {
	if v == "" {
		return b
	}
	b = append(b, ',', '"')
	b = append(b, name...)
	b = append(b, '"', ':')
	return e.appendText(b, v)
}

// appendOCSF is AppendOCSF with the worker's encoder e.
func (f *Finding) appendOCSF(b []byte, e *encoder) ([]byte, error) {
	raw := []byte(f.Raw)
	if len(raw) == 0 && f.RawAt.File != nil {
		var err error
		if raw, err = f.RawRecord(e.raw); err != nil {
			return b, fmt.Errorf("finding %s: %w", f.ID, err)
		}
		e.raw = raw
	}
	vuln := f.Kind == Vulnerability && f.Vuln != nil
	if vuln && (math.IsNaN(f.Vuln.CVSS) || math.IsInf(f.Vuln.CVSS, 0)) {
		return b, fmt.Errorf("finding %s: CVSS score %v is not a JSON number", f.ID, f.Vuln.CVSS)
	}
	sevID := ocsf.SeverityIDOf(string(f.Severity))
	stID := statusID(f.Status)
	b = append(b, `{"activity_id":`...)
	b = strconv.AppendInt(b, ocsf.FindingActivityCreate, 10)
	b = append(b, `,"activity_name":"Create","category_uid":`...)
	b = strconv.AppendInt(b, ocsf.FindingsCategoryUID, 10)
	b = append(b, `,"category_name":"Findings","class_uid":`...)
	if vuln {
		b = strconv.AppendInt(b, ocsf.VulnerabilityFindingClassUID, 10)
		b = append(b, `,"class_name":"Vulnerability Finding","type_uid":`...)
		b = strconv.AppendInt(b, ocsf.VulnerabilityFindingCreate, 10)
		b = append(b, `,"type_name":"Vulnerability Finding: Create"`...)
	} else {
		b = strconv.AppendInt(b, ocsf.DetectionFindingClassUID, 10)
		b = append(b, `,"class_name":"Detection Finding","type_uid":`...)
		b = strconv.AppendInt(b, ocsf.DetectionFindingCreate, 10)
		b = append(b, `,"type_name":"Detection Finding: Create"`...)
	}
	b = append(b, `,"time":`...)
	b = strconv.AppendInt(b, millis(f.LastSeen, f.FirstSeen), 10)
	b = e.appendTextField(b, "message", f.Title)
	b = append(b, `,"severity_id":`...)
	b = strconv.AppendInt(b, int64(sevID), 10)
	b = appendStringField(b, "severity", ocsf.SeverityName(sevID))
	if stID != 0 {
		b = append(b, `,"status_id":`...)
		b = strconv.AppendInt(b, int64(stID), 10)
	}
	b = appendStringField(b, "status", ocsf.FindingStatusName(stID))
	if !vuln {
		b = append(b, `,"is_alert":`...)
		b = strconv.AppendBool(b, f.Status == Active)
	}

	b = append(b, `,"metadata":{"version":`...)
	b = appendString(b, ocsf.Version)
	b = append(b, `,"product":{"name":`...)
	b = appendString(b, string(f.Product))
	b = append(b, `,"vendor_name":`...)
	b = appendString(b, f.Product.Vendor())
	b = append(b, '}')
	b = appendStringField(b, "uid", f.ID)
	b = append(b, `,"profiles":["cloud"]`...)
	if f.Origin != "" {
		b = append(b, `,"labels":[`...)
		b = appendString(b, "origin:"+f.Origin)
		b = append(b, ']')
	}
	b = append(b, '}')

	b = append(b, `,"finding_info":{"uid":`...)
	b = appendString(b, f.ID)
	b = append(b, `,"title":`...)
	b = e.appendText(b, f.Title)
	b = e.appendTextField(b, "desc", f.Description)
	if f.Type != "" {
		b = append(b, `,"types":[`...)
		b = appendString(b, f.Type)
		b = append(b, ']')
	}
	b = appendMillisField(b, "first_seen_time", f.FirstSeen)
	b = appendMillisField(b, "last_seen_time", f.LastSeen)
	b = append(b, '}')

	b = append(b, `,"cloud":{"provider":`...)
	b = appendString(b, string(f.Resource.Provider))
	b = appendStringField(b, "region", f.Resource.Region)
	if f.Resource.Account != "" {
		b = append(b, `,"account":{"uid":`...)
		b = appendString(b, f.Resource.Account)
		b = append(b, '}')
	}
	b = append(b, '}')

	if r := &f.Resource; r.ID != "" {
		b = append(b, `,"resources":[{"uid":`...)
		b = appendString(b, r.ID)
		b = appendStringField(b, "name", r.Name)
		b = appendStringField(b, "type", r.Type)
		b = appendStringField(b, "region", r.Region)
		b = append(b, "}]"...)
	}

	if vuln {
		b = append(b, `,"vulnerabilities":[{`...)
		b = f.appendVulnerability(b, e)
		b = append(b, "}]"...)
	}
	if len(raw) > 0 {
		b = append(b, `,"raw_data":`...)
		b = appendString(b, raw)
	}

	// unmapped: json.Marshal of a map, keys in order.
	b = append(b, `,"unmapped":{`...)
	if len(f.LinkedAlerts) > 0 {
		b = append(b, `"linked_alerts":`...)
		b = appendStrings(b, f.LinkedAlerts)
		b = append(b, ',')
	}
	b = append(b, `"original_severity":`...)
	b = appendString(b, f.OriginalSeverity)
	b = append(b, `,"original_status":`...)
	b = appendString(b, f.OriginalStatus)
	if len(f.Sources) > 0 {
		b = append(b, `,"sources":`...)
		b = appendStrings(b, f.Sources)
	}
	b = append(b, `,"status":`...)
	b = appendString(b, string(f.Status))
	b = append(b, "}}\n"...)
	return b, nil
}

// appendVulnerability appends the members of the vulnerability object.
func (f *Finding) appendVulnerability(b []byte, e *encoder) []byte {
	start := len(b)
	member := func(name string) {
		if len(b) > start {
			b = append(b, ',')
		}
		b = append(b, '"')
		b = append(b, name...)
		b = append(b, `":`...)
	}
	str := func(name, v string) {
		if v != "" {
			member(name)
			b = appendString(b, v)
		}
	}
	if f.Title != "" {
		member("title")
		b = e.appendText(b, f.Title)
	}
	if f.Description != "" {
		member("desc")
		b = e.appendText(b, f.Description)
	}
	str("severity", f.OriginalSeverity)
	str("vendor_name", f.Product.Vendor())
	v := f.Vuln
	if IsCVE(v.ID) {
		member("cve")
		b = append(b, `{"uid":`...)
		b = appendString(b, v.ID)
		if v.CVSS > 0 {
			b = append(b, `,"cvss":[{"base_score":`...)
			b = appendFloat(b, v.CVSS)
			b = append(b, `,"version":`...)
			b = appendString(b, v.CVSSVer)
			b = appendStringField(b, "vector_string", v.Vector)
			b = append(b, "}]"...)
		}
		b = append(b, '}')
	} else {
		member("advisory")
		b = append(b, `{"uid":`...)
		b = appendString(b, First(v.ID, f.ID))
		b = append(b, '}')
	}
	if len(v.Packages) > 0 {
		member("affected_packages")
		b = append(b, '[')
		for i := range v.Packages {
			p := &v.Packages[i]
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"name":`...)
			b = appendString(b, p.Name)
			b = append(b, `,"version":`...)
			b = appendString(b, p.Version)
			b = appendStringField(b, "fixed_in_version", p.FixedVersion)
			b = appendStringField(b, "package_manager", p.Manager)
			b = appendStringField(b, "path", p.Path)
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	switch v.FixAvailable {
	case "yes", "partial":
		member("is_fix_available")
		b = append(b, "true"...)
	case "no":
		member("is_fix_available")
		b = append(b, "false"...)
	}
	if len(v.References) > 0 {
		member("references")
		b = appendStrings(b, v.References)
	}
	if t := millis(f.FirstSeen); t != 0 {
		member("first_seen_time")
		b = strconv.AppendInt(b, t, 10)
	}
	if t := millis(f.LastSeen); t != 0 {
		member("last_seen_time")
		b = strconv.AppendInt(b, t, 10)
	}
	return b
}

// appendStringField appends ,"name":"v" unless v is empty (omitempty).
func appendStringField(b []byte, name, v string) []byte {
	if v == "" {
		return b
	}
	b = append(b, ',', '"')
	b = append(b, name...)
	b = append(b, '"', ':')
	return appendString(b, v)
}

// appendMillisField appends ,"name":ms unless t is zero (omitempty).
func appendMillisField(b []byte, name string, t time.Time) []byte {
	ms := millis(t)
	if ms == 0 {
		return b
	}
	b = append(b, ',', '"')
	b = append(b, name...)
	b = append(b, '"', ':')
	return strconv.AppendInt(b, ms, 10)
}

func appendStrings(b []byte, ss []string) []byte {
	b = append(b, '[')
	for i, s := range ss {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(b, s)
	}
	return append(b, ']')
}

// appendFloat writes a float64 as encoding/json does (ES6 number form).
func appendFloat(b []byte, f float64) []byte {
	abs := math.Abs(f)
	format := byte('f')
	if abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' {
		n := len(b)
		if n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b
}

// AppendJSONString appends s as a JSON string exactly as encoding/json
// (and goccy/go-json) write it with HTML escaping on.
func AppendJSONString(b []byte, s string) []byte { return jsonenc.AppendHTML(b, s) }

// appendString appends s as encoding/json writes a string with HTML
// escaping on.
func appendString[S ~[]byte | ~string](b []byte, s S) []byte { return jsonenc.AppendHTML(b, s) }

// ocsfBatch is how many findings one worker of WriteOCSF encodes at a time.
const ocsfBatch = 512

// WriteOCSF writes the findings' OCSF events (see Finding.OCSF and
// AppendOCSF): one JSON object a line with lines set, else one JSON array
// (each event on its own line). Batches of findings are encoded on every
// core and written in order.
func WriteOCSF(w io.Writer, fs []Finding, lines bool) error {
	if !lines {
		if _, err := io.WriteString(w, "["); err != nil {
			return err
		}
	}
	err := writeBatches(w, len(fs), func(b []byte, i int, e *encoder) ([]byte, error) {
		if !lines && i > 0 {
			b = append(b, ',')
		}
		return fs[i].appendOCSF(b, e)
	})
	if err != nil {
		return err
	}
	if !lines {
		_, err = io.WriteString(w, "]\n")
	}
	return err
}

// WriteJSON writes the findings as one JSON array indented by two spaces,
// byte for byte what encoding/json's Encoder with SetIndent("", "  ")
// writes for fs (raw records included), but a finding at a time on every
// core: the Encoder makes the whole document in memory twice (encoded,
// then indented) before it writes, and a raw record left in its file
// (RawAt) is read back as its finding is written.
func WriteJSON(w io.Writer, fs []Finding) error {
	if len(fs) == 0 {
		_, err := io.WriteString(w, "[]\n")
		return err
	}
	if _, err := io.WriteString(w, "[\n  "); err != nil {
		return err
	}
	err := writeBatches(w, len(fs), func(b []byte, i int, e *encoder) ([]byte, error) {
		f := &fs[i]
		if len(f.Raw) == 0 && f.RawAt.File != nil {
			raw, err := f.RawRecord(e.raw)
			if err != nil {
				return b, fmt.Errorf("finding %s: %w", f.ID, err)
			}
			e.raw = raw
			g := *f
			g.Raw = raw
			f = &g
		}
		if i > 0 {
			b = append(b, ",\n  "...)
		}
		data, err := json.Marshal(f)
		if err != nil {
			return b, err
		}
		var ind bytes.Buffer
		ind.Grow(len(data) * 5 / 4)
		if err := json.Indent(&ind, data, "  ", "  "); err != nil {
			return b, err
		}
		return append(b, ind.Bytes()...), nil
	})
	if err != nil {
		return err
	}
	_, err = io.WriteString(w, "\n]\n")
	return err
}

// writeBatches writes what encode appends for 0 ... n-1 (e is the
// worker's own, reused from call to call), encoding batches of ocsfBatch
// on every core and writing them in order. It stops at the first error.
func writeBatches(w io.Writer, n int, encode func(b []byte, i int, e *encoder) ([]byte, error)) error {
	nb := (n + ocsfBatch - 1) / ocsfBatch
	workers := max(1, min(runtime.GOMAXPROCS(0), nb))
	type batch struct {
		buf []byte
		err error
	}
	// At most window batches are handed out and not yet written, each in
	// its own slot, so memory stays a few MiB whatever n.
	window := 2 * workers
	slots := make([]chan batch, window)
	for i := range slots {
		slots[i] = make(chan batch, 1)
	}
	tokens := make(chan struct{}, window)
	free := make(chan []byte, window)
	next := make(chan int)
	var failed atomic.Bool
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var e encoder
			for k := range next {
				var bt batch
				select {
				case bt.buf = <-free:
				default:
				}
				for i := k * ocsfBatch; i < min((k+1)*ocsfBatch, n) && !failed.Load(); i++ {
					if bt.buf, bt.err = encode(bt.buf, i, &e); bt.err != nil {
						break
					}
				}
				slots[k%window] <- bt
			}
		}()
	}
	go func() {
		defer close(next)
		for k := range nb {
			tokens <- struct{}{}
			next <- k
		}
	}()
	var err error
	for k := range nb {
		bt := <-slots[k%window]
		if err == nil {
			err = bt.err
		}
		if err == nil {
			_, err = w.Write(bt.buf)
		}
		if err != nil {
			failed.Store(true)
		}
		select {
		case free <- bt.buf[:0]:
		default:
		}
		<-tokens
	}
	wg.Wait()
	return err
}
