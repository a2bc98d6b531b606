package report

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"maps"
	"reflect"
	"runtime"
	"runtime/trace"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	"github.com/vigil-sec/vigil/internal/compliance"
	"github.com/vigil-sec/vigil/internal/finding"
	"github.com/vigil-sec/vigil/internal/jsonenc"
	"github.com/vigil-sec/vigil/internal/resource"
)

// jsonSummary is the summary object of the JSON format: the finding summary
// with the compliance summary and scan metadata beside it.
type jsonSummary struct {
	GeneratedAt string `json:"generated_at"`
	Version     string `json:"version,omitempty"`
	finding.Summary
	Compliance []compliance.FrameworkSummary `json:"compliance"`
}

// jsonDoc is the JSON format: exactly {"findings":[...],"summary":{...}}.
// The findings array is streamed in place of the streamSlot.
type jsonDoc struct {
	Findings streamSlot  `json:"findings"`
	Summary  jsonSummary `json:"summary"`
}

func writeJSON(w io.Writer, r *Report) error {
	doc := jsonDoc{
		Summary: jsonSummary{GeneratedAt: r.GeneratedAt.UTC().Format(time.RFC3339), Version: r.Version,
			Summary: r.Summary, Compliance: r.Compliance},
	}
	if doc.Summary.Compliance == nil {
		doc.Summary.Compliance = []compliance.FrameworkSummary{}
	}
	if doc.Summary.Rules == nil {
		doc.Summary.Rules = []finding.RuleSummary{}
	}
	if doc.Summary.Providers == nil {
		doc.Summary.Providers = []finding.ProviderSummary{}
	}
	bw := bufio.NewWriterSize(w, writeBufferSize)
	// The findings array sits one level into the document: its elements
	// are indented by two levels.
	const prefix, indent = "    ", "  "
	workers := runtime.GOMAXPROCS(0)
	// The merge of the PASS findings (view), the tags' table and which
	// references are plain only read the report: they are worked out side
	// by side.
	var (
		v     *view
		tags  *tagTable
		texts *refTexts
		wg    sync.WaitGroup
	)
	preparing := trace.StartRegion(context.Background(), "json-prepare")
	wg.Go(func() { v = r.view() })
	if fastFindingJSON {
		tags = r.tagTable(len(r.Findings)+r.Passes.Len(), prefix, indent, workers)
		texts = newRefTexts(r.Passes, tags, prefix, indent, workers)
	}
	wg.Wait()
	preparing.End()
	defer trace.StartRegion(context.Background(), "json-encode").End()
	err := writeJSONStream(bw, doc, "  ", func(a *jsonArray) error {
		if !fastFindingJSON {
			for f := range v.all() {
				if err := a.emit(f); err != nil {
					return err
				}
			}
			return nil
		}
		// The workers write each finding with the separator before it,
		// so that a chunk is written as it is.
		sep := a.separator()
		return encodeChunks(v.n, workers, func() elementEncoder {
			enc := newFindingEncoder(prefix, indent)
			enc.shared = tags
			var x finding.Finding
			var at cursor
			return func(dst []byte, i int) ([]byte, error) {
				dst = append(dst, sep...)
				run, k := v.whereFrom(&at, i)
				if run < 0 {
					f := &r.Findings[k]
					if res, tagText, ok := texts.ofResource(&f.Resource); ok {
						return enc.appendOnText(dst, f, res, tagText), nil
					}
					return enc.append(dst, f), nil
				}
				pr := &r.Passes.Runs[run]
				ref := pr.Res[k]
				if r.Passes.Label(ref) != "" {
					// A resource labelled by a governance policy: its
					// finding differs from the prototype in DataClass too.
					r.Passes.Fill(&x, run, k)
					return enc.append(dst, &x), nil
				}
				if res, tagText, ok := texts.of(ref); ok {
					return enc.appendOnText(dst, &pr.Proto, res, tagText), nil
				}
				return enc.appendOn(dst, &pr.Proto, &r.Passes.Refs[ref]), nil
			}
		}, func(text []byte, ends []int) error { return a.emitSeparated(text, len(ends)) })
	})
	return errors.Join(err, bw.Flush())
}

// findingChunk is how many findings an encoding worker takes at a time.
// It was 2,048 (about 3 MB of JSON): each of the chunks in flight grew its
// buffer to that size by appending, 90 MB of growth at 100,000 resources.
const findingChunk = 512

// encodedChunk is the text of a run of findings, each ending at its offset.
type encodedChunk struct {
	lo, hi int
	text   []byte
	ends   []int
	err    error // of the element after the last end
}

// An elementEncoder appends the i-th element's text to dst.
type elementEncoder func(dst []byte, i int) ([]byte, error)

// encodeFindings encodes fs as appendFindingIndented does and hands each
// finding's text to out in order. A large report is encoded on up to
// workers goroutines, a chunk of findings each, while out writes the
// chunks already encoded: the memory held is a few chunks whatever the
// number of findings.
func encodeFindings(fs []finding.Finding, prefix, indent string, workers int, out func([]byte) error) error {
	return encodeAt(len(fs), func(i int, _ *finding.Finding) *finding.Finding { return &fs[i] }, prefix, indent, workers, out)
}

