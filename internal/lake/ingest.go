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
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sync/errgroup"
	"lukechampine.com/blake3"

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

// manifestEntry records one ingested file by its content: the BLAKE3 of
// its bytes (256 bits, hex); entries written before 6 December 2026 give
// their SHA-256 instead (a file of the size of such an entry is hashed
// with both), later ones for files larger than maxWholeRead both.
type manifestEntry struct {
	BLAKE3   string    `json:"blake3,omitempty"`
	SHA256   string    `json:"sha256,omitempty"`
	Path     string    `json:"path"`
	Size     int64     `json:"size"`
	Events   int       `json:"events"`
	Ingested time.Time `json:"ingested"`
}

// ingester buffers rows per partition and remembers which event hashes each
// partition already holds. A full buffer is written by background
// goroutines (one per partition, at most writers at once) while the next one
// fills, so normalization goes on during Parquet writing. Up to
// maxWriting buffers are written at once: a buffer is mostly one
// partition, and its single writing goroutine, about a third of ingest's
// CPU time, fell behind and stopped the pipeline while the other core
// idled. Memory stays within maxWriting+1 times flushAt.
type ingester struct {
	lake     *Lake
	stats    *IngestStats
	parts    map[string]*partState
	bufBytes int
	flushAt  int
	codec    *zstdCodec
	// filled lists the partitions with buffered rows, in first-row order.
	filled []*partState
	// cur is the last row's partition (consecutive rows are mostly of
	// one), for curSource and curDay.
	cur       *partState
	curSource logs.Source
	curDay    int64
	writers   int
	// chunks are the arena chunks the buffered rows may refer to (see
	// chunkPool); pool takes them back once the rows are written.
	chunks [][]byte
	pool   *chunkPool
	// spare holds emptied row buffers of written parts for reuse.
	spare [][]Row
	// writing lists the buffers being written, oldest first.
	writing []*flushing
}

// maxWriting bounds the buffers written at once.
const maxWriting = 2

// flushing is one buffer being written: its jobs and the arena chunks its
// rows may refer to. done is closed when its writes have ended; written
// holds each job's row count, or 0 when it failed (the error in err).
type flushing struct {
	jobs    []writeJob
	chunks  [][]byte
	done    chan struct{}
	written []int
	err     error
}

// partState is one partition of an ingest: the event hashes it holds and
// its buffered rows.
type partState struct {
	dir  string // relative to the lake
	seen keySet
	rows []Row
	// lastLen is the row count of the partition's last buffer.
	lastLen int
}

// writeJob is one partition's rows being written. half marks the second
// half of a partition's rows split in two by flushLast (its buffer is the
// first half's).
type writeJob struct {
	p    *partState
	rows []Row
	half bool
}

// Ingest reads, normalizes and stores the audit events of paths. Each input
// file is recorded by content hash after its events are durably written, so
// ingesting the same file again is a no-op; within a partition events are
// deduplicated by the hash of their raw JSON, so a crash between writing
// events and recording the file, or the same events arriving in two files,
// stores each event once. Input problems go to opts.OnError and the rest is
// ingested; the returned error is for the lake itself (or cancellation).
func (l *Lake) Ingest(ctx context.Context, paths []string, opts IngestOptions) (IngestStats, error) {
	return l.ingest(ctx, paths, opts, &chunkPool{})
}

