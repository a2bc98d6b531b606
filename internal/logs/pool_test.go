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
