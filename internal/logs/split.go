package logs

import (
	"github.com/vigil-sec/vigil/internal/logs/internal/norm"
	"strings"

	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"unsafe"

	"github.com/vigil-sec/vigil/internal/logs/logsource"
)

// Chunks start small (most log files are small) and grow to chunkSize;
// a line longer than that doubles the next chunk.
const (
	firstChunk = 64 << 10
	chunkSize  = 256 << 10
)

// lineReader hands out lines as slices of chunk buffers that are never
// reused, so a line stays valid after the next call. There is no line length
// limit: a line longer than a chunk grows the next chunk.
type lineReader struct {
	r     io.Reader
	buf   []byte
	start int
	end   int
	off   int64 // stream offset of buf[start]
	line  int   // line number of the line starting at buf[start] minus 1
	err   error // sticky read error (io.EOF at the end)
	first int   // size of the first buffer (0: firstChunk)
	// known is the stream's length when known (an uncompressed file),
	// else 0: a line longer than the buffer then grows it once to hold
	// the rest of the stream instead of doubling (each doubling copied
	// the line so far and faulted in fresh pages: a third of detect's
	// time on 40 MB CloudTrail files).
	known int64
	// pool, when set, lends large buffers; lent lists those taken, given
	// back by release.
	pool *BufferPool
	lent [][]byte
	// whole says buf holds the whole stream, read before (see
	// Reader.ReadData): err is io.EOF and nothing is read, filled or lent.
	whole bool
}

// alloc returns a buffer of n bytes, from the pool when there is one and
// the buffer is large (contents undefined: only bytes read are used).
func (lr *lineReader) alloc(n int) []byte {
	if lr.pool == nil || n < minPooled {
		return make([]byte, n)
	}
	b := lr.pool.get(n)
	lr.lent = append(lr.lent, b)
	return b
}

// release gives the lent buffers back to the pool: no record handed out
// may be used after it. With hold set (Reader.Hold), hold gets them and
// the function that gives them back instead.
func (lr *lineReader) release(hold func([][]byte, func())) {
	lent, pool := lr.lent, lr.pool
	lr.lent, lr.buf = nil, nil
	giveBack := func() {
		for _, b := range lent {
			pool.put(b)
		}
	}
	if hold != nil {
		hold(lent, giveBack)
		return
	}
	giveBack()
}

// next returns the next line without its '\n', its stream offset and 1-based
// number. ok is false at the end of the stream (check lr.err).
func (lr *lineReader) next() (line []byte, off int64, n int, ok bool) {
	scanFrom := lr.start
	for {
		if i := bytes.IndexByte(lr.buf[scanFrom:lr.end], '\n'); i >= 0 {
			e := scanFrom + i
			line, off = lr.buf[lr.start:e], lr.off
			lr.off += int64(e + 1 - lr.start)
			lr.start = e + 1
			lr.line++
			return line, off, lr.line, true
		}
		if lr.err != nil {
			if lr.start < lr.end {
				line, off = lr.buf[lr.start:lr.end], lr.off
				lr.off += int64(lr.end - lr.start)
				lr.start = lr.end
				lr.line++
				return line, off, lr.line, true
			}
			return nil, lr.off, lr.line, false
		}
		scanned := lr.end - lr.start
		lr.fill()
		scanFrom = lr.start + scanned
	}
}

// fill moves the pending bytes into a fresh buffer with free room and reads
// into it once. lr.start0 reports how far the pending bytes
// moved (so callers can translate indexes).
func (lr *lineReader) fill() {
	if lr.buf != nil && lr.end < len(lr.buf) {
		// Room left: append to the current buffer (bytes past end were never
		// handed out).
		lr.readOnce()
		return
	}
	pending := lr.end - lr.start
	size := chunkSize
	if lr.buf == nil {
		size = firstChunk
		if lr.first > 0 {
			// Room for the whole (small) file plus one byte to see EOF
			// without growing.
			size = lr.first + 1
		}
	}
	if pending*2 > size {
		// A long line: grow geometrically so it is copied O(log n) times,
		// or at once to the rest of a stream of known length.
		size = pending * 2
		if rest := lr.known - lr.off + 1; lr.known > 0 && rest > int64(size) && rest <= maxKnown {
			size = int(rest)
		}
	}
	nb := lr.alloc(size)
	copy(nb, lr.buf[lr.start:lr.end])
	lr.buf, lr.start, lr.end = nb, 0, pending
	lr.readOnce()
}

// readOnce reads into the free room of buf until it gets bytes or an error.
func (lr *lineReader) readOnce() {
	for lr.end < len(lr.buf) && lr.err == nil {
		n, err := lr.r.Read(lr.buf[lr.end:])
		lr.end += n
		if err != nil {
			lr.err = err
		}
		if n > 0 {
			break
		}
	}
}

