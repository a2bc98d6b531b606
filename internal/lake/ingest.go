package lake

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"time"

	"github.com/vigil-sec/vigil/internal/logs"
)

// DefaultDir is the lake directory used when none is given.
const DefaultDir = ".vigil/lake"

// manifestDir holds one marker per ingested input file, named by the SHA-256
// of the file's bytes. It starts with "_" so query globs never read it.
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
}

type manifestEntry struct {
	Path     string    `json:"path"`
	Size     int64     `json:"size"`
	Events   int       `json:"events"`
	Ingested time.Time `json:"ingested"`
}

// ingester buffers rows per partition and remembers which event hashes each
// partition already holds.
type ingester struct {
	lake     *Lake
	stats    *IngestStats
	buf      map[string][]Row
	bufBytes int
	flushAt  int
	seen     map[string]map[string]struct{}
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
	report := func(e logs.InputError) {
		if e.Skipped {
			st.Skipped++
		} else {
			st.InputErrors++
		}
		if opts.OnError != nil {
			opts.OnError(e)
		}
	}
	in := &ingester{lake: l, stats: &st, buf: map[string][]Row{}, seen: map[string]map[string]struct{}{}, flushAt: opts.FlushBytes}
	if in.flushAt <= 0 {
		in.flushAt = flushBytes
	}
	var pending []manifestEntry
	var pendingHash []string
	for _, path := range logs.ListFiles(paths, report) {
		if err := ctx.Err(); err != nil {
			return st, err
		}
		sum, size, err := fileHash(path)
		if err != nil {
			report(logs.InputError{File: path, Offset: -1, Err: err})
			continue
		}
		marker := filepath.Join(l.Dir, manifestDir, sum+".json")
		if !opts.Force {
			if _, err := os.Stat(marker); err == nil {
				st.AlreadyDone++
				slog.Debug("lake: already ingested", "file", path, "sha256", sum)
				continue
			}
		}
		st.Files++
		events := 0
		err = logs.ReadFile(ctx, path, func(r logs.Record) error {
			st.Read[r.Source]++
			ev, err := logs.Normalize(r)
			if err != nil {
				report(logs.InputError{File: r.File, Line: r.Line, Offset: r.Offset, Err: fmt.Errorf("normalize: %w", err)})
				return nil
			}
			row, err := NewRow(r.Source, r.Raw, ev)
			if err != nil {
				report(logs.InputError{File: r.File, Line: r.Line, Offset: r.Offset, Err: err})
				return nil
			}
			events++
			return in.add(row)
		}, report)
		if err != nil {
			return st, err
		}
		pending = append(pending, manifestEntry{Path: path, Size: size, Events: events, Ingested: time.Now().UTC()})
		pendingHash = append(pendingHash, sum)
	}
	if err := in.flush(); err != nil {
		return st, err
	}
	// Only now are the files' events durable: record the files.
	for i, m := range pending {
		data, _ := json.Marshal(m)
		if err := writeFileAtomic(filepath.Join(l.Dir, manifestDir, pendingHash[i]+".json"), data); err != nil {
			return st, fmt.Errorf("lake: manifest: %w", err)
		}
	}
	return st, nil
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
	part := r.partition()
	seen, ok := in.seen[part]
	if !ok {
		seen = map[string]struct{}{}
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
	if _, dup := seen[r.EventHash]; dup {
		in.stats.Duplicates++
		return nil
	}
	seen[r.EventHash] = struct{}{}
	in.buf[part] = append(in.buf[part], r)
	in.bufBytes += len(r.Raw) + len(r.OCSF) + 256
	if in.bufBytes >= in.flushAt {
		return in.flush()
	}
	return nil
}

func (in *ingester) flush() error {
	parts := make([]string, 0, len(in.buf))
	for p := range in.buf {
		parts = append(parts, p)
	}
	sort.Strings(parts)
	for _, p := range parts {
		rows := in.buf[p]
		if len(rows) == 0 {
			continue
		}
		if _, err := writePart(filepath.Join(in.lake.Dir, p), rows); err != nil {
			return err
		}
		in.stats.PartsWritten++
		in.stats.Stored[rows[0].source] += len(rows)
		delete(in.buf, p)
	}
	in.bufBytes = 0
	return nil
}
