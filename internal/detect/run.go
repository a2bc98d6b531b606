package detect

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"runtime"
	"sync"
	"time"

	"github.com/vigil-sec/vigil/internal/logs"
	"github.com/vigil-sec/vigil/internal/sigma"
)

// RunOptions tunes a batch run.
type RunOptions struct {
	// Workers is the number of files read and matched in parallel (default
	// GOMAXPROCS).
	Workers int
	// OnInputError receives problems with inputs (unreadable files,
	// malformed events), in input order, from the calling goroutine.
	OnInputError func(logs.InputError)
	// Progress, when set, is called from the calling goroutine at most every
	// ProgressEvery (default 500 ms) as files complete, and once at the end,
	// with running counts for a progress display.
	Progress      func(RunProgress)
	ProgressEvery time.Duration
}

// RunProgress is Run's running count: files done of the files listed,
// events read, alerts written and the time since Run started.
type RunProgress struct {
	Files, FilesTotal int
	Events            int64
	Alerts            int
	Elapsed           time.Duration
}

// Stdin as a path reads standard input.
const Stdin = "-"

// ListFiles expands paths as logs.Walk does ("-" is kept: standard input): files as given, directories
// walked recursively in lexical order, hidden entries below a directory
// skipped. Paths that cannot be read are reported to onErr.
func ListFiles(paths []string, onErr func(logs.InputError)) []string {
	var out, rest []string
	for _, p := range paths {
		if p == Stdin {
			// Keep stdin where it was given, before what follows it.
			out = append(out, logs.ListFiles(rest, onErr)...)
			out = append(out, p)
			rest = nil
			continue
		}
		rest = append(rest, p)
	}
	return append(out, logs.ListFiles(rest, onErr)...)
}

const hitChunk = 512

// chunkPool hands the emitter's emptied chunks of hits back to the workers
// (a chunk is about 200 KB: allocated afresh, each was zeroed and faulted
// in). A chunk goes back once every hit of it is emitted: nothing keeps a
// pointer into it after Emit (pending events copy what they keep). Its
// stale hits keep what they point to alive until overwritten.
type chunkPool chan []Hit

func (p chunkPool) get() []Hit {
	select {
	case c := <-p:
		return c
	default:
		return make([]Hit, 0, hitChunk)
	}
}

func (p chunkPool) put(c []Hit) {
	select {
	case p <- c[:0]:
	default:
	}
}

// fileResult is what a worker found in one file, handed to the emitting
// goroutine as it goes: full chunks of hits as they fill (so the emitter
// works on a file while it is read, and the hits it has emitted, with
// their copies of the raw events, are soon garbage), then the rest.
type fileResult struct {
	mu sync.Mutex
	// ready is signalled (capacity 1) when chunks or done change.
	ready chan struct{}
	// chunks are the matched records not yet taken, in input order, in
	// chunks of hitChunk (a Hit is a few hundred bytes: one growing slice
	// copied them over and over).
	chunks [][]Hit
	done   bool
	// Set when done: the input errors, the events read, the newest event
	// time in the file, and the context's error; lease, the file's read
	// buffers that hits point into, and giveBack, what returns them to
	// the pool (nil when none was lent).
	errs     []logs.InputError
	events   int64
	newest   time.Time
	err      error
	lease    *bufLease
	giveBack func()
}

func newFileResult() *fileResult { return &fileResult{ready: make(chan struct{}, 1)} }

// send hands a chunk of hits to the emitter.
func (r *fileResult) send(c []Hit) {
	r.mu.Lock()
	r.chunks = append(r.chunks, c)
	r.mu.Unlock()
	r.signal()
}

// finish hands the last hits and the file's totals to the emitter.
func (r *fileResult) finish(c []Hit, errs []logs.InputError, events int64, newest time.Time, err error, lease *bufLease, giveBack func()) {
	r.mu.Lock()
	if len(c) > 0 {
		r.chunks = append(r.chunks, c)
	}
	r.errs, r.events, r.newest, r.err, r.done = errs, events, newest, err, true
	r.lease, r.giveBack = lease, giveBack
	r.mu.Unlock()
	r.signal()
}

func (r *fileResult) signal() {
	select {
	case r.ready <- struct{}{}:
	default:
	}
}

// take waits for chunks of hits or the end of the file and returns the
// chunks sent since the last take, and whether the file is done.
func (r *fileResult) take(ctx context.Context) (chunks [][]Hit, done bool, err error) {
	for {
		r.mu.Lock()
		chunks, done = r.chunks, r.done
		r.chunks = nil
		r.mu.Unlock()
		if len(chunks) > 0 || done {
			return chunks, done, nil
		}
		select {
		case <-r.ready:
		case <-ctx.Done():
			return nil, false, ctx.Err()
		}
	}
}