// rest returns all remaining bytes of the stream (after the last line
// returned) in one fresh buffer, reading to the end.
func (lr *lineReader) rest() []byte {
	for lr.err == nil {
		lr.fill()
		for lr.end < len(lr.buf) && lr.err == nil {
			n, err := lr.r.Read(lr.buf[lr.end:])
			lr.end += n
			if err != nil {
				lr.err = err
			}
		}
	}
	b := lr.buf[lr.start:lr.end]
	lr.start = lr.end
	return b
}

type splitter struct {
	ctx   context.Context
	name  string
	fn    func(Record) error
	onErr func(InputError)
	cls   *classifier
	// pool lends large read buffers (Reader.Buffers), or is nil; hold
	// keeps them past the end of the file (Reader.Hold), or is nil.
	pool *BufferPool
	hold func([][]byte, func())

	// base is the stream offset of doc[0]; doc is the buffer positions refer
	// to in document mode, with lineAt/lineOff caching line counting.
	doc      []byte
	base     int64
	line0    int // line number of doc[0]
	lineAt   int
	lineNum  int
	lineMode bool
	curLine  int // in line mode, the current line number

	events  int
	unknown int
	unkLine int
	unkOff  int64
	unkKeys []string
	// unkWhy says why the first unknown event is not an audit event when
	// a shape knew its envelope (logsource.ErrNotAudit).
	unkWhy    string
	stopErr   error
	truncated bool
	// csvShape names the CSV rows being read ("CSV row", "CSV AuditData
	// column"), "" outside CSV files.
	csvShape string
	// In line mode, whether the current line (one whole value) is valid
	// JSON is known before it is split: lineKnown, lineValid.
	lineKnown bool
	lineValid bool
	// stream is set while streamFirstLine hands out a long first line's
	// events.
	stream bool
	// marks holds the event array's element bounds found while the line
	// was validated (see lineSpan).
	marks elemMarks
}

var errStop = errors.New("stop")

func (s *splitter) run(r io.Reader, hint int, known int64) error {
	lr := &lineReader{r: r, first: hint, known: known, pool: s.pool}
	defer lr.release(s.hold)
	return s.runLines(lr)
}

// runLines splits the stream lr reads.
func (s *splitter) runLines(lr *lineReader) error {
	if s.pool != nil {
		s.marks = s.pool.getMarks()
		defer func() { s.pool.putMarks(s.marks) }()
	}
	if done, stop := s.streamFirstLine(lr); stop {
		return s.stopErr
	} else if done {
		// Line mode, the first line's events validated and handed out
		// one by one (see streamFirstLine).
		if !s.lines(lr) {
			return s.stopErr
		}
		s.finish(lr, lr.off)
		return s.stopErr
	}
	if v, off, valid, ok := s.longFirstLine(lr); ok {
		// Line mode, the first line validated where it lies (a one-line
		// CloudTrail file: no separate pass to find its end).
		s.lineMode = true
		s.lineKnown, s.lineValid = true, valid
		if s.value(v, 0, off, 1) != nil {
			return s.stopErr
		}
		if !s.lines(lr) {
			return s.stopErr
		}
		s.finish(lr, lr.off)
		return s.stopErr
	}
	// Find the first non-blank line to choose between line and document mode.
	var (
		first []byte
		off   int64
		n     int
		ok    bool
	)
	for {
		first, off, n, ok = lr.next()
		if !ok {
			s.finish(lr, off)
			return s.stopErr
		}
		if n == 1 && bytes.HasPrefix(first, []byte("\xef\xbb\xbf")) {
			first, off = first[3:], off+3
		}
		lead := norm.SkipWS(first, 0)
		if lead < len(first) {
			first, off = first[lead:], off+int64(lead)
			break
		}
	}
	if first[0] != '{' && first[0] != '[' && looksCSV(first) {
		// A CSV export (Microsoft 365 audit search, Log Analytics).
		rest := lr.rest()
		s.truncated = lr.err != nil && lr.err != io.EOF
		doc := make([]byte, 0, len(first)+1+len(rest))
		doc = append(append(append(doc, first...), '\n'), rest...)
		if s.csvRows(doc, off, n) {
			s.finish(lr, -1)
		}
		return s.stopErr
	}
	if first[0] != '{' && first[0] != '[' {
		s.onErr(InputError{File: s.name, Line: n, Offset: off, Err: ErrNotAuditLog, Skipped: true})
		return nil
	}
	firstV := bytes.TrimRight(first, " \t\r")
	if end, valid := s.lineSpan(firstV); end == len(firstV) {
		// Line mode: each line is one JSON value.
		s.lineMode = true
		s.lineKnown, s.lineValid = true, valid
		if s.value(firstV, 0, off, n) != nil {
			return s.stopErr
		}
		if !s.lines(lr) {
			return s.stopErr
		}
		s.finish(lr, lr.off)
		return s.stopErr
	}
	// Document mode: the first value spans lines; read the whole stream.
	rest := lr.rest()
	// A failed stream (truncated gzip) explains a truncated document: only
	// the read error is reported, by finish.
	s.truncated = lr.err != nil && lr.err != io.EOF
	// A one-line document (a CloudTrail log file: one {"Records":[...]}
	// line) is the line itself: lr's buffers are never reused, so no copy.
	doc := first
	if n := len(first) + 1 + len(rest); len(rest) > 0 && cap(first) >= n && unsafe.SliceData(first[len(first)+1:n]) == unsafe.SliceData(rest) && first[:n][len(first)] == '\n' {
		// The rest follows the first line's '\n' in the same buffer (a
		// whole stream read before, Reader.ReadData): no copy either.
		doc = first[:n:n]
	} else if len(rest) > 0 {
		doc = make([]byte, 0, n)
		doc = append(append(append(doc, first...), '\n'), rest...)
	}
	s.doc, s.base, s.line0, s.lineAt, s.lineNum = doc, off, n, 0, n
	pos := 0
	for {
		pos = norm.SkipWS(doc, pos)
		if pos >= len(doc) {
			break
		}
		end, err := s.top(doc, pos)
		if err != nil {
			if errors.Is(err, errStop) {
				return s.stopErr
			}
			if !errors.Is(err, errReported) && !s.truncated {
				s.onErr(InputError{File: s.name, Line: s.lineOf(pos), Offset: s.base + int64(pos), Err: err})
			}
			break
		}
		pos = end
	}
	s.finish(lr, -1)
	return s.stopErr
}

