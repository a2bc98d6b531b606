package cost

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"io"
)

// csvReader reads CSV records as encoding/csv does with LazyQuotes and
// FieldsPerRecord -1, several times faster: a record on one line whose
// fields are plain or properly quoted ("a ""b""", closed before the end of
// the line and followed by a comma or the line's end) is split here, into
// substrings of one string per line. At the first line that is anything
// else (a bare quote, a quoted field spanning lines, a carriage return
// inside the line, a line longer than the buffer) the rest of the input is
// read by encoding/csv, with line numbers counted on from that line (and
// all its fields kept).
type csvReader struct {
	br     *bufio.Reader
	line   int      // lines read so far by the fast path
	start  int      // line of the last record read by the fast path
	rec    []string // Read's record
	fields []string // the record being split, from base
	base   int
	keep   []bool              // see Keep
	seen   []map[string]string // per column, values read before
	last   []string            // per column, the last value
	buf    []byte

	slow     *csv.Reader // set after the first line the fast path does not take
	slowOff  int         // lines before the slow reader's first line
	slowLine int         // line of the last record the slow reader read
}

func newCSVReader(br *bufio.Reader) *csvReader {
	return &csvReader{br: br}
}

// Line returns the line where the last record read starts.
func (r *csvReader) Line() int {
	if r.slow != nil {
		return r.slowLine
	}
	return r.start
}

// Read returns the next record; the slice is reused by the next call.
// Errors are encoding/csv's (*csv.ParseError with file line numbers) or
// the input's; io.EOF at the end.
func (r *csvReader) Read() ([]string, error) {
	rec, err := r.ReadInto(r.rec[:0])
	if err != nil {
		return nil, err
	}
	r.rec = rec
	return rec, nil
}

// ReadInto appends the next record's fields to dst (dst as it was after
// an error).
func (r *csvReader) ReadInto(dst []string) ([]string, error) {
	if r.slow != nil {
		return r.appendSlow(dst)
	}
	for {
		raw, err := r.br.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			r.fallback(raw, r.line)
			return r.appendSlow(dst)
		}
		if err != nil && (len(raw) == 0 || !errors.Is(err, io.EOF)) {
			return dst, err
		}
		r.line++
		r.start = r.line
		l := raw
		if n := len(l); n > 0 && l[n-1] == '\n' {
			l = l[:n-1]
		}
		if n := len(l); n > 0 && l[n-1] == '\r' {
			l = l[:n-1]
		}
		if len(l) == 0 {
			continue // encoding/csv skips blank lines
		}
		r.fields, r.base = dst, len(dst)
		if bytes.IndexByte(l, '\r') >= 0 || !r.split(l) {
			r.fallback(raw, r.line-1)
			return r.appendSlow(dst)
		}
		return r.fields, nil
	}
}

// split appends the fields of one line to r.fields; false if the line is
// not plain CSV the fast path reads.
func (r *csvReader) split(s []byte) bool {
	i := 0
	for {
		if i < len(s) && s[i] == '"' {
			j := i + 1
			escaped := false
			for {
				k := bytes.IndexByte(s[j:], '"')
				if k < 0 {
					return false // the field goes on past the line
				}
				j += k
				if j+1 < len(s) && s[j+1] == '"' {
					escaped = true
					j += 2
					continue
				}
				break
			}
			r.add(s[i+1:j], escaped)
			j++
			if j == len(s) {
				return true
			}
			if s[j] != ',' {
				return false // text after the closing quote
			}
			i = j + 1
			continue
		}
		end := len(s)
		k := bytes.IndexByte(s[i:], ',')
		if k >= 0 {
			end = i + k
		}
		f := s[i:end]
		if bytes.IndexByte(f, '"') >= 0 {
			return false // a bare quote
		}
		r.add(f, false)
		if k < 0 {
			return true
		}
		i = end + 1
	}
}

// add appends a field: "" for a column not kept, else its text, the same
// string as the last time for a value seen before in that column.
func (r *csvReader) add(f []byte, escaped bool) {
	i := len(r.fields) - r.base
	if r.keep != nil && (i >= len(r.keep) || !r.keep[i]) {
		r.fields = append(r.fields, "")
		return
	}
	if escaped {
		r.buf = r.buf[:0]
		for j := 0; j < len(f); j++ {
			r.buf = append(r.buf, f[j])
			if f[j] == '"' {
				j++ // the second quote of ""
			}
		}
		f = r.buf
	}
	if len(f) == 0 {
		r.fields = append(r.fields, "")
		return
	}
	for len(r.seen) <= i {
		r.seen = append(r.seen, map[string]string{})
		r.last = append(r.last, "")
	}
	if r.last[i] == string(f) {
		r.fields = append(r.fields, r.last[i])
		return
	}
	m := r.seen[i]
	v, ok := m[string(f)]
	if !ok {
		v = string(f)
		if len(m) < maxSeen {
			m[v] = v
		}
	}
	r.last[i] = v
	r.fields = append(r.fields, v)
}

// maxSeen bounds the values remembered per column.
const maxSeen = 1024

// Keep limits the fields read to those whose index is true (and the first
// one): the others are returned empty.
func (r *csvReader) Keep(keep []bool) {
	r.keep = keep
}

// fallback hands the input from raw (the start of the line after line
// before, not yet parsed) on to encoding/csv.
func (r *csvReader) fallback(raw []byte, before int) {
	r.slowOff = before
	cp := append([]byte(nil), raw...)
	cr := csv.NewReader(io.MultiReader(bytes.NewReader(cp), r.br))
	cr.ReuseRecord = true
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	r.slow = cr
}

func (r *csvReader) appendSlow(dst []string) ([]string, error) {
	rec, err := r.slow.Read()
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		c := *pe
		c.Line += r.slowOff
		c.StartLine += r.slowOff
		err = &c
	}
	if err != nil {
		return dst, err
	}
	l, _ := r.slow.FieldPos(0)
	r.slowLine = l + r.slowOff
	return append(dst, rec...), nil
}
