package logs

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/klauspost/compress/gzip"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// ErrNotAuditLog marks an input (a file, or events inside a file) whose
// content is not an audit log format vigil reads. InputErrors wrapping it have
// Skipped set: they are reported, not failures.
var ErrNotAuditLog = errors.New("not a recognised audit log format")

// ErrMalformed marks JSON that is malformed or truncated.
var ErrMalformed = errors.New("malformed JSON")

// ErrTooLarge marks an event larger than MaxEventBytes, skipped.
var ErrTooLarge = errors.New("event too large")

// MaxEventBytes bounds one event: the clouds' own limits are far below it
// (CloudTrail 256 KB, Cloud Logging 256 KB per entry, Azure Monitor about
// 1 MB), so a larger one is hostile or corrupt input. It is reported and
// skipped; the events around it are read.
const MaxEventBytes = 4 << 20

// InputError locates a problem in one input: a file that cannot be read, a
// truncated gzip stream, a malformed line or element, or (Skipped) content that
// is not an audit log. The records before and after it are still delivered
// where the input allows.
type InputError struct {
	File string
	// Line is 1-based, 0 when unknown. Offset is the byte offset in the
	// decompressed stream, -1 when the error is not at a position.
	Line   int
	Offset int64
	Err    error
	// Skipped is true when the input was passed over because it is not an
	// audit log (a README, an unrelated JSON file, unknown events) rather than
	// because it is broken.
	Skipped bool
}

func (e *InputError) Error() string {
	var b bytes.Buffer
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
	}
	if e.Offset >= 0 {
		fmt.Fprintf(&b, " (offset %d)", e.Offset)
	}
	if e.Skipped {
		b.WriteString(": skipped")
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

func (e *InputError) Unwrap() error { return e.Err }

// Walk reads every file under paths (files are read directly, directories
// walked recursively in lexical order, hidden entries below a directory
// skipped) and calls fn for each audit event, in input order, from the calling
// goroutine. Problems with one input are passed to onErr (may be nil) and the
// walk goes on. Walk returns only fn's error or the context's.
func Walk(ctx context.Context, paths []string, fn func(Record) error, onErr func(InputError)) error {
	return Reader{}.Walk(ctx, paths, fn, onErr)
}

// Reader reads audit logs of the sources of a registry: Walk, ReadFile and
// Read above are Reader{} (the built-in sources).
type Reader struct {
	// Sources are the sources recognised, in order; nil means Builtin().
	Sources *Registry
	// Buffers, when set, lends the reader its large read buffers (a
	// CloudTrail log file is read into one buffer of its size) and takes
	// them back when ReadFile or Read returns, so that a run over many
	// files reuses a few buffers instead of faulting in fresh memory for
	// every file (on a VM, first touches of fresh pages cost more than
	// reading the file). Record.Raw then points into a lent buffer: fn
	// must copy what it keeps after ReadFile or Read returns.
	Buffers *BufferPool
	// Hold, when set with Buffers, keeps the buffers lent for a file past
	// the end of ReadFile or Read: instead of giving them back, the reader
	// calls Hold once, as it returns, with the buffers (nil when none was
	// lent) and a function that gives them back to the pool. Record.Raw of
	// the file's records stays valid until the caller calls giveBack
	// (once); the caller may also never call it (the buffers are then
	// garbage collected once unreferenced).
	Hold func(lent [][]byte, giveBack func())
}

func (rd Reader) sources() *Registry {
	if rd.Sources == nil {
		return Builtin()
	}
	return rd.Sources
}

// Walk is Walk with rd's sources.
func (rd Reader) Walk(ctx context.Context, paths []string, fn func(Record) error, onErr func(InputError)) error {
	if onErr == nil {
		onErr = func(InputError) {}
	}
	for _, p := range ListFiles(paths, onErr) {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := rd.ReadFile(ctx, p, fn, onErr); err != nil {
			return err
		}
	}
	return nil
}

// ListFiles expands paths as Walk does: files as given, directories
// recursively in lexical order without hidden entries and non-regular files.
// Paths that cannot be read are reported to onErr.
func ListFiles(paths []string, onErr func(InputError)) []string {
	if onErr == nil {
		onErr = func(InputError) {}
	}
	var out []string
	for _, root := range paths {
		st, err := os.Stat(root)
		if err != nil {
			onErr(InputError{File: root, Offset: -1, Err: err})
			continue
		}
		if !st.IsDir() {
			out = append(out, root)
			continue
		}
		_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				onErr(InputError{File: p, Offset: -1, Err: err})
				if d != nil && d.IsDir() {
					return fs.SkipDir
				}
				return nil
			}
			if p != root && len(d.Name()) > 0 && d.Name()[0] == '.' {
				if d.IsDir() {
					return fs.SkipDir
				}
				return nil
			}
			if d.IsDir() {
				return nil
			}
			if !d.Type().IsRegular() {
				// Follow symlinks to regular files; skip devices, sockets etc.
				st, err := os.Stat(p)
				if err != nil || !st.Mode().IsRegular() {
					return nil
				}
			}
			out = append(out, p)
			return nil
		})
	}
	return out
}