// longLine is the first line's length from which longFirstLine validates
// it in place: shorter lines are found with IndexByte at little cost.
const longLine = 4 << 10

// longFirstLine handles the common large input, a file of known size whose
// first line is one long JSON value (a CloudTrail log file is one
// {"Records":[...]} line of tens of megabytes): it reads the whole file,
// validates the value from the start of the buffer, noting any line feed
// between its tokens, and when the value is valid, ends its line and holds
// no line feed, consumes that line from lr and returns it (white space
// trimmed) with its stream offset. Finding the line's end first took a
// separate pass over the whole buffer, the first to touch it, as costly
// as the validation. ok is false otherwise, lr then holds the bytes read,
// unconsumed, for the line-by-line path, which gives the same result.
func (s *splitter) longFirstLine(lr *lineReader) (v []byte, off int64, valid, ok bool) {
	b, p, ok := s.readLongFirst(lr)
	if !ok {
		return nil, 0, false, false
	}
	nl := false
	end, valid := s.lineSpanNL(b[p:], &nl)
	if !valid || nl {
		s.marks.reset(false)
		return nil, 0, false, false
	}
	j := p + end
	for j < len(b) && (b[j] == ' ' || b[j] == '\t' || b[j] == '\r') {
		j++
	}
	if j < len(b) && b[j] != '\n' {
		s.marks.reset(false)
		return nil, 0, false, false
	}
	// Consume the line as lr.next would have returned it.
	v, off = b[p:p+end], lr.off+int64(p)
	consumed := j
	if j < len(b) {
		consumed++ // the '\n'
	}
	lr.off += int64(consumed)
	lr.start += consumed
	lr.line = 1
	return v, off, true, true
}

// readLongFirst reads the whole stream when its first line may be one
// long JSON value (see longFirstLine) and returns the unconsumed bytes and
// the position of that value's first byte in them: ok is false when the
// stream is not of that kind (lr then holds what was read, unconsumed).
func (s *splitter) readLongFirst(lr *lineReader) (b []byte, p int, ok bool) {
	if lr.whole {
		// Read before, whatever its size.
		if lr.end-lr.start <= longLine {
			return nil, 0, false
		}
	} else {
		if lr.known <= 0 || lr.known > maxWhole || lr.first <= longLine {
			return nil, 0, false
		}
		if lr.buf == nil {
			lr.fill()
		}
		for lr.end < len(lr.buf) && lr.err == nil {
			lr.readOnce()
		}
	}
	b = lr.buf[lr.start:lr.end]
	if bytes.HasPrefix(b, []byte("\xef\xbb\xbf")) {
		p = 3
	}
	for p < len(b) && (b[p] == ' ' || b[p] == '\t' || b[p] == '\r') {
		p++
	}
	if p >= len(b) || (b[p] != '{' && b[p] != '[') || bytes.IndexByte(b[p:min(len(b), p+longLine)], '\n') >= 0 {
		return nil, 0, false
	}
	return b, p, true
}

// errRestart ends the streaming of a long first line (streamFirstLine)
// at the first thing that is not a valid event of a valid one-line
// value: the stream is then read again the other way.
var errRestart = errors.New("restart")

