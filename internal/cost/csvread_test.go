package cost

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// FuzzCSVReader: the fast CSV reader reads every input as encoding/csv
// (LazyQuotes, any number of fields) does: the same records, the same line
// of each record, the same errors at the same lines.
func FuzzCSVReader(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/read/*.csv")
	seeds2, _ := filepath.Glob("testdata/fuzz/seed-*.csv")
	for _, s := range append(seeds, seeds2...) {
		if b, err := os.ReadFile(s); err == nil {
			f.Add(b)
		}
	}
	for _, s := range []string{
		"a,b\n1,2\n", "a,b\r\n1,2\r\n\r\n3,4", "a,\"b\"\"c\"\n\"x\ny\",2\n3,4\n", "a,b\n1,\"2\"x,3\n4,5\n",
		"a\n\"unterminated\n", "a,b\n1,b\"c\n\"q\"\"\",\"\"\n", "\n\na,b\n\n1,2", "a,b\n1,2\r3\n4,5\n", "a,\n,\n\"\",\"\"\n",
		"a,b\n\"x\" ,y\n", "a\n\"\"\"\n", "a,b\r", "a,b\n1,\"2\r\n3\"\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var want []csvResult
		cr := csv.NewReader(bytes.NewReader(data))
		cr.FieldsPerRecord = -1
		cr.LazyQuotes = true
		for {
			rec, err := cr.Read()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				want = append(want, csvResult{Err: err.Error()})
				var pe *csv.ParseError
				if errors.As(err, &pe) {
					continue
				}
				break
			}
			line, _ := cr.FieldPos(0)
			want = append(want, csvResult{Rec: rec, Line: line})
		}
		for _, size := range []int{16, 64 << 10} { // lines longer than the buffer go to encoding/csv
			if got := readFast(bufio.NewReaderSize(bytes.NewReader(data), size), nil); !reflect.DeepEqual(got, want) {
				t.Fatalf("input %q, buffer %d:\nfast %+v\ncsv  %+v", data, size, got, want)
			}
		}
		// Keeping fields 0 and 2: the others are empty (all are kept once the
		// fast path gives up).
		keep := []bool{true, false, true}
		got := readFast(bufio.NewReaderSize(bytes.NewReader(data), 64<<10), keep)
		if len(got) != len(want) {
			t.Fatalf("input %q, keeping 0 and 2: %d results, want %d", data, len(got), len(want))
		}
		for i, g := range got {
			w := want[i]
			masked := append([]string(nil), w.Rec...)
			for j := range masked {
				if j >= len(keep) || !keep[j] {
					masked[j] = ""
				}
			}
			if g.Line != w.Line || g.Err != w.Err || !reflect.DeepEqual(g.Rec, masked) && !reflect.DeepEqual(g.Rec, w.Rec) {
				t.Fatalf("input %q, keeping 0 and 2, record %d: %+v, want %+v with fields 0 and 2 or all", data, i, g, w)
			}
		}
	})
}

type csvResult struct {
	Rec  []string
	Line int
	Err  string
}

func readFast(br *bufio.Reader, keep []bool) []csvResult {
	var got []csvResult
	fr := newCSVReader(br)
	fr.Keep(keep)
	var flat []string // with keep, records are appended here, as ingest does
	for {
		var rec []string
		var err error
		if keep == nil {
			rec, err = fr.Read()
		} else {
			lo := len(flat)
			flat, err = fr.ReadInto(flat)
			rec = flat[lo:]
		}
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			got = append(got, csvResult{Err: err.Error()})
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				continue
			}
			break
		}
		got = append(got, csvResult{Rec: append([]string(nil), rec...), Line: fr.Line()})
	}
	return got
}
