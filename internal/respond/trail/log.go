package trail

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/user"
	"path/filepath"
	"sync"
	"time"
)

// ErrTorn is the error (wrapped in a *TornError) of a trail whose last
// line is incomplete: a write cut off by a crash or a full disk.
var ErrTorn = errors.New("the trail's last line is incomplete")

// TornError describes an incomplete last line.
type TornError struct {
	Path     string
	Line     int    // its line number, counting the complete lines as entries 1..AfterSeq
	AfterSeq uint64 // seq of the last complete entry
	Offset   int64  // byte offset where the incomplete line starts
	Size     int    // its length in bytes
}

func (e *TornError) Error() string {
	return fmt.Sprintf("trail %s: line %d (after seq %d, %d bytes at byte %d) is incomplete: a write was cut off; "+
		"`vigil respond verify` shows it, and recovering removes it and records what was removed", e.Path, e.Line, e.AfterSeq, e.Size, e.Offset)
}

// Is makes errors.Is(err, ErrTorn) true.
func (e *TornError) Is(target error) bool { return target == ErrTorn }

// Log appends entries to one trail file. Its methods are safe for
// concurrent use; appends from other processes are serialized by a lock
// on the file (flock), taken for each append, so another process may
// append in between: the chain continues from whatever is last.
type Log struct {
	path  string
	actor string
	host  string
	now   func() time.Time // the clock (tests set it)

	mu      sync.Mutex // guards the fields below, and seq and head
	closed  bool
	queue   []*request // appends waiting for the next commit
	writing bool       // a goroutine is committing the queue

	io         sync.Mutex // guards the file: one commit at a time
	f          *os.File
	fileClosed bool
	size       int64  // the file's size after our last read or write
	seq        uint64 // the last entry's seq
	head       string // the last entry's hash
}

// openWait bounds how long Open and Recover wait for another process's
// lock.
const openWait = 30 * time.Second

// Open opens the trail at path, creating it (mode 0600) when missing, and
// reads its last entry to continue the chain. A last entry that does not
// match its hash is an error, and so is an incomplete last line (a
// *TornError; Recover removes it): Open never changes what is written.
func Open(path string) (*Log, error) {
	l, err := open(path)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), openWait)
	defer cancel()
	unlock, err := lockFile(ctx, l.f)
	if err != nil {
		l.f.Close()
		return nil, fmt.Errorf("trail %s: %w", path, err)
	}
	defer unlock()
	if err := l.sync(); err != nil {
		l.f.Close()
		return nil, err
	}
	return l, nil
}

func open(path string) (*Log, error) {
	_, statErr := os.Stat(path)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return nil, fmt.Errorf("trail: %w", err)
	}
	if errors.Is(statErr, os.ErrNotExist) {
		// The new file's directory entry must survive a crash too.
		if d, err := os.Open(filepath.Dir(path)); err == nil {
			_ = d.Sync()
			d.Close()
		}
	}
	l := &Log{f: f, path: path, size: -1, head: GenesisHash, now: time.Now}
	if u, err := user.Current(); err == nil {
		l.actor = u.Username
	} else {
		l.actor = os.Getenv("USER")
	}
	l.host, _ = os.Hostname()
	return l, nil
}

// Path returns the trail's file name.
func (l *Log) Path() string { return l.path }

// Head returns the last entry's seq and hash (0 and "" for an empty
// trail) as this Log last saw them: record the hash elsewhere to verify
// later with VerifyOptions.ExpectHead.
func (l *Log) Head() (uint64, string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.seq == 0 {
		return 0, ""
	}
	return l.seq, l.head
}

// sync re-reads the last entry when the file changed since we last read
// or wrote it (another process appended). The lock is held.
func (l *Log) sync() error {
	st, err := l.f.Stat()
	if err != nil {
		return fmt.Errorf("trail %s: %w", l.path, err)
	}
	if st.Size() == l.size {
		return nil
	}
	t, err := readTail(l.f, st.Size())
	if err != nil {
		return fmt.Errorf("trail %s: %w", l.path, err)
	}
	if t.torn != nil {
		return &TornError{Path: l.path, Line: int(t.seq) + 1, AfterSeq: t.seq, Offset: t.tornAt, Size: len(t.torn)}
	}
	if t.err != nil {
		return fmt.Errorf("trail %s: the last entry (line %d): %w; run `vigil respond verify`", l.path, t.seq, t.err)
	}
	l.size = st.Size()
	l.mu.Lock()
	l.seq, l.head = t.seq, t.head
	l.mu.Unlock()
	return nil
}

// tail is what readTail found at the end of a trail.
type tail struct {
	seq    uint64 // the last complete entry's seq (0: none)
	head   string // its hash (GenesisHash: none)
	err    error  // the last complete line is not a valid entry
	lineAt int64  // offset of the last complete line
	torn   []byte // an incomplete last line
	tornAt int64
}