// streamFirstLine handles the common large input read before
// (Reader.ReadData), data whose first line is one long event array or
// {"Records":[...]} wrapper (a CloudTrail log file of up to hundreds of
// megabytes), without validating the whole line first: each event is
// validated (its members located) and handed out at once. The lake's
// ingest then hands the first events of each file to its encoders at
// once, where the validation of a 160 MB line first kept them waiting
// (the other core idle) at the start of each file. It delivers and
// reports exactly what longFirstLine and the line-by-line
// path do: as long as the line holds only valid events with no line feed
// between tokens, every path hands them out alike (line 1, the same
// members); at the first anything else (an invalid or too deep value, a
// line feed, a member after the event array, more than white space after
// the value on its line) it stops, and the stream is read again from its
// start the other way, the records and errors already passed on skipped
// (the other way passes the same ones first). done says the line was
// consumed (go on with the next lines), stop that the callback or the
// context stopped the read (s.stopErr).
func (s *splitter) streamFirstLine(lr *lineReader) (done, stop bool) {
	if !lr.whole {
		// Not for streams (detection's files): there each event is
		// matched in the callback, and validating the whole line
		// first measured 2-3% less CPU per event (validation in one
		// stretch, matching in another).
		return false, false
	}
	b, p, ok := s.readLongFirst(lr)
	if !ok {
		return false, false
	}
	v := b[p:]
	if v[0] == '{' && !s.wrapperOpens(v[:min(len(v), longLine)]) {
		return false, false
	}
	fn, onErr := s.fn, s.onErr
	outs := 0
	s.fn = func(r Record) error { outs++; return fn(r) }
	s.onErr = func(e InputError) { outs++; onErr(e) }
	s.doc, s.base, s.line0, s.lineAt, s.lineNum = v, lr.off+int64(p), 1, 0, 1
	s.lineMode, s.curLine, s.stream = true, 1, true
	end, err := s.top(v, 0)
	s.stream = false
	s.fn, s.onErr = fn, onErr
	if err == nil {
		j := p + end
		for j < len(b) && (b[j] == ' ' || b[j] == '\t' || b[j] == '\r') {
			j++
		}
		if j == len(b) || b[j] == '\n' {
			// Consume the line as lr.next would have returned it.
			if j < len(b) {
				j++ // the '\n'
			}
			lr.off += int64(j)
			lr.start += j
			lr.line = 1
			return true, false
		}
	} else if !errors.Is(err, errRestart) {
		return false, true // errStop: s.stopErr is set
	}
	// Read again; the records and errors passed on are passed first again.
	s.fn = func(r Record) error {
		if outs > 0 {
			outs--
			return nil
		}
		return fn(r)
	}
	s.onErr = func(e InputError) {
		if outs > 0 {
			outs--
			return
		}
		onErr(e)
	}
	s.lineMode, s.events, s.unknown, s.unkLine, s.unkOff, s.unkKeys = false, 0, 0, 0, 0, s.unkKeys[:0]
	s.marks.reset(false)
	return false, false
}

// wrapperOpens reports whether the object v starts with is a wrapper
// whose event array opens within v: `{"Records":[`, valid, the key
// without escapes (v holds no line feed: see readLongFirst).
func (s *splitter) wrapperOpens(v []byte) bool {
	i := norm.SkipWS(v, 1)
	if i >= len(v) || v[i] != '"' {
		return false
	}
	ke, ok := validString(v, i)
	if !ok || bytes.IndexByte(v[i:ke], '\\') >= 0 || s.cls.wrapper(v[i+1:ke-1]) == nil {
		return false
	}
	j := norm.SkipWS(v, ke)
	if j >= len(v) || v[j] != ':' {
		return false
	}
	j = norm.SkipWS(v, j+1)
	return j < len(v) && v[j] == '['
}

// streamArray is array for streamFirstLine: each element validated by
// itself, its members recorded, and handed out; errRestart at the first
// element that is not valid, a line feed between tokens or a malformed
// array.
func (s *splitter) streamArray(b []byte, pos int, sc *scope) (int, error) {
	nl := false
	i := skipWSNL(b, pos+1, &nl)
	if i < len(b) && b[i] == ']' && !nl {
		return i + 1, nil
	}
	m := &s.marks
	for first := true; ; first = false {
		if nl || i >= len(b) {
			return 0, errRestart
		}
		m.reset(false)
		m.self = true
		end, ok := validEndNL(b, i, m, &nl)
		if !ok || nl || end-i > maxStreamed {
			return 0, errRestart
		}
		_, mem := m.end(i)
		sc = s.trust(b, i, end, sc, first)
		if err := s.element(b, i, end, sc, true, mem); err != nil {
			return 0, err
		}
		i = skipWSNL(b, end, &nl)
		if i >= len(b) {
			return 0, errRestart
		}
		switch b[i] {
		case ',':
			i = skipWSNL(b, i+1, &nl)
		case ']':
			if nl {
				return 0, errRestart
			}
			return i + 1, nil
		default:
			return 0, errRestart
		}
	}
}