// encodeAt is encodeFindings over the n findings at returns (at(i,
// scratch) may fill scratch and return it, as view.at).
func encodeAt(n int, at func(i int, scratch *finding.Finding) *finding.Finding, prefix, indent string, workers int, out func([]byte) error) error {
	return encodeChunks(n, workers, func() elementEncoder {
		enc := newFindingEncoder(prefix, indent)
		var x finding.Finding
		return func(dst []byte, i int) ([]byte, error) { return enc.append(dst, at(i, &x)), nil }
	}, func(text []byte, ends []int) error {
		start := 0
		for _, end := range ends {
			if err := out(text[start:end]); err != nil {
				return err
			}
			start = end
		}
		return nil
	})
}

// encodeChunks appends the text of the elements 0..n-1 in order, a chunk of
// findingChunk elements at a time, and hands each chunk to out with the end
// offset of each element in it. Each goroutine encodes with its own
// encoder from newEncoder. With workers >= 2 and enough elements the
// chunks are encoded on workers goroutines, which also hand them to out in
// order (one at a time; out need not be safe for concurrent use): the
// memory held is a few chunks per worker whatever n is. An error of out or
// of an encoder stops the encoding and is returned, after the elements
// before it are written.
//
// The workers take the chunks in turn from a counter and the one that
// finishes the next chunk to write writes it, with those after it already
// encoded: a goroutine handing out the chunks and another writing them
// each needed a core to be woken on, which two busy workers held for up
// to a scheduler time slice, while the chunks in flight filled up and the
// workers waited for them (at 100,000 resources a core idled for about a
// third of the writing).
func encodeChunks(n, workers int, newEncoder func() elementEncoder, out func(text []byte, ends []int) error) error {
	if workers < 2 || n < 4*findingChunk {
		enc := newEncoder()
		c := &encodedChunk{}
		for lo := 0; lo < n; lo += findingChunk {
			c.lo, c.hi = lo, min(lo+findingChunk, n)
			c.encode(enc)
			if err := c.write(out); err != nil {
				return err
			}
		}
		return nil
	}
	chunks := (n + findingChunk - 1) / findingChunk
	inFlight := chunksInFlight * workers
	free := make(chan *encodedChunk, inFlight)
	for range inFlight {
		free <- &encodedChunk{text: make([]byte, 0, chunkTextCap)}
	}
	var (
		claimed atomic.Int64 // chunks handed out
		stopped atomic.Bool  // out or an encoder failed
		mu      sync.Mutex   // guards the fields below
		encoded = make([]*encodedChunk, chunks)
		next    int  // the next chunk to write
		writing bool // a worker is writing
		err     error
	)
	// deposit records chunk k as encoded and, unless another worker is
	// writing, writes the chunks from next on that are encoded.
	deposit := func(k int, c *encodedChunk) {
		mu.Lock()
		encoded[k] = c
		if writing {
			mu.Unlock()
			return
		}
		writing = true
		for next < chunks && encoded[next] != nil {
			c := encoded[next]
			encoded[next] = nil
			next++
			mu.Unlock()
			var werr error
			if !stopped.Load() {
				werr = c.write(out)
			}
			free <- c
			mu.Lock()
			if werr != nil && err == nil {
				err = werr
				stopped.Store(true)
			}
		}
		writing = false
		mu.Unlock()
	}
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			enc := newEncoder()
			for !stopped.Load() {
				c := <-free
				k := int(claimed.Add(1)) - 1
				if k >= chunks {
					free <- c
					return
				}
				c.lo, c.hi = k*findingChunk, min((k+1)*findingChunk, n)
				c.encode(enc)
				deposit(k, c)
			}
		})
	}
	wg.Wait()
	return err
}

// chunksInFlight is how many encoded chunks per worker may wait to be
// written (a chunk of findings is about 0.8 MB of JSON).
const chunksInFlight = 4

// chunkTextCap is the room a chunk's text starts with: more than a chunk
// of findings takes in JSON (0.83 MB on average, 1.17 MB at most at
// 100,000 resources). Grown by appending from nothing, a buffer of large
// elements grows by a quarter at a time, allocating about five times its
// final size: 45 MB for the chunks in flight at 100,000 resources, each
// page of it touched (and faulted in) for the first time. The room past
// what a chunk writes is never touched.
const chunkTextCap = findingChunk * 3 << 10

// encode encodes the chunk's elements with enc, up to the first error.
func (c *encodedChunk) encode(enc elementEncoder) {
	c.text, c.ends, c.err = c.text[:0], c.ends[:0], nil
	for i := c.lo; i < c.hi; i++ {
		text, err := enc(c.text, i)
		if err != nil {
			c.err = err
			return
		}
		c.text = text
		c.ends = append(c.ends, len(c.text))
	}
}

// write hands the chunk's encoded elements to out, then its error.
func (c *encodedChunk) write(out func(text []byte, ends []int) error) error {
	if len(c.ends) > 0 {
		if err := out(c.text, c.ends); err != nil {
			return err
		}
	}
	return c.err
}

// compactJSON is JSON text already encoded compactly: writeJSONStream
// indents it without re-encoding.
type compactJSON []byte

// indentedJSON is JSON text already encoded and indented as an element of
// the streamed array: writeJSONStream writes it as it is.
type indentedJSON []byte

// writeBufferSize is the buffer every writer puts between itself and the
// destination, so that a report of any size costs few system calls.
const writeBufferSize = 64 << 10

// streamSlot marks, in a document given to writeJSONStream, the one array
// that is streamed element by element instead of being built in memory.
type streamSlot struct{}

// streamMarker is what a streamSlot encodes to: a JSON string no input can
// produce by chance (a random nonce per process).
var streamMarker = func() []byte {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return []byte(`"\u0000vigil-stream-` + hex.EncodeToString(b[:]) + `\u0000"`)
}()