// Run reads every audit event under paths, matches them on Workers
// goroutines (one file at a time per worker) and emits alerts to sink in
// input order, so output is deterministic. Correlations see the matched
// events in event-time order within the reorder window, exactly as Follow
// over the same files in the same order would (see Advance). Only input errors are reported
// through OnInputError; Run returns the sink's, the context's or an internal
// error.
func (e *Engine) Run(ctx context.Context, paths []string, sink Sink, opt RunOptions) error {
	onErr := opt.OnInputError
	if onErr == nil {
		onErr = func(logs.InputError) {}
	}
	files := ListFiles(paths, onErr)
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = min(workers, max(len(files), 1))
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	results := make([]*fileResult, len(files))
	for i := range results {
		results[i] = newFileResult()
	}
	jobs := make(chan int)
	window := make(chan struct{}, 4*workers) // bounds how far workers run ahead
	// The workers share a few large read buffers (a CloudTrail log file
	// is read whole): matchFile copies the events it keeps out of them.
	rd := e.reader
	if !e.noBufferReuse {
		rd.Buffers = &logs.BufferPool{}
	}
	pool := make(chunkPool, 4*workers)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			m := e.NewMatcher()
			for i := range jobs {
				e.matchFile(ctx, rd, m, files[i], results[i], pool)
			}
		}()
	}
	go func() {
		defer close(jobs)
		for i := range files {
			select {
			case window <- struct{}{}:
			case <-ctx.Done():
				return
			}
			select {
			case jobs <- i:
			case <-ctx.Done():
				return
			}
		}
	}()
	// On any return: stop the feeder and the workers, then wait for them.
	defer func() {
		cancel()
		wg.Wait()
	}()

	alerts := 0
	emit := func(a *Alert) error { alerts++; return sink.Write(ctx, a) }
	every := opt.ProgressEvery
	if every <= 0 {
		every = 500 * time.Millisecond
	}
	var events int64
	start, last := time.Now(), time.Time{}
	progress := func(done int, force bool) {
		if opt.Progress == nil || (!force && time.Since(last) < every) {
			return
		}
		last = time.Now()
		opt.Progress(RunProgress{Files: done, FilesTotal: len(files), Events: events, Alerts: alerts, Elapsed: time.Since(start)})
	}
	for i := range files {
		r := results[i]
		for {
			chunks, done, err := r.take(ctx)
			if err != nil {
				return err
			}
			for _, chunk := range chunks {
				for j := range chunk {
					h := &chunk[j]
					// The watermark as a run reading event by event has it here.
					if err := e.Advance(ctx, h.wm, emit); err != nil {
						return err
					}
					if err := e.Emit(ctx, h, emit); err != nil {
						return err
					}
				}
				pool.put(chunk)
			}
			if done {
				break
			}
		}
		if r.lease != nil {
			// Every hit of the file is emitted: its buffers go back to
			// the pool once no event waiting in the reorder buffer
			// points into them.
			r.lease.giveBack, r.lease.done = r.giveBack, true
			r.lease.maybeRelease()
		}
		<-window
		results[i] = nil
		for _, ie := range r.errs {
			onErr(ie)
		}
		if r.err != nil {
			return r.err
		}
		e.stats.mu.Lock()
		e.stats.Events += r.events
		e.stats.mu.Unlock()
		events += r.events
		if err := e.Advance(ctx, r.newest, emit); err != nil {
			return err
		}
		progress(i+1, false)
	}
	if err := e.FinishBatch(ctx, emit); err != nil {
		return err
	}
	progress(len(files), true)
	return sink.Flush(ctx)
}

