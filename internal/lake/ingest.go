package lake

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/vigil-sec/vigil/internal/logs"
)

// DefaultDir is the lake directory used when none is given.
const DefaultDir = ".vigil/lake"

// manifestDir holds the record of ingested input files: one JSON-lines file
// per ingest run, one line per input file with the SHA-256 of its bytes. It
// starts with "_" so query globs never read it.
const manifestDir = "_vigil/ingested"

// flushBytes bounds the raw+OCSF bytes buffered before part files are
// written.
const flushBytes = 64 << 20

// Lake is a directory of Parquet event files.
type Lake struct {
	Dir string
}

// Open returns the lake at dir, creating the directory.
func Open(dir string) (*Lake, error) {
	if dir == "" {
		dir = DefaultDir
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("lake: %w", err)
	}
	return &Lake{Dir: dir}, nil
}

// IngestStats reports what an ingest did.
type IngestStats struct {
	Files        int                 // input files read
	AlreadyDone  int                 // files skipped: same content ingested before
	Read         map[logs.Source]int // events read per source
	Stored       map[logs.Source]int // new events written per source
	Duplicates   int                 // events already in the lake (or repeated in the input)
	InputErrors  int                 // bad input reported to OnError (not skips)
	Skipped      int                 // non-log inputs reported to OnError
	PartsWritten int
	// LeftoversRemoved counts the temporary files of an interrupted earlier
	// run (.tmp-*) removed under the lock before ingesting.
	LeftoversRemoved int
}

// IngestOptions tunes Ingest.
type IngestOptions struct {
	// OnError receives every input problem with its file and position
	// (including normalization failures and skipped non-log files).
	OnError func(logs.InputError)
	// Force re-reads files whose content was ingested before (events are
	// still deduplicated).
	Force bool
	// FlushBytes bounds the event bytes buffered in memory before part files
	// are written (default 64 MiB).
	FlushBytes int
	// Progress, when set, is called from one goroutine every ProgressEvery
	// (default 500 ms) while events are stored, and once at the end.
	Progress      func(IngestProgress)
	ProgressEvery time.Duration
}

// IngestProgress is a running count for a progress display.
type IngestProgress struct {
	Files   int // files read or being read
	Events  int // events normalized so far
	Elapsed time.Duration
}

type manifestEntry struct {
	SHA256   string    `json:"sha256"`
	Path     string    `json:"path"`
	Size     int64     `json:"size"`
	Events   int       `json:"events"`
	Ingested time.Time `json:"ingested"`
}

// ingester buffers rows per partition and remembers which event hashes each
// partition already holds. A full buffer is written by background
// goroutines (one per partition, at most writers at once) while the next one
// fills, so normalization goes on during Parquet writing; at most one
// buffer is being written at a time, so memory stays within twice flushAt.
type ingester struct {
	lake     *Lake
	stats    *IngestStats
	buf      map[string][]Row
	bufBytes int
	flushAt  int
	seen     map[string]map[eventKey]struct{}
	codec    *zstdCodec
	// lastLen is the rows of each partition's last buffer; lastSource,
	// lastDay and lastPart the last row's partition.
	lastLen    map[string]int
	lastSource logs.Source
	lastDay    int64
	lastPart   string
	writers    int
	// writing is the buffer being written (nil when none), done when its
	// writes have ended; written holds each partition's row count, or 0
	// when it failed (the error in writeErr).
	writing  map[string][]Row
	done     chan struct{}
	written  map[string]int
	writeErr error
}

