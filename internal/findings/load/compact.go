package load

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"runtime"
	"runtime/debug"
	"slices"
	"sort"
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/vigil-sec/vigil/internal/finding"
	"github.com/vigil-sec/vigil/internal/findings"
	"github.com/vigil-sec/vigil/internal/resource"
)

// smallFile is the size under which a file's content is kept in memory
// with its raw records rather than left in the file (RawInFiles): a file
// of one event costs less kept than open, and many small files would
// otherwise each hold a descriptor until the findings are written.
const smallFile = 1 << 20

// largeFile is the size from which a read buffer is made to the file's
// size instead of twice the last (see readInto).
const largeFile = 64 << 20

// readCompact reads the files in two passes that never hold more than a
// file or two of content at a time, for imports that do not keep the raw
// records in memory (WithoutRaw, RawInFiles): the first splits every file
// into records (on every core, each worker mapping its file, or reading a
// small one into a buffer it reuses), which counts them; the second maps
// or reads each file again, decodes
// its records on every core into one slice of exactly one slot a record,
// and copies each finding's strings out of the content into compact
// blocks, so that the content can be dropped. Raw records are dropped, or
// located in their file (findings.RawRef); a gzip or small file's content
// is kept with its raw records instead.
func readCompact(ctx context.Context, res *Result, list []string, o options) {
	ins := make([]input, len(list))
	workers := max(1, min(len(list), runtime.GOMAXPROCS(0)))
	bufs := make([][]byte, workers)
	eachWorker(len(list), workers, func(w, i int) {
		in := &ins[i]
		in.file, in.dropRaw = list[i], o.dropRaw
		if ctx.Err() != nil {
			in.err = ctx.Err()
			return
		}
		c, err := readInto(in.file, &bufs[w])
		if err != nil {
			in.err = err
			return
		}
		in.info = c.info
		if c.mapped {
			defer unmap(c.data)
		}
		in.err = guard(func() {
			in.split(c.data)
			switch {
			case in.csv != nil || len(in.spans) == 0:
			case !o.dropRaw && c.gz:
				in.kept = c.data // decompressed: its own memory
			case !o.dropRaw && len(c.data) < smallFile:
				in.kept = slices.Clone(c.data)
			}
			in.data = in.kept // the others are read again in the second pass
		})
	})
	// The second pass maps each file again, or reads it again into one
	// buffer (a small file whose raw records are dropped, a gzip file):
	// the largest, which held the largest file read (the others are
	// dropped).
	shared := bufs[0]
	for _, b := range bufs {
		if cap(b) > cap(shared) {
			shared = b
		}
	}
	bufs = nil

	base := bases(ins)
	total := base[len(ins)]
	out := make([]findings.Finding, total)
	hugePages(out)
	prefault(out)
	st := make([]parsed, total)
	hugePages(st)
	arenas := make([]arena, runtime.GOMAXPROCS(0))
	var mapped []byte // the mapping of the file being decoded
	for i := range ins {
		in := &ins[i]
		if in.err != nil || base[i+1] == base[i] {
			continue
		}
		if ctx.Err() != nil {
			in.err = ctx.Err()
			continue
		}
		if in.csv != nil {
			copy(out[base[i]:], in.csv.Findings)
			for k := base[i]; k < base[i+1]; k++ {
				st[k].found = true
			}
			in.csv.Findings = nil
			continue
		}
		data := in.kept
		var rf *findings.RawFile
		if data == nil {
			c, err := readInto(in.file, &shared)
			if err == nil && (c.info.Size() != in.info.Size() || !c.info.ModTime().Equal(in.info.ModTime())) {
				err = errors.New("changed while it was read")
				if c.mapped {
					unmap(c.data)
				}
			}
			if err != nil {
				in.err = err
				continue
			}
			data = c.data
			if c.mapped {
				mapped = data
			}
			if !o.dropRaw {
				rf = findings.NewRawFile(in.file, in.info)
				res.rawFiles = append(res.rawFiles, rf)
			}
		}
		decodeFile(in, data, base[i], base[i+1], out, st, arenas, rf, mapped != nil)
		if mapped != nil {
			unmap(mapped)
			mapped = nil
		}
		in.data = nil
	}
	collect(res, ins, base, out, st, o.dropRaw)
}

// decodeWindow is how many bytes of a mapped file's records are decoded
// before their pages are dropped from the process's memory (dropPages);
// a variable for the tests.
var decodeWindow = 64 << 20