// ReadFile reads one log file (gzip-compressed or not, detected from the
// content) and calls fn for each audit event. See Read.
func ReadFile(ctx context.Context, path string, fn func(Record) error, onErr func(InputError)) error {
	return Reader{}.ReadFile(ctx, path, fn, onErr)
}

// ReadFile is ReadFile with rd's sources.
func (rd Reader) ReadFile(ctx context.Context, path string, fn func(Record) error, onErr func(InputError)) error {
	if onErr == nil {
		onErr = func(InputError) {}
	}
	f, err := os.Open(path)
	if err != nil {
		onErr(InputError{File: path, Offset: -1, Err: err})
		return nil
	}
	defer f.Close()
	var size int64
	if st, err := f.Stat(); err == nil && st.Mode().IsRegular() && st.Size() > 0 {
		size = st.Size()
	}
	return rd.read(ctx, path, f, size, fn, onErr)
}

// maxHint caps the first buffer allocated from a file's size; maxKnown
// caps how far a buffer grows at once to hold the rest of a file of known
// size (beyond it, it doubles).
const (
	maxHint  = 16 << 20
	maxWhole = 128 << 20
	maxKnown = 1 << 30
)

// Read reads audit events from r (named name in records and errors). The
// stream may be gzip-compressed; the format is detected from the content:
//
//   - CloudTrail log files {"Records":[...]} and Azure diagnostic files
//     {"records":[...]} (one line or pretty-printed),
//   - JSON lines, one event per line, or JSON arrays of events: CloudTrail
//     events (bare, as CloudTrail Lake exports them, or in an EventBridge
//     envelope whose detail is the CloudTrail event), Azure Activity Log,
//     Entra ID sign-in and audit records, GCP LogEntry with an AuditLog
//     protoPayload (Google Workspace audit logs shared with Cloud Logging
//     included), Microsoft 365 audit records as the Office 365 Management
//     Activity API delivers them (content blobs are JSON arrays),
//   - other shapes of those events, converted to the source's own
//     (Descriptor.Shapes: Log Analytics OfficeActivity rows, Reports API
//     activities, BigQuery sink rows; Record.Shape names the shape),
//   - CSV exports (a first line that is a CSV header): the Purview audit
//     search export's AuditData column, or one event per row.
//
// Record.Raw is a slice of a buffer the reader never reuses or modifies, so
// fn may keep it (unless the Reader lends buffers: see Reader.Buffers). Read returns only fn's error or the context's; everything
// else goes to onErr.
func Read(ctx context.Context, name string, r io.Reader, fn func(Record) error, onErr func(InputError)) error {
	return Reader{}.Read(ctx, name, r, fn, onErr)
}

// Read is Read with rd's sources.
func (rd Reader) Read(ctx context.Context, name string, r io.Reader, fn func(Record) error, onErr func(InputError)) error {
	var size int64
	if l, ok := r.(interface{ Len() int }); ok { // bytes.Reader, strings.Reader, bytes.Buffer
		size = int64(l.Len())
	}
	return rd.read(ctx, name, r, size, fn, onErr)
}