func (streamSlot) MarshalJSON() ([]byte, error) { return streamMarker, nil }

// writeJSONStream writes doc as encoding/json would (HTML characters not
// escaped; indented with indent, compact when indent is empty), except that
// the value of doc's one streamSlot is the array of the values each emits,
// each encoded as soon as it is emitted. The output bytes are the same as
// encoding the whole document with the array in place of the slot, while
// the memory held is one element (or one chunk of them) at a time.
func writeJSONStream(w *bufio.Writer, doc any, indent string, each func(a *jsonArray) error) error {
	var head bytes.Buffer
	enc := json.NewEncoder(&head)
	enc.SetEscapeHTML(false)
	if indent != "" {
		enc.SetIndent("", indent)
	}
	if err := enc.Encode(doc); err != nil {
		return err
	}
	text := head.Bytes()
	at := bytes.Index(text, streamMarker)
	if at < 0 {
		return errors.New("internal error: no stream slot in the document")
	}
	// The slot's line is indented as the array's closing bracket will be;
	// its elements one level deeper.
	lineStart := bytes.LastIndexByte(text[:at], '\n') + 1
	lineIndent := text[lineStart:lineStart]
	for i := lineStart; i < at && text[i] == ' '; i++ {
		lineIndent = text[lineStart : i+1]
	}
	if _, err := w.Write(text[:at]); err != nil {
		return err
	}
	a := &jsonArray{w: w, indent: indent, elemPrefix: string(lineIndent) + indent}
	a.ee = json.NewEncoder(&a.buf)
	a.ee.SetEscapeHTML(false)
	if err := each(a); err != nil {
		return err
	}
	if a.n == 0 {
		w.WriteString("[]")
	} else {
		if indent != "" {
			w.WriteByte('\n')
			w.Write(lineIndent)
		}
		w.WriteByte(']')
	}
	_, err := w.Write(text[at+len(streamMarker):])
	return err
}

// jsonArray is the streamed array of writeJSONStream: its elements are
// written by emit, one value at a time, or by emitSeparated, many already
// encoded.
type jsonArray struct {
	w                  *bufio.Writer
	indent, elemPrefix string
	n                  int // elements written
	buf                bytes.Buffer
	ind                []byte
	ee                 *json.Encoder
}

// separator is what precedes every element but the first: a comma, and
// when indented a new line and the element's indentation.
func (a *jsonArray) separator() string {
	if a.indent == "" {
		return ","
	}
	return ",\n" + a.elemPrefix
}

// emit writes v as the next element (compactJSON and indentedJSON are
// written without being encoded again).
func (a *jsonArray) emit(v any) error {
	var b []byte
	indented := false
	switch c := v.(type) {
	case indentedJSON:
		b, indented = c, true
	case compactJSON:
		b = c
	default:
		a.buf.Reset()
		if err := a.ee.Encode(v); err != nil {
			return err
		}
		b = bytes.TrimSuffix(a.buf.Bytes(), []byte{'\n'})
	}
	if a.indent != "" && !indented {
		a.ind = appendIndentCompact(a.ind[:0], b, a.elemPrefix, a.indent)
		b = a.ind
	}
	w := a.w
	if a.n == 0 {
		w.WriteByte('[')
	} else {
		w.WriteByte(',')
	}
	if a.indent != "" {
		w.WriteByte('\n')
		w.WriteString(a.elemPrefix)
	}
	a.n++
	_, err := w.Write(b)
	return err
}

// emitSeparated writes n elements encoded (and indented) as emit writes
// them, each preceded by separator() (the first element's included: it is
// left out when the array has no element yet).
func (a *jsonArray) emitSeparated(text []byte, n int) error {
	if n == 0 {
		return nil
	}
	if a.n == 0 {
		a.w.WriteByte('[')
		text = text[1:] // the comma
	}
	a.n += n
	_, err := a.w.Write(text)
	return err
}

// appendIndentCompact appends to dst the compact JSON src (as encoding/json
// writes it: valid, no whitespace outside strings) indented exactly as
// json.Indent would indent it with prefix and indent, several times faster
// than json.Indent, which validates as it goes.
func appendIndentCompact(dst, src []byte, prefix, indent string) []byte {
	depth := 0
	// pad is a newline, the prefix and indent repeated: each line starts
	// with a slice of it.
	pad := make([]byte, 0, 1+len(prefix)+8*len(indent))
	pad = append(append(pad, '\n'), prefix...)
	newline := func() {
		for n := 1 + len(prefix) + depth*len(indent); len(pad) < n; {
			pad = append(pad, indent...)
		}
		dst = append(dst, pad[:1+len(prefix)+depth*len(indent)]...)
	}
	for i := 0; i < len(src); {
		c := src[i]
		switch c {
		case '"':
			// Copy the string through its closing quote.
			j := i + 1
			for {
				k := bytes.IndexByte(src[j:], '"')
				if k < 0 {
					j = len(src)
					break
				}
				j += k
				// The quote closes the string unless an odd number of
				// backslashes precede it.
				bs := 0
				for b := j - 1; b > i && src[b] == '\\'; b-- {
					bs++
				}
				if bs%2 == 0 {
					break
				}
				j++
			}
			end := min(j+1, len(src))
			dst = append(dst, src[i:end]...)
			i = end
		case '{', '[':
			dst = append(dst, c)
			i++
			if i < len(src) && (src[i] == '}' || src[i] == ']') {
				dst = append(dst, src[i])
				i++
				continue
			}
			depth++
			newline()
		case '}', ']':
			depth--
			newline()
			dst = append(dst, c)
			i++
		case ',':
			dst = append(dst, c)
			i++
			newline()
		case ':':
			dst = append(dst, ':', ' ')
			i++
		default:
			// A number, true, false or null: copy up to the next
			// structural character.
			j := i + 1
			for j < len(src) && src[j] != ',' && src[j] != '}' && src[j] != ']' {
				j++
			}
			dst = append(dst, src[i:j]...)
			i = j
		}
	}
	return dst
}

