package logs

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/tidwall/gjson"
)

// FuzzRead feeds arbitrary streams to the reader: it must not panic, every
// record must be one valid JSON object found at its offset, and Normalize
// must not panic on any of them.
func FuzzRead(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join("testdata", "samples", "*"))
	shapes, _ := filepath.Glob(filepath.Join("testdata", "shapes", "*"))
	seeds = append(seeds, shapes...)
	for _, s := range seeds {
		if d, err := os.ReadFile(s); err == nil {
			f.Add(d)
		}
	}
	f.Add([]byte(`{"Records":[` + ct("A", "1") + `,` + ct("B", "2") + `]}`))
	f.Add([]byte("[\n" + ct("A", "1") + "\n]"))
	f.Add([]byte(`{"records":[{"category":"SignInLogs","time":"2024-01-01T00:00:00Z"}]}`))
	f.Add([]byte(`{"detail-type":"x","detail":` + ct("A", "1") + `}`))
	f.Add([]byte("\xef\xbb\xbf" + ct("A", "1") + "\n{\"broken\": \n"))
	f.Add([]byte(`{"Records":[{"a":"\"}"},`))
	f.Add(utf16Bytes(`{"Records":[`+ct("A", "1")+`]}`+"\n", false))
	f.Add(utf16Bytes("RecordId,AuditData\n1,\"{\"\"a\"\":1}\"\n", true))
	// A first line longer than longLine: validated where it lies.
	long := `{"Records":[` + ct("A", "1")
	for i := 0; len(long) <= longLine; i++ {
		long += `,` + ct("B", strconv.Itoa(i))
	}
	f.Add([]byte(long + "]}\n" + ct("C", "2") + "\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		// A stream of known size reads as one of unknown size does.
		if fast, slow := readAll(t, bytes.NewReader(data)), readAll(t, onlyReader{bytes.NewReader(data)}); fast != slow {
			t.Fatalf("known-size read differs from line-by-line read:\n%s\n---\n%s", fast, slow)
		} else if whole := readAllData(t, data); whole != slow {
			t.Fatalf("ReadData differs from line-by-line read:\n%s\n---\n%s", whole, slow)
		}
		// Decompressed or decoded (UTF-16, Avro bodies) input: offsets are of the text
		// read, not of data.
		gz := len(data) > 1 && data[0] == 0x1f && data[1] == 0x8b || utf16BOM(data) || bytes.HasPrefix(data, avroMagic)
		err := Read(context.Background(), "fuzz", bytes.NewReader(data), func(r Record) error {
			if !gjson.ValidBytes(r.Raw) || len(r.Raw) == 0 || r.Raw[0] != '{' {
				t.Fatalf("record is not a JSON object: %q", r.Raw)
			}
			if r.Shape != "" {
				// Converted from another shape: Offset locates the original.
				if !gz && (r.Offset < 0 || r.Offset >= int64(len(data))) {
					t.Fatalf("offset %d is outside the input", r.Offset)
				}
			} else if !gz {
				end := r.Offset + int64(len(r.Raw))
				if r.Offset < 0 || end > int64(len(data)) || !bytes.Equal(data[r.Offset:end], r.Raw) {
					t.Fatalf("offset %d does not locate the record", r.Offset)
				}
			}
			_, _ = Normalize(r)
			return nil
		}, func(e InputError) {
			if e.File != "fuzz" || e.Err == nil {
				t.Fatalf("bad InputError %+v", e)
			}
		})
		if err != nil {
			t.Fatalf("Read returned %v", err)
		}
	})
}