// ingest is Ingest with the pool its OCSF encodings' arena chunks are
// recycled through.
func (l *Lake) ingest(ctx context.Context, paths []string, opts IngestOptions, pool *chunkPool) (IngestStats, error) {
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
	in := &ingester{lake: l, stats: &st, parts: map[string]*partState{},
		flushAt: opts.FlushBytes, codec: codec, writers: workers, pool: pool}
	if in.flushAt <= 0 {
		in.flushAt = flushBytes
	}
	// No write may outlive Ingest (the lock is released on return).
	defer in.wait()
	done, sizes, shaSizes, err := l.ingestedFiles()
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
		// raw is the arena chunk the reader copies the records' Raw
		// into (its read buffers are reused for the next file).
		raw []byte
		// chunks are the batch's raw chunks and the arena chunks retired
		// while it was encoded: its rows, and rows of earlier batches of
		// the same worker, refer to them.
		chunks [][]byte
	}
	// A batch holds up to batchSize records, as many as fill its raw
	// chunk.
	const batchSize = 1024
	g, gctx := errgroup.WithContext(ctx)
	toWork := make(chan *batch, workers*2)
	toStore := make(chan *batch, workers*2)
	// Batches are recycled: the storer gives them back once their rows
	// are copied into the partition buffers.
	spare := make(chan *batch, workers*4+2)
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
	// it left the other core idle. A file up to maxWholeRead is read once,
	// whole, hashed in memory and handed to the reader with its bytes
	// (logs.Reader.ReadData: split where they lie); reading it a second
	// time was 3-4% of ingest's CPU time (system time copying it out of
	// the page cache, a 16 MiB first buffer copied again, a pass to find
	// its line's end). A file read whole whose size is that of no file
	// ingested before nor read earlier in this run cannot be one of them:
	// it is handed over before it is hashed and hashed while the reader
	// splits it (a new lake's first file was otherwise hashed with a core
	// idle). Errors are reported by the reader, in file order.
	type hashed struct {
		path string
		size int64
		// data is the file's bytes when read whole (a buffer of
		// wholeBufs, given back once read and hashed), else nil.
		data []byte
		err  error
		// sum is the file's BLAKE3, set before the file is handed over,
		// or, when ready is not nil, once ready is closed; sha its
		// SHA-256 when a manifest entry of its size has only that.
		sum, sha string
		ready    chan struct{}
	}
	// Unbuffered: at most two whole files in memory (the one read, the
	// next one).
	hashes := make(chan *hashed)
	wholeBufs := &dataPool{}
	g.Go(func() error {
		defer close(hashes)
		// Larger files are read in large blocks (io.Copy reads an
		// *os.File 32 KiB at a time: thousands of system calls for a
		// large log file).
		buf := make([]byte, 1<<20)
		for _, path := range logs.ListFiles(paths, report) {
			h := &hashed{path: path}
			h.size, h.data, h.err = readWholeFile(path, wholeBufs)
			switch {
			case h.err != nil:
			case h.data == nil:
				h.sum, h.sha, h.size, h.err = fileHash(path, buf)
			case sizes[h.size] || sizes[0]:
				// Maybe ingested or read before: the reader needs the
				// hash first. (Size 0: a manifest without sizes.)
				h.sum = blake3Hex(h.data)
				if shaSizes[h.size] || shaSizes[0] {
					h.sha = sha256Hex(h.data)
				}
			default:
				h.ready = make(chan struct{})
			}
			if h.err == nil {
				sizes[h.size] = true
			}
			select {
			case hashes <- h:
			case <-gctx.Done():
				return gctx.Err()
			}
			if h.ready != nil {
				h.sum = blake3Hex(h.data)
				close(h.ready)
			}
		}
		return nil
	})
	rd := logs.Reader{Buffers: &logs.BufferPool{}}
	g.Go(func() error {
		defer close(toWork)
		// Batches are sized for batchSize CloudTrail events of 24
		// members on average (growing them was a fifth of ingest's
		// allocations) and recycled.
		newBatch := func() *batch {
			select {
			case b := <-spare:
				clear(b.recs)
				b.recs, b.mem, b.memEnd, b.raw = b.recs[:0], b.mem[:0], b.memEnd[:0], nil
				return b
			default:
				return &batch{recs: make([]logs.Record, 0, batchSize), memEnd: make([]int32, 0, batchSize), mem: make([]int32, 0, batchSize*4*24)}
			}
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
			path, size := h.path, h.size
			if h.err != nil {
				report(logs.InputError{File: path, Offset: -1, Err: h.err})
				continue
			}
			if h.ready == nil {
				if !opts.Force && (done["b3:"+h.sum] || h.sha != "" && done["sha:"+h.sha]) {
					already++
					slog.Debug("lake: already ingested", "file", path, "blake3", h.sum)
					wholeBufs.put(h.data)
					continue
				}
				done["b3:"+h.sum] = true // the same content twice in one run is read once
			}
			files++
			filesSeen.Add(1)
			// The reader lends its buffers (the file's bytes, the
			// marks of its events) and takes them back for the next
			// file: each record's Raw is copied into the batch's chunk,
			// which the rows share until they are written. Fresh read
			// buffers, kept alive until every row of the file was
			// written, were half of the bytes an ingest allocated, and
			// faulting them in much of its system time.
			fn := func(r logs.Record) error {
				read[r.Source]++
				if cap(cur.raw)-len(cur.raw) < len(r.Raw) {
					if len(cur.recs) > 0 {
						if err := send(); err != nil {
							return err
						}
					}
					if cap(cur.raw)-len(cur.raw) < len(r.Raw) {
						cur.raw = in.pool.get(len(r.Raw))
						cur.chunks = append(cur.chunks, cur.raw)
					}
				}
				n := len(cur.raw)
				cur.raw = append(cur.raw, r.Raw...)
				r.Raw = cur.raw[n:len(cur.raw):len(cur.raw)]
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
			}
			var err error
			if h.data != nil {
				// The records' Raw are copied in fn: the buffer can be
				// reused once the file is read.
				err = rd.ReadData(gctx, path, h.data, fn, report)
			} else {
				err = rd.ReadFile(gctx, path, fn, report)
			}
			if err != nil {
				return err
			}
			if h.ready != nil {
				<-h.ready
				done["b3:"+h.sum] = true
			}
			wholeBufs.put(h.data)
			pending = append(pending, manifestEntry{BLAKE3: h.sum, SHA256: h.sha, Path: path, Size: size, Ingested: time.Now().UTC()})
		}
		return send()
	})
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		g.Go(func() error {
			defer wg.Done()
			// Each worker encodes into an arena of its own; a chunk it
			// retires goes with the batch being encoded, the last one
			// whose rows refer to it (a worker's batches reach the
			// storer in order).
			ar := &arena{pool: in.pool}
			for b := range toWork {
				b.rows = slices.Grow(b.rows[:0], len(b.recs))[:len(b.recs)]
				b.ok = slices.Grow(b.ok[:0], len(b.recs))[:len(b.recs)]
				for i, r := range b.recs {
					b.ok[i] = false
					if r.Source == logs.AWSCloudTrail {
						var mem []int32
						if i > 0 {
							mem = b.mem[b.memEnd[i-1]:b.memEnd[i]]
						} else {
							mem = b.mem[:b.memEnd[0]]
						}
						if b.rows[i], b.ok[i] = newCloudTrailRow(r.Raw, mem, ar); b.ok[i] {
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
				b.chunks = ar.take(b.chunks)
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
			file, n := "", 0
			for i := range b.rows {
				if !b.ok[i] {
					continue
				}
				if f := b.recs[i].File; f != file {
					if n > 0 {
						events[file] += n
					}
					file, n = f, 0
				}
				n++
				if err := in.add(&b.rows[i]); err != nil {
					return err
				}
			}
			if n > 0 {
				events[file] += n
			}
			in.chunks = append(in.chunks, b.chunks...)
			clear(b.chunks)
			b.chunks = b.chunks[:0]
			clear(b.rows)
			select {
			case spare <- b:
			default:
			}
			// Buffers are flushed between batches, so that each
			// batch's arena chunks go with one buffer.
			if in.bufBytes >= in.flushAt {
				if err := in.flush(); err != nil {
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
	if err := in.flushLast(); err != nil {
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

// ingestedFiles reads the manifest: the hashes of every file ingested
// ("b3:" and the BLAKE3, "sha:" and the SHA-256 of entries that give
// one), their sizes, and the sizes of the entries that give a SHA-256.
func (l *Lake) ingestedFiles() (done map[string]bool, sizes, shaSizes map[int64]bool, err error) {
	done, sizes, shaSizes = map[string]bool{}, map[int64]bool{}, map[int64]bool{}
	dir := filepath.Join(l.Dir, manifestDir)
	ents, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return done, sizes, shaSizes, nil
	}
	if err != nil {
		return nil, nil, nil, fmt.Errorf("lake: manifest: %w", err)
	}
	for _, e := range ents {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".jsonl") || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			return nil, nil, nil, fmt.Errorf("lake: manifest: %w", err)
		}
		for i, line := range bytes.Split(data, []byte("\n")) {
			if len(bytes.TrimSpace(line)) == 0 {
				continue
			}
			var m manifestEntry
			if err := json.Unmarshal(line, &m); err != nil || m.SHA256 == "" && m.BLAKE3 == "" {
				// A damaged manifest only costs a re-read (events are
				// deduplicated), so it is not fatal.
				slog.Warn("lake: ignoring bad manifest line", "file", e.Name(), "line", i+1)
				continue
			}
			if m.BLAKE3 != "" {
				done["b3:"+m.BLAKE3] = true
			}
			if m.SHA256 != "" {
				done["sha:"+m.SHA256] = true
				shaSizes[m.Size] = true
			}
			sizes[m.Size] = true
		}
	}
	return done, sizes, shaSizes, nil
}

// maxWholeRead bounds the files ingest reads whole to hash and split them
// from one buffer (see readWholeFile): larger ones are hashed as they are read
// and read again by the reader, so that two of them are never held at once.
const maxWholeRead = 256 << 20

// readWholeFile returns a file's size and, when it is a regular file of
// at most maxWholeRead bytes, its bytes, read into a buffer of pool (else
// nil).
func readWholeFile(path string, pool *dataPool) (int64, []byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil || !st.Mode().IsRegular() || st.Size() > maxWholeRead {
		return 0, nil, nil
	}
	data, err := readWhole(f, pool.get(int(st.Size())+1))
	if err != nil {
		pool.put(data)
		return 0, nil, err
	}
	return int64(len(data)), data, nil
}

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// blake3Hex is the identity of a file's content in the manifest: BLAKE3,
// a cryptographic hash (a file crafted to pass for one ingested before
// would need a collision), 2.3 times faster than SHA-256 here (2.6 against
// 1.1 GB per CPU-second: hashing the files with SHA-256 was 8-9% of
// ingest's CPU time).
func blake3Hex(b []byte) string {
	sum := blake3.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// readWhole reads f to its end into b[:0], growing it if f grew since its
// size was taken.
func readWhole(f io.Reader, b []byte) ([]byte, error) {
	b = b[:0]
	for {
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
		n, err := f.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err == io.EOF {
			return b, nil
		}
		if err != nil {
			return b, err
		}
	}
}

// dataPool holds the buffers of whole files read by readHashed, for reuse
// by the next files (fresh buffers of a file's size were faulted in, at a
// cost, for every file). Safe for concurrent use.
type dataPool struct {
	mu   sync.Mutex
	free [][]byte
}

// get returns an empty buffer with room for n bytes. A new one has an
// eighth more room (rounded up to 1 MiB): log files of a run are of about
// one size, and buffers of each file's exact size fitted no larger file
// (1,000,500 events: 0.43 GB more peak RSS than with one buffer reused).
func (p *dataPool) get(n int) []byte {
	p.mu.Lock()
	defer p.mu.Unlock()
	for i, b := range p.free {
		if cap(b) >= n {
			p.free = append(p.free[:i], p.free[i+1:]...)
			return b[:0]
		}
	}
	return make([]byte, 0, (n+n/8+1<<20-1)&^(1<<20-1))
}

// put takes a buffer back; at most two are kept (the smaller dropped).
func (p *dataPool) put(b []byte) {
	if cap(b) == 0 {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.free = append(p.free, b[:0])
	if len(p.free) > 2 {
		slices.SortFunc(p.free, func(a, b []byte) int { return cap(b) - cap(a) })
		clear(p.free[2:])
		p.free = p.free[:2]
	}
}

// fileHash returns the BLAKE3 and the SHA-256 of a file (too large to be
// read whole: rare enough to give both, so that no size check is needed)
// and its size, reading it through buf.
func fileHash(path string, buf []byte) (b3, sha string, size int64, err error) {
	f, err := os.Open(path)
	if err != nil {
		return "", "", 0, err
	}
	defer f.Close()
	hb, hs := blake3.New(32, nil), sha256.New()
	for {
		k, err := f.Read(buf)
		hb.Write(buf[:k])
		hs.Write(buf[:k])
		size += int64(k)
		if err == io.EOF {
			break
		}
		if err != nil {
			return "", "", 0, err
		}
	}
	return hex.EncodeToString(hb.Sum(nil)), hex.EncodeToString(hs.Sum(nil)), size, nil
}

func (in *ingester) add(r *Row) error {
	// Consecutive rows are mostly of one partition: it is looked up once.
	day := r.Time.Unix()
	day = day/86400 - b2i(day%86400 < 0)
	if r.source != in.curSource || day != in.curDay || in.cur == nil {
		p, err := in.part(r.partition())
		if err != nil {
			return err
		}
		in.cur, in.curSource, in.curDay = p, r.source, day
	}
	p := in.cur
	if !p.seen.add(r.hash) {
		in.stats.Duplicates++
		return nil
	}
	if p.rows == nil {
		// As many as the partition's last buffer held: appending to a
		// growing slice of rows was 3% of ingest's CPU time.
		p.rows = in.rowBuffer(max(256, p.lastLen))
		in.filled = append(in.filled, p)
	}
	p.rows = append(p.rows, *r)
	in.bufBytes += len(r.Raw) + len(r.OCSF) + 256
	return nil
}

// part returns the partition at dir, reading the event hashes its files
// hold the first time.
func (in *ingester) part(dir string) (*partState, error) {
	if p, ok := in.parts[dir]; ok {
		return p, nil
	}
	p := &partState{dir: dir}
	files, err := partFiles(filepath.Join(in.lake.Dir, dir))
	if err != nil {
		return nil, fmt.Errorf("lake: %w", err)
	}
	for _, f := range files {
		if err := readHashes(f, &p.seen); err != nil {
			return nil, err
		}
	}
	in.parts[dir] = p
	return p, nil
}

// rowBuffer returns an empty row buffer with room for n rows: a written
// part's, else a new one.
func (in *ingester) rowBuffer(n int) []Row {
	for i, b := range in.spare {
		if cap(b) >= n {
			in.spare[i] = in.spare[len(in.spare)-1]
			in.spare = in.spare[:len(in.spare)-1]
			return b
		}
	}
	return make([]Row, 0, n)
}

// flush starts writing the buffered rows in the background, once fewer
// than maxWriting buffers are being written. It returns the error of a
// buffer it waited for, if any.
func (in *ingester) flush() error { return in.flushJobs(false) }

// flushLast is flush for the last buffer, which nothing else runs beside:
// a partition whose rows would be one writer's alone while another writer
// has none is written as two part files, one per writer (the last buffer,
// mostly one partition, was written on one core while the other idled:
// 3-5% of the wall time of 1,000,500 events).
func (in *ingester) flushLast() error { return in.flushJobs(true) }

// minSplitRows is the fewest rows of a part file flushLast writes as two.
const minSplitRows = 2048

func (in *ingester) flushJobs(last bool) error {
	if len(in.writing) >= maxWriting {
		if err := in.waitOldest(); err != nil {
			return err
		}
	}
	if len(in.filled) == 0 {
		return nil
	}
	jobs := make([]writeJob, 0, len(in.filled)+in.writers)
	for _, p := range in.filled {
		jobs = append(jobs, writeJob{p: p, rows: p.rows})
		p.lastLen, p.rows = len(p.rows), nil
	}
	for last && len(jobs) < in.writers {
		// Split the largest job in two halves.
		i := 0
		for j := range jobs {
			if len(jobs[j].rows) > len(jobs[i].rows) {
				i = j
			}
		}
		rows := jobs[i].rows
		if len(rows) < minSplitRows {
			break
		}
		h := len(rows) / 2
		jobs[i].rows = rows[:h:h]
		jobs = append(jobs, writeJob{p: jobs[i].p, rows: rows[h:], half: true})
	}
	slices.SortStableFunc(jobs, func(a, b writeJob) int { return strings.Compare(a.p.dir, b.p.dir) })
	f := &flushing{jobs: jobs, chunks: in.chunks, done: make(chan struct{}), written: make([]int, len(jobs))}
	in.writing = append(in.writing, f)
	in.filled, in.chunks, in.bufBytes = in.filled[:0], nil, 0
	go func() {
		defer close(f.done)
		var g errgroup.Group
		g.SetLimit(in.writers)
		for i, j := range jobs {
			g.Go(func() error {
				if _, err := writePart(filepath.Join(in.lake.Dir, j.p.dir), j.rows, in.codec); err != nil {
					return err
				}
				f.written[i] = len(j.rows)
				return nil
			})
		}
		f.err = g.Wait()
	}()
	return nil
}

// waitOldest waits for the oldest buffer being written, counts what was
// written, takes back its row buffers and arena chunks, and returns its
// first write error.
func (in *ingester) waitOldest() error {
	f := in.writing[0]
	in.writing = in.writing[1:]
	<-f.done
	for i, j := range f.jobs {
		if n := f.written[i]; n > 0 {
			in.stats.PartsWritten++
			in.stats.Stored[j.rows[0].source] += n
		}
		clear(j.rows)
		if !j.half {
			in.spare = append(in.spare, j.rows[:0])
		}
	}
	in.pool.put(f.chunks)
	return f.err
}

// wait waits for every buffer being written and returns the first error.
func (in *ingester) wait() error {
	var first error
	for len(in.writing) > 0 {
		if err := in.waitOldest(); err != nil && first == nil {
			first = err
		}
	}
	return first
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
