package cost

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/compress/zstd"
	"golang.org/x/sync/errgroup"

	"github.com/vigil-sec/vigil/internal/lake"
)

// IngestStats reports what an ingest did.
type IngestStats struct {
	Files       int            // files read
	AlreadyDone int            // files whose content was ingested before
	Rows        map[Format]int // rows stored per format
	Bad         int            // malformed rows skipped
	Problems    int            // problems other than bad rows and warnings (unreadable or unknown files)
	Warnings    int            // files with unknown columns
	Parts       int            // Parquet files written
}

// Total is the number of rows stored.
func (s IngestStats) Total() int {
	n := 0
	for _, v := range s.Rows {
		n += v
	}
	return n
}

// IngestOptions tunes Ingest.
type IngestOptions struct {
	OnProblem func(Problem)
	// Progress, when set, is called about every ProgressEvery (default
	// 500 ms) with the rows read so far, and once at the end.
	Progress      func(rows int, elapsed time.Duration)
	ProgressEvery time.Duration
}

const batchRows = 4 * 1024

// Ingest reads billing exports (files or folders, recursively) and stores
// their rows in the lake under lake.CostDir/format=<format>/, one Parquet
// file per input file named by the hash of its content: ingesting the same
// file again writes nothing. Each file is written to a hidden temporary file
// and renamed, so a query never sees half a file.
func Ingest(ctx context.Context, lakeDir string, paths []string, opts IngestOptions) (IngestStats, error) {
	st := IngestStats{Rows: map[Format]int{}}
	onProblem := func(p Problem) {
		switch {
		case p.Warning:
			st.Warnings++
		case p.Line > 0 && !errors.Is(p.Err, ErrUnknownFormat):
			st.Bad++
		default:
			st.Problems++
		}
		if opts.OnProblem != nil {
			opts.OnProblem(p)
		}
	}
	files := listFiles(paths, onProblem)
	var rowsRead atomic.Int64
	start := time.Now()
	every := opts.ProgressEvery
	if every <= 0 {
		every = 500 * time.Millisecond
	}
	done := make(chan struct{})
	if opts.Progress != nil {
		go func() {
			t := time.NewTicker(every)
			defer t.Stop()
			for {
				select {
				case <-done:
					return
				case <-t.C:
					opts.Progress(int(rowsRead.Load()), time.Since(start))
				}
			}
		}()
	}
	defer func() {
		close(done)
		if opts.Progress != nil {
			opts.Progress(int(rowsRead.Load()), time.Since(start))
		}
	}()
	for _, path := range files {
		format, n, res, err := ingestFile(ctx, lakeDir, path, onProblem, &rowsRead)
		switch {
		case err != nil:
			return st, err
		case res == alreadyDone:
			st.AlreadyDone++
			continue
		case res == unreadable:
			continue
		}
		st.Files++
		if n > 0 {
			st.Rows[format] += n
			st.Parts++
		}
	}
	return st, nil
}

type fileResult int

const (
	stored      fileResult = iota
	alreadyDone            // a part of the same content is in the lake
	unreadable             // the file could not be hashed (reported)
)

var (
	errAlreadyDone = errors.New("already ingested")
	errUnreadable  = errors.New("unreadable")
)

// ingestFile reads one file in one goroutine, writes its Parquet file in
// another and hashes it in a third: the part is named by the hash of the
// content, and when a part of that name exists reading stops and nothing is
// written. The file's problems are held until the hash says it is new.
func ingestFile(ctx context.Context, lakeDir, path string, onProblem func(Problem), rowsRead *atomic.Int64) (Format, int, fileResult, error) {
	g, gctx := errgroup.WithContext(ctx)
	batches := make(chan []Row, 4)
	free := make(chan []Row, 6)
	probs := &problemGate{out: onProblem}
	var (
		rs   ReadStats
		sum  string
		read atomic.Int64
	)
	g.Go(func() error {
		var err error
		if sum, err = fileHash(path); err != nil {
			onProblem(Problem{File: path, Err: err})
			return errUnreadable
		}
		if m, _ := filepath.Glob(filepath.Join(lakeDir, lake.CostDir, "format=*", "part-"+sum+".parquet")); len(m) > 0 {
			return errAlreadyDone
		}
		probs.release()
		return nil
	})
	g.Go(func() error {
		defer close(batches)
		send := func(b []Row) error {
			rowsRead.Add(int64(len(b)))
			read.Add(int64(len(b)))
			select {
			case batches <- b:
				return nil
			case <-gctx.Done():
				return gctx.Err()
			}
		}
		cur := make([]Row, 0, batchRows)
		var err error
		rs, err = ReadFile(gctx, path, func(r Row) error {
			cur = append(cur, r)
			if len(cur) == batchRows {
				if err := send(cur); err != nil {
					return err
				}
				select {
				case cur = <-free:
				default:
					cur = make([]Row, 0, batchRows)
				}
			}
			return nil
		}, probs.add)
		if err != nil {
			return err
		}
		if len(cur) > 0 {
			return send(cur)
		}
		return nil
	})
	var (
		pw      *partWriter
		written int
	)
	g.Go(func() error {
		for b := range batches {
			if pw == nil {
				var err error
				if pw, err = newPartWriter(lakeDir, Format(b[0].Format)); err != nil {
					return err
				}
			}
			if err := pw.write(b); err != nil {
				return err
			}
			written += len(b)
			select {
			case free <- b[:0]:
			default:
			}
		}
		return nil
	})
	err := g.Wait()
	if err != nil {
		if pw != nil {
			pw.abort()
		}
		switch {
		case errors.Is(err, errAlreadyDone):
			rowsRead.Add(-read.Load())
			return "", 0, alreadyDone, nil
		case errors.Is(err, errUnreadable):
			rowsRead.Add(-read.Load())
			return "", 0, unreadable, nil
		}
		return "", 0, stored, err
	}
	if pw != nil {
		if err := pw.commit("part-" + sum + ".parquet"); err != nil {
			return "", 0, stored, err
		}
	}
	return rs.Format, written, stored, nil
}

