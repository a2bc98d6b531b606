package logs

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	"github.com/tidwall/gjson"

	"github.com/vigil-sec/vigil/internal/logs/internal/norm"
)

// ErrUnknownTables marks a Log Analytics query result none of whose rows
// is an audit event.
var ErrUnknownTables = errors.New("Log Analytics query result rows of no audit log shape vigil reads")

// The Azure Monitor Log Analytics query API (POST
// https://api.loganalytics.azure.com/v1/workspaces/{id}/query, what
// Invoke-AzOperationalInsightsQuery, az rest and the SDKs' raw responses
// return) answers a query with its result tables:
//
//	{"tables":[{"name":"PrimaryResult",
//	  "columns":[{"name":"TimeGenerated","type":"datetime"},...],
//	  "rows":[["2024-05-07T09:00:11.912Z",...],...]}]}
//
// Each row becomes one event: an object of its columns (a dynamic column's
// JSON text as its value, null cells left out), recognised as
// the rows of a Log Analytics table are (AzureActivity, SigninLogs,
// AuditLogs, OfficeActivity, AZKVAuditLogs...). A result whose rows are of
// no known table (a query that projected or summarised the columns away)
// is one note naming its columns.

// tablesDoc reports whether the object whose first member starts at b[i]
// is a query result: its first member is "tables" holding an array.
func tablesDoc(b []byte, i int) bool {
	const key = `"tables"`
	if !strings.HasPrefix(string(b[i:min(len(b), i+len(key))]), key) {
		return false
	}
	j := norm.SkipWS(b, i+len(key))
	if j >= len(b) || b[j] != ':' {
		return false
	}
	j = norm.SkipWS(b, j+1)
	return j < len(b) && b[j] == '['
}

// queryTables hands out the rows of the query result doc[pos:end] (doc is
// the splitter's document) as events. It returns errStop when fn asked to
// stop.
func (s *splitter) queryTables(doc []byte, pos, end int) error {
	base, lineAt := s.base, s.lineOf(pos)
	res := gjson.ParseBytes(doc[pos:end])
	// The rows' events are documents of their own (see rowEvent): the
	// splitter's position fields are the result's again afterwards.
	saveDoc, saveBase, saveLine0, saveMode, saveCur := s.doc, s.base, s.line0, s.lineMode, s.curLine
	defer func() {
		s.doc, s.base, s.line0, s.lineMode, s.curLine = saveDoc, saveBase, saveLine0, saveMode, saveCur
		s.lineAt, s.lineNum = 0, saveLine0
		s.csvShape = ""
	}()
	s.csvShape = "Log Analytics query API row"
	rows, known := 0, 0
	line, lineIdx := lineAt, 0
	var cols []string
	var stop error
	res.Get("tables").ForEach(func(_, table gjson.Result) bool {
		var names []string
		table.Get("columns").ForEach(func(_, c gjson.Result) bool {
			names = append(names, c.Get("name").String())
			return true
		})
		if cols == nil {
			cols = names
		}
		table.Get("rows").ForEach(func(_, row gjson.Result) bool {
			if rows&1023 == 1023 {
				if err := s.ctx.Err(); err != nil {
					s.stopErr, stop = err, errStop
					return false
				}
			}
			rows++
			off := base + int64(pos+row.Index)
			if row.Index > lineIdx {
				line += bytes.Count(doc[pos+lineIdx:pos+row.Index], []byte{'\n'})
				lineIdx = row.Index
			}
			if !row.IsArray() {
				s.onErr(InputError{File: s.name, Line: line, Offset: off, Err: fmt.Errorf("%w: a query result row that is not an array", ErrMalformed)})
				return true
			}
			ev, err := tableRow(names, row)
			if err != nil {
				s.onErr(InputError{File: s.name, Line: line, Offset: off, Err: fmt.Errorf("%w: query result row: %v", ErrMalformed, err)})
				return true
			}
			s.curLine, s.lineMode = line, true
			before := s.unknown
			if err := s.rowEvent(ev, off); err != nil {
				stop = err
				return false
			}
			if s.unknown == before {
				known++
			}
			return true
		})
		return stop == nil
	})
	if stop != nil {
		return stop
	}
	if rows > 0 && known == 0 {
		s.unknown = 0
		s.onErr(InputError{File: s.name, Line: lineAt, Offset: base + int64(pos), Skipped: true,
			Err: fmt.Errorf("%w (columns %s): query whole rows of a table vigil reads (AzureActivity, SigninLogs, AuditLogs, OfficeActivity...), without project or summarize: %w", ErrUnknownTables, strings.Join(firstN(cols, 8), ", "), ErrNotAuditLog)})
	}
	return nil
}

// tableRow returns the event object of one result row: its cells under
// their columns' names.
func tableRow(names []string, row gjson.Result) ([]byte, error) {
	out := make(map[string]any, len(names))
	i := 0
	var err error
	row.ForEach(func(_, cell gjson.Result) bool {
		if i >= len(names) {
			err = fmt.Errorf("%d cells for %d columns", i+1, len(names))
			return false
		}
		name := names[i]
		i++
		switch {
		case name == "" || cell.Type == gjson.Null:
		case cell.Type == gjson.String:
			out[name] = norm.Embedded(cell.Str)
		default:
			out[name] = rawJSON(cell.Raw)
		}
		return true
	})
	if err != nil {
		return nil, err
	}
	return norm.Encode(out)
}

// rawJSON is a cell's JSON kept as written (numbers, booleans, objects).
type rawJSON string

func (r rawJSON) MarshalJSON() ([]byte, error) { return []byte(r), nil }