// maxStreamed is the largest element streamArray validates by itself:
// validEndNL keeps no depth limit, and an element's nesting is that of
// the whole line less two, so any size would do; the bound only keeps a
// huge element (reported as too large anyway) on the ordinary path.
const maxStreamed = MaxEventBytes

// trust returns the scope an array's elements are classified in: for the
// first element of a wrapper one source alone declares (CloudTrail's
// Records), that source trusted if the element is its event (S3, SQS and
// SNS notifications share CloudTrail's wrapper), else all sources.
func (s *splitter) trust(b []byte, i, end int, sc *scope, first bool) *scope {
	if first && sc != &s.cls.all && len(sc.cands) == 1 {
		sc.trusted = sc.cands[0]
		if b[i] == '{' {
			if d, _, _ := s.cls.classify(b[i:end:end], &s.cls.all); d != sc.trusted {
				return &s.cls.all
			}
		}
	}
	return sc
}

// lines processes the remaining lines in line mode; false means stop.
func (s *splitter) lines(lr *lineReader) bool {
	for {
		line, off, n, ok := lr.next()
		if !ok {
			return true
		}
		lead := norm.SkipWS(line, 0)
		if lead == len(line) {
			continue
		}
		if n&1023 == 0 {
			if err := s.ctx.Err(); err != nil {
				s.stopErr = err
				return false
			}
		}
		v := bytes.TrimRight(line[lead:], " \t\r")
		end, valid := s.lineSpan(v)
		if end != len(v) {
			if lr.err != nil && lr.err != io.EOF && lr.start == lr.end {
				// The last, partial line of a stream that failed: the read
				// error is reported by finish.
				return true
			}
			s.onErr(InputError{File: s.name, Line: n, Offset: off + int64(lead), Err: fmt.Errorf("%w: not one complete JSON value on the line", ErrMalformed)})
			continue
		}
		s.lineKnown, s.lineValid = true, valid
		if s.value(v, 0, off+int64(lead), n) != nil {
			return false
		}
	}
}

// finish reports a read error and the count of unknown events.
func (s *splitter) finish(lr *lineReader, off int64) {
	if lr.err != nil && lr.err != io.EOF {
		if off < 0 {
			off = lr.off
		}
		s.readErr(lr.err, off)
	}
	if s.unknown > 0 {
		var err error = ErrNotAuditLog
		switch {
		case s.unkWhy != "":
			err = fmt.Errorf("%w (first event: %s)", ErrNotAuditLog, s.unkWhy)
		case len(s.unkKeys) > 0:
			// Say what was found: an export of a shape vigil does not
			// read is told from a file that is not a log at all.
			err = fmt.Errorf("%w (first event's members: %s)", ErrNotAuditLog, strings.Join(s.unkKeys, ", "))
		}
		if s.events > 0 {
			err = fmt.Errorf("%d events of an unknown kind: %w", s.unknown, err)
		}
		s.onErr(InputError{File: s.name, Line: s.unkLine, Offset: s.unkOff, Err: err, Skipped: true})
	}
}

// value handles one complete top-level JSON value in line mode (v is the
// line, pos 0; off is its stream offset).
func (s *splitter) value(v []byte, pos int, off int64, line int) error {
	s.doc, s.base, s.line0, s.lineAt, s.lineNum = v, off, line, 0, line
	s.curLine = line
	defer func() { s.lineKnown = false }()
	if _, err := s.top(v, pos); err != nil {
		if errors.Is(err, errStop) {
			return err
		}
		if !errors.Is(err, errReported) {
			s.onErr(InputError{File: s.name, Line: line, Offset: off, Err: err})
		}
	}
	return nil
}

// lineOf returns the line number of doc position pos (monotonic calls are
// cheap).
func (s *splitter) lineOf(pos int) int {
	if pos < s.lineAt {
		s.lineAt, s.lineNum = 0, s.line0
	}
	s.lineNum += bytes.Count(s.doc[s.lineAt:pos], []byte{'\n'})
	s.lineAt = pos
	return s.lineNum
}

// top handles the top-level value at b[pos]: a wrapper object, an array of
// events or a single event. It returns the end of the value.
func (s *splitter) top(b []byte, pos int) (int, error) {
	switch b[pos] {
	case '[':
		return s.array(b, pos, &s.cls.all)
	case '{':
		end, err := s.object(b, pos)
		return end, err
	default:
		end := norm.ValueEnd(b, pos)
		if end < 0 {
			return 0, fmt.Errorf("%w: unterminated value", ErrMalformed)
		}
		s.unknownAt(pos)
		return end, nil
	}
}