// matchFile reads one file with rd and hands the records that matched a
// rule to r as it goes (see fileResult). rd may lend its buffers
// (logs.Reader.Buffers): the raw events of the records kept are copied
// out of them.
func (e *Engine) matchFile(ctx context.Context, rd logs.Reader, m *Matcher, path string, r *fileResult, chunks chunkPool) {
	var (
		cur      []Hit
		errs     []logs.InputError
		events   int64
		newest   time.Time
		arena    rawArena
		kh       keyHasher
		lease    *bufLease
		giveBack func()
		leased   int // hits pointing into the lent buffers
	)
	if rd.Buffers != nil {
		// The file's lent buffers stay out of the pool until the emitter
		// is done with the events that point into them (see bufLease).
		lease = &bufLease{}
		rd.Hold = func(lent [][]byte, gb func()) {
			giveBack = gb
			if e.scribbleReturned {
				giveBack = func() {
					for _, b := range lent {
						b = b[:cap(b)]
						for i := range b {
							b[i] = 'x'
						}
					}
					gb()
				}
			}
			if leased == 0 {
				// No hit points into the buffers: back to the pool now,
				// as without a lease.
				giveBack()
				giveBack = nil
			}
		}
	}
	// A bug tripped by one input must not take the whole run down: report
	// it against the file and go on with the others (the hits of the
	// chunks already handed over still count).
	defer func() {
		if p := recover(); p != nil {
			errs = append(errs, logs.InputError{File: path, Offset: -1, Err: fmt.Errorf("internal error reading this file: %v", p)})
			r.finish(nil, errs, events, newest, nil, nil, nil)
		}
	}()
	fn := func(rec logs.Record) error {
		events++
		t := EventTime(rec)
		if t.After(newest) {
			newest = t
		}
		// The hit is matched into its place in the chunk (a Hit is a few
		// hundred bytes: not built aside and copied in).
		if cur == nil {
			cur = chunks.get()
		}
		cur = cur[:len(cur)+1]
		h := &cur[len(cur)-1]
		if !m.matchAt(rec, t, h) {
			cur = cur[:len(cur)-1]
			return nil
		}
		if rd.Buffers != nil {
			if e.alertsOn(h.Rules) {
				// Its alerts keep the event: a copy of its own.
				h.Record.Raw = arena.copy(rec.Raw)
			} else {
				// Only correlations see it (most hits: events that feed
				// value_count correlations): it points into the read
				// buffer, held until the emitter is done with it.
				h.lease = lease
				leased++
			}
		}
		h.wm = newest
		h.key, h.ord = kh.keys(&e.keySecret, h.Record)
		h.keyed = true
		e.prepare(h, m.ev, &m.allow, &m.scratch)
		if len(cur) == hitChunk {
			r.send(cur)
			cur = nil
		}
		return nil
	}
	onErr := func(ie logs.InputError) { errs = append(errs, ie) }
	var err error
	if path == Stdin {
		err = rd.Read(ctx, "stdin", os.Stdin, fn, onErr)
	} else {
		err = rd.ReadFile(ctx, path, fn, onErr)
	}
	r.finish(cur, errs, events, newest, err, lease, giveBack)
}

// alertsOn reports whether any of rules raises its own alerts (an alert
// keeps its events).
func (e *Engine) alertsOn(rules []*sigma.Rule) bool {
	for _, r := range rules {
		if e.info[r] != nil && !e.silent[r] {
			return true
		}
	}
	return false
}

// bufLease holds a file's lent read buffers (logs.Reader.Hold) while
// matched events that point into them wait in the reorder buffer. The
// emitting goroutine alone counts the references and gives the buffers
// back: once it has taken every hit of the file (done) and the last such
// event has been correlated. Events kept longer (correlation evidence,
// alerts) are copied first (Engine.own).
type bufLease struct {
	refs     int
	done     bool
	giveBack func()
}

func (l *bufLease) unref() {
	l.refs--
	l.maybeRelease()
}

func (l *bufLease) maybeRelease() {
	if l.done && l.refs == 0 && l.giveBack != nil {
		l.giveBack()
		l.giveBack = nil
	}
}

// own gives h its own copy of its raw event when it points into a read
// buffer held by a lease (which h then no longer needs).
func (e *Engine) own(h *Hit) {
	if h.lease == nil {
		return
	}
	h.Record.Raw = e.arena.copy(h.Record.Raw)
	h.lease = nil
}

// arenaChunk is the size of a rawArena's chunks: large enough that copying
// events into them costs few allocations, small enough that an event kept
// long (correlation evidence) holds little memory with it.
const arenaChunk = 64 << 10

// rawArena copies raw events into shared chunks (one allocation per chunk
// rather than per event).
type rawArena struct{ buf []byte }

func (a *rawArena) copy(b []byte) []byte {
	if len(b) > arenaChunk/4 {
		return bytes.Clone(b)
	}
	if cap(a.buf)-len(a.buf) < len(b) {
		a.buf = make([]byte, 0, arenaChunk)
	}
	n := len(a.buf)
	a.buf = append(a.buf, b...)
	return a.buf[n:len(a.buf):len(a.buf)]
}