// decodeFile decodes the records of one input, whose content is data,
// into out[lo:hi] and st[lo:hi] on every core, and copies each finding's
// strings out of data when data is not kept (in.kept nil), locating its
// raw record in rf (none when rf is nil). A mapped file's records are
// decoded a window at a time, each window's pages dropped after it; a
// fault reading the mapping (the file cut short meanwhile) leaves the
// input's error set.
func decodeFile(in *input, data []byte, lo, hi int, out []findings.Finding, st []parsed, arenas []arena, rf *findings.RawFile, mapped bool) {
	const chunk = 256
	var faulted atomic.Pointer[error]
	for w0 := lo; w0 < hi; {
		w1 := hi
		if mapped {
			limit := in.spans[w0-lo].start + decodeWindow
			w1 = lo + sort.Search(hi-lo, func(j int) bool { return in.spans[j].end > limit })
			w1 = max(w1, w0+1)
		}
		eachWorker((w1-w0+chunk-1)/chunk, len(arenas), func(w, c int) {
			a := &arenas[w]
			err := guard(func() {
				for k := w0 + c*chunk; k < min(w0+(c+1)*chunk, w1); k++ {
					sp := in.spans[k-lo]
					st[k] = recordAt(data, sp, &out[k], findings.Refer)
					if in.kept != nil {
						continue
					}
					a.from(data)
					if st[k].found {
						a.detach(&out[k], data, rf)
					}
					for j := range st[k].more {
						a.detach(&st[k].more[j], data, rf)
					}
					if st[k].err != nil { // its message may quote the content
						st[k].err = errors.New(st[k].err.Error())
					}
				}
			})
			if err != nil {
				faulted.Store(&err)
			}
		})
		if mapped && w1 < hi {
			dropPages(data[in.spans[w0-lo].start:in.spans[w1-1-lo].end])
		}
		w0 = w1
	}
	if err := faulted.Load(); err != nil {
		in.err = *err
	}
}

// guard calls fn, turning a fault reading a mapped file (one cut short
// while it was read) into an error instead of a crash.
func guard(fn func()) (err error) {
	old := debug.SetPanicOnFault(true)
	defer func() {
		debug.SetPanicOnFault(old)
		if r := recover(); r != nil {
			if _, ok := r.(interface{ Addr() uintptr }); !ok {
				panic(r)
			}
			err = fmt.Errorf("changed while it was read: %v", r)
		}
	}()
	fn()
	return nil
}

// content is a file's content as readInto read it.
type content struct {
	data []byte
	info fs.FileInfo
	// gz is set when data was decompressed (into memory of its own).
	gz bool
	// mapped is set when data is a mapping of the file (mapFile): unmap
	// it when done.
	mapped bool
}

// readInto maps a file of smallFile or more into memory (mapFile), or
// reads it into *buf (grown as needed and reused from call to call), or
// a gzip file into memory of its own (gz set).
func readInto(path string, buf *[]byte) (c content, err error) {
	f, err := os.Open(path)
	if err != nil {
		return c, err
	}
	defer f.Close()
	if c.info, err = f.Stat(); err != nil {
		return c, err
	}
	n := int(c.info.Size())
	if n >= smallFile {
		c.data, c.mapped = mapFile(f, n)
	}
	if !c.mapped {
		if cap(*buf) < n {
			// Doubled, so that files growing in size do not each take a
			// new buffer; but a large file gets its size: the capacity
			// beyond it is touched anyway when the memory is reused (the
			// runtime clears it), and with a few files of hundreds of MiB
			// a doubled buffer added hundreds of MiB to the peak,
			// depending on which worker read which file.
			c := n
			if n < largeFile {
				c = min(max(n, 2*cap(*buf)), largeFile)
			}
			*buf = make([]byte, n, c)
			hugePages(*buf)
		}
		c.data = (*buf)[:n]
		if _, err = io.ReadFull(f, c.data); err != nil {
			return content{}, err
		}
	}
	if len(c.data) > 2 && c.data[0] == 0x1f && c.data[1] == 0x8b {
		var data []byte
		var zerr error
		if err := guard(func() {
			var zr *gzip.Reader
			if zr, zerr = gzip.NewReader(bytes.NewReader(c.data)); zerr == nil {
				data, zerr = io.ReadAll(zr)
			}
		}); err != nil {
			zerr = err
		}
		if c.mapped {
			unmap(c.data)
		}
		if zerr != nil {
			return content{}, fmt.Errorf("gzip: %w", zerr)
		}
		return content{data: data, info: c.info, gz: true}, nil
	}
	return c, nil
}

// prefault writes the zeros of a new slice on every core before it is
// filled: memory the garbage collector reads before it is written is
// mapped to the kernel's zero page, and each first write to such a page
// then costs a copy-on-write fault and a TLB shootdown on every core,
// several times a plain fault.
func prefault(s []findings.Finding) {
	const chunk = 4096
	eachIndex((len(s)+chunk-1)/chunk, func(c int) {
		clear(s[c*chunk : min((c+1)*chunk, len(s))])
	})
}

// eachWorker calls fn(w, 0) ... fn(w, n-1) on up to workers goroutines,
// w the goroutine's number (0 <= w < workers).
func eachWorker(n, workers int, fn func(w, i int)) {
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := range min(n, workers) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := int(next.Add(1) - 1); i < n; i = int(next.Add(1) - 1) {
				fn(w, i)
			}
		}()
	}
	wg.Wait()
}