// readTail reads the end of f (size bytes) backwards: the last complete
// line and an incomplete one after it.
func readTail(f io.ReaderAt, size int64) (tail, error) {
	t := tail{head: GenesisHash}
	if size == 0 {
		return t, nil
	}
	const chunk = 64 << 10
	var buf []byte // f[pos:size]
	pos := size
	// Complete lines end at the last newline; after it is a torn line.
	lastNL, prevNL := -1, -1
	for pos > 0 && prevNL < 0 {
		n := min(int64(chunk), pos)
		pos -= n
		b := make([]byte, n, int64(len(buf))+n)
		if _, err := f.ReadAt(b, pos); err != nil {
			return t, err
		}
		buf = append(b, buf...)
		lastNL = bytes.LastIndexByte(buf, '\n')
		if lastNL >= 0 {
			prevNL = bytes.LastIndexByte(buf[:lastNL], '\n')
		}
	}
	if lastNL < len(buf)-1 {
		t.torn = buf[lastNL+1:]
		t.tornAt = pos + int64(lastNL+1)
	}
	if lastNL < 0 { // no complete line at all
		return t, nil
	}
	line := buf[prevNL+1 : lastNL]
	t.lineAt = pos + int64(prevNL+1)
	e, err := parseLine(line)
	if err != nil {
		t.err = err
		if e.Seq > 0 {
			t.seq = e.Seq
		}
		return t, nil
	}
	t.seq, t.head = e.Seq, e.Hash
	return t, nil
}

// Append adds e to the trail and returns it as written: Seq, Prev, Hash
// and Time set (Time is the current time in UTC), Actor and Host filled
// when empty. The line is on disk (fsync) when Append returns.
func (l *Log) Append(ctx context.Context, e Entry) (Entry, error) {
	out, err := l.AppendBatch(ctx, []Entry{e})
	if err != nil {
		return Entry{}, err
	}
	return out[0], nil
}