// problemGate holds a file's problems until release, then passes them on.
type problemGate struct {
	mu   sync.Mutex
	open bool
	held []Problem
	out  func(Problem)
}

func (g *problemGate) add(p Problem) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.open {
		g.out(p)
		return
	}
	g.held = append(g.held, p)
}

func (g *problemGate) release() {
	g.mu.Lock()
	defer g.mu.Unlock()
	for _, p := range g.held {
		g.out(p)
	}
	g.held, g.open = nil, true
}

// partWriter writes one Parquet part file through a temporary file.
type partWriter struct {
	tmp *os.File
	dir string
	w   *parquet.GenericWriter[Row]
}

func newPartWriter(lakeDir string, f Format) (*partWriter, error) {
	dir := filepath.Join(lakeDir, lake.CostDir, "format="+string(f))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("cost: %w", err)
	}
	tmp, err := os.CreateTemp(dir, ".tmp-part-")
	if err != nil {
		return nil, fmt.Errorf("cost: %w", err)
	}
	return &partWriter{tmp: tmp, dir: dir, w: NewWriter(tmp)}, nil
}

// NewWriter returns a Parquet writer of cost rows as the lake stores them.
func NewWriter(w io.Writer) *parquet.GenericWriter[Row] {
	opts := []parquet.WriterOption{
		parquet.Compression(&zstd.Codec{Level: zstd.SpeedFastest}),
		parquet.MaxRowsPerRowGroup(256 * 1024),
		parquet.CreatedBy("vigil", "", ""),
		// Page headers without statistics: readers (DuckDB) use the column
		// chunks' and the column index's.
		parquet.DataPageStatistics(false),
	}
	// Min/max bounds cost a string comparison per value; they are kept for
	// the columns queries select on (day, provider, account, service).
	for _, c := range noBounds {
		opts = append(opts, parquet.SkipPageBounds(c))
	}
	return parquet.NewGenericWriter[Row](w, opts...)
}

var noBounds = []string{"format", "billing_account", "service_category", "sku", "charge_type", "resource_id",
	"region", "currency", "usage_unit", "source_file", "source_line"}

func (p *partWriter) write(rows []Row) error {
	if _, err := p.w.Write(rows); err != nil {
		return fmt.Errorf("cost: write %s: %w", p.tmp.Name(), err)
	}
	return nil
}

func (p *partWriter) abort() {
	p.tmp.Close()
	os.Remove(p.tmp.Name())
}

// commit closes the part and renames it name.
func (p *partWriter) commit(name string) error {
	final := filepath.Join(p.dir, name)
	if err := p.w.Close(); err != nil {
		p.abort()
		return fmt.Errorf("cost: write %s: %w", final, err)
	}
	if err := p.tmp.Sync(); err != nil {
		p.abort()
		return fmt.Errorf("cost: %w", err)
	}
	if err := p.tmp.Close(); err != nil {
		os.Remove(p.tmp.Name())
		return fmt.Errorf("cost: %w", err)
	}
	if err := os.Rename(p.tmp.Name(), final); err != nil {
		os.Remove(p.tmp.Name())
		return fmt.Errorf("cost: %w", err)
	}
	return nil
}

func fileHash(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.CopyBuffer(h, struct{ io.Reader }{f}, make([]byte, 1<<20)); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)[:16]), nil
}

// exportName reports whether a file in a folder may be a billing export:
// .csv, .json, .jsonl or .parquet, gzip-compressed or not. Files named on
// the command line are read whatever their name.
func exportName(name string) bool {
	n := strings.TrimSuffix(strings.ToLower(name), ".gz")
	for _, ext := range []string{".csv", ".json", ".jsonl", ".ndjson", ".parquet"} {
		if strings.HasSuffix(n, ext) {
			return true
		}
	}
	return false
}

// listFiles expands folders (recursively, skipping hidden entries and files
// that are not named like exports) into a sorted file list.
func listFiles(paths []string, onProblem func(Problem)) []string {
	var out []string
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			onProblem(Problem{File: p, Err: err})
			continue
		}
		if !st.IsDir() {
			out = append(out, p)
			continue
		}
		var found []string
		_ = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				onProblem(Problem{File: path, Err: err})
				return nil
			}
			name := d.Name()
			if path != p && strings.HasPrefix(name, ".") {
				if d.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
			if d.IsDir() || !exportName(name) {
				return nil
			}
			found = append(found, path)
			return nil
		})
		sort.Strings(found)
		out = append(out, found...)
	}
	return out
}