// Ingest reads, normalizes and stores the audit events of paths. Each input
// file is recorded by content hash after its events are durably written, so
// ingesting the same file again is a no-op; within a partition events are
// deduplicated by the hash of their raw JSON, so a crash between writing
// events and recording the file, or the same events arriving in two files,
// stores each event once. Input problems go to opts.OnError and the rest is
// ingested; the returned error is for the lake itself (or cancellation).
func (l *Lake) Ingest(ctx context.Context, paths []string, opts IngestOptions) (IngestStats, error) {
	st := IngestStats{Read: map[logs.Source]int{}, Stored: map[logs.Source]int{}}
	unlock, err := l.lock()
	if err != nil {
		return st, err
	}
	defer unlock()
	if st.LeftoversRemoved, err = l.removeLeftovers(); err != nil {
		return st, err
	}
	// Input problems are reported from the reading and the normalizing
	// goroutines; OnError is called under mu, one call at a time.
	var mu sync.Mutex
	report := func(e logs.InputError) {
		mu.Lock()
		defer mu.Unlock()
		if e.Skipped {
			st.Skipped++
		} else {
			st.InputErrors++
		}
		if opts.OnError != nil {
			opts.OnError(e)
		}
	}
	workers := max(1, runtime.GOMAXPROCS(0))
	codec, err := newZstdCodec(workers)
	if err != nil {
		return st, err
	}
	defer codec.Close()
	in := &ingester{lake: l, stats: &st, buf: map[string][]Row{}, seen: map[string]map[eventKey]struct{}{},
		flushAt: opts.FlushBytes, codec: codec, writers: workers, lastLen: map[string]int{}}
	if in.flushAt <= 0 {
		in.flushAt = flushBytes
	}
	// No write may outlive Ingest (the lock is released on return).
	defer in.wait()
	done, err := l.ingestedFiles()
	if err != nil {
		return st, err
	}

	// Pipeline: one goroutine reads and splits files in order, workers
	// normalize batches of records, this goroutine stores the rows.
	type batch struct {
		recs []logs.Record
		rows []Row
		ok   []bool
		// mem holds the CloudTrail records' Members (the reader's are
		// valid only during its callback): record i's are
		// mem[memEnd[i-1]:memEnd[i]].
		mem    []int32
		memEnd []int32
	}
	const batchSize = 256
	g, gctx := errgroup.WithContext(ctx)
	toWork := make(chan *batch, workers*2)
	toStore := make(chan *batch, workers*2)
	var (
		pending []manifestEntry
		read    = map[logs.Source]int{}
		files   int
		already int
		// filesSeen is files for the progress display (read by the storer).
		filesSeen atomic.Int64
	)
	// The files are hashed (for the manifest) one file ahead of the
	// reading, on a goroutine of their own: hashing a file before reading
	// it left the other core idle. Errors are reported by the reader, in
	// file order.
	type hashed struct {
		path, sum string
		size      int64
		err       error
	}
	hashes := make(chan hashed, 1)
	g.Go(func() error {
		defer close(hashes)
		for _, path := range logs.ListFiles(paths, report) {
			h := hashed{path: path}
			h.sum, h.size, h.err = fileHash(path)
			select {
			case hashes <- h:
			case <-gctx.Done():
				return gctx.Err()
			}
		}
		return nil
	})
	g.Go(func() error {
		defer close(toWork)
		// Batches are sized for batchSize CloudTrail events of up to 32
		// members: growing them was a fifth of ingest's allocations.
		newBatch := func() *batch {
			return &batch{recs: make([]logs.Record, 0, batchSize), memEnd: make([]int32, 0, batchSize), mem: make([]int32, 0, batchSize*4*32)}
		}
		cur := newBatch()
		send := func() error {
			if len(cur.recs) == 0 {
				return nil
			}
			select {
			case toWork <- cur:
			case <-gctx.Done():
				return gctx.Err()
			}
			cur = newBatch()
			return nil
		}
		for h := range hashes {
			if err := gctx.Err(); err != nil {
				return err
			}
			path, sum, size := h.path, h.sum, h.size
			if h.err != nil {
				report(logs.InputError{File: path, Offset: -1, Err: h.err})
				continue
			}
			if !opts.Force && done[sum] {
				already++
				slog.Debug("lake: already ingested", "file", path, "sha256", sum)
				continue
			}
			done[sum] = true // the same content twice in one run is read once
			files++
			filesSeen.Add(1)
			err := logs.ReadFile(gctx, path, func(r logs.Record) error {
				read[r.Source]++
				if r.Source == logs.AWSCloudTrail {
					cur.mem = append(cur.mem, r.Members...)
				}
				r.Members = nil
				cur.memEnd = append(cur.memEnd, int32(len(cur.mem)))
				cur.recs = append(cur.recs, r)
				if len(cur.recs) == batchSize {
					return send()
				}
				return nil
			}, report)
			if err != nil {
				return err
			}
			pending = append(pending, manifestEntry{SHA256: sum, Path: path, Size: size, Ingested: time.Now().UTC()})
		}
		return send()
	})
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		g.Go(func() error {
			defer wg.Done()
			for b := range toWork {
				b.rows = make([]Row, len(b.recs))
				b.ok = make([]bool, len(b.recs))
				var arena []byte
				for i, r := range b.recs {
					if r.Source == logs.AWSCloudTrail {
						var mem []int32
						if i > 0 {
							mem = b.mem[b.memEnd[i-1]:b.memEnd[i]]
						} else {
							mem = b.mem[:b.memEnd[0]]
						}
						if b.rows[i], b.ok[i] = newCloudTrailRow(r.Raw, mem, &arena); b.ok[i] {
							continue
						}
					}
					// raw_data is not copied: the row stores the event
					// once, in raw (see NewRow).
					ev, err := logs.NormalizeWithoutRaw(r)
					if err == nil {
						b.rows[i], err = NewRow(r.Source, r.Raw, ev)
					}
					if err != nil {
						report(logs.InputError{File: r.File, Line: r.Line, Offset: r.Offset, Err: fmt.Errorf("normalize: %w", err)})
						continue
					}
					b.ok[i] = true
				}
				select {
				case toStore <- b:
				case <-gctx.Done():
					return gctx.Err()
				}
			}
			return nil
		})
	}
	go func() { wg.Wait(); close(toStore) }()
	events := map[string]int{}
	every := opts.ProgressEvery
	if every <= 0 {
		every = 500 * time.Millisecond
	}
	start, lastProgress, normalized := time.Now(), time.Now(), 0
	progress := func(force bool) {
		if opts.Progress == nil || (!force && time.Since(lastProgress) < every) {
			return
		}
		lastProgress = time.Now()
		opts.Progress(IngestProgress{Files: int(filesSeen.Load()), Events: normalized, Elapsed: time.Since(start)})
	}
	storeErr := func() error {
		for b := range toStore {
			normalized += len(b.rows)
			progress(false)
			for i := range b.rows {
				if !b.ok[i] {
					continue
				}
				events[b.recs[i].File]++
				if err := in.add(b.rows[i]); err != nil {
					return err
				}
			}
		}
		return nil
	}()
	if storeErr != nil {
		// Stop the readers and workers, and let them drain.
		g.Go(func() error { return storeErr })
		for range toStore {
		}
	}
	err = g.Wait()
	progress(true)
	st.Files, st.AlreadyDone = files, already
	for s, n := range read {
		st.Read[s] = n
	}
	if err != nil {
		return st, err
	}
	if err := in.flush(); err != nil {
		return st, err
	}
	if err := in.wait(); err != nil {
		return st, err
	}
	// Only now are the files' events durable: record the files.
	if len(pending) > 0 {
		var b bytes.Buffer
		enc := json.NewEncoder(&b)
		for _, m := range pending {
			m.Events = events[m.Path]
			_ = enc.Encode(m)
		}
		h := sha256.Sum256(b.Bytes())
		name := time.Now().UTC().Format("20060102T150405Z") + "-" + hex.EncodeToString(h[:8]) + ".jsonl"
		if err := writeFileAtomic(filepath.Join(l.Dir, manifestDir, name), b.Bytes()); err != nil {
			return st, fmt.Errorf("lake: manifest: %w", err)
		}
	}
	return st, nil
}

