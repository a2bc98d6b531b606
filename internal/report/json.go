package report

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"time"

	"github.com/vigil-sec/vigil/internal/compliance"
	"github.com/vigil-sec/vigil/internal/finding"
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
	err := writeJSONStream(bw, doc, "  ", func(emit func(v any) error) error {
		for i := range r.Findings {
			if err := emit(&r.Findings[i]); err != nil {
				return err
			}
		}
		return nil
	})
	return errors.Join(err, bw.Flush())
}

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
// the memory held is one element at a time.
func writeJSONStream(w *bufio.Writer, doc any, indent string, each func(emit func(v any) error) error) error {
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
	elemPrefix := string(lineIndent) + indent
	if _, err := w.Write(text[:at]); err != nil {
		return err
	}
	var buf bytes.Buffer
	var ind []byte
	ee := json.NewEncoder(&buf)
	ee.SetEscapeHTML(false)
	n := 0
	emit := func(v any) error {
		buf.Reset()
		if err := ee.Encode(v); err != nil {
			return err
		}
		b := bytes.TrimSuffix(buf.Bytes(), []byte{'\n'})
		if indent != "" {
			ind = appendIndentCompact(ind[:0], b, elemPrefix, indent)
			b = ind
		}
		if n == 0 {
			w.WriteByte('[')
		} else {
			w.WriteByte(',')
		}
		if indent != "" {
			w.WriteByte('\n')
			w.WriteString(elemPrefix)
		}
		n++
		_, err := w.Write(b)
		return err
	}
	if err := each(emit); err != nil {
		return err
	}
	if n == 0 {
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

// appendIndentCompact appends to dst the compact JSON src (as encoding/json
// writes it: valid, no whitespace outside strings) indented exactly as
// json.Indent would indent it with prefix and indent, several times faster
// than json.Indent, which validates as it goes.
func appendIndentCompact(dst, src []byte, prefix, indent string) []byte {
	depth := 0
	newline := func() {
		dst = append(dst, '\n')
		dst = append(dst, prefix...)
		for range depth {
			dst = append(dst, indent...)
		}
	}
	for i := 0; i < len(src); i++ {
		c := src[i]
		switch c {
		case '"':
			// Copy the string through its closing quote.
			j := i + 1
			for j < len(src) && src[j] != '"' {
				if src[j] == '\\' {
					j++
				}
				j++
			}
			end := min(j+1, len(src))
			dst = append(dst, src[i:end]...)
			i = end - 1
		case '{', '[':
			dst = append(dst, c)
			if i+1 < len(src) && (src[i+1] == '}' || src[i+1] == ']') {
				dst = append(dst, src[i+1])
				i++
				continue
			}
			depth++
			newline()
		case '}', ']':
			depth--
			newline()
			dst = append(dst, c)
		case ',':
			dst = append(dst, c)
			newline()
		case ':':
			dst = append(dst, ':', ' ')
		default:
			dst = append(dst, c)
		}
	}
	return dst
}
