package report

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"runtime"
	"strconv"
	"strings"

	"github.com/vigil-sec/vigil/internal/finding"
)

// CSVColumns are the CSV format's columns, in order. They are stable:
// new columns are only ever appended.
var CSVColumns = []string{
	"rule_id", "title", "category", "severity", "status", "suppressed", "suppression_reason",
	"provider", "account", "region", "resource_type", "resource_id", "resource_name",
	"message", "frameworks", "remediation", "location", "data_class", "base_severity",
}

func writeCSV(w io.Writer, r *Report) error {
	bw := bufio.NewWriterSize(w, writeBufferSize)
	cw := csv.NewWriter(bw)
	if err := cw.Write(CSVColumns); err != nil {
		return err
	}
	if cw.Flush(); cw.Error() != nil {
		return cw.Error()
	}
	// Each row is written on its own (a csv.Writer's rows do not depend
	// on one another), in parallel chunks.
	v := r.view()
	err := encodeChunks(v.n, runtime.GOMAXPROCS(0), func() elementEncoder {
		var buf bytes.Buffer
		cw := csv.NewWriter(&buf)
		var refs []string
		row := make([]string, len(CSVColumns))
		var x finding.Finding
		return func(dst []byte, i int) ([]byte, error) {
			f := v.at(i, &x)
			refs = refs[:0]
			for _, ref := range refsFor(f) {
				refs = append(refs, ref.Framework+":"+ref.Control)
			}
			suppressed, reason := "false", ""
			if f.Suppressed != nil {
				suppressed, reason = "true", f.Suppressed.Reason
			}
			row = append(row[:0],
				f.RuleID, f.Title, f.Category, string(f.Severity), string(f.Status), suppressed, reason,
				string(f.Resource.Provider), f.Resource.Account, f.Resource.Region, f.Resource.Type,
				f.Resource.ID, f.Resource.Name, f.Message, strings.Join(refs, ";"), f.Remediation, csvLocation(f),
				f.DataClass, string(f.BaseSeverity),
			)
			for i := range row {
				row[i] = csvSafe(row[i])
			}
			buf.Reset()
			if err := cw.Write(row); err != nil {
				return dst, err
			}
			cw.Flush()
			return append(dst, buf.Bytes()...), cw.Error()
		}
	}, func(text []byte, _ []int) error {
		_, err := bw.Write(text)
		return err
	})
	return errors.Join(err, bw.Flush())
}

// csvLocation is an IaC resource's file:start-end, "" otherwise.
func csvLocation(f *finding.Finding) string {
	l := f.Resource.Location
	if l == nil || l.File == "" {
		return ""
	}
	if l.StartLine <= 0 {
		return l.File
	}
	return l.File + ":" + strconv.Itoa(l.StartLine) + "-" + strconv.Itoa(max(l.EndLine, l.StartLine))
}

// csvSafe defuses spreadsheet formula injection: a cell that starts with
// = + - @ or a tab/CR (resource names and tags come from the cloud and may
// be chosen by an attacker) is prefixed with a single quote.
func csvSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