// ingestedFiles reads the manifest: the SHA-256 of every file ingested.
func (l *Lake) ingestedFiles() (map[string]bool, error) {
	done := map[string]bool{}
	dir := filepath.Join(l.Dir, manifestDir)
	ents, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return done, nil
	}
	if err != nil {
		return nil, fmt.Errorf("lake: manifest: %w", err)
	}
	for _, e := range ents {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".jsonl") || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			return nil, fmt.Errorf("lake: manifest: %w", err)
		}
		for i, line := range bytes.Split(data, []byte("\n")) {
			if len(bytes.TrimSpace(line)) == 0 {
				continue
			}
			var m manifestEntry
			if err := json.Unmarshal(line, &m); err != nil || m.SHA256 == "" {
				// A damaged manifest only costs a re-read (events are
				// deduplicated), so it is not fatal.
				slog.Warn("lake: ignoring bad manifest line", "file", e.Name(), "line", i+1)
				continue
			}
			done[m.SHA256] = true
		}
	}
	return done, nil
}

func fileHash(path string) (string, int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", 0, err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return "", 0, err
	}
	return hex.EncodeToString(h.Sum(nil)), n, nil
}

func (in *ingester) add(r Row) error {
	// Consecutive rows are mostly of one partition: its name is formatted
	// once.
	day := r.Time.Unix()
	day = day/86400 - b2i(day%86400 < 0)
	if r.source != in.lastSource || day != in.lastDay || in.lastPart == "" {
		in.lastSource, in.lastDay, in.lastPart = r.source, day, r.partition()
	}
	part := in.lastPart
	seen, ok := in.seen[part]
	if !ok {
		seen = map[eventKey]struct{}{}
		files, err := partFiles(filepath.Join(in.lake.Dir, part))
		if err != nil {
			return fmt.Errorf("lake: %w", err)
		}
		for _, f := range files {
			if err := readHashes(f, seen); err != nil {
				return err
			}
		}
		in.seen[part] = seen
	}
	if _, dup := seen[r.hash]; dup {
		in.stats.Duplicates++
		return nil
	}
	seen[r.hash] = struct{}{}
	rows, ok := in.buf[part]
	if !ok {
		// As many as the partition's last buffer held: appending to a
		// growing slice of rows was 3% of ingest's CPU time.
		rows = make([]Row, 0, max(256, in.lastLen[part]))
	}
	in.buf[part] = append(rows, r)
	in.bufBytes += len(r.Raw) + len(r.OCSF) + 256
	if in.bufBytes >= in.flushAt {
		return in.flush()
	}
	return nil
}