// The JSON report encodes each finding with appendFinding, several times
// faster than encoding/json's reflection, when finding.Finding has exactly
// the shape appendFinding knows (fastFindingJSON); otherwise (a field added
// to the model) it falls back to encoding/json, so the output is always
// what encoding/json writes. TestFindingJSONMatches and FuzzFindingJSON
// compare the two.
var fastFindingJSON = sameShape(reflect.TypeFor[finding.Finding](),
	"RuleID string rule_id", "Title string title", "Category string category", "Severity string severity",
	"Status string status", "Message string message,omitempty", "Resource struct resource",
	"Frameworks slice frameworks,omitempty", "Remediation string remediation,omitempty",
	"Suppressed ptr suppressed,omitempty", "DataClass string data_class,omitempty",
	"BaseSeverity string base_severity,omitempty") &&
	sameShape(reflect.TypeFor[resource.Ref](), "ID string id", "Type string type", "Provider string provider",
		"Account string account", "Region string region", "Name string name",
		"Tags map tags,omitempty", "Location ptr location,omitempty") &&
	sameShape(reflect.TypeFor[finding.Reference](), "Framework string framework", "Control string control") &&
	sameShape(reflect.TypeFor[finding.Suppression](), "Reason string reason", "Expires string expires,omitempty")

// sameShape reports whether struct type t has exactly these fields, each
// given as "Name kind jsontag".
func sameShape(t reflect.Type, fields ...string) bool {
	if t.Kind() != reflect.Struct || t.NumField() != len(fields) {
		return false
	}
	for i, want := range fields {
		f := t.Field(i)
		if got := f.Name + " " + f.Type.Kind().String() + " " + f.Tag.Get("json"); got != want {
			return false
		}
	}
	return true
}

// appendTags appends tags as encoding/json does: keys sorted.
func appendTags(b []byte, tags map[string]string) []byte {
	b = append(b, '{')
	for i, k := range slices.Sorted(maps.Keys(tags)) {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, k)
		b = append(b, ':')
		b = appendJSONString(b, tags[k])
	}
	return append(b, '}')
}

