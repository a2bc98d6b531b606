package lake

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"strings"
	"time"
	"unicode/utf8"
)

// Formats are the output formats of query results.
var Formats = []string{"table", "csv", "json"}

// ResultWriter writes query results in one format.
type ResultWriter interface {
	Header(cols []string) error
	Row(vals []any) error
	// Close flushes the output (the table format prints everything here).
	Close() error
}

// NewResultWriter returns a writer for format: "table" (aligned text, long
// cells cut at 60 characters), "csv" (RFC 4180 with a header line) or "json"
// (one JSON object per row and line, keys in column order).
func NewResultWriter(w io.Writer, format string) (ResultWriter, error) {
	switch format {
	case "table", "":
		return &tableWriter{w: w}, nil
	case "csv":
		return &csvWriter{w: csv.NewWriter(w)}, nil
	case "json":
		return &jsonWriter{w: bufio.NewWriter(w)}, nil
	}
	return nil, fmt.Errorf("unknown format %q (want %s)", format, strings.Join(Formats, ", "))
}

// Text renders a value as text: times in RFC 3339 UTC, lists and maps as
// JSON, NULL as "".
func Text(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case []byte:
		return string(x)
	case time.Time:
		return x.UTC().Format(time.RFC3339Nano)
	case []any, map[string]any:
		b, err := json.Marshal(jsonValue(x))
		if err != nil {
			return fmt.Sprint(x)
		}
		return string(b)
	case *big.Int:
		return x.String()
	}
	return fmt.Sprint(v)
}

// jsonValue converts driver values to what encoding/json renders well.
func jsonValue(v any) any {
	switch x := v.(type) {
	case time.Time:
		return x.UTC().Format(time.RFC3339Nano)
	case []byte:
		return string(x)
	case []any:
		out := make([]any, len(x))
		for i := range x {
			out[i] = jsonValue(x[i])
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = jsonValue(e)
		}
		return out
	case *big.Int:
		return json.Number(x.String())
	case nil, string, bool, int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64, float32, float64:
		return x
	}
	return fmt.Sprint(v)
}

type csvWriter struct{ w *csv.Writer }

func (c *csvWriter) Header(cols []string) error { return c.w.Write(cols) }
func (c *csvWriter) Row(vals []any) error {
	rec := make([]string, len(vals))
	for i, v := range vals {
		rec[i] = Text(v)
	}
	return c.w.Write(rec)
}
func (c *csvWriter) Close() error { c.w.Flush(); return c.w.Error() }

type jsonWriter struct {
	w    *bufio.Writer
	keys [][]byte
}

func (j *jsonWriter) Header(cols []string) error {
	for _, c := range cols {
		k, _ := json.Marshal(c)
		j.keys = append(j.keys, k)
	}
	return nil
}

func (j *jsonWriter) Row(vals []any) error {
	j.w.WriteByte('{')
	for i, v := range vals {
		if i > 0 {
			j.w.WriteByte(',')
		}
		j.w.Write(j.keys[i])
		j.w.WriteByte(':')
		b, err := json.Marshal(jsonValue(v))
		if err != nil {
			b, _ = json.Marshal(fmt.Sprint(v))
		}
		j.w.Write(b)
	}
	j.w.WriteString("}\n")
	return nil
}
func (j *jsonWriter) Close() error { return j.w.Flush() }

const maxCell = 60

type tableWriter struct {
	w    io.Writer
	cols []string
	rows [][]string
}

func (t *tableWriter) Header(cols []string) error {
	t.cols = append([]string(nil), cols...)
	return nil
}
func (t *tableWriter) Row(vals []any) error {
	r := make([]string, len(vals))
	for i, v := range vals {
		s := strings.NewReplacer("\n", " ", "\r", " ", "\t", " ").Replace(Text(v))
		if v == nil {
			s = "NULL"
		}
		if utf8.RuneCountInString(s) > maxCell {
			s = string([]rune(s)[:maxCell-1]) + "…"
		}
		r[i] = s
	}
	t.rows = append(t.rows, r)
	return nil
}

func (t *tableWriter) Close() error {
	width := make([]int, len(t.cols))
	for i, c := range t.cols {
		width[i] = utf8.RuneCountInString(c)
	}
	for _, r := range t.rows {
		for i, c := range r {
			width[i] = max(width[i], utf8.RuneCountInString(c))
		}
	}
	bw := bufio.NewWriter(t.w)
	line := func(cells []string) {
		for i, c := range cells {
			if i > 0 {
				bw.WriteString("  ")
			}
			bw.WriteString(c)
			if i < len(cells)-1 {
				bw.WriteString(strings.Repeat(" ", width[i]-utf8.RuneCountInString(c)))
			}
		}
		bw.WriteByte('\n')
	}
	line(t.cols)
	sep := make([]string, len(t.cols))
	for i := range sep {
		sep[i] = strings.Repeat("-", width[i])
	}
	line(sep)
	for _, r := range t.rows {
		line(r)
	}
	fmt.Fprintf(bw, "(%d rows)\n", len(t.rows))
	return bw.Flush()
}
