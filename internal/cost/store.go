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

const batchRows = 16 * 1024

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
		sum, err := fileHash(path)
		if err != nil {
			onProblem(Problem{File: path, Err: err})
			continue
		}
		if m, _ := filepath.Glob(filepath.Join(lakeDir, lake.CostDir, "format=*", "part-"+sum+".parquet")); len(m) > 0 {
			st.AlreadyDone++
			continue
		}
		st.Files++
		format, n, err := ingestFile(ctx, lakeDir, path, sum, onProblem, &rowsRead)
		if err != nil {
			return st, err
		}
		if n > 0 {
			st.Rows[format] += n
			st.Parts++
		}
	}
	return st, nil
}

// ingestFile reads one file in one goroutine and writes its Parquet file
// in another.
func ingestFile(ctx context.Context, lakeDir, path, sum string, onProblem func(Problem), rowsRead *atomic.Int64) (Format, int, error) {
	g, gctx := errgroup.WithContext(ctx)
	batches := make(chan []Row, 4)
	var rs ReadStats
	g.Go(func() error {
		defer close(batches)
		cur := make([]Row, 0, batchRows)
		var err error
		rs, err = ReadFile(gctx, path, func(r Row) error {
			cur = append(cur, r)
			if len(cur) == batchRows {
				rowsRead.Add(int64(len(cur)))
				select {
				case batches <- cur:
				case <-gctx.Done():
					return gctx.Err()
				}
				cur = make([]Row, 0, batchRows)
			}
			return nil
		}, onProblem)
		if err != nil {
			return err
		}
		if len(cur) > 0 {
			rowsRead.Add(int64(len(cur)))
			select {
			case batches <- cur:
			case <-gctx.Done():
				return gctx.Err()
			}
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
				if pw, err = newPartWriter(lakeDir, Format(b[0].Format), sum); err != nil {
					return err
				}
			}
			if err := pw.write(b); err != nil {
				return err
			}
			written += len(b)
		}
		return nil
	})
	err := g.Wait()
	if pw != nil {
		if err != nil {
			pw.abort()
			return "", 0, err
		}
		if err := pw.commit(); err != nil {
			return "", 0, err
		}
	}
	return rs.Format, written, err
}

// partWriter writes one Parquet part file through a temporary file.
type partWriter struct {
	tmp   *os.File
	final string
	w     *parquet.GenericWriter[Row]
}

func newPartWriter(lakeDir string, f Format, sum string) (*partWriter, error) {
	dir := filepath.Join(lakeDir, lake.CostDir, "format="+string(f))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("cost: %w", err)
	}
	name := "part-" + sum + ".parquet"
	tmp, err := os.CreateTemp(dir, ".tmp-"+name+"-*")
	if err != nil {
		return nil, fmt.Errorf("cost: %w", err)
	}
	return &partWriter{tmp: tmp, final: filepath.Join(dir, name), w: NewWriter(tmp)}, nil
}

// NewWriter returns a Parquet writer of cost rows as the lake stores them.
func NewWriter(w io.Writer) *parquet.GenericWriter[Row] {
	return parquet.NewGenericWriter[Row](w,
		parquet.Compression(&zstd.Codec{Level: zstd.SpeedFastest}),
		parquet.MaxRowsPerRowGroup(256*1024),
		parquet.CreatedBy("vigil", "", ""))
}

func (p *partWriter) write(rows []Row) error {
	if _, err := p.w.Write(rows); err != nil {
		return fmt.Errorf("cost: write %s: %w", p.final, err)
	}
	return nil
}

func (p *partWriter) abort() {
	p.tmp.Close()
	os.Remove(p.tmp.Name())
}

func (p *partWriter) commit() error {
	if err := p.w.Close(); err != nil {
		p.abort()
		return fmt.Errorf("cost: write %s: %w", p.final, err)
	}
	if err := p.tmp.Sync(); err != nil {
		p.abort()
		return fmt.Errorf("cost: %w", err)
	}
	if err := p.tmp.Close(); err != nil {
		os.Remove(p.tmp.Name())
		return fmt.Errorf("cost: %w", err)
	}
	if err := os.Rename(p.tmp.Name(), p.final); err != nil {
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
	if _, err := io.Copy(h, f); err != nil {
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