// appendFinding appends f as compact JSON, as encoding/json encodes it with
// HTML escaping off.
func appendFinding(b []byte, f *finding.Finding) []byte {
	b = append(b, `{"rule_id":`...)
	b = appendJSONString(b, f.RuleID)
	b = append(b, `,"title":`...)
	b = appendJSONString(b, f.Title)
	b = append(b, `,"category":`...)
	b = appendJSONString(b, f.Category)
	b = append(b, `,"severity":`...)
	b = appendJSONString(b, string(f.Severity))
	b = append(b, `,"status":`...)
	b = appendJSONString(b, string(f.Status))
	if f.Message != "" {
		b = append(b, `,"message":`...)
		b = appendJSONString(b, f.Message)
	}
	r := &f.Resource
	b = append(b, `,"resource":{"id":`...)
	b = appendJSONString(b, r.ID)
	b = append(b, `,"type":`...)
	b = appendJSONString(b, r.Type)
	b = append(b, `,"provider":`...)
	b = appendJSONString(b, string(r.Provider))
	b = append(b, `,"account":`...)
	b = appendJSONString(b, r.Account)
	b = append(b, `,"region":`...)
	b = appendJSONString(b, r.Region)
	b = append(b, `,"name":`...)
	b = appendJSONString(b, r.Name)
	if len(r.Tags) > 0 {
		b = append(b, `,"tags":`...)
		b = appendTags(b, r.Tags)
	}
	if r.Location != nil {
		b = append(b, `,"location":`...)
		b = appendLocation(b, r.Location)
	}
	b = append(b, '}')
	if len(f.Frameworks) > 0 {
		b = append(b, `,"frameworks":[`...)
		for i, ref := range f.Frameworks {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"framework":`...)
			b = appendJSONString(b, ref.Framework)
			b = append(b, `,"control":`...)
			b = appendJSONString(b, ref.Control)
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	if f.Remediation != "" {
		b = append(b, `,"remediation":`...)
		b = appendJSONString(b, f.Remediation)
	}
	if s := f.Suppressed; s != nil {
		b = append(b, `,"suppressed":{"reason":`...)
		b = appendJSONString(b, s.Reason)
		if s.Expires != "" {
			b = append(b, `,"expires":`...)
			b = appendJSONString(b, s.Expires)
		}
		b = append(b, '}')
	}
	if f.DataClass != "" {
		b = append(b, `,"data_class":`...)
		b = appendJSONString(b, f.DataClass)
	}
	if f.BaseSeverity != "" {
		b = append(b, `,"base_severity":`...)
		b = appendJSONString(b, string(f.BaseSeverity))
	}
	return append(b, '}')
}

// appendLocation appends l as compact JSON, as encoding/json encodes it with
// HTML escaping off.
func appendLocation(b []byte, l *resource.Location) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(l); err != nil {
		return append(b, "null"...)
	}
	return append(b, bytes.TrimSuffix(buf.Bytes(), []byte("\n"))...)
}

// appendFindingIndented appends f as json.MarshalIndent(f, prefix, indent)
// writes it with HTML escaping off (the first line without the prefix).
func appendFindingIndented(b []byte, f *finding.Finding, prefix, indent string) []byte {
	return (&findingEncoder{prefix: prefix, indent: indent}).append(b, f)
}

// appendFindingPlain is appendFindingIndented of f on the resource r
// (f.Resource not read) whose ID, type, provider, account, region and name
// are written as they are (plainRef) and which has no location, as the
// JSON writer writes it from refTexts.
func appendFindingPlain(b []byte, f *finding.Finding, r *resource.Ref, prefix, indent string) []byte {
	e := newFindingEncoder(prefix, indent)
	var tags []byte
	if len(r.Tags) > 0 {
		tags = e.encodeTags(nil, r.Tags)
	}
	return e.appendOnText(b, f, e.appendResourceStart(nil, r), tags)
}

// A findingEncoder writes findings as appendFindingIndented does, and keeps
// the encoded text of the parts every finding of a rule shares (rule id,
// title, category and severity; frameworks and remediation), so that a
// report of many findings per rule escapes each rule's text once rather
// than once per finding. The parts are known by the address of their
// strings and slices (which the keys keep alive, so no other value can take
// that address during the write); the head's strings are also compared
// before use.
type findingEncoder struct {
	prefix, indent string
	// nls[d] is a new line indented to depth d (set by newFindingEncoder).
	nls   [4]string
	heads map[*byte]cachedHead // by the rule id's bytes
	tails map[tailKey][]byte
	// tags holds the encoded tags of the resources seen, by their map (a
	// resource's findings share its Tags map: they are encoded once, not
	// collected and sorted per finding); keys is scratch for sorting.
	tags map[unsafe.Pointer][]byte
	keys []string
	// shared, when set, holds the encoded tags of every resource (read
	// before tags).
	shared *tagTable
}

// maxCachedTags bounds the encoder's cache of encoded tags.
const maxCachedTags = 1 << 16

type cachedHead struct {
	ruleID, title, category string
	severity                finding.Severity
	text                    []byte
}

type tailKey struct {
	fw          *finding.Reference
	nfw         int
	remediation *byte
	nrem        int
}

func newFindingEncoder(prefix, indent string) *findingEncoder {
	e := &findingEncoder{prefix: prefix, indent: indent, heads: map[*byte]cachedHead{}, tails: map[tailKey][]byte{},
		tags: map[unsafe.Pointer][]byte{}}
	for d := range e.nls {
		e.nls[d] = "\n" + prefix + strings.Repeat(indent, d)
	}
	return e
}

func (e *findingEncoder) append(b []byte, f *finding.Finding) []byte {
	return e.appendOn(b, f, &f.Resource)
}

// appendOn is append of f on the resource r (f.Resource is not read).
func (e *findingEncoder) appendOn(b []byte, f *finding.Finding, r *resource.Ref) []byte {
	if e.heads == nil || f.RuleID == "" {
		b = e.appendHead(b, f)
		b = e.appendMiddle(b, f, r)
		return e.appendTail(b, f)
	}
	b = e.cachedHead(b, f)
	b = e.appendMiddle(b, f, r)
	return e.cachedTail(b, f)
}

// appendOnText is appendOn of f on a resource whose object's text up to
// its tags is res and whose tags object is tags (nil for none): see
// refTexts.
func (e *findingEncoder) appendOnText(b []byte, f *finding.Finding, res, tags []byte) []byte {
	if e.heads == nil || f.RuleID == "" {
		b = e.appendHead(b, f)
	} else {
		b = e.cachedHead(b, f)
	}
	b = e.field(b, 1, false, "status", string(f.Status))
	if f.Message != "" {
		b = e.field(b, 1, false, "message", f.Message)
	}
	b = append(b, res...)
	if tags != nil {
		b = append(b, ',')
		b = e.nl(b, 2)
		b = append(b, tags...)
	}
	b = e.nl(b, 1)
	b = append(b, '}')
	if e.heads == nil || f.RuleID == "" {
		return e.appendTail(b, f)
	}
	return e.cachedTail(b, f)
}

// cachedHead is appendHead from the encoder's cache of rules' heads.
func (e *findingEncoder) cachedHead(b []byte, f *finding.Finding) []byte {
	k := unsafe.StringData(f.RuleID)
	h, ok := e.heads[k]
	if !ok || h.ruleID != f.RuleID || h.title != f.Title || h.category != f.Category || h.severity != f.Severity {
		h = cachedHead{ruleID: f.RuleID, title: f.Title, category: f.Category, severity: f.Severity, text: e.appendHead(nil, f)}
		e.heads[k] = h
	}
	return append(b, h.text...)
}

// cachedTail is appendTail with the frameworks and remediation from the
// encoder's cache of rules' tails.
func (e *findingEncoder) cachedTail(b []byte, f *finding.Finding) []byte {
	if len(f.Frameworks) == 0 && f.Remediation == "" {
		return e.appendTail(b, f)
	}
	tk := tailKey{nfw: len(f.Frameworks), remediation: unsafe.StringData(f.Remediation), nrem: len(f.Remediation)}
	if len(f.Frameworks) > 0 {
		tk.fw = &f.Frameworks[0]
	}
	t, ok := e.tails[tk]
	if !ok {
		t = e.appendFrameworks(nil, f)
		e.tails[tk] = t
	}
	b = append(b, t...)
	return e.appendSuppressed(b, f)
}

func (e *findingEncoder) nl(b []byte, depth int) []byte {
	if depth < len(e.nls) && e.nls[depth] != "" {
		return append(b, e.nls[depth]...)
	}
	b = append(b, '\n')
	b = append(b, e.prefix...)
	for range depth {
		b = append(b, e.indent...)
	}
	return b
}

func (e *findingEncoder) field(b []byte, depth int, first bool, key, v string) []byte {
	return appendJSONString(e.key(b, depth, first, key), v)
}

// plainField is field for a value written as it is (jsonenc.Plain).
func (e *findingEncoder) plainField(b []byte, depth int, first bool, key, v string) []byte {
	b = append(e.key(b, depth, first, key), '"')
	b = append(b, v...)
	return append(b, '"')
}

// key appends a field's separator (unless first), new line and key.
func (e *findingEncoder) key(b []byte, depth int, first bool, key string) []byte {
	if !first {
		b = append(b, ',')
	}
	b = e.nl(b, depth)
	b = append(b, '"')
	b = append(b, key...)
	return append(b, `": `...)
}

// appendHead appends the finding's opening brace and its rule's fields
// (rule_id to severity).
func (e *findingEncoder) appendHead(b []byte, f *finding.Finding) []byte {
	field := e.field
	b = append(b, '{')
	b = field(b, 1, true, "rule_id", f.RuleID)
	b = field(b, 1, false, "title", f.Title)
	b = field(b, 1, false, "category", f.Category)
	return field(b, 1, false, "severity", string(f.Severity))
}

// appendTail appends the fields after the resource and the closing brace.
func (e *findingEncoder) appendTail(b []byte, f *finding.Finding) []byte {
	return e.appendSuppressed(e.appendFrameworks(b, f), f)
}

// appendMiddle appends the status, message and resource r.
func (e *findingEncoder) appendMiddle(b []byte, f *finding.Finding, r *resource.Ref) []byte {
	nl, field := e.nl, e.field
	prefix, indent := e.prefix, e.indent
	b = field(b, 1, false, "status", string(f.Status))
	if f.Message != "" {
		b = field(b, 1, false, "message", f.Message)
	}
	b = append(b, ',')
	b = nl(b, 1)
	b = append(b, `"resource": {`...)
	b = field(b, 2, true, "id", r.ID)
	b = field(b, 2, false, "type", r.Type)
	b = field(b, 2, false, "provider", string(r.Provider))
	b = field(b, 2, false, "account", r.Account)
	b = field(b, 2, false, "region", r.Region)
	b = field(b, 2, false, "name", r.Name)
	if len(r.Tags) > 0 {
		b = append(b, ',')
		b = nl(b, 2)
		b = e.appendTags(b, r.Tags)
	}
	if r.Location != nil {
		b = append(b, ',')
		b = nl(b, 2)
		b = append(b, `"location": `...)
		var ind bytes.Buffer
		// Only IaC findings have a location: encoding/json's indentation
		// of the compact form is fast enough for them.
		if err := json.Indent(&ind, appendLocation(nil, r.Location), prefix+indent+indent, indent); err == nil {
			b = append(b, ind.Bytes()...)
		}
	}
	b = nl(b, 1)
	return append(b, '}')
}

// appendTags appends a resource's tags object, keys sorted, from the
// shared table or the encoder's cache when its map was encoded before (the
// map is not written to while the report is: its address names its
// content).
func (e *findingEncoder) appendTags(b []byte, tags map[string]string) []byte {
	id := mapID(tags)
	if text, ok := e.shared.lookup(id); ok {
		return append(b, text...)
	}
	if text, ok := e.tags[id]; ok {
		return append(b, text...)
	}
	start := len(b)
	b = e.encodeTags(b, tags)
	if e.tags != nil {
		if len(e.tags) >= maxCachedTags {
			clear(e.tags)
		}
		e.tags[id] = slices.Clone(b[start:])
	}
	return b
}

// mapID is the address of a map's header: what names it in the caches of
// encoded tags.
func mapID(m map[string]string) unsafe.Pointer { return *(*unsafe.Pointer)(unsafe.Pointer(&m)) }

// encodeTags appends the tags object, keys sorted.
func (e *findingEncoder) encodeTags(b []byte, tags map[string]string) []byte {
	b = append(b, `"tags": {`...)
	e.keys = e.keys[:0]
	for k := range tags {
		e.keys = append(e.keys, k)
	}
	slices.Sort(e.keys)
	for i, k := range e.keys {
		if i > 0 {
			b = append(b, ',')
		}
		b = e.nl(b, 3)
		b = appendJSONString(b, k) // a key is text of the resource's owner: escaped
		b = append(b, `: `...)
		b = appendJSONString(b, tags[k])
	}
	clear(e.keys)
	b = e.nl(b, 2)
	return append(b, '}')
}

// tagTableMin is the number of findings from which the JSON writer encodes
// every resource's tags once before the findings (tagTable).
var tagTableMin = 1 << 16

// A tagTable holds the encoded tags object of every tags map a report's
// findings name, encoded once, on several goroutines, before the findings
// are. The encoders' own caches (maxCachedTags maps each) cannot hold a
// large report's: its findings come rule by rule, each rule's over all the
// resources of its class, so a bounded cache of the last maps seen misses
// nearly always (at 1,000,000 resources, a third of the JSON writer's
// CPU). The table is read-only while the findings are encoded; its text
// holds no pointer (nothing for the garbage collector to mark).
type tagTable struct {
	at     map[unsafe.Pointer]int32 // by mapID: index into starts
	starts []int                    // entry k is text[starts[k]:starts[k+1]]
	text   []byte
}

// lookup returns the encoded tags of the map id, if the table has them.
func (t *tagTable) lookup(id unsafe.Pointer) ([]byte, bool) {
	if t == nil {
		return nil, false
	}
	k, ok := t.at[id]
	if !ok {
		return nil, false
	}
	return t.text[t.starts[k]:t.starts[k+1]], true
}

// tagTable encodes the tags of every resource the report's n findings
// name, as a findingEncoder with prefix and indent writes them, on workers
// goroutines; nil for a report of fewer than tagTableMin findings.
func (r *Report) tagTable(n int, prefix, indent string, workers int) *tagTable {
	if n < tagTableMin {
		return nil
	}
	t := &tagTable{at: map[unsafe.Pointer]int32{}}
	var maps []map[string]string
	note := func(tags map[string]string) {
		if len(tags) == 0 {
			return
		}
		id := mapID(tags)
		if _, ok := t.at[id]; !ok {
			t.at[id] = int32(len(maps))
			maps = append(maps, tags)
		}
	}
	for i := range r.Findings {
		note(r.Findings[i].Resource.Tags)
	}
	if r.Passes != nil {
		for i := range r.Passes.Refs {
			note(r.Passes.Refs[i].Tags)
		}
	}
	// Each worker encodes a contiguous part of maps into its own text.
	type part struct {
		text []byte
		ends []int
	}
	parts := make([]part, workers)
	parallelParts(len(maps), workers, func(w, lo, hi int) {
		enc := newFindingEncoder(prefix, indent)
		p := &parts[w]
		for _, m := range maps[lo:hi] {
			p.text = enc.encodeTags(p.text, m)
			p.ends = append(p.ends, len(p.text))
		}
	})
	size := 0
	for _, p := range parts {
		size += len(p.text)
	}
	t.text = make([]byte, 0, size)
	t.starts = make([]int, 1, len(maps)+1)
	for _, p := range parts {
		base := len(t.text)
		t.text = append(t.text, p.text...)
		for _, end := range p.ends {
			t.starts = append(t.starts, base+end)
		}
	}
	return t
}

// refTexts holds, for each reference of a report's PASS findings whose
// ID, type, provider, account, region and name are written as they are
// between quotes (plainRef) and which has no location, the text of its
// resource object up to its tags (from the comma before "resource"), and
// its tags object's entry in the tag table. The encoders copy it for each
// PASS finding on the resource (about 2.9 a reference at 100,000
// resources, 4.6 at 1,000,000) instead of writing six fields: in report
// order a run's resources are read in ID order, each reference and its
// strings somewhere else in the heap (a cache miss each, the most of the
// encoding's CPU after the copies), while the texts are in the order of
// the references' ranks, which is each run's order. One text with no
// pointers, computed on the workers.
type refTexts struct {
	text []byte
	// span[k] is reference k's text: text[at:at+n]; n == 0 when it has
	// none (the encoder writes its fields).
	span []refSpan
	tags *tagTable
	tag  []int32 // reference k's entry in tags, -1 for none
	// refs are the references; byID finds one with text by its ID's
	// bytes (a FAIL or UNKNOWN finding's resource is the reference of
	// the same resource, its strings the same).
	refs []resource.Ref
	byID map[*byte]int32
}

type refSpan struct{ at, n uint32 }

// newRefTexts encodes the references of p (nil when p holds none, or with
// no tag table: a small report).
func newRefTexts(p *finding.Passes, tags *tagTable, prefix, indent string, workers int) *refTexts {
	if p.Len() == 0 || tags == nil {
		return nil
	}
	e := newFindingEncoder(prefix, indent)
	// The fixed part of a reference's text: the keys, quotes, separators
	// and new lines of an empty resource.
	fixed := len(e.appendResourceStart(nil, &resource.Ref{}))
	order := p.RankOrder()
	if order == nil {
		order = make([]int32, len(p.Refs))
		for k := range order {
			order[k] = int32(k)
		}
	}
	// Each worker writes the references of a part of the ranks into its
	// own stretch of text, sized from the strings' lengths (a reference
	// that is not plain leaves its room untouched).
	starts := make([]int, workers+1)
	per := (len(order) + workers - 1) / workers
	for w := range workers {
		size := 0
		for _, k := range order[min(w*per, len(order)):min((w+1)*per, len(order))] {
			r := &p.Refs[k]
			size += fixed + len(r.ID) + len(r.Type) + len(r.Provider) + len(r.Account) + len(r.Region) + len(r.Name)
		}
		starts[w+1] = starts[w] + size
	}
	if starts[workers] > 1<<32-1 {
		return nil
	}
	t := &refTexts{text: make([]byte, starts[workers]), span: make([]refSpan, len(p.Refs)), tags: tags,
		tag: make([]int32, len(p.Refs)), refs: p.Refs}
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			enc := newFindingEncoder(prefix, indent)
			b := t.text[starts[w]:starts[w]:starts[w+1]]
			for _, k := range order[min(w*per, len(order)):min((w+1)*per, len(order))] {
				r := &p.Refs[k]
				t.tag[k] = -1
				if len(r.Tags) > 0 {
					i, ok := tags.at[mapID(r.Tags)]
					if !ok {
						continue // not in the table: written in full
					}
					t.tag[k] = i
				}
				if r.Location != nil || !plainRef(r) {
					continue
				}
				at := len(b)
				b = enc.appendResourceStart(b, r)
				t.span[k] = refSpan{at: uint32(starts[w] + at), n: uint32(len(b) - at)}
			}
		})
	}
	wg.Wait()
	t.byID = make(map[*byte]int32, len(p.Refs))
	for k := range p.Refs {
		if t.span[k].n > 0 {
			t.byID[unsafe.StringData(p.Refs[k].ID)] = int32(k)
		}
	}
	return t
}