// array iterates the elements of the array at b[pos], emitting each as an
// event of one of sc's sources. Elements before a truncation are delivered.
func (s *splitter) array(b []byte, pos int, sc *scope) (int, error) {
	if s.stream {
		return s.streamArray(b, pos, sc)
	}
	i := norm.SkipWS(b, pos+1)
	if i < len(b) && b[i] == ']' {
		return i + 1, nil
	}
	for first := true; ; first = false {
		if i >= len(b) {
			return 0, fmt.Errorf("%w: truncated array", ErrMalformed)
		}
		var (
			end   int
			valid bool
			mem   []int32
		)
		if s.lineKnown && s.lineValid {
			// The whole line is valid JSON: only the boundary is needed,
			// recorded when the line was validated (with the element's
			// members).
			if end, mem = s.marks.end(i); end < 0 {
				end = norm.ValueEnd(b, i)
			} else if m := &s.marks; m.next < len(m.bounds) {
				// The next element is fetched while this one is
				// processed (see prefetchNext).
				s.prefetchNext(b, m.bounds[m.next])
			}
			valid = true
		} else {
			end, valid = span(b, i)
		}
		if end < 0 {
			return 0, s.posErr(i, fmt.Errorf("%w: truncated or unterminated element", ErrMalformed))
		}
		sc = s.trust(b, i, end, sc, first)
		if err := s.element(b, i, end, sc, valid, mem); err != nil {
			return 0, err
		}
		i = norm.SkipWS(b, end)
		if i >= len(b) {
			return 0, fmt.Errorf("%w: truncated array", ErrMalformed)
		}
		switch b[i] {
		case ',':
			i = norm.SkipWS(b, i+1)
		case ']':
			return i + 1, nil
		default:
			return 0, s.posErr(i, fmt.Errorf("%w: expected ',' or ']' in array, found %q", ErrMalformed, b[i]))
		}
	}
}

// posErr reports err at position i right away (so it carries the precise
// position) and returns a sentinel that ends the current value quietly.
func (s *splitter) posErr(i int, err error) error {
	if s.truncated {
		return errReported
	}
	s.onErr(InputError{File: s.name, Line: s.lineOf(i), Offset: s.base + int64(i), Err: err})
	return errReported
}

var errReported = errors.New("reported")

// object handles a top-level object: {"Records":[...]}, {"records":[...]} or
// a single event.
func (s *splitter) object(b []byte, pos int) (int, error) {
	// Look for a wrapper key ({"Records":[...]}, {"records":[...]}: see
	// Descriptor.Wrapper). The clouds write it first; scan the first key
	// only so single events are not walked twice. Microsoft Graph pages
	// ({"@odata.context":...,"value":[...]}) and Reports API pages
	// ({"kind":...,"etag":...,"items":[...]}) put their annotations first:
	// those are skipped.
	i := norm.SkipWS(b, pos+1)
	if controlMessage(b[i:]) {
		// A CloudWatch Logs subscription's health check, delivered among
		// its records: no event, nothing to report.
		if end, ok := span(b, pos); ok {
			return end, nil
		}
	}
	i = skipODataAnnotations(b, i)
	if i < len(b) && b[i] == '"' {
		ke := norm.StringEnd(b, i)
		if ke > 0 {
			if sc := s.cls.wrapper(b[i+1 : ke-1]); sc != nil {
				j := norm.SkipWS(b, ke)
				if j < len(b) && b[j] == ':' {
					j = norm.SkipWS(b, j+1)
					if j < len(b) && b[j] == '[' {
						end, err := s.array(b, j, sc)
						if err != nil {
							return 0, err
						}
						if s.stream {
							// No further member (none in the clouds'
							// files): a valid close on the same line.
							nl := false
							if k := skipWSNL(b, end, &nl); k < len(b) && b[k] == '}' && !nl {
								return k + 1, nil
							}
							return 0, errRestart
						}
						// Skip any further keys of the wrapper.
						return s.closeObject(b, end)
					}
				}
			}
		}
	}
	var (
		end   int
		valid bool
		mem   []int32
	)
	if s.stream {
		return 0, errRestart // not a wrapper after all
	}
	if tablesDoc(b, i) {
		// A Log Analytics query API result: its rows are the events.
		end, valid := span(b, pos)
		if end < 0 || !valid {
			return 0, s.posErr(pos, fmt.Errorf("%w: truncated or invalid query result", ErrMalformed))
		}
		return end, s.queryTables(b, pos, end)
	}
	if s.lineKnown && pos == 0 {
		end, valid = len(b), s.lineValid
		if valid && s.marks.self {
			// The members the line's validation recorded.
			if e, m := s.marks.end(0); e == end {
				mem = m
			}
		}
	} else {
		end, valid = span(b, pos)
	}
	if end < 0 {
		return 0, s.posErr(pos, fmt.Errorf("%w: truncated or unterminated object", ErrMalformed))
	}
	return end, s.element(b, pos, end, &s.cls.all, valid, mem)
}

