package detect

import (
	"context"
	"errors"
	"fmt"
	"os"
	"runtime"
	"sync"
	"time"

	"github.com/vigil-sec/vigil/internal/logs"
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

type fileResult struct {
	// hits are the matched records in input order, in chunks of
	// hitChunk (a Hit is a few hundred bytes: one growing slice copied
	// them over and over).
	hits   [][]Hit
	errs   []logs.InputError
	events int64
	// newest is the newest event time in the file.
	newest time.Time
	err    error
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

	results := make([]chan fileResult, len(files))
	for i := range results {
		results[i] = make(chan fileResult, 1)
	}
	jobs := make(chan int)
	window := make(chan struct{}, 4*workers) // bounds how far workers run ahead
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			m := e.NewMatcher()
			for i := range jobs {
				results[i] <- e.matchFile(ctx, m, files[i])
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
		var r fileResult
		select {
		case r = <-results[i]:
		case <-ctx.Done():
			return ctx.Err()
		}
		<-window
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
		for _, chunk := range r.hits {
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
		}
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

// matchFile reads one file and keeps the records that matched a rule.
func (e *Engine) matchFile(ctx context.Context, m *Matcher, path string) (r fileResult) {
	// A bug tripped by one input must not take the whole run down: report
	// it against the file and go on with the others.
	defer func() {
		if p := recover(); p != nil {
			r.hits = nil
			r.errs = append(r.errs, logs.InputError{File: path, Offset: -1, Err: fmt.Errorf("internal error reading this file: %v", p)})
		}
	}()
	fn := func(rec logs.Record) error {
		r.events++
		t := EventTime(rec)
		if t.After(r.newest) {
			r.newest = t
		}
		var h Hit
		if m.matchAt(rec, t, &h) {
			h.wm = r.newest
			h.key, h.keyed = keyOf(rec), true
			e.Prepare(&h)
			if n := len(r.hits); n == 0 || len(r.hits[n-1]) == cap(r.hits[n-1]) {
				r.hits = append(r.hits, make([]Hit, 0, hitChunk))
			}
			last := &r.hits[len(r.hits)-1]
			*last = append(*last, h)
		}
		return nil
	}
	onErr := func(ie logs.InputError) { r.errs = append(r.errs, ie) }
	var err error
	if path == Stdin {
		err = e.reader.Read(ctx, "stdin", os.Stdin, fn, onErr)
	} else {
		err = e.reader.ReadFile(ctx, path, fn, onErr)
	}
	if err != nil && !errors.Is(err, context.Canceled) {
		r.err = err
	} else if err != nil {
		r.err = err
	}
	return r
}