// ofResource is of for the reference r is a copy of (the same strings,
// tags map and no location), if it has a text.
func (t *refTexts) ofResource(r *resource.Ref) (res, tags []byte, ok bool) {
	if t == nil || r.Location != nil || len(r.ID) == 0 {
		return nil, nil, false
	}
	k, found := t.byID[unsafe.StringData(r.ID)]
	if !found {
		return nil, nil, false
	}
	ref := &t.refs[k]
	if !same(r.ID, ref.ID) || !same(r.Type, ref.Type) || !same(string(r.Provider), string(ref.Provider)) ||
		!same(r.Account, ref.Account) || !same(r.Region, ref.Region) || !same(r.Name, ref.Name) ||
		mapID(r.Tags) != mapID(ref.Tags) || ref.Location != nil {
		return nil, nil, false
	}
	return t.of(k)
}

// same reports whether a and b are the same bytes in memory.
func same(a, b string) bool {
	return len(a) == len(b) && (len(a) == 0 || unsafe.StringData(a) == unsafe.StringData(b))
}

// of returns reference k's text and tags (nil for none), or false when it
// has no text.
func (t *refTexts) of(k int32) (res, tags []byte, ok bool) {
	if t == nil {
		return nil, nil, false
	}
	s := t.span[k]
	if s.n == 0 {
		return nil, nil, false
	}
	if i := t.tag[k]; i >= 0 {
		tags = t.tags.text[t.tags.starts[i]:t.tags.starts[i+1]]
	}
	return t.text[s.at : s.at+s.n], tags, true
}