// arena holds copies of the strings of findings decoded from a buffer
// that is reused: in blocks, without an allocation a string, and with the
// values that recur from finding to finding (titles, descriptions, types,
// accounts, regions, versions) copied once.
type arena struct {
	lo, hi uintptr // the buffer strings are copied out of
	block  []byte
	intern map[string]string
}

const (
	arenaBlock = 256 << 10
	internMax  = 1 << 16 // values remembered before starting over
)

// from makes data the buffer whose strings are copied.
func (a *arena) from(data []byte) {
	a.lo = uintptr(unsafe.Pointer(unsafe.SliceData(data)))
	a.hi = a.lo + uintptr(len(data))
}

func (a *arena) in(s string) bool {
	p := uintptr(unsafe.Pointer(unsafe.StringData(s)))
	return len(s) > 0 && p >= a.lo && p < a.hi
}

// str copies s if it is part of the buffer.
func (a *arena) str(s string) string {
	if !a.in(s) {
		return s
	}
	return a.copy(s)
}

func (a *arena) copy(s string) string {
	if len(s) > arenaBlock/8 {
		return string([]byte(s))
	}
	if len(a.block)+len(s) > cap(a.block) {
		a.block = make([]byte, 0, arenaBlock)
	}
	start := len(a.block)
	a.block = append(a.block, s...)
	return unsafe.String(&a.block[start], len(s))
}

// common is str for a value that recurs: copied once.
func (a *arena) common(s string) string {
	if !a.in(s) {
		return s
	}
	if v, ok := a.intern[s]; ok {
		return v
	}
	if a.intern == nil || len(a.intern) >= internMax {
		a.intern = make(map[string]string, 1024)
	}
	v := a.copy(s)
	a.intern[v] = v
	return v
}

func (a *arena) commons(ss []string) {
	for i, s := range ss {
		if a.in(s) {
			ss[i] = a.common(s)
		}
	}
}

// detach copies the finding's strings out of the buffer data and replaces
// its raw record (a part of data) by its place in rf (none when rf is
// nil).
func (a *arena) detach(f *findings.Finding, data []byte, rf *findings.RawFile) {
	if len(f.Raw) > 0 {
		off := uintptr(unsafe.Pointer(unsafe.SliceData(f.Raw))) - a.lo
		switch {
		case off >= uintptr(len(data)) || int(off)+len(f.Raw) > len(data):
			f.Raw = bytes.Clone(f.Raw) // not a part of the buffer: kept as it is
		case rf != nil:
			f.RawAt = findings.RawRef{File: rf, Off: int64(off), Len: len(f.Raw)}
			f.Raw = nil
		default:
			f.Raw = nil
		}
	}
	a.strings(f)
}

// own copies every string of f (a finding whose strings are parts of
// larger ones, such as a CSV row's line) into the arena.
func (a *arena) own(f *findings.Finding) {
	a.lo, a.hi = 1, ^uintptr(0)
	a.strings(f)
}

// strings copies the finding's strings that are part of the buffer.
func (a *arena) strings(f *findings.Finding) {
	f.Product = findings.Product(a.common(string(f.Product)))
	f.Kind = findings.Kind(a.common(string(f.Kind)))
	f.ID = a.str(f.ID)
	f.Title = a.common(f.Title)
	f.Description = a.common(f.Description)
	f.Origin = a.common(f.Origin)
	f.Type = a.common(f.Type)
	f.Severity = finding.Severity(a.common(string(f.Severity)))
	f.OriginalSeverity = a.common(f.OriginalSeverity)
	f.Status = findings.Status(a.common(string(f.Status)))
	f.OriginalStatus = a.common(f.OriginalStatus)
	r := &f.Resource
	r.Provider = resource.Provider(a.common(string(r.Provider)))
	r.Account = a.common(r.Account)
	r.Region = a.common(r.Region)
	r.ID = a.str(r.ID)
	r.Type = a.common(r.Type)
	r.Name = a.str(r.Name)
	r.AttackPath = a.common(r.AttackPath)
	if v := f.Vuln; v != nil {
		v.ID = a.common(v.ID)
		v.Vector = a.common(v.Vector)
		v.CVSSVer = a.common(v.CVSSVer)
		v.FixAvailable = a.common(v.FixAvailable)
		for i := range v.Packages {
			p := &v.Packages[i]
			p.Name = a.common(p.Name)
			p.Version = a.common(p.Version)
			p.FixedVersion = a.common(p.FixedVersion)
			p.Manager = a.common(p.Manager)
			p.Path = a.common(p.Path)
		}
		a.commons(v.References)
	}
	a.commons(f.Requirements)
	a.commons(f.Principals)
	f.VigilRule = a.common(f.VigilRule)
	a.commons(f.Sources)
	a.commons(f.LinkedAlerts)
	f.Source.File = a.str(f.Source.File)
}