// pageAnnotation reports whether key is a page's annotation written
// before its list of events: OData's ("@odata.*": Microsoft Graph, the
// Azure REST API), Google APIs' kind and etag (the Reports API's
// activities.list pages), a Kubernetes list's apiVersion and metadata (an
// audit EventList) and a CloudWatch Logs subscription record's envelope.
func pageAnnotation(key []byte) bool {
	switch string(key) {
	case "kind", "etag",
		// A Kubernetes list (an audit EventList) before its items.
		"apiVersion", "metadata",
		// A CloudWatch Logs subscription filter's record (Kinesis, Firehose
		// to S3) before its logEvents.
		"messageType", "owner", "logGroup", "logStream", "subscriptionFilters":
		return true
	}
	return bytes.HasPrefix(key, []byte("@odata."))
}

// controlMessage reports whether b, an object's members, starts with a
// CloudWatch Logs subscription record's "messageType":"CONTROL_MESSAGE".
func controlMessage(b []byte) bool {
	const key = `"messageType"`
	if !bytes.HasPrefix(b, []byte(key)) {
		return false
	}
	j := norm.SkipWS(b, len(key))
	if j >= len(b) || b[j] != ':' {
		return false
	}
	return bytes.HasPrefix(b[norm.SkipWS(b, j+1):], []byte(`"CONTROL_MESSAGE"`))
}

// skipODataAnnotations returns the position of the first member of an
// object at or after i whose key is not a page annotation (pageAnnotation),
// i itself when there is none to skip or the text is not as expected.
func skipODataAnnotations(b []byte, i int) int {
	for i < len(b) && b[i] == '"' {
		ke := norm.StringEnd(b, i)
		if ke < 0 || !pageAnnotation(b[i+1:ke-1]) {
			return i
		}
		j := norm.SkipWS(b, ke)
		if j >= len(b) || b[j] != ':' {
			return i
		}
		e := norm.ValueEnd(b, norm.SkipWS(b, j+1))
		if e < 0 {
			return i
		}
		e = norm.SkipWS(b, e)
		if e >= len(b) || b[e] != ',' {
			return i
		}
		i = norm.SkipWS(b, e+1)
	}
	return i
}

// closeObject skips the remaining members of an object after a value ending
// at i and returns the position after its '}'.
func (s *splitter) closeObject(b []byte, i int) (int, error) {
	for {
		i = norm.SkipWS(b, i)
		if i >= len(b) {
			return 0, fmt.Errorf("%w: truncated object", ErrMalformed)
		}
		switch b[i] {
		case '}':
			return i + 1, nil
		case ',':
			i = norm.SkipWS(b, i+1)
			ke := norm.StringEnd(b, i)
			if ke < 0 {
				return 0, s.posErr(i, fmt.Errorf("%w: bad object key", ErrMalformed))
			}
			i = norm.SkipWS(b, ke)
			if i >= len(b) || b[i] != ':' {
				return 0, s.posErr(i, fmt.Errorf("%w: expected ':'", ErrMalformed))
			}
			i = norm.SkipWS(b, i+1)
			e := norm.ValueEnd(b, i)
			if e < 0 {
				return 0, s.posErr(i, fmt.Errorf("%w: truncated value", ErrMalformed))
			}
			i = e
		default:
			return 0, s.posErr(i, fmt.Errorf("%w: expected ',' or '}', found %q", ErrMalformed, b[i]))
		}
	}
}

