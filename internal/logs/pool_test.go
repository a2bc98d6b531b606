package logs

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"unsafe"
)

// TestReaderBuffersReused reads one-line CloudTrail streams larger than
// minPooled with a BufferPool: the records are those read without one, and
// the second stream is read into the buffer the first one gave back.
// (ReadFile maps such files instead: see TestReaderMapsFiles.)
func TestReaderBuffersReused(t *testing.T) {
	paths := pooledFiles(t)
	read := func(rd Reader) (string, []uintptr) {
		var b strings.Builder
		var bufs []uintptr
		for _, p := range paths {
			data, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			var first uintptr
			err = rd.Read(context.Background(), p, bytes.NewReader(data), func(rec Record) error {
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
	// Each stream's first event starts at the same offset of its buffer:
	// the same address means the buffer was lent again.
	if bufs[0] != bufs[1] || bufs[1] != bufs[2] {
		t.Errorf("streams read into buffers %x, want one buffer reused", bufs)
	}
	if len(pool.free) != 1 {
		t.Errorf("pool holds %d buffers after the reads, want 1", len(pool.free))
	}
}

// pooledFiles writes three one-line CloudTrail files larger than
// minPooled, each smaller than the one before.
func pooledFiles(t *testing.T) []string {
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
	return paths
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

// TestReaderMapsFiles: with a BufferPool, ReadFile maps a large
// uncompressed file instead of reading it into a buffer (Linux): the
// records are those read without a pool, and no buffer is taken from the
// pool. A file cut short while it is read is reported, not a crash.
func TestReaderMapsFiles(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("files are mapped on Linux only")
	}
	paths := pooledFiles(t)
	read := func(rd Reader) string {
		var b strings.Builder
		for _, p := range paths {
			if err := rd.ReadFile(context.Background(), p, func(rec Record) error {
				fmt.Fprintf(&b, "%s %d %d %s %d\n", rec.Source, rec.Line, rec.Offset, rec.Raw, len(rec.Members))
				return nil
			}, func(e InputError) { fmt.Fprintf(&b, "err %v\n", e) }); err != nil {
				t.Fatal(err)
			}
		}
		return b.String()
	}
	want := read(Reader{})
	pool := &BufferPool{}
	if got := read(Reader{Buffers: pool}); got != want {
		t.Fatalf("records of mapped files differ from those read")
	}
	if len(pool.free) != 0 {
		t.Errorf("pool holds %d buffers: the files were read, not mapped", len(pool.free))
	}

	// Cut the file to nothing at its first record: every page of the
	// mapping then faults.
	p := paths[0]
	var errs []InputError
	n := 0
	err := Reader{Buffers: pool}.ReadFile(context.Background(), p, func(rec Record) error {
		if n == 0 {
			if err := os.Truncate(p, 0); err != nil {
				t.Fatal(err)
			}
		}
		n++
		_ = bytes.Clone(rec.Raw) // faults once the file is cut
		return nil
	}, func(e InputError) { errs = append(errs, e) })
	if err != nil {
		t.Fatal(err)
	}
	if n != 1 || len(errs) != 1 || !strings.Contains(errs[0].Error(), "changed while it was read") {
		t.Fatalf("cut file: %d records, errors %v; want the first record, then the file reported", n, errs)
	}
}
