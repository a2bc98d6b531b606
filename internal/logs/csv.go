package logs

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/vigil-sec/vigil/internal/logs/internal/norm"
)

// ErrUnknownCSV marks a CSV file none of whose rows is an audit event.
var ErrUnknownCSV = errors.New("CSV rows of no audit log shape vigil reads")

// Audit logs exported as CSV: the Microsoft Purview audit search export
// and Search-UnifiedAuditLog | Export-Csv hold each record's JSON in an
// AuditData column; Log Analytics exports (OfficeActivity, SigninLogs...)
// hold one row per event with the table's columns. Each row becomes one
// event: its AuditData JSON when it has that column, else an object of the
// row's columns (a column holding a JSON object or array as that value),
// then recognised as any event is.

// auditData is the column holding the record in Microsoft 365 exports.
const auditData = "auditdata"

// looksCSV reports whether a first line (not JSON) is a CSV header: at
// least two names, none empty or long.
func looksCSV(line []byte) bool {
	line = bytes.TrimRight(line, "\r")
	if bytes.HasPrefix(line, []byte("#TYPE ")) {
		return true // Export-Csv's type line, before the header
	}
	r := csv.NewReader(bytes.NewReader(line))
	r.LazyQuotes = true
	h, err := r.Read()
	if err != nil || len(h) < 2 {
		return false
	}
	for _, c := range h {
		if c = strings.TrimSpace(c); c == "" || len(c) > 128 || strings.ContainsAny(c, "{}") {
			return false
		}
	}
	return true
}

// csvRows reads doc, a CSV file starting at stream offset base on line
// line, row by row. It returns false when fn asked to stop.
func (s *splitter) csvRows(doc []byte, base int64, line int) bool {
	// The positions of errors and records are of the CSV text: document
	// mode's line counting does not apply.
	s.lineMode = true
	if bytes.HasPrefix(doc, []byte("#TYPE ")) {
		nl := bytes.IndexByte(doc, '\n')
		if nl < 0 {
			return true
		}
		doc, base, line = doc[nl+1:], base+int64(nl+1), line+1
	}
	r := csv.NewReader(bytes.NewReader(doc))
	r.LazyQuotes = true
	r.FieldsPerRecord = -1
	r.ReuseRecord = true
	header, err := r.Read()
	if err != nil {
		s.onErr(InputError{File: s.name, Line: line, Offset: base, Err: fmt.Errorf("CSV header: %w", err)})
		return true
	}
	cols := make([]string, len(header))
	utc := make([]bool, len(header))
	ad := -1
	for i, h := range header {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\xef\xbb\xbf"))
		// Log Analytics names time columns "TimeGenerated [UTC]".
		if j := strings.Index(h, " ["); j > 0 && strings.HasSuffix(h, "]") {
			utc[i] = h[j:] == " [UTC]"
			h = h[:j]
		}
		cols[i] = h
		if strings.EqualFold(h, auditData) {
			ad = i
		}
	}
	s.csvShape = "CSV row"
	if ad >= 0 {
		s.csvShape = "CSV AuditData column"
	}
	defer func() { s.csvShape = "" }()
	rows, known := 0, 0
	prev := r.InputOffset()
	for {
		if rows&1023 == 1023 {
			if err := s.ctx.Err(); err != nil {
				s.stopErr = err
				return false
			}
		}
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		fl, _ := r.FieldPos(0)
		ln, off := line+fl-1, base+prev
		prev = r.InputOffset()
		if err != nil {
			s.onErr(InputError{File: s.name, Line: ln, Offset: off, Err: fmt.Errorf("%w: CSV: %v", ErrMalformed, err)})
			var pe *csv.ParseError
			if errors.As(err, &pe) && pe.Err == csv.ErrFieldCount {
				continue
			}
			break
		}
		rows++
		var ev []byte
		if ad >= 0 && ad < len(rec) {
			ev = []byte(strings.TrimSpace(rec[ad]))
			if len(ev) == 0 || ev[0] != '{' {
				s.onErr(InputError{File: s.name, Line: ln, Offset: off, Err: fmt.Errorf("%w: the AuditData column holds no JSON object", ErrMalformed)})
				continue
			}
		} else {
			row := make(map[string]any, len(cols))
			for i, c := range cols {
				switch {
				case i >= len(rec) || rec[i] == "":
				case utc[i]:
					row[c] = portalTime(rec[i])
				default:
					row[c] = norm.Embedded(rec[i])
				}
			}
			if ev, err = norm.Encode(row); err != nil {
				continue
			}
		}
		s.curLine = ln
		before := s.unknown
		if err := s.rowEvent(ev, off); err != nil {
			return false
		}
		if s.unknown == before {
			known++
		}
	}
	if rows > 0 && known == 0 && ad < 0 {
		// No row of a known shape: one clear note instead of the count of
		// unknown events.
		s.unknown = 0
		s.onErr(InputError{File: s.name, Line: line, Offset: base, Skipped: true,
			Err: fmt.Errorf("%w (columns %s): vigil reads Microsoft 365 exports with an AuditData column, Log Analytics rows of the tables it knows (OfficeActivity, AzureActivity, SigninLogs, AuditLogs...), the CloudTrail console's Event history download and the Entra admin center's sign-in and audit downloads with their English column names (a portal set to another language names the columns in it: download again with the portal's language set to English): %w", ErrUnknownCSV, strings.Join(firstN(cols, 8), ", "), ErrNotAuditLog)})
	}
	return true
}

// rowEvent hands one CSV row's event to element as a document of its own.
func (s *splitter) rowEvent(ev []byte, off int64) error {
	valid := len(ev) > 0 && jsonValid(ev)
	s.doc, s.base = ev, off
	s.line0, s.lineAt, s.lineNum = s.curLine, 0, s.curLine
	if err := s.element(ev, 0, len(ev), &s.cls.all, valid, nil); err != nil {
		return err
	}
	return nil
}

// portalTime rewrites a time the Azure portal's Log Analytics export
// writes in a " [UTC]" column ("5/7/2024, 9:00:11.912 AM") as RFC 3339;
// other forms are kept.
func portalTime(v string) string {
	for _, layout := range []string{"1/2/2006, 3:04:05.000 PM", "1/2/2006, 3:04:05 PM"} {
		if t, err := time.Parse(layout, v); err == nil {
			return t.UTC().Format(time.RFC3339Nano)
		}
	}
	return v
}

func jsonValid(b []byte) bool {
	e, ok := span(b, 0)
	return ok && e == len(b)
}

func firstN(s []string, n int) []string {
	if len(s) > n {
		return append(s[:n:n], "...")
	}
	return s
}