// ReadData reads the audit events of one input held whole in memory (data,
// named name in records and errors) as Read reads a stream of the same
// bytes, and delivers the same records and errors. Gzip-compressed data is
// decompressed; uncompressed data is split where it lies, without a copy:
// Record.Raw points into data, which the reader neither modifies nor keeps,
// so fn may keep it as long as the caller keeps data unchanged (Buffers
// lends nothing here). A caller that already holds a file's bytes (to hash
// them, say) so reads the file once instead of twice.
func (rd Reader) ReadData(ctx context.Context, name string, data []byte, fn func(Record) error, onErr func(InputError)) error {
	if len(data) > 1 && (data[0] == 0x1f && data[1] == 0x8b || utf16BOM(data) || bytes.HasPrefix(data, avroMagic)) {
		return rd.read(ctx, name, bytes.NewReader(data), int64(len(data)), fn, onErr)
	}
	if onErr == nil {
		onErr = func(InputError) {}
	}
	s := &splitter{ctx: ctx, name: name, fn: fn, onErr: onErr, cls: newClassifier(rd.sources()), pool: rd.Buffers}
	// The whole stream is in the buffer already: the line reader never
	// reads, fills or lends.
	return s.runLines(&lineReader{buf: data, end: len(data), err: io.EOF, known: int64(len(data)), whole: true})
}

// read is Read for a stream of size bytes (0: unknown; for gzip streams
// the compressed size, a hint for the first buffer only).
func (rd Reader) read(ctx context.Context, name string, r io.Reader, size int64, fn func(Record) error, onErr func(InputError)) error {
	hint, known := int(min(size, maxHint)), size
	if size <= maxWhole {
		// A file up to maxWhole is read into one buffer of its size: a
		// CloudTrail log file is one line, and growing a buffer for it
		// copied the line and faulted in fresh pages again and again.
		hint = int(size)
	}
	if onErr == nil {
		onErr = func(InputError) {}
	}
	br := bufio.NewReaderSize(r, 64<<10)
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			onErr(InputError{File: name, Offset: -1, Err: fmt.Errorf("gzip: %w", err)})
			return nil
		}
		defer zr.Close()
		r = zr
		hint, known = min(hint*8, maxHint), 0
	} else if magic, _ := br.Peek(len(avroMagic)); bytes.Equal(magic, avroMagic) {
		// An Event Hubs Capture file: its records' bodies are read.
		bodies, err := avroBodies(br)
		if err != nil {
			onErr(InputError{File: name, Offset: -1, Err: err, Skipped: errors.Is(err, ErrAvroNoBody)})
			return nil
		}
		r = bodies
		hint, known = min(hint, maxHint), 0
	} else {
		r = br
	}
	var utf16 bool
	if r, utf16 = utf16Stream(r); utf16 {
		known = 0
	}
	s := &splitter{ctx: ctx, name: name, fn: fn, onErr: onErr, cls: newClassifier(rd.sources()), pool: rd.Buffers}
	if rd.Buffers != nil {
		s.hold = rd.Hold
	}
	return s.run(r, hint, known)
}

// utf16BOM reports whether b starts with a UTF-16 byte order mark (little
// or big endian).
func utf16BOM(b []byte) bool {
	return len(b) > 1 && (b[0] == 0xff && b[1] == 0xfe || b[0] == 0xfe && b[1] == 0xff)
}

// utf16Stream returns r decoded from UTF-16 to UTF-8 when it starts with a
// UTF-16 byte order mark: Windows PowerShell 5.1 writes Out-File and ">"
// output (ConvertTo-Json of Search-UnifiedAuditLog, Get-MgAuditLogSignIn,
// an Export-Csv -Encoding Unicode) as UTF-16 LE. Other streams, UTF-8
// with or without its mark, are read as they are (ok false). Offsets in
// errors and records are then of the decoded text, as they are of the
// decompressed text of a gzip stream.
func utf16Stream(r io.Reader) (io.Reader, bool) {
	if br, ok := r.(*bufio.Reader); ok {
		if mark, _ := br.Peek(2); !utf16BOM(mark) {
			return r, false
		}
	} else {
		// A decompressing reader: its first two bytes are read and put
		// back in front (its errors are sticky: the next Read repeats one).
		var mark [2]byte
		n, _ := io.ReadFull(r, mark[:])
		r = io.MultiReader(bytes.NewReader(mark[:n]), r)
		if !utf16BOM(mark[:n]) {
			return r, false
		}
	}
	return transform.NewReader(r, unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder()), true
}

// readErr reports a stream read error (e.g. truncated gzip) at offset off.
func (s *splitter) readErr(err error, off int64) {
	s.onErr(InputError{File: s.name, Offset: off, Err: fmt.Errorf("read: %w", err)})
}