// appendResourceStart appends, for a plain reference r (plainRef), the text
// appendMiddle writes from the comma before "resource" to its name.
func (e *findingEncoder) appendResourceStart(b []byte, r *resource.Ref) []byte {
	b = append(b, ',')
	b = e.nl(b, 1)
	b = append(b, `"resource": {`...)
	b = e.plainField(b, 2, true, "id", r.ID)
	b = e.plainField(b, 2, false, "type", r.Type)
	b = e.plainField(b, 2, false, "provider", string(r.Provider))
	b = e.plainField(b, 2, false, "account", r.Account)
	b = e.plainField(b, 2, false, "region", r.Region)
	return e.plainField(b, 2, false, "name", r.Name)
}

// plainRef says whether r's ID, type, provider, account, region and name
// are written as they are between quotes.
func plainRef(r *resource.Ref) bool {
	return jsonenc.Plain(r.ID) && jsonenc.Plain(r.Type) && jsonenc.Plain(string(r.Provider)) &&
		jsonenc.Plain(r.Account) && jsonenc.Plain(r.Region) && jsonenc.Plain(r.Name)
}

// parallelParts calls part on contiguous parts of 0..n-1, the w-th part
// on goroutine w of up to workers (each with 1,024 elements at least), and
// waits for them.
func parallelParts(n, workers int, part func(w, lo, hi int)) {
	workers = max(1, min(workers, n/1024))
	per := (n + workers - 1) / workers
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			part(w, min(w*per, n), min((w+1)*per, n))
		}()
	}
	wg.Wait()
}