// flush starts writing the buffered rows in the background, after the
// previous buffer's writes have ended. It returns their error, if any.
func (in *ingester) flush() error {
	if err := in.wait(); err != nil {
		return err
	}
	if len(in.buf) == 0 {
		return nil
	}
	in.writing, in.buf, in.bufBytes = in.buf, map[string][]Row{}, 0
	for p, rows := range in.writing {
		in.lastLen[p] = len(rows)
	}
	in.written = make(map[string]int, len(in.writing))
	in.done = make(chan struct{})
	parts := make([]string, 0, len(in.writing))
	for p := range in.writing {
		parts = append(parts, p)
	}
	sort.Strings(parts)
	go func() {
		defer close(in.done)
		var (
			g  errgroup.Group
			mu sync.Mutex
		)
		g.SetLimit(in.writers)
		for _, p := range parts {
			rows := in.writing[p]
			g.Go(func() error {
				if _, err := writePart(filepath.Join(in.lake.Dir, p), rows, in.codec); err != nil {
					return err
				}
				mu.Lock()
				in.written[p] = len(rows)
				mu.Unlock()
				return nil
			})
		}
		in.writeErr = g.Wait()
	}()
	return nil
}

// wait waits for the buffer being written, counts what was written and
// returns the first write error.
func (in *ingester) wait() error {
	if in.done == nil {
		return nil
	}
	<-in.done
	for p, n := range in.written {
		in.stats.PartsWritten++
		in.stats.Stored[in.writing[p][0].source] += n
	}
	err := in.writeErr
	in.writing, in.written, in.done, in.writeErr = nil, nil, nil, nil
	return err
}

func b2i(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// removeLeftovers deletes the hidden temporary files (.tmp-*) a killed
// ingest left in the partitions and the manifest folder. It runs under the
// ingest lock, so no other ingest is writing them.
func (l *Lake) removeLeftovers() (int, error) {
	var found []string
	for _, pat := range []string{
		filepath.Join(l.Dir, "source=*", "date=*", ".tmp-*"),
		filepath.Join(l.Dir, manifestDir, ".tmp-*"),
		filepath.Join(l.Dir, manifestDir, "*", ".tmp-*"),
	} {
		m, err := filepath.Glob(pat)
		if err != nil {
			return 0, fmt.Errorf("lake: %w", err)
		}
		found = append(found, m...)
	}
	n := 0
	for _, p := range found {
		if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
			return n, fmt.Errorf("lake: remove leftover %s: %w", p, err)
		}
		n++
	}
	return n, nil
}