// element classifies one event b[start:end] (valid tells whether it is
// valid JSON; mem, when not nil, locates its members: see Record.Members)
// and emits it.
func (s *splitter) element(b []byte, start, end int, sc *scope, valid bool, mem []int32) error {
	ev := b[start:end:end]
	if ev[0] != '{' {
		s.unknownAt(start)
		return nil
	}
	if len(ev) > MaxEventBytes {
		s.onErr(InputError{File: s.name, Line: s.lineOf(start), Offset: s.base + int64(start),
			Err: fmt.Errorf("%w: %d bytes, more than the %d an audit log event may take: skipped", ErrTooLarge, len(ev), MaxEventBytes)})
		return nil
	}
	if !valid {
		s.onErr(InputError{File: s.name, Line: s.lineOf(start), Offset: s.base + int64(start), Err: fmt.Errorf("%w: invalid event object", ErrMalformed)})
		return nil
	}
	d, inner, innerOff := s.cls.classify(ev, sc)
	conv := s.csvShape
	if d == nil {
		// Another shape of a source's events (a Log Analytics row, a
		// BigQuery export row, a Reports API activity), converted to the
		// source's own event.
		var (
			shape string
			err   error
		)
		d, inner, shape, err = s.cls.convert(ev, sc)
		if d == nil {
			s.unknownAt(start)
			return nil
		}
		if errors.Is(err, logsource.ErrNotAudit) {
			// The shape's envelope around another log: counted with the
			// unknown events, the first one's reason in the note.
			s.unknownAt(start)
			if s.unknown == 1 {
				s.unkWhy = shape + ": " + err.Error()
			}
			return nil
		}
		if err != nil {
			s.onErr(InputError{File: s.name, Line: s.lineOf(start), Offset: s.base + int64(start), Err: fmt.Errorf("%s: %w", shape, err)})
			return nil
		}
		ev, mem = inner, nil
		if s.csvShape != "" {
			shape = s.csvShape + ", " + shape
		}
		conv = shape
	} else if inner != nil {
		ev, start, mem = inner, start+innerOff, nil
	}
	if s.events&4095 == 4095 {
		if err := s.ctx.Err(); err != nil {
			s.stopErr = err
			return errStop
		}
	}
	s.events++
	rec := Record{Source: d.Name, Raw: ev, Shape: conv, File: s.name, Offset: s.base + int64(start), Desc: d, Members: mem}
	if mem != nil {
		// mem is the marks' last element's (other members are never
		// passed on: see the callers).
		rec.MemberDots = s.marks.lastDots
	}
	if s.lineMode {
		rec.Line = s.curLine
	} else {
		rec.Line = s.lineOf(start)
	}
	t, err := logsource.EventTimeMembers(d.Time, ev, mem)
	if err != nil {
		s.onErr(InputError{File: rec.File, Line: rec.Line, Offset: rec.Offset, Err: fmt.Errorf("%w: skipped", err)})
		return nil
	}
	rec.Time = t
	if err := s.fn(rec); err != nil {
		s.stopErr = err
		return errStop
	}
	return nil
}

func (s *splitter) unknownAt(pos int) {
	if s.unknown == 0 {
		s.unkLine, s.unkOff, s.unkWhy = s.lineOf(pos), s.base+int64(pos), ""
		// The first unknown event's member names, for the note.
		s.unkKeys = s.unkKeys[:0]
		if pos < len(s.doc) && s.doc[pos] == '{' {
			members(s.doc[pos:], func(k []byte, _, _ int) bool {
				s.unkKeys = append(s.unkKeys, string(k))
				return len(s.unkKeys) < 8
			})
		}
	}
	s.unknown++
}

// lineSpan is span for a line (v[0] is not white space), recording in
// s.marks the element bounds of its event array when the line is an array
// or an object whose first key is a wrapper ({"Records":[...]}): one pass
// then both validates the line and splits it into events.
func (s *splitter) lineSpan(v []byte) (end int, valid bool) {
	return s.lineSpanNL(v, nil)
}

// lineSpanNL is lineSpan for a value that may be followed by more bytes
// than its line: *nl is set when a line feed separates its tokens.
func (s *splitter) lineSpanNL(v []byte, nl *bool) (end int, valid bool) {
	var marks *elemMarks
	switch v[0] {
	case '[':
		marks = &s.marks
		marks.reset(false)
	case '{':
		marks = &s.marks
		i := norm.SkipWS(v, 1)
		if ke := norm.StringEnd(v, i); ke > 0 && s.cls.wrappers[string(v[i+1:ke-1])] != nil {
			marks.reset(true)
		} else {
			// One event on the line (JSON lines): its own members.
			marks.reset(false)
			marks.self = true
		}
	}
	if marks != nil && !marks.self && len(v) >= 1<<16 {
		// Room for the marks of a long line at once (growing them by
		// doubling faulted in about as much fresh memory again): audit
		// events take about 16 bytes per member (four offsets), 1 KB each.
		if c := len(v) / 16; cap(marks.mem) < c {
			marks.mem = make([]int32, 0, c)
		}
		if c := len(v) / 1024; cap(marks.bounds) < c {
			marks.bounds = make([]elemBound, 0, c)
		}
	}
	if e, ok := validEndNL(v, 0, marks, nl); ok {
		return e, true
	}
	s.marks.reset(false)
	if nl != nil {
		return -1, false // the caller falls back to finding the line first
	}
	return norm.ValueEnd(v, 0), false
}

// span returns the end of the JSON value at b[i] and whether it is valid:
// one validating pass, and for malformed values a second, tolerant one that
// still finds where the value ends (-1 when it does not end).
func span(b []byte, i int) (end int, valid bool) {
	if e, ok := validEnd(b, i); ok {
		return e, true
	}
	return norm.ValueEnd(b, i), false
}

// prefetchNext asks for the bytes of the element after the one about to
// be handed out: a long line (a CloudTrail log file of tens of megabytes)
// is validated whole before its first element is handed out, so each
// element's bytes have left the caches by the time it is matched, and
// matching reads them in a scattered order, one miss after another.
func (s *splitter) prefetchNext(b []byte, nb elemBound) {
	if nb.start >= 0 && nb.start < nb.end && nb.end <= len(b) {
		prefetch(b[nb.start:nb.end])
	}
}
