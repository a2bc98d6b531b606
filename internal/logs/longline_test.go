package logs

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"
	"testing"
)

// readAll reads data through Read and returns what it delivered and
// reported, one line per record or error.
func readAll(t *testing.T, r io.Reader) string {
	t.Helper()
	var b strings.Builder
	err := Read(context.Background(), "f", r, func(rec Record) error {
		fmt.Fprintf(&b, "rec %s line %d off %d %q\n", rec.Source, rec.Line, rec.Offset, rec.Raw)
		return nil
	}, func(e InputError) {
		fmt.Fprintf(&b, "err %s\n", e.Error())
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// readAllData is readAll through Reader.ReadData.
func readAllData(t *testing.T, data []byte) string {
	t.Helper()
	var b strings.Builder
	err := Reader{}.ReadData(context.Background(), "f", data, func(rec Record) error {
		fmt.Fprintf(&b, "rec %s line %d off %d %q\n", rec.Source, rec.Line, rec.Offset, rec.Raw)
		return nil
	}, func(e InputError) {
		fmt.Fprintf(&b, "err %s\n", e.Error())
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// onlyReader hides the length of a bytes.Reader: Read then does not know
// the stream's size and finds each line's end before validating it.
type onlyReader struct{ r io.Reader }

func (o onlyReader) Read(p []byte) (int, error) { return o.r.Read(p) }

// TestLongFirstLineSameAsLineByLine checks that validating a long first
// line in place (a file of known size) delivers and reports exactly what
// the line-by-line path does, for valid, invalid, multi-line and
// pretty-printed inputs whose first line is longer than longLine.
func TestLongFirstLineSameAsLineByLine(t *testing.T) {
	var recs []string
	for i := range 40 {
		recs = append(recs, ct("CreateUser", fmt.Sprintf("id-%03d", i)))
	}
	doc := `{"Records":[` + strings.Join(recs, ",") + `]}`
	if len(doc) <= longLine {
		t.Fatalf("test document of %d bytes is not longer than %d", len(doc), longLine)
	}
	lines := strings.Join(recs, "\n")
	cases := map[string]string{
		"one line":                doc,
		"trailing newline":        doc + "\n",
		"trailing blanks":         doc + " \r\n\n  \n",
		"bom":                     "\xef\xbb\xbf" + doc,
		"leading spaces":          "  \t" + doc + "\n",
		"more lines":              doc + "\n" + doc + "\n" + recs[0] + "\n",
		"more lines broken":       doc + "\n{\"Records\":[" + recs[1] + "\n",
		"two values on the line":  doc + " " + doc + "\n",
		"garbage after":           doc + "x\n",
		"truncated":               doc[:len(doc)-40],
		"invalid element":         strings.Replace(doc, `"eventName":`, `"eventName" `, 3),
		"invalid then lines":      strings.Replace(doc, `"eventName":`, `"eventName" `, 1) + "\n" + recs[2] + "\n",
		"newline inside":          strings.Replace(doc, `,"eventName"`, ",\n\"eventName\"", 1),
		"newline late in value":   doc[:len(doc)-2] + "\n]}",
		"json lines":              lines,
		"json lines long first":   strings.Replace(recs[0], `"eventName"`, `"pad":"`+strings.Repeat("p", 5000)+`","eventName"`, 1) + "\n" + lines,
		"array":                   "[" + strings.Join(recs, ",") + "]\n",
		"array pretty after long": "[" + strings.Join(recs, ",") + ",\n" + recs[3] + "]\n",
		// ReadData streams a long first line (streamFirstLine) and reads
		// it again after records and errors went out at the first thing
		// that is not a valid event: those are passed on once.
		"bad time then invalid":   `{"Records":[` + strings.Replace(recs[0], `"eventTime":"`, `"eventTime":"x`, 1) + "," + strings.Join(recs[1:], ",") + `,{"a" 1}]}`,
		"member after records":    doc[:len(doc)-1] + `,"x":1}` + "\n" + recs[4] + "\n",
		"blanks before close":     doc[:len(doc)-2] + " ] \t}\r\n",
		"newline before close":    doc[:len(doc)-1] + "\n}",
		"not an event inside":     `{"Records":[` + strings.Join(recs[:20], ",") + `,"x",[1],{"a":1},` + strings.Join(recs[20:], ",") + `]}`,
		"annotation first":        `{"kind":"x","Records":[` + strings.Join(recs, ",") + `]}`,
		"nested deep then broken": `{"Records":[` + strings.Join(recs, ",") + `,{"a":` + strings.Repeat("[", 100) + strings.Repeat("]", 99) + `}]}`,
	}
	for name, in := range cases {
		t.Run(name, func(t *testing.T) {
			fast := readAll(t, bytes.NewReader([]byte(in)))
			slow := readAll(t, onlyReader{bytes.NewReader([]byte(in))})
			if fast != slow {
				t.Fatalf("known-size read differs from line-by-line read:\n--- known size\n%s\n--- line by line\n%s", fast, slow)
			}
			if whole := readAllData(t, []byte(in)); whole != slow {
				t.Fatalf("ReadData differs from line-by-line read:\n--- ReadData\n%s\n--- line by line\n%s", whole, slow)
			}
			if !strings.Contains(fast, "rec ") && !strings.Contains(fast, "err ") {
				t.Fatalf("nothing delivered or reported:\n%s", fast)
			}
		})
	}
}