// appendFrameworks appends the frameworks and the remediation.
func (e *findingEncoder) appendFrameworks(b []byte, f *finding.Finding) []byte {
	nl, field := e.nl, e.field
	if len(f.Frameworks) > 0 {
		b = append(b, ',')
		b = nl(b, 1)
		b = append(b, `"frameworks": [`...)
		for i, ref := range f.Frameworks {
			if i > 0 {
				b = append(b, ',')
			}
			b = nl(b, 2)
			b = append(b, '{')
			b = field(b, 3, true, "framework", ref.Framework)
			b = field(b, 3, false, "control", ref.Control)
			b = nl(b, 2)
			b = append(b, '}')
		}
		b = nl(b, 1)
		b = append(b, ']')
	}
	if f.Remediation != "" {
		b = field(b, 1, false, "remediation", f.Remediation)
	}
	return b
}

// appendSuppressed appends the suppression and the closing brace.
func (e *findingEncoder) appendSuppressed(b []byte, f *finding.Finding) []byte {
	nl, field := e.nl, e.field
	if s := f.Suppressed; s != nil {
		b = append(b, ',')
		b = nl(b, 1)
		b = append(b, `"suppressed": {`...)
		b = field(b, 2, true, "reason", s.Reason)
		if s.Expires != "" {
			b = field(b, 2, false, "expires", s.Expires)
		}
		b = nl(b, 1)
		b = append(b, '}')
	}
	if f.DataClass != "" {
		b = field(b, 1, false, "data_class", f.DataClass)
	}
	if f.BaseSeverity != "" {
		b = field(b, 1, false, "base_severity", string(f.BaseSeverity))
	}
	b = nl(b, 0)
	return append(b, '}')
}

// appendJSONString appends s as a JSON string exactly as encoding/json does
// with HTML escaping off.
func appendJSONString(b []byte, s string) []byte { return jsonenc.Append(b, s) }