// AppendBatch appends entries in order, one after the other in the
// trail, with one write and one fsync.
//
// Appends from concurrent goroutines are committed in groups: while one
// write and fsync is in progress, the appends that arrive queue up and go
// to disk together in the next one (each still gets its own entries in
// order, and returns once they are on disk). ctx is checked before the
// entries are queued; once queued they are written.
func (l *Log) AppendBatch(ctx context.Context, entries []Entry) ([]Entry, error) {
	if len(entries) == 0 {
		return nil, nil
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	for _, e := range entries {
		if e.Kind == "" {
			return nil, fmt.Errorf("trail %s: an entry has no kind", l.path)
		}
	}
	req := &request{entries: entries, done: make(chan struct{})}
	l.mu.Lock()
	if l.closed {
		l.mu.Unlock()
		return nil, fmt.Errorf("trail %s: append after Close", l.path)
	}
	l.queue = append(l.queue, req)
	if l.writing {
		// The writer takes it with the next group.
		l.mu.Unlock()
		<-req.done
		return req.out, req.err
	}
	l.writing = true
	for len(l.queue) > 0 {
		group := l.queue
		l.queue = nil
		l.mu.Unlock()
		l.commit(group)
		l.mu.Lock()
	}
	l.writing = false
	l.mu.Unlock()
	return req.out, req.err
}

// request is one AppendBatch call waiting for its group's commit.
type request struct {
	entries []Entry
	out     []Entry
	err     error
	done    chan struct{}
}

// commit writes a group of requests: one file lock, one write, one fsync.
// A request whose entries cannot be encoded fails alone.
func (l *Log) commit(group []*request) {
	l.io.Lock()
	defer l.io.Unlock()
	defer func() {
		for _, r := range group {
			close(r.done)
		}
	}()
	fail := func(err error) {
		for _, r := range group {
			if r.err == nil {
				r.out, r.err = nil, err
			}
		}
	}
	if l.fileClosed {
		fail(fmt.Errorf("trail %s: append after Close", l.path))
		return
	}
	// Others hold the file lock for one append: wait for them, but not
	// forever.
	ctx, cancel := context.WithTimeout(context.Background(), openWait)
	defer cancel()
	unlock, err := lockFile(ctx, l.f)
	if err != nil {
		fail(fmt.Errorf("trail %s: %w", l.path, err))
		return
	}
	defer unlock()
	if err := l.sync(); err != nil {
		fail(err)
		return
	}
	var buf []byte
	seq, head := l.seq, l.head
	for _, r := range group {
		out, lines, s, h, err := l.encode(r.entries, seq, head)
		if err != nil {
			r.err = err
			continue
		}
		r.out, seq, head = out, s, h
		buf = append(buf, lines...)
	}
	if len(buf) == 0 {
		return
	}
	n, err := l.f.Write(buf)
	l.size += int64(n)
	if err == nil {
		err = l.f.Sync()
	}
	if err != nil {
		// The file may now end in a torn line: the next append's sync
		// finds it and refuses to go on.
		l.size = -1
		fail(fmt.Errorf("trail %s: write: %w", l.path, err))
		return
	}
	l.mu.Lock()
	l.seq, l.head = seq, head
	l.mu.Unlock()
}

// encode seals entries after seq and head.
func (l *Log) encode(entries []Entry, seq uint64, head string) (out []Entry, lines []byte, _ uint64, _ string, err error) {
	now := l.now().UTC()
	out = make([]Entry, len(entries))
	for i, e := range entries {
		if e.Actor == "" {
			e.Actor = l.actor
		}
		if e.Host == "" {
			e.Host = l.host
		}
		seq++
		e.Seq, e.Prev, e.Time = seq, head, now
		line, err := seal(&e)
		if err != nil {
			return nil, nil, 0, "", fmt.Errorf("trail %s: %w", l.path, err)
		}
		lines = append(lines, line...)
		head = e.Hash
		out[i] = e
	}
	return out, lines, seq, head, nil
}

// Close closes the file once the appends in progress are written.
func (l *Log) Close() error {
	l.mu.Lock()
	l.closed = true
	l.mu.Unlock()
	l.io.Lock()
	defer l.io.Unlock()
	if l.fileClosed {
		return nil
	}
	l.fileClosed = true
	return l.f.Close()
}

// Recovery is what Recover did: the Data of its KindRecover entry.
type Recovery struct {
	Line     int    `json:"line"`
	AfterSeq uint64 `json:"after_seq"`
	Offset   int64  `json:"offset"`
	Size     int    `json:"size"`
	// Kept is true when the incomplete line was a whole entry, chained
	// to the one before, that lacked only its newline: it was kept and the
	// newline added. Otherwise the bytes were removed.
	Kept bool `json:"kept"`
	// Removed holds the bytes removed (up to 1 MiB; base64 in JSON).
	Removed []byte `json:"removed,omitempty"`
}

// Recover repairs a trail whose last line is incomplete (Open's
// *TornError): it removes the incomplete line, or completes it when it
// was a whole entry lacking its newline, and appends a KindRecover entry
// recording what it did and the removed bytes, so nothing is dropped
// silently. A trail without an incomplete line is left alone (nil, nil);
// a damaged complete entry is an error (that is for Verify to report, not
// for Recover to repair).
func Recover(ctx context.Context, path string, actor string) (*Recovery, error) {
	l, err := open(path)
	if err != nil {
		return nil, err
	}
	defer l.Close()
	ctx, cancel := context.WithTimeout(ctx, openWait)
	defer cancel()
	unlock, err := lockFile(ctx, l.f)
	if err != nil {
		return nil, fmt.Errorf("trail %s: %w", path, err)
	}
	st, err := l.f.Stat()
	if err != nil {
		unlock()
		return nil, fmt.Errorf("trail %s: %w", path, err)
	}
	t, err := readTail(l.f, st.Size())
	if err == nil && t.err != nil {
		err = fmt.Errorf("the last complete entry (line %d): %w; run `vigil respond verify`", t.seq, t.err)
	}
	if err != nil {
		unlock()
		return nil, fmt.Errorf("trail %s: %w", path, err)
	}
	if t.torn == nil {
		unlock()
		return nil, nil
	}
	r := &Recovery{Line: int(t.seq) + 1, AfterSeq: t.seq, Offset: t.tornAt, Size: len(t.torn)}
	if e, err := parseLine(t.torn); err == nil && e.Seq == t.seq+1 && e.Prev == t.head {
		r.Kept = true
		_, err = l.f.Write([]byte{'\n'})
		if err == nil {
			err = l.f.Sync()
		}
		if err != nil {
			unlock()
			return nil, fmt.Errorf("trail %s: %w", path, err)
		}
	} else {
		r.Removed = t.torn[:min(len(t.torn), 1<<20)]
		if err := l.f.Truncate(t.tornAt); err != nil {
			unlock()
			return nil, fmt.Errorf("trail %s: %w", path, err)
		}
		if err := l.f.Sync(); err != nil {
			unlock()
			return nil, fmt.Errorf("trail %s: %w", path, err)
		}
	}
	unlock() // AppendBatch takes it again
	data, err := json.Marshal(r)
	if err != nil {
		return nil, err
	}
	e := Entry{Kind: KindRecover, Actor: actor, Data: data}
	if r.Kept {
		e.Status = StatusOK
	} else {
		e.Status, e.Error = StatusPartial, fmt.Sprintf("removed %d bytes of an incomplete line %d", r.Size, r.Line)
	}
	if _, err := l.Append(ctx, e); err != nil {
		return nil, err
	}
	return r, nil
}
