package logs

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unsafe"
)

// TestReaderBuffersReused reads one-line CloudTrail files larger than
// minPooled with a BufferPool: the records are those read without one, and
// the second file is read into the buffer the first one gave back.
func TestReaderBuffersReused(t *testing.T) {
	dir := t.TempDir()
	var paths []string
	for f := range 3 {
		// Each file smaller than the one before: its buffer fits.
		var recs []string
		for i, n := 0, 0; n < minPooled+(2-f)*1000; i++ {
			recs = append(recs, ct("CreateUser", fmt.Sprintf("id-%d-%05d", f, i)))
			n += len(recs[i]) + 1
		}
		p := filepath.Join(dir, fmt.Sprintf("f%d.json", f))
		if err := os.WriteFile(p, []byte(`{"Records":[`+strings.Join(recs, ",")+`]}`), 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	read := func(rd Reader) (string, []uintptr) {
		var b strings.Builder
		var bufs []uintptr
		for _, p := range paths {
			var first uintptr
			err := rd.ReadFile(context.Background(), p, func(rec Record) error {
				if first == 0 {
					first = uintptr(unsafe.Pointer(unsafe.SliceData(rec.Raw)))
				}
				fmt.Fprintf(&b, "%s %d %d %s\n", rec.Source, rec.Line, rec.Offset, rec.Raw)
				return nil
			}, func(e InputError) { fmt.Fprintf(&b, "err %v\n", e) })
			if err != nil {
				t.Fatal(err)
			}
			bufs = append(bufs, first)
		}
		return b.String(), bufs
	}
	want, _ := read(Reader{})
	pool := &BufferPool{}
	got, bufs := read(Reader{Buffers: pool})
	if got != want {
		t.Fatalf("records read with a BufferPool differ from those read without")
	}
	if strings.Count(got, "\n") < 3*1000 || strings.Contains(got, "err ") {
		t.Fatalf("unexpected read: %d lines", strings.Count(got, "\n"))
	}
	// Each file's first event starts at the same offset of its buffer:
	// the same address means the buffer was lent again.
	if bufs[0] != bufs[1] || bufs[1] != bufs[2] {
		t.Errorf("files read into buffers %x, want one buffer reused", bufs)
	}
	if len(pool.free) != 1 {
		t.Errorf("pool holds %d buffers after the reads, want 1", len(pool.free))
	}
}

// TestReaderHoldBuffers: with Reader.Hold, a file's lent buffer stays out
// of the pool (its records intact while another file is read) until the
// caller gives it back; then the next file reuses it.
func TestReaderHoldBuffers(t *testing.T) {
	dir := t.TempDir()
	var paths []string
	for f := range 3 {
		var recs []string
		for i, n := 0, 0; n < minPooled+1000; i++ {
			recs = append(recs, ct("CreateUser", fmt.Sprintf("id-%d-%05d", f, i)))
			n += len(recs[i]) + 1
		}
		p := filepath.Join(dir, fmt.Sprintf("f%d.json", f))
		if err := os.WriteFile(p, []byte(`{"Records":[`+strings.Join(recs, ",")+`]}`), 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	pool := &BufferPool{}
	var (
		held     [][]byte
		giveBack func()
	)
	rd := Reader{Buffers: pool, Hold: func(lent [][]byte, gb func()) {
		if giveBack != nil {
			t.Fatal("Hold called again before the first buffers were given back")
		}
		held, giveBack = lent, gb
	}}
	read := func(p string) (first []byte, raws []string) {
		t.Helper()
		err := rd.ReadFile(context.Background(), p, func(rec Record) error {
			if first == nil {
				first = rec.Raw
			}
			raws = append(raws, string(rec.Raw))
			return nil
		}, func(e InputError) { t.Errorf("input error %v", e) })
		if err != nil {
			t.Fatal(err)
		}
		return first, raws
	}
	first0, raws0 := read(paths[0])
	if len(held) != 1 || giveBack == nil {
		t.Fatalf("Hold got %d buffers, want the one lent", len(held))
	}
	if len(pool.free) != 0 {
		t.Fatalf("pool holds %d buffers while the file's buffer is held, want 0", len(pool.free))
	}
	gb := giveBack
	giveBack = nil
	first1, _ := read(paths[1])
	if unsafe.SliceData(first1) == unsafe.SliceData(first0) {
		t.Fatal("a held buffer was lent again")
	}
	if string(first0) != raws0[0] {
		t.Fatalf("a record of the held buffer changed: %.80s", first0)
	}
	gb()
	giveBack()
	if len(pool.free) != 2 {
		t.Fatalf("pool holds %d buffers after both were given back, want 2", len(pool.free))
	}
	giveBack = nil
	first2, _ := read(paths[2])
	if p := unsafe.SliceData(first2); p != unsafe.SliceData(first0) && p != unsafe.SliceData(first1) {
		t.Error("the third file did not reuse a buffer given back")
	}
}

// TestBufferPoolBounded keeps at most maxPooledBuffers, the largest ones.
func TestBufferPoolBounded(t *testing.T) {
	p := &BufferPool{}
	for i := range maxPooledBuffers + 2 {
		p.put(make([]byte, minPooled+i))
	}
	p.put(make([]byte, 10)) // too small to keep
	if len(p.free) != maxPooledBuffers {
		t.Fatalf("pool holds %d buffers, want %d", len(p.free), maxPooledBuffers)
	}
	for _, b := range p.free {
		if cap(b) < minPooled+2 {
			t.Errorf("pool kept a %d-byte buffer over larger ones", cap(b))
		}
	}
	if b := p.get(minPooled + 3); cap(b) != minPooled+3 || len(b) != minPooled+3 {
		t.Errorf("get(%d) = len %d cap %d, want the best fit", minPooled+3, len(b), cap(b))
	}
}

// TestReadDataSameAsReadFile reads the sample files, the corpus's
// CloudTrail files and a one-line file larger than maxWhole both with
// ReadFile and, from their bytes, with ReadData: the same records (members
// included) and errors; ReadData's uncompressed records lie in the data
// given, uncopied.
func TestReadDataSameAsReadFile(t *testing.T) {
	paths, _ := filepath.Glob(filepath.Join("testdata", "samples", "*"))
	shapes, _ := filepath.Glob(filepath.Join("testdata", "shapes", "*"))
	paths = append(paths, shapes...)
	if dir := filepath.Join("..", "..", "..", "shared", "corpus", "logs", "aws_cloudtrail", "invictus-aws_dataset"); dirExists(dir) {
		paths = append(paths, ListFiles([]string{dir}, nil)...)
	}
	// Larger than maxWhole: ReadFile reads it line by line, ReadData
	// validates it where it lies.
	var recs []string
	for i, n := 0, 0; n <= maxWhole; i++ {
		recs = append(recs, ct("CreateUser", fmt.Sprintf("id-%07d", i)))
		n += len(recs[i]) + 1
	}
	big := filepath.Join(t.TempDir(), "big.json")
	if err := os.WriteFile(big, []byte(`{"Records":[`+strings.Join(recs, ",")+`]}`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	paths = append(paths, big)
	if len(paths) < 5 {
		t.Fatalf("only %d inputs", len(paths))
	}
	for _, p := range paths {
		dump := func(b *strings.Builder, rec Record) {
			if p == big {
				// 200,000 records: their place, size and members only.
				fmt.Fprintf(b, "%d %d %d %v\n", rec.Line, rec.Offset, len(rec.Raw), rec.Members)
				return
			}
			fmt.Fprintf(b, "%s %d %d %v %q %v\n", rec.Source, rec.Line, rec.Offset, rec.Time, rec.Raw, rec.Members)
		}
		var want, got strings.Builder
		err := Reader{}.ReadFile(context.Background(), p, func(rec Record) error { dump(&want, rec); return nil },
			func(e InputError) { fmt.Fprintf(&want, "err %v\n", e) })
		if err != nil {
			t.Fatal(err)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		// Decompressed or decoded input (gzip, Avro bodies) is not split
		// where it lies.
		gz := len(data) > 1 && data[0] == 0x1f && data[1] == 0x8b || string(data[:min(4, len(data))]) == string(avroMagic)
		n := 0
		err = Reader{Buffers: &BufferPool{}}.ReadData(context.Background(), p, data, func(rec Record) error {
			dump(&got, rec)
			n++
			if !gz && rec.Shape == "" && &data[rec.Offset] != &rec.Raw[0] {
				t.Fatalf("%s: record at %d is not in the data given", p, rec.Offset)
			}
			return nil
		}, func(e InputError) { fmt.Fprintf(&got, "err %v\n", e) })
		if err != nil {
			t.Fatal(err)
		}
		if got.String() != want.String() {
			t.Fatalf("%s: ReadData differs from ReadFile:\n--- ReadData\n%.2000s\n--- ReadFile\n%.2000s", p, got.String(), want.String())
		}
		if p == big && n != len(recs) {
			t.Fatalf("big file: %d records, want %d", n, len(recs))
		}
	}
}

func dirExists(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.IsDir()
}
